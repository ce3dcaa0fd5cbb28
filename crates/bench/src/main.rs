//! `lovedcrm-bench`: the benchmark harness of Loved CRM.
//!
//! `seed` fills a migrated database; `run` starts the server on it and
//! measures every scenario with wrk (and pgbench for the database ceiling);
//! `report` turns results into the markdown of BENCHMARKS.md.
//! `scripts/bench/run.sh` (`make bench`, `make bench-smoke`) runs all three.

mod calendar;
mod manifest;
mod report;
mod results;
mod run;
mod seed;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use seed::shape::Scale;

#[derive(Parser)]
#[command(
    name = "lovedcrm-bench",
    about = "Seed, load and report benchmarks of Loved CRM"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fill an empty, migrated database with deterministic data.
    Seed {
        /// `sqlite://…` or `postgres://…` (on PostgreSQL, the server's role).
        #[arg(long)]
        db: String,
        #[arg(long, value_enum, default_value = "smoke")]
        scale: Scale,
        /// Where to write what the runner needs (accounts, ids).
        #[arg(long, default_value = "bench-manifest.json")]
        manifest: PathBuf,
        /// Parallel writer connections (default: 2 on PostgreSQL, 1 on SQLite).
        #[arg(long)]
        writers: Option<usize>,
        /// Rows per transaction (and per batch a writer takes).
        #[arg(long, default_value_t = 20_000)]
        batch: usize,
        #[arg(long, default_value_t = 20_261_123)]
        seed: u64,
    },
    /// Start the server on a seeded database and run every scenario.
    Run(Box<run::RunArgs>),
    /// Reminders at scale through a hard restart, and the week view.
    Calendar(Box<calendar::CalendarArgs>),
    /// Write the markdown report of one or more results files.
    Report(report::ReportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lovedcrm-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Seed {
                db,
                scale,
                manifest,
                writers,
                batch,
                seed,
            } => {
                seed::run(seed::SeedArgs {
                    db,
                    scale,
                    manifest,
                    writers,
                    batch,
                    seed,
                })
                .await
            }
            Command::Run(args) => run::run(*args).await,
            Command::Calendar(args) => calendar::run(*args).await,
            Command::Report(args) => report::run(&args),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lovedcrm-bench: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
