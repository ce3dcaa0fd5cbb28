//! The HTTP adapter of leads: requests in, the record kernel, answers out.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::board::{Board, BoardParams};
use super::bulk::BulkLeads;
use super::convert::{Conversion, ConvertLead};
use super::model::{CreateLead, LeadOut, MoveLead, PatchLead};
use super::resource::Leads;
use super::{board, bulk as bulk_edit, convert, moves};
use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::bulk::BulkAnswer;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::{ApiPath, ApiQuery};
use crate::http::{IfMatchHeader, OrgHeader, Versioned, created, idempotency_key, if_match};
use crate::lists::Page;
use crate::records::kernel;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
        .routes(routes!(bulk))
        .routes(routes!(move_stage))
        .routes(routes!(convert))
        .routes(routes!(board))
}

/// Leads, filtered (`field[op]=value`, also `custom_fields.<key>[op]=value`),
/// sorted (`sort=-estimated_value`, `sort=custom_fields.<key>`), searched
/// (`q`), by tag, keyset-paged.
#[utoipa::path(get, path = "/leads", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::ListParams),
    responses((status = 200, body = Page<LeadOut>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<LeadOut>>> {
    Ok(ApiJson(
        kernel::list::<Leads>(&app, &ctx, raw.as_deref()).await?,
    ))
}

/// Create a lead; it lands at the end of its stage's column. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/leads", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateLead,
    responses((status = 201, body = LeadOut), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateLead>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let made = kernel::create::<Leads>(&app, &ctx, body, key.as_deref()).await?;
    let version = made.value.lead.version;
    Ok(created(made, version))
}

/// One lead.
#[utoipa::path(get, path = "/leads/{id}", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = LeadOut), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<LeadOut>> {
    let out = kernel::get::<Leads>(&app, &ctx, id).await?;
    Ok(Versioned(out.lead.version, ApiJson(out)))
}

/// Change a lead's details (merge semantics); `If-Match` answers 412 on a stale version.
#[utoipa::path(patch, path = "/leads/{id}", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchLead,
    responses((status = 200, body = LeadOut), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchLead>,
) -> DomainResult<Versioned<LeadOut>> {
    let out = kernel::patch::<Leads>(&app, &ctx, id, if_match(&headers)?, body).await?;
    Ok(Versioned(out.lead.version, ApiJson(out)))
}

/// Delete a lead; its conversations stay on the linked contact's timeline.
#[utoipa::path(delete, path = "/leads/{id}", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    kernel::delete::<Leads>(&app, &ctx, id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Move a lead to a stage (of any pipeline) and a place in its column.
///
/// A closing stage needs `outcome` (`won`/`lost`, with `lost_reason` when
/// lost). Changing stage writes a stage-change activity on the timeline.
/// `If-Match` with the lead's version answers 412 with the current version
/// when someone else moved or edited it first.
#[utoipa::path(patch, path = "/leads/{id}/stage", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = MoveLead,
    responses((status = 200, body = LeadOut), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn move_stage(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<MoveLead>,
) -> DomainResult<Versioned<LeadOut>> {
    let out = moves::move_stage(&app, &ctx, id, if_match(&headers)?, body).await?;
    Ok(Versioned(out.lead.version, ApiJson(out)))
}

/// Convert a lead (a won lead, typically): link the contact and company
/// given, or already linked; otherwise find the organization's contact with
/// the lead's email and its company with the lead's `company_name` (ignoring
/// case and accents), and create them only when there is none. Sets
/// `converted_at`, writes a `lead_converted` activity on the lead's (and the
/// contact's) timeline and publishes `lead.updated`.
///
/// A lead converts once: again is 409 `already_converted`. Honors `If-Match`
/// (the lead's version) and `Idempotency-Key`.
#[utoipa::path(post, path = "/leads/{id}/convert", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, crate::http::IdempotencyKeyHeader, ("id" = Uuid, Path)),
    request_body = ConvertLead,
    responses((status = 200, body = Conversion), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn convert(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ConvertLead>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let done = convert::convert(&app, &ctx, id, if_match(&headers)?, key.as_deref(), body).await?;
    let version = done.value.lead.lead.version;
    let mut response = Versioned(version, ApiJson(done.value)).into_response();
    if done.replayed {
        response.headers_mut().insert(
            "idempotent-replayed",
            axum::http::HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

/// The board of a pipeline.
#[utoipa::path(get, path = "/pipelines/{id}/board", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path), BoardParams),
    responses((status = 200, body = Board), (status = 404, body = Problem)))]
async fn board(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(params): ApiQuery<BoardParams>,
) -> DomainResult<ApiJson<Board>> {
    Ok(ApiJson(board::board(&app, &ctx, id, params).await?))
}

/// Change many leads at once: move them to a stage (`stage_id`, with
/// `outcome` and `lost_reason` for a closing stage) and/or apply `patch`
/// (owner, tags, fields). Each lead is checked, versioned, audited and
/// announced on its own; a lead's move and change are two steps, so a change
/// refused after a move leaves the move made. The answer lists each lead in
/// the order asked; ids the caller cannot see refuse the whole request (422
/// naming `items[i].id`); when no lead changes, the first one's error is
/// the answer.
#[utoipa::path(post, path = "/leads/bulk", tag = "leads", security(("bearer" = [])),
    params(OrgHeader), request_body = BulkLeads,
    responses((status = 200, body = BulkAnswer), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
async fn bulk(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<BulkLeads>,
) -> DomainResult<ApiJson<BulkAnswer>> {
    let outcomes = bulk_edit::apply(&app, &ctx, body).await?;
    Ok(ApiJson(BulkAnswer::from_outcomes(outcomes)))
}
