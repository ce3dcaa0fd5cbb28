//! Register, login (with 2FA), refresh, logout, sessions and password.

mod account;
mod events;
pub mod password;
pub mod rate_limit;
mod routes;
pub mod service;
pub mod sessions;
pub mod tokens;
pub mod two_factor;

pub use routes::router;
