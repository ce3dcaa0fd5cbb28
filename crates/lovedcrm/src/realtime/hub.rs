//! The in-process hub: one bounded broadcast channel per organization.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use axum::extract::ws::Utf8Bytes;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value as Json;
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

/// How many events an organization's channel keeps for its slowest reader;
/// a reader further behind is told to resync.
pub const CHANNEL_CAPACITY: usize = 1024;

/// Something that happened to a record of one organization, for the members
/// connected to `GET /api/v1/ws` who may see it.
///
/// Who receives it:
/// - `only_user` set: that user only (notifications), whatever the role;
/// - `viewer`, `manager`, `admin`, `owner`: every event of the organization;
/// - `sales`: when listed in `people`, or when one of the records in
///   `shared_via` (by default the event's own record) is shared with them in
///   `record_shares`.
///
/// Build it with [`Event::new`] and the builder methods, and hand it to
/// [`Hub::publish`](super::Hub::publish) after the transaction committed.
#[derive(Debug, Clone)]
pub struct Event {
    pub organization_id: Uuid,
    /// `lead.created`, `lead.updated`, `lead.moved`, `lead.deleted`,
    /// `communication.created`, `communication.status`, `task.created`,
    /// `task.updated`, `task.deleted`, `comment.created`,
    /// `notification.created`, …: the `type` clients switch on.
    pub kind: String,
    /// `lead`, `communication`, `task`… (the `entity_type` of record shares).
    pub entity_type: String,
    pub entity_id: Uuid,
    /// The members the record belongs to (owner, assignees, creator): a
    /// `sales` member in this list receives the event.
    pub people: Vec<Uuid>,
    /// The records whose shares make the event visible to a `sales` member,
    /// as `(entity_type, id)`. Empty means the event's own record; a
    /// communication, for instance, is visible through its lead and contact.
    pub shared_via: Vec<(String, Uuid)>,
    /// When set, only this user receives the event.
    pub only_user: Option<Uuid>,
    /// Sent to clients as `data`.
    pub payload: Json,
}

impl Event {
    /// An event about `entity_type` `entity_id`, seen by the roles that see
    /// everything until [`people`](Self::people) or
    /// [`shared_via`](Self::shared_via) open it to `sales` members.
    pub fn new(
        organization_id: Uuid,
        kind: impl Into<String>,
        entity_type: impl Into<String>,
        entity_id: Uuid,
        payload: Json,
    ) -> Self {
        Self {
            organization_id,
            kind: kind.into(),
            entity_type: entity_type.into(),
            entity_id,
            people: Vec::new(),
            shared_via: Vec::new(),
            only_user: None,
            payload,
        }
    }

    /// Adds members the record belongs to; `None`s are skipped, so optional
    /// columns can be passed as they are.
    #[must_use]
    pub fn people<I, P>(mut self, people: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<Option<Uuid>>,
    {
        for person in people.into_iter().filter_map(Into::into) {
            if !self.people.contains(&person) {
                self.people.push(person);
            }
        }
        self
    }

    /// Makes the event visible to `sales` members `record` is shared with
    /// (instead of only those the event's own record is shared with).
    #[must_use]
    pub fn shared_via(mut self, entity_type: &str, record: impl Into<Option<Uuid>>) -> Self {
        if let Some(id) = record.into() {
            self.shared_via.push((entity_type.to_string(), id));
        }
        self
    }

    /// Sends the event to `user` only.
    #[must_use]
    pub fn only_user(mut self, user: Uuid) -> Self {
        self.only_user = Some(user);
        self
    }

    /// The records whose shares open the event to a `sales` member.
    pub fn share_targets(&self) -> Vec<(String, Uuid)> {
        if self.shared_via.is_empty() {
            vec![(self.entity_type.clone(), self.entity_id)]
        } else {
            self.shared_via.clone()
        }
    }
}

/// Serializes a payload, never failing: a value that cannot be represented
/// as JSON (which the API's types never are) becomes `null`.
pub fn to_payload(value: &impl Serialize) -> Json {
    serde_json::to_value(value).unwrap_or_else(|e| {
        tracing::error!(error = %e, "realtime payload does not serialize");
        Json::Null
    })
}

/// What a client receives for an event.
#[derive(Serialize)]
struct Frame<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    entity_type: &'a str,
    entity_id: Uuid,
    data: &'a Json,
    at: DateTime<Utc>,
}

/// An event as published: the event, when, and its JSON frame rendered once
/// for every subscriber.
#[derive(Debug)]
pub struct Published {
    pub event: Event,
    pub at: DateTime<Utc>,
    pub text: Utf8Bytes,
}

/// An organization's channel and when its first connection subscribed.
#[derive(Clone)]
struct Channel {
    sender: broadcast::Sender<Arc<Published>>,
    since: DateTime<Utc>,
}

struct Inner {
    channels: RwLock<HashMap<Uuid, Channel>>,
    capacity: usize,
    /// Open sockets per member on this node.
    sockets: Mutex<HashMap<Uuid, usize>>,
}

/// Sockets one member may hold open on one node: tabs and devices fit
/// easily; a script opening thousands does not.
pub const MAX_SOCKETS_PER_MEMBER: usize = 20;

/// One open socket of a member; closing it (dropping this) frees the place.
pub struct SocketSlot {
    hub: Hub,
    user_id: Uuid,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut sockets = self
            .hub
            .inner
            .sockets
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = sockets.get_mut(&self.user_id) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                sockets.remove(&self.user_id);
            }
        }
    }
}

/// Fans organization events out to the WebSocket connections of that
/// organization, in this process (see the module docs for the API).
///
/// Cheap to clone; every clone is the same hub.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("organizations", &self.organizations())
            .finish()
    }
}

impl Hub {
    pub fn new() -> Self {
        Self::with_capacity(CHANNEL_CAPACITY)
    }

    /// A hub whose channels keep `capacity` events (at least 1).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                channels: RwLock::new(HashMap::new()),
                capacity: capacity.max(1),
                sockets: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// A place for one more socket of `user_id`, unless they already hold
    /// [`MAX_SOCKETS_PER_MEMBER`] on this node.
    pub fn open_socket(&self, user_id: Uuid) -> Option<SocketSlot> {
        let mut sockets = self
            .inner
            .sockets
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let open = sockets.entry(user_id).or_insert(0);
        if *open >= MAX_SOCKETS_PER_MEMBER {
            return None;
        }
        *open += 1;
        Some(SocketSlot {
            hub: self.clone(),
            user_id,
        })
    }

    /// Sends `event` to the organization's connected members (filtered per
    /// member by the rules on [`Event`]). Never blocks and never fails; with
    /// nobody connected it does nothing. Returns how many connections of the
    /// organization it reached before filtering.
    ///
    /// Call it only after the transaction that made the change committed, so
    /// no event is ever sent for a write that was rolled back.
    pub fn publish(&self, event: Event) -> usize {
        self.publish_at(event, Utc::now())
    }

    /// Like [`publish`](Self::publish), with the time the event happened.
    pub fn publish_at(&self, event: Event, at: DateTime<Utc>) -> usize {
        let channel = self
            .inner
            .channels
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&event.organization_id)
            .cloned();
        let Some(channel) = channel else {
            return 0;
        };
        let frame = Frame {
            kind: &event.kind,
            entity_type: &event.entity_type,
            entity_id: event.entity_id,
            data: &event.payload,
            at,
        };
        let text = match serde_json::to_string(&frame) {
            Ok(text) => Utf8Bytes::from(text),
            Err(e) => {
                tracing::error!(error = %e, kind = %event.kind, "realtime event does not serialize");
                return 0;
            }
        };
        metrics::counter!("realtime_events_published_total", "type" => event.kind.clone())
            .increment(1);
        channel
            .sender
            .send(Arc::new(Published { event, at, text }))
            .unwrap_or(0)
    }

    /// Starts receiving the events of `org_id`, creating its channel if this
    /// is the first connection.
    pub fn subscribe(&self, org_id: Uuid) -> Subscription {
        let mut channels = self
            .inner
            .channels
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let capacity = self.inner.capacity;
        let rx = channels
            .entry(org_id)
            .or_insert_with(|| Channel {
                sender: broadcast::channel(capacity).0,
                since: crate::db::now(),
            })
            .sender
            .subscribe();
        Subscription {
            hub: self.clone(),
            org_id,
            rx: Some(rx),
        }
    }

    /// Connections currently subscribed to `org_id`.
    pub fn subscribers(&self, org_id: Uuid) -> usize {
        self.inner
            .channels
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&org_id)
            .map_or(0, |c| c.sender.receiver_count())
    }

    /// When the organization's first open connection subscribed; `None`
    /// when none is open.
    pub fn subscribed_since(&self, org_id: Uuid) -> Option<DateTime<Utc>> {
        self.inner
            .channels
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&org_id)
            .filter(|c| c.sender.receiver_count() > 0)
            .map(|c| c.since)
    }

    /// The organizations with at least one open channel.
    pub fn organization_ids(&self) -> Vec<Uuid> {
        self.inner
            .channels
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .copied()
            .collect()
    }

    /// Organizations with at least one open channel.
    pub fn organizations(&self) -> usize {
        self.inner
            .channels
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Drops the channel of `org_id` once nobody listens to it any more.
    fn release(&self, org_id: Uuid) {
        let mut channels = self
            .inner
            .channels
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if channels
            .get(&org_id)
            .is_some_and(|c| c.sender.receiver_count() == 0)
        {
            channels.remove(&org_id);
        }
    }
}

/// What a subscription yields next.
#[derive(Debug)]
pub enum Received {
    Event(Arc<Published>),
    /// The reader fell this many events behind and they were dropped: the
    /// client must refetch what it shows.
    Missed(u64),
}

/// One connection's receiver on its organization's channel; dropping it
/// drops the channel when it was the last one.
pub struct Subscription {
    hub: Hub,
    org_id: Uuid,
    rx: Option<broadcast::Receiver<Arc<Published>>>,
}

impl Subscription {
    pub fn org_id(&self) -> Uuid {
        self.org_id
    }

    /// The next event, or how many were missed. Cancel-safe. `None` only if
    /// the channel closed, which a live hub never does.
    pub async fn recv(&mut self) -> Option<Received> {
        let rx = self.rx.as_mut()?;
        match rx.recv().await {
            Ok(event) => Some(Received::Event(event)),
            Err(RecvError::Lagged(n)) => Some(Received::Missed(n)),
            Err(RecvError::Closed) => None,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        drop(self.rx.take());
        self.hub.release(self.org_id);
    }
}
