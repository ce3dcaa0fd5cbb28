//! The stages of a pipeline: add, change, delete (moving their leads) and
//! reorder; and the checks a stage's fields go through wherever one is made.

use uuid::Uuid;

use super::model::{Pipeline, Stage, StageInput, StageKind, StageOrder};
use super::store::{self, NewStage};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::organizations::Role;
use crate::records::audit_change;
use crate::records::fields::Problems;
use crate::records::idempotency::Idempotency;
use crate::records::kernel::{Created, check_version};
use crate::users::fields::display_name;

pub(super) const MANAGE: &str = "manage pipelines";

pub(super) fn check_color(problems: &mut Problems, field: &str, raw: &str) -> String {
    let ok =
        raw.len() == 7 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !ok {
        problems.push(field, "must be a color like #1e90ff");
    }
    raw.to_ascii_lowercase()
}

pub(super) fn check_probability(problems: &mut Problems, field: &str, p: i32) -> i32 {
    if !(0..=100).contains(&p) {
        problems.push(field, "must be between 0 and 100");
    }
    p
}

/// A new stage from input, with defaults for what is missing.
pub(super) fn new_stage(problems: &mut Problems, prefix: &str, input: &StageInput) -> NewStage {
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

pub(super) async fn load(tx: &TenantTx, id: Uuid) -> Result<Pipeline, DomainError> {
    store::get(tx, id)
        .await?
        .ok_or(DomainError::NotFound("pipeline"))
}

pub(super) fn stage_of(pipeline: &Pipeline, stage_id: Uuid) -> Result<Stage, DomainError> {
    pipeline
        .stages
        .iter()
        .find(|s| s.id == stage_id)
        .cloned()
        .ok_or(DomainError::NotFound("stage"))
}

/// Adds a stage at `input.position` (default: last); the pipeline after.
/// With a `key`, the same key and request again within 24 hours answers
/// with the first result instead.
pub async fn add(
    app: &SharedState,
    actor: &Actor,
    id: Uuid,
    key: Option<&str>,
    input: StageInput,
) -> DomainResult<Created<Pipeline>> {
    actor.require(Role::Manager, MANAGE)?;
    let idempotency = match (key, actor.user_id()) {
        (Some(_), Some(user)) => Some(Idempotency::new(key, user, &(id, &input))?),
        _ => None,
    };
    let mut problems = Problems::default();
    let stage = new_stage(&mut problems, "", &input);
    problems.finish()?;
    let tx = actor.begin(app, TxMode::Write).await?;
    if let Some(idempotency) = &idempotency
        && let Some(value) = idempotency.replayed_value::<Pipeline>(&tx).await?
    {
        return Ok(Created {
            value,
            replayed: true,
        });
    }
    let before = load(&tx, id).await?;
    if before.stages.len() >= 30 {
        return Err(DomainError::Conflict {
            code: "too_many_stages",
            detail: "a pipeline has at most 30 stages".into(),
        });
    }
    let stage_id = store::add_stage(&tx, &before, input.position, &stage).await?;
    let after = load(&tx, id).await?;
    let added = stage_of(&after, stage_id)?;
    audit_change(
        &tx,
        actor,
        "stage.created",
        "stage",
        stage_id,
        None,
        Some(&added),
    )
    .await?;
    if let Some(idempotency) = &idempotency {
        idempotency
            .remember(&tx, axum::http::StatusCode::CREATED, &after)
            .await?;
    }
    tx.commit().await?;
    Ok(Created {
        value: after,
        replayed: false,
    })
}

/// Renames, recolors, or changes a stage's probability or kind; the
/// pipeline after. `expected` is the stage's version as the caller gave it,
/// or why it could not be read: a malformed one is refused only after the
/// role check and the input's shape.
pub async fn patch(
    app: &SharedState,
    actor: &Actor,
    id: Uuid,
    stage_id: Uuid,
    expected: DomainResult<Option<i64>>,
    input: StageInput,
) -> DomainResult<Pipeline> {
    actor.require(Role::Manager, MANAGE)?;
    if input.position.is_some() {
        return Err(DomainError::BadRequest {
            code: "unknown_field",
            detail: "reorder stages with PUT /pipelines/{id}/stages/order".into(),
            errors: vec![FieldError::new(
                "position",
                "use PUT /pipelines/{id}/stages/order",
            )],
        });
    }
    let expected = expected?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let pipeline = load(&tx, id).await?;
    let before = stage_of(&pipeline, stage_id)?;
    check_version(expected, before.version)?;
    let mut problems = Problems::default();
    let mut after = before.clone();
    if let Some(name) = &input.name {
        after.name = problems
            .take(display_name("name", name, 50))
            .unwrap_or_default();
    }
    if let Some(color) = &input.color {
        after.color = check_color(&mut problems, "color", color);
    }
    if let Some(p) = input.probability {
        after.probability = check_probability(&mut problems, "probability", p);
    }
    if let Some(kind) = input.kind {
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
        actor,
        "stage.updated",
        "stage",
        stage_id,
        Some(&before),
        stage_of(&pipeline, stage_id).ok().as_ref(),
    )
    .await?;
    tx.commit().await?;
    Ok(pipeline)
}

/// Deletes a stage, moving its leads (if any) to `target_stage_id`; the
/// pipeline after. `expected` as for [`patch`]: a stale version is refused
/// before any lead moves.
pub async fn delete(
    app: &SharedState,
    actor: &Actor,
    id: Uuid,
    stage_id: Uuid,
    expected: DomainResult<Option<i64>>,
    target_stage_id: Option<Uuid>,
) -> DomainResult<Pipeline> {
    actor.require(Role::Manager, MANAGE)?;
    let expected = expected?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let pipeline = load(&tx, id).await?;
    let stage = stage_of(&pipeline, stage_id)?;
    check_version(expected, stage.version)?;
    if pipeline.stages.len() <= 1 {
        return Err(DomainError::Conflict {
            code: "last_stage",
            detail: "a pipeline keeps at least one stage".into(),
        });
    }
    let holding = store::leads_in_stage(&tx, stage_id).await?;
    if holding > 0 {
        let Some(target_id) = target_stage_id else {
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
        crate::leads::store::move_all(&tx, &stage, &target, actor.user_id()).await?;
    }
    if !store::delete_stage(&tx, &stage).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: stage.version,
        });
    }
    audit_change(
        &tx,
        actor,
        "stage.deleted",
        "stage",
        stage_id,
        Some(&stage),
        None,
    )
    .await?;
    let after = load(&tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Puts the stages in the order of `order.stage_ids`, which lists every
/// stage once; the pipeline after.
pub async fn reorder(
    app: &SharedState,
    actor: &Actor,
    id: Uuid,
    order: StageOrder,
) -> DomainResult<Pipeline> {
    actor.require(Role::Manager, MANAGE)?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let before = load(&tx, id).await?;
    let mut given = order.stage_ids.clone();
    given.sort();
    given.dedup();
    let mut existing: Vec<Uuid> = before.stages.iter().map(|s| s.id).collect();
    existing.sort();
    if given.len() != order.stage_ids.len() || given != existing {
        return Err(DomainError::field(
            "stage_ids",
            "must list every stage of the pipeline exactly once",
        ));
    }
    store::reorder(&tx, &order.stage_ids).await?;
    let after = load(&tx, id).await?;
    audit_change(
        &tx,
        actor,
        "pipeline.stages_reordered",
        "pipeline",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
