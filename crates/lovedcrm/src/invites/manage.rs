//! `/organizations/current/invites`: invite, list, resend, revoke. Needs
//! `manage_members` (checked by the organization context).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::Invite;
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::{self, TenantTx, TxMode};
use crate::email::{self, Locale, Template};
use crate::error::{DomainError, DomainResult};
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::organizations::{Role, store as orgs};
use crate::users::fields::Email;
use crate::users::store as users;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_invites, create_invite))
        .routes(routes!(revoke_invite))
        .routes(routes!(resend_invite))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InviteList {
    pub data: Vec<Invite>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvite {
    pub email: String,
    pub role: Role,
}

/// The organization's invites, newest first.
#[utoipa::path(get, path = "/organizations/current/invites", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader),
    responses((status = 200, body = InviteList), (status = 403, body = Problem)))]
async fn list_invites(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<ApiJson<InviteList>> {
    crate::organizations::teams_enabled(&app)?;
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let data = super::list(&tx).await?;
    tx.commit().await?;
    Ok(ApiJson(InviteList { data }))
}

/// Invite someone by email with a role; they get a link valid for 7 days.
#[utoipa::path(post, path = "/organizations/current/invites", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader), request_body = CreateInvite,
    responses((status = 201, body = Invite), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_invite(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateInvite>,
) -> DomainResult<(StatusCode, ApiJson<Invite>)> {
    let invite = invite(&app, &ctx, &headers, &body.email, body.role).await?;
    Ok((StatusCode::CREATED, ApiJson(invite)))
}

/// Invites `email` with `role`: the one way into an organization, so that
/// nobody is made a member (and shares their account's security events)
/// without accepting. Says nothing of whether the address has an account.
pub(crate) async fn invite(
    app: &SharedState,
    ctx: &OrgContext,
    headers: &HeaderMap,
    email: &str,
    role: Role,
) -> DomainResult<Invite> {
    crate::organizations::teams_enabled(app)?;
    ctx.may_handle_role(role)?;
    let email = Email::parse("email", email).map_err(|e| DomainError::Validation(vec![e]))?;
    let tx = ctx.begin(app, TxMode::Write).await?;
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
    let (id, token) = super::create(&tx, email.as_str(), role.as_str(), ctx.user_id()).await?;
    send(app, &tx, ctx, headers, email.as_str(), role, &token).await?;
    let invite = super::find(&tx, id)
        .await?
        .ok_or_else(|| DomainError::internal("invite vanished"))?;
    audit_invite(&tx, ctx, "invite.created", None, Some(&invite)).await?;
    tx.commit().await?;
    Ok(invite)
}

/// Send the invite again with a new link and a new 7-day expiry.
#[utoipa::path(post, path = "/organizations/current/invites/{id}/resend", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Invite), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn resend_invite(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<ApiJson<Invite>> {
    crate::organizations::teams_enabled(&app)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = super::find(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("invite"))?;
    let role = Role::parse(&before.row.role).unwrap_or(Role::Viewer);
    // Whoever may not invite with a role may not renew such an invite either.
    ctx.may_handle_role(role)?;
    if matches!(before.status, "accepted" | "revoked") {
        return Err(DomainError::Conflict {
            code: "invite_closed",
            detail: format!("the invite was {}", before.status),
        });
    }
    let token = super::renew_token(&tx, id).await?;
    send(&app, &tx, &ctx, &headers, &before.row.email, role, &token).await?;
    let after = super::find(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("invite"))?;
    audit_invite(&tx, &ctx, "invite.resent", Some(&before), Some(&after)).await?;
    tx.commit().await?;
    Ok(ApiJson(after))
}

/// Revoke an invite: its link stops working.
#[utoipa::path(delete, path = "/organizations/current/invites/{id}", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn revoke_invite(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    crate::organizations::teams_enabled(&app)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = super::find(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("invite"))?;
    ctx.may_handle_role(Role::parse(&before.row.role).unwrap_or(Role::Owner))?;
    if before.status == "pending" || before.status == "expired" {
        db::exec(
            &*tx,
            "UPDATE invites SET revoked_at = $3 WHERE organization_id = $1 AND id = $2",
            vec![tx.org_id().into(), id.into(), db::now().into()],
        )
        .await?;
        audit_invite(&tx, &ctx, "invite.revoked", Some(&before), None).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Queues the invite email in the inviter's language, in `tx`.
async fn send(
    app: &SharedState,
    tx: &TenantTx,
    ctx: &OrgContext,
    headers: &HeaderMap,
    to: &str,
    role: Role,
    token: &str,
) -> Result<(), DomainError> {
    let org = orgs::get(tx)
        .await?
        .ok_or(DomainError::NotFound("organization"))?;
    let inviter = users::find(&**tx, ctx.user_id())
        .await?
        .map_or_else(String::new, |u| u.name);
    email::queue(
        &**tx,
        to,
        Locale::of_request(headers),
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
    ctx: &OrgContext,
    action: &str,
    before: Option<&Invite>,
    after: Option<&Invite>,
) -> Result<(), DomainError> {
    let id = after.or(before).map(|i| i.row.id.to_string());
    audit::record(
        tx,
        &ctx.meta,
        Change {
            actor: Some(ctx.user_id()),
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
