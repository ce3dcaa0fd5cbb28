//! `GET` and `PATCH /users/me`: the signed-in user's own profile.

use axum::extract::State;
use axum::http::HeaderMap;

use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::context::AuthUser;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::{IfMatchHeader, Versioned, if_match};
use crate::users::profile::{self, Me, PatchMe};

/// The signed-in user.
#[utoipa::path(get, path = "/users/me", tag = "users",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub(super) async fn me(
    State(app): State<SharedState>,
    user: AuthUser,
) -> DomainResult<ApiJson<Me>> {
    Ok(ApiJson(profile::me(&app, user.user_id).await?))
}

/// Change the signed-in user's name. Honors `If-Match`.
#[utoipa::path(patch, path = "/users/me", tag = "users",
    security(("bearer" = [])), params(IfMatchHeader), request_body = PatchMe,
    responses((status = 200, body = Me), (status = 401, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn patch_me(
    State(app): State<SharedState>,
    user: AuthUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PatchMe>,
) -> DomainResult<Versioned<Me>> {
    let expected = if_match(&headers)?;
    let me = profile::patch_me(&app, user.user_id, &user.meta, expected, body).await?;
    Ok(Versioned(me.version, ApiJson(me)))
}
