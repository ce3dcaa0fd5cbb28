//! The HTTP adapter of communications: requests in, the record kernel, answers out.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{Communication, CreateCommunication, PatchCommunication};
use super::resource::Communications;
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

/// Communications of the organization (filter by `lead_id`, `contact_id`, `channel`…).
#[utoipa::path(get, path = "/communications", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::PageParams, crate::records::list::TagParams),
    responses((status = 200, body = Page<Communication>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<Communication>>> {
    Ok(ApiJson(
        kernel::list::<Communications>(&app, &ctx, raw.as_deref()).await?,
    ))
}

/// Log a communication on a lead and/or contact. A provider retry with the
/// same `provider` + `external_id` is refused (409) instead of duplicated.
#[utoipa::path(post, path = "/communications", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateCommunication,
    responses((status = 201, body = Communication), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateCommunication>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let made = kernel::create::<Communications>(&app, &ctx, body, key.as_deref()).await?;
    let version = made.value.version;
    Ok(created(made, version))
}

/// One communication.
#[utoipa::path(get, path = "/communications/{id}", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Communication), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<Communication>> {
    let c = kernel::get::<Communications>(&app, &ctx, id).await?;
    Ok(Versioned(c.version, ApiJson(c)))
}

/// Correct a communication, or record its delivery status.
#[utoipa::path(patch, path = "/communications/{id}", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchCommunication,
    responses((status = 200, body = Communication), (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchCommunication>,
) -> DomainResult<Versioned<Communication>> {
    let c = kernel::patch::<Communications>(&app, &ctx, id, if_match(&headers)?, body).await?;
    Ok(Versioned(c.version, ApiJson(c)))
}

/// Delete a communication.
#[utoipa::path(delete, path = "/communications/{id}", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    kernel::delete::<Communications>(&app, &ctx, id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
