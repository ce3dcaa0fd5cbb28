//! The members of the current organization: list, change role, remove.
//! (Adding someone is an invitation: see `crate::invites`.)

use uuid::Uuid;

use super::Role;
use super::store::{self, Member};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::TxMode;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::records::kernel::check_version;

/// Every member of the actor's organization.
pub async fn list(app: &SharedState, actor: &Actor) -> DomainResult<Vec<Member>> {
    super::teams_enabled(app)?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let data = store::members(&tx).await?;
    tx.commit().await?;
    Ok(data)
}

/// Gives `user_id` the role `role`; neither the actor's own role nor one
/// above it can be changed, and the last owner stays owner.
///
/// `expected` is the membership's version as the caller gave it, or why it
/// could not be read: a malformed one is refused only after the role checks.
pub async fn change_role(
    app: &SharedState,
    actor: &Actor,
    user_id: Uuid,
    role: Role,
    expected: DomainResult<Option<i64>>,
) -> DomainResult<Member> {
    super::teams_enabled(app)?;
    actor.may_handle_role(role)?;
    let expected = expected?;
    if actor.is(user_id) {
        return Err(DomainError::BadRequest {
            code: "own_role",
            detail: "you cannot change your own role".into(),
            errors: vec![FieldError::new("role", "cannot be changed on yourself")],
        });
    }
    let tx = actor.begin(app, TxMode::Write).await?;
    let before = store::member(&tx, user_id)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    check_version(expected, before.version)?;
    // A role this server does not know is treated as the highest, so only
    // an owner may touch it.
    let current = Role::parse(&before.role).unwrap_or(Role::Owner);
    actor.may_handle_role(current)?;
    if current == Role::Owner && role != Role::Owner && store::owner_count(&tx).await? <= 1 {
        return Err(last_owner());
    }
    if !store::set_role(&tx, user_id, role, before.version).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: before.version,
        });
    }
    let after = store::member(&tx, user_id)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    audit::record(
        &tx,
        &actor.meta,
        Change {
            actor: actor.user_id(),
            action: "member.role_changed",
            entity_type: "membership",
            entity_id: Some(user_id.to_string()),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Removes `user_id` from the organization, or lets the actor leave when it
/// is them; the last owner can do neither. `expected` as for [`change_role`].
pub async fn remove(
    app: &SharedState,
    actor: &Actor,
    user_id: Uuid,
    expected: DomainResult<Option<i64>>,
) -> DomainResult<()> {
    super::teams_enabled(app)?;
    let expected = expected?;
    let leaving = actor.is(user_id);
    let tx = actor.begin(app, TxMode::Write).await?;
    let before = store::member(&tx, user_id)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    check_version(expected, before.version)?;
    if !leaving {
        actor.may_handle_role(Role::parse(&before.role).unwrap_or(Role::Owner))?;
    }
    if before.role == Role::Owner.as_str() && store::owner_count(&tx).await? <= 1 {
        return Err(last_owner());
    }
    if !store::remove_member(&tx, user_id, before.version).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: before.version,
        });
    }
    audit::record(
        &tx,
        &actor.meta,
        Change {
            actor: actor.user_id(),
            action: if leaving {
                "member.left"
            } else {
                "member.removed"
            },
            entity_type: "membership",
            entity_id: Some(user_id.to_string()),
            before: serde_json::to_value(&before).ok(),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn last_owner() -> DomainError {
    DomainError::Conflict {
        code: "last_owner",
        detail: "an organization must keep at least one owner; make someone else owner first"
            .into(),
    }
}
