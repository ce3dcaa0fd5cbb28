//! Security events about an account (2FA changes, password change, session
//! revocations): one row in `security_events`, and one in the audit log of
//! every organization the user belongs to (at the time), so its admins see
//! that they happened, without the address or browser they came from.

use serde_json::Value as Json;
use uuid::Uuid;

use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::audit::{self, Change, SecurityEvent};
use crate::db::{DbErr, GlobalTx, TenantTx, TxMode};
use crate::organizations::store as orgs;

pub async fn account_event(
    app: &SharedState,
    meta: &ClientMeta,
    user_id: Uuid,
    action: &str,
    detail: Option<Json>,
) {
    audit::security(
        &app.store,
        meta,
        SecurityEvent {
            action,
            user_id: Some(user_id),
            email: None,
            target_organization_id: None,
            detail: detail.clone(),
        },
    )
    .await;
    // Like `audit::security`, a failure to audit is logged, not returned:
    // the change it describes has already been committed.
    if let Err(err) = audit_in_each_organization(app, meta, user_id, action, detail).await {
        tracing::error!(error = %err, action, "could not audit an account event");
    }
}

async fn audit_in_each_organization(
    app: &SharedState,
    meta: &ClientMeta,
    user_id: Uuid,
    action: &str,
    detail: Option<Json>,
) -> Result<(), DbErr> {
    let tx = GlobalTx::begin(&app.store, Some(user_id), TxMode::Read).await?;
    let mine = orgs::list_mine(&tx, user_id).await?;
    tx.commit().await?;
    for org in mine {
        let tx = TenantTx::begin(&app.store, org.id, Some(user_id), TxMode::Write).await?;
        // The organization learns what happened to its member's account, not
        // where they were: no address or browser in its copy.
        let meta = ClientMeta {
            ip: None,
            user_agent: None,
            request_id: meta.request_id.clone(),
        };
        audit::record(
            &tx,
            &meta,
            Change {
                actor: Some(user_id),
                action: &format!("security.{action}"),
                entity_type: "user",
                entity_id: Some(user_id.to_string()),
                before: None,
                after: detail.clone(),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}
