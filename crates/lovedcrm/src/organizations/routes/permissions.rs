//! `/organizations/current/permissions`: the permission matrix.

use axum::extract::State;
use axum::http::HeaderMap;

use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::organizations::permissions::{self, PermissionMatrix, PermissionMatrixOut};

/// The organization's permission matrix.
#[utoipa::path(get, path = "/organizations/current/permissions", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader),
    responses((status = 200, body = PermissionMatrixOut), (status = 403, body = Problem)))]
pub async fn get_permissions(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<Versioned<PermissionMatrixOut>> {
    let out = permissions::matrix(&app, &ctx).await?;
    Ok(Versioned(out.version, ApiJson(out)))
}

/// Replace the permission matrix (owner or admin). Every role must be given;
/// the owner keeps every permission. Honors `If-Match` (the organization's version).
#[utoipa::path(put, path = "/organizations/current/permissions", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader, IfMatchHeader), request_body = PermissionMatrix,
    responses((status = 200, body = PermissionMatrixOut), (status = 403, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn put_permissions(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PermissionMatrix>,
) -> DomainResult<Versioned<PermissionMatrixOut>> {
    let out = permissions::replace(&app, &ctx, body, if_match(&headers)).await?;
    Ok(Versioned(out.version, ApiJson(out)))
}
