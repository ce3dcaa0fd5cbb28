//! The HTTP adapter of pipelines and their stages.

mod stages;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{CreatePipeline, PatchPipeline, Pipeline};
use super::stages::{MANAGE, load, new_stage};
use super::store;
use crate::app::SharedState;
use crate::db::TxMode;
use crate::email::Locale;
use crate::error::{DomainError, DomainResult};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::organizations::Role;
use crate::records::audit_change;
use crate::records::fields::Problems;
use crate::records::idempotency::Idempotency;
use crate::users::fields::display_name;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
        .routes(routes!(stages::add_stage))
        .routes(routes!(stages::patch_stage, stages::delete_stage))
        .routes(routes!(stages::reorder_stages))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineList {
    pub data: Vec<Pipeline>,
}

/// Every pipeline with its stages.
#[utoipa::path(get, path = "/pipelines", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader), responses((status = 200, body = PipelineList),
    (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<ApiJson<PipelineList>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let data = store::list(&tx).await?;
    tx.commit().await?;
    Ok(ApiJson(PipelineList { data }))
}

/// Create a pipeline (manager and above); without `stages` it gets the five
/// default stages. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/pipelines", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreatePipeline,
    responses((status = 201, body = Pipeline), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreatePipeline>,
) -> DomainResult<Response> {
    ctx.require(Role::Manager, MANAGE)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &body)?;
    let mut problems = Problems::default();
    let name = problems.take(display_name("name", &body.name, 100));
    let stages = match &body.stages {
        None => store::default_stages(Locale::of_request(&headers)),
        Some(list) if list.is_empty() || list.len() > 30 => {
            problems.push("stages", "give 1 to 30 stages");
            Vec::new()
        }
        Some(list) => list
            .iter()
            .enumerate()
            .map(|(i, s)| new_stage(&mut problems, &format!("stages[{i}]."), s))
            .collect(),
    };
    problems.finish()?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let pipeline = store::create(
        &tx,
        &name.unwrap_or_default(),
        body.is_default,
        stages,
        ctx.user_id(),
    )
    .await?;
    audit_change(
        &tx,
        &ctx,
        "pipeline.created",
        "pipeline",
        pipeline.pipeline.id,
        None,
        Some(&pipeline),
    )
    .await?;
    idempotency
        .remember(&tx, StatusCode::CREATED, &pipeline)
        .await?;
    tx.commit().await?;
    let version = pipeline.pipeline.version;
    Ok((StatusCode::CREATED, Versioned(version, ApiJson(pipeline))).into_response())
}

/// One pipeline with its stages.
#[utoipa::path(get, path = "/pipelines/{id}", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Pipeline), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<Pipeline>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let pipeline = load(&tx, id).await?;
    tx.commit().await?;
    Ok(Versioned(pipeline.pipeline.version, ApiJson(pipeline)))
}

/// Rename, reposition or make default.
#[utoipa::path(patch, path = "/pipelines/{id}", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchPipeline,
    responses((status = 200, body = Pipeline), (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchPipeline>,
) -> DomainResult<Versioned<Pipeline>> {
    ctx.require(Role::Manager, MANAGE)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, id).await?;
    let version = before.pipeline.version;
    crate::http::check_version(expected, version)?;
    let mut row = before.pipeline.clone();
    if let Some(name) = &body.name {
        row.name = display_name("name", name, 100).map_err(|e| DomainError::Validation(vec![e]))?;
    }
    if body.is_default == Some(false) && row.is_default {
        return Err(DomainError::field(
            "is_default",
            "make another pipeline the default instead",
        ));
    }
    row.is_default = row.is_default || body.is_default == Some(true);
    row.position = body.position.unwrap_or(row.position).max(0);
    if !store::update(&tx, &row, version).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: version,
        });
    }
    let after = load(&tx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "pipeline.updated",
        "pipeline",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Versioned(after.pipeline.version, ApiJson(after)))
}

/// Delete an empty pipeline (not the last one). `If-Match` answers 412 on a
/// stale version.
#[utoipa::path(delete, path = "/pipelines/{id}", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    ctx.require(Role::Manager, MANAGE)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, id).await?;
    let version = before.pipeline.version;
    crate::http::check_version(expected, version)?;
    if store::pipeline_count(&tx).await? <= 1 {
        return Err(DomainError::Conflict {
            code: "last_pipeline",
            detail: "an organization keeps at least one pipeline".into(),
        });
    }
    if store::leads_in_pipeline(&tx, id).await? > 0 {
        return Err(DomainError::Conflict {
            code: "pipeline_has_leads",
            detail: "move or delete this pipeline's leads first".into(),
        });
    }
    if !store::delete(&tx, id, version).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: version,
        });
    }
    audit_change(
        &tx,
        &ctx,
        "pipeline.deleted",
        "pipeline",
        id,
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
