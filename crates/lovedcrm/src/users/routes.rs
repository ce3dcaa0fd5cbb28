use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store;
use crate::http::context::AuthUser;
use crate::http::error::{ApiError, ApiResult, Problem};
use crate::http::json::ApiJson;
use crate::http::state::SharedState;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(me, super::delete::delete_me))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    pub last_organization_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// The signed-in user.
#[utoipa::path(get, path = "/users/me", tag = "users",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn me(State(app): State<SharedState>, user: AuthUser) -> ApiResult<ApiJson<Me>> {
    let found = store::find(app.store.connection(), user.user_id)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    Ok(ApiJson(Me::from(found)))
}

impl From<store::User> for Me {
    fn from(found: store::User) -> Self {
        Me {
            id: found.id,
            email: found.email,
            name: found.name,
            email_verified: found.email_verified_at.is_some(),
            last_organization_id: found.last_organization_id,
            created_at: found.created_at,
            version: found.version,
        }
    }
}
