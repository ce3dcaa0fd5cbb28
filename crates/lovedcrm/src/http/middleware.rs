//! Request-wide concerns: logging span, metrics, panics, fallbacks.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Span;

use crate::error::DomainError;

/// The span every request's logs belong to; routing fills `route`, the
/// identity extractors fill `org_id` and `user_id`.
pub fn request_span<B>(req: &axum::http::Request<B>) -> Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        request_id,
        method = %req.method(),
        path = %loggable_path(req.uri().path()),
        route = tracing::field::Empty,
        org_id = tracing::field::Empty,
        user_id = tracing::field::Empty,
    )
}

/// `path` as it may be written to a log: invitation links carry their token
/// in the path (`/invite/<token>`, `/api/v1/invites/<token>/accept`), and a
/// log is no place for a credential. Ids (UUIDs) are kept.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    let segments: Vec<&str> = path.split('/').collect();
    let secret = |i: usize| {
        i > 0
            && matches!(segments[i - 1], "invite" | "invites")
            && !segments[i].is_empty()
            && uuid::Uuid::parse_str(segments[i]).is_err()
    };
    if !(1..segments.len()).any(secret) {
        return path.into();
    }
    segments
        .iter()
        .enumerate()
        .map(|(i, s)| if secret(i) { "…" } else { s })
        .collect::<Vec<_>>()
        .join("/")
        .into()
}

pub fn log_response<B>(response: &axum::http::Response<B>, latency: Duration, _span: &Span) {
    tracing::info!(
        status = response.status().as_u16(),
        latency_ms = latency.as_secs_f64() * 1000.0,
        "request finished"
    );
}

/// Counts requests and their latency by route and status for `/metrics`.
pub async fn track_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    Span::current().record("route", route.as_str());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    response
}

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    DomainError::internal("handler panicked").into_response()
}

pub async fn method_not_allowed(req: Request) -> Response {
    DomainError::MethodNotAllowed(format!(
        "{} is not allowed on {}",
        req.method(),
        req.uri().path()
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn invitation_tokens_never_reach_the_log() {
        assert_eq!(loggable_path("/invite/Zk3_x-9"), "/invite/…");
        assert_eq!(
            loggable_path("/api/v1/invites/Zk3_x-9/accept"),
            "/api/v1/invites/…/accept"
        );
        assert_eq!(loggable_path("/crm/invite/abc"), "/crm/invite/…");
        let id =
            "/api/v1/organizations/current/invites/0193b1f2-6c1e-7cc0-8d61-0f3a1c2b4d5e/resend";
        assert_eq!(loggable_path(id), id);
        assert_eq!(loggable_path("/api/v1/contacts"), "/api/v1/contacts");
        assert_eq!(
            loggable_path("/api/v1/organizations/current/invites"),
            "/api/v1/organizations/current/invites"
        );
    }
}
