//! The caller's own sessions and password.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::events::account_event;
use super::password;
use super::sessions::{self, Agent};
use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::db::{self, GlobalTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::users::fields::Password;
use crate::users::store as users;

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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    /// At least 10 characters, not the email.
    pub new_password: String,
}

/// `user_id`'s live sessions, most recently used first; `current` marks
/// `session_id`.
pub async fn list_sessions(
    app: &SharedState,
    user_id: Uuid,
    session_id: Uuid,
) -> DomainResult<Vec<SessionView>> {
    let idle = app.config.session_idle();
    let live = sessions::list_live(app.store.connection(), user_id, idle).await?;
    Ok(live
        .into_iter()
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
                current: s.id == session_id,
            }
        })
        .collect())
}

/// Ends the session `id` of `user_id`.
pub async fn revoke_session(
    app: &SharedState,
    user_id: Uuid,
    meta: &ClientMeta,
    id: Uuid,
) -> DomainResult<()> {
    let idle = app.config.session_idle();
    // Another user's session is indistinguishable from no session.
    if !sessions::revoke_own(app.store.connection(), user_id, id, idle).await? {
        return Err(DomainError::NotFound("session"));
    }
    let detail = serde_json::json!({ "session_id": id });
    account_event(app, meta, user_id, "session_revoked", Some(detail)).await;
    Ok(())
}

/// Ends every session of `user_id` but `session_id`; how many ended.
pub async fn revoke_other_sessions(
    app: &SharedState,
    user_id: Uuid,
    session_id: Uuid,
    meta: &ClientMeta,
) -> DomainResult<u64> {
    let revoked = sessions::revoke_all_but(
        app.store.connection(),
        user_id,
        Some(session_id),
        "revoked_by_user",
    )
    .await?;
    let detail = serde_json::json!({ "revoked": revoked });
    account_event(app, meta, user_id, "sessions_revoked", Some(detail)).await;
    Ok(revoked)
}

/// Changes `user_id`'s password; their sessions but `session_id` end and
/// the API keys they created are revoked, since whoever had the old
/// password may have made either.
pub async fn change_password(
    app: &SharedState,
    user_id: Uuid,
    session_id: Uuid,
    meta: &ClientMeta,
    body: ChangePassword,
) -> DomainResult<()> {
    let found = users::find(app.store.connection(), user_id)
        .await?
        .ok_or_else(|| DomainError::Unauthorized("the account is disabled".into()))?;
    crate::auth::lockout::check(app, &found.email, meta.rate_key()).await?;
    let new = Password::parse("new_password", &body.new_password, Some(&found.email))
        .map_err(|e| DomainError::Validation(vec![e]))?;
    if !password::verify(body.current_password, Some(found.password_hash)).await {
        crate::auth::lockout::fail(app, &found.email, meta.rate_key()).await?;
        return Err(DomainError::field("current_password", "is not correct"));
    }
    let hash = password::hash(new.into_inner()).await?;
    let tx = GlobalTx::begin(&app.store, Some(user_id), TxMode::Write).await?;
    db::exec(
        &*tx,
        "UPDATE users SET password_hash = $2, updated_at = $3, version = version + 1 WHERE id = $1",
        vec![user_id.into(), hash.into(), db::now().into()],
    )
    .await?;
    let revoked =
        sessions::revoke_all_but(&*tx, user_id, Some(session_id), "password_changed").await?;
    tx.commit().await?;
    let keys = crate::api_keys::revoke_all_of(app, user_id, meta, "password_changed").await?;
    let detail = serde_json::json!({ "sessions_revoked": revoked, "api_keys_revoked": keys });
    account_event(app, meta, user_id, "password_changed", Some(detail)).await;
    Ok(())
}
