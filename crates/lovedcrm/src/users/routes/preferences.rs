//! `/users/me/preferences`: the caller's preferences in one organization.

use axum::extract::State;
use axum::http::HeaderMap;

use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::users::preferences::{self, PatchPreferences, Preferences};

/// The caller's preferences in this organization.
#[utoipa::path(get, path = "/users/me/preferences", tag = "users",
    security(("bearer" = [])), params(OrgHeader),
    responses((status = 200, body = Preferences), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn get_preferences(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<Versioned<Preferences>> {
    let prefs = preferences::read(&app, &ctx).await?;
    Ok(Versioned(prefs.version, ApiJson(prefs)))
}

/// Change some of the caller's preferences in this organization. Honors `If-Match`.
#[utoipa::path(patch, path = "/users/me/preferences", tag = "users",
    security(("bearer" = [])), params(OrgHeader, IfMatchHeader), request_body = PatchPreferences,
    responses((status = 200, body = Preferences), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn patch_preferences(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PatchPreferences>,
) -> DomainResult<Versioned<Preferences>> {
    let expected = if_match(&headers)?;
    let prefs = preferences::update(&app, &ctx, expected, body).await?;
    Ok(Versioned(prefs.version, ApiJson(prefs)))
}
