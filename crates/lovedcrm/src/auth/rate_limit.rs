//! Rate limits for the authentication endpoints: GCRA buckets that cap how
//! fast one IP or one email may try at all, keyed on the email as typed,
//! never on whether an account exists, so an unknown email is treated
//! exactly like a known one.
//!
//! They are per process (a burst guard; N nodes allow N times the burst);
//! what stops password guessing across nodes and restarts is the lock-out,
//! which is kept in the database (`lockout.rs`).

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Config;
use crate::error::DomainError;

/// Keyed GCRA limiters: one bucket per client IP, one per account email.
pub struct AuthLimits {
    per_ip: DefaultKeyedRateLimiter<String>,
    per_account: DefaultKeyedRateLimiter<String>,
}

/// Beyond this many tracked keys, forgotten buckets are swept on the next check.
const SWEEP_ABOVE: usize = 10_000;

impl AuthLimits {
    pub fn new(config: &Config) -> Self {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            per_ip: RateLimiter::keyed(quota(config.auth_rate_per_ip_per_minute)),
            per_account: RateLimiter::keyed(quota(config.login_rate_per_account_per_minute)),
        }
    }

    pub fn check_ip(&self, ip: &str) -> Result<(), DomainError> {
        check(&self.per_ip, ip)
    }

    pub fn check_account(&self, email: &str) -> Result<(), DomainError> {
        check(&self.per_account, &email_key(email))
    }
}

fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

fn check(limiter: &DefaultKeyedRateLimiter<String>, key: &str) -> Result<(), DomainError> {
    if limiter.len() > SWEEP_ABOVE {
        limiter.retain_recent();
    }
    limiter.check_key(&key.to_string()).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        DomainError::TooManyRequests {
            retry_after_secs: wait.as_secs() + 1,
            limit: not_until.quota().burst_size().get(),
        }
    })
}
