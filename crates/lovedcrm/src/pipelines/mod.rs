//! Sales pipelines and their stages: the columns of the Kanban board.

mod model;
mod routes;
mod stages;
pub mod store;

pub use model::{Pipeline, Stage, StageKind};
pub use routes::router;
