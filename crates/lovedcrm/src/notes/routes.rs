use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{CreateNote, ENTITY, MAX_BODY, Note, PatchNote, SPEC};
use super::target::{self, Target};
use super::{listing, store};
use crate::app::SharedState;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::lists::{self, CursorKey, Page, page};
use crate::records::fields::Problems;
use crate::records::idempotency::Idempotency;
use crate::records::{audit_change, visibility};
use crate::timeline::activities;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
}

const ACTIVITY: &str = "note_added";

/// A note the caller may see (its target is visible to them), or 404.
async fn load(tx: &TenantTx, ctx: &OrgContext, id: Uuid) -> Result<(Note, Target), DomainError> {
    let note = store::get(tx, id)
        .await?
        .ok_or(DomainError::NotFound("note"))?;
    let target = note.target().ok_or(DomainError::NotFound("note"))?;
    if !target.visible(tx, ctx).await? {
        return Err(DomainError::NotFound("note"));
    }
    Ok((note, target))
}

/// Records `note.<what>` about `note`, seen by whoever sees its target.
async fn note_event(
    tx: &TenantTx,
    ctx: &OrgContext,
    what: &str,
    note: &Note,
    target: Target,
) -> Result<(), DomainError> {
    let seen = target.require(tx, ctx).await?;
    let event = crate::comments::events::about_target(
        tx,
        &format!("note.{what}"),
        ENTITY,
        note.id,
        crate::realtime::to_payload(note),
        target,
        &seen,
    )
    .await?;
    crate::events::record(tx, Some(ctx.user_id()), &event).await?;
    Ok(())
}

fn activity_data(note: &Note) -> serde_json::Value {
    json!({"note_id": note.id, "excerpt": target::excerpt(&note.body)})
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
    let query = lists::parse(&SPEC, &lists::query_pairs(raw.as_deref()))?;
    if query.q.is_some() {
        return Err(DomainError::bad_request(
            "invalid_query",
            "q is not supported on this list",
        ));
    }
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let visible = target::list_condition(
        &ctx,
        sea_orm::ConnectionTrait::get_database_backend(&*tx),
        "notes",
    );
    let (rows, total) = listing::fetch::<Note>(
        &tx,
        &SPEC,
        super::model::COLUMNS,
        &query,
        visible.into_iter().collect(),
    )
    .await?;
    tx.commit().await?;
    let mut result = page(rows, &query, |n: &Note| {
        CursorKey::new(n.id)
            .with("created_at", n.created_at)
            .with("updated_at", n.updated_at)
    })?;
    if let Some(total) = total {
        result = result.with_total(total);
    }
    Ok(ApiJson(result))
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
    visibility::require_write(&ctx)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &req)?;
    let mut problems = Problems::default();
    let target = Target::from_ids(
        [
            req.lead_id,
            req.contact_id,
            req.company_id,
            req.project_id,
            req.task_id,
        ],
        &mut problems,
    );
    let text = problems.take(target::body_text("body", req.body, MAX_BODY));
    problems.finish()?;
    let (Some(target), Some(text)) = (target, text) else {
        return Err(DomainError::internal(
            "validated note without a target or body",
        ));
    };
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    target.require_visible(&tx, &ctx).await?;
    let now = db::now();
    let [lead_id, contact_id, company_id, project_id, task_id] = target.ids();
    let note = Note {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        lead_id,
        contact_id,
        company_id,
        project_id,
        task_id,
        body: text,
        created_by: Some(ctx.user_id()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    store::insert(&tx, &note).await?;
    if let Some(on) = target.on() {
        activities::record(&tx, on, ACTIVITY, Some(ctx.user_id()), activity_data(&note)).await?;
    }
    audit_change(
        &tx,
        &ctx,
        "note.created",
        ENTITY,
        note.id,
        None,
        Some(&note),
    )
    .await?;
    idempotency
        .remember(&tx, StatusCode::CREATED, &note)
        .await?;
    note_event(&tx, &ctx, "created", &note, target).await?;
    crate::records::kernel::commit(&app, tx).await?;
    Ok((StatusCode::CREATED, Versioned(note.version, ApiJson(note))).into_response())
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
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let (note, _) = load(&tx, &ctx, id).await?;
    tx.commit().await?;
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
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let text = match req.body {
        Some(b) => Some(
            target::body_text("body", b, MAX_BODY).map_err(|e| DomainError::Validation(vec![e]))?,
        ),
        None => None,
    };
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let (before, target) = load(&tx, &ctx, id).await?;
    target::author_or_manager(&ctx, before.created_by, "change this note")?;
    crate::http::check_version(expected, before.version)?;
    let mut note = before.clone();
    if let Some(text) = text {
        note.body = text;
    }
    if !store::update(&tx, &note).await? {
        let (current, _) = load(&tx, &ctx, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let (after, _) = load(&tx, &ctx, id).await?;
    target::sync_activity(
        &tx,
        target,
        ACTIVITY,
        "note_id",
        id,
        Some(activity_data(&after)),
    )
    .await?;
    audit_change(
        &tx,
        &ctx,
        "note.updated",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    note_event(&tx, &ctx, "updated", &after, target).await?;
    crate::records::kernel::commit(&app, tx).await?;
    Ok(Versioned(after.version, ApiJson(after)))
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
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let (before, target) = load(&tx, &ctx, id).await?;
    target::author_or_manager(&ctx, before.created_by, "delete this note")?;
    crate::http::check_version(expected, before.version)?;
    store::delete(&tx, id).await?;
    target::sync_activity(&tx, target, ACTIVITY, "note_id", id, None).await?;
    audit_change(&tx, &ctx, "note.deleted", ENTITY, id, Some(&before), None).await?;
    note_event(&tx, &ctx, "deleted", &before, target).await?;
    crate::records::kernel::commit(&app, tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
