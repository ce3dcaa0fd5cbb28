//! Per-member and per-organization API rate limits (SPEC §3), with the
//! `RateLimit-*` headers clients use to pace themselves.
//!
//! The organization context checks both buckets once it knows who calls for
//! which organization; it leaves what it measured in a slot the
//! [`rate_limit_headers`] middleware put in the request, and the middleware
//! writes the headers on the response (429s included). Buckets live in the
//! process: each node of a scale-out deployment counts its own share.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use uuid::Uuid;

use super::error::ApiError;
use crate::config::Config;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// Beyond this many tracked keys, idle buckets are swept on the next check.
const SWEEP_ABOVE: usize = 10_000;

pub struct ApiLimits {
    per_member: Keyed<(Uuid, Uuid)>,
    per_org: Keyed<Uuid>,
}

/// What the tighter of the two buckets says after a request.
#[derive(Debug, Clone, Copy)]
pub struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
}

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

impl ApiLimits {
    pub fn new(config: &Config) -> Self {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            per_member: RateLimiter::keyed(quota(config.api_rate_per_user_per_minute))
                .with_middleware::<StateInformationMiddleware>(),
            per_org: RateLimiter::keyed(quota(config.api_rate_per_org_per_minute))
                .with_middleware::<StateInformationMiddleware>(),
        }
    }

    /// Takes one request from the member's and the organization's buckets.
    /// The answer is what the tighter bucket has left, or 429.
    pub fn check(&self, org_id: Uuid, user_id: Uuid) -> Result<RateInfo, (ApiError, RateInfo)> {
        if self.per_member.len() > SWEEP_ABOVE {
            self.per_member.retain_recent();
        }
        let member = take(&self.per_member, &(org_id, user_id))?;
        let org = take(&self.per_org, &org_id)?;
        Ok(if member.remaining <= org.remaining {
            member
        } else {
            org
        })
    }
}

fn take<K: Clone + std::hash::Hash + Eq>(
    limiter: &Keyed<K>,
    key: &K,
) -> Result<RateInfo, (ApiError, RateInfo)> {
    match limiter.check_key(key) {
        Ok(snapshot) => {
            let quota = snapshot.quota();
            let limit = quota.burst_size().get();
            let remaining = snapshot.remaining_burst_capacity();
            let used = u64::from(limit.saturating_sub(remaining));
            let reset = quota.replenish_interval().as_secs_f64() * used as f64;
            Ok(RateInfo {
                limit,
                remaining,
                reset_secs: reset.ceil() as u64,
            })
        }
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let limit = not_until.quota().burst_size().get();
            let info = RateInfo {
                limit,
                remaining: 0,
                reset_secs: wait.as_secs() + 1,
            };
            Err((
                ApiError::TooManyRequests {
                    retry_after_secs: info.reset_secs,
                    limit,
                },
                info,
            ))
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
