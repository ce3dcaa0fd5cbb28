use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;

use crate::auth::rate_limit::AuthLimits;
use crate::auth::tokens::TokenService;
use crate::config::Config;
use crate::crypto::Cipher;
use crate::db::Store;
use crate::email::Mailer;
use crate::realtime;

/// Everything a request handler may need, shared behind an `Arc`.
pub struct AppState {
    pub store: Store,
    pub tokens: TokenService,
    pub auth_limits: AuthLimits,
    /// Per-member and per-organization API request budgets.
    pub api_limits: crate::limits::ApiLimits,
    pub config: Config,
    /// Encrypts the secrets the server stores (TOTP secrets…).
    pub cipher: Cipher,
    pub metrics: PrometheusHandle,
    /// Organization events for `GET /api/v1/ws`; publish after commit.
    pub realtime: realtime::Hub,
    /// Where `email.send` jobs deliver: SMTP or the outbox table.
    pub mailer: Mailer,
    /// Wakes this node's event dispatcher after a commit.
    pub events: crate::events::Bus,
}

pub type SharedState = Arc<AppState>;
