//! `lovedcrm-bench run`: starts the server on a seeded database and
//! measures every scenario with wrk at each concurrency, beside the HTTP
//! ceiling (`/health`) and, on PostgreSQL, the database ceiling (pgbench).

pub mod pgbench;
mod prepare;
pub mod server;
pub mod wrk;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::manifest::Manifest;
use crate::results::{Kind, Results, Run, ScenarioResult, ServerStats};
use crate::seed::shape::Scale;
use pgbench::Pg;
use prepare::Prep;
use server::{Sampler, Server, ServerConfig};

#[derive(clap::Args)]
pub struct RunArgs {
    /// The server's DATABASE_URL (on PostgreSQL a role under row-level security).
    #[arg(long)]
    db: String,
    /// LOVEDCRM_MIGRATION_DATABASE_URL for the server (the schema owner).
    #[arg(long)]
    migration_db: Option<String>,
    /// The `lovedcrm` binary to start.
    #[arg(long)]
    server: PathBuf,
    #[arg(long)]
    manifest: PathBuf,
    /// Where to write the results (JSON).
    #[arg(long)]
    out: PathBuf,
    /// A folder for logs and the scripts' data files.
    #[arg(long)]
    work: PathBuf,
    /// The folder of the Lua scripts.
    #[arg(long, default_value = "scripts/bench")]
    scripts: PathBuf,
    /// The cargo profile the server was built with (shown in the report).
    #[arg(long, default_value = "release")]
    profile: String,
    /// Concurrencies (default: 16,64; smoke: 4).
    #[arg(long, value_delimiter = ',')]
    connections: Vec<u32>,
    /// Seconds per measured run (default: 20; smoke: 2).
    #[arg(long)]
    duration: Option<u64>,
    /// Seconds of warm-up before each scenario (default: 5; smoke: 1).
    #[arg(long)]
    warmup: Option<u64>,
    /// wrk and pgbench threads.
    #[arg(long, default_value_t = 2)]
    threads: u32,
    /// PostgreSQL's bin folder (pgbench, psql): enables the database ceiling.
    #[arg(long)]
    pg_bin: Option<PathBuf>,
    /// A superuser URL, to switch statement logging on for the capture.
    #[arg(long)]
    pg_admin_url: Option<String>,
    /// The PostgreSQL server log (log_line_prefix '%m [%p] %u@%d ').
    #[arg(long)]
    pg_log: Option<PathBuf>,
    /// Run only these scenarios (comma-separated names).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

/// Which request the database ceiling replays.
#[derive(Clone, Copy, PartialEq)]
enum Ceiling {
    None,
    List,
    Get,
    Timeline,
}

/// A scenario; its wrk script is `scripts/bench/<name>.lua`.
struct Scenario {
    name: &'static str,
    title: &'static str,
    kind: Kind,
    ceiling: Ceiling,
}

const fn scenario(
    name: &'static str,
    title: &'static str,
    kind: Kind,
    ceiling: Ceiling,
) -> Scenario {
    Scenario {
        name,
        title,
        kind,
        ceiling,
    }
}

/// Every scenario, in the order they run: reads first, then writes.
const SCENARIOS: [Scenario; 11] = [
    scenario(
        "contacts_list",
        "Contacts list, first page",
        Kind::Read,
        Ceiling::List,
    ),
    scenario(
        "contacts_deep",
        "Contacts, deep cursor page (filter + sort)",
        Kind::Read,
        Ceiling::None,
    ),
    scenario("contact_get", "Get one contact", Kind::Read, Ceiling::Get),
    scenario(
        "contacts_search",
        "Contacts search (?q=)",
        Kind::Read,
        Ceiling::None,
    ),
    scenario(
        "global_search",
        "Search box (/search?q=)",
        Kind::Read,
        Ceiling::None,
    ),
    scenario(
        "board",
        "Pipeline board (10k open leads)",
        Kind::Read,
        Ceiling::None,
    ),
    scenario(
        "timeline",
        "Lead timeline page (100k items)",
        Kind::Read,
        Ceiling::Timeline,
    ),
    scenario(
        "contact_create",
        "Create contact",
        Kind::Write,
        Ceiling::None,
    ),
    scenario(
        "contact_update",
        "Update contact (If-Match)",
        Kind::Write,
        Ceiling::None,
    ),
    scenario("lead_move", "Lead stage move", Kind::Write, Ceiling::None),
    scenario(
        "mixed",
        "Mixed 80% read / 20% write, small orgs",
        Kind::Mixed,
        Ceiling::None,
    ),
];

fn script_of(s: &Scenario) -> String {
    format!("{}.lua", s.name)
}

struct Settings {
    connections: Vec<u32>,
    duration: u64,
    warmup: u64,
    deep_pages: usize,
}

fn settings(args: &RunArgs, scale: Scale) -> Settings {
    let (connections, duration, warmup, deep_pages) = match scale {
        Scale::Full => (vec![16, 64], 20, 5, 200),
        Scale::Smoke => (vec![4], 2, 1, 20),
    };
    Settings {
        connections: if args.connections.is_empty() {
            connections
        } else {
            args.connections.clone()
        },
        duration: args.duration.unwrap_or(duration),
        warmup: args.warmup.unwrap_or(warmup),
        deep_pages,
    }
}

struct Bench<'a> {
    args: &'a RunArgs,
    prep: Prep,
    sampler: Sampler,
    base: String,
    runs: usize,
}

impl Bench<'_> {
    /// One wrk run of `script`; its server CPU and peak RSS.
    async fn wrk(&mut self, script: &str, connections: u32, seconds: u64) -> Result<Run> {
        self.runs += 1;
        let log = self.args.work.join(format!(
            "wrk-{:03}-{}-{connections}.txt",
            self.runs,
            script.trim_end_matches(".lua")
        ));
        let before = self.sampler.mark()?;
        let stats = wrk::run(wrk::WrkRun {
            scripts: &self.args.scripts,
            script,
            base: &self.base,
            connections,
            threads: self.args.threads,
            seconds,
            env: self.prep.env(),
            log,
        })
        .await?;
        let after = self.sampler.mark()?;
        let usage = self.sampler.usage(before, after);
        Ok(Run {
            connections,
            wrk: stats,
            cpu_seconds: usage.cpu_seconds,
            rss_peak_kb: usage.rss_peak_kb,
            ceiling: None,
        })
    }

    /// The request the database ceiling of `ceiling` replays.
    async fn capture_request(&self, ceiling: Ceiling) -> Result<()> {
        let big = &self.prep.manifest.big;
        let path = match ceiling {
            Ceiling::List => "/api/v1/contacts".to_string(),
            Ceiling::Get => format!("/api/v1/contacts/{}", big.contacts[0]),
            Ceiling::Timeline => format!("/api/v1/leads/{}/timeline", big.hot_lead),
            Ceiling::None => return Ok(()),
        };
        self.prep.get(&path).await.map(|_| ())
    }

    /// Captures the SQL of one request and writes its pgbench script.
    async fn ceiling_script(
        &self,
        pg: &Pg,
        s: &Scenario,
    ) -> Result<(PathBuf, Vec<(String, String)>, String)> {
        let statements = pg.capture(self.capture_request(s.ceiling)).await?;
        let ids: Vec<String> = self
            .prep
            .manifest
            .big
            .contacts
            .iter()
            .map(ToString::to_string)
            .collect();
        let first = ids.first().cloned().unwrap_or_default();
        let random = (s.ceiling == Ceiling::Get).then_some((first.as_str(), ids.as_slice()));
        let (text, vars) = pgbench::script(&statements, random);
        let path = self.args.work.join(format!("pgbench-{}.sql", s.name));
        std::fs::write(&path, &text)?;
        // For the report: the id list shortened.
        let shown = match random {
            Some((first, ids)) if ids.len() > 1 => {
                text.replace(&ids.join(","), &format!("{first},… ({} ids)", ids.len()))
            }
            _ => text,
        };
        Ok((path, vars, shown))
    }
}

/// Errors fail a run; so does a measured run without a single request. A
/// warm-up only fails on errors: a busy machine may finish no request in a
/// one-second warm-up, which is slowness, not a wrong answer (the measured
/// runs after it still must answer).
fn check(failures: &mut Vec<String>, what: &str, run: &Run) {
    let errors = run.wrk.errors.total();
    let warmup = what.starts_with("warm-up");
    if (run.wrk.requests == 0 && !warmup) || errors > 0 {
        failures.push(format!(
            "{what} at {} connections: {} requests, {errors} errors ({:?})",
            run.connections, run.wrk.requests, run.wrk.errors
        ));
    }
    if let Some(c) = &run.ceiling
        && (c.transactions == 0 || c.failed > 0)
    {
        failures.push(format!(
            "{what} database ceiling at {} connections: {} transactions, {} failed",
            run.connections, c.transactions, c.failed
        ));
    }
}

/// Runs a command to completion off the async workers.
pub async fn output(mut command: std::process::Command) -> std::io::Result<std::process::Output> {
    tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(std::io::Error::other)?
}

async fn tool_version(program: &str, arg: &str) -> String {
    let mut command = std::process::Command::new(program);
    command.arg(arg);
    output(command)
        .await
        .map(|o| {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            text.lines().next().unwrap_or_default().trim().to_string()
        })
        .unwrap_or_default()
}

pub async fn run(args: RunArgs) -> Result<()> {
    let manifest = Manifest::load(&args.manifest)?;
    let set = settings(&args, manifest.scale);
    std::fs::create_dir_all(&args.work)?;
    let pg = match (&args.pg_bin, &args.pg_admin_url, &args.pg_log) {
        (Some(bin), Some(admin), Some(log)) => Some(Pg {
            bin: bin.clone(),
            admin_url: admin.clone(),
            app_url: args.db.clone(),
            app_user: user_of(&args.db).context("no user in --db")?,
            log: log.clone(),
        }),
        (None, None, None) => None,
        _ => bail!("--pg-bin, --pg-admin-url and --pg-log go together"),
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?;
    let server_cfg = ServerConfig {
        binary: args.server.clone(),
        database_url: args.db.clone(),
        migration_url: args.migration_db.clone(),
        work: args.work.clone(),
        workers: 0,
        job_poll_ms: None,
    };
    let server = Server::start(&server_cfg, &client).await?;
    let sampler = Sampler::start(server.pid);
    let started = sampler.mark()?;
    eprintln!(
        "bench: server healthy in {:.0} ms, RSS {} MB",
        server.start_to_healthy.as_secs_f64() * 1e3,
        started.rss_kb / 1024
    );
    let outcome = measure(
        &args,
        &set,
        &manifest,
        pg.as_ref(),
        client,
        &server,
        sampler,
    )
    .await;
    let stopped = server.stop().await;
    let results = match outcome {
        Ok(r) => r,
        Err(e) => {
            return Err(e.context(format!(
                "the run failed; server log tail:\n{}",
                server::log_tail(&args.work)
            )));
        }
    };
    stopped?;
    results.save(&args.out)?;
    if !results.failures.is_empty() {
        bail!(
            "{} failed runs:\n  {}\n(server log: {})",
            results.failures.len(),
            results.failures.join("\n  "),
            args.work.join("server.log").display()
        );
    }
    Ok(())
}

fn user_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let creds = rest.split_once('@')?.0;
    Some(creds.split(':').next()?.to_string())
}

async fn measure(
    args: &RunArgs,
    set: &Settings,
    manifest: &Manifest,
    pg: Option<&Pg>,
    client: reqwest::Client,
    server: &Server,
    sampler: Sampler,
) -> Result<Results> {
    let rss_start_kb = sampler.mark()?.rss_kb;
    let mut prep = Prep::new(
        client,
        server.base.clone(),
        manifest.clone(),
        args.work.join("data"),
    )
    .await?;
    prep.refresh().await?;
    prep.check().await?;
    prep.walk_deep(set.deep_pages).await?;
    let mut bench = Bench {
        args,
        prep,
        sampler,
        base: server.base.clone(),
        runs: 0,
    };
    let wanted = |s: &Scenario| args.only.is_empty() || args.only.iter().any(|o| o == s.name);
    let first = set.connections[0];

    // Warm-ups count their errors too: an error is an error.
    let mut failures = Vec::new();
    eprintln!("bench: warm-up");
    for s in SCENARIOS
        .iter()
        .filter(|s| s.kind == Kind::Read && wanted(s))
    {
        let run = bench.wrk(&script_of(s), first, set.warmup).await?;
        check(&mut failures, &format!("warm-up of {}", s.name), &run);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle_kb = bench.sampler.mark()?.rss_kb;
    let load_start = bench.sampler.mark()?;

    let mut health = Vec::new();
    for &c in &set.connections {
        let run = bench.wrk("health.lua", c, set.duration).await?;
        check(&mut failures, "health", &run);
        health.push(run);
    }
    let mut scenarios = Vec::new();
    for s in SCENARIOS.iter().filter(|s| wanted(s)) {
        eprintln!("bench: {}", s.name);
        bench.prep.refresh().await?;
        let ceiling = match (pg, s.ceiling) {
            (Some(pg), c) if c != Ceiling::None => Some(bench.ceiling_script(pg, s).await?),
            _ => None,
        };
        let script = script_of(s);
        if s.name == "contact_update" {
            bench.prep.write_update_pool(0)?;
        }
        let warmup = bench.wrk(&script, first, set.warmup).await?;
        check(&mut failures, &format!("warm-up of {}", s.name), &warmup);
        let mut runs = Vec::new();
        for (k, &c) in set.connections.iter().enumerate() {
            if s.name == "contact_update" {
                bench.prep.write_update_pool(k + 1)?;
            }
            runs.push(bench.wrk(&script, c, set.duration).await?);
        }
        if let (Some(pg), Some((path, vars, _))) = (pg, &ceiling) {
            for run in &mut runs {
                let prefix = args
                    .work
                    .join(format!("pgbench-{}-{}", s.name, run.connections));
                let stats = pg
                    .run(
                        path,
                        vars,
                        run.connections,
                        args.threads,
                        set.duration,
                        &prefix,
                    )
                    .await?;
                run.ceiling = Some(stats);
            }
        }
        for run in &runs {
            check(&mut failures, s.name, run);
        }
        scenarios.push(ScenarioResult {
            name: s.name.into(),
            title: s.title.into(),
            kind: s.kind,
            request: request_of(s, set.deep_pages),
            warmup: Some(warmup),
            runs,
            ceiling_sql: ceiling.map(|(_, _, shown)| shown),
        });
    }
    let load_end = bench.sampler.mark()?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle_after_kb = bench.sampler.mark()?.rss_kb;
    let usage = bench.sampler.usage(load_start, load_end);

    let mut versions = vec![
        ("wrk".to_string(), tool_version("wrk", "--version").await),
        (
            "rustc".to_string(),
            tool_version("rustc", "--version").await,
        ),
    ];
    if let Some(pg) = pg {
        versions.push(("pgbench".into(), pg.version().await));
    }
    Ok(Results {
        database: manifest.database.clone(),
        scale: manifest.scale,
        profile: args.profile.clone(),
        connections: set.connections.clone(),
        duration_s: set.duration,
        warmup_s: set.warmup,
        wrk_threads: args.threads,
        accept_encoding: std::env::var("BENCH_ACCEPT_ENCODING")
            .unwrap_or_else(|_| "gzip, deflate, br, zstd".into()),
        versions,
        server: ServerStats {
            start_to_healthy_ms: server.start_to_healthy.as_secs_f64() * 1e3,
            rss_start_kb,
            rss_idle_kb,
            rss_idle_after_kb,
            rss_peak_kb: usage.rss_peak_kb,
            cpu_seconds: usage.cpu_seconds,
        },
        seed: manifest.stats.clone(),
        shape: manifest.shape.clone(),
        health,
        scenarios,
        failures,
    })
}

/// What a scenario requests, for the report.
fn request_of(s: &Scenario, deep_pages: usize) -> String {
    match s.name {
        "contacts_list" => "GET /api/v1/contacts".into(),
        "contacts_deep" => format!(
            "GET {}&cursor=… (after {deep_pages} pages)",
            prepare::DEEP_LIST
        ),
        "contact_get" => "GET /api/v1/contacts/{random id}".into(),
        "contacts_search" => "GET /api/v1/contacts?q={name}".into(),
        "global_search" => "GET /api/v1/search?q={name}".into(),
        "board" => "GET /api/v1/pipelines/{id}/board".into(),
        "timeline" => "GET /api/v1/leads/{id}/timeline".into(),
        "contact_create" => "POST /api/v1/contacts".into(),
        "contact_update" => "PATCH /api/v1/contacts/{id} + If-Match".into(),
        "lead_move" => "PATCH /api/v1/leads/{id}/stage".into(),
        _ => "see scripts/bench/mixed.lua".into(),
    }
}
