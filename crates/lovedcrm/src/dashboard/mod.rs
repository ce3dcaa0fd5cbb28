//! `GET /dashboard`: the figures a sales team opens the CRM to see — open
//! pipeline, forecast, this month's wins, tasks due, the funnel, where leads
//! come from and how much the team talked to people.
//!
//! Every figure honours record visibility: a `sales` member's dashboard is
//! built from the leads, tasks and conversations they can see.

mod queries;
mod routes;

pub use routes::router;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::TxMode;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::pipelines::store as pipelines;

#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub pipeline_id: Uuid,
    /// The most used currency among the pipeline's open leads; money figures
    /// count only leads in this currency.
    pub currency: String,
    pub days: i64,
    pub kpis: Kpis,
    pub funnel: Vec<FunnelStage>,
    pub sources: Vec<SourceCount>,
    pub activity: Vec<ActivityDay>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Kpis {
    pub open_leads: i64,
    pub pipeline_value: f64,
    /// Sum of value × probability (the lead's, else its stage's).
    pub weighted_forecast: f64,
    pub won_this_month: WonThisMonth,
    /// The caller's open tasks due by the end of today, overdue ones included.
    pub tasks_due: i64,
    /// The caller's open tasks whose due time has passed.
    pub tasks_overdue: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WonThisMonth {
    pub count: i64,
    pub value: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelStage {
    pub stage_id: Uuid,
    pub name: String,
    pub color: String,
    pub kind: String,
    pub count: i64,
    pub value: f64,
}

#[derive(Debug, Serialize, ToSchema, crate::db::Row)]
pub struct SourceCount {
    pub source: String,
    pub count: i64,
}

/// Communications logged on one day (UTC), by channel.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ActivityDay {
    pub date: NaiveDate,
    pub call: i64,
    pub email: i64,
    pub meeting: i64,
    pub whatsapp: i64,
    pub sms: i64,
    pub note: i64,
}

/// The dashboard of `pipeline_id` (default: the organization's default
/// pipeline) over the last `days` (7 to 365, default 30), as the actor sees it.
pub async fn of_pipeline(
    app: &SharedState,
    actor: &Actor,
    pipeline_id: Option<Uuid>,
    days: Option<i64>,
) -> DomainResult<Dashboard> {
    let days = days.unwrap_or(30);
    if !(7..=365).contains(&days) {
        return Err(DomainError::BadRequest {
            code: "invalid_query",
            detail: "days must be between 7 and 365".into(),
            errors: vec![FieldError::new("days", "must be between 7 and 365")],
        });
    }
    let tx = actor.begin(app, TxMode::Read).await?;
    let pipeline = match pipeline_id {
        Some(id) => pipelines::get(&tx, id).await?,
        None => pipelines::default_pipeline(&tx).await?,
    }
    .ok_or(DomainError::NotFound("pipeline"))?;

    let now = Utc::now();
    let today = now.date_naive();
    let since = today - Duration::days(days - 1);
    let q = queries::Scope {
        tx: &tx,
        actor,
        pipeline_id: pipeline.pipeline.id,
    };
    let currency = q.main_currency().await?;
    let open = q.open_totals(&currency).await?;
    let month_start = today.with_day0(0).unwrap_or(today);
    let won = q.won_since(&currency, month_start).await?;
    let (tasks_due, tasks_overdue) = q.my_tasks_due(now, today).await?;
    let by_stage = q.stage_totals(&currency).await?;
    let sources = q.sources_since(since).await?;
    let activity = q.activity_since(since, today).await?;
    tx.commit().await?;

    let funnel = pipeline
        .stages
        .iter()
        .map(|s| {
            let t = by_stage.iter().find(|t| t.stage_id == s.id);
            FunnelStage {
                stage_id: s.id,
                name: s.name.clone(),
                color: s.color.clone(),
                kind: s.kind.clone(),
                count: t.map_or(0, |t| t.n),
                value: cents(t.map_or(0.0, |t| t.value)),
            }
        })
        .collect();
    Ok(Dashboard {
        pipeline_id: pipeline.pipeline.id,
        currency,
        days,
        kpis: Kpis {
            open_leads: open.n,
            pipeline_value: cents(open.value),
            weighted_forecast: cents(open.weighted),
            won_this_month: WonThisMonth {
                count: won.n,
                value: cents(won.value),
            },
            tasks_due,
            tasks_overdue,
        },
        funnel,
        sources,
        activity,
    })
}

fn cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
