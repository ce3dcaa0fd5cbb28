//! People who can log in, independent of any organization.

mod delete;
pub mod fields;
mod routes;
pub mod store;

pub use routes::router;
