//! The unified timeline: communications (WhatsApp, email, calls, SMS,
//! meetings, notes; `crate::communications`) and activities, newest first,
//! per lead, contact and company.

pub mod activities;
mod authors;
mod feed;
mod model;
mod routes;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::SharedState;

pub use crate::communications::Communication;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(routes::feed::lead_timeline))
        .routes(routes!(routes::feed::contact_timeline))
        .routes(routes!(routes::feed::company_timeline))
}
