//! Builds the application: configuration → database → router → bound socket.
//!
//! `Application::build` binds before it returns, so tests can start the real
//! wiring on port 0 and read the port back.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::auth::rate_limit::AuthLimits;
use crate::auth::tokens::TokenService;
use crate::config::{Config, ConfigError};
use crate::db::{Store, StoreError};
use crate::http::build_router;
use crate::http::state::{AppState, SharedState};
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
        let store = open_store(&config).await?;
        let state = Arc::new(AppState {
            store,
            tokens: TokenService::new(
                &secrets.token_key,
                Duration::from_secs(config.access_token_ttl_secs),
            ),
            auth_limits: AuthLimits::new(&config),
            cipher: crate::crypto::Cipher::new(&secrets.encryption_key),
            metrics: observability::metrics::handle(),
            realtime: crate::realtime::Hub::new(),
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

    /// Serves until `shutdown` completes, then lets requests in flight finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let router = build_router(self.state.clone());
        axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        self.state.store.clone().close().await;
        Ok(())
    }
}

/// Connects and brings the schema up to date, or refuses to start.
async fn open_store(config: &Config) -> Result<Store, StartupError> {
    let url = config.effective_database_url();
    let store = Store::connect(&url, config.db_max_connections).await?;
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
