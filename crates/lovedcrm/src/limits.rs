//! Per-member and per-organization API budgets (SPEC §3): every request of
//! a member, an API key, the assistant or an MCP client takes one from its
//! member's bucket and one from its organization's. Buckets live in the
//! process: each node of a scale-out deployment counts its own share.
//! They refill by a [`LimitClock`]. What must hold across nodes (sign-in and
//! sign-up) is counted in the database instead: [`shared`].

pub mod shared;

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use governor::clock::Clock;
use governor::middleware::StateInformationMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use uuid::Uuid;

use crate::config::Config;
use crate::error::DomainError;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, LimitClock, StateInformationMiddleware>;

/// The time the budgets refill by: the system's monotonic clock, which can
/// be stopped and moved by hand, so that what a bucket holds does not depend
/// on how fast the machine runs (tests stop it).
#[derive(Clone, Debug)]
pub struct LimitClock {
    start: Instant,
    stopped_at: Arc<Mutex<Option<Duration>>>,
}

impl Default for LimitClock {
    fn default() -> Self {
        Self {
            start: Instant::now(),
            stopped_at: Arc::default(),
        }
    }
}

impl LimitClock {
    /// Holds the clock where it is until [`advance`](Self::advance) moves it.
    pub fn stop(&self) {
        let mut stopped = self
            .stopped_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        stopped.get_or_insert(self.start.elapsed());
    }

    /// Moves a stopped clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut stopped = self
            .stopped_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = stopped.as_mut() {
            *at += by;
        }
    }
}

impl Clock for LimitClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        let stopped = *self
            .stopped_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Nanos::from(stopped.unwrap_or_else(|| self.start.elapsed()))
    }
}

fn keyed<K: Clone + std::hash::Hash + Eq>(quota: Quota, clock: &LimitClock) -> Keyed<K> {
    RateLimiter::<K, _, _, governor::middleware::NoOpMiddleware<Nanos>>::new(
        quota,
        DefaultKeyedStateStore::default(),
        clock.clone(),
    )
    .with_middleware::<StateInformationMiddleware>()
}

/// Beyond this many tracked keys, idle buckets are swept on the next check.
const SWEEP_ABOVE: usize = 10_000;

pub struct ApiLimits {
    per_member: Keyed<(Uuid, Uuid)>,
    per_org: Keyed<Uuid>,
    clock: LimitClock,
}

/// What the tighter of the two buckets says after a request.
#[derive(Debug, Clone, Copy)]
pub struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
}

impl ApiLimits {
    pub fn new(config: &Config) -> Self {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        let clock = LimitClock::default();
        Self {
            per_member: keyed(quota(config.api_rate_per_user_per_minute), &clock),
            per_org: keyed(quota(config.api_rate_per_org_per_minute), &clock),
            clock,
        }
    }

    /// The clock the budgets refill by.
    pub fn clock(&self) -> &LimitClock {
        &self.clock
    }

    /// Takes one request from the member's and the organization's buckets.
    /// The answer is what the tighter bucket has left, or 429.
    pub fn check(&self, org_id: Uuid, user_id: Uuid) -> Result<RateInfo, (DomainError, RateInfo)> {
        if self.per_member.len() > SWEEP_ABOVE {
            self.per_member.retain_recent();
        }
        let member = take(&self.per_member, &self.clock, &(org_id, user_id))?;
        let org = take(&self.per_org, &self.clock, &org_id)?;
        Ok(if member.remaining <= org.remaining {
            member
        } else {
            org
        })
    }
}

fn take<K: Clone + std::hash::Hash + Eq>(
    limiter: &Keyed<K>,
    clock: &LimitClock,
    key: &K,
) -> Result<RateInfo, (DomainError, RateInfo)> {
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
            let wait = not_until.wait_time_from(clock.now());
            let limit = not_until.quota().burst_size().get();
            let info = RateInfo {
                limit,
                remaining: 0,
                reset_secs: wait.as_secs() + 1,
            };
            Err((
                DomainError::TooManyRequests {
                    retry_after_secs: info.reset_secs,
                    limit,
                },
                info,
            ))
        }
    }
}
