//! Tasks: to-dos with a status, priority, assignee and due time, linked to a
//! project and/or a lead, contact or company.

mod effects;
pub mod model;
mod resource;
mod routes;
mod store;

pub use model::{ENTITY, Task};
pub use resource::Tasks;
pub use routes::router;
pub use store::exists;
