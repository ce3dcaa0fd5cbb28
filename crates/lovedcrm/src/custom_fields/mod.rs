//! Custom fields: typed fields an organization adds to its records, stored
//! as JSON on the record and validated against their definition (never an
//! `ALTER TABLE` per organization).

pub mod listing;
mod routes;
pub mod store;
mod validate;

pub use listing::list_fields;
pub use routes::router;
pub use validate::{merge, validate, validate_patch};

/// Record types that can carry custom fields.
pub const ENTITIES: [&str; 5] = ["contact", "company", "lead", "project", "task"];
