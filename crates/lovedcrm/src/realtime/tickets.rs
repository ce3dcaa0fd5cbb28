//! Single-use tickets that open a WebSocket (migration m0012).
//!
//! A browser cannot set headers on a WebSocket, and a token in the URL ends
//! up in proxy logs. The web app trades its access token for a ticket over an
//! ordinary authenticated request; the ticket opens one socket within
//! [`TICKET_TTL_SECS`] and is deleted as it is used. Only its hash is stored.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::SharedState;
use crate::auth::tokens::hash_refresh_token;
use crate::db::{self, DbErr, Row};
use crate::error::DomainResult;

/// How long a ticket may wait before it opens its socket.
pub const TICKET_TTL_SECS: i64 = 30;

#[derive(Debug, Serialize, ToSchema)]
pub struct WsTicket {
    /// Pass as `GET /api/v1/ws?ticket=…&org_id=…`; opens one socket.
    pub ticket: String,
    /// Seconds the ticket stays valid.
    pub expires_in: i64,
}

/// A new ticket for `user_id`'s session `session_id`.
pub async fn issue(app: &SharedState, user_id: Uuid, session_id: Uuid) -> DomainResult<WsTicket> {
    let mut raw = [0u8; 32];
    rand::fill(&mut raw);
    let ticket = format!(
        "lcw_{}",
        raw.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let now = db::now();
    let conn = app.store.connection();
    // Unused tickets go as new ones are made: the table stays as small as
    // the last half-minute's connections.
    db::exec(
        conn,
        "DELETE FROM ws_tickets WHERE expires_at < $1",
        vec![now.into()],
    )
    .await?;
    db::exec(
        conn,
        "INSERT INTO ws_tickets (ticket_hash, session_id, user_id, expires_at) VALUES ($1, $2, $3, $4)",
        vec![
            hash_refresh_token(&ticket).into(),
            session_id.into(),
            user_id.into(),
            (now + chrono::Duration::seconds(TICKET_TTL_SECS)).into(),
        ],
    )
    .await?;
    Ok(WsTicket {
        ticket,
        expires_in: TICKET_TTL_SECS,
    })
}

#[derive(Row)]
struct Redeemed {
    user_id: Uuid,
    session_id: Uuid,
}

/// The user and session `ticket` was issued to, if it is unused and
/// unexpired; it is used up either way.
pub async fn redeem(app: &SharedState, ticket: &str) -> Result<Option<(Uuid, Uuid)>, DbErr> {
    let found: Option<Redeemed> = db::fetch_one(
        app.store.connection(),
        "DELETE FROM ws_tickets WHERE ticket_hash = $1 AND expires_at > $2 \
         RETURNING user_id, session_id",
        vec![hash_refresh_token(ticket).into(), db::now().into()],
    )
    .await?;
    Ok(found.map(|r| (r.user_id, r.session_id)))
}
