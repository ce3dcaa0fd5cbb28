//! TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of clock skew —
//! what every authenticator app speaks) and the check of a second factor.

use sea_orm::ConnectionTrait;
use totp_rs::{Builder, Secret, Totp};
use uuid::Uuid;

use super::store;
use crate::crypto::Cipher;
use crate::error::DomainError;

pub const ISSUER: &str = "Loved CRM";

/// A fresh 160-bit secret (RFC 4226 recommends 160 bits).
pub fn new_secret() -> Vec<u8> {
    Secret::generate().as_bytes().to_vec()
}

pub fn base32(secret: &[u8]) -> String {
    Secret::from(secret.to_vec()).to_base32()
}

/// The TOTP of `secret` labelled for `email` in authenticator apps.
pub fn totp(secret: Vec<u8>, email: &str) -> Result<Totp, DomainError> {
    // The otpauth label separates issuer and account with ':'.
    let account = email.replace(':', "_");
    Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(DomainError::internal)
}

/// Associated data binding a user's sealed secret to that user.
pub fn aad(user_id: Uuid) -> String {
    format!("totp:{user_id}")
}

pub fn open_secret(cipher: &Cipher, user_id: Uuid, sealed: &str) -> Result<Vec<u8>, DomainError> {
    cipher
        .decrypt(sealed, &aad(user_id))
        .map_err(DomainError::internal)
}

/// The time step `code` is valid in for `totp` now, if any.
pub fn matching_step(totp: &Totp, code: &str) -> Option<u64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    totp.check(code, now)
}

/// Which second factor a code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    Totp,
    BackupCode,
}

impl Factor {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::BackupCode => "backup_code",
        }
    }
}

/// Checks `code` as a TOTP of the user's active secret (six digits, not
/// used before) or else as one of their unused backup codes, using it up.
/// `None`: wrong, replayed or already used.
pub async fn verify_second_factor<C: ConnectionTrait>(
    conn: &C,
    cipher: &Cipher,
    user_id: Uuid,
    email: &str,
    sealed_secret: &str,
    code: &str,
) -> Result<Option<Factor>, DomainError> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let totp = totp(open_secret(cipher, user_id, sealed_secret)?, email)?;
        let Some(step) = matching_step(&totp, &digits) else {
            return Ok(None);
        };
        let fresh = store::claim_step(conn, user_id, step).await?;
        return Ok(fresh.then_some(Factor::Totp));
    }
    if code.chars().count() > 64 {
        return Ok(None);
    }
    let used = store::consume_backup_code(conn, cipher, user_id, code).await?;
    Ok(used.then_some(Factor::BackupCode))
}
