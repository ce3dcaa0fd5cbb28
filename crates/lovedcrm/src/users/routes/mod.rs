use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store;
use crate::app::SharedState;
use crate::error::{DomainError, DomainResult};
use crate::http::context::AuthUser;
use crate::http::error::Problem;
use crate::http::json::ApiJson;

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
    /// `false` when the server runs with `SAAS_MODE=B2C`: no invites,
    /// members, sharing or further organizations.
    pub teams_enabled: bool,
}

/// The signed-in user.
#[utoipa::path(get, path = "/users/me", tag = "users",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn me(State(app): State<SharedState>, user: AuthUser) -> DomainResult<ApiJson<Me>> {
    let found = store::find(app.store.connection(), user.user_id)
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    Ok(ApiJson(Me::new(found, !app.config.is_b2c())))
}

impl Me {
    pub fn new(found: store::User, teams_enabled: bool) -> Self {
        Me {
            id: found.id,
            email: found.email,
            name: found.name,
            email_verified: found.email_verified_at.is_some(),
            last_organization_id: found.last_organization_id,
            created_at: found.created_at,
            version: found.version,
            teams_enabled,
        }
    }
}
