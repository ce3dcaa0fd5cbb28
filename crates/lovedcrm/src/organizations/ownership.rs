//! `POST /organizations/current/transfer-ownership`: the owner hands the
//! organization to another member and stays on as admin.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::Role;
use super::store;
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::TxMode;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(transfer_ownership))
}

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
async fn transfer_ownership(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<TransferOwnership>,
) -> DomainResult<StatusCode> {
    ctx.require(Role::Owner, "transfer ownership")?;
    if body.user_id == ctx.user_id() {
        return Err(DomainError::Validation(vec![FieldError::new(
            "user_id",
            "is you: name another member",
        )]));
    }
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let target = store::member(&tx, body.user_id)
        .await?
        .ok_or_else(|| DomainError::field("user_id", "is not a member of this organization"))?;
    let me = store::member(&tx, ctx.user_id())
        .await?
        .ok_or(DomainError::NotFound("member"))?;
    let changed = store::set_role(&tx, body.user_id, Role::Owner, target.version).await?
        && store::set_role(&tx, ctx.user_id(), Role::Admin, me.version).await?;
    if !changed {
        return Err(DomainError::Conflict {
            code: "membership_changed",
            detail: "a membership changed meanwhile; try again".into(),
        });
    }
    audit::record(
        &tx,
        &ctx.meta,
        Change {
            actor: Some(ctx.user_id()),
            action: "organization.ownership_transferred",
            entity_type: "organization",
            entity_id: Some(tx.org_id().to_string()),
            before: Some(
                serde_json::json!({ "owner": ctx.user_id(), "new_owner_role": target.role }),
            ),
            after: Some(
                serde_json::json!({ "owner": body.user_id, "previous_owner_role": "admin" }),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
