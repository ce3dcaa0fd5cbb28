//! `/pipelines/{id}/stages`: add, change, delete and reorder stages.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::{ApiPath, ApiQuery};
use crate::http::{IfMatchHeader, OrgHeader, Versioned, idempotency_key, if_match};
use crate::pipelines::model::{Pipeline, StageInput, StageOrder};
use crate::pipelines::stages;
use crate::records::kernel::Created;

/// Add a stage at `position` (default: last); answers with the pipeline.
/// Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/pipelines/{id}/stages", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader, ("id" = Uuid, Path)), request_body = StageInput,
    responses((status = 201, body = Pipeline), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_stage(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<StageInput>,
) -> DomainResult<Response> {
    let key = idempotency_key(&headers);
    let added = stages::add(&app, &ctx, id, key.as_deref(), body).await?;
    Ok(created(added))
}

/// 201 with the pipeline and its version as the `ETag`; a replayed answer
/// says so and, as it always has, carries no `ETag`.
fn created(added: Created<Pipeline>) -> Response {
    if added.replayed {
        let mut response = (StatusCode::CREATED, ApiJson(added.value)).into_response();
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
        return response;
    }
    let version = added.value.pipeline.version;
    (
        StatusCode::CREATED,
        Versioned(version, ApiJson(added.value)),
    )
        .into_response()
}

/// Rename, recolor, or change a stage's probability or kind.
#[utoipa::path(patch, path = "/pipelines/{id}/stages/{stage_id}", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path), ("stage_id" = Uuid, Path)), request_body = StageInput,
    responses((status = 200, body = Pipeline), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn patch_stage(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath((id, stage_id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<StageInput>,
) -> DomainResult<ApiJson<Pipeline>> {
    let pipeline = stages::patch(&app, &ctx, id, stage_id, if_match(&headers), body).await?;
    Ok(ApiJson(pipeline))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteStageParams {
    /// Where this stage's leads go; required when it has leads.
    pub target_stage_id: Option<Uuid>,
}

/// Delete a stage; if it holds leads they move to `target_stage_id`.
/// `If-Match` (the stage's version) answers 412 on a stale version, before
/// any lead moves.
#[utoipa::path(delete, path = "/pipelines/{id}/stages/{stage_id}", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path), ("stage_id" = Uuid, Path), DeleteStageParams),
    responses((status = 200, body = Pipeline), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn delete_stage(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath((id, stage_id)): ApiPath<(Uuid, Uuid)>,
    ApiQuery(params): ApiQuery<DeleteStageParams>,
) -> DomainResult<ApiJson<Pipeline>> {
    let expected = if_match(&headers);
    let after = stages::delete(&app, &ctx, id, stage_id, expected, params.target_stage_id).await?;
    Ok(ApiJson(after))
}

/// Put the stages in a new order: `stage_ids` lists every stage once.
#[utoipa::path(put, path = "/pipelines/{id}/stages/order", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)), request_body = StageOrder,
    responses((status = 200, body = Pipeline), (status = 422, body = Problem)))]
pub async fn reorder_stages(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<StageOrder>,
) -> DomainResult<ApiJson<Pipeline>> {
    Ok(ApiJson(stages::reorder(&app, &ctx, id, body).await?))
}
