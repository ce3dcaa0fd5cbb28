//! `/organizations/current/invites` (an admin's side) and `/invites/{token}`
//! (the invitee's).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::Invite;
use super::accept::{self, AcceptInvite, Accepted, InvitePreview};
use super::manage::{self, CreateInvite};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::email::Locale;
use crate::error::DomainResult;
use crate::http::OrgHeader;
use crate::http::context::{AuthUser, OrgContext, bearer};
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::organizations::Role;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_invites, create_invite))
        .routes(routes!(revoke_invite))
        .routes(routes!(resend_invite))
        .routes(routes!(show_invite))
        .routes(routes!(accept_invite))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InviteList {
    pub data: Vec<Invite>,
}

/// Invites `email` with `role`, the email in the language the request asks
/// for: for other routes that invite (adding a member).
pub(crate) async fn invite(
    app: &SharedState,
    actor: &Actor,
    headers: &HeaderMap,
    email: &str,
    role: Role,
) -> DomainResult<Invite> {
    manage::invite(app, actor, Locale::of_request(headers), email, role).await
}

/// The organization's invites, newest first.
#[utoipa::path(get, path = "/organizations/current/invites", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader),
    responses((status = 200, body = InviteList), (status = 403, body = Problem)))]
async fn list_invites(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<ApiJson<InviteList>> {
    let data = manage::list(&app, &ctx).await?;
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
    let locale = Locale::of_request(&headers);
    Ok(ApiJson(manage::resend(&app, &ctx, locale, id).await?))
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
    manage::revoke(&app, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What an invite link offers (no sign-in needed: the token is the credential).
#[utoipa::path(get, path = "/invites/{token}", tag = "organizations",
    params(("token" = String, Path)),
    responses((status = 200, body = InvitePreview), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn show_invite(
    State(app): State<SharedState>,
    ApiPath(token): ApiPath<String>,
) -> DomainResult<ApiJson<InvitePreview>> {
    Ok(ApiJson(accept::preview(&app, &token).await?))
}

/// Join the organization. Signed in (bearer token of the invited email's
/// account): `{}`. Without an account: `{name, password}` creates it.
#[utoipa::path(post, path = "/invites/{token}/accept", tag = "organizations",
    params(("token" = String, Path)), request_body = AcceptInvite,
    responses((status = 200, body = Accepted), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn accept_invite(
    State(app): State<SharedState>,
    headers: HeaderMap,
    meta: ClientMeta,
    ApiPath(token): ApiPath<String>,
    ApiJson(body): ApiJson<AcceptInvite>,
) -> DomainResult<ApiJson<Accepted>> {
    // A bad or spent link answers before a bad token.
    let invite = accept::live(&app, &token, &meta).await?;
    let accepted = match bearer(&headers) {
        Some(access) => {
            let user = AuthUser::authenticate(&app, Some(access), meta.clone()).await?;
            accept::join(&app, invite, user.user_id, &meta).await?
        }
        None => accept::sign_up(&app, invite, body, &meta).await?,
    };
    Ok(ApiJson(accepted))
}
