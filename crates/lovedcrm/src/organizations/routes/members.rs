//! `/organizations/current/members`: list, invite, change role, remove.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::organizations::Role;
use crate::organizations::members;
use crate::organizations::store::Member;

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub data: Vec<Member>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    /// The email to invite (an account or not: they join by accepting).
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMember {
    pub role: Role,
}

/// Members of the current organization.
#[utoipa::path(get, path = "/organizations/current/members", tag = "organizations",
    security(("bearer" = [])), params(crate::http::OrgHeader),
    responses((status = 200, body = MemberList), (status = 403, body = Problem)))]
pub async fn list_members(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<ApiJson<MemberList>> {
    let data = members::list(&app, &ctx).await?;
    Ok(ApiJson(MemberList { data }))
}

/// Add someone to the organization (members with the `manage_members`
/// permission, up to their own role): they are invited by email and become
/// a member when they accept, never before. The answer is the same whether
/// or not the address has an account (202 with the invite).
#[utoipa::path(post, path = "/organizations/current/members", tag = "organizations",
    security(("bearer" = [])), params(crate::http::OrgHeader), request_body = AddMember,
    responses((status = 202, body = crate::invites::Invite), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<AddMember>,
) -> DomainResult<(StatusCode, ApiJson<crate::invites::Invite>)> {
    let invite = crate::invites::invite(&app, &ctx, &headers, &body.email, body.role).await?;
    Ok((StatusCode::ACCEPTED, ApiJson(invite)))
}

/// Change a member's role (owner or admin; only an owner grants or removes
/// `owner`). `If-Match` with the membership's version answers 412 if it
/// changed since it was read.
#[utoipa::path(patch, path = "/organizations/current/members/{user_id}", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader, IfMatchHeader, ("user_id" = Uuid, Path)),
    request_body = PatchMember,
    responses((status = 200, body = Member), (status = 400, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 412, body = Problem)))]
pub async fn change_member_role(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(user_id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchMember>,
) -> DomainResult<Versioned<Member>> {
    let after = members::change_role(&app, &ctx, user_id, body.role, if_match(&headers)).await?;
    Ok(Versioned(after.version, ApiJson(after)))
}

/// Remove a member, or leave when `user_id` is the caller. The last owner
/// can do neither. `If-Match` with the membership's version answers 412 if
/// it changed since it was read.
#[utoipa::path(delete, path = "/organizations/current/members/{user_id}", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader, IfMatchHeader, ("user_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 412, body = Problem)))]
pub async fn remove_member(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(user_id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    members::remove(&app, &ctx, user_id, if_match(&headers)).await?;
    Ok(StatusCode::NO_CONTENT)
}
