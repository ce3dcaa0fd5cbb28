//! Communications: every message, call, meeting and note with a lead or a
//! contact, whoever logs it (a member, a provider webhook, an import), on
//! the record kernel. The timeline reads them alongside activities.

pub mod model;
mod resource;
mod routes;

pub use model::Communication;
pub use resource::Communications;
pub use routes::router;

/// The audit and event entity type.
pub const ENTITY: &str = "communication";
