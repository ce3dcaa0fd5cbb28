//! Logs, metrics and health checks.

mod health;
pub mod logging;
pub mod metrics;

pub use health::router;
