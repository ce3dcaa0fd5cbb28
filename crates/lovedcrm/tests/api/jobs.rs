//! The job queue against a real database: retries with back-off and the
//! dead letter, scheduled jobs, idempotency keys, two pools competing for
//! the same jobs, expired leases, graceful shutdown, and its gauges.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lovedcrm::db::{self, Row};
use lovedcrm::jobs::{self, Enqueued, JobError, NewJob, Pool, PoolConfig, Registry};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both;

on_both!(
    failing_jobs_back_off_then_go_dead,
    scheduled_jobs_wait_for_their_time,
    an_idempotency_key_enqueues_once,
    two_pools_never_run_one_job_at_once,
    an_expired_lease_is_claimed_again,
    a_dead_processs_job_on_this_host_comes_back_at_once,
    shutdown_lets_jobs_finish_then_releases_the_rest,
    metrics_and_health_show_the_queue,
);

fn pool_config(workers: usize) -> PoolConfig {
    PoolConfig {
        workers,
        poll: Duration::from_millis(20),
        job_timeout: Duration::from_secs(10),
        retry_base: Duration::from_millis(200),
        retry_max: Duration::from_secs(5),
    }
}

#[derive(Debug, Row)]
struct JobRow {
    status: String,
    attempts: i32,
    last_error: Option<String>,
}

async fn job_row(app: &TestApp, id: Uuid) -> JobRow {
    db::fetch_one(
        app.state.store.connection(),
        "SELECT status, attempts, last_error FROM jobs WHERE id = $1",
        vec![id.into()],
    )
    .await
    .unwrap()
    .unwrap()
}

async fn enqueue(app: &TestApp, job: NewJob) -> Uuid {
    match jobs::enqueue(app.state.store.connection(), job)
        .await
        .unwrap()
    {
        Enqueued::New(id) => id,
        Enqueued::Duplicate => panic!("unexpected duplicate"),
    }
}

/// Polls `check` every 20 ms for up to `timeout`.
async fn eventually<F, Fut>(timeout: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn failing_jobs_back_off_then_go_dead(app: TestApp) {
    let runs: Arc<Mutex<Vec<(u32, Instant)>>> = Arc::default();
    let mut registry = Registry::new();
    let seen = runs.clone();
    registry.register("test.flaky", move |_, job| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push((job.attempt, Instant::now()));
            Err(JobError::Retry(format!(
                "provider down (attempt {})",
                job.attempt
            )))
        }
    });
    let pool = Pool::start(app.state.clone(), registry, pool_config(2));
    let id = enqueue(
        &app,
        NewJob {
            max_attempts: 4,
            ..NewJob::new("test.flaky", json!({}))
        },
    )
    .await;
    eventually(Duration::from_secs(15), "the dead letter", || async {
        job_row(&app, id).await.status == "dead"
    })
    .await;
    pool.shutdown(Duration::from_secs(1)).await;

    let row = job_row(&app, id).await;
    assert_eq!(row.attempts, 4);
    assert_eq!(row.last_error.as_deref(), Some("provider down (attempt 4)"));
    let runs = runs.lock().unwrap().clone();
    assert_eq!(
        runs.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![1, 2, 3, 4],
        "one run per attempt, no more after the last"
    );
    // Back-off doubles from 200 ms with jitter in the upper half of each
    // step: the gaps are at least 100, 200 and 400 ms.
    for (i, pair) in runs.windows(2).enumerate() {
        let gap = pair[1].1 - pair[0].1;
        let floor = Duration::from_millis(100 << i);
        assert!(
            gap >= floor,
            "gap {i} was {gap:?}, expected at least {floor:?}"
        );
    }

    // A handler that gives up for good goes dead at once.
    let mut registry = Registry::new();
    registry.register("test.broken", |_, _| async {
        Err(JobError::Permanent("malformed payload".into()))
    });
    let pool = Pool::start(app.state.clone(), registry, pool_config(1));
    let id = enqueue(&app, NewJob::new("test.broken", json!({}))).await;
    eventually(Duration::from_secs(10), "the dead letter", || async {
        job_row(&app, id).await.status == "dead"
    })
    .await;
    pool.shutdown(Duration::from_secs(1)).await;
    assert_eq!(job_row(&app, id).await.attempts, 1);
}

async fn scheduled_jobs_wait_for_their_time(app: TestApp) {
    let ran: Arc<Mutex<Vec<(Uuid, Instant)>>> = Arc::default();
    let mut registry = Registry::new();
    let seen = ran.clone();
    registry.register("test.later", move |_, job| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push((job.id, Instant::now()));
            Ok(())
        }
    });
    let pool = Pool::start(app.state.clone(), registry, pool_config(2));
    let start = Instant::now();
    let later = enqueue(
        &app,
        NewJob {
            run_at: Some(db::now() + chrono::Duration::milliseconds(1500)),
            ..NewJob::new("test.later", json!({}))
        },
    )
    .await;
    let now = enqueue(&app, NewJob::new("test.later", json!({}))).await;
    eventually(Duration::from_secs(10), "both jobs", || async {
        ran.lock().unwrap().len() == 2
    })
    .await;
    pool.shutdown(Duration::from_secs(1)).await;
    let ran = ran.lock().unwrap().clone();
    assert_eq!(ran[0].0, now, "the due job runs first");
    assert_eq!(ran[1].0, later);
    let waited = ran[1].1 - start;
    assert!(
        waited >= Duration::from_millis(1450),
        "ran after {waited:?}"
    );
}

async fn an_idempotency_key_enqueues_once(app: TestApp) {
    let key = format!("welcome-{}", Uuid::now_v7());
    let job = || NewJob {
        idempotency_key: Some(key.clone()),
        ..NewJob::new("test.once", json!({"n": 1}))
    };
    // The second try runs inside a transaction that then commits: the
    // conflict must not abort it (PostgreSQL would, on a plain violation).
    let first = jobs::enqueue(app.state.store.connection(), job())
        .await
        .unwrap();
    assert!(matches!(first, Enqueued::New(_)));
    let tx = db::GlobalTx::begin(&app.state.store, None, db::TxMode::Write)
        .await
        .unwrap();
    assert_eq!(
        jobs::enqueue(&*tx, job()).await.unwrap(),
        Enqueued::Duplicate
    );
    let other = jobs::enqueue(&*tx, NewJob::new("test.once", json!({})))
        .await
        .unwrap();
    assert!(matches!(other, Enqueued::New(_)));
    tx.commit().await.unwrap();

    #[derive(Row)]
    struct Count {
        n: i64,
    }
    let count: Count = db::fetch_one(
        app.state.store.connection(),
        "SELECT COUNT(*) AS n FROM jobs WHERE idempotency_key = $1",
        vec![key.clone().into()],
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(count.n, 1);

    // A job enqueued in a transaction that rolls back never existed.
    let tx = db::GlobalTx::begin(&app.state.store, None, db::TxMode::Write)
        .await
        .unwrap();
    let Enqueued::New(ghost) = jobs::enqueue(&*tx, NewJob::new("test.once", json!({})))
        .await
        .unwrap()
    else {
        panic!("new job expected");
    };
    drop(tx);
    let gone: Option<Count> = db::fetch_one(
        app.state.store.connection(),
        "SELECT 1 AS n FROM jobs WHERE id = $1",
        vec![ghost.into()],
    )
    .await
    .unwrap();
    assert!(gone.is_none());
}

async fn two_pools_never_run_one_job_at_once(app: TestApp) {
    const JOBS: usize = 300;
    #[derive(Default)]
    struct Seen {
        running: HashMap<Uuid, usize>,
        runs: HashMap<Uuid, usize>,
        overlaps: usize,
    }
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let registry = |pool: usize| {
        let seen = seen.clone();
        let mut registry = Registry::new();
        registry.register("test.count", move |_, job| {
            let seen = seen.clone();
            async move {
                {
                    let mut s = seen.lock().unwrap();
                    let running = s.running.entry(job.id).or_default();
                    *running += 1;
                    if *running > 1 {
                        s.overlaps += 1;
                    }
                    *s.runs.entry(job.id).or_default() += 1;
                }
                tokio::time::sleep(Duration::from_millis(2 + (pool as u64))).await;
                *seen.lock().unwrap().running.get_mut(&job.id).unwrap() -= 1;
                Ok(())
            }
        });
        registry
    };
    // Two pools with their own connection pools, like two processes.
    let mut second_config = app.state.config.clone();
    second_config.migrate_on_start = false;
    let second = lovedcrm::Application::prepare(second_config).await.unwrap();
    let tx = db::GlobalTx::begin(&app.state.store, None, db::TxMode::Write)
        .await
        .unwrap();
    for n in 0..JOBS {
        jobs::enqueue(&*tx, NewJob::new("test.count", json!({ "n": n })))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let a = Pool::start(app.state.clone(), registry(0), pool_config(4));
    let b = Pool::start(second.clone(), registry(1), pool_config(4));
    eventually(Duration::from_secs(60), "every job", || async {
        seen.lock().unwrap().runs.len() == JOBS
            && jobs::stats(&app.state.store).await.unwrap().running == 0
    })
    .await;
    a.shutdown(Duration::from_secs(2)).await;
    b.shutdown(Duration::from_secs(2)).await;
    let s = seen.lock().unwrap();
    assert_eq!(s.overlaps, 0, "a job ran in two workers at once");
    let twice = s.runs.values().filter(|&&n| n > 1).count();
    assert_eq!(
        twice, 0,
        "{twice} jobs ran more than once without any failure"
    );
}

async fn an_expired_lease_is_claimed_again(app: TestApp) {
    let id = enqueue(&app, NewJob::new("test.orphan", json!({}))).await;
    // A worker claims it and dies (never reports back).
    let kinds = vec!["test.orphan".to_string()];
    let claimed = jobs::claim(
        &app.state.store,
        &kinds,
        Duration::from_millis(500),
        "dead-worker",
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(claimed.id, id);
    assert!(
        jobs::claim(&app.state.store, &kinds, Duration::from_secs(5), "other")
            .await
            .unwrap()
            .is_none(),
        "leased: nobody else may take it"
    );
    let mut registry = Registry::new();
    registry.register("test.orphan", |_, _| async { Ok(()) });
    let pool = Pool::start(app.state.clone(), registry, pool_config(1));
    eventually(Duration::from_secs(10), "the orphan to finish", || async {
        job_row(&app, id).await.status == "done"
    })
    .await;
    pool.shutdown(Duration::from_secs(1)).await;
    assert_eq!(job_row(&app, id).await.attempts, 2);
}

async fn a_dead_processs_job_on_this_host_comes_back_at_once(app: TestApp) {
    let id = enqueue(&app, NewJob::new("test.crashed", json!({}))).await;
    let alive = enqueue(&app, NewJob::new("test.crashed", json!({}))).await;
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    let kinds = vec!["test.crashed".to_string()];
    // Held for an hour by a process that no longer exists (pid 0 never
    // names one in /proc), and by this very process (alive: left alone).
    for worker in [
        format!("{host}:0:0"),
        format!("{host}:{}:7", std::process::id()),
    ] {
        jobs::claim(&app.state.store, &kinds, Duration::from_secs(3600), &worker)
            .await
            .unwrap()
            .unwrap();
    }
    let mut registry = Registry::new();
    registry.register("test.crashed", |_, _| async { Ok(()) });
    let pool = Pool::start(app.state.clone(), registry, pool_config(1));
    eventually(
        Duration::from_secs(5),
        "the dead process's job to run",
        || async { job_row(&app, id).await.status == "done" },
    )
    .await;
    pool.shutdown(Duration::from_secs(1)).await;
    assert_eq!(
        job_row(&app, alive).await.status,
        "running",
        "a live worker keeps its lease"
    );
}

async fn shutdown_lets_jobs_finish_then_releases_the_rest(app: TestApp) {
    let started: Arc<Mutex<Vec<Uuid>>> = Arc::default();
    let mut registry = Registry::new();
    let seen = started.clone();
    registry.register("test.slow", move |_, job| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(job.id);
            let ms = job.payload["ms"].as_u64().unwrap();
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(())
        }
    });
    let short = enqueue(&app, NewJob::new("test.slow", json!({"ms": 300}))).await;
    let long = enqueue(&app, NewJob::new("test.slow", json!({"ms": 600_000}))).await;
    let pool = Pool::start(app.state.clone(), registry, pool_config(2));
    eventually(Duration::from_secs(10), "both jobs to start", || async {
        started.lock().unwrap().len() == 2
    })
    .await;
    let t = Instant::now();
    pool.shutdown(Duration::from_secs(1)).await;
    // Not a timing bound (a slow machine may take seconds): the drain did
    // not wait for the ten-minute job.
    assert!(
        t.elapsed() < Duration::from_secs(120),
        "shutdown waited for the long job"
    );
    assert_eq!(
        job_row(&app, short).await.status,
        "done",
        "finished in the drain"
    );
    let row = job_row(&app, long).await;
    assert_eq!(row.status, "queued", "released, not lost");
    assert_eq!(row.attempts, 0, "the interrupted attempt does not count");
    // Released means claimable right away (no lease left).
    let claimed = jobs::claim(
        &app.state.store,
        &["test.slow".to_string()],
        Duration::from_secs(5),
        "next",
    )
    .await
    .unwrap();
    assert_eq!(claimed.map(|j| j.id), Some(long));
}

async fn metrics_and_health_show_the_queue(app: TestApp) {
    for _ in 0..3 {
        enqueue(&app, NewJob::new("test.nobody-handles", json!({}))).await;
    }
    enqueue(
        &app,
        NewJob {
            run_at: Some(db::now() + chrono::Duration::hours(1)),
            ..NewJob::new("test.nobody-handles", json!({}))
        },
    )
    .await;
    let health: serde_json::Value = app
        .client
        .get(app.url("/health/detailed"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jobs = &health["jobs"];
    assert_eq!(jobs["status"], "ok", "{health}");
    assert!(jobs["ready"].as_i64().unwrap() >= 3, "{jobs}");
    assert!(jobs["scheduled"].as_i64().unwrap() >= 1, "{jobs}");
    assert!(jobs["lag_seconds"].as_f64().unwrap() >= 0.0);
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for gauge in [
        "jobs_ready",
        "jobs_scheduled",
        "jobs_running",
        "jobs_failed",
        "jobs_dead",
        "jobs_lag_seconds",
    ] {
        assert!(metrics.contains(gauge), "{gauge} missing from /metrics");
    }
}
