//! Sessions and their refresh-token families.
//!
//! A session is one login on one device. Each refresh rotates its token; the
//! used token is kept (marked used) so presenting it again is recognised as
//! theft and ends the whole session. A session ends when revoked, when its
//! absolute lifetime (`expires_at`) passes, or after going unused for the
//! idle period (`last_seen_at` too old).

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::tokens::{hash_refresh_token, new_refresh_token};
use crate::audit::ClientMeta;
use crate::db::{self, DbErr, Row};

pub struct NewSession {
    pub id: Uuid,
    pub refresh_token: String,
}

/// Opens a session that ends at the latest `absolute` after now.
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    meta: &ClientMeta,
    absolute: Duration,
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
            Agent::parse(meta.user_agent.as_deref()).label().into(),
            meta.ip.clone().into(),
            meta.user_agent.clone().into(),
            now.into(),
            (now + absolute).into(),
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
    last_seen_at: DateTime<Utc>,
}

/// Rotates `token`; must run in a write transaction. A session unused for
/// `idle` counts as ended.
pub async fn rotate<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    idle: Duration,
) -> Result<Refresh, DbErr> {
    let row: Option<TokenRow> = db::fetch_one(
        conn,
        "SELECT t.id AS token_id, t.used_at, s.id AS session_id, s.user_id, s.revoked_at, \
         s.expires_at, s.last_seen_at \
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = $1",
        vec![hash_refresh_token(token).into()],
    )
    .await?;
    let Some(row) = row else {
        return Ok(Refresh::Invalid);
    };
    let now = db::now();
    if row.revoked_at.is_some() || row.expires_at <= now || row.last_seen_at <= now - idle {
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
        vec![row.token_id.into(), now.into()],
    )
    .await?;
    if claimed == 0 {
        revoke(conn, row.session_id, "refresh_token_reuse").await?;
        return Ok(reused);
    }
    db::exec(
        conn,
        "UPDATE sessions SET last_seen_at = $2 WHERE id = $1",
        vec![row.session_id.into(), now.into()],
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

/// Revokes `session_id` only if it is a live session of `user_id`; false
/// when there is no such session (another user's, unknown or ended).
pub async fn revoke_own<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    session_id: Uuid,
    idle: Duration,
) -> Result<bool, DbErr> {
    let now = db::now();
    let n = db::exec(
        conn,
        "UPDATE sessions SET revoked_at = $3, revoked_reason = 'revoked_by_user' \
         WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3 \
         AND last_seen_at > $4",
        vec![
            session_id.into(),
            user_id.into(),
            now.into(),
            (now - idle).into(),
        ],
    )
    .await?;
    Ok(n == 1)
}

/// Revokes every session of `user_id` except `keep` (all of them when
/// `None`); returns how many live sessions it ended.
pub async fn revoke_all_but<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    keep: Option<Uuid>,
    reason: &str,
) -> Result<u64, DbErr> {
    let now = db::now();
    db::exec(
        conn,
        "UPDATE sessions SET revoked_at = $3, revoked_reason = $4 \
         WHERE user_id = $1 AND ($2 IS NULL OR id <> $2) AND revoked_at IS NULL AND expires_at > $3",
        vec![user_id.into(), keep.into(), now.into(), reason.into()],
    )
    .await
}

/// A live session as its owner sees it.
#[derive(Debug, Row)]
pub struct LiveSession {
    pub id: Uuid,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The live sessions of `user_id`, most recently used first.
pub async fn list_live<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    idle: Duration,
) -> Result<Vec<LiveSession>, DbErr> {
    let now = db::now();
    db::fetch_all(
        conn,
        "SELECT id, user_agent, ip, created_at, last_seen_at, expires_at FROM sessions \
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3 \
         ORDER BY last_seen_at DESC, id DESC",
        vec![user_id.into(), now.into(), (now - idle).into()],
    )
    .await
}

/// What a user agent says about the device it runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// `Desktop`, `Mobile`, `Bot`… or `Unknown device`.
    pub device: String,
    pub browser: String,
    pub os: String,
}

impl Agent {
    pub fn parse(user_agent: Option<&str>) -> Self {
        let parsed = user_agent.and_then(|ua| woothee::parser::Parser::new().parse(ua));
        let known = |s: &str| {
            (!s.is_empty() && s != woothee::woothee::VALUE_UNKNOWN).then(|| s.to_string())
        };
        let Some(r) = parsed else {
            return Self {
                device: "Unknown device".into(),
                browser: "Unknown browser".into(),
                os: "Unknown OS".into(),
            };
        };
        let device = match r.category {
            "pc" => "Desktop",
            "smartphone" => "Mobile",
            "mobilephone" => "Mobile phone",
            "crawler" => "Bot",
            "appliance" => "Appliance",
            _ => "Unknown device",
        };
        Self {
            device: device.into(),
            browser: known(r.name).unwrap_or_else(|| "Unknown browser".into()),
            os: known(r.os).unwrap_or_else(|| "Unknown OS".into()),
        }
    }

    /// A short human label, e.g. "Firefox on Linux".
    pub fn label(&self) -> String {
        format!("{} on {}", self.browser, self.os)
    }
}

#[cfg(test)]
mod tests {
    use super::Agent;

    #[test]
    fn user_agents_are_parsed() {
        let firefox = Agent::parse(Some(
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        ));
        assert_eq!(firefox.device, "Desktop");
        assert_eq!(firefox.browser, "Firefox");
        assert_eq!(firefox.os, "Linux");
        let iphone = Agent::parse(Some(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        ));
        assert_eq!(iphone.device, "Mobile");
        assert_eq!(iphone.browser, "Safari");
        assert_eq!(iphone.os, "iPhone");
        assert_eq!(Agent::parse(None).device, "Unknown device");
    }
}
