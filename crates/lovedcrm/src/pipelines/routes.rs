use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{
    CreatePipeline, PatchPipeline, Pipeline, Stage, StageInput, StageKind, StageOrder,
};
use super::store::{self, NewStage};
use crate::db::{TenantTx, TxMode};
use crate::http::context::OrgContext;
use crate::http::error::{ApiError, ApiResult, FieldError, Problem};
use crate::http::json::ApiJson;
use crate::http::path::{ApiPath, ApiQuery};
use crate::http::state::SharedState;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::organizations::Role;
use crate::records::audit_change;
use crate::records::fields::Problems;
use crate::users::fields::display_name;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
        .routes(routes!(add_stage))
        .routes(routes!(patch_stage, delete_stage))
        .routes(routes!(reorder_stages))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineList {
    pub data: Vec<Pipeline>,
}

const MANAGE: &str = "manage pipelines";

fn check_color(problems: &mut Problems, field: &str, raw: &str) -> String {
    let ok =
        raw.len() == 7 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !ok {
        problems.push(field, "must be a color like #1e90ff");
    }
    raw.to_ascii_lowercase()
}

fn check_probability(problems: &mut Problems, field: &str, p: i32) -> i32 {
    if !(0..=100).contains(&p) {
        problems.push(field, "must be between 0 and 100");
    }
    p
}

/// A new stage from input, with defaults for what is missing.
fn new_stage(problems: &mut Problems, prefix: &str, input: &StageInput) -> NewStage {
    let name = problems
        .take(display_name(
            &format!("{prefix}name"),
            input.name.as_deref().unwrap_or(""),
            50,
        ))
        .unwrap_or_default();
    let kind = input.kind.unwrap_or(StageKind::Open);
    NewStage {
        name,
        color: check_color(
            problems,
            &format!("{prefix}color"),
            input.color.as_deref().unwrap_or("#94a3b8"),
        ),
        probability: check_probability(
            problems,
            &format!("{prefix}probability"),
            input.probability.unwrap_or(match kind {
                StageKind::Won | StageKind::Closed => 100,
                StageKind::Lost => 0,
                StageKind::Open => 50,
            }),
        ),
        kind,
    }
}

async fn load(tx: &TenantTx, id: Uuid) -> Result<Pipeline, ApiError> {
    store::get(tx, id)
        .await?
        .ok_or(ApiError::NotFound("pipeline"))
}

fn stage_of(pipeline: &Pipeline, stage_id: Uuid) -> Result<Stage, ApiError> {
    pipeline
        .stages
        .iter()
        .find(|s| s.id == stage_id)
        .cloned()
        .ok_or(ApiError::NotFound("stage"))
}

/// Every pipeline with its stages.
#[utoipa::path(get, path = "/pipelines", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader), responses((status = 200, body = PipelineList)))]
async fn list(State(app): State<SharedState>, ctx: OrgContext) -> ApiResult<ApiJson<PipelineList>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let data = store::list(&tx).await?;
    tx.commit().await?;
    Ok(ApiJson(PipelineList { data }))
}

/// Create a pipeline (manager and above); without `stages` it gets the five default stages.
#[utoipa::path(post, path = "/pipelines", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader), request_body = CreatePipeline,
    responses((status = 201, body = Pipeline), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<CreatePipeline>,
) -> ApiResult<(StatusCode, ApiJson<Pipeline>)> {
    ctx.require(Role::Manager, MANAGE)?;
    let mut problems = Problems::default();
    let name = problems.take(display_name("name", &body.name, 100));
    let stages = match &body.stages {
        None => store::default_stages(),
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
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiJson(pipeline)))
}

/// One pipeline with its stages.
#[utoipa::path(get, path = "/pipelines/{id}", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Pipeline), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Versioned<Pipeline>> {
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
) -> ApiResult<Versioned<Pipeline>> {
    ctx.require(Role::Manager, MANAGE)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, id).await?;
    let version = before.pipeline.version;
    if expected.is_some_and(|v| v != version) {
        return Err(ApiError::PreconditionFailed {
            current_version: version,
        });
    }
    let mut row = before.pipeline.clone();
    if let Some(name) = &body.name {
        row.name = display_name("name", name, 100).map_err(|e| ApiError::Validation(vec![e]))?;
    }
    if body.is_default == Some(false) && row.is_default {
        return Err(ApiError::field(
            "is_default",
            "make another pipeline the default instead",
        ));
    }
    row.is_default = row.is_default || body.is_default == Some(true);
    row.position = body.position.unwrap_or(row.position).max(0);
    if !store::update(&tx, &row, version).await? {
        return Err(ApiError::PreconditionFailed {
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

/// Delete an empty pipeline (not the last one).
#[utoipa::path(delete, path = "/pipelines/{id}", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 409, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    ctx.require(Role::Manager, MANAGE)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, id).await?;
    if store::pipeline_count(&tx).await? <= 1 {
        return Err(ApiError::Conflict {
            code: "last_pipeline",
            detail: "an organization keeps at least one pipeline".into(),
        });
    }
    if store::leads_in_pipeline(&tx, id).await? > 0 {
        return Err(ApiError::Conflict {
            code: "pipeline_has_leads",
            detail: "move or delete this pipeline's leads first".into(),
        });
    }
    store::delete(&tx, id).await?;
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

/// Add a stage at `position` (default: last).
#[utoipa::path(post, path = "/pipelines/{id}/stages", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)), request_body = StageInput,
    responses((status = 201, body = Pipeline), (status = 422, body = Problem)))]
async fn add_stage(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<StageInput>,
) -> ApiResult<(StatusCode, ApiJson<Pipeline>)> {
    ctx.require(Role::Manager, MANAGE)?;
    let mut problems = Problems::default();
    let stage = new_stage(&mut problems, "", &body);
    problems.finish()?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, id).await?;
    if before.stages.len() >= 30 {
        return Err(ApiError::Conflict {
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
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiJson(after)))
}

/// Rename, recolor, or change a stage's probability or kind.
#[utoipa::path(patch, path = "/pipelines/{id}/stages/{stage_id}", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path), ("stage_id" = Uuid, Path)), request_body = StageInput,
    responses((status = 200, body = Pipeline), (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch_stage(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath((id, stage_id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<StageInput>,
) -> ApiResult<ApiJson<Pipeline>> {
    ctx.require(Role::Manager, MANAGE)?;
    if body.position.is_some() {
        return Err(ApiError::BadRequest {
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
    if expected.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed {
            current_version: before.version,
        });
    }
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
        return Err(ApiError::PreconditionFailed {
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
#[utoipa::path(delete, path = "/pipelines/{id}/stages/{stage_id}", tag = "pipelines", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path), ("stage_id" = Uuid, Path), DeleteStageParams),
    responses((status = 200, body = Pipeline), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn delete_stage(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath((id, stage_id)): ApiPath<(Uuid, Uuid)>,
    ApiQuery(params): ApiQuery<DeleteStageParams>,
) -> ApiResult<ApiJson<Pipeline>> {
    ctx.require(Role::Manager, MANAGE)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let pipeline = load(&tx, id).await?;
    let stage = stage_of(&pipeline, stage_id)?;
    if pipeline.stages.len() <= 1 {
        return Err(ApiError::Conflict {
            code: "last_stage",
            detail: "a pipeline keeps at least one stage".into(),
        });
    }
    let holding = store::leads_in_stage(&tx, stage_id).await?;
    if holding > 0 {
        let Some(target_id) = params.target_stage_id else {
            return Err(ApiError::Conflict {
                code: "stage_has_leads",
                detail: format!(
                    "this stage holds {holding} leads: give target_stage_id to move them"
                ),
            });
        };
        if target_id == stage_id {
            return Err(ApiError::field("target_stage_id", "must be another stage"));
        }
        let target = store::stage(&tx, target_id).await?.ok_or_else(|| {
            ApiError::field("target_stage_id", "does not exist in this organization")
        })?;
        crate::leads::store::move_all(&tx, &stage, &target, ctx.user_id()).await?;
    }
    store::delete_stage(&tx, &stage).await?;
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
async fn reorder_stages(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<StageOrder>,
) -> ApiResult<ApiJson<Pipeline>> {
    ctx.require(Role::Manager, MANAGE)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, id).await?;
    let mut given = body.stage_ids.clone();
    given.sort();
    given.dedup();
    let mut existing: Vec<Uuid> = before.stages.iter().map(|s| s.id).collect();
    existing.sort();
    if given.len() != body.stage_ids.len() || given != existing {
        return Err(ApiError::field(
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
