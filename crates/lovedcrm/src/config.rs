//! Configuration from environment variables and an optional TOML file.
//!
//! Precedence: built-in defaults < TOML file (`LOVEDCRM_CONFIG` or `--config`)
//! < `LOVEDCRM_*` environment variables (and plain `DATABASE_URL`).

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Everything the server can be told, before secrets are resolved.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// `sqlite://path` or `postgres://…`; defaults to a SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// A separate URL used only to run migrations (e.g. the schema owner's).
    pub migration_database_url: Option<String>,
    pub listen: SocketAddr,
    /// Once listening, `serve` writes the address it bound here (with
    /// `LOVEDCRM_LISTEN=…:0`, how a supervisor or a test learns the port the
    /// system chose, with no race for a port picked in advance).
    pub addr_file: Option<PathBuf>,
    pub data_dir: PathBuf,
    /// Key that signs access tokens (any string of at least 32 bytes).
    pub token_key: Option<String>,
    /// Base64 of 32 bytes used to encrypt stored secrets.
    pub encryption_key: Option<String>,
    /// Comma-separated origins allowed by CORS; empty means same-origin only.
    pub cors_origins: String,
    /// `tracing` filter, e.g. `info` or `lovedcrm=debug,info`.
    pub log: String,
    /// `json` (default) or `pretty`.
    pub log_format: String,
    pub json_body_limit_bytes: usize,
    pub migrate_on_start: bool,
    pub db_max_connections: u32,
    pub access_token_ttl_secs: u64,
    /// A session not used for this many days ends (`LOVEDCRM_SESSION_IDLE_DAYS`).
    pub session_idle_days: u64,
    /// A session ends this many days after its login however much it is used.
    pub session_absolute_days: u64,
    /// Consecutive failed logins on one email before it is locked.
    pub login_lockout_threshold: u32,
    /// The first lock-out; each further one doubles, up to `login_lockout_max_secs`.
    pub login_lockout_base_secs: u64,
    pub login_lockout_max_secs: u64,
    /// Requests per minute one IP may make to register/login.
    pub auth_rate_per_ip_per_minute: u32,
    /// Login attempts per minute against one account.
    pub login_rate_per_account_per_minute: u32,
    /// Take the client IP from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// How many proxies of ours stand in front (with `trust_proxy`): the
    /// client is the address the outermost of them appended, this many
    /// entries from the right of `X-Forwarded-For`. Entries further left were
    /// written by the client and are not believed.
    pub trust_proxy_hops: u32,
    /// How often (seconds) an open WebSocket re-checks its session and membership.
    pub realtime_session_check_secs: u64,
    /// The path the web app is reached under behind a reverse proxy that strips
    /// it (e.g. `/crm/`); the UI builds its API and page URLs from it.
    pub base_path: String,
    /// Serve the web app from this folder instead of the build embedded in the
    /// binary (a `web/dist` produced by `npm run build`).
    pub web_dir: Option<PathBuf>,
    /// Where people reach the web app; links in emails start with it.
    pub public_url: String,
    /// `B2B` (teams: invites, members, sharing) or `B2C` (each user works
    /// alone in a personal organization). Also read from plain `SAAS_MODE`.
    pub saas_mode: String,
    /// API requests per minute one member may make in one organization.
    pub api_rate_per_user_per_minute: u32,
    /// API requests per minute one organization may make, all members together.
    pub api_rate_per_org_per_minute: u32,
    /// Background job workers in `serve` (0 runs none: use `lovedcrm worker`).
    pub workers: usize,
    /// How often an idle worker looks for due jobs (milliseconds).
    pub job_poll_ms: u64,
    /// The longest one job may run; its lease lasts a little longer.
    pub job_timeout_secs: u64,
    /// First retry delay (milliseconds); doubles per attempt, with jitter.
    pub job_retry_base_ms: u64,
    pub job_retry_max_secs: u64,
    /// On shutdown, how long running jobs may take before they are released.
    pub job_drain_secs: u64,
    /// SMTP relay; without one, mail goes to the `email_outbox` table
    /// (`lovedcrm outbox` prints it).
    pub smtp_host: Option<String>,
    /// Defaults by security: 587 (starttls), 465 (tls), 25 (none).
    pub smtp_port: Option<u16>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<Redacted>,
    /// `starttls` (default), `tls` (implicit TLS) or `none` (plain, for a local relay).
    pub smtp_security: String,
    /// The From header, e.g. `Loved CRM <crm@example.com>`.
    pub smtp_from: String,
    /// Where feedback sent from the app is emailed (besides being kept for
    /// the organization's admins); none: not emailed.
    pub feedback_email: Option<String>,
    /// The address push services may write to about our VAPID-signed
    /// pushes (RFC 8292 `sub`).
    pub push_contact: String,
    /// Accept Web Push endpoints on plain http at 127.0.0.1/localhost (a
    /// local test push service); never in production.
    pub push_allow_http: bool,
    /// Feedback one member may send per hour (counted in the database, so
    /// across nodes).
    pub feedback_per_member_per_hour: u32,
    pub smtp_timeout_secs: u64,
    /// Bearer token for `/health/detailed` and `/metrics` (monitoring). Not
    /// set: only clients on this machine (loopback) may read them.
    pub ops_token: Option<Redacted>,
}

/// A secret setting that never shows in `Debug` output (logs, panics).
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Redacted(pub String);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: None,
            migration_database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            addr_file: None,
            data_dir: PathBuf::from("./data"),
            token_key: None,
            encryption_key: None,
            cors_origins: String::new(),
            log: "info".into(),
            log_format: "json".into(),
            json_body_limit_bytes: 1024 * 1024,
            migrate_on_start: true,
            db_max_connections: 16,
            access_token_ttl_secs: 15 * 60,
            session_idle_days: 30,
            session_absolute_days: 90,
            login_lockout_threshold: 5,
            login_lockout_base_secs: 60,
            login_lockout_max_secs: 3600,
            auth_rate_per_ip_per_minute: 30,
            login_rate_per_account_per_minute: 10,
            trust_proxy: false,
            trust_proxy_hops: 1,
            realtime_session_check_secs: 60,
            base_path: "/".into(),
            web_dir: None,
            public_url: "http://127.0.0.1:8080".into(),
            saas_mode: "B2B".into(),
            api_rate_per_user_per_minute: 1_200,
            api_rate_per_org_per_minute: 6_000,
            workers: 2,
            job_poll_ms: 500,
            job_timeout_secs: 60,
            job_retry_base_ms: 5_000,
            job_retry_max_secs: 3_600,
            job_drain_secs: 20,
            smtp_host: None,
            smtp_port: None,
            smtp_username: None,
            smtp_password: None,
            smtp_security: "starttls".into(),
            smtp_from: "Loved CRM <no-reply@localhost>".into(),
            feedback_email: None,
            push_contact: "admin@localhost".into(),
            push_allow_http: false,
            feedback_per_member_per_hour: 10,
            smtp_timeout_secs: 20,
            ops_token: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid configuration: {0}")]
    Invalid(String),
    #[error("{0}")]
    Missing(String),
    #[error("cannot use the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Config {
    /// Reads defaults, then the TOML file if given, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("LOVEDCRM_CONFIG").map(PathBuf::from));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError::Invalid(format!(
                    "config file {} does not exist",
                    path.display()
                )));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment
            .merge(Env::raw().only(&["DATABASE_URL", "SAAS_MODE"]))
            .merge(Env::prefixed("LOVEDCRM_").ignore(&["CONFIG"]));
        figment
            .extract()
            .map_err(|e| ConfigError::Invalid(e.to_string()))
    }

    /// The database URL in force, defaulting to `data_dir/lovedcrm.db`.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_string(),
            _ => format!("sqlite://{}", self.data_dir.join("lovedcrm.db").display()),
        }
    }

    pub fn is_postgres(&self) -> bool {
        let url = self.effective_database_url();
        url.starts_with("postgres://") || url.starts_with("postgresql://")
    }

    /// Whether teams are hidden (`SAAS_MODE=B2C`).
    pub fn is_b2c(&self) -> bool {
        self.saas_mode.eq_ignore_ascii_case("b2c")
    }

    /// `public_url` without a trailing slash, for building links.
    pub fn public_base(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }

    /// How long a session lives from its login at most.
    pub fn session_absolute(&self) -> chrono::Duration {
        chrono::Duration::days(self.session_absolute_days.clamp(1, 36_500) as i64)
    }

    /// How long a session may go unused before it ends.
    pub fn session_idle(&self) -> chrono::Duration {
        chrono::Duration::days(self.session_idle_days.clamp(1, 36_500) as i64)
    }

    pub fn cors_origin_list(&self) -> Vec<String> {
        self.cors_origins
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    /// Resolves the signing and encryption keys.
    ///
    /// In the embedded (SQLite) shape missing keys are generated once and kept
    /// in `data_dir` with mode 0600; on PostgreSQL several nodes must share
    /// them, so they must be configured and a missing one stops the start.
    pub fn resolve_secrets(&self) -> Result<Secrets, ConfigError> {
        let embedded = !self.is_postgres();
        let token_key = match &self.token_key {
            Some(k) => k.clone().into_bytes(),
            None if embedded => self.stored_key("token.key")?,
            None => {
                return Err(ConfigError::Missing(
                    "LOVEDCRM_TOKEN_KEY is required when DATABASE_URL points at PostgreSQL \
                     (at least 32 characters; generate one with `openssl rand -base64 32`)"
                        .into(),
                ));
            }
        };
        if token_key.len() < 32 {
            return Err(ConfigError::Invalid(
                "LOVEDCRM_TOKEN_KEY must be at least 32 bytes long".into(),
            ));
        }
        let encryption_key = match &self.encryption_key {
            Some(k) => k.clone(),
            None if embedded => String::from_utf8_lossy(&self.stored_key("encryption.key")?)
                .trim()
                .to_string(),
            None => {
                return Err(ConfigError::Missing(
                    "LOVEDCRM_ENCRYPTION_KEY is required when DATABASE_URL points at PostgreSQL \
                     (base64 of 32 bytes; generate one with `openssl rand -base64 32`)"
                        .into(),
                ));
            }
        };
        let decoded = B64.decode(encryption_key.trim()).map_err(|_| {
            ConfigError::Invalid("LOVEDCRM_ENCRYPTION_KEY must be base64 of 32 bytes".into())
        })?;
        let encryption_key: [u8; 32] = decoded.try_into().map_err(|_| {
            ConfigError::Invalid("LOVEDCRM_ENCRYPTION_KEY must decode to exactly 32 bytes".into())
        })?;
        Ok(Secrets {
            token_key,
            encryption_key,
        })
    }

    /// Reads `data_dir/name`, creating it with a fresh random key if missing.
    fn stored_key(&self, name: &str) -> Result<Vec<u8>, ConfigError> {
        let io_err = |source| ConfigError::DataDir {
            path: self.data_dir.clone(),
            source,
        };
        private_dir(&self.data_dir).map_err(io_err)?;
        let path = self.data_dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => return Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(e)),
        }
        let mut raw = [0u8; 32];
        rand::fill(&mut raw);
        let key = B64.encode(raw);
        write_private(&path, key.as_bytes()).map_err(io_err)?;
        Ok(key.into_bytes())
    }
}

/// Creates `dir` (and missing parents) readable by this user only: it holds
/// the keys and the database. An existing folder is left as it is.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Key material, kept out of `Debug` output.
#[derive(Clone)]
pub struct Secrets {
    pub token_key: Vec<u8>,
    pub encryption_key: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets { .. }")
    }
}
