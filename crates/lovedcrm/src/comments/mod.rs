//! Comments: discussion on any lead, contact, company, project or task, with
//! @mentions that notify the mentioned members.

pub mod events;
pub mod mentions;
mod model;
mod resource;
mod routes;
mod store;

pub use model::{Comment, ENTITY};
pub use resource::Comments;
pub use routes::router;
