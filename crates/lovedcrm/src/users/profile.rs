//! `PATCH /users/me`: the signed-in user's own profile.

use axum::extract::State;
use axum::http::HeaderMap;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::fields::display_name;
use super::routes::Me;
use super::store;
use crate::app::SharedState;
use crate::audit::{self, SecurityEvent};
use crate::db::{GlobalTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::AuthUser;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::{IfMatchHeader, Versioned, if_match};

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(patch_me))
}

/// The profile fields a user may change. The email changes only through a
/// verified flow, so it is not here.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMe {
    pub name: Option<String>,
}

/// Change the signed-in user's name. Honors `If-Match`.
#[utoipa::path(patch, path = "/users/me", tag = "users",
    security(("bearer" = [])), params(IfMatchHeader), request_body = PatchMe,
    responses((status = 200, body = Me), (status = 401, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch_me(
    State(app): State<SharedState>,
    user: AuthUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PatchMe>,
) -> DomainResult<Versioned<Me>> {
    let expected = if_match(&headers)?;
    let tx = GlobalTx::begin(&app.store, Some(user.user_id), TxMode::Write).await?;
    let before = store::find(&*tx, user.user_id)
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    let name = match &body.name {
        Some(n) => display_name("name", n, 200).map_err(|e| DomainError::Validation(vec![e]))?,
        None => before.name.clone(),
    };
    let after = store::rename(&*tx, user.user_id, &name, expected)
        .await?
        .ok_or(DomainError::PreconditionFailed {
            current_version: before.version,
        })?;
    tx.commit().await?;
    audit::security(
        &app.store,
        &user.meta,
        SecurityEvent {
            action: "profile_updated",
            user_id: Some(user.user_id),
            email: Some(&after.email),
            target_organization_id: None,
            detail: Some(serde_json::json!({ "before": { "name": before.name }, "after": { "name": after.name } })),
        },
    )
    .await;
    Ok(Versioned(
        after.version,
        ApiJson(Me::new(after, !app.config.is_b2c())),
    ))
}
