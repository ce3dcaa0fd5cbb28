//! Email verification and password reset by emailed, single-use tokens.

use chrono::Duration;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::password;
use super::user_tokens::{self, Purpose};
use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::audit::{self, SecurityEvent};
use crate::db::{self, DbErr, GlobalTx, TxMode};
use crate::email::{self, Locale, Template};
use crate::error::{DomainError, FieldError};
use crate::jobs::{self, Job, JobError, NewJob, Registry};
use crate::users::fields::{Email, Password};
use crate::users::store as users;

pub const VERIFY_TTL: Duration = Duration::hours(48);
pub const RESET_TTL: Duration = Duration::hours(1);

/// The job that turns a "forgot password" request into a reset email.
pub const RESET_REQUEST: &str = "auth.password_reset";

/// What a verification email needs besides the user: where links point
/// and the language to write in.
#[derive(Debug, Clone)]
pub struct VerificationMail {
    pub public_url: String,
    pub locale: Locale,
}

/// Issues a verification token and queues its email, in `conn` (the
/// caller's transaction).
pub async fn queue_verification<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    email: &str,
    name: &str,
    mail: &VerificationMail,
) -> Result<(), DbErr> {
    let token = user_tokens::issue(conn, user_id, Purpose::VerifyEmail, email, VERIFY_TTL).await?;
    let link = format!("{}/verify-email?token={token}", mail.public_url);
    let template = Template::VerifyEmail {
        name: name.to_string(),
        link,
    };
    email::queue(conn, email, mail.locale, template).await
}

/// Sends the caller a new verification email (nothing if already verified).
pub async fn request_verification(
    app: &SharedState,
    user_id: Uuid,
    locale: Locale,
) -> Result<(), DomainError> {
    let tx = GlobalTx::begin(&app.store, Some(user_id), TxMode::Write).await?;
    let user = users::find(&*tx, user_id)
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    if user.email_verified_at.is_some() {
        return Ok(());
    }
    app.auth_limits.check_account(&user.email)?;
    let mail = VerificationMail {
        public_url: app.config.public_base().to_string(),
        locale,
    };
    queue_verification(&*tx, user.id, &user.email, &user.name, &mail).await?;
    tx.commit().await?;
    Ok(())
}

fn invalid_token() -> DomainError {
    DomainError::BadRequest {
        code: "invalid_token",
        detail: "the link is invalid, was already used or has expired".into(),
        errors: vec![FieldError::new("token", "is invalid, used or expired")],
    }
}

/// Spends a verification token and marks the address verified.
pub async fn verify_email(
    app: &SharedState,
    token: &str,
    meta: &ClientMeta,
) -> Result<(), DomainError> {
    let tx = GlobalTx::begin(&app.store, None, TxMode::Write).await?;
    let owner = user_tokens::consume(&*tx, token, Purpose::VerifyEmail)
        .await?
        .ok_or_else(invalid_token)?;
    // Only the address the link was sent to is verified by it.
    let now = db::now();
    let verified = db::exec(
        &*tx,
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $3), updated_at = $3, \
         version = version + 1 WHERE id = $1 AND email = $2",
        vec![owner.user_id.into(), owner.email.clone().into(), now.into()],
    )
    .await?;
    if verified == 0 {
        return Err(invalid_token());
    }
    tx.commit().await?;
    audit::security(
        &app.store,
        meta,
        SecurityEvent {
            action: "email_verified",
            user_id: Some(owner.user_id),
            email: Some(&owner.email),
            target_organization_id: None,
            detail: None,
        },
    )
    .await;
    Ok(())
}

#[derive(Debug, Serialize, Deserialize)]
struct ResetRequest {
    email: String,
    locale: Locale,
}

/// Accepts a "forgot password" request for any well-formed address.
///
/// The lookup, token and email happen in a job: the answer and its timing
/// are the same whether or not the account exists (no enumeration).
pub async fn forgot_password(
    app: &SharedState,
    raw_email: &str,
    locale: Locale,
    meta: &ClientMeta,
) -> Result<(), DomainError> {
    let email = Email::parse("email", raw_email).map_err(|e| DomainError::Validation(vec![e]))?;
    let payload = serde_json::to_value(ResetRequest {
        email: email.as_str().to_string(),
        locale,
    })
    .map_err(DomainError::internal)?;
    jobs::enqueue(
        app.store.connection(),
        NewJob {
            max_attempts: 5,
            ..NewJob::new(RESET_REQUEST, payload)
        },
    )
    .await?;
    audit::security(
        &app.store,
        meta,
        SecurityEvent {
            action: "password_reset_requested",
            user_id: None,
            email: Some(email.as_str()),
            target_organization_id: None,
            detail: None,
        },
    )
    .await;
    Ok(())
}

/// The `auth.password_reset` job: issue a token and queue the email if the
/// account exists and is active; otherwise do nothing.
async fn send_reset(app: SharedState, job: Job) -> Result<(), JobError> {
    let request: ResetRequest = serde_json::from_value(job.payload)
        .map_err(|e| JobError::permanent(format!("bad payload: {e}")))?;
    let tx = GlobalTx::begin(&app.store, None, TxMode::Write).await?;
    let Some(user) = users::find_by_email(&*tx, &request.email)
        .await?
        .filter(|u| u.is_active)
    else {
        return Ok(());
    };
    let token = user_tokens::issue(
        &*tx,
        user.id,
        Purpose::PasswordReset,
        &user.email,
        RESET_TTL,
    )
    .await?;
    let link = format!("{}/reset-password?token={token}", app.config.public_base());
    let template = Template::PasswordReset {
        name: user.name.clone(),
        link,
    };
    email::queue(&*tx, &user.email, request.locale, template).await?;
    tx.commit().await?;
    Ok(())
}

pub fn register_jobs(registry: &mut Registry) {
    registry.register(RESET_REQUEST, send_reset);
    registry.register(
        super::events::LOGIN_FAILED,
        super::events::copy_failed_login,
    );
}

/// Sets a new password with a reset token; every session of the user ends
/// and every API key they created is revoked.
pub async fn reset_password(
    app: &SharedState,
    token: &str,
    new_password: &str,
    meta: &ClientMeta,
) -> Result<(), DomainError> {
    let owner = user_tokens::peek(app.store.connection(), token, Purpose::PasswordReset)
        .await?
        .ok_or_else(invalid_token)?;
    let password = Password::parse("new_password", new_password, Some(&owner.email))
        .map_err(|e| DomainError::Validation(vec![e]))?;
    // Hashing is slow: before the write transaction, which must stay short.
    let hash = password::hash(password.into_inner()).await?;

    let tx = GlobalTx::begin(&app.store, Some(owner.user_id), TxMode::Write).await?;
    // Spent here, in the transaction that changes the password: of two
    // requests with one token only one gets past this line.
    let owner = user_tokens::consume(&*tx, token, Purpose::PasswordReset)
        .await?
        .ok_or_else(invalid_token)?;
    let now = db::now();
    // Receiving the link proves the mailbox, so the address counts as verified.
    db::exec(
        &*tx,
        "UPDATE users SET password_hash = $2, email_verified_at = COALESCE(email_verified_at, $3), \
         updated_at = $3, version = version + 1 WHERE id = $1",
        vec![owner.user_id.into(), hash.into(), now.into()],
    )
    .await?;
    let revoked = db::exec(
        &*tx,
        "UPDATE sessions SET revoked_at = $2, revoked_reason = 'password_reset' \
         WHERE user_id = $1 AND revoked_at IS NULL",
        vec![owner.user_id.into(), now.into()],
    )
    .await?;
    user_tokens::spend_all(&*tx, owner.user_id, Purpose::PasswordReset).await?;
    tx.commit().await?;
    let keys = crate::api_keys::revoke_all_of(app, owner.user_id, meta, "password_reset").await?;
    audit::security(
        &app.store,
        meta,
        SecurityEvent {
            action: "password_reset",
            user_id: Some(owner.user_id),
            email: Some(&owner.email),
            target_organization_id: None,
            detail: Some(serde_json::json!({
                "sessions_revoked": revoked,
                "api_keys_revoked": keys,
            })),
        },
    )
    .await;
    Ok(())
}
