//! The email outbox: where mail goes when no SMTP relay is configured
//! (development, a first self-hosted start). `lovedcrm outbox` prints it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::templates::Rendered;
use crate::db::{self, DbErr, Row, Store};

pub async fn insert(store: &Store, job_id: Uuid, to: &str, m: &Rendered) -> Result<(), DbErr> {
    // One row per job even when the job runs twice.
    db::exec(
        store.connection(),
        "INSERT INTO email_outbox (id, job_id, to_address, subject, text_body, html_body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (job_id) DO NOTHING",
        vec![
            Uuid::now_v7().into(),
            job_id.into(),
            to.into(),
            m.subject.clone().into(),
            m.text.clone().into(),
            m.html.clone().into(),
            db::now().into(),
        ],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Row)]
pub struct OutboxMessage {
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub created_at: DateTime<Utc>,
}

impl OutboxMessage {
    /// The http(s) links of the text body, in order.
    pub fn links(&self) -> Vec<&str> {
        self.text_body
            .split_whitespace()
            .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
            .collect()
    }
}

/// The newest `limit` messages, newest first.
pub async fn latest(store: &Store, limit: u32) -> Result<Vec<OutboxMessage>, DbErr> {
    db::fetch_all(
        store.connection(),
        "SELECT to_address, subject, text_body, created_at FROM email_outbox \
         ORDER BY created_at DESC, id DESC LIMIT $1",
        vec![i64::from(limit).into()],
    )
    .await
}

/// Deletes mail kept since before `before`: its links are expired by then,
/// and the outbox is a delivery channel, not an archive.
pub async fn purge(store: &Store, before: DateTime<Utc>) -> Result<u64, DbErr> {
    db::exec(
        store.connection(),
        "DELETE FROM email_outbox WHERE created_at < $1",
        vec![before.into()],
    )
    .await
}
