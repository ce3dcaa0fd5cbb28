//! The Kanban board of a pipeline: every column's count and totals per
//! currency and its first cards with their next task, each column paged on
//! its own, all filtered alike (owner, tags, words).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::model::{Lead, LeadOut};
use super::resource::{LISTING, cursor_key, with_tags};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{self, Row, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::lists::{self, ListQuery, page};
use crate::organizations::permissions::Permission;
use crate::pipelines::{Pipeline, Stage, StageKind, store as pipelines};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// Cards per column, 1 to 100 (default 20).
    pub per_stage: Option<u64>,
    /// Only the leads assigned to this member (`me` for the caller).
    pub assigned_to: Option<String>,
    /// Only the leads with any of these comma-separated tags.
    pub tags: Option<String>,
    /// Only the leads these words find (as `q` on `/leads`).
    pub q: Option<String>,
}

/// What one currency adds up to in a column.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurrencyTotal {
    /// ISO 4217.
    pub currency: String,
    pub count: i64,
    /// Sum of `estimated_value`.
    pub value: f64,
    /// Sum of `estimated_value × probability`.
    pub weighted: f64,
}

/// A closing column's leads by outcome.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Outcomes {
    pub won: i64,
    pub lost: i64,
}

/// The earliest open task of a lead.
#[derive(Debug, Clone, Serialize, ToSchema, Row)]
pub struct NextTask {
    pub id: Uuid,
    pub name: String,
    pub due_date: Option<DateTime<Utc>>,
    /// Its due time has passed.
    pub overdue: bool,
}

/// A lead as its card shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Card {
    #[serde(flatten)]
    pub lead: LeadOut,
    /// Its earliest open task, if it has one.
    pub next_task: Option<NextTask>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Column {
    pub stage: Stage,
    /// Leads in the stage (that the filters keep).
    pub count: i64,
    /// Sum of `estimated_value` of the leads in the organization's default
    /// currency (`totals` has every currency apart).
    pub value_total: f64,
    /// The same, weighted by probability.
    pub weighted_value: f64,
    /// Totals per currency, largest count first: never one currency's
    /// symbol on another's sum.
    pub totals: Vec<CurrencyTotal>,
    /// For a closing stage, how many were won and lost.
    pub outcomes: Option<Outcomes>,
    /// The first cards, in column order.
    pub leads: Vec<Card>,
    /// Continue the column with `GET /leads?stage_id=<id>&sort=position&cursor=<this>`
    /// (and the same filters).
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Board {
    pub pipeline: Pipeline,
    /// The organization's default currency (what `value_total` counts).
    pub currency: String,
    pub columns: Vec<Column>,
}

#[derive(Row)]
struct Totals {
    stage_id: Uuid,
    currency: String,
    status: String,
    n: i64,
    total: f64,
    weighted: f64,
}

/// The filters as `/leads` query parameters (shared by the cards and the
/// totals, and given back for paging a column further).
fn filters(ctx: &Actor, params: &BoardParams) -> DomainResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    match params.assigned_to.as_deref() {
        Some("me") => out.push(("assigned_to[eq]".into(), ctx.member()?.to_string())),
        Some(id) => {
            let id: Uuid = id
                .parse()
                .map_err(|_| bad("assigned_to", "must be a member id or `me`"))?;
            out.push(("assigned_to[eq]".into(), id.to_string()));
        }
        None => {}
    }
    if let Some(tags) = params.tags.as_deref().filter(|t| !t.trim().is_empty()) {
        out.push(("tags".into(), tags.to_string()));
    }
    if let Some(q) = params.q.as_deref().filter(|q| !q.trim().is_empty()) {
        out.push(("q".into(), q.to_string()));
    }
    Ok(out)
}

fn bad(field: &str, message: &str) -> DomainError {
    DomainError::BadRequest {
        code: "invalid_query",
        detail: format!("{field} {message}"),
        errors: vec![FieldError::new(field, message)],
    }
}

fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The board of pipeline `id` as the actor may see it, filtered.
pub async fn board(
    app: &SharedState,
    ctx: &Actor,
    id: Uuid,
    params: BoardParams,
) -> DomainResult<Board> {
    ctx.require_on(Permission::Read, "pipelines")?;
    let per_stage = params.per_stage.unwrap_or(20);
    if !(1..=100).contains(&per_stage) {
        return Err(bad("per_stage", "must be between 1 and 100"));
    }
    let filters = filters(ctx, &params)?;
    let tx = ctx.begin(app, TxMode::Read).await?;
    let pipeline = pipelines::get(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("pipeline"))?;
    let currency = crate::organizations::store::default_currency(&tx).await?;
    let mut pairs = filters.clone();
    pairs.push(("pipeline_id".into(), id.to_string()));
    let totals = totals(&tx, ctx, &LISTING.parse(Some(&encode(&pairs)), &[])?).await?;
    // Each column's first cards, then the tags and next tasks of all at once.
    let mut pages = Vec::with_capacity(pipeline.stages.len());
    for stage in &pipeline.stages {
        let mut pairs = filters.clone();
        pairs.push(("stage_id".into(), stage.id.to_string()));
        pairs.push(("sort".into(), "position".into()));
        pairs.push(("limit".into(), per_stage.to_string()));
        let query = LISTING.parse(Some(&encode(&pairs)), &[])?;
        let (rows, _) = LISTING.fetch::<Lead>(&tx, ctx, &query, Vec::new()).await?;
        pages.push(page(rows, &query, cursor_key)?);
    }
    let sizes: Vec<usize> = pages.iter().map(|p| p.data.len()).collect();
    let leads: Vec<Lead> = pages
        .iter_mut()
        .flat_map(|p| std::mem::take(&mut p.data))
        .collect();
    let ids: Vec<Uuid> = leads.iter().map(|l| l.id).collect();
    let mut next = next_tasks(&tx, &ids).await?;
    let mut cards = with_tags(&tx, leads).await?.into_iter().map(|lead| Card {
        next_task: next.remove(&lead.lead.id),
        lead,
    });
    let mut columns = Vec::with_capacity(pipeline.stages.len());
    for ((stage, cards_page), size) in pipeline.stages.iter().zip(pages).zip(sizes) {
        let mine: Vec<&Totals> = totals.iter().filter(|t| t.stage_id == stage.id).collect();
        let by_currency = per_currency(&mine);
        let main = by_currency.iter().find(|t| t.currency == currency);
        let closing = matches!(
            stage.kind(),
            StageKind::Closed | StageKind::Won | StageKind::Lost
        );
        columns.push(Column {
            stage: stage.clone(),
            count: mine.iter().map(|t| t.n).sum(),
            value_total: main.map_or(0.0, |t| t.value),
            weighted_value: main.map_or(0.0, |t| t.weighted),
            totals: by_currency,
            outcomes: closing.then(|| Outcomes {
                won: mine.iter().filter(|t| t.status == "won").map(|t| t.n).sum(),
                lost: mine
                    .iter()
                    .filter(|t| t.status == "lost")
                    .map(|t| t.n)
                    .sum(),
            }),
            leads: cards.by_ref().take(size).collect(),
            next_cursor: cards_page.next_cursor,
        });
    }
    tx.commit().await?;
    Ok(Board {
        pipeline,
        currency,
        columns,
    })
}

/// Count and sums per stage, currency and status of the leads `query`
/// (filters, owner, tags, words) and visibility keep.
async fn totals(tx: &TenantTx, ctx: &Actor, query: &ListQuery) -> DomainResult<Vec<Totals>> {
    let backend = tx.get_database_backend();
    let mut select = query.count_select(LISTING.spec, tx.org_id());
    select
        .clear_selects()
        .column(Alias::new("stage_id"))
        .column(Alias::new("currency"))
        .column(Alias::new("status"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .expr_as(
            Expr::cust("COALESCE(SUM(estimated_value), 0.0)"),
            Alias::new("total"),
        )
        .expr_as(
            Expr::cust(
                "COALESCE(SUM(estimated_value * CAST(COALESCE(probability, 0) AS DOUBLE PRECISION) / 100), 0.0)",
            ),
            Alias::new("weighted"),
        )
        .group_by_col(Alias::new("stage_id"))
        .group_by_col(Alias::new("currency"))
        .group_by_col(Alias::new("status"));
    for c in LISTING.conditions(tx, ctx, query)? {
        select.and_where(c);
    }
    Ok(Totals::find_by_statement(lists::build(&select, backend))
        .all(&**tx)
        .await?)
}

fn per_currency(rows: &[&Totals]) -> Vec<CurrencyTotal> {
    let mut out: Vec<CurrencyTotal> = Vec::new();
    for t in rows {
        match out.iter_mut().find(|c| c.currency == t.currency) {
            Some(c) => {
                c.count += t.n;
                c.value += t.total;
                c.weighted += t.weighted;
            }
            None => out.push(CurrencyTotal {
                currency: t.currency.clone(),
                count: t.n,
                value: t.total,
                weighted: t.weighted,
            }),
        }
    }
    for c in &mut out {
        c.value = (c.value * 100.0).round() / 100.0;
        c.weighted = (c.weighted * 100.0).round() / 100.0;
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.currency.cmp(&b.currency)));
    out
}

#[derive(Row)]
struct OpenTask {
    lead_id: Uuid,
    id: Uuid,
    name: String,
    due_date: Option<DateTime<Utc>>,
}

/// Each lead's earliest open task (by due time, undated last).
async fn next_tasks(tx: &TenantTx, leads: &[Uuid]) -> DomainResult<HashMap<Uuid, NextTask>> {
    let mut out = HashMap::new();
    if leads.is_empty() {
        return Ok(out);
    }
    let mut values: Vec<sea_orm::Value> = vec![tx.org_id().into()];
    let marks: Vec<String> = leads
        .iter()
        .map(|id| {
            values.push((*id).into());
            format!("${}", values.len())
        })
        .collect();
    let rows: Vec<OpenTask> = db::fetch_all(
        &**tx,
        &format!(
            "SELECT lead_id, id, name, due_date FROM tasks WHERE organization_id = $1 \
             AND status <> 'done' AND lead_id IN ({}) \
             ORDER BY lead_id, CASE WHEN due_date IS NULL THEN 1 ELSE 0 END, due_date, id",
            marks.join(", ")
        ),
        values,
    )
    .await?;
    let now = db::now();
    for t in rows {
        out.entry(t.lead_id).or_insert(NextTask {
            id: t.id,
            name: t.name,
            overdue: t.due_date.is_some_and(|d| d < now),
            due_date: t.due_date,
        });
    }
    Ok(out)
}
