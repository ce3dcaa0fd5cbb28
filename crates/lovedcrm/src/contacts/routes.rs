//! The HTTP adapter of contacts: requests in, the record kernel, answers out.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{ContactOut, CreateContact, PatchContact};
use super::resource::Contacts;
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

/// Contacts, filtered (`field[op]=value`, also `custom_fields.<key>[op]=value`),
/// sorted (`sort=name,-custom_fields.budget`), searched (`q`, accent-insensitive),
/// by tag (`tags=vip,hot`), keyset-paged.
#[utoipa::path(get, path = "/contacts", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::ListParams),
    responses((status = 200, body = Page<ContactOut>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<ContactOut>>> {
    Ok(ApiJson(
        kernel::list::<Contacts>(&app, &ctx, raw.as_deref()).await?,
    ))
}

/// Create a contact from any subset of its fields. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/contacts", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateContact,
    responses((status = 201, body = ContactOut), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateContact>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let made = kernel::create::<Contacts>(&app, &ctx, body, key.as_deref()).await?;
    let version = made.value.contact.version;
    Ok(created(made, version))
}

/// One contact.
#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<ContactOut>> {
    let out = kernel::get::<Contacts>(&app, &ctx, id).await?;
    Ok(Versioned(out.contact.version, ApiJson(out)))
}

/// Change a contact (merge semantics). `If-Match` with the version read
/// answers 412 if someone else saved first.
#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchContact,
    responses((status = 200, body = ContactOut), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchContact>,
) -> DomainResult<Versioned<ContactOut>> {
    let out = kernel::patch::<Contacts>(&app, &ctx, id, if_match(&headers)?, body).await?;
    Ok(Versioned(out.contact.version, ApiJson(out)))
}

/// Delete a contact. `If-Match` is honored.
#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    kernel::delete::<Contacts>(&app, &ctx, id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change many contacts at once (owner, tags, fields): each is checked, versioned,
/// audited and announced on its own, so one refusal (403, 404, 412, 422)
/// never undoes another's change; the answer lists each in the order
/// asked. Ids the caller cannot see refuse the whole request (422 naming
/// `items[i].id`); when no record changes, the first one's error is the
/// answer.
#[utoipa::path(post, path = "/contacts/bulk", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader), request_body = BulkPatch<PatchContact>,
    responses((status = 200, body = BulkAnswer), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
async fn bulk(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<BulkPatch<PatchContact>>,
) -> DomainResult<ApiJson<BulkAnswer>> {
    let outcomes = bulk_edit::patch_each::<Contacts>(&app, &ctx, &body.items, &body.patch).await?;
    Ok(ApiJson(BulkAnswer::from_outcomes(outcomes)))
}
