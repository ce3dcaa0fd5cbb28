//! Organizations (tenants) and their members.

mod members;
pub mod ownership;
pub mod permissions;
mod role;
mod routes;
pub mod store;
pub mod workspace;

pub use role::Role;
pub use routes::router;

/// Fails with 403 `teams_disabled` in `SAAS_MODE=B2C`, where each user works
/// alone in a personal organization.
pub fn teams_enabled(app: &crate::app::SharedState) -> Result<(), crate::error::DomainError> {
    if app.config.is_b2c() {
        return Err(crate::error::DomainError::Denied {
            code: "teams_disabled",
            detail: "teams are disabled on this server (SAAS_MODE=B2C): invites, members and sharing are off".into(),
        });
    }
    Ok(())
}
