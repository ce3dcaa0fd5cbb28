//! In-process rate limits and lock-outs for the authentication endpoints.
//!
//! Rates (GCRA buckets) cap how fast one IP or one email may try at all;
//! the lock-out stops password guessing on one email after repeated
//! failures, with a back-off that doubles on every further lock-out. Both are
//! keyed on the email as typed, never on whether an account exists, so an
//! unknown email is treated exactly like a known one.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Config;
use crate::error::DomainError;

/// Keyed GCRA limiters (one bucket per client IP, one per account email)
/// and the failed-login lock-outs per email.
pub struct AuthLimits {
    per_ip: DefaultKeyedRateLimiter<String>,
    per_account: DefaultKeyedRateLimiter<String>,
    lockout: Lockout,
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
            lockout: Lockout {
                threshold: config.login_lockout_threshold.max(1),
                base: Duration::from_secs(config.login_lockout_base_secs.max(1)),
                max: Duration::from_secs(config.login_lockout_max_secs.max(1)),
                entries: Mutex::new(HashMap::new()),
            },
        }
    }

    pub fn check_ip(&self, ip: &str) -> Result<(), DomainError> {
        check(&self.per_ip, ip)
    }

    pub fn check_account(&self, email: &str) -> Result<(), DomainError> {
        check(&self.per_account, &email_key(email))
    }

    /// 429 `account_locked` while `email` is locked out.
    pub fn check_lockout(&self, email: &str) -> Result<(), DomainError> {
        match self.lockout.remaining(&email_key(email), Instant::now()) {
            Some(wait) => Err(DomainError::AccountLocked {
                retry_after_secs: wait.as_secs() + 1,
            }),
            None => Ok(()),
        }
    }

    /// Counts a failed password or second-factor code against `email`.
    pub fn record_failure(&self, email: &str) {
        self.lockout.fail(&email_key(email), Instant::now());
    }

    /// A successful sign-in forgets the failures and the back-off.
    pub fn record_success(&self, email: &str) {
        self.lockout.forget(&email_key(email));
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

/// After a day without failures an email starts from a clean slate.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);

struct Lockout {
    threshold: u32,
    base: Duration,
    max: Duration,
    entries: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    /// Failures since the last lock-out (or success).
    count: u32,
    /// Lock-outs so far: the next one lasts `base * 2^lockouts`.
    lockouts: u32,
    locked_until: Option<Instant>,
    last: Instant,
}

impl Lockout {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        // A panic while holding the lock leaves plain counters behind: usable.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn remaining(&self, key: &str, now: Instant) -> Option<Duration> {
        let entries = self.entries();
        let until = entries.get(key)?.locked_until?;
        (until > now).then(|| until - now)
    }

    fn fail(&self, key: &str, now: Instant) {
        let mut entries = self.entries();
        if entries.len() > SWEEP_ABOVE {
            entries.retain(|_, f| {
                now.duration_since(f.last) < FORGET_AFTER || f.locked_until.is_some_and(|u| u > now)
            });
        }
        let entry = entries.entry(key.to_string()).or_insert(Failures {
            count: 0,
            lockouts: 0,
            locked_until: None,
            last: now,
        });
        if now.duration_since(entry.last) >= FORGET_AFTER {
            *entry = Failures {
                count: 0,
                lockouts: 0,
                locked_until: None,
                last: now,
            };
        }
        entry.last = now;
        entry.count += 1;
        if entry.count >= self.threshold {
            let factor = 2u32.saturating_pow(entry.lockouts.min(20));
            let wait = self.base.saturating_mul(factor).min(self.max);
            entry.locked_until = Some(now + wait);
            entry.lockouts = entry.lockouts.saturating_add(1);
            entry.count = 0;
        }
    }

    fn forget(&self, key: &str) {
        self.entries().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lockout() -> Lockout {
        Lockout {
            threshold: 3,
            base: Duration::from_secs(60),
            max: Duration::from_secs(200),
            entries: Mutex::new(HashMap::new()),
        }
    }

    #[test]
    fn locks_after_the_threshold_and_doubles_up_to_the_cap() {
        let l = lockout();
        let t0 = Instant::now();
        l.fail("a", t0);
        l.fail("a", t0);
        assert_eq!(l.remaining("a", t0), None);
        l.fail("a", t0);
        assert_eq!(l.remaining("a", t0), Some(Duration::from_secs(60)));
        let t1 = t0 + Duration::from_secs(61);
        assert_eq!(l.remaining("a", t1), None);
        for _ in 0..3 {
            l.fail("a", t1);
        }
        assert_eq!(l.remaining("a", t1), Some(Duration::from_secs(120)));
        let t2 = t1 + Duration::from_secs(121);
        for _ in 0..3 {
            l.fail("a", t2);
        }
        assert_eq!(l.remaining("a", t2), Some(Duration::from_secs(200)));
        assert_eq!(l.remaining("b", t2), None);
        l.forget("a");
        assert_eq!(l.remaining("a", t2), None);
    }
}
