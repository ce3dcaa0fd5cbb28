use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::SubsecRound;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::SimpleExpr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::ENTITY;
use super::effects::{announce_completion, settle_completion, touch_projects};
use super::model::{CreateTask, PatchTask, SPEC, Task, TaskOut, TaskPriority, TaskStatus};
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
use crate::lists::{CursorKey, ListQuery, Page, page};
use crate::records::fields::{self, Problems};
use crate::records::idempotency::Idempotency;
use crate::records::list::Listing;
use crate::records::{audit_change, visibility};
use crate::tags::store as tags;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
        .routes(routes!(project_tasks))
}

const PEOPLE: &[&str] = &["assignee_id", "created_by"];

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: super::model::COLUMNS,
    entity_type: ENTITY,
    people: PEOPLE,
    searchable: true,
};

async fn with_tags(tx: &TenantTx, tasks: Vec<Task>) -> Result<Vec<TaskOut>, DomainError> {
    let ids: Vec<Uuid> = tasks.iter().map(|t| t.id).collect();
    let mut names = tags::names_for(tx, ENTITY, &ids).await?;
    Ok(tasks
        .into_iter()
        .map(|t| TaskOut {
            tags: names.remove(&t.id).unwrap_or_default(),
            task: t,
        })
        .collect())
}

async fn load(tx: &TenantTx, ctx: &OrgContext, id: Uuid) -> Result<TaskOut, DomainError> {
    fetch_one(tx, id, visibility::sql(ctx, "tasks", ENTITY, PEOPLE, 3)).await
}

/// The task after a write the caller was allowed to make, even if the write
/// took it out of their sight (e.g. assigning it to someone else).
async fn reload(tx: &TenantTx, id: Uuid) -> Result<TaskOut, DomainError> {
    fetch_one(tx, id, ("TRUE".into(), Vec::new())).await
}

async fn fetch_one(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<TaskOut, DomainError> {
    let task = store::get(tx, id, visible)
        .await?
        .ok_or(DomainError::NotFound("task"))?;
    with_tags(tx, vec![task])
        .await?
        .pop()
        .ok_or(DomainError::NotFound("task"))
}

/// One page of tasks the caller may see, with `more` conditions.
async fn tasks_page(
    tx: &TenantTx,
    ctx: &OrgContext,
    query: &ListQuery,
    more: Vec<SimpleExpr>,
) -> Result<Page<TaskOut>, DomainError> {
    let (rows, total) = LISTING.fetch::<Task>(tx, ctx, query, more).await?;
    let mut result = page(rows, query, |t: &Task| {
        CursorKey::new(t.id)
            .with("name", t.name.clone())
            .with("due_date", t.due_date)
            .with("completed_at", t.completed_at)
            .with("created_at", t.created_at)
            .with("updated_at", t.updated_at)
            .with_json(crate::custom_fields::listing::COLUMN, &t.custom_fields)
    })?;
    if let Some(total) = total {
        result = result.with_total(total);
    }
    let data = with_tags(tx, std::mem::take(&mut result.data)).await?;
    Ok(Page {
        data,
        next_cursor: result.next_cursor,
        has_more: result.has_more,
        total: result.total,
    })
}

/// Tasks, filtered (`status=todo`, `due_date[lte]=…`, `assignee_id=…`,
/// `custom_fields.<key>[op]=value`),
/// sorted (`sort=due_date`), searched (`q`), by tag, keyset-paged.
#[utoipa::path(get, path = "/tasks", tag = "tasks", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::ListParams),
    responses((status = 200, body = Page<TaskOut>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<TaskOut>>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let query = LISTING
        .parse_with_custom_fields(&tx, raw.as_deref(), &[])
        .await?;
    let result = tasks_page(&tx, &ctx, &query, Vec::new()).await?;
    tx.commit().await?;
    Ok(ApiJson(result))
}

/// The tasks of a project, with the same filters, sort and paging as `/tasks`.
#[utoipa::path(get, path = "/projects/{id}/tasks", tag = "projects", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path), crate::records::list::ListParams),
    responses((status = 200, body = Page<TaskOut>), (status = 400, body = Problem),
              (status = 404, body = Problem)))]
async fn project_tasks(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<TaskOut>>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let query = LISTING
        .parse_with_custom_fields(&tx, raw.as_deref(), &[])
        .await?;
    if !crate::projects::visible(&tx, &ctx, id).await? {
        return Err(DomainError::NotFound("project"));
    }
    let backend = tx.get_database_backend();
    let in_project = crate::records::custom(backend, "tasks.project_id = ?", vec![id.into()]);
    let result = tasks_page(&tx, &ctx, &query, vec![in_project]).await?;
    tx.commit().await?;
    Ok(ApiJson(result))
}

/// Validates and normalizes everything but custom fields and tags.
async fn check(tx: &TenantTx, t: &mut Task, problems: &mut Problems) -> Result<(), DomainError> {
    match problems.take(fields::text("name", Some(std::mem::take(&mut t.name)), 300)) {
        Some(Some(name)) => t.name = name,
        Some(None) => problems.push("name", "is required"),
        None => {}
    }
    t.description = problems
        .take(fields::text("description", t.description.take(), 10_000))
        .flatten();
    // Both databases keep microseconds; finer input would not read back equal.
    t.due_date = t.due_date.map(|d| d.trunc_subsecs(6));
    fields::member(tx, problems, "assignee_id", t.assignee_id).await?;
    fields::reference(tx, problems, "project_id", "projects", t.project_id).await?;
    fields::reference(tx, problems, "lead_id", "leads", t.lead_id).await?;
    fields::reference(tx, problems, "contact_id", "contacts", t.contact_id).await?;
    fields::reference(tx, problems, "company_id", "companies", t.company_id).await?;
    Ok(())
}

/// Create a task. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/tasks", tag = "tasks", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateTask,
    responses((status = 201, body = TaskOut), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateTask>,
) -> DomainResult<Response> {
    visibility::require_write(&ctx)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &body)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let now = db::now();
    let mut task = Task {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        name: body.name.clone().unwrap_or_default(),
        description: body.description.clone(),
        status: body.status.unwrap_or(TaskStatus::Todo).as_str().to_string(),
        priority: body
            .priority
            .unwrap_or(TaskPriority::Medium)
            .as_str()
            .to_string(),
        assignee_id: body.assignee_id.unwrap_or(Some(ctx.user_id())),
        project_id: body.project_id,
        lead_id: body.lead_id,
        contact_id: body.contact_id,
        company_id: body.company_id,
        due_date: body.due_date,
        completed_at: None,
        custom_fields: serde_json::json!({}),
        created_by: Some(ctx.user_id()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let mut problems = Problems::default();
    check(&tx, &mut task, &mut problems).await?;
    let tag_names = problems.take(tags::parse_names("tags", &body.tags));
    problems.finish()?;
    let values = body
        .custom_fields
        .clone()
        .unwrap_or_else(|| serde_json::json!({}));
    task.custom_fields = custom_fields::validate(&tx, ENTITY, &values).await?;
    let completed = settle_completion(&mut task, false);
    store::insert(&tx, &task).await?;
    if completed {
        announce_completion(&tx, &ctx, &task).await?;
    }
    tags::set_for_record(&tx, ENTITY, task.id, &tag_names.unwrap_or_default()).await?;
    touch_projects(&tx, [task.project_id, None]).await?;
    let out = reload(&tx, task.id).await?;
    audit_change(&tx, &ctx, "task.created", ENTITY, task.id, None, Some(&out)).await?;
    idempotency.remember(&tx, StatusCode::CREATED, &out).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Versioned(out.task.version, ApiJson(out)),
    )
        .into_response())
}

/// One task.
#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = TaskOut), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<TaskOut>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let out = load(&tx, &ctx, id).await?;
    tx.commit().await?;
    Ok(Versioned(out.task.version, ApiJson(out)))
}

/// Change a task (merge semantics). Setting `status` to `done` completes it.
/// `If-Match` with the version read answers 412 if someone else saved first.
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchTask,
    responses((status = 200, body = TaskOut), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchTask>,
) -> DomainResult<Versioned<TaskOut>> {
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, &ctx, id).await?;
    crate::http::check_version(expected, before.task.version)?;
    let mut t = before.task.clone();
    let mut problems = Problems::default();
    if let Some(v) = body.name {
        t.name = v.unwrap_or_default();
    }
    if let Some(v) = body.description {
        t.description = v;
    }
    match body.status {
        Some(Some(status)) => t.status = status.as_str().to_string(),
        Some(None) => problems.push("status", "cannot be null"),
        None => {}
    }
    match body.priority {
        Some(Some(priority)) => t.priority = priority.as_str().to_string(),
        Some(None) => problems.push("priority", "cannot be null"),
        None => {}
    }
    if let Some(v) = body.assignee_id {
        t.assignee_id = v;
    }
    if let Some(v) = body.project_id {
        t.project_id = v;
    }
    if let Some(v) = body.lead_id {
        t.lead_id = v;
    }
    if let Some(v) = body.contact_id {
        t.contact_id = v;
    }
    if let Some(v) = body.company_id {
        t.company_id = v;
    }
    if let Some(v) = body.due_date {
        t.due_date = v;
    }
    check(&tx, &mut t, &mut problems).await?;
    let tag_names = match &body.tags {
        Some(names) => problems.take(tags::parse_names("tags", names)),
        None => None,
    };
    problems.finish()?;
    if let Some(patch) = &body.custom_fields {
        t.custom_fields =
            custom_fields::validate_patch(&tx, ENTITY, &t.custom_fields, patch).await?;
    }
    let completed = settle_completion(&mut t, before.task.status == TaskStatus::Done.as_str());
    if !store::update(&tx, &t).await? {
        let current = reload(&tx, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: current.task.version,
        });
    }
    if completed {
        announce_completion(&tx, &ctx, &t).await?;
    }
    if let Some(names) = tag_names {
        tags::set_for_record(&tx, ENTITY, id, &names).await?;
    }
    touch_projects(&tx, [before.task.project_id, t.project_id]).await?;
    let after = reload(&tx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "task.updated",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Versioned(after.task.version, ApiJson(after)))
}

/// Delete a task. `If-Match` is honored.
#[utoipa::path(delete, path = "/tasks/{id}", tag = "tasks", security(("bearer" = [])),
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
    crate::http::check_version(expected, before.task.version)?;
    store::delete(&tx, id).await?;
    touch_projects(&tx, [before.task.project_id, None]).await?;
    audit_change(&tx, &ctx, "task.deleted", ENTITY, id, Some(&before), None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
