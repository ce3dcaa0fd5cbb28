//! Contacts: the people an organization sells to.

pub mod linked;
mod model;
mod routes;
mod store;

pub use model::{Contact, ContactOut, ENTITY};
pub use routes::router;
pub use store::exists;
