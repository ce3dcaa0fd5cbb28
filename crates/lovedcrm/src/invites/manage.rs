//! An organization's invites: invite, list, resend, revoke. Whoever calls
//! has checked `manage_members` (the routes, by their access rule); the role
//! an invite grants is checked here.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Invite;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::{self, TenantTx, TxMode};
use crate::email::{self, Locale, Template};
use crate::error::{DomainError, DomainResult};
use crate::organizations::{Role, store as orgs};
use crate::users::fields::Email;
use crate::users::store as users;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvite {
    pub email: String,
    pub role: Role,
}

/// The organization's invites, newest first.
pub async fn list(app: &SharedState, actor: &Actor) -> DomainResult<Vec<Invite>> {
    crate::organizations::teams_enabled(app)?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let data = super::list(&tx).await?;
    tx.commit().await?;
    Ok(data)
}

/// Invites `email` with `role`: the one way into an organization, so that
/// nobody is made a member (and shares their account's security events)
/// without accepting. Says nothing of whether the address has an account.
/// The email goes out in `locale`, the inviter's language.
pub async fn invite(
    app: &SharedState,
    actor: &Actor,
    locale: Locale,
    email: &str,
    role: Role,
) -> DomainResult<Invite> {
    crate::organizations::teams_enabled(app)?;
    actor.may_handle_role(role)?;
    let email = Email::parse("email", email).map_err(|e| DomainError::Validation(vec![e]))?;
    let tx = actor.begin(app, TxMode::Write).await?;
    if let Some(user) = users::find_by_email(&*tx, email.as_str()).await?
        && orgs::member(&tx, user.id).await?.is_some()
    {
        return Err(DomainError::Conflict {
            code: "already_member",
            detail: "this person is already a member".into(),
        });
    }
    let pending = super::list(&tx)
        .await?
        .into_iter()
        .any(|i| i.status == "pending" && i.row.email == email.as_str());
    if pending {
        return Err(DomainError::Conflict {
            code: "invite_pending",
            detail: "this email already has a pending invite; resend it instead".into(),
        });
    }
    let (id, token) = super::create(&tx, email.as_str(), role.as_str(), actor.member()?).await?;
    send(app, &tx, actor, locale, email.as_str(), role, &token).await?;
    let invite = super::find(&tx, id)
        .await?
        .ok_or_else(|| DomainError::internal("invite vanished"))?;
    audit_invite(&tx, actor, "invite.created", None, Some(&invite)).await?;
    tx.commit().await?;
    Ok(invite)
}

/// Sends the invite `id` again with a new link and a new 7-day expiry, in
/// `locale`.
pub async fn resend(
    app: &SharedState,
    actor: &Actor,
    locale: Locale,
    id: Uuid,
) -> DomainResult<Invite> {
    crate::organizations::teams_enabled(app)?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let before = super::find(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("invite"))?;
    let role = Role::parse(&before.row.role).unwrap_or(Role::Viewer);
    // Whoever may not invite with a role may not renew such an invite either.
    actor.may_handle_role(role)?;
    if matches!(before.status, "accepted" | "revoked") {
        return Err(DomainError::Conflict {
            code: "invite_closed",
            detail: format!("the invite was {}", before.status),
        });
    }
    let token = super::renew_token(&tx, id).await?;
    send(app, &tx, actor, locale, &before.row.email, role, &token).await?;
    let after = super::find(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("invite"))?;
    audit_invite(&tx, actor, "invite.resent", Some(&before), Some(&after)).await?;
    tx.commit().await?;
    Ok(after)
}

/// Revokes the invite `id`: its link stops working. An invite already
/// accepted or revoked is left as it is.
pub async fn revoke(app: &SharedState, actor: &Actor, id: Uuid) -> DomainResult<()> {
    crate::organizations::teams_enabled(app)?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let before = super::find(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("invite"))?;
    actor.may_handle_role(Role::parse(&before.row.role).unwrap_or(Role::Owner))?;
    if before.status == "pending" || before.status == "expired" {
        db::exec(
            &*tx,
            "UPDATE invites SET revoked_at = $3 WHERE organization_id = $1 AND id = $2",
            vec![tx.org_id().into(), id.into(), db::now().into()],
        )
        .await?;
        audit_invite(&tx, actor, "invite.revoked", Some(&before), None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Queues the invite email in `locale`, in `tx`.
async fn send(
    app: &SharedState,
    tx: &TenantTx,
    actor: &Actor,
    locale: Locale,
    to: &str,
    role: Role,
    token: &str,
) -> Result<(), DomainError> {
    let org = orgs::get(tx)
        .await?
        .ok_or(DomainError::NotFound("organization"))?;
    let inviter = users::find(&**tx, actor.member()?)
        .await?
        .map_or_else(String::new, |u| u.name);
    email::queue(
        &**tx,
        to,
        locale,
        Template::Invite {
            organization_name: org.name,
            inviter_name: inviter,
            role: role.as_str().into(),
            link: super::link(app, token),
        },
    )
    .await?;
    Ok(())
}

async fn audit_invite(
    tx: &TenantTx,
    actor: &Actor,
    action: &str,
    before: Option<&Invite>,
    after: Option<&Invite>,
) -> Result<(), DomainError> {
    let id = after.or(before).map(|i| i.row.id.to_string());
    audit::record(
        tx,
        &actor.meta,
        Change {
            actor: actor.user_id(),
            action,
            entity_type: "invite",
            entity_id: id,
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: after.and_then(|a| serde_json::to_value(a).ok()),
        },
    )
    .await?;
    Ok(())
}
