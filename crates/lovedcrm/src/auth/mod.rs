//! Register, login, refresh and logout; email verification and password reset.

pub mod email_flows;
mod email_routes;
pub mod password;
pub mod rate_limit;
mod routes;
pub mod service;
pub mod sessions;
pub mod tokens;
pub mod user_tokens;

pub use email_flows::register_jobs;
pub use email_routes::router as email_router;
pub use routes::router;
