//! The calendar (SPEC §4): events with recurrence and exceptions, attendees
//! and links to records, reminders fired by the job queue into the one
//! notification service, the occurrences of a range (with tasks due), and
//! ICS feeds, export and import.

mod feed;
mod ics;
pub mod model;
mod occurrences;
pub mod recurrence;
mod reminders;
mod resource;
mod routes;
mod scope;
mod store;

pub use model::{CalendarEvent, ENTITY};
pub use reminders::{register_jobs, schedule_task, validate as validate_reminders};
pub use resource::Events;
pub use routes::router;
