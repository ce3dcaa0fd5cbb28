//! Contacts: the people an organization sells to.

mod model;
mod routes;
mod store;

pub use model::{Contact, ENTITY};
pub use routes::router;
pub use store::exists;
