//! Saved views of lists (SPEC §4): personal or shared filters, sort and
//! columns. A record type of the kernel, in about a hundred and fifty lines.

mod model;
mod resource;
mod routes;

pub use model::{ENTITY, View};
pub use resource::Views;
pub use routes::router;
