//! `GET /leads/{id}/timeline`, `GET /contacts/{id}/timeline` and
//! `GET /companies/{id}/timeline`.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::{ApiPath, ApiQuery};
use crate::timeline::feed::{self, Owner, PageQuery, TimelinePage};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineParams {
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Comma-separated channels to show (`whatsapp,email,call,sms,meeting,note`),
    /// plus `activity` for stage changes, tasks, notes and comments.
    pub channel: Option<String>,
}

impl From<TimelineParams> for PageQuery {
    fn from(p: TimelineParams) -> Self {
        Self {
            limit: p.limit,
            cursor: p.cursor,
            channel: p.channel,
        }
    }
}

/// Newest-first timeline of a lead: communications and activities merged.
#[utoipa::path(get, path = "/leads/{id}/timeline", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path), TimelineParams),
    responses((status = 200, body = TimelinePage), (status = 404, body = Problem)))]
pub async fn lead_timeline(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(params): ApiQuery<TimelineParams>,
) -> DomainResult<ApiJson<TimelinePage>> {
    let page = feed::page(&app, &ctx, Owner::Lead(id), &params.into()).await?;
    Ok(ApiJson(page))
}

/// Newest-first timeline of a contact: communications and activities merged.
#[utoipa::path(get, path = "/contacts/{id}/timeline", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path), TimelineParams),
    responses((status = 200, body = TimelinePage), (status = 404, body = Problem)))]
pub async fn contact_timeline(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(params): ApiQuery<TimelineParams>,
) -> DomainResult<ApiJson<TimelinePage>> {
    let page = feed::page(&app, &ctx, Owner::Contact(id), &params.into()).await?;
    Ok(ApiJson(page))
}

/// Newest-first timeline of a company: its own activities, and the
/// communications and activities of its contacts and leads, merged.
#[utoipa::path(get, path = "/companies/{id}/timeline", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path), TimelineParams),
    responses((status = 200, body = TimelinePage), (status = 404, body = Problem)))]
pub async fn company_timeline(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(params): ApiQuery<TimelineParams>,
) -> DomainResult<ApiJson<TimelinePage>> {
    let page = feed::page(&app, &ctx, Owner::Company(id), &params.into()).await?;
    Ok(ApiJson(page))
}
