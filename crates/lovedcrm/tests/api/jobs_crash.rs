//! The real `lovedcrm` binary sending thousands of queued emails over SMTP
//! while it is killed with SIGKILL again and again: every job must be
//! delivered at least once, none lost. Also measures plain throughput.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use lovedcrm::db::{self, GlobalTx, Row, TxMode};
use lovedcrm::email::{self, Locale, Template};
use nix::sys::signal::Signal;

use crate::helpers::{TOKEN_KEY, TestApp};
use crate::process::{self, Process};
use crate::smtp_sink::SmtpSink;

const JOBS: usize = 3000;
const KILLS: usize = 5;
const WORKERS: &str = "4";

/// Like `on_both!`, on a multi-threaded runtime (the SMTP sink must keep
/// answering while the test waits), with the in-process app's own workers
/// off: only the spawned binary works the queue.
macro_rules! on_both_mt {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = crate::helpers::TestApp::spawn_sqlite(|c| c.workers = 0).await;
                super::$name(app, "sqlite").await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = crate::helpers::TestApp::spawn_postgres(|c| c.workers = 0).await {
                    super::$name(app, "postgres").await;
                }
            }
        }
    )*};
}

on_both_mt!(kill_9_loses_no_job, queue_throughput);

/// The binary serving with its workers on, over the test's database.
fn server_command(
    app: &TestApp,
    sink: Option<&SmtpSink>,
    dir: &std::path::Path,
    lease_secs: u64,
) -> std::process::Command {
    let mut command = process::command(dir);
    if let Some(sink) = sink {
        command
            .env("LOVEDCRM_SMTP_HOST", "127.0.0.1")
            .env("LOVEDCRM_SMTP_PORT", sink.port.to_string());
    }
    command
        .arg("serve")
        .env("DATABASE_URL", &app.database_url)
        .env("LOVEDCRM_DATA_DIR", dir)
        .env("LOVEDCRM_TOKEN_KEY", TOKEN_KEY)
        .env(
            "LOVEDCRM_ENCRYPTION_KEY",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )
        .env("LOVEDCRM_MIGRATE_ON_START", "false")
        .env("LOVEDCRM_SMTP_SECURITY", "none")
        .env("LOVEDCRM_SMTP_FROM", "Loved CRM <crm@example.com>")
        .env("LOVEDCRM_WORKERS", WORKERS)
        .env("LOVEDCRM_JOB_POLL_MS", "100")
        // The lease is the timeout + 5 s.
        .env(
            "LOVEDCRM_JOB_TIMEOUT_SECS",
            lease_secs.saturating_sub(5).to_string(),
        )
        .env("LOVEDCRM_LOG", "error");
    command
}

/// Queues `JOBS` emails, each to its own address, in transactions of 500.
async fn enqueue_mails(app: &TestApp) {
    for batch in 0..JOBS.div_ceil(500) {
        let tx = GlobalTx::begin(&app.state.store, None, TxMode::Write)
            .await
            .unwrap();
        for n in batch * 500..((batch + 1) * 500).min(JOBS) {
            let template = Template::PasswordReset {
                name: format!("User {n}"),
                link: format!("https://crm.example.com/reset-password?token=t{n}"),
            };
            email::queue(&*tx, &recipient(n), Locale::En, template)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
}

fn recipient(n: usize) -> String {
    format!("crash-{n}@example.com")
}

/// Deliveries per recipient.
fn delivered(sink: &SmtpSink) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for mail in sink.mails() {
        for to in mail.to {
            *seen.entry(to).or_default() += 1;
        }
    }
    seen
}

#[derive(Row)]
struct StatusCount {
    status: String,
    n: i64,
}

async fn statuses(app: &TestApp) -> HashMap<String, i64> {
    db::fetch_all::<StatusCount, _>(
        app.state.store.connection(),
        "SELECT status, COUNT(*) AS n FROM jobs WHERE kind = 'email.send' GROUP BY status",
        vec![],
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.status, r.n))
    .collect()
}

/// Waits until every recipient got mail and no job is left unfinished.
async fn wait_all_done(app: &TestApp, sink: &SmtpSink, server: &mut Process, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    loop {
        server.assert_alive();
        let statuses = statuses(app).await;
        let open = ["queued", "running"]
            .iter()
            .map(|s| statuses.get(*s).copied().unwrap_or(0))
            .sum::<i64>();
        if delivered(sink).len() >= JOBS && open == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "not done in {timeout:?}: {} delivered, jobs {statuses:?}",
            delivered(sink).len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn kill_9_loses_no_job(app: TestApp, backend: &str) {
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    enqueue_mails(&app).await;

    let started = Instant::now();
    for kill in 1..=KILLS {
        // A short lease (8 s): a killed worker's jobs come back quickly.
        let mut server = Process::serve(server_command(&app, Some(&sink), dir.path(), 8)).await;
        // Let it get some way into the queue, then pull the plug mid-send.
        let target = kill * JOBS / (KILLS + 2);
        let deadline = Instant::now() + Duration::from_secs(90);
        while sink.count() < target {
            server.assert_alive();
            assert!(Instant::now() < deadline, "no progress before kill {kill}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let status = server.signal(Signal::SIGKILL).await;
        assert!(!status.success(), "killed: {status:?}");
        eprintln!(
            "[{backend}] kill -9 #{kill} after {} deliveries; jobs {:?}",
            sink.count(),
            statuses(&app).await
        );
    }
    let mut server = Process::serve(server_command(&app, Some(&sink), dir.path(), 8)).await;
    wait_all_done(&app, &sink, &mut server, Duration::from_secs(240)).await;
    let status = server.signal(Signal::SIGTERM).await;
    assert!(status.success(), "SIGTERM stops cleanly: {status:?}");

    let seen = delivered(&sink);
    let lost: Vec<String> = (0..JOBS)
        .map(recipient)
        .filter(|r| !seen.contains_key(r))
        .collect();
    let mut duplicates: Vec<(&String, &usize)> = seen.iter().filter(|(_, n)| **n > 1).collect();
    duplicates.sort();
    let extra: usize = duplicates.iter().map(|(_, n)| **n - 1).sum();
    eprintln!(
        "[{backend}] crash test: {JOBS} jobs, {KILLS} × kill -9, {:.1} s: {} delivered to {} \
         recipients, {} lost, {extra} duplicate deliveries {duplicates:?}",
        started.elapsed().as_secs_f64(),
        sink.count(),
        seen.len(),
        lost.len(),
    );
    assert!(lost.is_empty(), "lost: {lost:?}");
    assert_eq!(seen.len(), JOBS, "only the queued recipients got mail");
    let statuses = statuses(&app).await;
    assert_eq!(
        statuses.get("done").copied(),
        Some(JOBS as i64),
        "{statuses:?}"
    );
    assert_eq!(statuses.len(), 1, "nothing dead or left over: {statuses:?}");
}

async fn queue_throughput(app: TestApp, backend: &str) {
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    enqueue_mails(&app).await;
    let enqueue_secs = t.elapsed().as_secs_f64();

    let started = Instant::now();
    // A lease no send can outlast, so that nothing runs twice without a
    // crash: at-least-once repeats a job only when its lease runs out.
    let mut server = Process::serve(server_command(&app, Some(&sink), dir.path(), 120)).await;
    wait_all_done(&app, &sink, &mut server, Duration::from_secs(240)).await;
    let secs = started.elapsed().as_secs_f64();
    assert!(server.signal(Signal::SIGTERM).await.success());
    let seen = delivered(&sink);
    let extra = sink.count() - seen.len();
    eprintln!(
        "[{backend}] throughput: {JOBS} email jobs sent over SMTP in {secs:.2} s = {:.0} jobs/s \
         ({WORKERS} workers, from process start); enqueue {:.0} jobs/s; {extra} duplicates",
        JOBS as f64 / secs,
        JOBS as f64 / enqueue_secs,
    );
    assert_eq!(seen.len(), JOBS);
    assert_eq!(extra, 0, "no duplicates without crashes");

    // The queue itself, without the network: the same jobs into the outbox.
    enqueue_mails(&app).await;
    let started = Instant::now();
    let mut server = Process::serve(server_command(&app, None, dir.path(), 120)).await;
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        server.assert_alive();
        #[derive(Row)]
        struct Count {
            n: i64,
        }
        let outbox: Count = db::fetch_one(
            app.state.store.connection(),
            "SELECT COUNT(*) AS n FROM email_outbox",
            vec![],
        )
        .await
        .unwrap()
        .unwrap();
        if outbox.n >= JOBS as i64 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "outbox run: {} of {JOBS}",
            outbox.n
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let secs = started.elapsed().as_secs_f64();
    assert!(server.signal(Signal::SIGTERM).await.success());
    eprintln!(
        "[{backend}] throughput: {JOBS} email jobs into the outbox (no SMTP) in {secs:.2} s = \
         {:.0} jobs/s ({WORKERS} workers, from process start)",
        JOBS as f64 / secs,
    );
    // Every one of them, once, to its own recipient; the queue holds only done jobs.
    #[derive(Row)]
    struct Recipients {
        n: i64,
        recipients: i64,
    }
    let outbox: Recipients = db::fetch_one(
        app.state.store.connection(),
        "SELECT COUNT(*) AS n, COUNT(DISTINCT to_address) AS recipients FROM email_outbox",
        vec![],
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((outbox.n, outbox.recipients), (JOBS as i64, JOBS as i64));
    let statuses = statuses(&app).await;
    assert_eq!(
        statuses.get("done").copied(),
        Some(2 * JOBS as i64),
        "{statuses:?}"
    );
    assert_eq!(statuses.len(), 1, "nothing dead or left over: {statuses:?}");
}
