//! Leads: the cards of the sales pipeline, their moves between stages and
//! the board that shows them.

mod board;
mod bulk;
mod convert;
mod model;
mod moves;
mod resource;
mod routes;
pub mod store;
mod validate;

pub use model::{ENTITY, Lead, LeadOut};
pub use resource::Leads;
pub use routes::router;
