use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Tag};
use crate::app::SharedState;
use crate::db::{self, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::organizations::Role;
use crate::records::idempotency::Idempotency;
use crate::records::{audit_change, visibility};
use crate::users::fields::display_name;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(patch, delete))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TagList {
    pub data: Vec<Tag>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagInput {
    pub name: Option<String>,
    /// `#rrggbb`
    pub color: Option<String>,
}

fn color(raw: &str) -> Result<String, DomainError> {
    let ok =
        raw.len() == 7 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(raw.to_ascii_lowercase())
    } else {
        Err(DomainError::field("color", "must be a color like #1e90ff"))
    }
}

/// The organization's tags.
#[utoipa::path(get, path = "/tags", tag = "tags", security(("bearer" = [])), params(OrgHeader),
    responses((status = 200, body = TagList), (status = 401, body = Problem),
              (status = 403, body = Problem)))]
async fn list(State(app): State<SharedState>, ctx: OrgContext) -> DomainResult<ApiJson<TagList>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let data = store::list(&tx).await?;
    tx.commit().await?;
    Ok(ApiJson(TagList { data }))
}

/// Create a tag (names are unique ignoring case and accents). Honors
/// `Idempotency-Key`: a retry answers with the first response instead of 409.
#[utoipa::path(post, path = "/tags", tag = "tags", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = TagInput,
    responses((status = 201, body = Tag), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<TagInput>,
) -> DomainResult<Response> {
    visibility::require_write(&ctx)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &body)?;
    let name = display_name("name", body.name.as_deref().unwrap_or(""), 50)
        .map_err(|e| DomainError::Validation(vec![e]))?;
    let color = body.color.as_deref().map(color).transpose()?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let existing = store::list(&tx).await?;
    if existing
        .iter()
        .any(|t| store::key(&t.name) == store::key(&name))
    {
        return Err(DomainError::Conflict {
            code: "tag_exists",
            detail: format!("a tag named {name} already exists"),
        });
    }
    let tag = store::ensure(&tx, &name, color.as_deref()).await?;
    audit_change(&tx, &ctx, "tag.created", "tag", tag.id, None, Some(&tag)).await?;
    idempotency.remember(&tx, StatusCode::CREATED, &tag).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Versioned(tag.version, ApiJson(tag))).into_response())
}

/// Rename or recolor a tag (managers and above: a tag belongs to everyone's
/// records). `If-Match` answers 412 on a stale version.
#[utoipa::path(patch, path = "/tags/{id}", tag = "tags", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = TagInput,
    responses((status = 200, body = Tag), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 412, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<TagInput>,
) -> DomainResult<Versioned<Tag>> {
    ctx.require(Role::Manager, "rename tags")?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::get(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("tag"))?;
    crate::http::check_version(expected, before.version)?;
    let name = match &body.name {
        Some(n) => display_name("name", n, 50).map_err(|e| DomainError::Validation(vec![e]))?,
        None => before.name.clone(),
    };
    let color = match &body.color {
        Some(c) => color(c)?,
        None => before.color.clone(),
    };
    let changed = db::exec(
        &*tx,
        "UPDATE tags SET name = $3, name_key = $4, color = $5, updated_at = $6, version = version + 1 \
         WHERE organization_id = $1 AND id = $2 AND version = $7",
        vec![
            tx.org_id().into(),
            id.into(),
            name.clone().into(),
            store::key(&name).into(),
            color.into(),
            db::now().into(),
            before.version.into(),
        ],
    )
    .await;
    match changed {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(DomainError::Conflict {
                code: "tag_exists",
                detail: format!("a tag named {name} already exists"),
            });
        }
        Ok(0) => {
            return Err(DomainError::PreconditionFailed {
                current_version: before.version,
            });
        }
        other => other?,
    };
    let after = store::get(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("tag"))?;
    audit_change(
        &tx,
        &ctx,
        "tag.updated",
        "tag",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Versioned(after.version, ApiJson(after)))
}

/// Delete a tag; it disappears from every record (managers and above).
/// `If-Match` is honored.
#[utoipa::path(delete, path = "/tags/{id}", tag = "tags", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    ctx.require(Role::Manager, "delete tags")?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::get(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("tag"))?;
    crate::http::check_version(expected, before.version)?;
    db::exec(
        &*tx,
        "DELETE FROM tags WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    audit_change(&tx, &ctx, "tag.deleted", "tag", id, Some(&before), None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
