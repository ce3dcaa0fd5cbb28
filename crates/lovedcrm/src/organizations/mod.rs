//! Organizations (tenants) and their members.

mod members;
mod role;
mod routes;
pub mod store;

pub use role::Role;
pub use routes::router;
