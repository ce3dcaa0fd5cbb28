//! The web app's refresh token travels in an `HttpOnly` cookie, out of the
//! reach of any script on the page (API clients keep bearer tokens in the
//! body, as before).
//!
//! A client opts in with `X-Refresh-Transport: cookie` on the calls that
//! issue tokens (register, login, 2FA, refresh, accepting an invitation):
//! the answer then carries the refresh token as a `SameSite=Strict`,
//! `HttpOnly` cookie scoped to the refresh path (`Secure` over https), and
//! not in its body. `POST /auth/refresh` reads the cookie when the body has
//! no token; `POST /auth/logout` clears it.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::app::SharedState;

pub const COOKIE: &str = "lovedcrm_refresh";
pub const TRANSPORT_HEADER: &str = "x-refresh-transport";

/// Token answers are small; anything larger is not one of them.
const MAX_BODY: usize = 256 * 1024;

/// The refresh token of the request's cookie, if it has one.
pub fn from_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

fn wants_cookie(headers: &HeaderMap) -> bool {
    headers
        .get(TRANSPORT_HEADER)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cookie"))
}

fn issues_tokens(path: &str) -> bool {
    path.starts_with("/api/v1/auth/") || path.starts_with("/api/v1/invites/")
}

fn set_cookie(app: &SharedState, value: &str, max_age_secs: i64) -> Option<HeaderValue> {
    let path = format!(
        "{}api/v1/auth",
        crate::web::normalize_base_path(&app.config.base_path)
    );
    let secure = if app.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; HttpOnly; SameSite=Strict; Path={path}; Max-Age={max_age_secs}{secure}"
    ))
    .ok()
}

/// Takes the refresh token out of a token answer (`refresh_token`, or
/// `tokens.refresh_token` when accepting an invitation).
fn take_refresh_token(json: &mut Value) -> Option<String> {
    let holder = if json.get("refresh_token").is_some() {
        json.as_object_mut()?
    } else {
        json.get_mut("tokens")?.as_object_mut()?
    };
    match holder.remove("refresh_token")? {
        Value::String(token) => Some(token),
        _ => None,
    }
}

/// Moves the refresh token of token answers into the cookie for clients
/// that asked for it; clears the cookie on logout.
pub async fn refresh_cookie(State(app): State<SharedState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let wanted = wants_cookie(req.headers()) && issues_tokens(&path);
    let response = next.run(req).await;
    if !wanted || !response.status().is_success() {
        return response;
    }
    if path == "/api/v1/auth/logout" {
        let mut response = response;
        if let Some(clear) = set_cookie(&app, "", 0) {
            response.headers_mut().append(header::SET_COOKIE, clear);
        }
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return crate::error::DomainError::internal("a token answer too large").into_response();
    };
    let Ok(mut json) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let Some(token) = take_refresh_token(&mut json) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let max_age = app.config.session_idle().num_seconds();
    if let Some(cookie) = set_cookie(&app, &token, max_age) {
        parts.headers.append(header::SET_COOKIE, cookie);
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json.to_string()))
}
