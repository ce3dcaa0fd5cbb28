//! The HTTP adapter of organizations: the organizations of the caller, the
//! current one, its members, permission matrix and ownership.

mod members;
mod ownership;
mod permissions;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::Role;
use super::store::{self, MyOrganization, Organization};
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::{TenantTx, TxMode};
use crate::email::Locale;
use crate::error::{DomainError, DomainResult};
use crate::http::context::{AuthUser, OrgContext};
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::{Versioned, if_match};
use crate::records::idempotency::Idempotency;
use crate::users::fields::display_name;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_mine, create))
        .routes(routes!(get_current, patch_current))
        .routes(routes!(members::list_members, members::add_member))
        .routes(routes!(members::change_member_role, members::remove_member))
        .routes(routes!(
            permissions::get_permissions,
            permissions::put_permissions
        ))
        .routes(routes!(ownership::transfer_ownership))
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
    /// Members without two-factor authentication get 403 `two_factor_required`.
    pub require_two_factor: bool,
    /// ISO 4217: new leads' currency and the dashboard's fallback.
    pub default_currency: String,
    /// A `data:` URL of the organization's logo (its badge in the app).
    pub logo: Option<String>,
    /// `#rrggbb`.
    pub brand_color: Option<String>,
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
            require_two_factor: org.require_two_factor,
            default_currency: org.default_currency,
            logo: org.logo,
            brand_color: org.brand_color,
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
    /// Require two-factor authentication of every member; only a caller
    /// who has it on may turn this on.
    pub require_two_factor: Option<bool>,
    /// ISO 4217 code, e.g. `BRL`.
    pub default_currency: Option<String>,
    /// A `data:` URL of a PNG, JPEG, WebP or SVG image (at most 256 KB); `null` removes it.
    #[serde(default, deserialize_with = "crate::records::patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub logo: Option<Option<String>>,
    /// `#rrggbb`; `null` removes it.
    #[serde(default, deserialize_with = "crate::records::patch::nullable")]
    #[schema(value_type = Option<String>)]
    pub brand_color: Option<Option<String>>,
}

/// The organizations the caller belongs to.
#[utoipa::path(get, path = "/organizations", tag = "organizations", security(("bearer" = [])),
    responses((status = 200, body = OrganizationList), (status = 401, body = Problem)))]
async fn list_mine(
    State(app): State<SharedState>,
    user: AuthUser,
) -> DomainResult<ApiJson<OrganizationList>> {
    let tx = crate::db::GlobalTx::begin(&app.store, Some(user.user_id), TxMode::Read).await?;
    let data = store::list_mine(&tx, user.user_id).await?;
    tx.commit().await?;
    Ok(ApiJson(OrganizationList { data }))
}

/// Create an organization owned by the caller. Honors `Idempotency-Key`:
/// the same key from the same user within 24 h answers with the first
/// response instead of creating another organization.
#[utoipa::path(post, path = "/organizations", tag = "organizations", security(("bearer" = [])),
    params(crate::http::IdempotencyKeyHeader), request_body = CreateOrganization,
    responses((status = 201, body = MyOrganization), (status = 409, body = Problem),
              (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    user: AuthUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateOrganization>,
) -> DomainResult<Response> {
    // In B2C each user works in the personal organization made at sign-up.
    super::teams_enabled(&app)?;
    let idempotency = Idempotency::from_headers(&headers, user.user_id, &body)?;
    let name =
        display_name("name", &body.name, 200).map_err(|e| DomainError::Validation(vec![e]))?;
    let org_id = Uuid::now_v7();
    let tx = TenantTx::begin(&app.store, org_id, Some(user.user_id), TxMode::Write).await?;
    if let Some(replay) = idempotency.replay_any_organization(&tx).await? {
        return Ok(replay);
    }
    let org = store::create(&tx, &name, user.user_id, Locale::of_request(&headers)).await?;
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
    let out = MyOrganization {
        id: org.id,
        name: org.name,
        role: Role::Owner.as_str().into(),
    };
    idempotency.remember(&tx, StatusCode::CREATED, &out).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiJson(out)).into_response())
}

/// The organization named by `X-Org-Id`.
#[utoipa::path(get, path = "/organizations/current", tag = "organizations",
    security(("bearer" = [])), params(crate::http::OrgHeader),
    responses((status = 200, body = CurrentOrganization), (status = 403, body = Problem)))]
async fn get_current(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<Versioned<CurrentOrganization>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let org = store::get(&tx)
        .await?
        .ok_or(DomainError::NotFound("organization"))?;
    tx.commit().await?;
    let version = org.version;
    Ok(Versioned(
        version,
        ApiJson(CurrentOrganization::new(org, ctx.role())),
    ))
}

/// Change the organization's name, its currency, logo and colour, or require
/// 2FA of its members (owner or admin). Honors `If-Match`.
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
) -> DomainResult<Versioned<CurrentOrganization>> {
    ctx.require(Role::Admin, "change the organization")?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::get(&tx)
        .await?
        .ok_or(DomainError::NotFound("organization"))?;
    let mut org = before.clone();
    let mut problems = crate::records::fields::Problems::default();
    if let Some(n) = &body.name
        && let Some(name) = problems.take(display_name("name", n, 200))
    {
        org.name = name;
    }
    if let Some(c) = &body.default_currency
        && let Some(code) = problems.take(super::workspace::currency("default_currency", c))
    {
        org.default_currency = code;
    }
    match &body.logo {
        Some(Some(l)) => org.logo = problems.take(super::workspace::logo("logo", l)),
        Some(None) => org.logo = None,
        None => {}
    }
    match &body.brand_color {
        Some(Some(c)) => org.brand_color = problems.take(super::workspace::color("brand_color", c)),
        Some(None) => org.brand_color = None,
        None => {}
    }
    problems.finish()?;
    let require_two_factor = body.require_two_factor.unwrap_or(before.require_two_factor);
    org.require_two_factor = require_two_factor;
    if require_two_factor && !before.require_two_factor {
        let own = crate::auth::two_factor::store::load(&*tx, ctx.user_id()).await?;
        if !own.is_some_and(|s| s.enabled()) {
            return Err(DomainError::field(
                "require_two_factor",
                "turn on two-factor authentication for your own account first",
            ));
        }
    }
    let after =
        store::update(&tx, &org, expected)
            .await?
            .ok_or(DomainError::PreconditionFailed {
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
