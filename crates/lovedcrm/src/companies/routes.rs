//! The HTTP adapter of companies: requests in, the record kernel, answers out.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{CompanyOut, CreateCompany, PatchCompany};
use super::resource::Companies;
use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::bulk::{BulkAnswer, BulkPatch};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, created, idempotency_key, if_match};
use crate::lists::Page;
use crate::records::{bulk as bulk_edit, kernel};

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
        .routes(routes!(bulk))
}

/// Companies, filtered (`field[op]=value`, also `custom_fields.<key>[op]=value`),
/// sorted (`sort=name,-custom_fields.<key>`),
/// searched (`q`, accent-insensitive), by tag (`tags=vip,hot`), keyset-paged.
#[utoipa::path(get, path = "/companies", tag = "companies", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::ListParams),
    responses((status = 200, body = Page<CompanyOut>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<CompanyOut>>> {
    Ok(ApiJson(
        kernel::list::<Companies>(&app, &ctx, raw.as_deref()).await?,
    ))
}

/// Create a company. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/companies", tag = "companies", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateCompany,
    responses((status = 201, body = CompanyOut), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateCompany>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let made = kernel::create::<Companies>(&app, &ctx, body, key.as_deref()).await?;
    let version = made.value.company.version;
    Ok(created(made, version))
}

/// One company, with how many contacts and open leads it has.
#[utoipa::path(get, path = "/companies/{id}", tag = "companies", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = CompanyOut), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<CompanyOut>> {
    let out = kernel::get::<Companies>(&app, &ctx, id).await?;
    Ok(Versioned(out.company.version, ApiJson(out)))
}

/// Change a company (merge semantics). `If-Match` with the version read
/// answers 412 if someone else saved first.
#[utoipa::path(patch, path = "/companies/{id}", tag = "companies", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchCompany,
    responses((status = 200, body = CompanyOut), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchCompany>,
) -> DomainResult<Versioned<CompanyOut>> {
    let out = kernel::patch::<Companies>(&app, &ctx, id, if_match(&headers)?, body).await?;
    Ok(Versioned(out.company.version, ApiJson(out)))
}

/// Delete a company. Its contacts, leads and projects stay, without the
/// link; its own tasks, notes and activities go. `If-Match` is honored.
#[utoipa::path(delete, path = "/companies/{id}", tag = "companies", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    kernel::delete::<Companies>(&app, &ctx, id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change many companies at once (owner, tags, fields): each is checked, versioned,
/// audited and announced on its own, so one refusal (403, 404, 412, 422)
/// never undoes another's change; the answer lists each in the order
/// asked. Ids the caller cannot see refuse the whole request (422 naming
/// `items[i].id`); when no record changes, the first one's error is the
/// answer.
#[utoipa::path(post, path = "/companies/bulk", tag = "companies", security(("bearer" = [])),
    params(OrgHeader), request_body = BulkPatch<PatchCompany>,
    responses((status = 200, body = BulkAnswer), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
async fn bulk(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<BulkPatch<PatchCompany>>,
) -> DomainResult<ApiJson<BulkAnswer>> {
    let outcomes = bulk_edit::patch_each::<Companies>(&app, &ctx, &body.items, &body.patch).await?;
    Ok(ApiJson(BulkAnswer::from_outcomes(outcomes)))
}
