//! The HTTP adapter of the calendar: events on the record kernel, the
//! occurrences of a range, ICS feed/export/import, and Web Push sign-up.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::feed::{self, Feed};
use super::ics::Imported;
use super::model::{CalendarEvent, CreateEvent, Occurrences, PatchEvent};
use super::occurrences::{self, Range};
use super::resource::Events;
use super::scope::{self, ScopeParams};
use crate::app::SharedState;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::{ApiPath, ApiQuery};
use crate::http::{IfMatchHeader, OrgHeader, Versioned, created, idempotency_key, if_match};
use crate::lists::Page;
use crate::notifications::push::{self, PublicKey, Subscription};
use crate::records::kernel;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(occurrences_between))
        .routes(routes!(feed_ics))
        .routes(routes!(export_ics))
        .routes(routes!(import_ics))
        .routes(routes!(get, patch, delete))
        .routes(routes!(feed_status, feed_rotate, feed_revoke))
        .routes(routes!(push_key))
        .routes(routes!(push_subscribe, push_unsubscribe))
}

/// Calendar events as stored (a series is one row), filtered
/// (`starts_at[gte]=…`, `owner_id=…`, `lead_id=…`), sorted, keyset-paged.
/// `/events/occurrences` expands series for a calendar view.
#[utoipa::path(get, path = "/events", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::PageParams),
    responses((status = 200, body = Page<CalendarEvent>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<CalendarEvent>>> {
    Ok(ApiJson(
        kernel::list::<Events>(&app, &ctx, raw.as_deref()).await?,
    ))
}

/// Create an event (with `rrule` for a series, `reminders` minutes before).
/// Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/events", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateEvent,
    responses((status = 201, body = CalendarEvent), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateEvent>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let made = kernel::create::<Events>(&app, &ctx, body, key.as_deref()).await?;
    let version = made.value.version;
    Ok(created(made, version))
}

/// One event.
#[utoipa::path(get, path = "/events/{id}", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = CalendarEvent), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<CalendarEvent>> {
    let out = kernel::get::<Events>(&app, &ctx, id).await?;
    Ok(Versioned(out.version, ApiJson(out)))
}

/// Change an event (merge semantics). On a series, `scope=this` with
/// `occurrence` changes one occurrence, `scope=following` that one and the
/// later ones; the answer is the event that holds the change.
#[utoipa::path(patch, path = "/events/{id}", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path), ScopeParams), request_body = PatchEvent,
    responses((status = 200, body = CalendarEvent), (status = 400, body = Problem),
              (status = 404, body = Problem), (status = 412, body = Problem),
              (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(params): ApiQuery<ScopeParams>,
    ApiJson(body): ApiJson<PatchEvent>,
) -> DomainResult<Versioned<CalendarEvent>> {
    let out = scope::patch(&app, &ctx, id, if_match(&headers)?, params, body).await?;
    Ok(Versioned(out.version, ApiJson(out)))
}

/// Delete an event, or with `scope` and `occurrence` one occurrence of a
/// series or the series from it on. `If-Match` is honored.
#[utoipa::path(delete, path = "/events/{id}", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path), ScopeParams),
    responses((status = 204), (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(params): ApiQuery<ScopeParams>,
) -> DomainResult<StatusCode> {
    scope::delete(&app, &ctx, id, if_match(&headers)?, params).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A range of the calendar.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RangeParams {
    /// RFC 3339; the range starts here.
    from: DateTime<Utc>,
    /// RFC 3339; the range ends here (at most 100 days after `from`).
    to: DateTime<Utc>,
    /// Only this member's events (organizer or attendee) and tasks (assignee).
    member_id: Option<Uuid>,
    /// Include tasks due in the range (default true).
    tasks: Option<bool>,
}

/// What is on the calendar between `from` and `to`: events (series
/// expanded, edited occurrences in place) and tasks due, in start order.
#[utoipa::path(get, path = "/events/occurrences", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader, RangeParams),
    responses((status = 200, body = Occurrences), (status = 400, body = Problem)))]
async fn occurrences_between(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiQuery(q): ApiQuery<RangeParams>,
) -> DomainResult<ApiJson<Occurrences>> {
    let range = Range {
        from: q.from,
        to: q.to,
        member: q.member_id,
        tasks: q.tasks.unwrap_or(true),
    };
    let data = occurrences::between(&app, &ctx, range).await?;
    Ok(ApiJson(Occurrences { data }))
}

fn calendar_file(text: String, filename: Option<&str>) -> Response {
    let mut headers = vec![
        (
            header::CONTENT_TYPE,
            "text/calendar; charset=utf-8".to_string(),
        ),
        (header::CACHE_CONTROL, "private, no-store".to_string()),
    ];
    if let Some(name) = filename {
        headers.push((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ));
    }
    let mut response = text.into_response();
    for (k, v) in headers {
        if let Ok(v) = v.parse() {
            response.headers_mut().insert(k, v);
        }
    }
    response
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FeedParams {
    /// The secret of the member's feed URL.
    token: String,
}

/// A member's calendar as an ICS feed (90 days back, a year ahead), for
/// calendar apps to subscribe to. The secret token in the URL is the only
/// credential; the feed shows what the member may see when it is fetched.
#[utoipa::path(get, path = "/events/calendar.ics", tag = "calendar",
    params(FeedParams),
    responses((status = 200, description = "An iCalendar file", content_type = "text/calendar"),
              (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn feed_ics(
    State(app): State<SharedState>,
    ApiQuery(q): ApiQuery<FeedParams>,
) -> DomainResult<Response> {
    if q.token.len() > 200 {
        return Err(DomainError::NotFound("calendar feed"));
    }
    Ok(calendar_file(feed::by_token(&app, &q.token).await?, None))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ExportParams {
    /// RFC 3339; default 90 days ago (a year before `to` when only `to` is given).
    from: Option<DateTime<Utc>>,
    /// RFC 3339; default a year from now (15 months after `from` when only
    /// `from` is given); at most 3 years after `from`.
    to: Option<DateTime<Utc>>,
}

/// The events the caller may see between `from` and `to` as an `.ics` file.
#[utoipa::path(get, path = "/events/export.ics", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader, ExportParams),
    responses((status = 200, description = "An iCalendar file", content_type = "text/calendar"),
              (status = 400, body = Problem)))]
async fn export_ics(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiQuery(q): ApiQuery<ExportParams>,
) -> DomainResult<Response> {
    let now = crate::db::now();
    let (from, to) = match (q.from, q.to) {
        (Some(f), Some(t)) => (f, t),
        (Some(f), None) => (f, f + chrono::Duration::days(455)),
        (None, Some(t)) => (t - chrono::Duration::days(365), t),
        (None, None) => (
            now - chrono::Duration::days(90),
            now + chrono::Duration::days(365),
        ),
    };
    if to <= from || to - from > chrono::Duration::days(3 * 366) {
        return Err(DomainError::BadRequest {
            code: "invalid_query",
            detail: "to: must be after from, at most 3 years later".into(),
            errors: vec![FieldError::new(
                "to",
                "must be after from, at most 3 years later",
            )],
        });
    }
    let text = feed::export(&app, &ctx, from, to).await?;
    Ok(calendar_file(text, Some("lovedcrm.ics")))
}

/// Import the events of an `.ics` file (body `text/calendar`) as the
/// caller's. An event imported before (same UID) is skipped.
#[utoipa::path(post, path = "/events/import", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader),
    request_body(content = String, content_type = "text/calendar", description = "An iCalendar file"),
    responses((status = 200, body = Imported), (status = 415, body = Problem),
              (status = 422, body = Problem)))]
async fn import_ics(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    body: Bytes,
) -> DomainResult<ApiJson<Imported>> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !media.to_ascii_lowercase().starts_with("text/calendar") {
        return Err(DomainError::UnsupportedMediaType(
            "send the file as text/calendar".into(),
        ));
    }
    let text = std::str::from_utf8(&body).map_err(|_| {
        DomainError::Validation(vec![FieldError::new("body", "must be UTF-8 text")])
    })?;
    Ok(ApiJson(feed::import(&app, &ctx, text).await?))
}

/// Whether the caller has a calendar feed URL (it is shown only when made).
#[utoipa::path(get, path = "/users/me/calendar-feed", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader), responses((status = 200, body = Feed)))]
async fn feed_status(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<ApiJson<Feed>> {
    Ok(ApiJson(feed::status(&app, &ctx).await?))
}

/// Make the caller's secret calendar feed URL (a new one: the old URL stops working).
#[utoipa::path(post, path = "/users/me/calendar-feed", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader), responses((status = 201, body = Feed), (status = 403, body = Problem)))]
async fn feed_rotate(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<(StatusCode, ApiJson<Feed>)> {
    Ok((
        StatusCode::CREATED,
        ApiJson(feed::rotate(&app, &ctx).await?),
    ))
}

/// Revoke the caller's calendar feed URL.
#[utoipa::path(delete, path = "/users/me/calendar-feed", tag = "calendar", security(("bearer" = [])),
    params(OrgHeader), responses((status = 204), (status = 404, body = Problem)))]
async fn feed_revoke(State(app): State<SharedState>, ctx: OrgContext) -> DomainResult<StatusCode> {
    match feed::revoke(&app, &ctx).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(DomainError::NotFound("calendar feed")),
    }
}

/// The server's VAPID public key, for `pushManager.subscribe`.
#[utoipa::path(get, path = "/push/public-key", tag = "notifications",
    responses((status = 200, body = PublicKey)))]
async fn push_key(State(app): State<SharedState>) -> DomainResult<ApiJson<PublicKey>> {
    Ok(ApiJson(push::public_key(&app)?))
}

/// Enable Web Push on this browser: the body is its `PushSubscription.toJSON()`.
#[utoipa::path(post, path = "/users/me/push-subscriptions", tag = "notifications",
    security(("bearer" = [])), params(OrgHeader), request_body = Subscription,
    responses((status = 201), (status = 422, body = Problem)))]
async fn push_subscribe(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<Subscription>,
) -> DomainResult<StatusCode> {
    push::subscribe(&app, &ctx, body).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct EndpointParams {
    /// The subscription's endpoint URL.
    endpoint: String,
}

/// Disable Web Push on the browser with this endpoint.
#[utoipa::path(delete, path = "/users/me/push-subscriptions", tag = "notifications",
    security(("bearer" = [])), params(OrgHeader, EndpointParams),
    responses((status = 204), (status = 404, body = Problem)))]
async fn push_unsubscribe(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiQuery(q): ApiQuery<EndpointParams>,
) -> DomainResult<StatusCode> {
    match push::unsubscribe(&app, &ctx, &q.endpoint).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(DomainError::NotFound("push subscription")),
    }
}
