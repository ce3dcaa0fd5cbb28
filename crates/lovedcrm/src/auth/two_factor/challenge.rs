//! Login challenges: what a correct password earns when the account has
//! 2FA. A random token (stored only as its SHA-256), valid 5 minutes, ended
//! by its first success or by its fifth wrong code.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::auth::tokens::hash_refresh_token;
use crate::db::{self, DbErr, Row};

pub const TTL_SECS: u64 = 300;
pub const MAX_ATTEMPTS: i64 = 5;

pub async fn create<C: ConnectionTrait>(conn: &C, user_id: Uuid) -> Result<String, DbErr> {
    let mut raw = [0u8; 32];
    rand::fill(&mut raw);
    let token = format!(
        "lch_{}",
        raw.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let now = db::now();
    db::exec(
        conn,
        "INSERT INTO login_challenges (id, user_id, token_hash, attempts, created_at, expires_at) \
         VALUES ($1, $2, $3, 0, $4, $5)",
        vec![
            Uuid::now_v7().into(),
            user_id.into(),
            hash_refresh_token(&token).into(),
            now.into(),
            (now + chrono::Duration::seconds(TTL_SECS as i64)).into(),
        ],
    )
    .await?;
    Ok(token)
}

/// An open challenge with one attempt taken for the code being checked.
#[derive(Debug, Row)]
pub struct Attempt {
    pub id: Uuid,
    pub user_id: Uuid,
    pub attempts: i64,
}

/// Takes one attempt of the challenge `token` if it is open (not ended,
/// not expired, attempts left). Counting before checking the code keeps
/// concurrent guesses within the limit.
pub async fn take_attempt<C: ConnectionTrait>(
    conn: &C,
    token: &str,
) -> Result<Option<Attempt>, DbErr> {
    db::fetch_one(
        conn,
        "UPDATE login_challenges SET attempts = attempts + 1 \
         WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > $2 AND attempts < $3 \
         RETURNING id, user_id, attempts",
        vec![
            hash_refresh_token(token).into(),
            db::now().into(),
            MAX_ATTEMPTS.into(),
        ],
    )
    .await
}

/// Ends the challenge; false when something else ended it first (so a
/// challenge yields at most one session).
pub async fn end<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<bool, DbErr> {
    let n = db::exec(
        conn,
        "UPDATE login_challenges SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL",
        vec![id.into(), db::now().into()],
    )
    .await?;
    Ok(n == 1)
}
