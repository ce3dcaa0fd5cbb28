use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::ENTITY;
use super::access;
use super::model::{CreateProject, PatchProject, Project, ProjectOut, ProjectStatus, SPEC};
use super::store;
use crate::app::SharedState;
use crate::custom_fields;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::lists::{CursorKey, Page, page};
use crate::records::fields::{self, Problems};
use crate::records::idempotency::Idempotency;
use crate::records::list;
use crate::records::{audit_change, visibility};
use crate::tags::store as tags;

const MAX_ASSIGNEES: usize = 100;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
}

/// Adds tags, assignees and task counts (three queries for any number of projects).
async fn details(tx: &TenantTx, projects: Vec<Project>) -> Result<Vec<ProjectOut>, DomainError> {
    let ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
    let mut names = tags::names_for(tx, ENTITY, &ids).await?;
    let mut assignees = store::assignees_for(tx, &ids).await?;
    let counts = store::task_counts(tx, &ids).await?;
    Ok(projects
        .into_iter()
        .map(|p| ProjectOut {
            tags: names.remove(&p.id).unwrap_or_default(),
            assignee_ids: assignees.remove(&p.id).unwrap_or_default(),
            task_count: counts.get(&p.id).map_or(0, |c| c.task_count),
            open_task_count: counts.get(&p.id).map_or(0, |c| c.open_task_count),
            project: p,
        })
        .collect())
}

async fn load(tx: &TenantTx, ctx: &OrgContext, id: Uuid) -> Result<ProjectOut, DomainError> {
    fetch_one(tx, id, access::sql(ctx, 3)).await
}

/// The project after a write the caller was allowed to make, even if the
/// write took it out of their sight (e.g. unassigning themselves).
async fn reload(tx: &TenantTx, id: Uuid) -> Result<ProjectOut, DomainError> {
    fetch_one(tx, id, ("TRUE".into(), Vec::new())).await
}

async fn fetch_one(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<ProjectOut, DomainError> {
    let project = store::get(tx, id, visible)
        .await?
        .ok_or(DomainError::NotFound("project"))?;
    details(tx, vec![project])
        .await?
        .pop()
        .ok_or(DomainError::NotFound("project"))
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
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let query = list::parse_with_custom_fields(&tx, &SPEC, ENTITY, raw.as_deref(), &[]).await?;
    let (rows, total) = access::fetch(&tx, &ctx, &query).await?;
    let mut result = page(rows, &query, |p: &Project| {
        CursorKey::new(p.id)
            .with("name", p.name.clone())
            .with("due_date", p.due_date)
            .with("created_at", p.created_at)
            .with("updated_at", p.updated_at)
            .with_json(custom_fields::listing::COLUMN, &p.custom_fields)
    })?;
    if let Some(total) = total {
        result = result.with_total(total);
    }
    let data = details(&tx, std::mem::take(&mut result.data)).await?;
    tx.commit().await?;
    Ok(ApiJson(Page {
        data,
        next_cursor: result.next_cursor,
        has_more: result.has_more,
        total: result.total,
    }))
}

/// Validates and normalizes everything but assignees, custom fields and tags.
async fn check(tx: &TenantTx, p: &mut Project, problems: &mut Problems) -> Result<(), DomainError> {
    match problems.take(fields::text("name", Some(std::mem::take(&mut p.name)), 200)) {
        Some(Some(name)) => p.name = name,
        Some(None) => problems.push("name", "is required"),
        None => {}
    }
    p.description = problems
        .take(fields::text("description", p.description.take(), 10_000))
        .flatten();
    p.due_date = problems
        .take(fields::date("due_date", p.due_date))
        .flatten();
    fields::reference(tx, problems, "company_id", "companies", p.company_id).await?;
    fields::member(tx, problems, "owner_id", p.owner_id).await?;
    Ok(())
}

/// Members only, without repeats, sorted.
async fn check_assignees(
    tx: &TenantTx,
    problems: &mut Problems,
    mut ids: Vec<Uuid>,
) -> Result<Vec<Uuid>, DomainError> {
    ids.sort();
    ids.dedup();
    if ids.len() > MAX_ASSIGNEES {
        problems.push("assignee_ids", format!("at most {MAX_ASSIGNEES} assignees"));
        return Ok(ids);
    }
    let strangers = store::non_members(tx, &ids).await?;
    if !strangers.is_empty() {
        let list = strangers
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        problems.push(
            "assignee_ids",
            format!("not members of this organization: {list}"),
        );
    }
    Ok(ids)
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
    visibility::require_write(&ctx)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &body)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let now = db::now();
    let mut project = Project {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        name: body.name.clone().unwrap_or_default(),
        description: body.description.clone(),
        status: body
            .status
            .unwrap_or(ProjectStatus::Planned)
            .as_str()
            .to_string(),
        company_id: body.company_id,
        due_date: body.due_date,
        owner_id: Some(body.owner_id.unwrap_or(ctx.user_id())),
        custom_fields: serde_json::json!({}),
        created_by: Some(ctx.user_id()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let mut problems = Problems::default();
    check(&tx, &mut project, &mut problems).await?;
    let assignees = check_assignees(&tx, &mut problems, body.assignee_ids.clone()).await?;
    let tag_names = problems.take(tags::parse_names("tags", &body.tags));
    problems.finish()?;
    let values = body
        .custom_fields
        .clone()
        .unwrap_or_else(|| serde_json::json!({}));
    project.custom_fields = custom_fields::validate(&tx, ENTITY, &values).await?;
    store::insert(&tx, &project).await?;
    store::set_assignees(&tx, project.id, &assignees).await?;
    tags::set_for_record(&tx, ENTITY, project.id, &tag_names.unwrap_or_default()).await?;
    let out = reload(&tx, project.id).await?;
    audit_change(
        &tx,
        &ctx,
        "project.created",
        ENTITY,
        project.id,
        None,
        Some(&out),
    )
    .await?;
    idempotency.remember(&tx, StatusCode::CREATED, &out).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Versioned(out.project.version, ApiJson(out)),
    )
        .into_response())
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
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let out = load(&tx, &ctx, id).await?;
    tx.commit().await?;
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
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, &ctx, id).await?;
    crate::http::check_version(expected, before.project.version)?;
    let mut p = before.project.clone();
    let mut problems = Problems::default();
    if let Some(v) = body.name {
        p.name = v.unwrap_or_default();
    }
    if let Some(v) = body.description {
        p.description = v;
    }
    match body.status {
        Some(Some(status)) => p.status = status.as_str().to_string(),
        Some(None) => problems.push("status", "cannot be null"),
        None => {}
    }
    if let Some(v) = body.company_id {
        p.company_id = v;
    }
    if let Some(v) = body.due_date {
        p.due_date = v;
    }
    if let Some(v) = body.owner_id {
        p.owner_id = v;
    }
    check(&tx, &mut p, &mut problems).await?;
    let assignees = match body.assignee_ids {
        Some(ids) => Some(check_assignees(&tx, &mut problems, ids.unwrap_or_default()).await?),
        None => None,
    };
    let tag_names = match &body.tags {
        Some(t) => problems.take(tags::parse_names("tags", t)),
        None => None,
    };
    problems.finish()?;
    if let Some(patch) = &body.custom_fields {
        p.custom_fields =
            custom_fields::validate_patch(&tx, ENTITY, &p.custom_fields, patch).await?;
    }
    if !store::update(&tx, &p).await? {
        let current = reload(&tx, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: current.project.version,
        });
    }
    if let Some(users) = assignees {
        store::set_assignees(&tx, id, &users).await?;
    }
    if let Some(names) = tag_names {
        tags::set_for_record(&tx, ENTITY, id, &names).await?;
    }
    let after = reload(&tx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "project.updated",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Versioned(after.project.version, ApiJson(after)))
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
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, &ctx, id).await?;
    crate::http::check_version(expected, before.project.version)?;
    store::delete(&tx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "project.deleted",
        ENTITY,
        id,
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
