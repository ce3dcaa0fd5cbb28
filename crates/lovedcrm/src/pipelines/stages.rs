//! The stages of a pipeline: add, change, delete (moving their leads) and
//! reorder.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::model::{Pipeline, StageInput, StageOrder};
use super::routes::{MANAGE, check_color, check_probability, load, new_stage, stage_of};
use super::store;
use crate::app::SharedState;
use crate::db::TxMode;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::{ApiPath, ApiQuery};
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::organizations::Role;
use crate::records::audit_change;
use crate::records::fields::Problems;
use crate::records::idempotency::Idempotency;
use crate::users::fields::display_name;

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
    ctx.require(Role::Manager, MANAGE)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &(id, &body))?;
    let mut problems = Problems::default();
    let stage = new_stage(&mut problems, "", &body);
    problems.finish()?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let before = load(&tx, id).await?;
    if before.stages.len() >= 30 {
        return Err(DomainError::Conflict {
            code: "too_many_stages",
            detail: "a pipeline has at most 30 stages".into(),
        });
    }
    let stage_id = store::add_stage(&tx, &before, body.position, &stage).await?;
    let after = load(&tx, id).await?;
    let added = stage_of(&after, stage_id)?;
    audit_change(
        &tx,
        &ctx,
        "stage.created",
        "stage",
        stage_id,
        None,
        Some(&added),
    )
    .await?;
    idempotency
        .remember(&tx, StatusCode::CREATED, &after)
        .await?;
    tx.commit().await?;
    let version = after.pipeline.version;
    Ok((StatusCode::CREATED, Versioned(version, ApiJson(after))).into_response())
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
    ctx.require(Role::Manager, MANAGE)?;
    if body.position.is_some() {
        return Err(DomainError::BadRequest {
            code: "unknown_field",
            detail: "reorder stages with PUT /pipelines/{id}/stages/order".into(),
            errors: vec![FieldError::new(
                "position",
                "use PUT /pipelines/{id}/stages/order",
            )],
        });
    }
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let pipeline = load(&tx, id).await?;
    let before = stage_of(&pipeline, stage_id)?;
    crate::http::check_version(expected, before.version)?;
    let mut problems = Problems::default();
    let mut after = before.clone();
    if let Some(name) = &body.name {
        after.name = problems
            .take(display_name("name", name, 50))
            .unwrap_or_default();
    }
    if let Some(color) = &body.color {
        after.color = check_color(&mut problems, "color", color);
    }
    if let Some(p) = body.probability {
        after.probability = check_probability(&mut problems, "probability", p);
    }
    if let Some(kind) = body.kind {
        after.kind = kind.as_str().into();
    }
    problems.finish()?;
    if !store::update_stage(&tx, &after, before.version).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: before.version,
        });
    }
    let pipeline = load(&tx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "stage.updated",
        "stage",
        stage_id,
        Some(&before),
        stage_of(&pipeline, stage_id).ok().as_ref(),
    )
    .await?;
    tx.commit().await?;
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
    ctx.require(Role::Manager, MANAGE)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let pipeline = load(&tx, id).await?;
    let stage = stage_of(&pipeline, stage_id)?;
    crate::http::check_version(expected, stage.version)?;
    if pipeline.stages.len() <= 1 {
        return Err(DomainError::Conflict {
            code: "last_stage",
            detail: "a pipeline keeps at least one stage".into(),
        });
    }
    let holding = store::leads_in_stage(&tx, stage_id).await?;
    if holding > 0 {
        let Some(target_id) = params.target_stage_id else {
            return Err(DomainError::Conflict {
                code: "stage_has_leads",
                detail: format!(
                    "this stage holds {holding} leads: give target_stage_id to move them"
                ),
            });
        };
        if target_id == stage_id {
            return Err(DomainError::field(
                "target_stage_id",
                "must be another stage",
            ));
        }
        let target = store::stage(&tx, target_id).await?.ok_or_else(|| {
            DomainError::field("target_stage_id", "does not exist in this organization")
        })?;
        crate::leads::store::move_all(&tx, &stage, &target, Some(ctx.user_id())).await?;
    }
    if !store::delete_stage(&tx, &stage).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: stage.version,
        });
    }
    audit_change(
        &tx,
        &ctx,
        "stage.deleted",
        "stage",
        stage_id,
        Some(&stage),
        None,
    )
    .await?;
    let after = load(&tx, id).await?;
    tx.commit().await?;
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
    ctx.require(Role::Manager, MANAGE)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, id).await?;
    let mut given = body.stage_ids.clone();
    given.sort();
    given.dedup();
    let mut existing: Vec<Uuid> = before.stages.iter().map(|s| s.id).collect();
    existing.sort();
    if given.len() != body.stage_ids.len() || given != existing {
        return Err(DomainError::field(
            "stage_ids",
            "must list every stage of the pipeline exactly once",
        ));
    }
    store::reorder(&tx, &body.stage_ids).await?;
    let after = load(&tx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "pipeline.stages_reordered",
        "pipeline",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(ApiJson(after))
}
