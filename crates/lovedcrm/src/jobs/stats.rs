//! Queue depth and lag for `/metrics` and `/health/detailed`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::{self, DbErr, Row, Store};

/// A snapshot of the queue.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QueueStats {
    /// Due and waiting for a worker.
    pub ready: i64,
    /// Waiting for a later `run_at` (including retries in back-off).
    pub scheduled: i64,
    /// Held by a worker (or by a dead one until its lease expires).
    pub running: i64,
    /// Queued again after a failed attempt.
    pub failed: i64,
    /// Out of attempts; kept for an operator.
    pub dead: i64,
    /// Age of the oldest due job, in seconds (0 when none is waiting).
    pub lag_seconds: f64,
}

#[derive(Row)]
struct Counts {
    ready: i64,
    scheduled: i64,
    running: i64,
    failed: i64,
    dead: i64,
    oldest_ready: Option<DateTime<Utc>>,
}

pub async fn stats(store: &Store) -> Result<QueueStats, DbErr> {
    let now = db::now();
    // `status IN (…)` rather than `<> 'done'` so the index skips finished jobs.
    let counts: Option<Counts> = db::fetch_one(
        store.connection(),
        "SELECT \
           COALESCE(SUM(CASE WHEN status = 'queued' AND run_at <= $1 THEN 1 ELSE 0 END), 0) AS ready, \
           COALESCE(SUM(CASE WHEN status = 'queued' AND run_at > $1 THEN 1 ELSE 0 END), 0) AS scheduled, \
           COALESCE(SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END), 0) AS running, \
           COALESCE(SUM(CASE WHEN status = 'queued' AND attempts > 0 THEN 1 ELSE 0 END), 0) AS failed, \
           COALESCE(SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END), 0) AS dead, \
           MIN(CASE WHEN status = 'queued' AND run_at <= $1 THEN run_at END) AS oldest_ready \
         FROM jobs WHERE status IN ('queued', 'running', 'dead')",
        vec![now.into()],
    )
    .await?;
    let Some(c) = counts else {
        return Ok(QueueStats::default());
    };
    let lag = c
        .oldest_ready
        .map(|t| (now - t).num_milliseconds().max(0) as f64 / 1000.0)
        .unwrap_or(0.0);
    Ok(QueueStats {
        ready: c.ready,
        scheduled: c.scheduled,
        running: c.running,
        failed: c.failed,
        dead: c.dead,
        lag_seconds: lag,
    })
}

/// Publishes `stats` as gauges for the Prometheus exporter.
pub fn publish(stats: &QueueStats) {
    metrics::gauge!("jobs_ready").set(stats.ready as f64);
    metrics::gauge!("jobs_scheduled").set(stats.scheduled as f64);
    metrics::gauge!("jobs_running").set(stats.running as f64);
    metrics::gauge!("jobs_failed").set(stats.failed as f64);
    metrics::gauge!("jobs_dead").set(stats.dead as f64);
    metrics::gauge!("jobs_lag_seconds").set(stats.lag_seconds);
}
