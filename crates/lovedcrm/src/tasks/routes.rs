//! The HTTP adapter of tasks: requests in, the record kernel, answers out.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{CreateTask, PatchTask, TaskOut};
use super::resource::{self, Tasks};
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
        .routes(routes!(project_tasks))
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
    Ok(ApiJson(
        kernel::list::<Tasks>(&app, &ctx, raw.as_deref()).await?,
    ))
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
    let key = idempotency_key(&headers);
    let made = kernel::create::<Tasks>(&app, &ctx, body, key.as_deref()).await?;
    let version = made.value.task.version;
    Ok(created(made, version))
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
    let out = kernel::get::<Tasks>(&app, &ctx, id).await?;
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
    let out = kernel::patch::<Tasks>(&app, &ctx, id, if_match(&headers)?, body).await?;
    Ok(Versioned(out.task.version, ApiJson(out)))
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
    kernel::delete::<Tasks>(&app, &ctx, id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
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
    Ok(ApiJson(
        resource::in_project(&app, &ctx, id, raw.as_deref()).await?,
    ))
}

/// Change many tasks at once (assignee, status, due date, priority): each is checked, versioned,
/// audited and announced on its own, so one refusal (403, 404, 412, 422)
/// never undoes another's change; the answer lists each in the order
/// asked. Ids the caller cannot see refuse the whole request (422 naming
/// `items[i].id`); when no record changes, the first one's error is the
/// answer.
#[utoipa::path(post, path = "/tasks/bulk", tag = "tasks", security(("bearer" = [])),
    params(OrgHeader), request_body = BulkPatch<PatchTask>,
    responses((status = 200, body = BulkAnswer), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
async fn bulk(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<BulkPatch<PatchTask>>,
) -> DomainResult<ApiJson<BulkAnswer>> {
    let outcomes = bulk_edit::patch_each::<Tasks>(&app, &ctx, &body.items, &body.patch).await?;
    Ok(ApiJson(BulkAnswer::from_outcomes(outcomes)))
}
