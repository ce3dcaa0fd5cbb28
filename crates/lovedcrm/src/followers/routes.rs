//! The HTTP adapter of followers.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::service::{self, Follower};
use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(follow, unfollow))
}

/// The followers of a lead.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowerList {
    pub data: Vec<Follower>,
}

/// Who follows a lead (hears about its moves, outcome and comments).
#[utoipa::path(get, path = "/leads/{id}/followers", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = FollowerList), (status = 404, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<ApiJson<FollowerList>> {
    Ok(ApiJson(FollowerList {
        data: service::list(&app, &ctx, id).await?,
    }))
}

/// Follow a lead (your own id), or make a member who can see it follow it
/// (managers and the lead's assignee). 201 when added, 200 when they
/// already followed; the answer lists the followers.
#[utoipa::path(put, path = "/leads/{id}/followers/{user_id}", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 200, body = FollowerList), (status = 201, body = FollowerList),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn follow(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath((id, user_id)): ApiPath<(Uuid, Uuid)>,
) -> DomainResult<(StatusCode, ApiJson<FollowerList>)> {
    let (data, added) = service::follow(&app, &ctx, id, user_id).await?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, ApiJson(FollowerList { data })))
}

/// Stop following a lead (yourself), or remove a follower (managers and the
/// lead's assignee). 204 whether or not they followed.
#[utoipa::path(delete, path = "/leads/{id}/followers/{user_id}", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn unfollow(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath((id, user_id)): ApiPath<(Uuid, Uuid)>,
) -> DomainResult<StatusCode> {
    service::unfollow(&app, &ctx, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
