//! `/auth/sessions` and `/auth/password/change`: the caller's own sessions
//! and password.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::app::SharedState;
use crate::auth::account::{self, ChangePassword, SessionView};
use crate::error::DomainResult;
use crate::http::context::AuthUser;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(revoke_other_sessions))
        .routes(routes!(change_password))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    pub revoked: u64,
}

/// The caller's live sessions, most recently used first.
#[utoipa::path(get, path = "/auth/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Vec<SessionView>), (status = 401, body = Problem)))]
async fn list_sessions(
    State(app): State<SharedState>,
    user: AuthUser,
) -> DomainResult<ApiJson<Vec<SessionView>>> {
    Ok(ApiJson(
        account::list_sessions(&app, user.user_id, user.session_id).await?,
    ))
}

/// End one of the caller's sessions; its tokens stop working at once.
#[utoipa::path(delete, path = "/auth/sessions/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "A session id from GET /auth/sessions")),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn revoke_session(
    State(app): State<SharedState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    account::revoke_session(&app, user.user_id, &user.meta, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End every session of the caller but this one.
#[utoipa::path(post, path = "/auth/sessions/revoke-others", tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, body = Revoked), (status = 401, body = Problem)))]
async fn revoke_other_sessions(
    State(app): State<SharedState>,
    user: AuthUser,
) -> DomainResult<ApiJson<Revoked>> {
    let revoked =
        account::revoke_other_sessions(&app, user.user_id, user.session_id, &user.meta).await?;
    Ok(ApiJson(Revoked { revoked }))
}

/// Change the password; every other session of the caller ends, and every
/// API key they created is revoked.
#[utoipa::path(post, path = "/auth/password/change", tag = "auth", security(("bearer" = [])),
    request_body = ChangePassword,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem)))]
async fn change_password(
    State(app): State<SharedState>,
    user: AuthUser,
    ApiJson(body): ApiJson<ChangePassword>,
) -> DomainResult<StatusCode> {
    account::change_password(&app, user.user_id, user.session_id, &user.meta, body).await?;
    Ok(StatusCode::NO_CONTENT)
}
