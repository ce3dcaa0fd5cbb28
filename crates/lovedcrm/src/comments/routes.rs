use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{COLUMNS, Comment, CreateComment, ENTITY, MAX_BODY, PatchComment, SPEC};
use super::{events, mentions, store};
use crate::app::SharedState;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::lists::{self, CursorKey, Page, page};
use crate::notes::listing;
use crate::notes::target::{self, Target};
use crate::realtime::to_payload;
use crate::records::fields::Problems;
use crate::records::idempotency::Idempotency;
use crate::records::{audit_change, visibility};
use crate::timeline::activities;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
}

const ACTIVITY: &str = "comment_added";

/// A comment the caller may see (its target is visible to them), or 404.
async fn load(tx: &TenantTx, ctx: &OrgContext, id: Uuid) -> Result<(Comment, Target), DomainError> {
    let comment = store::get(tx, id)
        .await?
        .ok_or(DomainError::NotFound("comment"))?;
    let target = comment.target().ok_or(DomainError::NotFound("comment"))?;
    if !target.visible(tx, ctx).await? {
        return Err(DomainError::NotFound("comment"));
    }
    Ok((comment, target))
}

fn activity_data(c: &Comment) -> serde_json::Value {
    json!({"comment_id": c.id, "excerpt": target::excerpt(&c.body)})
}

/// Comments the caller may see, newest first; filter by `lead_id`,
/// `contact_id`, `company_id`, `project_id`, `task_id`, `created_by`, `created_at`.
#[utoipa::path(get, path = "/comments", tag = "comments", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::PageParams),
    responses((status = 200, body = Page<Comment>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<Comment>>> {
    let query = lists::parse(&SPEC, &lists::query_pairs(raw.as_deref()))?;
    if query.q.is_some() {
        return Err(DomainError::bad_request(
            "invalid_query",
            "q is not supported on this list",
        ));
    }
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let backend = sea_orm::ConnectionTrait::get_database_backend(&*tx);
    let visible = target::list_condition(&ctx, backend, "comments");
    let (rows, total) =
        listing::fetch::<Comment>(&tx, &SPEC, COLUMNS, &query, visible.into_iter().collect())
            .await?;
    tx.commit().await?;
    let mut result = page(rows, &query, |c: &Comment| {
        CursorKey::new(c.id)
            .with("created_at", c.created_at)
            .with("updated_at", c.updated_at)
    })?;
    if let Some(total) = total {
        result = result.with_total(total);
    }
    Ok(ApiJson(result))
}

/// Comment on one lead, contact, company, project or task the caller can
/// see. Each mentioned member (`@[Name](user:UUID)` in `body`, or listed in
/// `mentions`) gets a notification.
#[utoipa::path(post, path = "/comments", tag = "comments", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateComment,
    responses((status = 201, body = Comment), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateComment>,
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
            "validated comment without a target or body",
        ));
    };
    let mentioned = mentions::collect(&text, &req.mentions);
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let seen = target.require(&tx, &ctx).await?;
    mentions::check_members(&tx, &mentioned).await?;
    mentions::check_can_see(&tx, target, &mentioned).await?;
    let now = db::now();
    let [lead_id, contact_id, company_id, project_id, task_id] = target.ids();
    let comment = Comment {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        lead_id,
        contact_id,
        company_id,
        project_id,
        task_id,
        body: text,
        mentions: json!(mentioned),
        created_by: Some(ctx.user_id()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    store::insert(&tx, &comment).await?;
    if let Some(on) = target.on() {
        activities::record(
            &tx,
            on,
            ACTIVITY,
            Some(ctx.user_id()),
            activity_data(&comment),
        )
        .await?;
    }
    let sent = mentions::notify(&tx, &comment, target, &seen.label, &mentioned).await?;
    if let Some(lead) = comment.lead_id {
        let what = format!("commented on the lead {}", seen.label);
        crate::followers::notify(&tx, &ctx, lead, &what, &mentioned).await?;
    }
    audit_change(
        &tx,
        &ctx,
        "comment.created",
        ENTITY,
        comment.id,
        None,
        Some(&comment),
    )
    .await?;
    idempotency
        .remember(&tx, StatusCode::CREATED, &comment)
        .await?;
    let mut events = vec![events::created(&tx, &comment, target, &seen).await?];
    events.extend(events::notified(&sent));
    events::record(&tx, Some(ctx.user_id()), events).await?;
    crate::records::kernel::commit(&app, tx).await?;
    Ok((
        StatusCode::CREATED,
        Versioned(comment.version, ApiJson(comment)),
    )
        .into_response())
}

/// One comment.
#[utoipa::path(get, path = "/comments/{id}", tag = "comments", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Comment), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<Comment>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let (comment, _) = load(&tx, &ctx, id).await?;
    tx.commit().await?;
    Ok(Versioned(comment.version, ApiJson(comment)))
}

/// Edit a comment (its author only). Mentions are recomputed; only members
/// not mentioned before are notified. `If-Match` answers 412 when stale.
#[utoipa::path(patch, path = "/comments/{id}", tag = "comments", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchComment,
    responses((status = 200, body = Comment), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<PatchComment>,
) -> DomainResult<Versioned<Comment>> {
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
    if before.created_by != Some(ctx.user_id()) {
        return Err(DomainError::Forbidden(
            "only the author may edit a comment".into(),
        ));
    }
    crate::http::check_version(expected, before.version)?;
    let mut comment = before.clone();
    if let Some(text) = text {
        comment.body = text;
    }
    let mentioned = mentions::collect(&comment.body, req.mentions.as_deref().unwrap_or_default());
    mentions::check_members(&tx, &mentioned).await?;
    comment.mentions = json!(mentioned);
    if !store::update(&tx, &comment).await? {
        let (current, _) = load(&tx, &ctx, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: current.version,
        });
    }
    let (after, _) = load(&tx, &ctx, id).await?;
    let already = before.mentioned();
    let new: Vec<Uuid> = mentioned
        .into_iter()
        .filter(|u| !already.contains(u))
        .collect();
    let sent = if new.is_empty() {
        Vec::new()
    } else {
        let label = target.require_visible(&tx, &ctx).await?;
        mentions::check_can_see(&tx, target, &new).await?;
        mentions::notify(&tx, &after, target, &label, &new).await?
    };
    target::sync_activity(
        &tx,
        target,
        ACTIVITY,
        "comment_id",
        id,
        Some(activity_data(&after)),
    )
    .await?;
    audit_change(
        &tx,
        &ctx,
        "comment.updated",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    let seen = target.require(&tx, &ctx).await?;
    let mut all = vec![
        events::about_target(
            &tx,
            "comment.updated",
            ENTITY,
            id,
            to_payload(&after),
            target,
            &seen,
        )
        .await?,
    ];
    all.extend(events::notified(&sent));
    events::record(&tx, Some(ctx.user_id()), all).await?;
    crate::records::kernel::commit(&app, tx).await?;
    Ok(Versioned(after.version, ApiJson(after)))
}

/// Delete a comment (its author, or a manager and above), with its
/// timeline entry and the mention notifications it sent.
#[utoipa::path(delete, path = "/comments/{id}", tag = "comments", security(("bearer" = [])),
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
    target::author_or_manager(&ctx, before.created_by, "delete this comment")?;
    crate::http::check_version(expected, before.version)?;
    store::delete(&tx, id).await?;
    target::sync_activity(&tx, target, ACTIVITY, "comment_id", id, None).await?;
    crate::notifications::delete_where_data(&tx, mentions::KIND, target.id, "comment_id", id)
        .await?;
    audit_change(
        &tx,
        &ctx,
        "comment.deleted",
        ENTITY,
        id,
        Some(&before),
        None,
    )
    .await?;
    let seen = target.require(&tx, &ctx).await?;
    let gone = events::about_target(
        &tx,
        "comment.deleted",
        ENTITY,
        id,
        to_payload(&before),
        target,
        &seen,
    )
    .await?;
    events::record(&tx, Some(ctx.user_id()), vec![gone]).await?;
    crate::records::kernel::commit(&app, tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
