//! The members of the current organization: list, add, change role, remove.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::Role;
use super::store::{self, Member};
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::TxMode;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};

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
    super::teams_enabled(&app)?;
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let data = store::members(&tx).await?;
    tx.commit().await?;
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
    super::teams_enabled(&app)?;
    ctx.may_handle_role(body.role)?;
    let expected = if_match(&headers)?;
    if user_id == ctx.user_id() {
        return Err(DomainError::BadRequest {
            code: "own_role",
            detail: "you cannot change your own role".into(),
            errors: vec![FieldError::new("role", "cannot be changed on yourself")],
        });
    }
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::member(&tx, user_id)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    crate::http::check_version(expected, before.version)?;
    let current = Role::parse(&before.role).unwrap_or(Role::Owner);
    ctx.may_handle_role(current)?;
    if current == Role::Owner && body.role != Role::Owner && store::owner_count(&tx).await? <= 1 {
        return Err(last_owner());
    }
    if !store::set_role(&tx, user_id, body.role, before.version).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: before.version,
        });
    }
    let after = store::member(&tx, user_id)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    audit::record(
        &tx,
        &ctx.meta,
        Change {
            actor: Some(ctx.user_id()),
            action: "member.role_changed",
            entity_type: "membership",
            entity_id: Some(user_id.to_string()),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    tx.commit().await?;
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
    super::teams_enabled(&app)?;
    let expected = if_match(&headers)?;
    let leaving = user_id == ctx.user_id();
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::member(&tx, user_id)
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    crate::http::check_version(expected, before.version)?;
    if !leaving {
        ctx.may_handle_role(Role::parse(&before.role).unwrap_or(Role::Owner))?;
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
        &ctx.meta,
        Change {
            actor: Some(ctx.user_id()),
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
    Ok(StatusCode::NO_CONTENT)
}

fn last_owner() -> DomainError {
    DomainError::Conflict {
        code: "last_owner",
        detail: "an organization must keep at least one owner; make someone else owner first"
            .into(),
    }
}
