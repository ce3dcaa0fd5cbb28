//! `lovedcrm-bench calendar`: reminders and the week view (issue 17).
//!
//! Reminders: one account creates `count` events through the API, each with
//! a reminder one minute before, timed so the reminders fall due evenly over
//! `over` seconds. Halfway the server is killed (SIGKILL) and started again.
//! Afterwards the database says when each reminder fired: lateness against
//! its due time, reminders never fired, and any fired twice.
//!
//! Week view: the same member gets `week_events` events in one week; the
//! week's occurrences are then asked for `week_requests` times in a row.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use hdrhistogram::Histogram;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::run::server::{Server, ServerConfig};

#[derive(clap::Args)]
pub struct CalendarArgs {
    /// The server's DATABASE_URL.
    #[arg(long)]
    db: String,
    #[arg(long)]
    migration_db: Option<String>,
    #[arg(long)]
    server: PathBuf,
    #[arg(long)]
    work: PathBuf,
    /// Reminders to schedule.
    #[arg(long, default_value_t = 100_000)]
    count: u32,
    /// Seconds over which they fall due.
    #[arg(long, default_value_t = 3_600)]
    over: u64,
    /// Seconds from the first due reminder to the kill and restart.
    #[arg(long)]
    restart_at: Option<u64>,
    /// Job workers per server.
    #[arg(long, default_value_t = 4)]
    workers: u32,
    #[arg(long, default_value_t = 2_000)]
    week_events: u32,
    #[arg(long, default_value_t = 1_000)]
    week_requests: u32,
    /// Where to append the markdown of the results.
    #[arg(long)]
    out: PathBuf,
    /// Shown in the report.
    #[arg(long, default_value = "")]
    label: String,
}

struct Account {
    email: String,
    token: String,
    org: String,
    user: String,
}

const PASSPHRASE: &str = "bench calendar passphrase";

async fn register(client: &reqwest::Client, base: &str) -> Result<Account> {
    let email = format!("calendar-{}@bench.example", uuid::Uuid::now_v7().simple());
    let res = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"email": email, "password": PASSPHRASE, "name": "Bench Calendar"}))
        .send()
        .await?;
    let body: Value = res.json().await?;
    let field = |v: &Value| v.as_str().map(str::to_string).context("register answer");
    Ok(Account {
        email,
        token: field(&body["access_token"])?,
        org: field(&body["organization"]["id"])?,
        user: field(&body["user"]["id"])?,
    })
}

/// A fresh access token for `a` (they last 15 minutes; a run lasts longer).
async fn sign_in_again(client: &reqwest::Client, base: &str, a: &mut Account) -> Result<()> {
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": a.email, "password": PASSPHRASE}))
        .send()
        .await?;
    let body: Value = res.json().await?;
    a.token = body["access_token"]
        .as_str()
        .context("login answer")?
        .to_string();
    Ok(())
}

/// Creates events with `bodies`, 16 at a time; fails on the first refusal.
async fn create_all(
    client: &reqwest::Client,
    base: &str,
    a: &Account,
    bodies: Vec<Value>,
) -> Result<()> {
    let gate = Arc::new(Semaphore::new(16));
    let mut tasks = tokio::task::JoinSet::new();
    for body in bodies {
        let permit = gate.clone().acquire_owned().await?;
        let request = client
            .post(format!("{base}/api/v1/events"))
            .bearer_auth(&a.token)
            .header("x-org-id", &a.org)
            .json(&body);
        tasks.spawn(async move {
            let _permit = permit;
            let res = request.send().await?;
            if res.status() != reqwest::StatusCode::CREATED {
                bail!(
                    "POST /events: {} {}",
                    res.status(),
                    res.text().await.unwrap_or_default()
                );
            }
            Ok(())
        });
        while let Some(done) = tasks.try_join_next() {
            done??;
        }
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(())
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Rows of `sql` in organization `org` (under row-level security on PostgreSQL).
async fn query(db_url: &str, org: &str, sql: &str) -> Result<Vec<sea_orm::QueryResult>> {
    let db = Database::connect(db_url).await?;
    let backend = db.get_database_backend();
    let tx = db.begin().await?;
    if backend == DbBackend::Postgres {
        tx.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT set_config('lovedcrm.org_id', $1, true)",
            vec![org.into()],
        ))
        .await?;
    }
    let org_id: uuid::Uuid = org.parse()?;
    let rows = tx
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            vec![org_id.into()],
        ))
        .await?;
    tx.commit().await?;
    db.close().await?;
    Ok(rows)
}

fn histogram() -> Result<Histogram<u64>> {
    Ok(Histogram::<u64>::new_with_bounds(1, 3_600_000, 3)?)
}

pub async fn run(args: CalendarArgs) -> Result<()> {
    std::fs::create_dir_all(&args.work)?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let cfg = ServerConfig {
        binary: args.server.clone(),
        database_url: args.db.clone(),
        migration_url: args.migration_db.clone(),
        work: args.work.clone(),
        workers: args.workers,
        job_poll_ms: Some(100),
    };
    let mut server = Server::start(&cfg, &client).await?;
    let mut a = register(&client, &server.base).await?;

    // Reminders fall due from `first` on, one every `gap`.
    let gap = Duration::from_secs(args.over).as_secs_f64() / f64::from(args.count.max(1));
    let lead = chrono::Duration::seconds(20 + i64::from(args.count) / 500);
    let first = Utc::now() + lead;
    let bodies: Vec<Value> = (0..args.count)
        .map(|i| {
            let due = first + chrono::Duration::microseconds((f64::from(i) * gap * 1e6) as i64);
            json!({"title": format!("Reminder bench {i}"),
                   "starts_at": rfc(due + chrono::Duration::minutes(1)),
                   "reminders": [{"minutes_before": 1}]})
        })
        .collect();
    let created = Instant::now();
    create_all(&client, &server.base, &a, bodies).await?;
    let creation = created.elapsed();
    eprintln!(
        "calendar: {} events created in {:.1} s; reminders due from {first} over {} s",
        args.count,
        creation.as_secs_f64(),
        args.over
    );
    if Utc::now() > first {
        bail!("creating the events took longer than the lead time: raise it");
    }
    let restart_at = args.restart_at.unwrap_or(args.over / 2);
    let kill_at = first + chrono::Duration::seconds(restart_at as i64);
    tokio::time::sleep(((kill_at - Utc::now()).to_std()).unwrap_or_default()).await;
    let killed = Utc::now();
    server.kill_hard()?;
    server = Server::start(&cfg, &client).await?;
    let healthy = server.start_to_healthy.as_secs_f64();
    eprintln!("calendar: killed at {killed}, healthy again after {healthy:.2} s");
    let end = first + chrono::Duration::seconds(args.over as i64 + 5);
    tokio::time::sleep(((end - Utc::now()).to_std()).unwrap_or_default()).await;
    // Stragglers (late reminders) still get a chance to be counted.
    let expected = usize::try_from(args.count)?;
    let deadline = Instant::now() + Duration::from_secs(60);
    let firings = loop {
        let rows = query(
            &args.db,
            &a.org,
            "SELECT occurrence_start, minutes_before, fired_at FROM reminder_firings \
             WHERE organization_id = $1 AND entity_type = 'event'",
        )
        .await?;
        if rows.len() >= expected || Instant::now() > deadline {
            break rows;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    let mut late = histogram()?;
    let mut over_5s = 0u64;
    for row in &firings {
        let start: DateTime<Utc> = row.try_get("", "occurrence_start")?;
        let minutes: i32 = row.try_get("", "minutes_before")?;
        let fired: DateTime<Utc> = row.try_get("", "fired_at")?;
        let due = start - chrono::Duration::minutes(i64::from(minutes));
        let ms = (fired - due).num_milliseconds().max(1) as u64;
        if ms > 5_000 {
            over_5s += 1;
        }
        late.record(ms.min(3_600_000))?;
    }
    let notes = query(
        &args.db,
        &a.org,
        "SELECT entity_id, COUNT(*) AS n FROM notifications WHERE organization_id = $1 \
         AND kind = 'reminder' GROUP BY entity_id HAVING COUNT(*) > 1",
    )
    .await?;
    let total_notes = query(
        &args.db,
        &a.org,
        "SELECT COUNT(*) AS n FROM notifications WHERE organization_id = $1 AND kind = 'reminder'",
    )
    .await?;
    let notified: i64 = total_notes
        .first()
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);

    // The week view of a member with `week_events` events in one week.
    sign_in_again(&client, &server.base, &mut a).await?;
    let monday = DateTime::parse_from_rfc3339("2031-03-03T00:00:00Z")?.with_timezone(&Utc);
    let week: Vec<Value> = (0..args.week_events)
        .map(|i| {
            let at = monday + chrono::Duration::minutes(i64::from(i) * 7 * 24 * 60 / i64::from(args.week_events.max(1)));
            json!({"title": format!("Week event {i}"), "starts_at": rfc(at), "ends_at": rfc(at + chrono::Duration::minutes(30))})
        })
        .collect();
    create_all(&client, &server.base, &a, week).await?;
    let url = format!(
        "{}/api/v1/events/occurrences?from=2031-03-03T00%3A00%3A00Z&to=2031-03-10T00%3A00%3A00Z&member_id={}",
        server.base, a.user
    );
    let mut view = histogram()?;
    let mut shown = 0;
    for _ in 0..args.week_requests {
        let started = Instant::now();
        let res = client
            .get(&url)
            .bearer_auth(&a.token)
            .header("x-org-id", &a.org)
            .send()
            .await?;
        // The answer is timed to its last byte; reading it is the client's work.
        let bytes = res.bytes().await?;
        view.record((started.elapsed().as_micros() as u64).max(1))?;
        let body: Value = serde_json::from_slice(&bytes)?;
        shown = body["data"].as_array().map_or(0, Vec::len);
    }
    server.stop().await?;

    let report = format!(
        "\n### Calendar{label}\n\n\
         - Reminders: {count} scheduled through `POST /events` ({creation:.1} s), falling due over {over} s \
         ({rate:.1}/s); the server killed with SIGKILL {restart} s in and restarted (healthy in {healthy:.2} s).\n\
         - Fired: {fired} of {count}; **lateness p50 {p50} ms, p95 {p95} ms, p99 {p99} ms, max {max} ms**; \
         {over_5s} later than 5 s.\n\
         - Fired twice: {twice} (reminder notifications: {notified} for {count} reminders).\n\
         - Week view of a member with {week_events} events: {shown} occurrences per answer, \
         {requests} requests in a row: **p50 {v50:.1} ms, p99 {v99:.1} ms**, max {vmax:.1} ms.\n",
        label = if args.label.is_empty() {
            String::new()
        } else {
            format!(" ({})", args.label)
        },
        count = args.count,
        creation = creation.as_secs_f64(),
        over = args.over,
        rate = f64::from(args.count) / args.over as f64,
        restart = restart_at,
        healthy = healthy,
        fired = firings.len(),
        p50 = late.value_at_quantile(0.5),
        p95 = late.value_at_quantile(0.95),
        p99 = late.value_at_quantile(0.99),
        max = late.max(),
        twice = notes.len(),
        week_events = args.week_events,
        requests = args.week_requests,
        v50 = view.value_at_quantile(0.5) as f64 / 1000.0,
        v99 = view.value_at_quantile(0.99) as f64 / 1000.0,
        vmax = view.max() as f64 / 1000.0,
    );
    eprint!("{report}");
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.out)?
        .write_all(report.as_bytes())?;
    if firings.len() < expected || !notes.is_empty() || over_5s > 0 {
        bail!(
            "reminders: {} of {expected} fired, {} twice, {over_5s} later than 5 s",
            firings.len(),
            notes.len()
        );
    }
    Ok(())
}
