//! `GET /api/v1/ws`: the authenticated WebSocket that streams an
//! organization's events to one member.

use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use tokio::time::{Instant, MissedTickBehavior, interval_at, timeout};
use utoipa::IntoParams;
use uuid::Uuid;

use super::hub::{Event, Received};
use super::tickets;
use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::db::{self, TenantTx, TxMode};
use crate::error::DomainError;
use crate::http::context::{AuthUser, ORG_HEADER, OrgContext, bearer, current_role, parse_org_id};
use crate::http::error::Problem;
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
const MAX_CLIENT_MESSAGE: usize = 16 * 1024;

/// Credentials for clients that cannot set headers (browsers' `WebSocket`).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WsParams {
    /// A ticket from `POST /api/v1/ws/ticket`, instead of `Authorization: Bearer`.
    #[allow(dead_code)]
    ticket: Option<String>,
    /// The organization, instead of `X-Org-Id`.
    #[allow(dead_code)]
    org_id: Option<Uuid>,
}

/// Stream the organization's events over a WebSocket.
///
/// Authenticate with `Authorization` and `X-Org-Id`, or with
/// `?ticket=…&org_id=…` (browsers cannot set headers on a WebSocket; the
/// ticket comes from `POST /ws/ticket`); the credentials, session and
/// membership are checked before the upgrade (401/403 as problem+json).
/// The server then sends `{"type":"ready","organization_id":…}` and each event
/// the member may see as `{"type", "entity_type", "entity_id", "data", "at"}`;
/// `{"type":"resync"}` when events were dropped for a slow reader (refetch).
/// A client may send `{"type":"ping"}` (answered `{"type":"pong"}`) or
/// WebSocket pings. The socket closes (code 1008) once the session ends or the
/// membership is removed.
#[utoipa::path(get, path = "/ws", tag = "realtime", security(("bearer" = [])),
    params(WsParams),
    responses((status = 101, description = "Switched to the WebSocket protocol"),
              (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 429, body = Problem, description = "20 sockets of this member are open on this node")))]
pub async fn connect(
    State(app): State<SharedState>,
    meta: ClientMeta,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    match authorize(&app, meta, &headers, raw.as_deref()).await {
        Ok(ctx) => match upgrade {
            Ok(upgrade) => {
                let Some(slot) = app.realtime.open_socket(ctx.user_id()) else {
                    return DomainError::TooManyRequests {
                        retry_after_secs: 60,
                        limit: super::hub::MAX_SOCKETS_PER_MEMBER as u32,
                    }
                    .into_response();
                };
                upgrade
                    .max_message_size(MAX_CLIENT_MESSAGE)
                    .max_frame_size(MAX_CLIENT_MESSAGE)
                    .on_failed_upgrade(|e| tracing::debug!(error = %e, "websocket upgrade failed"))
                    .on_upgrade(move |socket| async move {
                        serve(app, ctx, socket).await;
                        drop(slot);
                    })
            }
            Err(rejection) => DomainError::bad_request(
                "websocket_required",
                format!(
                    "this endpoint needs a WebSocket upgrade request: {}",
                    rejection.body_text()
                ),
            )
            .into_response(),
        },
        Err(e) => e.into_response(),
    }
}

/// The same checks as [`OrgContext`], with the caller identified by a
/// ticket in the query string when one is given there.
async fn authorize(
    app: &SharedState,
    meta: ClientMeta,
    headers: &HeaderMap,
    raw_query: Option<&str>,
) -> Result<OrgContext, DomainError> {
    let mut ticket = None;
    let mut org = None;
    for (key, value) in form_urlencoded::parse(raw_query.unwrap_or("").as_bytes()) {
        match &*key {
            "ticket" => ticket = Some(value.into_owned()),
            "org_id" => org = Some(value.into_owned()),
            _ => {}
        }
    }
    let user = match ticket {
        Some(ticket) => {
            let (user_id, session_id) = tickets::redeem(app, &ticket).await?.ok_or_else(|| {
                DomainError::Unauthorized("invalid, used or expired ticket".into())
            })?;
            AuthUser::for_session(app, user_id, session_id, meta).await?
        }
        None => AuthUser::authenticate(app, bearer(headers), meta).await?,
    };
    let org_id = match org {
        Some(org) => parse_org_id(Some(&org))?,
        None => {
            let raw = headers.get(ORG_HEADER).ok_or_else(|| {
                DomainError::bad_request(
                    "missing_organization",
                    "give the org_id query parameter or the X-Org-Id header",
                )
            })?;
            parse_org_id(raw.to_str().ok())?
        }
    };
    OrgContext::for_member(app, user, org_id).await
}

/// One member's connection, with what was last checked about them.
struct Connection {
    app: SharedState,
    user_id: Uuid,
    session_id: Uuid,
    org_id: Uuid,
    role: Role,
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
        match current_role(&self.app, self.user_id, self.session_id, self.org_id).await {
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

async fn serve(app: SharedState, ctx: OrgContext, mut socket: WebSocket) {
    let check_every = Duration::from_secs(app.config.realtime_session_check_secs.max(1));
    let mut subscription = app.realtime.subscribe(ctx.org_id());
    let mut conn = Connection {
        app: app.clone(),
        user_id: ctx.user_id(),
        session_id: ctx.session_id().unwrap_or_default(),
        org_id: ctx.org_id(),
        role: ctx.role(),
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
