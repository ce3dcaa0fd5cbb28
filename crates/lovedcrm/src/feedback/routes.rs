//! The HTTP adapter of feedback: members send, admins read.

use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{COLUMNS, Feedback, NewFeedback, SPEC};
use super::service::{self, SCREENSHOT_MAX_BYTES, decode_screenshot};
use crate::app::SharedState;
use crate::db::{self, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::lists::{self, CursorKey, Page, page};
use crate::notes::listing;
use crate::organizations::Role;

pub fn router() -> OpenApiRouter<SharedState> {
    // A screenshot in base64 is a third larger than the image.
    let sending = OpenApiRouter::new()
        .routes(routes!(list, submit))
        .layer(DefaultBodyLimit::max(
            SCREENSHOT_MAX_BYTES / 3 * 4 + 64 * 1024,
        ));
    OpenApiRouter::new()
        .merge(sending)
        .routes(routes!(get))
        .routes(routes!(screenshot))
}

/// Send feedback on the app: a category, what happened, the page, and
/// optionally a screenshot. Any member may; ten an hour each.
#[utoipa::path(post, path = "/feedback", tag = "feedback", security(("bearer" = [])),
    params(OrgHeader), request_body = NewFeedback,
    responses((status = 201, body = Feedback), (status = 413, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn submit(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewFeedback>,
) -> DomainResult<(StatusCode, ApiJson<Feedback>)> {
    let browser = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let saved = service::submit(&app, &ctx, body, browser).await?;
    Ok((StatusCode::CREATED, ApiJson(saved)))
}

/// The organization's feedback, newest first (admins; filter on `category`,
/// `user_id`, `created_at`).
#[utoipa::path(get, path = "/feedback", tag = "feedback", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::PageParams),
    responses((status = 200, body = Page<Feedback>), (status = 400, body = Problem),
              (status = 403, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<Feedback>>> {
    ctx.require(Role::Admin, "read the organization's feedback")?;
    let query = lists::parse_with_extra(&SPEC, &lists::query_pairs(raw.as_deref()), &[])?;
    if query.q.is_some() {
        return Err(DomainError::bad_request(
            "invalid_query",
            "q is not supported on this list",
        ));
    }
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let (rows, total) = listing::fetch::<Feedback>(&tx, &SPEC, COLUMNS, &query, vec![]).await?;
    tx.commit().await?;
    let mut result = page(rows, &query, |f: &Feedback| {
        CursorKey::new(f.id).with("created_at", f.created_at)
    })?;
    if let Some(total) = total {
        result = result.with_total(total);
    }
    Ok(ApiJson(result))
}

/// One piece of feedback (admins).
#[utoipa::path(get, path = "/feedback/{id}", tag = "feedback", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Feedback), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<ApiJson<Feedback>> {
    ctx.require(Role::Admin, "read the organization's feedback")?;
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let found = service::load(&tx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(found.ok_or(DomainError::NotFound("feedback"))?))
}

#[derive(crate::db::Row)]
struct Shot {
    screenshot: Option<String>,
}

/// The screenshot sent with a piece of feedback, as the image it is (admins).
#[utoipa::path(get, path = "/feedback/{id}/screenshot", tag = "feedback", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, description = "The image", content_type = "image/png"),
              (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn screenshot(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Response> {
    ctx.require(Role::Admin, "read the organization's feedback")?;
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let shot: Option<Shot> = db::fetch_one(
        &*tx,
        "SELECT screenshot FROM feedback WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    tx.commit().await?;
    let url = shot
        .and_then(|s| s.screenshot)
        .ok_or(DomainError::NotFound("screenshot"))?;
    let (media, bytes) = decode_screenshot(&url).map_err(DomainError::Internal)?;
    let headers = [
        (header::CONTENT_TYPE, media.to_string()),
        (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
    ];
    Ok((headers, bytes).into_response())
}
