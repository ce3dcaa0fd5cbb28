//! Companies: the client organizations an agency works for and sells to.

mod domain;
pub mod linked;
mod model;
mod resource;
mod routes;
mod store;

pub use model::{Company, CompanyOut, ENTITY};
pub use resource::Companies;
pub use routes::router;
pub use store::exists;
