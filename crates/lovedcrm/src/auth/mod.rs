//! Register, login, refresh and logout.

pub mod password;
pub mod rate_limit;
mod routes;
pub mod service;
pub mod sessions;
pub mod tokens;

pub use routes::router;
