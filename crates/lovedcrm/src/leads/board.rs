//! The Kanban board of a pipeline: every column's count and value totals
//! and its first cards, each column paged on its own.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ENTITY;
use super::model::{Lead, LeadOut};
use super::resource::{LISTING, PEOPLE, cursor_key, with_tags};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{self, Row, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::lists::page;
use crate::organizations::permissions::Permission;
use crate::pipelines::{Pipeline, Stage, store as pipelines};
use crate::records::visibility;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// Cards per column, 1 to 100 (default 20).
    pub per_stage: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Column {
    pub stage: Stage,
    /// Leads in the stage.
    pub count: i64,
    /// Sum of `estimated_value`.
    pub value_total: f64,
    /// Sum of `estimated_value × probability`.
    pub weighted_value: f64,
    /// The first cards, in column order.
    pub leads: Vec<LeadOut>,
    /// Continue the column with `GET /leads?stage_id=<id>&sort=position&cursor=<this>`.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Board {
    pub pipeline: Pipeline,
    pub columns: Vec<Column>,
}

#[derive(Row)]
struct Totals {
    stage_id: Uuid,
    n: i64,
    total: f64,
    weighted: f64,
}

/// The board of pipeline `id` as the actor may see it.
pub async fn board(
    app: &SharedState,
    ctx: &Actor,
    id: Uuid,
    params: BoardParams,
) -> DomainResult<Board> {
    ctx.require_on(Permission::Read, "pipelines")?;
    let per_stage = params.per_stage.unwrap_or(20);
    if !(1..=100).contains(&per_stage) {
        return Err(DomainError::BadRequest {
            code: "invalid_query",
            detail: "per_stage must be between 1 and 100".into(),
            errors: vec![crate::error::FieldError::new(
                "per_stage",
                "must be between 1 and 100",
            )],
        });
    }
    let tx = ctx.begin(app, TxMode::Read).await?;
    let pipeline = pipelines::get(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("pipeline"))?;
    let (visible, extra) = visibility::sql(ctx, "leads", ENTITY, PEOPLE, 3);
    let mut values = vec![tx.org_id().into(), id.into()];
    values.extend(extra);
    let totals: Vec<Totals> = db::fetch_all(
        &*tx,
        &format!(
            "SELECT stage_id, COUNT(*) AS n, COALESCE(SUM(estimated_value), 0.0) AS total, \
             COALESCE(SUM(estimated_value * CAST(COALESCE(probability, 0) AS DOUBLE PRECISION) / 100), 0.0) AS weighted \
             FROM leads WHERE organization_id = $1 AND pipeline_id = $2 AND {visible} GROUP BY stage_id"
        ),
        values,
    )
    .await?;
    // Each column's first cards, then the tags of all of them at once.
    let mut pages = Vec::with_capacity(pipeline.stages.len());
    for stage in &pipeline.stages {
        let raw = format!("stage_id={}&sort=position&limit={per_stage}", stage.id);
        let query = LISTING.parse(Some(&raw), &[])?;
        let (rows, _) = LISTING.fetch::<Lead>(&tx, ctx, &query, Vec::new()).await?;
        pages.push(page(rows, &query, cursor_key)?);
    }
    let sizes: Vec<usize> = pages.iter().map(|p| p.data.len()).collect();
    let mut cards = with_tags(
        &tx,
        pages
            .iter_mut()
            .flat_map(|p| std::mem::take(&mut p.data))
            .collect(),
    )
    .await?
    .into_iter();
    let mut columns = Vec::with_capacity(pipeline.stages.len());
    for ((stage, cards_page), size) in pipeline.stages.iter().zip(pages).zip(sizes) {
        let t = totals.iter().find(|t| t.stage_id == stage.id);
        columns.push(Column {
            stage: stage.clone(),
            count: t.map_or(0, |t| t.n),
            value_total: t.map_or(0.0, |t| (t.total * 100.0).round() / 100.0),
            weighted_value: t.map_or(0.0, |t| (t.weighted * 100.0).round() / 100.0),
            leads: cards.by_ref().take(size).collect(),
            next_cursor: cards_page.next_cursor,
        });
    }
    tx.commit().await?;
    Ok(Board { pipeline, columns })
}
