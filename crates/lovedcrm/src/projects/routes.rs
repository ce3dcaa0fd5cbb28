//! The HTTP adapter of projects: requests in, the record kernel, answers out.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{CreateProject, PatchProject, ProjectOut};
use super::resource::Projects;
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

/// Projects, filtered (`field[op]=value`, also `custom_fields.<key>[op]=value`),
/// sorted (`sort=-updated_at`, `sort=custom_fields.<key>`),
/// searched (`q`, accent-insensitive), by tag (`tags=vip,hot`), keyset-paged.
/// A `sales` member also sees the projects they are assigned to.
#[utoipa::path(get, path = "/projects", tag = "projects", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::ListParams),
    responses((status = 200, body = Page<ProjectOut>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<ProjectOut>>> {
    Ok(ApiJson(
        kernel::list::<Projects>(&app, &ctx, raw.as_deref()).await?,
    ))
}

/// Create a project. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/projects", tag = "projects", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateProject,
    responses((status = 201, body = ProjectOut), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateProject>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let made = kernel::create::<Projects>(&app, &ctx, body, key.as_deref()).await?;
    let version = made.value.project.version;
    Ok(created(made, version))
}

/// One project, with its assignees and task counts.
#[utoipa::path(get, path = "/projects/{id}", tag = "projects", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = ProjectOut), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<ProjectOut>> {
    let out = kernel::get::<Projects>(&app, &ctx, id).await?;
    Ok(Versioned(out.project.version, ApiJson(out)))
}

/// Change a project (merge semantics); `assignee_ids` replaces the
/// assignees. `If-Match` with the version read answers 412 if someone else
/// saved first.
#[utoipa::path(patch, path = "/projects/{id}", tag = "projects", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchProject,
    responses((status = 200, body = ProjectOut), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchProject>,
) -> DomainResult<Versioned<ProjectOut>> {
    let out = kernel::patch::<Projects>(&app, &ctx, id, if_match(&headers)?, body).await?;
    Ok(Versioned(out.project.version, ApiJson(out)))
}

/// Delete a project with its tasks. `If-Match` is honored.
#[utoipa::path(delete, path = "/projects/{id}", tag = "projects", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    kernel::delete::<Projects>(&app, &ctx, id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
