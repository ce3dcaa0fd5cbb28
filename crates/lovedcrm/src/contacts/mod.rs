//! Contacts: the people an organization sells to.

pub mod linked;
mod model;
mod resource;
mod routes;
mod store;

pub use model::{Contact, ContactOut, ENTITY};
pub use resource::Contacts;
pub use routes::router;
pub use store::exists;
