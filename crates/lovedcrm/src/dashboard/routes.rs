//! `GET /dashboard`.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::Dashboard;
use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiQuery;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(dashboard))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DashboardParams {
    /// The pipeline to report on (default: the organization's default pipeline).
    pub pipeline_id: Option<Uuid>,
    /// Days of history for sources and activity, 7 to 365 (default 30).
    #[param(minimum = 7, maximum = 365)]
    pub days: Option<i64>,
}

/// The dashboard of one pipeline.
#[utoipa::path(get, path = "/dashboard", tag = "dashboard", security(("bearer" = [])),
    params(OrgHeader, DashboardParams),
    responses((status = 200, body = Dashboard), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn dashboard(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiQuery(params): ApiQuery<DashboardParams>,
) -> DomainResult<ApiJson<Dashboard>> {
    let dashboard = super::of_pipeline(&app, &ctx, params.pipeline_id, params.days).await?;
    Ok(ApiJson(dashboard))
}
