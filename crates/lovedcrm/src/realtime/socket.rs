//! One member's WebSocket once upgraded (`GET /api/v1/ws`): the events of
//! their organization they may see, until their session or membership ends.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, close_code};
use serde_json::json;
use tokio::time::{Instant, MissedTickBehavior, interval_at, timeout};
use uuid::Uuid;

use super::hub::{Event, Received};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::organizations::Role;

/// Server pings this often so idle connections (and proxies) stay alive and
/// dead peers are noticed.
const KEEPALIVE: Duration = Duration::from_secs(30);
/// A send that the client does not take within this long closes the socket.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Before delivering an event, the session and membership are re-checked if
/// the last check is older than this (besides the periodic check).
const EVENT_RECHECK: Duration = Duration::from_secs(2);
/// Clients only send small control messages.
pub(super) const MAX_CLIENT_MESSAGE: usize = 16 * 1024;

/// The role a user on a session holds in an organization right now (user,
/// session, organization); `None` once the session has ended or the
/// membership was removed. The socket repeats the identity checks that
/// opened it, and those belong to the HTTP edge, which hands them in.
pub(super) type RoleCheck =
    for<'a> fn(
        &'a SharedState,
        Uuid,
        Uuid,
        Uuid,
    ) -> Pin<Box<dyn Future<Output = DomainResult<Option<Role>>> + Send + 'a>>;

/// One member's connection, with what was last checked about them.
struct Connection {
    app: SharedState,
    user_id: Uuid,
    session_id: Uuid,
    org_id: Uuid,
    role: Role,
    role_now: RoleCheck,
    checked_at: Instant,
}

/// Why the server ends a connection.
enum End {
    /// The client closed or went away.
    Gone,
    /// Closed by the server with this code and reason.
    Close(u16, &'static str),
}

impl Connection {
    /// Re-reads the session and membership; the role may have changed.
    async fn recheck(&mut self) -> Result<(), End> {
        match (self.role_now)(&self.app, self.user_id, self.session_id, self.org_id).await {
            Ok(Some(role)) => {
                self.role = role;
                self.checked_at = Instant::now();
                Ok(())
            }
            Ok(None) => Err(End::Close(
                close_code::POLICY,
                "the session has ended or the membership was removed",
            )),
            Err(e) => {
                tracing::warn!(error = %e, "realtime: cannot re-check the session");
                Err(End::Close(
                    close_code::ERROR,
                    "cannot verify the session; reconnect",
                ))
            }
        }
    }

    /// Whether this member may receive `event` (see [`Event`]).
    async fn may_see(&self, event: &Event) -> Result<bool, DomainError> {
        if let Some(user) = event.only_user {
            return Ok(user == self.user_id);
        }
        if self.role != Role::Sales || event.people.contains(&self.user_id) {
            return Ok(true);
        }
        let targets = event.share_targets();
        let mut values: Vec<sea_orm::Value> = vec![self.org_id.into(), self.user_id.into()];
        let mut clauses = Vec::with_capacity(targets.len());
        for (entity_type, id) in targets {
            let n = values.len();
            clauses.push(format!(
                "(entity_type = ${} AND record_id = ${})",
                n + 1,
                n + 2
            ));
            values.push(entity_type.into());
            values.push(id.into());
        }
        #[derive(db::Row)]
        struct One {
            #[allow(dead_code)]
            n: i64,
        }
        let tx = TenantTx::begin(
            &self.app.store,
            self.org_id,
            Some(self.user_id),
            TxMode::Read,
        )
        .await?;
        let shared: Option<One> = db::fetch_one(
            &*tx,
            &format!(
                "SELECT CAST(1 AS BIGINT) AS n FROM record_shares WHERE organization_id = $1 AND user_id = $2 AND ({})",
                clauses.join(" OR ")
            ),
            values,
        )
        .await?;
        tx.commit().await?;
        Ok(shared.is_some())
    }
}

async fn send(socket: &mut WebSocket, message: Message) -> Result<(), End> {
    match timeout(SEND_TIMEOUT, socket.send(message)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(End::Gone),
        Err(_) => Err(End::Close(
            close_code::POLICY,
            "the client does not read its messages",
        )),
    }
}

fn text(value: &serde_json::Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

/// Streams `actor`'s organization's events to them over `socket` until
/// either side ends it.
pub(super) async fn serve(
    app: SharedState,
    actor: Actor,
    role_now: RoleCheck,
    mut socket: WebSocket,
) {
    let check_every = Duration::from_secs(app.config.realtime_session_check_secs.max(1));
    let mut subscription = app.realtime.subscribe(actor.org_id());
    let mut conn = Connection {
        app: app.clone(),
        user_id: actor.user_id().unwrap_or_default(),
        session_id: actor.session_id().unwrap_or_default(),
        org_id: actor.org_id(),
        role: actor.role(),
        role_now,
        checked_at: Instant::now(),
    };
    metrics::gauge!("realtime_connections").increment(1.0);
    tracing::debug!(org_id = %conn.org_id, user_id = %conn.user_id, "realtime connection opened");
    let end = run(&mut conn, &mut subscription, &mut socket, check_every).await;
    drop(subscription);
    if let End::Close(code, reason) = end {
        let frame = CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        };
        let _ = timeout(SEND_TIMEOUT, socket.send(Message::Close(Some(frame)))).await;
    }
    metrics::gauge!("realtime_connections").decrement(1.0);
    tracing::debug!(org_id = %conn.org_id, user_id = %conn.user_id, "realtime connection closed");
}

async fn run(
    conn: &mut Connection,
    subscription: &mut super::Subscription,
    socket: &mut WebSocket,
    check_every: Duration,
) -> End {
    let ready = json!({"type": "ready", "organization_id": conn.org_id});
    if let Err(end) = send(socket, text(&ready)).await {
        return end;
    }
    let mut check = interval_at(Instant::now() + check_every, check_every);
    check.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut keepalive = interval_at(Instant::now() + KEEPALIVE, KEEPALIVE);
    keepalive.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        let step = tokio::select! {
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => Err(End::Gone),
                Some(Ok(Message::Text(t))) => answer(socket, &t).await,
                // WebSocket pings are answered by the protocol layer.
                Some(Ok(_)) => Ok(()),
            },
            received = subscription.recv() => match received {
                Some(Received::Event(published)) => deliver(conn, socket, &published).await,
                Some(Received::Missed(n)) => {
                    tracing::debug!(missed = n, "realtime reader lagged");
                    send(socket, text(&json!({"type": "resync", "missed": n}))).await
                }
                None => Err(End::Close(close_code::RESTART, "the server is restarting")),
            },
            _ = check.tick() => conn.recheck().await,
            _ = keepalive.tick() => send(socket, Message::Ping(Default::default())).await,
        };
        if let Err(end) = step {
            return end;
        }
    }
}

/// Answers a client's application-level `{"type":"ping"}`.
async fn answer(socket: &mut WebSocket, message: &str) -> Result<(), End> {
    let kind = serde_json::from_str::<serde_json::Value>(message)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned));
    if kind.as_deref() == Some("ping") {
        send(socket, text(&json!({"type": "pong"}))).await?;
    }
    Ok(())
}

async fn deliver(
    conn: &mut Connection,
    socket: &mut WebSocket,
    published: &super::Published,
) -> Result<(), End> {
    if conn.checked_at.elapsed() >= EVENT_RECHECK {
        conn.recheck().await?;
    }
    match conn.may_see(&published.event).await {
        Ok(true) => send(socket, Message::Text(published.text.clone())).await,
        Ok(false) => Ok(()),
        Err(e) => {
            // Fail closed, but tell the client it may have missed something.
            tracing::warn!(error = %e, "realtime: cannot check an event's visibility");
            send(socket, text(&json!({"type": "resync"}))).await
        }
    }
}
