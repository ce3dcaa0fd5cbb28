//! One per node: reads the committed events of the organizations whose
//! members are connected here and publishes them to the realtime hub.
//!
//! A wake-up comes from this node's own commits ([`super::Bus`]), from
//! PostgreSQL's `NOTIFY` for another node's, and every second regardless
//! (a notification lost while the listening connection was down costs at
//! most that). Event ids come from the clock of the node that wrote them
//! and a transaction may commit a little after it wrote, so each read looks
//! back [`LOOK_BACK`] before the newest event seen and skips the ids already
//! published: an event that commits late is still delivered, once.

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value as Json;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::{Audience, CHANNEL};
use crate::app::SharedState;
use crate::db::{self, DbErr, Row, TenantTx, TxMode};
use crate::realtime::Event;

/// How long after it was written an event may still commit and be delivered.
const LOOK_BACK: chrono::Duration = chrono::Duration::seconds(10);
/// How often organizations with connections are read without a wake-up.
const POLL: Duration = Duration::from_secs(1);
/// Events read per organization per round.
const BATCH: i64 = 500;
/// Events are kept this long (for late readers and debugging), then swept.
const KEEP: chrono::Duration = chrono::Duration::days(1);

/// What one organization's readers have been sent.
struct Cursor {
    /// Events written before the first connection are not delivered.
    floor: DateTime<Utc>,
    newest: DateTime<Utc>,
    sent: HashSet<Uuid>,
    sent_order: VecDeque<(DateTime<Utc>, Uuid)>,
}

impl Cursor {
    fn new(floor: DateTime<Utc>) -> Self {
        Self {
            floor,
            newest: floor,
            sent: HashSet::new(),
            sent_order: VecDeque::new(),
        }
    }

    fn since(&self) -> DateTime<Utc> {
        (self.newest - LOOK_BACK).max(self.floor)
    }

    fn mark(&mut self, at: DateTime<Utc>, id: Uuid) {
        self.sent.insert(id);
        self.sent_order.push_back((at, id));
        self.newest = self.newest.max(at);
        while let Some(&(at, id)) = self.sent_order.front() {
            if at >= self.since() {
                break;
            }
            self.sent_order.pop_front();
            self.sent.remove(&id);
        }
    }
}

#[derive(Row)]
struct Stored {
    id: Uuid,
    event_type: String,
    entity_type: String,
    entity_id: Uuid,
    data: Json,
    audience: Json,
    created_at: DateTime<Utc>,
}

/// Runs until `shutdown` completes.
pub async fn dispatcher(state: SharedState, shutdown: impl Future<Output = ()>) {
    let Some(mut woken) = state.events.take_wakeups() else {
        return;
    };
    let listener = match state.store.backend() {
        sea_orm::DbBackend::Postgres => Some(tokio::spawn(listen(state.clone()))),
        _ => None,
    };
    let mut cursors: HashMap<Uuid, Cursor> = HashMap::new();
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(shutdown);
    loop {
        let mut due: HashSet<Uuid> = HashSet::new();
        tokio::select! {
            Some(org) = woken.recv() => { due.insert(org); }
            _ = tick.tick() => due.extend(state.realtime.organization_ids()),
            () = &mut shutdown => break,
        }
        while let Ok(org) = woken.try_recv() {
            due.insert(org);
        }
        cursors.retain(|org, _| state.realtime.subscribers(*org) > 0);
        for org in due {
            let Some(since) = state.realtime.subscribed_since(org) else {
                continue;
            };
            let cursor = cursors.entry(org).or_insert_with(|| Cursor::new(since));
            if let Err(e) = deliver(&state, org, cursor).await {
                tracing::warn!(error = %e, %org, "events: cannot read the organization's events");
            }
        }
    }
    if let Some(listener) = listener {
        listener.abort();
    }
}

/// Publishes the events of `org` its readers have not been sent.
async fn deliver(state: &SharedState, org: Uuid, cursor: &mut Cursor) -> Result<(), DbErr> {
    loop {
        let tx = TenantTx::begin(&state.store, org, None, TxMode::Read).await?;
        let rows: Vec<Stored> = db::fetch_all(
            &*tx,
            "SELECT id, event_type, entity_type, entity_id, data, audience, created_at \
             FROM domain_events WHERE organization_id = $1 AND created_at >= $2 \
             ORDER BY created_at, id LIMIT $3",
            vec![org.into(), cursor.since().into(), BATCH.into()],
        )
        .await?;
        tx.commit().await?;
        let full = rows.len() as i64 == BATCH;
        let mut fresh = 0;
        for row in rows {
            if cursor.sent.contains(&row.id) {
                continue;
            }
            fresh += 1;
            cursor.mark(row.created_at, row.id);
            state.realtime.publish_at(event_of(org, row), cursor.newest);
        }
        // A full batch of new events: there may be more.
        if !full || fresh == 0 {
            return Ok(());
        }
    }
}

fn event_of(org: Uuid, row: Stored) -> Event {
    let audience: Audience = serde_json::from_value(row.audience).unwrap_or_default();
    let mut event = Event::new(
        org,
        row.event_type,
        row.entity_type,
        row.entity_id,
        row.data,
    )
    .people(audience.people);
    for (entity_type, id) in audience.shared_via {
        event = event.shared_via(&entity_type, id);
    }
    if let Some(user) = audience.only_user {
        event = event.only_user(user);
    }
    event
}

/// Forwards PostgreSQL's notifications of committed events to the
/// dispatcher, on a connection of its own (not one of the pool's, which
/// serve requests); it reconnects after a failure.
async fn listen(state: SharedState) {
    let wake = state.events.wake.clone();
    let url = state.config.effective_database_url();
    loop {
        match sea_orm::sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen(CHANNEL).await {
                    tracing::warn!(error = %e, "events: cannot LISTEN");
                } else {
                    forward(&mut listener, &wake).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "events: cannot open the listening connection"),
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn forward(
    listener: &mut sea_orm::sqlx::postgres::PgListener,
    wake: &mpsc::UnboundedSender<Uuid>,
) {
    loop {
        match listener.recv().await {
            Ok(note) => {
                if let Ok(org) = note.payload().parse::<Uuid>() {
                    let _ = wake.send(org);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "events: the listening connection failed");
                return;
            }
        }
    }
}

/// Deletes events older than a day, of every organization (nothing reads
/// them any more). Run by the nodes that do background work.
pub async fn sweep(state: &SharedState) -> Result<u64, DbErr> {
    db::exec(
        state.store.connection(),
        "DELETE FROM domain_events WHERE created_at < $1 /* all organizations */",
        vec![(db::now() - KEEP).into()],
    )
    .await
}
