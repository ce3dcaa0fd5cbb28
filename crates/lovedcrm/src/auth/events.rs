//! Security events about an account (2FA changes, password change, session
//! revocations): one row in `security_events`, and one in the audit log of
//! every organization the user belongs to (at the time), so its admins see
//! that they happened, without the address or browser they came from.

use serde_json::Value as Json;
use uuid::Uuid;

use serde::{Deserialize, Serialize};

use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::audit::{self, Change, SecurityEvent};
use crate::db::{DbErr, GlobalTx, TenantTx, TxMode};
use crate::error::DomainError;
use crate::jobs::{self, Job, JobError, NewJob};
use crate::organizations::store as orgs;
use crate::users::store as users;

/// The job that tells a failed sign-in's organizations about it.
pub const LOGIN_FAILED: &str = "auth.login_failed";

#[derive(Debug, Serialize, Deserialize)]
struct FailedLogin {
    email: String,
    request_id: Option<String>,
    at: chrono::DateTime<chrono::Utc>,
}

/// Records a failed sign-in the same way whether or not the address has an
/// account: one anonymous security event and one job, so neither the answer
/// nor its timing tells an attacker which addresses are registered. The job
/// finds the account and copies the event into its organizations' logs.
pub async fn failed_login(
    app: &SharedState,
    meta: &ClientMeta,
    email: &str,
) -> Result<(), DomainError> {
    audit::security(
        &app.store,
        meta,
        SecurityEvent {
            action: "login_failed",
            user_id: None,
            email: Some(email),
            target_organization_id: None,
            detail: None,
        },
    )
    .await;
    let payload = serde_json::to_value(FailedLogin {
        email: email.to_string(),
        request_id: meta.request_id.clone(),
        at: crate::db::now(),
    })
    .map_err(DomainError::internal)?;
    jobs::enqueue(
        app.store.connection(),
        NewJob {
            max_attempts: 5,
            idempotency_key: meta
                .request_id
                .as_ref()
                .map(|id| format!("{LOGIN_FAILED}:{id}")),
            ..NewJob::new(LOGIN_FAILED, payload)
        },
    )
    .await?;
    Ok(())
}

/// The `auth.login_failed` job: a known, active account's organizations hear
/// of the attempt (an unknown address has no one to tell).
pub async fn copy_failed_login(app: SharedState, job: Job) -> Result<(), JobError> {
    let attempt: FailedLogin = serde_json::from_value(job.payload)
        .map_err(|e| JobError::permanent(format!("bad payload: {e}")))?;
    let user = users::find_by_email(app.store.connection(), &attempt.email).await?;
    let Some(user) = user.filter(|u| u.is_active) else {
        return Ok(());
    };
    let meta = ClientMeta {
        ip: None,
        user_agent: None,
        request_id: attempt.request_id,
    };
    let detail = serde_json::json!({ "email": attempt.email });
    let tx = GlobalTx::begin(&app.store, Some(user.id), TxMode::Read).await?;
    let then = orgs::member_at(&tx, user.id, attempt.at).await?;
    tx.commit().await?;
    copy_to(&app, &meta, user.id, &then, "login_failed", Some(detail)).await?;
    Ok(())
}

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
    copy_to(app, meta, user_id, &mine, action, detail).await
}

async fn copy_to(
    app: &SharedState,
    meta: &ClientMeta,
    user_id: Uuid,
    organizations: &[orgs::MyOrganization],
    action: &str,
    detail: Option<Json>,
) -> Result<(), DbErr> {
    for org in organizations {
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
