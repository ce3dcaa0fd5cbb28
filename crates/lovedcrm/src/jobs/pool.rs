//! Workers: claim, run, report; stop gracefully.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument;

use super::registry::Registry;
use super::{Job, JobError, store};
use crate::app::SharedState;
use crate::config::Config;
use crate::db;

/// How a pool of workers behaves.
#[derive(Debug, Clone)]
pub struct PoolConfig {
    pub workers: usize,
    /// Sleep of an idle worker between looks at the queue.
    pub poll: Duration,
    /// The longest a job may run; the lease is this plus [`LEASE_MARGIN`].
    pub job_timeout: Duration,
    pub retry_base: Duration,
    pub retry_max: Duration,
}

/// The lease outlives the job timeout by this much, so a job is abandoned
/// by its own worker before anyone else may claim it.
pub const LEASE_MARGIN: Duration = Duration::from_secs(5);

/// How long finished jobs are kept (for idempotency keys and inspection).
const RETENTION: chrono::Duration = chrono::Duration::days(7);
/// How long dead jobs are kept for an operator to look at.
const DEAD_RETENTION: chrono::Duration = chrono::Duration::days(30);
/// How long mail kept in the outbox (no SMTP relay) stays readable: as long
/// as the longest-lived link it can carry (an invitation, 7 days).
const OUTBOX_RETENTION: chrono::Duration = chrono::Duration::days(7);

impl PoolConfig {
    pub fn from_config(config: &Config) -> Self {
        Self {
            workers: config.workers,
            poll: Duration::from_millis(config.job_poll_ms.max(10)),
            job_timeout: Duration::from_secs(config.job_timeout_secs.max(1)),
            retry_base: Duration::from_millis(config.job_retry_base_ms.max(1)),
            retry_max: Duration::from_secs(config.job_retry_max_secs.max(1)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    /// Claim nothing new; finish what runs.
    Draining,
    /// Stop running jobs now and hand them back.
    Abort,
}

/// Running workers; [`Pool::shutdown`] stops them.
pub struct Pool {
    phase: watch::Sender<Phase>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    /// Starts `config.workers` workers claiming the kinds of `registry`.
    pub fn start(app: SharedState, registry: Registry, config: PoolConfig) -> Pool {
        let (phase, _) = watch::channel(Phase::Running);
        let registry = Arc::new(registry);
        let host = hostname();
        let workers = (0..config.workers)
            .map(|n| {
                let worker = Worker {
                    name: format!("{host}:{}:{n}", std::process::id()),
                    app: app.clone(),
                    registry: registry.clone(),
                    config: config.clone(),
                    phase: phase.subscribe(),
                    housekeeper: n == 0,
                };
                tokio::spawn(worker.run())
            })
            .collect();
        if config.workers > 0 {
            tracing::info!(workers = config.workers, kinds = ?registry.kinds(), "job workers started");
        }
        Pool { phase, workers }
    }

    /// Stops claiming, lets running jobs finish for up to `drain`, then
    /// interrupts the rest and releases them for another worker.
    pub async fn shutdown(self, drain: Duration) {
        let _ = self.phase.send(Phase::Draining);
        let deadline = tokio::time::Instant::now() + drain;
        let mut left = Vec::new();
        for mut handle in self.workers {
            if tokio::time::timeout_at(deadline, &mut handle)
                .await
                .is_err()
            {
                left.push(handle);
            }
        }
        if !left.is_empty() {
            tracing::warn!(
                jobs = left.len(),
                "jobs still running after the drain timeout; releasing them"
            );
            let _ = self.phase.send(Phase::Abort);
            for handle in left {
                let _ = handle.await;
            }
        }
        tracing::info!("job workers stopped");
    }
}

struct Worker {
    name: String,
    app: SharedState,
    registry: Arc<Registry>,
    config: PoolConfig,
    phase: watch::Receiver<Phase>,
    /// One worker per pool also purges old finished jobs.
    housekeeper: bool,
}

impl Worker {
    async fn run(mut self) {
        let kinds = self.registry.kinds();
        let lease = self.config.job_timeout + LEASE_MARGIN;
        let mut last_purge = tokio::time::Instant::now();
        if self.housekeeper && std::path::Path::new("/proc/self").exists() {
            match store::release_orphans(&self.app.store, &hostname()).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(jobs = n, "released jobs of a worker process that died"),
                Err(err) => tracing::warn!(error = %err, "could not look for orphaned jobs"),
            }
        }
        while *self.phase.borrow() == Phase::Running {
            if self.housekeeper && last_purge.elapsed() > Duration::from_secs(600) {
                last_purge = tokio::time::Instant::now();
                self.purge().await;
            }
            match store::claim(&self.app.store, &kinds, lease, &self.name).await {
                Ok(Some(job)) => {
                    let span = tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempt);
                    if !self.execute(job).instrument(span).await {
                        break;
                    }
                }
                Ok(None) => self.idle(self.config.poll).await,
                Err(err) => {
                    tracing::warn!(error = %err, "could not claim a job");
                    self.idle(self.config.poll * 4).await;
                }
            }
        }
    }

    /// Sleeps, waking early on shutdown.
    async fn idle(&mut self, pause: Duration) {
        let _ = tokio::time::timeout(pause, self.phase.changed()).await;
    }

    /// Housekeeping: what is kept only for a while is deleted once its
    /// while is over (finished jobs, mail in the outbox, sign-in failures).
    async fn purge(&self) {
        let store = &self.app.store;
        let now = db::now();
        let report = |what: &str, result: Result<u64, db::DbErr>| match result {
            Ok(0) => {}
            Ok(n) => tracing::info!(rows = n, what, "purged"),
            Err(err) => tracing::warn!(error = %err, what, "could not purge"),
        };
        report(
            "jobs",
            store::purge_finished(store, now - RETENTION, now - DEAD_RETENTION).await,
        );
        report(
            "email outbox",
            crate::email::outbox::purge(store, now - OUTBOX_RETENTION).await,
        );
        report("login failures", crate::auth::lockout::purge(store).await);
    }

    /// Runs one claimed job and records the outcome; false when the pool
    /// is aborting.
    async fn execute(&mut self, job: Job) -> bool {
        let store = &self.app.store;
        if job.attempt > job.max_attempts {
            // Its previous run ended without a report: the worker died.
            self.report(
                store::bury(store, &job, "the worker died during the last attempt").await,
                &job,
                "dead",
            );
            return true;
        }
        let Some(future) = self.registry.start(self.app.clone(), job.clone()) else {
            let _ = store::release(store, &job).await;
            return true;
        };
        // Its own task, so a panicking handler fails the job, not the worker.
        let mut task = tokio::spawn(future.in_current_span());
        let outcome = tokio::select! {
            joined = tokio::time::timeout(self.config.job_timeout, &mut task) => match joined {
                Ok(Ok(result)) => result,
                Ok(Err(join)) => Err(JobError::Retry(format!("the handler panicked: {join}"))),
                Err(_) => {
                    task.abort();
                    Err(JobError::Retry(format!("timed out after {:?}", self.config.job_timeout)))
                }
            },
            () = aborted(&mut self.phase) => {
                task.abort();
                let released = store::release(store, &job).await;
                self.report(released, &job, "released");
                return false;
            }
        };
        match outcome {
            Ok(()) => self.report(store::complete(store, &job).await, &job, "done"),
            Err(JobError::Permanent(error)) => {
                tracing::warn!(%error, "job failed permanently");
                self.report(store::bury(store, &job, &error).await, &job, "dead");
            }
            Err(JobError::Retry(error)) if job.attempt >= job.max_attempts => {
                tracing::warn!(%error, "job failed on its last attempt");
                self.report(store::bury(store, &job, &error).await, &job, "dead");
            }
            Err(JobError::Retry(error)) => {
                let delay = backoff(job.attempt, self.config.retry_base, self.config.retry_max);
                tracing::info!(%error, retry_in_ms = delay.as_millis() as u64, "job failed; will retry");
                let at = db::now() + chrono::Duration::from_std(delay).unwrap_or_default();
                self.report(store::retry(store, &job, at, &error).await, &job, "retry");
            }
        }
        true
    }

    fn report(&self, result: Result<bool, db::DbErr>, job: &Job, outcome: &'static str) {
        match result {
            Ok(true) => {}
            // Someone else holds it now (our lease expired): their report wins.
            Ok(false) => tracing::warn!(id = %job.id, outcome, "lost the lease of a job"),
            // The lease will expire and the job run again: at-least-once.
            Err(err) => {
                tracing::error!(id = %job.id, outcome, error = %err, "could not record a job outcome")
            }
        }
        metrics::counter!("jobs_processed_total", "kind" => job.kind.clone(), "outcome" => outcome)
            .increment(1);
    }
}

/// Completes when the pool switches to `Abort` (or is gone).
async fn aborted(phase: &mut watch::Receiver<Phase>) {
    loop {
        if *phase.borrow_and_update() == Phase::Abort {
            return;
        }
        if phase.changed().await.is_err() {
            return;
        }
    }
}

/// `base · 2^(attempt-1)`, capped at `max`, then a random point in its
/// upper half ("equal jitter"): retries spread out instead of stampeding
/// a recovering provider, yet never come sooner than half the step.
pub fn backoff(attempt: u32, base: Duration, max: Duration) -> Duration {
    let exp = attempt.saturating_sub(1).min(30);
    let step = base.saturating_mul(1u32 << exp).min(max);
    let half = step / 2;
    let jitter = rand::random_range(0..=half.as_millis().max(1) as u64);
    half + Duration::from_millis(jitter).min(step - half)
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let base = Duration::from_secs(5);
        let max = Duration::from_secs(3600);
        for _ in 0..100 {
            let first = backoff(1, base, max);
            assert!(
                first >= Duration::from_millis(2500) && first <= base,
                "{first:?}"
            );
            let third = backoff(3, base, max);
            assert!(third >= Duration::from_secs(10) && third <= Duration::from_secs(20));
            let late = backoff(40, base, max);
            assert!(late >= max / 2 && late <= max, "{late:?}");
        }
    }
}
