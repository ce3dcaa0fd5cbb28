use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{COLUMNS, ENTITY, Notification, ReadAll, SPEC, UnreadCount};
use super::store;
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::{TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::lists::{self, CursorKey, Page, page};
use crate::notes::listing;
use crate::records::{audit_change, custom};

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(unread_count))
        .routes(routes!(read_all))
        .routes(routes!(get, delete))
        .routes(routes!(read))
}

async fn load(tx: &TenantTx, ctx: &OrgContext, id: Uuid) -> Result<Notification, DomainError> {
    store::get(tx, ctx.user_id(), id)
        .await?
        .ok_or(DomainError::NotFound("notification"))
}

/// `unread=true|false` of the list query.
fn unread_param(query: &lists::ListQuery) -> Result<Option<bool>, DomainError> {
    let mut unread = None;
    for (key, value) in &query.extra {
        let parsed = match value.trim() {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => {
                return Err(DomainError::BadRequest {
                    code: "invalid_query",
                    detail: format!("unread: `{value}` is not true or false"),
                    errors: vec![FieldError::new(key.as_str(), "must be true or false")],
                });
            }
        };
        unread = Some(parsed);
    }
    Ok(unread)
}

/// The caller's notifications, newest first (`unread=true` for unread
/// only; filters on `kind`, `entity_type`, `entity_id`, `created_at`).
#[utoipa::path(get, path = "/notifications", tag = "notifications", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::PageParams,
           ("unread" = Option<bool>, Query, description = "Only unread (true) or only read (false)")),
    responses((status = 200, body = Page<Notification>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<Notification>>> {
    let query = lists::parse_with_extra(&SPEC, &lists::query_pairs(raw.as_deref()), &["unread"])?;
    if query.q.is_some() {
        return Err(DomainError::bad_request(
            "invalid_query",
            "q is not supported on this list",
        ));
    }
    let unread = unread_param(&query)?;
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let backend = sea_orm::ConnectionTrait::get_database_backend(&*tx);
    let mut conditions = vec![custom(
        backend,
        "notifications.user_id = ?",
        vec![ctx.user_id().into()],
    )];
    match unread {
        Some(true) => conditions.push(custom(backend, "notifications.read_at IS NULL", vec![])),
        Some(false) => {
            conditions.push(custom(backend, "notifications.read_at IS NOT NULL", vec![]))
        }
        None => {}
    }
    let (rows, total) =
        listing::fetch::<Notification>(&tx, &SPEC, COLUMNS, &query, conditions).await?;
    tx.commit().await?;
    let mut result = page(rows, &query, |n: &Notification| {
        CursorKey::new(n.id)
            .with("created_at", n.created_at)
            .with("read_at", n.read_at)
    })?;
    if let Some(total) = total {
        result = result.with_total(total);
    }
    Ok(ApiJson(result))
}

/// How many of the caller's notifications are unread.
#[utoipa::path(get, path = "/notifications/unread-count", tag = "notifications", security(("bearer" = [])),
    params(OrgHeader), responses((status = 200, body = UnreadCount), (status = 401, body = Problem),
    (status = 403, body = Problem)))]
async fn unread_count(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<ApiJson<UnreadCount>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let count = store::unread_count(&tx, ctx.user_id()).await?;
    tx.commit().await?;
    Ok(ApiJson(UnreadCount { count }))
}

/// Mark every notification of the caller read.
#[utoipa::path(post, path = "/notifications/read-all", tag = "notifications", security(("bearer" = [])),
    params(OrgHeader), responses((status = 200, body = ReadAll), (status = 401, body = Problem),
    (status = 403, body = Problem)))]
async fn read_all(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<ApiJson<ReadAll>> {
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let updated = store::mark_all_read(&tx, ctx.user_id()).await?;
    if updated > 0 {
        let change = Change {
            actor: Some(ctx.user_id()),
            action: "notification.read_all",
            entity_type: ENTITY,
            entity_id: None,
            before: None,
            after: Some(serde_json::json!({"updated": updated})),
        };
        audit::record(&tx, &ctx.meta, change).await?;
    }
    tx.commit().await?;
    Ok(ApiJson(ReadAll { updated }))
}

/// One of the caller's notifications.
#[utoipa::path(get, path = "/notifications/{id}", tag = "notifications", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Notification), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<ApiJson<Notification>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let n = load(&tx, &ctx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(n))
}

/// Mark one of the caller's notifications read.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Notification), (status = 404, body = Problem)))]
async fn read(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<ApiJson<Notification>> {
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, &ctx, id).await?;
    if before.read_at.is_some() {
        tx.commit().await?;
        return Ok(ApiJson(before));
    }
    store::mark_read(&tx, ctx.user_id(), id).await?;
    let after = load(&tx, &ctx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "notification.read",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(ApiJson(after))
}

/// Dismiss one of the caller's notifications.
#[utoipa::path(delete, path = "/notifications/{id}", tag = "notifications", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, &ctx, id).await?;
    store::delete(&tx, ctx.user_id(), id).await?;
    audit_change(
        &tx,
        &ctx,
        "notification.deleted",
        ENTITY,
        id,
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
