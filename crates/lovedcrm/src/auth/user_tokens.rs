//! Single-use emailed tokens (email verification, password reset).
//!
//! Only the SHA-256 of a token is stored, so a read of the database does
//! not hand out working links; a token is spent by one `UPDATE … WHERE
//! used_at IS NULL`, so two requests racing with the same token cannot
//! both succeed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::tokens::hash_refresh_token as hash;
use crate::db::{self, DbErr, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    PasswordReset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::PasswordReset => "password_reset",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Self::VerifyEmail => "lcv_",
            Self::PasswordReset => "lcp_",
        }
    }
}

/// Whose token it is, and the address it was mailed to.
#[derive(Debug, Clone, Row)]
pub struct Owner {
    pub user_id: Uuid,
    pub email: String,
}

/// Creates a token for `user_id`, valid for `ttl`; returns it in clear
/// (for the email link) exactly once.
pub async fn issue<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    purpose: Purpose,
    email: &str,
    ttl: Duration,
) -> Result<String, DbErr> {
    let mut raw = [0u8; 32];
    rand::fill(&mut raw);
    let token = format!("{}{}", purpose.prefix(), URL_SAFE_NO_PAD.encode(raw));
    let now = db::now();
    db::exec(
        conn,
        "INSERT INTO user_tokens (id, user_id, purpose, token_hash, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            Uuid::now_v7().into(),
            user_id.into(),
            purpose.as_str().into(),
            hash(&token).into(),
            email.into(),
            now.into(),
            (now + ttl).into(),
        ],
    )
    .await?;
    Ok(token)
}

/// The owner of a live (unused, unexpired) token, without spending it.
pub async fn peek<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    purpose: Purpose,
) -> Result<Option<Owner>, DbErr> {
    db::fetch_one(
        conn,
        "SELECT user_id, email FROM user_tokens \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        vec![
            hash(token).into(),
            purpose.as_str().into(),
            db::now().into(),
        ],
    )
    .await
}

/// Spends a live token; `None` if it is unknown, used or expired.
pub async fn consume<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    purpose: Purpose,
) -> Result<Option<Owner>, DbErr> {
    let now = db::now();
    db::fetch_one(
        conn,
        "UPDATE user_tokens SET used_at = $3 \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
         RETURNING user_id, email",
        vec![hash(token).into(), purpose.as_str().into(), now.into()],
    )
    .await
}

/// Spends every other live token of `user_id` for `purpose` (after a
/// reset, older reset links must stop working too).
pub async fn spend_all<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    purpose: Purpose,
) -> Result<u64, DbErr> {
    db::exec(
        conn,
        "UPDATE user_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
        vec![user_id.into(), purpose.as_str().into(), db::now().into()],
    )
    .await
}
