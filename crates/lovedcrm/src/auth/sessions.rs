//! Sessions and their refresh-token families.
//!
//! A session is one login on one device. Each refresh rotates its token; the
//! used token is kept (marked used) so presenting it again is recognised as
//! theft and ends the whole session.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::tokens::{hash_refresh_token, new_refresh_token};
use crate::db::{self, DbErr, Row};
use crate::http::context::ClientMeta;

pub struct NewSession {
    pub id: Uuid,
    pub refresh_token: String,
}

pub async fn create<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    meta: &ClientMeta,
    ttl: Duration,
) -> Result<NewSession, DbErr> {
    let id = Uuid::now_v7();
    let now = db::now();
    db::exec(
        conn,
        "INSERT INTO sessions (id, user_id, device, ip, user_agent, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
        vec![
            id.into(),
            user_id.into(),
            device_label(meta.user_agent.as_deref()).into(),
            meta.ip.clone().into(),
            meta.user_agent.clone().into(),
            now.into(),
            (now + ttl).into(),
        ],
    )
    .await?;
    let refresh_token = add_refresh_token(conn, id).await?;
    Ok(NewSession { id, refresh_token })
}

async fn add_refresh_token<C: ConnectionTrait>(
    conn: &C,
    session_id: Uuid,
) -> Result<String, DbErr> {
    let token = new_refresh_token();
    db::exec(
        conn,
        "INSERT INTO refresh_tokens (id, session_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        vec![
            Uuid::now_v7().into(),
            session_id.into(),
            hash_refresh_token(&token).into(),
            db::now().into(),
        ],
    )
    .await?;
    Ok(token)
}

/// What presenting a refresh token led to.
pub enum Refresh {
    Rotated {
        user_id: Uuid,
        session_id: Uuid,
        refresh_token: String,
    },
    /// An already used token: the session was revoked.
    Reused {
        user_id: Uuid,
        session_id: Uuid,
    },
    Invalid,
}

#[derive(Row)]
struct TokenRow {
    token_id: Uuid,
    used_at: Option<DateTime<Utc>>,
    session_id: Uuid,
    user_id: Uuid,
    revoked_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
}

/// Rotates `token`; must run in a write transaction.
pub async fn rotate<C: ConnectionTrait>(conn: &C, token: &str) -> Result<Refresh, DbErr> {
    let row: Option<TokenRow> = db::fetch_one(
        conn,
        "SELECT t.id AS token_id, t.used_at, s.id AS session_id, s.user_id, s.revoked_at, s.expires_at \
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = $1",
        vec![hash_refresh_token(token).into()],
    )
    .await?;
    let Some(row) = row else {
        return Ok(Refresh::Invalid);
    };
    if row.revoked_at.is_some() || row.expires_at <= db::now() {
        return Ok(Refresh::Invalid);
    }
    let reused = Refresh::Reused {
        user_id: row.user_id,
        session_id: row.session_id,
    };
    if row.used_at.is_some() {
        revoke(conn, row.session_id, "refresh_token_reuse").await?;
        return Ok(reused);
    }
    // The `used_at IS NULL` guard makes two concurrent refreshes with the
    // same token count as reuse instead of minting two live tokens.
    let claimed = db::exec(
        conn,
        "UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL",
        vec![row.token_id.into(), db::now().into()],
    )
    .await?;
    if claimed == 0 {
        revoke(conn, row.session_id, "refresh_token_reuse").await?;
        return Ok(reused);
    }
    db::exec(
        conn,
        "UPDATE sessions SET last_seen_at = $2 WHERE id = $1",
        vec![row.session_id.into(), db::now().into()],
    )
    .await?;
    let refresh_token = add_refresh_token(conn, row.session_id).await?;
    Ok(Refresh::Rotated {
        user_id: row.user_id,
        session_id: row.session_id,
        refresh_token,
    })
}

pub async fn revoke<C: ConnectionTrait>(
    conn: &C,
    session_id: Uuid,
    reason: &str,
) -> Result<(), DbErr> {
    db::exec(
        conn,
        "UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL",
        vec![session_id.into(), db::now().into(), reason.into()],
    )
    .await?;
    Ok(())
}

/// A short human label for the device, e.g. "Firefox on Linux".
fn device_label(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent else {
        return "Unknown device".into();
    };
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map_or("Unknown browser", |(_, name)| name);
    let os = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match os {
        Some(os) => format!("{browser} on {os}"),
        None => browser.to_string(),
    }
}
