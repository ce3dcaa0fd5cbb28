//! `/users/me`: the signed-in user's profile, preferences and account.

mod delete;
mod preferences;
mod profile;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::SharedState;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(profile::me, delete::delete_me))
}

/// The signed-in user's profile and preferences routes.
pub fn settings_router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(profile::patch_me))
        .routes(routes!(
            preferences::get_preferences,
            preferences::patch_preferences
        ))
}
