//! Companies: the client organizations an agency works for and sells to.

mod domain;
pub mod linked;
mod model;
mod routes;
mod store;

pub use model::{Company, CompanyOut, ENTITY};
pub use routes::router;
pub use store::exists;
