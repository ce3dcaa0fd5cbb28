//! The two-factor columns of `users` and the backup codes.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::crypto::Cipher;
use crate::db::{self, DbErr, Row};
use crate::error::DomainError;

#[derive(Debug, Row)]
pub struct TwoFactorState {
    pub email: String,
    pub password_hash: String,
    /// The confirmed secret, encrypted; `None` while 2FA is off.
    pub totp_secret_enc: Option<String>,
    /// A secret from `setup` that no code confirmed yet.
    pub totp_pending_enc: Option<String>,
    pub totp_enabled_at: Option<DateTime<Utc>>,
}

impl TwoFactorState {
    pub fn enabled(&self) -> bool {
        self.totp_enabled_at.is_some() && self.totp_secret_enc.is_some()
    }
}

pub async fn load<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
) -> Result<Option<TwoFactorState>, DbErr> {
    db::fetch_one(
        conn,
        "SELECT email, password_hash, totp_secret_enc, totp_pending_enc, totp_enabled_at \
         FROM users WHERE id = $1 AND is_active",
        vec![user_id.into()],
    )
    .await
}

pub async fn set_pending<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    sealed: &str,
) -> Result<(), DbErr> {
    db::exec(
        conn,
        "UPDATE users SET totp_pending_enc = $2 WHERE id = $1",
        vec![user_id.into(), sealed.into()],
    )
    .await?;
    Ok(())
}

/// Turns the pending secret into the active one; `step` (the confirming
/// code's time step) may not be used again.
pub async fn enable<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    sealed: &str,
    step: u64,
) -> Result<(), DbErr> {
    db::exec(
        conn,
        "UPDATE users SET totp_secret_enc = $2, totp_pending_enc = NULL, totp_enabled_at = $3, \
         totp_last_step = $4 WHERE id = $1",
        vec![
            user_id.into(),
            sealed.into(),
            db::now().into(),
            step_value(step).into(),
        ],
    )
    .await?;
    Ok(())
}

pub async fn disable<C: ConnectionTrait>(conn: &C, user_id: Uuid) -> Result<(), DbErr> {
    db::exec(
        conn,
        "UPDATE users SET totp_secret_enc = NULL, totp_pending_enc = NULL, totp_enabled_at = NULL, \
         totp_last_step = NULL WHERE id = $1",
        vec![user_id.into()],
    )
    .await?;
    db::exec(
        conn,
        "DELETE FROM backup_codes WHERE user_id = $1",
        vec![user_id.into()],
    )
    .await?;
    Ok(())
}

/// Records `step` as used if no later or equal step was: false means the
/// code (or an older one) was already accepted — a replay (RFC 6238 §5.2).
/// One conditional update, so two concurrent uses cannot both win.
pub async fn claim_step<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    step: u64,
) -> Result<bool, DbErr> {
    let n = db::exec(
        conn,
        "UPDATE users SET totp_last_step = $2 \
         WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        vec![user_id.into(), step_value(step).into()],
    )
    .await?;
    Ok(n == 1)
}

fn step_value(step: u64) -> i64 {
    i64::try_from(step).unwrap_or(i64::MAX)
}

/// How many backup codes a confirmation or regeneration hands out.
pub const BACKUP_CODES: usize = 10;
/// No 0/o, 1/l/i: codes get copied from paper.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Ten fresh codes like `k7m2p-x9qrt` (about 50 random bits each).
pub fn new_backup_codes() -> Vec<String> {
    (0..BACKUP_CODES)
        .map(|_| {
            let chars: String = (0..10)
                .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// A backup code as typed: case, spaces and dashes do not matter.
pub fn normalize_backup_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn backup_hash(cipher: &Cipher, user_id: Uuid, code: &str) -> Result<String, DomainError> {
    cipher
        .keyed_hash(&format!("{user_id}:{}", normalize_backup_code(code)))
        .map_err(DomainError::internal)
}

/// Replaces the user's backup codes with `codes` (kept only as keyed hashes).
pub async fn replace_backup_codes<C: ConnectionTrait>(
    conn: &C,
    cipher: &Cipher,
    user_id: Uuid,
    codes: &[String],
) -> Result<(), DomainError> {
    db::exec(
        conn,
        "DELETE FROM backup_codes WHERE user_id = $1",
        vec![user_id.into()],
    )
    .await?;
    let now = db::now();
    for code in codes {
        db::exec(
            conn,
            "INSERT INTO backup_codes (id, user_id, code_hash, created_at) VALUES ($1, $2, $3, $4)",
            vec![
                Uuid::now_v7().into(),
                user_id.into(),
                backup_hash(cipher, user_id, code)?.into(),
                now.into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Uses up `code` if it is one of the user's unused backup codes.
pub async fn consume_backup_code<C: ConnectionTrait>(
    conn: &C,
    cipher: &Cipher,
    user_id: Uuid,
    code: &str,
) -> Result<bool, DomainError> {
    let n = db::exec(
        conn,
        "UPDATE backup_codes SET used_at = $3 \
         WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        vec![
            user_id.into(),
            backup_hash(cipher, user_id, code)?.into(),
            db::now().into(),
        ],
    )
    .await?;
    Ok(n == 1)
}

#[derive(Row)]
struct Count {
    n: i64,
}

pub async fn backup_codes_remaining<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
) -> Result<i64, DbErr> {
    let row: Option<Count> = db::fetch_one(
        conn,
        "SELECT COUNT(*) AS n FROM backup_codes WHERE user_id = $1 AND used_at IS NULL",
        vec![user_id.into()],
    )
    .await?;
    Ok(row.map_or(0, |c| c.n))
}
