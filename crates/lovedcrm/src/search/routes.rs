//! `GET /search`.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::SearchResults;
use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiQuery;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(search_all))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find (prefixes match: "jo" finds "João").
    pub q: String,
    /// Results per type, 1 to 20 (default 5).
    pub limit: Option<u64>,
}

/// Search every record type at once.
#[utoipa::path(get, path = "/search", tag = "search", security(("bearer" = [])),
    params(OrgHeader, SearchParams),
    responses((status = 200, body = SearchResults), (status = 400, body = Problem)))]
async fn search_all(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> DomainResult<ApiJson<SearchResults>> {
    let results = super::everything(&app, &ctx, &params.q, params.limit).await?;
    Ok(ApiJson(results))
}
