//! Domain events: what happened to which record, and who may learn of it.
//!
//! A mutation records its events with [`record`] inside its own transaction
//! (the `domain_events` table, migration m0013), so an event exists exactly
//! when its write committed: never for a rollback, and not lost when the
//! process dies right after the commit. After committing, the writer calls
//! [`Bus::committed`] to wake this node at once; on PostgreSQL the same
//! transaction sends a `NOTIFY` that wakes every other node when it commits.
//!
//! Each node's [`dispatcher`] reads the new events of the organizations its
//! WebSockets serve and hands them to the realtime hub, which filters them
//! per member (see [`crate::realtime::Event`]). Consumers that must not miss
//! an event (outgoing webhooks, workflows) enqueue a job in the same
//! transaction instead, through the job queue.

mod dispatcher;

use std::sync::Mutex;

use sea_orm::DbBackend;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::db::{self, DbErr, TenantTx};
use crate::realtime::Event;

pub use dispatcher::{dispatcher, sweep};

/// The PostgreSQL channel a committed event is announced on (payload: the
/// organization id).
pub const CHANNEL: &str = "lovedcrm_events";

/// Who may learn of an event, as stored with it.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Audience {
    people: Vec<Uuid>,
    shared_via: Vec<(String, Uuid)>,
    only_user: Option<Uuid>,
}

/// Writes `event` in `tx`, the transaction of the change it describes, by
/// `actor` (none for the system).
pub async fn record(tx: &TenantTx, actor: Option<Uuid>, event: &Event) -> Result<(), DbErr> {
    let audience = Audience {
        people: event.people.clone(),
        shared_via: event.shared_via.clone(),
        only_user: event.only_user,
    };
    let audience = serde_json::to_value(&audience).unwrap_or_default();
    db::exec(
        &**tx,
        "INSERT INTO domain_events (organization_id, id, event_type, entity_type, entity_id, \
         data, audience, actor_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            tx.org_id().into(),
            Uuid::now_v7().into(),
            event.kind.clone().into(),
            event.entity_type.clone().into(),
            event.entity_id.into(),
            event.payload.clone().into(),
            audience.into(),
            actor.into(),
            db::now().into(),
        ],
    )
    .await?;
    if sea_orm::ConnectionTrait::get_database_backend(&**tx) == DbBackend::Postgres {
        // Delivered by PostgreSQL when (and only if) the transaction commits.
        db::exec(
            &**tx,
            "SELECT pg_notify($1, $2)",
            vec![CHANNEL.into(), tx.org_id().to_string().into()],
        )
        .await?;
    }
    Ok(())
}

/// Wakes this node's dispatcher for an organization whose events committed.
pub struct Bus {
    wake: mpsc::UnboundedSender<Uuid>,
    woken: Mutex<Option<mpsc::UnboundedReceiver<Uuid>>>,
}

impl Default for Bus {
    fn default() -> Self {
        let (wake, woken) = mpsc::unbounded_channel();
        Self {
            wake,
            woken: Mutex::new(Some(woken)),
        }
    }
}

impl Bus {
    /// Call after committing a transaction that recorded events of `org_id`.
    pub fn committed(&self, org_id: Uuid) {
        let _ = self.wake.send(org_id);
    }

    /// The wake-ups, for the one dispatcher of this node.
    fn take_wakeups(&self) -> Option<mpsc::UnboundedReceiver<Uuid>> {
        self.woken
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}

impl std::fmt::Debug for Bus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bus")
    }
}
