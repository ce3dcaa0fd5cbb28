//! The HTTP adapter of notes: requests in, the record kernel, answers out.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{CreateNote, Note, PatchNote};
use super::resource::Notes;
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

/// Notes the caller may see, newest first; filter by `lead_id`,
/// `contact_id`, `company_id`, `project_id`, `task_id`, `created_by`, `created_at`.
#[utoipa::path(get, path = "/notes", tag = "notes", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::PageParams),
    responses((status = 200, body = Page<Note>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<Note>>> {
    Ok(ApiJson(
        kernel::list::<Notes>(&app, &ctx, raw.as_deref()).await?,
    ))
}

/// Add a note to one lead, contact, company, project or task the caller can
/// see. Notes on leads, contacts and companies show on their timeline.
#[utoipa::path(post, path = "/notes", tag = "notes", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateNote,
    responses((status = 201, body = Note), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateNote>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let made = kernel::create::<Notes>(&app, &ctx, req, key.as_deref()).await?;
    let version = made.value.version;
    Ok(created(made, version))
}

/// One note.
#[utoipa::path(get, path = "/notes/{id}", tag = "notes", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Note), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<Note>> {
    let note = kernel::get::<Notes>(&app, &ctx, id).await?;
    Ok(Versioned(note.version, ApiJson(note)))
}

/// Change a note's text: its author, or a manager and above. `If-Match`
/// with the version read answers 412 if someone else saved first.
#[utoipa::path(patch, path = "/notes/{id}", tag = "notes", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchNote,
    responses((status = 200, body = Note), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<PatchNote>,
) -> DomainResult<Versioned<Note>> {
    let note = kernel::patch::<Notes>(&app, &ctx, id, if_match(&headers)?, req).await?;
    Ok(Versioned(note.version, ApiJson(note)))
}

/// Delete a note (and its timeline entry): its author, or a manager and above.
#[utoipa::path(delete, path = "/notes/{id}", tag = "notes", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    kernel::delete::<Notes>(&app, &ctx, id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
