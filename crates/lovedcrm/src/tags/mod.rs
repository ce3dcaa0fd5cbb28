//! Tags: per-organization labels that any record can carry.

mod routes;
pub mod store;

pub use routes::router;
