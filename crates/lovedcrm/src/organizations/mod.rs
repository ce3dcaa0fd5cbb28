//! Organizations (tenants) and their members.

mod members;
pub mod ownership;
pub mod permissions;
mod role;
mod routes;
pub mod store;

pub use role::Role;
pub use routes::router;
