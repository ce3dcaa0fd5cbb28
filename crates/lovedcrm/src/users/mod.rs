//! People who can log in, independent of any organization.

mod delete;
pub mod fields;
pub mod preferences;
mod profile;
mod routes;
pub mod store;

pub use routes::router;

/// The signed-in user's profile and preferences routes.
pub fn settings_router() -> utoipa_axum::router::OpenApiRouter<crate::app::SharedState> {
    profile::router().merge(preferences::router())
}
