//! Followers of a lead: members who hear about its moves, its outcome and
//! its comments without owning it. A member follows what they can see; a
//! manager (or the lead's assignee) adds others who can see it too.

mod routes;
mod service;
mod store;

pub use routes::router;
pub use service::{Follower, notify};
pub use store::clear_record;
