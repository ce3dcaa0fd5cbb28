//! Lock-out after repeated failed sign-ins (passwords and second-factor
//! codes), kept in the database so that every node counts the same failures
//! and a restart forgets none.
//!
//! Counted per pair of email (as typed, known account or not) and client
//! address: someone guessing Bob's password from their machine locks
//! themselves out, not Bob from his. Guessing from many addresses is slowed
//! by the per-account rate limit instead. A day without failures starts a
//! pair from a clean slate; each further lock-out lasts twice the last, up to
//! the configured maximum.

use chrono::{DateTime, Duration, Utc};
use sea_orm::DbErr;

use crate::app::SharedState;
use crate::db::{self, Row, Store};
use crate::error::DomainError;

fn forget_after() -> Duration {
    Duration::hours(24)
}

/// Only a hash of the pair is stored: the table keeps no email or address.
fn key(email: &str, ip: &str) -> String {
    crate::api_keys::hash(&format!("{}\n{ip}", email.trim().to_lowercase()))
}

#[derive(Row)]
struct Locked {
    locked_until: Option<DateTime<Utc>>,
}

#[derive(Row)]
struct Counted {
    failures: i32,
    lockouts: i32,
}

/// 429 `account_locked` while `email` is locked out for `ip`.
pub async fn check(app: &SharedState, email: &str, ip: &str) -> Result<(), DomainError> {
    let row: Option<Locked> = db::fetch_one(
        app.store.connection(),
        "SELECT locked_until FROM login_failures WHERE key_hash = $1",
        vec![key(email, ip).into()],
    )
    .await?;
    let now = db::now();
    match row.and_then(|r| r.locked_until).filter(|u| *u > now) {
        Some(until) => Err(DomainError::AccountLocked {
            retry_after_secs: u64::try_from((until - now).num_seconds()).unwrap_or(0) + 1,
        }),
        None => Ok(()),
    }
}

/// Counts a failed password or code for `email` from `ip`, locking the pair
/// out once the threshold is reached.
pub async fn fail(app: &SharedState, email: &str, ip: &str) -> Result<(), DomainError> {
    let config = &app.config;
    let key = key(email, ip);
    let now = db::now();
    // One statement, so failures racing on several nodes are all counted.
    let counted: Option<Counted> = db::fetch_one(
        app.store.connection(),
        "INSERT INTO login_failures (key_hash, failures, lockouts, locked_until, last_failed_at) \
         VALUES ($1, 1, 0, NULL, $2) \
         ON CONFLICT (key_hash) DO UPDATE SET \
         failures = CASE WHEN login_failures.last_failed_at < $3 THEN 1 \
                    ELSE login_failures.failures + 1 END, \
         lockouts = CASE WHEN login_failures.last_failed_at < $3 THEN 0 \
                    ELSE login_failures.lockouts END, \
         last_failed_at = $2 \
         RETURNING failures, lockouts",
        vec![
            key.clone().into(),
            now.into(),
            (now - forget_after()).into(),
        ],
    )
    .await?;
    let Some(counted) = counted else {
        return Ok(());
    };
    let threshold = config.login_lockout_threshold.max(1);
    if u32::try_from(counted.failures).unwrap_or(0) < threshold {
        return Ok(());
    }
    let base =
        Duration::seconds(i64::try_from(config.login_lockout_base_secs.max(1)).unwrap_or(60));
    let max =
        Duration::seconds(i64::try_from(config.login_lockout_max_secs.max(1)).unwrap_or(3600));
    let factor = 2i32.saturating_pow(u32::try_from(counted.lockouts).unwrap_or(0).min(20));
    let wait = (base * factor).min(max);
    // Of two failures crossing the threshold at once, one locks.
    db::exec(
        app.store.connection(),
        "UPDATE login_failures SET failures = 0, lockouts = lockouts + 1, locked_until = $2 \
         WHERE key_hash = $1 AND failures >= $3",
        vec![
            key.into(),
            (now + wait).into(),
            i32::try_from(threshold).unwrap_or(i32::MAX).into(),
        ],
    )
    .await?;
    Ok(())
}

/// A successful sign-in forgets the pair's failures and back-off.
pub async fn forget(app: &SharedState, email: &str, ip: &str) -> Result<(), DomainError> {
    db::exec(
        app.store.connection(),
        "DELETE FROM login_failures WHERE key_hash = $1",
        vec![key(email, ip).into()],
    )
    .await?;
    Ok(())
}

/// Drops pairs that have been quiet for a day and are not locked.
pub async fn purge(store: &Store) -> Result<u64, DbErr> {
    let now = db::now();
    db::exec(
        store.connection(),
        "DELETE FROM login_failures WHERE last_failed_at < $1 \
         AND (locked_until IS NULL OR locked_until < $2)",
        vec![(now - forget_after()).into(), now.into()],
    )
    .await
}
