//! `lovedcrm seed --demo`: a believable agency CRM, created through the real
//! API in-process (so every record is validated, indexed and audited exactly
//! as if a team had typed it in).

mod client;
mod data;
mod demo;

pub use demo::{DEMO_EMAIL, DEMO_PASSWORD, SeedError, Seeded, demo};
