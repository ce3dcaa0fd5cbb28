//! Pipeline and stage queries.

use uuid::Uuid;

use super::model::{DEFAULT_STAGES, Pipeline, PipelineRow, Stage, StageKind, default_names};
use crate::db::{self, DbErr, Row, TenantTx};
use crate::email::Locale;

const PIPELINE_COLUMNS: &str = "SELECT id, name, position, is_default, created_at, updated_at, version FROM pipelines \
     WHERE organization_id = $1";
const STAGE_COLUMNS: &str = "SELECT id, pipeline_id, name, color, probability, kind, position, version FROM stages \
     WHERE organization_id = $1";

/// A stage to create.
pub struct NewStage {
    pub name: String,
    pub color: String,
    pub probability: i32,
    pub kind: StageKind,
}

/// The default stages, named in `locale`.
pub fn default_stages(locale: Locale) -> Vec<NewStage> {
    let (_, names) = default_names(locale);
    DEFAULT_STAGES
        .iter()
        .zip(names)
        .map(|((_, color, probability, kind), name)| NewStage {
            name: name.into(),
            color: (*color).into(),
            probability: *probability,
            kind: *kind,
        })
        .collect()
}

/// Gives a new organization its first pipeline, named in `locale`.
pub async fn create_default(tx: &TenantTx, actor: Uuid, locale: Locale) -> Result<Pipeline, DbErr> {
    let (name, _) = default_names(locale);
    create(tx, name, true, default_stages(locale), actor).await
}

pub async fn create(
    tx: &TenantTx,
    name: &str,
    is_default: bool,
    stages: Vec<NewStage>,
    actor: Uuid,
) -> Result<Pipeline, DbErr> {
    let id = Uuid::now_v7();
    let now = db::now();
    let position = count(
        tx,
        "SELECT COUNT(*) AS n FROM pipelines WHERE organization_id = $1",
        vec![],
    )
    .await?;
    if is_default {
        clear_default(tx).await?;
    }
    db::exec(
        &**tx,
        "INSERT INTO pipelines (organization_id, id, name, position, is_default, created_by, \
         created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)",
        vec![
            tx.org_id().into(),
            id.into(),
            name.into(),
            (position as i32).into(),
            is_default.into(),
            actor.into(),
            now.into(),
        ],
    )
    .await?;
    for (i, stage) in stages.into_iter().enumerate() {
        insert_stage_row(tx, id, i as i32, &stage).await?;
    }
    get(tx, id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("pipeline just created".into()))
}

async fn insert_stage_row(
    tx: &TenantTx,
    pipeline_id: Uuid,
    position: i32,
    s: &NewStage,
) -> Result<Uuid, DbErr> {
    let id = Uuid::now_v7();
    db::exec(
        &**tx,
        "INSERT INTO stages (organization_id, id, pipeline_id, name, color, probability, kind, \
         position, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1)",
        vec![
            tx.org_id().into(),
            id.into(),
            pipeline_id.into(),
            s.name.clone().into(),
            s.color.clone().into(),
            s.probability.into(),
            s.kind.as_str().into(),
            position.into(),
            db::now().into(),
        ],
    )
    .await?;
    Ok(id)
}

/// Inserts a stage at `position` (clamped), shifting the later ones.
pub async fn add_stage(
    tx: &TenantTx,
    pipeline: &Pipeline,
    position: Option<i32>,
    s: &NewStage,
) -> Result<Uuid, DbErr> {
    let last = pipeline.stages.len() as i32;
    let position = position.unwrap_or(last).clamp(0, last);
    db::exec(
        &**tx,
        "UPDATE stages SET position = position + 1 WHERE organization_id = $1 AND pipeline_id = $2 \
         AND position >= $3",
        vec![
            tx.org_id().into(),
            pipeline.pipeline.id.into(),
            position.into(),
        ],
    )
    .await?;
    insert_stage_row(tx, pipeline.pipeline.id, position, s).await
}

#[derive(Row)]
struct Count {
    n: i64,
}

async fn count(tx: &TenantTx, sql: &str, mut more: Vec<sea_orm::Value>) -> Result<i64, DbErr> {
    let mut values = vec![tx.org_id().into()];
    values.append(&mut more);
    let row: Option<Count> = db::fetch_one(&**tx, sql, values).await?;
    Ok(row.map_or(0, |c| c.n))
}

pub async fn leads_in_stage(tx: &TenantTx, stage_id: Uuid) -> Result<i64, DbErr> {
    count(
        tx,
        "SELECT COUNT(*) AS n FROM leads WHERE organization_id = $1 AND stage_id = $2",
        vec![stage_id.into()],
    )
    .await
}

pub async fn leads_in_pipeline(tx: &TenantTx, pipeline_id: Uuid) -> Result<i64, DbErr> {
    count(
        tx,
        "SELECT COUNT(*) AS n FROM leads WHERE organization_id = $1 AND pipeline_id = $2",
        vec![pipeline_id.into()],
    )
    .await
}

pub async fn pipeline_count(tx: &TenantTx) -> Result<i64, DbErr> {
    count(
        tx,
        "SELECT COUNT(*) AS n FROM pipelines WHERE organization_id = $1",
        vec![],
    )
    .await
}

async fn with_stages(tx: &TenantTx, rows: Vec<PipelineRow>) -> Result<Vec<Pipeline>, DbErr> {
    let stages: Vec<Stage> = db::fetch_all(
        &**tx,
        &format!("{STAGE_COLUMNS} ORDER BY pipeline_id, position"),
        vec![tx.org_id().into()],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|p| Pipeline {
            stages: stages
                .iter()
                .filter(|s| s.pipeline_id == p.id)
                .cloned()
                .collect(),
            pipeline: p,
        })
        .collect())
}

pub async fn list(tx: &TenantTx) -> Result<Vec<Pipeline>, DbErr> {
    let rows = db::fetch_all(
        &**tx,
        &format!("{PIPELINE_COLUMNS} ORDER BY position, id"),
        vec![tx.org_id().into()],
    )
    .await?;
    with_stages(tx, rows).await
}

pub async fn get(tx: &TenantTx, id: Uuid) -> Result<Option<Pipeline>, DbErr> {
    let row: Option<PipelineRow> = db::fetch_one(
        &**tx,
        &format!("{PIPELINE_COLUMNS} AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    let Some(row) = row else { return Ok(None) };
    let stages = db::fetch_all(
        &**tx,
        &format!("{STAGE_COLUMNS} AND pipeline_id = $2 ORDER BY position"),
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(Some(Pipeline {
        pipeline: row,
        stages,
    }))
}

pub async fn default_pipeline(tx: &TenantTx) -> Result<Option<Pipeline>, DbErr> {
    let row: Option<PipelineRow> = db::fetch_one(
        &**tx,
        &format!("{PIPELINE_COLUMNS} ORDER BY is_default DESC, position, id LIMIT 1"),
        vec![tx.org_id().into()],
    )
    .await?;
    match row {
        Some(r) => get(tx, r.id).await,
        None => Ok(None),
    }
}

pub async fn stage(tx: &TenantTx, id: Uuid) -> Result<Option<Stage>, DbErr> {
    db::fetch_one(
        &**tx,
        &format!("{STAGE_COLUMNS} AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await
}

async fn clear_default(tx: &TenantTx) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "UPDATE pipelines SET is_default = $2 WHERE organization_id = $1 AND is_default = $3",
        vec![tx.org_id().into(), false.into(), true.into()],
    )
    .await?;
    Ok(())
}

/// Saves name, position and default flag if still at `expected` version.
pub async fn update(tx: &TenantTx, p: &PipelineRow, expected: i64) -> Result<bool, DbErr> {
    if p.is_default {
        clear_default(tx).await?;
    }
    let n = db::exec(
        &**tx,
        "UPDATE pipelines SET name = $3, position = $4, is_default = $5, updated_at = $6, \
         version = version + 1 WHERE organization_id = $1 AND id = $2 AND version = $7",
        vec![
            tx.org_id().into(),
            p.id.into(),
            p.name.clone().into(),
            p.position.into(),
            p.is_default.into(),
            db::now().into(),
            expected.into(),
        ],
    )
    .await?;
    Ok(n == 1)
}

/// Deletes the pipeline (and its stages) if still at `version`; false when
/// someone else changed it first.
pub async fn delete(tx: &TenantTx, id: Uuid, version: i64) -> Result<bool, DbErr> {
    let n = db::exec(
        &**tx,
        "DELETE FROM pipelines WHERE organization_id = $1 AND id = $2 AND version = $3",
        vec![tx.org_id().into(), id.into(), version.into()],
    )
    .await?;
    if n == 0 {
        return Ok(false);
    }
    // Some pipeline must stay the default.
    db::exec(
        &**tx,
        "UPDATE pipelines SET is_default = $2 WHERE organization_id = $1 AND id = \
         (SELECT id FROM pipelines WHERE organization_id = $1 ORDER BY is_default DESC, position, id LIMIT 1)",
        vec![tx.org_id().into(), true.into()],
    )
    .await?;
    Ok(true)
}

pub async fn update_stage(tx: &TenantTx, s: &Stage, expected: i64) -> Result<bool, DbErr> {
    let n = db::exec(
        &**tx,
        "UPDATE stages SET name = $3, color = $4, probability = $5, kind = $6, updated_at = $7, \
         version = version + 1 WHERE organization_id = $1 AND id = $2 AND version = $8",
        vec![
            tx.org_id().into(),
            s.id.into(),
            s.name.clone().into(),
            s.color.clone().into(),
            s.probability.into(),
            s.kind.clone().into(),
            db::now().into(),
            expected.into(),
        ],
    )
    .await?;
    Ok(n == 1)
}

/// Renumbers the stages in the given order (the caller checked it is a
/// permutation of the pipeline's stages).
pub async fn reorder(tx: &TenantTx, order: &[Uuid]) -> Result<(), DbErr> {
    for (i, id) in order.iter().enumerate() {
        db::exec(
            &**tx,
            "UPDATE stages SET position = $3, updated_at = $4, version = version + 1 \
             WHERE organization_id = $1 AND id = $2",
            vec![
                tx.org_id().into(),
                (*id).into(),
                (i as i32).into(),
                db::now().into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Deletes a stage after its leads were moved elsewhere; closes the gap.
/// Deletes `stage` if still at its version and closes the gap it leaves;
/// false when someone else changed it first.
pub async fn delete_stage(tx: &TenantTx, stage: &Stage) -> Result<bool, DbErr> {
    let n = db::exec(
        &**tx,
        "DELETE FROM stages WHERE organization_id = $1 AND id = $2 AND version = $3",
        vec![tx.org_id().into(), stage.id.into(), stage.version.into()],
    )
    .await?;
    if n == 0 {
        return Ok(false);
    }
    db::exec(
        &**tx,
        "UPDATE stages SET position = position - 1 WHERE organization_id = $1 AND pipeline_id = $2 AND position > $3",
        vec![tx.org_id().into(), stage.pipeline_id.into(), stage.position.into()],
    )
    .await?;
    Ok(true)
}
