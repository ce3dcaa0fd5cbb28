//! `DELETE /users/me`: the caller deletes their own account.
//!
//! Organizations where the caller is the only member go with the account
//! (their data is cascaded away); from the others the caller is removed. An
//! organization that would be left with members but no owner blocks the
//! deletion (409 `last_owner`) until ownership is handed on.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::store;
use crate::app::SharedState;
use crate::audit::{self, Change, ClientMeta, SecurityEvent};
use crate::auth::password;
use crate::db::{self, DbErr, GlobalTx, Row, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::organizations::store::{self as orgs, MyOrganization};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccount {
    /// The account's current password.
    pub password: String,
}

/// Deletes `user_id`'s account once `body` proves it is theirs.
pub async fn delete_account(
    app: &SharedState,
    user_id: Uuid,
    meta: &ClientMeta,
    body: DeleteAccount,
) -> DomainResult<()> {
    let found = store::find(app.store.connection(), user_id)
        .await?
        .ok_or_else(|| DomainError::Unauthorized("the account is disabled".into()))?;
    crate::auth::lockout::check(app, &found.email, meta.rate_key()).await?;
    if !password::verify(body.password, Some(found.password_hash.clone())).await {
        crate::auth::lockout::fail(app, &found.email, meta.rate_key()).await?;
        return Err(DomainError::field("password", "is not correct"));
    }

    let tx = GlobalTx::begin(&app.store, Some(user_id), TxMode::Read).await?;
    let mine = orgs::list_mine(&tx, user_id).await?;
    tx.commit().await?;
    let mut blocking = Vec::new();
    for org in &mine {
        let tx = TenantTx::begin(&app.store, org.id, Some(user_id), TxMode::Read).await?;
        let standing = standing(&tx, user_id).await?;
        tx.commit().await?;
        if standing.is_last_owner_of_others() {
            blocking.push(org.name.clone());
        }
    }
    if !blocking.is_empty() {
        return Err(last_owner(&blocking));
    }

    let mut deleted_organizations = Vec::new();
    for org in &mine {
        if leave_or_delete(app, user_id, meta, org).await? {
            deleted_organizations.push(org.id);
        }
    }
    let tx = GlobalTx::begin(&app.store, Some(user_id), TxMode::Write).await?;
    // Sessions, refresh tokens, backup codes and challenges cascade.
    db::exec(
        &*tx,
        "DELETE FROM users WHERE id = $1",
        vec![user_id.into()],
    )
    .await?;
    tx.commit().await?;
    audit::security(
        &app.store,
        meta,
        SecurityEvent {
            action: "account_deleted",
            user_id: None,
            email: Some(&found.email),
            target_organization_id: None,
            detail: Some(serde_json::json!({
                "user_id": user_id,
                "deleted_organizations": deleted_organizations,
            })),
        },
    )
    .await;
    Ok(())
}

fn last_owner(names: &[String]) -> DomainError {
    DomainError::Conflict {
        code: "last_owner",
        detail: format!(
            "you are the last owner of {}, which has other members; transfer ownership or \
             remove the other members first",
            names.join(", ")
        ),
    }
}

#[derive(Row)]
struct Standing {
    role: Option<String>,
    members: i64,
    owners: i64,
}

impl Standing {
    fn is_last_owner_of_others(&self) -> bool {
        self.role.as_deref() == Some("owner") && self.owners <= 1 && self.members > 1
    }
}

async fn standing(tx: &TenantTx, user_id: Uuid) -> Result<Standing, DbErr> {
    let row: Option<Standing> = db::fetch_one(
        &**tx,
        "SELECT (SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2) AS role, \
         (SELECT COUNT(*) FROM memberships WHERE organization_id = $1) AS members, \
         (SELECT COUNT(*) FROM memberships WHERE organization_id = $1 AND role = 'owner') AS owners",
        vec![tx.org_id().into(), user_id.into()],
    )
    .await?;
    Ok(row.unwrap_or(Standing {
        role: None,
        members: 0,
        owners: 0,
    }))
}

/// Deletes `org` when the caller is its only member (true), else removes
/// the caller from it. Re-checked inside the write, so a member who joined
/// meanwhile is never left in an organization without an owner.
async fn leave_or_delete(
    app: &SharedState,
    user_id: Uuid,
    meta: &ClientMeta,
    org: &MyOrganization,
) -> DomainResult<bool> {
    let tx = TenantTx::begin(&app.store, org.id, Some(user_id), TxMode::Write).await?;
    let standing = standing(&tx, user_id).await?;
    if standing.is_last_owner_of_others() {
        return Err(last_owner(std::slice::from_ref(&org.name)));
    }
    let deleted = standing.members <= 1;
    if deleted {
        db::exec(
            &*tx,
            "DELETE FROM organizations WHERE id = $1",
            vec![org.id.into()],
        )
        .await?;
    } else {
        db::exec(
            &*tx,
            "DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2",
            vec![org.id.into(), user_id.into()],
        )
        .await?;
        audit::record(
            &tx,
            meta,
            Change {
                actor: Some(user_id),
                action: "member.account_deleted",
                entity_type: "membership",
                entity_id: Some(user_id.to_string()),
                before: serde_json::to_value(org).ok(),
                after: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(deleted)
}
