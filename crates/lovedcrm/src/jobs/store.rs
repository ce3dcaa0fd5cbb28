//! The SQL of the queue: one statement per state change.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Value};
use serde_json::Value as Json;
use uuid::Uuid;

use super::{Job, NewJob};
use crate::db::{self, DbErr, GlobalTx, Row, Store, TxMode};

/// What [`enqueue`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    New(Uuid),
    /// A job with the same idempotency key already exists; nothing was added.
    Duplicate,
}

/// Adds `job` through `conn`: pass the caller's transaction (`&*tx` of a
/// `TenantTx` or `GlobalTx`) so the job commits or rolls back with the
/// write that caused it.
pub async fn enqueue<C: ConnectionTrait>(conn: &C, job: NewJob) -> Result<Enqueued, DbErr> {
    let id = Uuid::now_v7();
    let now = db::now();
    // ON CONFLICT DO NOTHING rather than catching the unique violation: on
    // PostgreSQL a failed statement would abort the caller's transaction.
    let added = db::exec(
        conn,
        "INSERT INTO jobs (id, kind, payload, org_scope, status, attempts, max_attempts, run_at, \
         idempotency_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7, $8, $8) \
         ON CONFLICT (idempotency_key) DO NOTHING",
        vec![
            id.into(),
            job.kind.into(),
            job.payload.into(),
            job.org_scope.into(),
            (job.max_attempts.max(1) as i32).into(),
            job.run_at.unwrap_or(now).into(),
            job.idempotency_key.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(if added == 1 {
        Enqueued::New(id)
    } else {
        Enqueued::Duplicate
    })
}

#[derive(Row)]
struct Claimed {
    id: Uuid,
    kind: String,
    payload: Json,
    org_scope: Option<Uuid>,
    attempts: i32,
    max_attempts: i32,
}

/// Claims the next due job of one of `kinds` for `lease`, or `None`.
///
/// Due: queued with `run_at` passed, or running with an expired lease (its
/// worker died). The attempt counter goes up at claim time, so a job that
/// kills its worker every time still ends up dead.
pub async fn claim(
    store: &Store,
    kinds: &[String],
    lease: Duration,
    worker: &str,
) -> Result<Option<Job>, DbErr> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let now = db::now();
    let token = Uuid::now_v7();
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    let kind_params: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 5)).collect();
    let postgres = store.backend() == DbBackend::Postgres;
    let sql = format!(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $1, \
         lock_token = $2, locked_by = $3, updated_at = $4 \
         WHERE id = (SELECT id FROM jobs WHERE kind IN ({kinds}) AND \
           ((status = 'queued' AND run_at <= $4) OR (status = 'running' AND locked_until <= $4)) \
           ORDER BY run_at, id LIMIT 1{lock}) \
         RETURNING id, kind, payload, org_scope, attempts, max_attempts",
        kinds = kind_params.join(", "),
        lock = if postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        },
    );
    let mut values: Vec<Value> = vec![until.into(), token.into(), worker.into(), now.into()];
    values.extend(kinds.iter().map(|k| k.clone().into()));
    let row: Option<Claimed> = if postgres {
        // One statement is its own transaction; SKIP LOCKED keeps
        // concurrent claimers off each other's rows.
        db::fetch_one(store.connection(), &sql, values).await?
    } else {
        // SQLite: take the write lock up front (IMMEDIATE) so the read of
        // the candidate and its update see the same database.
        let tx = GlobalTx::begin(store, None, TxMode::Write).await?;
        let row = db::fetch_one(&*tx, &sql, values).await?;
        tx.commit().await?;
        row
    };
    Ok(row.map(|r| Job {
        id: r.id,
        kind: r.kind,
        payload: r.payload,
        org_scope: r.org_scope,
        attempt: r.attempts.max(0) as u32,
        max_attempts: r.max_attempts.max(0) as u32,
        lock_token: token,
    }))
}

/// Marks `job` done. False when its lease was lost meanwhile.
pub async fn complete(store: &Store, job: &Job) -> Result<bool, DbErr> {
    let now = db::now();
    let n = db::exec(
        store.connection(),
        "UPDATE jobs SET status = 'done', finished_at = $3, updated_at = $3, locked_until = NULL, \
         lock_token = NULL, last_error = NULL WHERE id = $1 AND lock_token = $2",
        vec![job.id.into(), job.lock_token.into(), now.into()],
    )
    .await?;
    Ok(n == 1)
}

/// Puts `job` back for another attempt at `run_at`.
pub async fn retry(
    store: &Store,
    job: &Job,
    run_at: DateTime<Utc>,
    error: &str,
) -> Result<bool, DbErr> {
    let n = db::exec(
        store.connection(),
        "UPDATE jobs SET status = 'queued', run_at = $3, last_error = $4, updated_at = $5, \
         locked_until = NULL, lock_token = NULL WHERE id = $1 AND lock_token = $2",
        vec![
            job.id.into(),
            job.lock_token.into(),
            run_at.into(),
            truncate(error).into(),
            db::now().into(),
        ],
    )
    .await?;
    Ok(n == 1)
}

/// Gives up on `job`: it stays in the table as `dead` for an operator.
pub async fn bury(store: &Store, job: &Job, error: &str) -> Result<bool, DbErr> {
    let now = db::now();
    let n = db::exec(
        store.connection(),
        "UPDATE jobs SET status = 'dead', last_error = $3, finished_at = $4, updated_at = $4, \
         locked_until = NULL, lock_token = NULL WHERE id = $1 AND lock_token = $2",
        vec![
            job.id.into(),
            job.lock_token.into(),
            truncate(error).into(),
            now.into(),
        ],
    )
    .await?;
    Ok(n == 1)
}

/// Hands `job` back untouched (shutdown): due now, and the interrupted
/// attempt does not count.
pub async fn release(store: &Store, job: &Job) -> Result<bool, DbErr> {
    let now = db::now();
    let n = db::exec(
        store.connection(),
        "UPDATE jobs SET status = 'queued', attempts = attempts - 1, run_at = $3, updated_at = $3, \
         locked_until = NULL, lock_token = NULL, locked_by = NULL \
         WHERE id = $1 AND lock_token = $2",
        vec![job.id.into(), job.lock_token.into(), now.into()],
    )
    .await?;
    Ok(n == 1)
}

/// Replaces the payload of `job` while it runs: for a handler whose input
/// held a secret it no longer needs once done (a mailed link).
pub async fn replace_payload(store: &Store, job: &Job, payload: Json) -> Result<bool, DbErr> {
    let n = db::exec(
        store.connection(),
        "UPDATE jobs SET payload = $3 WHERE id = $1 AND lock_token = $2",
        vec![job.id.into(), job.lock_token.into(), payload.into()],
    )
    .await?;
    Ok(n == 1)
}

/// Deletes jobs finished successfully before `done_before`, and dead ones
/// (kept longer, for an operator to look at) before `dead_before`.
pub async fn purge_finished(
    store: &Store,
    done_before: DateTime<Utc>,
    dead_before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    db::exec(
        store.connection(),
        "DELETE FROM jobs WHERE (status = 'done' AND finished_at < $1)          OR (status = 'dead' AND finished_at < $2)",
        vec![done_before.into(), dead_before.into()],
    )
    .await
}

/// Error texts are kept short: they are for operators, not archives.
fn truncate(error: &str) -> String {
    error.chars().take(2000).collect()
}

#[derive(Row)]
struct Held {
    id: Uuid,
    lock_token: Option<Uuid>,
    locked_by: Option<String>,
}

/// Hands back the jobs that workers of dead processes on `host` were
/// running (a `kill -9` or a crash), at once rather than when their lease
/// expires: a reminder due during a restart then fires seconds late, not a
/// lease late. Workers on other hosts cannot be checked from here; their
/// jobs come back when the lease runs out.
pub async fn release_orphans(store: &Store, host: &str) -> Result<u64, DbErr> {
    let held: Vec<Held> = db::fetch_all(
        store.connection(),
        "SELECT id, lock_token, locked_by FROM jobs WHERE status = 'running' AND locked_by LIKE $1",
        vec![format!("{host}:%").into()],
    )
    .await?;
    let me = std::process::id();
    let mut released = 0;
    for job in held {
        let pid = job
            .locked_by
            .as_deref()
            .and_then(|w| w.rsplit(':').nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        if pid == me || std::path::Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        released += db::exec(
            store.connection(),
            "UPDATE jobs SET status = 'queued', locked_until = NULL, lock_token = NULL, \
             locked_by = NULL, updated_at = $3 WHERE id = $1 AND status = 'running' AND lock_token = $2",
            vec![job.id.into(), job.lock_token.into(), db::now().into()],
        )
        .await?;
    }
    Ok(released)
}
