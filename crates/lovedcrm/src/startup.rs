//! Builds the application: configuration → database → router → bound socket.
//!
//! `Application::build` binds before it returns, so tests can start the real
//! wiring on port 0 and read the port back.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::app::{AppState, SharedState};
use crate::auth::rate_limit::AuthLimits;
use crate::auth::tokens::TokenService;
use crate::config::{Config, ConfigError};
use crate::db::{Store, StoreError};
use crate::http::build_router;
use crate::jobs::{self, Pool, PoolConfig};
use crate::observability;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "the database schema is behind this binary (pending: {0}); run `lovedcrm migrate` or enable LOVEDCRM_MIGRATE_ON_START"
    )]
    SchemaBehind(String),
    #[error(
        "the database role `{0}` is a superuser or has BYPASSRLS, so row-level security would not \
         apply to it; run the server as a role without them (the schema owner is fine, or one with \
         only SELECT, INSERT, UPDATE, DELETE) and give migrations their own URL in \
         LOVEDCRM_MIGRATION_DATABASE_URL"
    )]
    BypassesRowSecurity(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub struct Application {
    listener: TcpListener,
    state: SharedState,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let listen = config.listen;
        let state = Self::prepare(config).await?;
        refuse_a_role_above_row_security(&state.store).await?;
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|source| StartupError::Bind {
                addr: listen,
                source,
            })?;
        Ok(Self { listener, state })
    }

    /// Everything but the socket: configuration, an up-to-date database and
    /// the shared state (also used by commands that call the API in-process).
    pub async fn prepare(config: Config) -> Result<SharedState, StartupError> {
        let secrets = config.resolve_secrets()?;
        let mailer = crate::email::Mailer::from_config(&config)?;
        let store = open_store(&config, config.db_max_connections).await?;
        let state = Arc::new(AppState {
            store,
            tokens: TokenService::new(
                &secrets.token_key,
                Duration::from_secs(config.access_token_ttl_secs),
            ),
            auth_limits: AuthLimits::new(&config),
            api_limits: crate::http::api_limits::ApiLimits::new(&config),
            cipher: crate::crypto::Cipher::new(&secrets.encryption_key),
            metrics: observability::metrics::handle(),
            realtime: crate::realtime::Hub::new(),
            mailer,
            events: crate::events::Bus::default(),
            config,
        });
        Ok(state)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| self.state.config.listen)
    }

    pub fn state(&self) -> SharedState {
        self.state.clone()
    }

    /// Serves (and runs `LOVEDCRM_WORKERS` job workers) until `shutdown`
    /// completes, then lets requests in flight and running jobs finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let router = build_router(self.state.clone());
        let pool = start_workers(&self.state);
        // One signal, two listeners: the HTTP server and the workers both
        // start draining at once.
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        let mut events_stopped = stopped.clone();
        let events = tokio::spawn(crate::events::dispatcher(self.state.clone(), async move {
            let _ = events_stopped.wait_for(|s| *s).await;
        }));
        if self.state.config.workers > 0 {
            let mut maintenance_stopped = stopped.clone();
            tokio::spawn(maintenance(self.state.clone(), async move {
                let _ = maintenance_stopped.wait_for(|s| *s).await;
            }));
        }
        let mut http_stopped = stopped.clone();
        let serve = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = http_stopped.wait_for(|s| *s).await;
        });
        let drain = Duration::from_secs(self.state.config.job_drain_secs);
        let mut workers_stopped = stopped;
        let workers = async move {
            let _ = workers_stopped.wait_for(|s| *s).await;
            pool.shutdown(drain).await;
        };
        let (served, ()) = tokio::join!(serve.into_future(), workers);
        let _ = events.await;
        self.state.store.clone().close().await;
        served
    }
}

/// Starts the configured number of job workers with every handler.
pub fn start_workers(state: &SharedState) -> Pool {
    Pool::start(
        state.clone(),
        jobs::default_registry(),
        PoolConfig::from_config(&state.config),
    )
}

/// `lovedcrm worker`: job workers without the HTTP server.
pub async fn run_workers(state: SharedState, shutdown: impl Future<Output = ()> + Send + 'static) {
    let mut config = PoolConfig::from_config(&state.config);
    config.workers = config.workers.max(1);
    let pool = Pool::start(state.clone(), jobs::default_registry(), config);
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let chores = tokio::spawn(maintenance(state.clone(), async move {
        let _ = stopped.wait_for(|s| *s).await;
    }));
    shutdown.await;
    let _ = stop.send(true);
    pool.shutdown(Duration::from_secs(state.config.job_drain_secs))
        .await;
    let _ = chores.await;
    state.store.clone().close().await;
}

/// How often a node that does background work sweeps what has expired.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(600);

/// Periodic chores of the nodes with workers, until `shutdown`: old domain
/// events are swept (each node may run it; it is idempotent).
async fn maintenance(state: SharedState, shutdown: impl Future<Output = ()>) {
    let mut tick = tokio::time::interval(MAINTENANCE_EVERY);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                match crate::events::sweep(&state).await {
                    Ok(n) if n > 0 => tracing::info!(swept = n, "old domain events swept"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot sweep old domain events"),
                }
            }
            () = &mut shutdown => return,
        }
    }
}

/// Connects and brings the schema up to date (through the migration URL when
/// one is set), or refuses to start. `serve`, `worker` and `create-admin`
/// all open the database this way.
pub async fn open_store(config: &Config, max_connections: u32) -> Result<Store, StartupError> {
    let url = config.effective_database_url();
    let store = Store::connect(&url, max_connections).await?;
    if config.migrate_on_start {
        match &config.migration_database_url {
            Some(owner_url) => {
                let owner = Store::connect(owner_url, 1).await?;
                owner.migrate().await?;
                owner.close().await;
            }
            None => store.migrate().await?,
        }
    }
    let status = store.migration_status().await?;
    if !status.pending.is_empty() {
        return Err(StartupError::SchemaBehind(status.pending.join(", ")));
    }
    Ok(store)
}

/// The server (and workers) must not run as a PostgreSQL role that row-level
/// security does not bind: tenant isolation would rest on the application
/// alone. Commands an operator runs (`migrate`, seeds) may.
pub async fn refuse_a_role_above_row_security(store: &Store) -> Result<(), StartupError> {
    #[derive(crate::db::Row)]
    struct RoleRow {
        name: String,
        above: bool,
    }
    if store.backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let role: Option<RoleRow> = crate::db::fetch_one(
        store.connection(),
        "SELECT rolname::text AS name, (rolsuper OR rolbypassrls) AS above \
         FROM pg_roles WHERE rolname = current_user",
        vec![],
    )
    .await
    .map_err(|e| StartupError::Store(StoreError::Db(e)))?;
    match role {
        Some(r) if r.above => Err(StartupError::BypassesRowSecurity(r.name)),
        _ => Ok(()),
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested; draining requests in flight");
}
