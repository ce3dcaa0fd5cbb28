//! `GET /ws` (the WebSocket upgrade) and `POST /ws/ticket`.

use std::future::Future;
use std::pin::Pin;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::socket::{self, MAX_CLIENT_MESSAGE};
use super::tickets::{self, WsTicket};
use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::error::{DomainError, DomainResult};
use crate::http::context::{AuthUser, ORG_HEADER, OrgContext, bearer, current_role, parse_org_id};
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::organizations::Role;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(connect))
        .routes(routes!(issue))
}

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
async fn connect(
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
                let actor = ctx.actor().clone();
                upgrade
                    .max_message_size(MAX_CLIENT_MESSAGE)
                    .max_frame_size(MAX_CLIENT_MESSAGE)
                    .on_failed_upgrade(|e| tracing::debug!(error = %e, "websocket upgrade failed"))
                    .on_upgrade(move |ws| async move {
                        socket::serve(app, actor, role_now, ws).await;
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

/// The socket's re-check of its session and membership: the same lookup as
/// the one that let it open.
fn role_now(
    app: &SharedState,
    user_id: Uuid,
    session_id: Uuid,
    org_id: Uuid,
) -> Pin<Box<dyn Future<Output = DomainResult<Option<Role>>> + Send + '_>> {
    Box::pin(current_role(app, user_id, session_id, org_id))
}

/// Get a ticket for the WebSocket.
///
/// For browsers, which cannot send `Authorization` on a WebSocket: the
/// ticket stands for the caller's session for one connection within 30
/// seconds. The socket re-checks the session and membership as usual.
#[utoipa::path(post, path = "/ws/ticket", tag = "realtime", security(("bearer" = [])),
    responses((status = 201, body = WsTicket), (status = 401, body = Problem)))]
async fn issue(
    State(app): State<SharedState>,
    user: AuthUser,
) -> DomainResult<(StatusCode, ApiJson<WsTicket>)> {
    let ticket = tickets::issue(&app, user.user_id, user.session_id).await?;
    Ok((StatusCode::CREATED, ApiJson(ticket)))
}
