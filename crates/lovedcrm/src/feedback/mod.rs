//! Feedback members send from the app (reference document 004's `/feedback`
//! page): what happened, a category, the page, browser and app version, and
//! optionally a screenshot of the page taken in the browser. Kept for the
//! organization's admins and emailed to the address the server's
//! administrator configures (`LOVEDCRM_FEEDBACK_EMAIL`); each member sends
//! at most `LOVEDCRM_FEEDBACK_PER_MEMBER_PER_HOUR` (10) an hour.

mod model;
mod routes;
mod service;

pub use model::{Feedback, NewFeedback};
pub use routes::router;
pub use service::{SCREENSHOT_MAX_BYTES, submit};
