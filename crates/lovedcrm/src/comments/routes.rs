//! The HTTP adapter of comments: requests in, the record kernel, answers out.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{Comment, CreateComment, PatchComment};
use super::resource::Comments;
use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, created, idempotency_key, if_match};
use crate::lists::Page;
use crate::records::kernel;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
}

/// Comments the caller may see, newest first; filter by `lead_id`,
/// `contact_id`, `company_id`, `project_id`, `task_id`, `created_by`, `created_at`.
#[utoipa::path(get, path = "/comments", tag = "comments", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::PageParams),
    responses((status = 200, body = Page<Comment>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<Comment>>> {
    Ok(ApiJson(
        kernel::list::<Comments>(&app, &ctx, raw.as_deref()).await?,
    ))
}

/// Comment on one lead, contact, company, project or task the caller can
/// see. Each mentioned member (`@[Name](user:UUID)` in `body`, or listed in
/// `mentions`) gets a notification.
#[utoipa::path(post, path = "/comments", tag = "comments", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateComment,
    responses((status = 201, body = Comment), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateComment>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let made = kernel::create::<Comments>(&app, &ctx, req, key.as_deref()).await?;
    let version = made.value.version;
    Ok(created(made, version))
}

/// One comment.
#[utoipa::path(get, path = "/comments/{id}", tag = "comments", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Comment), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<Comment>> {
    let comment = kernel::get::<Comments>(&app, &ctx, id).await?;
    Ok(Versioned(comment.version, ApiJson(comment)))
}

/// Edit a comment (its author only). Mentions are recomputed; only members
/// not mentioned before are notified. `If-Match` answers 412 when stale.
#[utoipa::path(patch, path = "/comments/{id}", tag = "comments", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchComment,
    responses((status = 200, body = Comment), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<PatchComment>,
) -> DomainResult<Versioned<Comment>> {
    let comment = kernel::patch::<Comments>(&app, &ctx, id, if_match(&headers)?, req).await?;
    Ok(Versioned(comment.version, ApiJson(comment)))
}

/// Delete a comment (its author, or a manager and above), with its
/// timeline entry and the mention notifications it sent.
#[utoipa::path(delete, path = "/comments/{id}", tag = "comments", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    kernel::delete::<Comments>(&app, &ctx, id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
