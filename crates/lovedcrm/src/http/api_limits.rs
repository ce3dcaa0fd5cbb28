//! Per-member and per-organization API rate limits (SPEC §3), with the
//! `RateLimit-*` headers clients use to pace themselves.
//!
//! The organization context checks both buckets once it knows who calls for
//! which organization; it leaves what it measured in a slot the
//! [`rate_limit_headers`] middleware put in the request, and the middleware
//! writes the headers on the response (429s included). Buckets live in the
//! process: each node of a scale-out deployment counts its own share.

use std::sync::{Arc, Mutex};

pub use crate::limits::{ApiLimits, RateInfo};
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// Where the organization context leaves its [`RateInfo`] for the middleware.
#[derive(Clone, Default)]
pub struct RateSlot(Arc<Mutex<Option<RateInfo>>>);

impl RateSlot {
    pub fn set(&self, info: RateInfo) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(info);
        }
    }
}

/// Gives each request a [`RateSlot`] and turns what it holds afterwards
/// into `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.
pub async fn rate_limit_headers(mut request: Request, next: Next) -> Response {
    let slot = RateSlot::default();
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    let info = slot.0.lock().ok().and_then(|s| *s);
    if let Some(info) = info {
        let headers = response.headers_mut();
        headers.insert("ratelimit-limit", HeaderValue::from(info.limit));
        headers.insert("ratelimit-remaining", HeaderValue::from(info.remaining));
        headers.insert("ratelimit-reset", HeaderValue::from(info.reset_secs));
    }
    response
}
