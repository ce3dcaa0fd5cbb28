//! Register, login (with 2FA), refresh, logout, sessions and password;
//! email verification and password reset.

mod account;
pub mod cookie;
pub mod email_flows;
mod events;
pub mod lockout;
pub mod password;
pub mod rate_limit;
mod routes;
pub mod service;
pub mod sessions;
pub mod tokens;
pub mod two_factor;
pub mod user_tokens;

pub use email_flows::register_jobs;
pub use routes::email::router as email_router;
pub use routes::router;

use crate::error::{DomainError, FieldError};

/// The longest email (RFC 5321's path limit) and token we read at all.
pub(crate) const MAX_EMAIL: usize = 254;
pub(crate) const MAX_TOKEN: usize = 512;
/// Passwords are at most 1,024 characters, of up to 4 bytes each.
pub(crate) const MAX_SECRET: usize = 4096;

/// Refuses, before anything else reads them, strings longer than any real
/// value of their field: unauthenticated endpoints must not write an 800 KB
/// "email" into the security log or keep it as a rate-limit key.
pub(crate) fn bounded(fields: &[(&str, &str, usize)]) -> Result<(), DomainError> {
    let errors: Vec<FieldError> = fields
        .iter()
        .filter(|(_, value, max)| value.len() > *max)
        .map(|(field, _, max)| FieldError::new(*field, format!("must be at most {max} bytes")))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Validation(errors))
    }
}
