//! The caller's own sessions and password.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::events::account_event;
use super::password;
use super::sessions::{self, Agent};
use crate::app::SharedState;
use crate::db::{self, GlobalTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::AuthUser;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::users::fields::Password;
use crate::users::store as users;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(revoke_other_sessions))
        .routes(routes!(change_password))
}

/// One signed-in device.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    /// `Desktop`, `Mobile`, `Bot`… from the user agent.
    pub device: String,
    pub browser: String,
    pub os: String,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// When it ends if unused: the earlier of idle and absolute expiry.
    pub expires_at: DateTime<Utc>,
    /// The session of this request.
    pub current: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    pub revoked: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    /// At least 10 characters, not the email.
    pub new_password: String,
}

/// The caller's live sessions, most recently used first.
#[utoipa::path(get, path = "/auth/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Vec<SessionView>), (status = 401, body = Problem)))]
async fn list_sessions(
    State(app): State<SharedState>,
    user: AuthUser,
) -> DomainResult<ApiJson<Vec<SessionView>>> {
    let idle = app.config.session_idle();
    let live = sessions::list_live(app.store.connection(), user.user_id, idle).await?;
    Ok(ApiJson(
        live.into_iter()
            .map(|s| {
                let agent = Agent::parse(s.user_agent.as_deref());
                SessionView {
                    id: s.id,
                    device: agent.device,
                    browser: agent.browser,
                    os: agent.os,
                    ip: s.ip,
                    created_at: s.created_at,
                    last_seen_at: s.last_seen_at,
                    expires_at: s.expires_at.min(s.last_seen_at + idle),
                    current: s.id == user.session_id,
                }
            })
            .collect(),
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
    let idle = app.config.session_idle();
    // Another user's session is indistinguishable from no session.
    if !sessions::revoke_own(app.store.connection(), user.user_id, id, idle).await? {
        return Err(DomainError::NotFound("session"));
    }
    let detail = serde_json::json!({ "session_id": id });
    account_event(
        &app,
        &user.meta,
        user.user_id,
        "session_revoked",
        Some(detail),
    )
    .await;
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
    let revoked = sessions::revoke_all_but(
        app.store.connection(),
        user.user_id,
        Some(user.session_id),
        "revoked_by_user",
    )
    .await?;
    let detail = serde_json::json!({ "revoked": revoked });
    account_event(
        &app,
        &user.meta,
        user.user_id,
        "sessions_revoked",
        Some(detail),
    )
    .await;
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
    let found = users::find(app.store.connection(), user.user_id)
        .await?
        .ok_or_else(|| DomainError::Unauthorized("the account is disabled".into()))?;
    crate::auth::lockout::check(&app, &found.email, user.meta.rate_key()).await?;
    let new = Password::parse("new_password", &body.new_password, Some(&found.email))
        .map_err(|e| DomainError::Validation(vec![e]))?;
    if !password::verify(body.current_password, Some(found.password_hash)).await {
        crate::auth::lockout::fail(&app, &found.email, user.meta.rate_key()).await?;
        return Err(DomainError::field("current_password", "is not correct"));
    }
    let hash = password::hash(new.into_inner()).await?;
    let tx = GlobalTx::begin(&app.store, Some(user.user_id), TxMode::Write).await?;
    db::exec(
        &*tx,
        "UPDATE users SET password_hash = $2, updated_at = $3, version = version + 1 WHERE id = $1",
        vec![user.user_id.into(), hash.into(), db::now().into()],
    )
    .await?;
    let revoked = sessions::revoke_all_but(
        &*tx,
        user.user_id,
        Some(user.session_id),
        "password_changed",
    )
    .await?;
    tx.commit().await?;
    let keys =
        crate::api_keys::revoke_all_of(&app, user.user_id, &user.meta, "password_changed").await?;
    let detail = serde_json::json!({ "sessions_revoked": revoked, "api_keys_revoked": keys });
    account_event(
        &app,
        &user.meta,
        user.user_id,
        "password_changed",
        Some(detail),
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}
