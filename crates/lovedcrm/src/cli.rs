//! The `lovedcrm` command line.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::audit::ClientMeta;
use crate::auth::service::{self, Registration};
use crate::config::Config;
use crate::db::Store;
use crate::email::Locale;
use crate::observability::logging;
use crate::startup::{Application, shutdown_signal};

/// Loved CRM: a self-hostable CRM for digital agencies and small sales teams.
///
/// Configuration comes from environment variables (LOVEDCRM_*, DATABASE_URL)
/// and optionally a TOML file; see the README for the full table. With no
/// DATABASE_URL the CRM keeps everything in ./data/lovedcrm.db (SQLite).
#[derive(Parser)]
#[command(name = "lovedcrm", version, about, long_about)]
struct Cli {
    /// A TOML configuration file (also LOVEDCRM_CONFIG); environment variables win over it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server: REST API under /api/v1, docs at /docs, health and metrics.
    /// Applies pending migrations first (unless LOVEDCRM_MIGRATE_ON_START=false).
    Serve,
    /// Run background job workers only (emails, later webhooks and reminders),
    /// for deployments that keep them apart from `serve` (LOVEDCRM_WORKERS, default 2).
    Worker,
    /// Print the latest messages of the email outbox (where mail goes when no
    /// LOVEDCRM_SMTP_HOST is configured): recipient, subject, links and text.
    Outbox {
        /// How many messages, newest first.
        #[arg(long, default_value_t = 10)]
        limit: u32,
    },
    /// Apply pending database migrations and exit. Uses LOVEDCRM_MIGRATION_DATABASE_URL when set.
    Migrate,
    /// Fill the database with a demo agency (people, companies, contacts, leads with
    /// timelines, projects and tasks). Log in as demo@lovedcrm.local / lovedcrm-demo.
    Seed {
        /// The demo organization (the only kind of seed so far).
        #[arg(long)]
        demo: bool,
        /// Do nothing when the database already has accounts (for `make run`).
        #[arg(long)]
        if_empty: bool,
    },
    /// Print the OpenAPI document of the REST API (as served at /api/v1/openapi.json)
    /// to stdout; the web app generates its API types from it.
    Openapi,
    /// Create a user who owns a new organization (password from LOVEDCRM_ADMIN_PASSWORD or stdin).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Name of the organization to create (default: "<name>'s organization").
        #[arg(long)]
        organization: Option<String>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        return print_openapi();
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&e),
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve => serve(config).await,
            Command::Worker => worker(config).await,
            Command::Outbox { limit } => outbox(config, limit).await,
            Command::Migrate => migrate(config).await,
            Command::Openapi => Ok(()),
            Command::Seed { demo, if_empty } => seed(config, demo, if_empty).await,
            Command::CreateAdmin {
                email,
                name,
                organization,
            } => create_admin(config, email, name, organization).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&*e),
    }
}

/// Needs no configuration or database: the document comes from the route table.
fn print_openapi() -> ExitCode {
    use std::io::Write;
    let (_, doc) = crate::http::api();
    let json = match serde_json::to_string_pretty(&doc) {
        Ok(json) => json,
        Err(e) => return fail(&e),
    };
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{json}").and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(err: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("lovedcrm: error: {err}");
    ExitCode::FAILURE
}

type CliResult = Result<(), Box<dyn std::error::Error>>;

async fn serve(config: Config) -> CliResult {
    logging::init(&config.log, &config.log_format);
    let app = Application::build(config).await?;
    let addr = app.local_addr();
    tracing::info!(%addr, "Loved CRM listening on http://{addr} (API docs at http://{addr}/docs)");
    if let Some(path) = &app.state().config.addr_file {
        // Written whole, then renamed: a reader never sees half an address.
        let partial = path.with_extension("partial");
        std::fs::write(&partial, format!("{addr}\n"))?;
        std::fs::rename(&partial, path)?;
    }
    app.run_until_stopped(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn worker(config: Config) -> CliResult {
    logging::init(&config.log, &config.log_format);
    let state = Application::prepare(config).await?;
    crate::startup::refuse_a_role_above_row_security(&state.store).await?;
    crate::startup::run_workers(state, shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(())
}

async fn outbox(config: Config, limit: u32) -> CliResult {
    use std::io::Write;
    logging::init(&config.log, "pretty");
    let store = Store::connect(&config.effective_database_url(), 1).await?;
    let messages = crate::email::outbox::latest(&store, limit).await?;
    store.close().await;
    let mut out = std::io::stdout().lock();
    if messages.is_empty() {
        writeln!(out, "The outbox is empty.")?;
    }
    for m in &messages {
        writeln!(
            out,
            "── {} ──",
            m.created_at.format("%Y-%m-%d %H:%M:%S UTC")
        )?;
        writeln!(out, "To:      {}", m.to_address)?;
        writeln!(out, "Subject: {}", m.subject)?;
        for link in m.links() {
            writeln!(out, "Link:    {link}")?;
        }
        writeln!(out, "\n{}", m.text_body.trim_end())?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

async fn migrate(config: Config) -> CliResult {
    logging::init(&config.log, "pretty");
    let url = config
        .migration_database_url
        .clone()
        .unwrap_or_else(|| config.effective_database_url());
    let store = Store::connect(&url, 1).await?;
    store.migrate().await?;
    let status = store.migration_status().await?;
    eprintln!(
        "lovedcrm: database is up to date ({} migrations applied, latest {})",
        status.applied.len(),
        status.applied.last().map_or("none", String::as_str)
    );
    store.close().await;
    Ok(())
}

async fn create_admin(
    config: Config,
    email: String,
    name: String,
    organization: Option<String>,
) -> CliResult {
    logging::init(&config.log, "pretty");
    let password = match std::env::var("LOVEDCRM_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("Password for {email} (at least 10 characters), then Enter:");
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    // Like a first `serve`, this initializes the embedded data folder's keys.
    config.resolve_secrets()?;
    let store = crate::startup::open_store(&config, 1).await?;
    let registered = service::register(
        &store,
        config.session_absolute(),
        Registration {
            email,
            password,
            name,
            organization_name: organization,
            verified: true,
            verification: None,
            locale: Locale::En,
        },
        &ClientMeta {
            user_agent: Some("lovedcrm create-admin".into()),
            ..ClientMeta::default()
        },
    )
    .await
    .map_err(|e| e.to_problem().detail)?;
    eprintln!(
        "lovedcrm: created {} as owner of \"{}\" (organization id {})",
        registered.user.email, registered.organization.name, registered.organization.id
    );
    store.close().await;
    Ok(())
}

async fn seed(config: Config, demo: bool, if_empty: bool) -> CliResult {
    // Every demo record is a request; their log lines would bury the result.
    let level = if config.log == "info" {
        "warn"
    } else {
        config.log.as_str()
    };
    logging::init(level, "pretty");
    if !demo {
        return Err("say what to seed: --demo".into());
    }
    let seeded = crate::seed::demo(config, if_empty).await?;
    if seeded.skipped {
        eprintln!("lovedcrm: the database already has data; demo not seeded");
    } else {
        eprintln!(
            "lovedcrm: seeded \"{}\"; log in as {} / {}",
            seeded.organization,
            crate::seed::DEMO_EMAIL,
            crate::seed::DEMO_PASSWORD
        );
    }
    Ok(())
}
