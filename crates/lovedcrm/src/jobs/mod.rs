//! A durable job queue in the application database.
//!
//! Why our own table and not a queue crate: a job must be enqueued in the
//! same transaction as the write that causes it (a registration and its
//! verification email commit or vanish together), on SQLite and PostgreSQL
//! alike. See `/work/shared/DEPENDENCIES.md` on apalis.
//!
//! The life of a job: `queued` (waiting for `run_at`) → claimed by a worker
//! (`running`, with a lease in `locked_until` and a fresh `lock_token`) →
//! `done`, or back to `queued` with an exponential, jittered delay after a
//! failure, or `dead` once `max_attempts` are spent. A worker that dies
//! (kill -9, power loss) leaves its job `running`; once the lease expires
//! another worker claims it again. Delivery is therefore at-least-once:
//! handlers must tolerate running twice.
//!
//! Claiming: PostgreSQL picks a row with `FOR UPDATE SKIP LOCKED`, so
//! workers on many nodes never wait on each other; SQLite has one writer at
//! a time and claims inside an IMMEDIATE transaction. Either way a claim is
//! one `UPDATE … RETURNING` and two workers never hold the same lease.
//!
//! Handlers are registered by `kind` in a [`Registry`]; a worker only
//! claims kinds it has a handler for, so an older binary in a rolling
//! deploy leaves a newer kind alone.

mod pool;
mod registry;
mod stats;
mod store;

pub use pool::{Pool, PoolConfig};
pub use registry::{Registry, default_registry};
pub use stats::{QueueStats, publish as publish_stats, stats};
pub use store::{Enqueued, claim, enqueue, purge_finished, replace_payload};

use chrono::{DateTime, Utc};
use serde_json::Value as Json;
use uuid::Uuid;

/// Attempts a job gets unless it says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;

/// A job to enqueue. Build with [`NewJob::new`] and override fields:
/// `NewJob { run_at: Some(t), ..NewJob::new("kind", json!({…})) }`.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// Names the handler, e.g. `email.send`.
    pub kind: &'static str,
    pub payload: Json,
    /// Not before this time; `None` = now.
    pub run_at: Option<DateTime<Utc>>,
    /// Enqueueing the same key again is a no-op (for as long as the job
    /// row exists: finished jobs are purged after a retention period).
    pub idempotency_key: Option<String>,
    pub max_attempts: u32,
    /// The organization the job acts for, if any.
    pub org_scope: Option<Uuid>,
}

impl NewJob {
    pub fn new(kind: &'static str, payload: Json) -> Self {
        Self {
            kind,
            payload,
            run_at: None,
            idempotency_key: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            org_scope: None,
        }
    }
}

/// A claimed job, as its handler sees it.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub payload: Json,
    pub org_scope: Option<Uuid>,
    /// This run's number, from 1.
    pub attempt: u32,
    pub max_attempts: u32,
    /// Proves this worker still holds the lease when it reports back.
    pub lock_token: Uuid,
}

/// Why a handler did not finish its job.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth trying again later (network, a busy provider, a 4xx SMTP reply).
    #[error("{0}")]
    Retry(String),
    /// Will never work (a malformed payload, a permanently refused
    /// recipient): straight to `dead`.
    #[error("{0}")]
    Permanent(String),
}

impl JobError {
    pub fn retry(err: impl std::fmt::Display) -> Self {
        Self::Retry(err.to_string())
    }

    pub fn permanent(err: impl std::fmt::Display) -> Self {
        Self::Permanent(err.to_string())
    }
}

impl From<sea_orm::DbErr> for JobError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Retry(format!("database: {err}"))
    }
}
