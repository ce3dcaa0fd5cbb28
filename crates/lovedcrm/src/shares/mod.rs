//! Sharing: giving one member access to one record they would not otherwise
//! see (SPEC §2). `records::visibility` reads the `record_shares` rows.

mod model;
mod routes;
pub(crate) mod store;

pub use model::{ENTITY, Share};
pub use routes::router;
