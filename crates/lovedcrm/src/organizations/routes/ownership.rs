//! `POST /organizations/current/transfer-ownership`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::organizations::ownership;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferOwnership {
    /// The member who becomes owner.
    pub user_id: Uuid,
}

/// Make another member the owner; the caller (an owner) becomes admin.
#[utoipa::path(post, path = "/organizations/current/transfer-ownership", tag = "organizations",
    security(("bearer" = [])), params(OrgHeader), request_body = TransferOwnership,
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn transfer_ownership(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<TransferOwnership>,
) -> DomainResult<StatusCode> {
    ownership::transfer(&app, &ctx, body.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
