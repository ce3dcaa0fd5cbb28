//! `lovedcrm-bench report`: markdown tables of one or more results files,
//! with the machine, the commit, the command and every target of issue 6
//! judged from the numbers.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::results::{Kind, Results, Run};
use crate::seed::shape::Scale;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// Results files (`lovedcrm-bench run --out`).
    #[arg(long, num_args = 1.., required = true)]
    results: Vec<PathBuf>,
    /// The markdown file to write.
    #[arg(long)]
    out: PathBuf,
    /// The command that produced the results, shown in the report.
    #[arg(long, default_value = "make bench")]
    command: String,
    /// Fail when a results file records failed runs.
    #[arg(long)]
    check: bool,
}

fn sh(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem_kb: f64 = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0.0);
    format!(
        "{cores} cores ({cpu}), {:.1} GiB memory, {}",
        mem_kb / 1024.0 / 1024.0,
        sh("uname", &["-sr"])
    )
}

fn commit() -> String {
    let hash = sh("git", &["rev-parse", "--short=12", "HEAD"]);
    let dirty = !sh("git", &["status", "--porcelain", "--untracked-files=no"]).is_empty();
    if dirty {
        format!("{hash} (with uncommitted changes)")
    } else {
        hash
    }
}

/// `1234567.8` → `1,234,568`.
fn int(v: f64) -> String {
    let digits = format!("{:.0}", v.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

/// One target of the issue, judged.
struct Target {
    what: &'static str,
    measured: Option<f64>,
    shown: String,
    met: Option<bool>,
}

fn target(
    what: &'static str,
    measured: Option<f64>,
    unit: &str,
    ok: impl Fn(f64) -> bool,
) -> Target {
    let number = |v: f64| match unit {
        "ms" => ms(v),
        "%" | "MB" => format!("{v:.1}"),
        "×" => format!("{v:.2}"),
        _ => int(v),
    };
    Target {
        what,
        measured,
        shown: measured.map_or_else(
            || "not measured".into(),
            |v| format!("{} {unit}", number(v)),
        ),
        met: measured.map(ok),
    }
}

fn top<'a>(r: &'a Results, scenario: &str) -> Option<&'a Run> {
    r.scenario(scenario)?.top()
}

fn best_rps(r: &Results, scenario: &str) -> Option<f64> {
    r.scenario(scenario)?
        .runs
        .iter()
        .map(|run| run.wrk.rps)
        .reduce(f64::max)
}

fn share_of_ceiling(r: &Results, scenario: &str) -> Option<f64> {
    let run = top(r, scenario)?;
    let tps = run.ceiling.as_ref()?.tps;
    (tps > 0.0).then(|| run.wrk.rps / tps * 100.0)
}

fn targets(all: &[Results]) -> Vec<Target> {
    let pg = all.iter().find(|r| r.database == "postgres");
    let lite = all.iter().find(|r| r.database == "sqlite");
    let p99 = |r: Option<&Results>, s: &str| r.and_then(|r| top(r, s)).map(|run| run.wrk.p99_ms);
    let errors: u64 = all
        .iter()
        .flat_map(|r| {
            r.scenarios
                .iter()
                .flat_map(|s| s.runs.iter().chain(s.warmup.iter()))
                .chain(r.health.iter())
        })
        .map(|run| run.wrk.errors.total())
        .sum();
    let search = match (p99(pg, "contacts_search"), p99(pg, "global_search")) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    // SQLite reads: the worst ratio to PostgreSQL over p99 and req/s.
    let read_ratio = pg.zip(lite).and_then(|(pg, lite)| {
        pg.scenarios
            .iter()
            .filter(|s| s.kind == Kind::Read)
            .filter_map(|s| {
                let (a, b) = (s.top()?, lite.scenario(&s.name)?.top()?);
                let slower = b.wrk.p99_ms / a.wrk.p99_ms.max(1e-9);
                let fewer = a.wrk.rps / b.wrk.rps.max(1e-9);
                Some(slower.max(fewer))
            })
            .reduce(f64::max)
    });
    let lite_writes = lite.and_then(|r| {
        ["contact_create", "contact_update", "lead_move"]
            .iter()
            .filter_map(|s| best_rps(r, s))
            .reduce(f64::min)
    });
    let seeding = all.iter().map(|r| r.seed.rows_per_second).reduce(f64::min);
    let idle = pg.map(|r| r.server.rss_idle_kb.max(r.server.rss_idle_after_kb) as f64 / 1024.0);
    vec![
        target(
            "PostgreSQL: contacts list p99 ≤ 15 ms (top concurrency)",
            p99(pg, "contacts_list"),
            "ms",
            |v| v <= 15.0,
        ),
        target(
            "PostgreSQL: contacts list ≥ 60% of the database ceiling's req/s",
            pg.and_then(|r| share_of_ceiling(r, "contacts_list")),
            "%",
            |v| v >= 60.0,
        ),
        target(
            "PostgreSQL: get one contact ≥ 70% of its ceiling",
            pg.and_then(|r| share_of_ceiling(r, "contact_get")),
            "%",
            |v| v >= 70.0,
        ),
        target(
            "PostgreSQL: create contact ≥ 2,000/s",
            pg.and_then(|r| best_rps(r, "contact_create")),
            "req/s",
            |v| v >= 2000.0,
        ),
        target(
            "PostgreSQL: search p99 ≤ 50 ms (worst of ?q= and /search)",
            search,
            "ms",
            |v| v <= 50.0,
        ),
        target(
            "PostgreSQL: board (10,000 open leads) p99 ≤ 100 ms",
            p99(pg, "board"),
            "ms",
            |v| v <= 100.0,
        ),
        target(
            "PostgreSQL: timeline page p99 ≤ 10 ms",
            p99(pg, "timeline"),
            "ms",
            |v| v <= 10.0,
        ),
        target(
            "Zero errors (every run and warm-up, both databases)",
            Some(errors as f64),
            "errors",
            |v| v == 0.0,
        ),
        target(
            "PostgreSQL: RSS ≤ 150 MB under load",
            pg.map(|r| r.server.rss_peak_kb as f64 / 1024.0),
            "MB",
            |v| v <= 150.0,
        ),
        target(
            "PostgreSQL: RSS ≤ 40 MB idle (after warm-up and after load)",
            idle,
            "MB",
            |v| v <= 40.0,
        ),
        target(
            "PostgreSQL: start to healthy ≤ 1 s on a migrated database",
            pg.map(|r| r.server.start_to_healthy_ms),
            "ms",
            |v| v <= 1000.0,
        ),
        target(
            "SQLite: reads within 1.5× of PostgreSQL (worst of p99 ratio and req/s ratio)",
            read_ratio,
            "×",
            |v| v <= 1.5,
        ),
        target(
            "SQLite: writes ≥ 1,000/s (slowest of create, update, move)",
            lite_writes,
            "req/s",
            |v| v >= 1000.0,
        ),
        target(
            "Seeding ≥ 50,000 rows/s (slowest database)",
            seeding,
            "rows/s",
            |v| v >= 50_000.0,
        ),
    ]
}

fn run_row(out: &mut String, title: &str, run: &Run, health: Option<&Run>) {
    let ceiling = run.ceiling.as_ref();
    let dash = || "—".to_string();
    let cells = [
        run.connections.to_string(),
        ms(run.wrk.p50_ms),
        ms(run.wrk.p90_ms),
        ms(run.wrk.p99_ms),
        ms(run.wrk.max_ms),
        int(run.wrk.rps),
        run.wrk.errors.total().to_string(),
        health.map_or_else(dash, |h| int(h.wrk.rps)),
        ceiling.map_or_else(dash, |c| int(c.tps)),
        ceiling
            .filter(|c| c.tps > 0.0)
            .map_or_else(dash, |c| format!("{:.0}%", run.wrk.rps / c.tps * 100.0)),
        ceiling.map_or_else(dash, |c| ms(c.p99_ms)),
        if run.wrk.requests > 0 {
            ms(run.cpu_seconds * 1e3 / run.wrk.requests as f64)
        } else {
            dash()
        },
    ];
    let _ = writeln!(out, "| {title} | {} |", cells.join(" | "));
}

fn database(out: &mut String, r: &Results) {
    let name = if r.database == "postgres" {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    // "pgbench (PostgreSQL) 15.18 (Debian …)" → "15.18"
    let version = r
        .versions
        .iter()
        .find(|(k, _)| k == "pgbench")
        .and_then(|(_, v)| v.split_whitespace().nth(2))
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    let _ = writeln!(out, "## {name}{version}\n");
    let _ = writeln!(
        out,
        "{} server build; wrk {} threads, {} s per run after {} s of warm-up; \
         `Accept-Encoding: {}`.\n",
        r.profile, r.wrk_threads, r.duration_s, r.warmup_s, r.accept_encoding
    );
    out.push_str(
        "| scenario | conns | p50 ms | p90 ms | p99 ms | max ms | req/s | errors | HTTP ceiling req/s \
         | DB ceiling req/s | % of DB ceiling | DB ceiling p99 ms | server CPU ms/req |\n",
    );
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for h in &r.health {
        run_row(out, "`/health` (HTTP ceiling)", h, None);
    }
    for s in &r.scenarios {
        for run in &s.runs {
            let health = r.health.iter().find(|h| h.connections == run.connections);
            run_row(out, &s.title, run, health);
        }
    }
    let sv = &r.server;
    let _ = writeln!(
        out,
        "\n| start to healthy | RSS after start | RSS idle (after warm-up) | RSS peak under load \
         | RSS idle after load | server CPU during load |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n\
         | {:.0} ms | {} | {} | {} | {} | {:.1} s |\n",
        sv.start_to_healthy_ms,
        mb(sv.rss_start_kb),
        mb(sv.rss_idle_kb),
        mb(sv.rss_peak_kb),
        mb(sv.rss_idle_after_kb),
        sv.cpu_seconds
    );
    let sd = &r.seed;
    let _ = writeln!(
        out,
        "Seeding: {} accounts through the API in {:.1} s, then {} rows in {:.1} s: **{} rows/s** ({}).\n",
        sd.accounts,
        sd.accounts_seconds,
        int(sd.rows as f64),
        sd.bulk_seconds,
        int(sd.rows_per_second),
        sd.phases
            .iter()
            .map(|p| format!("{} {} in {:.1} s", p.name, int(p.rows as f64), p.seconds))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for s in r.scenarios.iter().filter(|s| s.ceiling_sql.is_some()) {
        let _ = writeln!(
            out,
            "<details><summary>Database ceiling of “{}”: the pgbench script (captured from the server)</summary>\n\n```sql\n{}```\n</details>\n",
            s.title,
            s.ceiling_sql.as_deref().unwrap_or_default()
        );
    }
    if !r.failures.is_empty() {
        let _ = writeln!(out, "**Failed runs:**\n");
        for f in &r.failures {
            let _ = writeln!(out, "- {f}");
        }
        out.push('\n');
    }
}

const METHOD: &str = "## How it is measured\n\n\
- `scripts/bench/run.sh` builds the binaries, migrates a fresh database (SQLite file; a throwaway \
PostgreSQL cluster with durable defaults: fsync and synchronous commit on), seeds it with \
`lovedcrm-bench seed`, starts `lovedcrm serve` on it with its default configuration and runs \
`lovedcrm-bench run`: every scenario is a wrk Lua script in `scripts/bench/`, run after a \
warm-up at each concurrency over loopback. Latencies are wrk's (from request written to \
response read; wrk does not correct for coordinated omission); errors are socket errors, \
timeouts (60 s) and responses of 400 or more.\n\
- The big organization is read and written as its owner; the mixed workload acts as the owners of \
50 small organizations. Updates with `If-Match` and stage moves go round-robin over each wrk \
thread's own records, so two connections never edit one record at once.\n\
- HTTP ceiling: `GET /health` (no database) of the same server at the same concurrency. Database \
ceiling (PostgreSQL): pgbench `-M prepared` at the same concurrency running the statements the \
server ran for one such request, captured from PostgreSQL's statement log: the session check, \
the membership lookup, the transaction with `set_config('lovedcrm.org_id', …)`, the queries.\n\
- Server memory and CPU: `/proc/<pid>/status` VmRSS and `/proc/<pid>/stat` utime+stime, sampled \
every 100 ms. Start to healthy: from spawning the process to its first `200` on `/health`.\n\
- Seeding: accounts, organizations, members and pipelines through the API (in-process); records in \
multi-row `INSERT`s of up to 1,000 rows, 20,000 rows per transaction, as the server's role \
(row-level security on) with every column and the full-text index the API would write. \
Deterministic (seeded `StdRng`).\n";

pub fn render(all: &[Results], command: &str) -> String {
    let mut out = String::new();
    out.push_str("# Benchmarks\n\n<!-- Written by `lovedcrm-bench report` (scripts/bench/run.sh); do not edit by hand. -->\n\n");
    let scale = all.first().map_or(Scale::Full, |r| r.scale);
    let shape = all.first().map(|r| r.shape.clone());
    let _ = writeln!(out, "- Command: `{command}`");
    let _ = writeln!(out, "- Commit: {}", commit());
    let _ = writeln!(
        out,
        "- Date: {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    let _ = writeln!(out, "- Machine: {}", machine());
    if let Some(s) = shape {
        let _ = writeln!(
            out,
            "- Data ({} scale): one organization with {} contacts, {} companies, {} leads over 3 pipelines \
             ({} open on the board), {} communications ({} on one lead), {} projects, {} tasks; \
             plus {} organizations with {} contacts each.",
            format!("{scale:?}").to_lowercase(),
            int(s.contacts as f64),
            int(s.companies as f64),
            int(s.leads as f64),
            int(s.board_open as f64),
            int(s.communications as f64),
            int(s.hot_communications as f64),
            int(s.projects as f64),
            int(s.tasks as f64),
            int(s.small_orgs as f64),
            s.small_contacts
        );
    }
    if let Some(v) = all.first().map(|r| &r.versions) {
        let tools: Vec<String> = v
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.split(" Copyright").next().unwrap_or(v)))
            .collect();
        let _ = writeln!(out, "- Tools: {}", tools.join("; "));
    }
    out.push('\n');
    if scale == Scale::Smoke {
        out.push_str(
            "> **Smoke run**: small data, short runs, possibly a debug build. It shows that the harness \
             works end to end; its numbers say nothing about performance.\n\n",
        );
    }
    out.push_str("## Targets of issue 6\n\n| target | measured | met |\n| --- | ---: | :---: |\n");
    for t in targets(all) {
        let met = match t.met {
            Some(true) => "met",
            Some(false) => "**missed**",
            None => "—",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {met} |",
            t.what,
            if t.measured.is_some() {
                t.shown
            } else {
                "not measured".into()
            }
        );
    }
    out.push('\n');
    for r in all {
        database(&mut out, r);
    }
    out.push_str(METHOD);
    out
}

/// Everything from this line on in the report file is kept when it is rewritten.
const KEEP_MARKER: &str = "<!-- Hand-written sections below";

pub fn run(args: &ReportArgs) -> Result<()> {
    let mut all = Vec::new();
    for path in &args.results {
        all.push(Results::load(path)?);
    }
    // PostgreSQL first: the targets are PostgreSQL's.
    all.sort_by_key(|r| r.database != "postgres");
    let mut text = render(&all, &args.command);
    // Sections people wrote by hand (browser checks, scale checks) live
    // below the marker and survive a new report.
    if let Ok(old) = std::fs::read_to_string(&args.out)
        && let Some(at) = old.find(KEEP_MARKER)
    {
        text.push('\n');
        text.push_str(&old[at..]);
    }
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.out, text)?;
    eprintln!("bench: wrote {}", args.out.display());
    let failed: usize = all.iter().map(|r| r.failures.len()).sum();
    if args.check && failed > 0 {
        bail!("{failed} failed runs (see {})", args.out.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{int, ms};

    #[test]
    fn numbers_read_well() {
        assert_eq!(int(1_234_567.8), "1,234,568");
        assert_eq!(int(999.0), "999");
        assert_eq!(ms(0.1234), "0.12");
        assert_eq!(ms(123.4), "123");
    }
}
