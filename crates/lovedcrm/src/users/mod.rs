//! People who can log in, independent of any organization.

mod delete;
pub mod fields;
pub mod preferences;
mod profile;
mod routes;
pub mod store;

pub use routes::{router, settings_router};
