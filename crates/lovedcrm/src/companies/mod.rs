//! Companies: the client organizations an agency works for and sells to.

mod domain;
mod model;
mod routes;
mod store;

pub use model::{Company, ENTITY};
pub use routes::router;
pub use store::exists;
