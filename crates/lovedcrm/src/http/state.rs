use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;

use crate::auth::rate_limit::AuthLimits;
use crate::auth::tokens::TokenService;
use crate::config::Config;
use crate::db::Store;

/// Everything a request handler may need, shared behind an `Arc`.
pub struct AppState {
    pub store: Store,
    pub tokens: TokenService,
    pub auth_limits: AuthLimits,
    pub config: Config,
    pub metrics: PrometheusHandle,
}

pub type SharedState = Arc<AppState>;
