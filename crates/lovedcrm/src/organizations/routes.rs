use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::Role;
use super::store::{self, Member, MyOrganization, Organization};
use crate::audit::{self, Change};
use crate::db::{TenantTx, TxMode};
use crate::http::context::{AuthUser, OrgContext};
use crate::http::error::{ApiError, ApiResult, FieldError, Problem};
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::state::SharedState;
use crate::http::{Versioned, if_match};
use crate::users::fields::{Email, display_name};
use crate::users::store as users;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_mine, create))
        .routes(routes!(get_current, patch_current))
        .routes(routes!(list_members, add_member))
        .routes(routes!(change_member_role, remove_member))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationList {
    pub data: Vec<MyOrganization>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganization {
    pub name: String,
}

/// The current organization with the caller's role in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentOrganization {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl CurrentOrganization {
    fn new(org: Organization, role: Role) -> Self {
        Self {
            id: org.id,
            name: org.name,
            role,
            created_at: org.created_at,
            updated_at: org.updated_at,
            version: org.version,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchOrganization {
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub data: Vec<Member>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    /// The email of an existing Loved CRM account.
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMember {
    pub role: Role,
}

/// The organizations the caller belongs to.
#[utoipa::path(get, path = "/organizations", tag = "organizations", security(("bearer" = [])),
    responses((status = 200, body = OrganizationList), (status = 401, body = Problem)))]
async fn list_mine(
    State(app): State<SharedState>,
    user: AuthUser,
) -> ApiResult<ApiJson<OrganizationList>> {
    let tx = crate::db::GlobalTx::begin(&app.store, Some(user.user_id), TxMode::Read).await?;
    let data = store::list_mine(&tx, user.user_id).await?;
    tx.commit().await?;
    Ok(ApiJson(OrganizationList { data }))
}

/// Create an organization owned by the caller.
#[utoipa::path(post, path = "/organizations", tag = "organizations", security(("bearer" = [])),
    request_body = CreateOrganization,
    responses((status = 201, body = MyOrganization), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    user: AuthUser,
    ApiJson(body): ApiJson<CreateOrganization>,
) -> ApiResult<(StatusCode, ApiJson<MyOrganization>)> {
    let name = display_name("name", &body.name, 200).map_err(|e| ApiError::Validation(vec![e]))?;
    let org_id = Uuid::now_v7();
    let tx = TenantTx::begin(&app.store, org_id, Some(user.user_id), TxMode::Write).await?;
    let org = store::create(&tx, &name, user.user_id).await?;
    audit::record(
        &tx,
        &user.meta,
        Change {
            actor: Some(user.user_id),
            action: "organization.created",
            entity_type: "organization",
            entity_id: Some(org.id.to_string()),
            before: None,
            after: serde_json::to_value(&org).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(MyOrganization {
            id: org.id,
            name: org.name,
            role: Role::Owner.as_str().into(),
        }),
    ))
}

/// The organization named by `X-Org-Id`.
#[utoipa::path(get, path = "/organizations/current", tag = "organizations",
    security(("bearer" = [])), params(crate::http::OrgHeader),
    responses((status = 200, body = CurrentOrganization), (status = 403, body = Problem)))]
async fn get_current(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> ApiResult<Versioned<CurrentOrganization>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let org = store::get(&tx)
        .await?
        .ok_or(ApiError::NotFound("organization"))?;
    tx.commit().await?;
    let version = org.version;
    Ok(Versioned(
        version,
        ApiJson(CurrentOrganization::new(org, ctx.role())),
    ))
}

/// Rename the organization (owner or admin). Honors `If-Match`.
#[utoipa::path(patch, path = "/organizations/current", tag = "organizations",
    security(("bearer" = [])), params(crate::http::OrgHeader, crate::http::IfMatchHeader),
    request_body = PatchOrganization,
    responses((status = 200, body = CurrentOrganization), (status = 403, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch_current(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PatchOrganization>,
) -> ApiResult<Versioned<CurrentOrganization>> {
    ctx.require(Role::Admin, "change the organization")?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::get(&tx)
        .await?
        .ok_or(ApiError::NotFound("organization"))?;
    let name = match &body.name {
        Some(n) => display_name("name", n, 200).map_err(|e| ApiError::Validation(vec![e]))?,
        None => before.name.clone(),
    };
    let after = store::rename(&tx, &name, expected)
        .await?
        .ok_or(ApiError::PreconditionFailed {
            current_version: before.version,
        })?;
    audit::record(
        &tx,
        &ctx.meta,
        Change {
            actor: Some(ctx.user_id()),
            action: "organization.updated",
            entity_type: "organization",
            entity_id: Some(after.id.to_string()),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    let version = after.version;
    Ok(Versioned(
        version,
        ApiJson(CurrentOrganization::new(after, ctx.role())),
    ))
}

/// Members of the current organization.
#[utoipa::path(get, path = "/organizations/current/members", tag = "organizations",
    security(("bearer" = [])), params(crate::http::OrgHeader),
    responses((status = 200, body = MemberList), (status = 403, body = Problem)))]
async fn list_members(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> ApiResult<ApiJson<MemberList>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let data = store::members(&tx).await?;
    tx.commit().await?;
    Ok(ApiJson(MemberList { data }))
}

/// Add an existing account to the organization (owner or admin).
///
/// Emailed invitations for people without an account come with the
/// invitations feature; this adds someone who already signed up.
#[utoipa::path(post, path = "/organizations/current/members", tag = "organizations",
    security(("bearer" = [])), params(crate::http::OrgHeader), request_body = AddMember,
    responses((status = 201, body = Member), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_member(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<AddMember>,
) -> ApiResult<(StatusCode, ApiJson<Member>)> {
    ctx.require(Role::Admin, "add members")?;
    if body.role == Role::Owner {
        ctx.require(Role::Owner, "grant the owner role")?;
    }
    let email = Email::parse("email", &body.email).map_err(|e| ApiError::Validation(vec![e]))?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let user = users::find_by_email(&*tx, email.as_str())
        .await?
        .ok_or_else(|| ApiError::field("email", "no account uses this email"))?;
    if store::member(&tx, user.id).await?.is_some() {
        return Err(ApiError::Conflict {
            code: "already_member",
            detail: "this person is already a member".into(),
        });
    }
    store::add_member(&tx, user.id, body.role).await?;
    let member = store::member(&tx, user.id)
        .await?
        .ok_or(ApiError::NotFound("member"))?;
    audit::record(
        &tx,
        &ctx.meta,
        Change {
            actor: Some(ctx.user_id()),
            action: "member.added",
            entity_type: "membership",
            entity_id: Some(user.id.to_string()),
            before: None,
            after: serde_json::to_value(&member).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiJson(member)))
}

/// Change a member's role (owner or admin; only an owner grants or removes `owner`).
#[utoipa::path(patch, path = "/organizations/current/members/{user_id}", tag = "organizations",
    security(("bearer" = [])), params(crate::http::OrgHeader, ("user_id" = Uuid, Path)),
    request_body = PatchMember,
    responses((status = 200, body = Member), (status = 400, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
async fn change_member_role(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(user_id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchMember>,
) -> ApiResult<ApiJson<Member>> {
    ctx.require(Role::Admin, "change roles")?;
    if user_id == ctx.user_id() {
        return Err(ApiError::BadRequest {
            code: "own_role",
            detail: "you cannot change your own role".into(),
            errors: vec![FieldError::new("role", "cannot be changed on yourself")],
        });
    }
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::member(&tx, user_id)
        .await?
        .ok_or(ApiError::NotFound("member"))?;
    let current = Role::parse(&before.role).unwrap_or(Role::Viewer);
    if current == Role::Owner || body.role == Role::Owner {
        ctx.require(Role::Owner, "grant or take away the owner role")?;
    }
    if current == Role::Owner && body.role != Role::Owner && store::owner_count(&tx).await? <= 1 {
        return Err(last_owner());
    }
    store::set_role(&tx, user_id, body.role).await?;
    let after = store::member(&tx, user_id)
        .await?
        .ok_or(ApiError::NotFound("member"))?;
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
    Ok(ApiJson(after))
}

/// Remove a member, or leave when `user_id` is the caller. The last owner can do neither.
#[utoipa::path(delete, path = "/organizations/current/members/{user_id}", tag = "organizations",
    security(("bearer" = [])), params(crate::http::OrgHeader, ("user_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
async fn remove_member(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(user_id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    let leaving = user_id == ctx.user_id();
    if !leaving {
        ctx.require(Role::Admin, "remove members")?;
    }
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::member(&tx, user_id)
        .await?
        .ok_or(ApiError::NotFound("member"))?;
    if before.role == Role::Owner.as_str() {
        if !leaving {
            ctx.require(Role::Owner, "remove an owner")?;
        }
        if store::owner_count(&tx).await? <= 1 {
            return Err(last_owner());
        }
    }
    store::remove_member(&tx, user_id).await?;
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

fn last_owner() -> ApiError {
    ApiError::Conflict {
        code: "last_owner",
        detail: "an organization must keep at least one owner; make someone else owner first"
            .into(),
    }
}
