//! The HTTP adapter of views: requests in, the record kernel, answers out.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{CreateView, PatchView, View};
use super::resource::Views;
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

/// The saved views the caller may use: their own and the shared ones; filter
/// by list with `entity_type=leads`.
#[utoipa::path(get, path = "/views", tag = "views", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::PageParams),
    responses((status = 200, body = Page<View>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<View>>> {
    Ok(ApiJson(
        kernel::list::<Views>(&app, &ctx, raw.as_deref()).await?,
    ))
}

/// Save a view of a list: its query string (filters, sort, search), columns,
/// and whether every member sees it. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/views", tag = "views", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateView,
    responses((status = 201, body = View), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateView>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let made = kernel::create::<Views>(&app, &ctx, body, key.as_deref()).await?;
    let version = made.value.version;
    Ok(created(made, version))
}

/// One saved view.
#[utoipa::path(get, path = "/views/{id}", tag = "views", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = View), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<View>> {
    let out = kernel::get::<Views>(&app, &ctx, id).await?;
    Ok(Versioned(out.version, ApiJson(out)))
}

/// Change a view (its creator; admins for shared ones; merge semantics). `If-Match` with the version read
/// answers 412 if someone else saved first.
#[utoipa::path(patch, path = "/views/{id}", tag = "views", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchView,
    responses((status = 200, body = View), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchView>,
) -> DomainResult<Versioned<View>> {
    let out = kernel::patch::<Views>(&app, &ctx, id, if_match(&headers)?, body).await?;
    Ok(Versioned(out.version, ApiJson(out)))
}

/// Delete a view (its creator; admins for shared ones). `If-Match` is honored.
#[utoipa::path(delete, path = "/views/{id}", tag = "views", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    kernel::delete::<Views>(&app, &ctx, id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
