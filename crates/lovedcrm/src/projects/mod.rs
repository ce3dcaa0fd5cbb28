//! Projects: the work an agency delivers for a client company, with the
//! members assigned to it and its tasks.

mod access;
mod model;
mod resource;
mod routes;
mod store;

pub use access::visible;
pub use model::{ENTITY, Project};
pub use resource::Projects;
pub use routes::router;
pub use store::{exists, touch};
