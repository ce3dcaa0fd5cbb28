//! Two-factor authentication: TOTP with backup codes, and the login
//! challenge that stands between a correct password and the tokens.

pub mod challenge;
mod routes;
pub mod store;
pub mod totp;

pub use routes::router;
