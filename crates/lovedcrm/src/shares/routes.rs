use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{ACCESS, CreateShare, ENTITY, Share, ShareList, ShareQuery};
use super::store;
use crate::app::SharedState;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::{ApiPath, ApiQuery};
use crate::notes::target::{self, Kind, Seen, Target};
use crate::notifications::{self, NewNotification, Notification};
use crate::organizations::Role;
use crate::records::fields::{self, Problems};
use crate::records::idempotency::Idempotency;
use crate::records::{audit_change, visibility};

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(delete))
}

/// The notification kind of a share.
const KIND: &str = "share";

fn kind_message() -> String {
    format!("must be one of {}", Kind::names())
}

/// Whether the caller may share the record or take shares back: managers
/// and above, and the member responsible for it.
fn may_manage(ctx: &OrgContext, seen: &Seen) -> bool {
    ctx.role().at_least(Role::Manager) || seen.responsible == Some(ctx.user_id())
}

async fn notify(
    tx: &TenantTx,
    ctx: &OrgContext,
    share: &Share,
    target: Target,
    seen: &Seen,
) -> Result<Option<Notification>, DomainError> {
    if share.user_id == ctx.user_id() {
        return Ok(None);
    }
    let name = target::user_name(tx, ctx.user_id()).await?;
    let label: String = seen.label.chars().take(120).collect();
    let new = NewNotification {
        user_id: share.user_id,
        kind: KIND,
        title: format!("{name} shared {} {label} with you", target.kind.display()),
        entity_type: Some(target.kind.entity()),
        entity_id: Some(target.id),
        data: json!({"share_id": share.id, "shared_by": ctx.user_id()}),
    };
    Ok(Some(notifications::create(tx, new).await?))
}

/// The members a record is shared with. The caller must be able to see it.
#[utoipa::path(get, path = "/shares", tag = "shares", security(("bearer" = [])),
    params(OrgHeader, ShareQuery),
    responses((status = 200, body = ShareList), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiQuery(query): ApiQuery<ShareQuery>,
) -> DomainResult<ApiJson<ShareList>> {
    let kind = Kind::parse(&query.entity_type).ok_or_else(|| DomainError::BadRequest {
        code: "invalid_query",
        detail: format!("entity_type {}", kind_message()),
        errors: vec![FieldError::new("entity_type", kind_message())],
    })?;
    let tx = ctx.begin(&app, TxMode::Read).await?;
    Target {
        kind,
        id: query.record_id,
    }
    .require(&tx, &ctx)
    .await?;
    let data = store::for_record(&tx, kind.entity(), query.record_id).await?;
    tx.commit().await?;
    Ok(ApiJson(ShareList {
        data,
        next_cursor: None,
        has_more: false,
    }))
}

/// Share a record with a member: managers and above, or the record's owner
/// or assignee. A share reads (`access: read`, the default) or also writes
/// (`write`); deleting the record stays with its owner and managers.
/// Sharing again answers 200 with the existing share, its access changed
/// when another is asked for.
#[utoipa::path(post, path = "/shares", tag = "shares", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateShare,
    responses((status = 201, body = Share), (status = 200, body = Share), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateShare>,
) -> DomainResult<Response> {
    crate::organizations::teams_enabled(&app)?;
    visibility::require_write(&ctx)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &req)?;
    let kind = Kind::parse(&req.entity_type)
        .ok_or_else(|| DomainError::field("entity_type", kind_message()))?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let target = Target {
        kind,
        id: req.record_id,
    };
    let seen = target.require(&tx, &ctx).await?;
    if !may_manage(&ctx, &seen) {
        return Err(DomainError::Forbidden(
            "only a manager or the record's owner or assignee may share it".into(),
        ));
    }
    let mut problems = Problems::default();
    fields::member(&tx, &mut problems, "user_id", Some(req.user_id)).await?;
    let access = req.access.as_deref().unwrap_or("read");
    if !ACCESS.contains(&access) {
        problems.push("access", format!("must be one of {}", ACCESS.join(", ")));
    }
    problems.finish()?;
    if let Some(existing) = store::find(&tx, kind.entity(), req.record_id, req.user_id).await? {
        // Sharing again with another access changes it.
        if req.access.is_some() && existing.access != access {
            store::set_access(&tx, existing.id, access).await?;
            let changed = Share {
                access: access.into(),
                ..existing.clone()
            };
            audit_change(
                &tx,
                &ctx,
                "share.updated",
                ENTITY,
                existing.id,
                Some(&existing),
                Some(&changed),
            )
            .await?;
            crate::records::kernel::commit(&app, tx).await?;
            return Ok((StatusCode::OK, ApiJson(changed)).into_response());
        }
        tx.commit().await?;
        return Ok((StatusCode::OK, ApiJson(existing)).into_response());
    }
    let share = Share {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        entity_type: kind.entity().into(),
        record_id: req.record_id,
        user_id: req.user_id,
        access: access.into(),
        created_by: Some(ctx.user_id()),
        created_at: db::now(),
    };
    if let Err(e) = store::insert(&tx, &share).await {
        return Err(if db::is_unique_violation(&e) {
            DomainError::Conflict {
                code: "already_shared",
                detail: "the record was just shared with this member".into(),
            }
        } else {
            e.into()
        });
    }
    let sent = notify(&tx, &ctx, &share, target, &seen).await?;
    audit_change(
        &tx,
        &ctx,
        "share.created",
        ENTITY,
        share.id,
        None,
        Some(&share),
    )
    .await?;
    idempotency
        .remember(&tx, StatusCode::CREATED, &share)
        .await?;
    if let Some(n) = sent {
        crate::events::record(&tx, Some(ctx.user_id()), &notifications::event(&n)).await?;
    }
    crate::records::kernel::commit(&app, tx).await?;
    Ok((StatusCode::CREATED, ApiJson(share)).into_response())
}

/// Take a share back: managers and above, the record's owner or assignee,
/// whoever shared it, or the member it was shared with.
#[utoipa::path(delete, path = "/shares/{id}", tag = "shares", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    visibility::require_write(&ctx)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let share = store::get(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("share"))?;
    let kind = Kind::parse(&share.entity_type).ok_or(DomainError::NotFound("share"))?;
    let target = Target {
        kind,
        id: share.record_id,
    };
    let seen = match target.require(&tx, &ctx).await {
        Err(DomainError::NotFound(_)) => return Err(DomainError::NotFound("share")),
        other => other?,
    };
    let me = Some(ctx.user_id());
    if !(may_manage(&ctx, &seen) || share.created_by == me || Some(share.user_id) == me) {
        return Err(DomainError::Forbidden(
            "only a manager, the record's owner or assignee, or the members of the share may remove it".into(),
        ));
    }
    store::delete(&tx, id).await?;
    audit_change(&tx, &ctx, "share.deleted", ENTITY, id, Some(&share), None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
