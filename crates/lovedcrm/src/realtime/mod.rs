//! Real time (SPEC §5): organization events streamed over an authenticated
//! WebSocket at `GET /api/v1/ws`, to the members allowed to see the record.
//!
//! The [`Hub`] lives in `AppState` as `app.realtime`. It keeps one bounded
//! broadcast channel per organization that has a connection, created on the
//! first connection and dropped with the last. A connection that falls more
//! than [`CHANNEL_CAPACITY`] events behind gets `{"type":"resync"}` instead
//! of silently missing events.
//!
//! # Publishing an event
//!
//! Build an [`Event`] and publish it **after** the transaction committed
//! (never inside it), so an event is never sent for a write that was rolled
//! back. `publish` is synchronous, never fails and costs nothing when nobody
//! of the organization is connected.
//!
//! ```ignore
//! use crate::realtime::Event;
//!
//! // A task: its assignee and creator see it, and `sales` members the task
//! // (entity type "task") is shared with.
//! tx.commit().await?;
//! app.realtime.publish(
//!     Event::new(ctx.org_id(), "task.updated", "task", task.id, realtime::to_payload(&task))
//!         .people([task.assignee_id, task.created_by]),
//! );
//!
//! // A comment on a lead: visible like the lead, i.e. to the people of the
//! // lead and to the members the lead is shared with.
//! app.realtime.publish(
//!     Event::new(ctx.org_id(), "comment.created", "comment", comment.id, realtime::to_payload(&comment))
//!         .people([lead.assigned_to, lead.created_by])
//!         .shared_via("lead", lead.id),
//! );
//!
//! // A notification: only its recipient gets it, whatever their role.
//! app.realtime.publish(
//!     Event::new(ctx.org_id(), "notification.created", "notification", n.id, realtime::to_payload(&n))
//!         .only_user(n.user_id),
//! );
//! ```
//!
//! Leads and communications have ready-made builders: [`lead_event`] and
//! [`communication_event`].
//!
//! # Who receives what
//!
//! - `viewer`, `manager`, `admin`, `owner`: every event of the organization;
//! - `sales`: an event whose `people` include them, or whose record (or one
//!   of its `shared_via` records) is shared with them in `record_shares`;
//! - an event with `only_user`: that user only.
//!
//! # The wire protocol
//!
//! Connect with `Authorization` and `X-Org-Id`, or, from a browser (which
//! cannot set headers on a WebSocket), with `?ticket=…&org_id=…` where the
//! ticket comes from `POST /api/v1/ws/ticket` (single use, 30 seconds; a
//! token never travels in the URL, where proxies log it). Before the upgrade
//! the same checks as every tenant endpoint run: 401 for a bad token or
//! ticket or an ended session, 403 for a non-member, as problem+json. Then,
//! server to client, JSON text messages:
//!
//! - `{"type":"ready","organization_id":"…"}` once;
//! - `{"type":"lead.moved","entity_type":"lead","entity_id":"…","data":{…},"at":"2025-…Z"}` per event;
//! - `{"type":"resync","missed":n}` after dropped events: refetch;
//! - `{"type":"pong"}` answering a client's `{"type":"ping"}`.
//!
//! The session and membership are re-checked every
//! `realtime_session_check_secs` (default 60) and before delivering an event
//! when the last check is older than two seconds; the socket is closed with
//! code 1008 when the session ended or the membership was removed.
//!
//! # Limits
//!
//! In-process only: a single node. Fanning out between nodes (through
//! PostgreSQL `LISTEN/NOTIFY`) plugs in behind [`Hub::publish`].

mod events;
mod hub;
mod routes;
mod socket;
#[cfg(test)]
mod tests;
mod tickets;

pub use events::{communication_event, lead_event};
pub use hub::{CHANNEL_CAPACITY, Event, Hub, Published, Received, Subscription, to_payload};
pub use routes::router;
