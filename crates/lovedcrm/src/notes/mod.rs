//! Notes: free text on any lead, contact, company, project or task. The
//! `target` and `listing` helpers are shared with comments and shares.

pub mod listing;
mod model;
mod resource;
mod routes;
mod store;
pub mod target;

pub use model::{ENTITY, Note};
pub use resource::Notes;
pub use routes::router;
