//! Single-use tickets for the WebSocket.
//!
//! Browsers cannot set headers on a WebSocket, so the access token used to
//! travel in its URL, where proxies log it. The web app now trades its token
//! for a ticket (`POST /api/v1/ws/ticket`) that opens one socket within 30
//! seconds and is then gone. Kept in the database, not in a node's memory, so
//! any node can take the socket; only a hash is stored.

use sea_orm_migration::prelude::*;

use crate::ddl;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_ws_tickets"
    }
}

const SQL: &str = r#"
CREATE TABLE ws_tickets (
    ticket_hash TEXT PRIMARY KEY,
    session_id {uuid} NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at {ts} NOT NULL
);
CREATE INDEX ws_tickets_expiry_idx ON ws_tickets (expires_at)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await
    }
}
