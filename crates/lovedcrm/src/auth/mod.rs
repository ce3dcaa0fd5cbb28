//! Register, login (with 2FA), refresh, logout, sessions and password;
//! email verification and password reset.

mod account;
pub mod email_flows;
mod email_routes;
mod events;
pub mod password;
pub mod rate_limit;
mod routes;
pub mod service;
pub mod sessions;
pub mod tokens;
pub mod two_factor;
pub mod user_tokens;

pub use email_flows::register_jobs;
pub use email_routes::router as email_router;
pub use routes::router;
