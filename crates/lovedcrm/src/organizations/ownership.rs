//! Handing the organization to another member: the owner stays on as admin.

use uuid::Uuid;

use super::Role;
use super::store;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::TxMode;
use crate::error::{DomainError, DomainResult, FieldError};

/// Makes `new_owner` the owner; the actor (an owner) becomes admin.
pub async fn transfer(app: &SharedState, actor: &Actor, new_owner: Uuid) -> DomainResult<()> {
    actor.require(Role::Owner, "transfer ownership")?;
    let me = actor.member()?;
    if new_owner == me {
        return Err(DomainError::Validation(vec![FieldError::new(
            "user_id",
            "is you: name another member",
        )]));
    }
    let tx = actor.begin(app, TxMode::Write).await?;
    let target = store::member(&tx, new_owner)
        .await?
        .ok_or_else(|| DomainError::field("user_id", "is not a member of this organization"))?;
    let mine = store::member(&tx, me)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    let changed = store::set_role(&tx, new_owner, Role::Owner, target.version).await?
        && store::set_role(&tx, me, Role::Admin, mine.version).await?;
    if !changed {
        return Err(DomainError::Conflict {
            code: "membership_changed",
            detail: "a membership changed meanwhile; try again".into(),
        });
    }
    audit::record(
        &tx,
        &actor.meta,
        Change {
            actor: Some(me),
            action: "organization.ownership_transferred",
            entity_type: "organization",
            entity_id: Some(tx.org_id().to_string()),
            before: Some(serde_json::json!({ "owner": me, "new_owner_role": target.role })),
            after: Some(serde_json::json!({ "owner": new_owner, "previous_owner_role": "admin" })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
