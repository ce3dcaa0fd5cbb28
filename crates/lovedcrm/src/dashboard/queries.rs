//! The dashboard's aggregate queries, each limited to what the caller may see.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Value};
use uuid::Uuid;

use super::{ActivityDay, SourceCount};
use crate::actor::Actor;
use crate::db::{self, DbErr, Row, TenantTx};
use crate::records::visibility;

const LEAD_PEOPLE: &[&str] = &["assigned_to", "created_by"];

pub struct Scope<'a> {
    pub tx: &'a TenantTx,
    pub actor: &'a Actor,
    pub pipeline_id: Uuid,
}

#[derive(Row)]
pub struct Totals {
    pub n: i64,
    pub value: f64,
    pub weighted: f64,
}

#[derive(Row)]
pub struct StageTotals {
    pub stage_id: Uuid,
    pub n: i64,
    pub value: f64,
}

#[derive(Row)]
struct Currency {
    currency: String,
}

#[derive(Row)]
struct DayChannel {
    day: String,
    channel: String,
    n: i64,
}

impl Scope<'_> {
    /// `$1` = organization, `$2` = pipeline, then the visibility values; more
    /// parameters continue after the returned count.
    fn leads_where(&self) -> (String, Vec<Value>) {
        let (visible, extra) = visibility::sql(self.actor, "l", "lead", LEAD_PEOPLE, 3);
        let mut values: Vec<Value> = vec![self.tx.org_id().into(), self.pipeline_id.into()];
        values.extend(extra);
        (
            format!("l.organization_id = $1 AND l.pipeline_id = $2 AND {visible}"),
            values,
        )
    }

    pub async fn main_currency(&self) -> Result<String, DbErr> {
        let (cond, values) = self.leads_where();
        let top: Option<Currency> = db::fetch_one(
            &**self.tx,
            &format!(
                "SELECT l.currency FROM leads l WHERE {cond} AND l.status = 'open' \
                 GROUP BY l.currency ORDER BY COUNT(*) DESC, l.currency LIMIT 1"
            ),
            values,
        )
        .await?;
        match top {
            Some(c) => Ok(c.currency),
            None => crate::organizations::store::default_currency(self.tx).await,
        }
    }

    pub async fn open_totals(&self, currency: &str) -> Result<Totals, DbErr> {
        let (cond, mut values) = self.leads_where();
        let n = values.len() + 1;
        values.push(currency.into());
        let totals: Option<Totals> = db::fetch_one(
            &**self.tx,
            &format!(
                "SELECT COUNT(*) AS n, \
                 COALESCE(SUM(CASE WHEN l.currency = ${n} THEN l.estimated_value END), 0.0) AS value, \
                 COALESCE(SUM(CASE WHEN l.currency = ${n} THEN l.estimated_value \
                   * CAST(COALESCE(l.probability, s.probability) AS DOUBLE PRECISION) / 100 END), 0.0) AS weighted \
                 FROM leads l JOIN stages s ON s.organization_id = l.organization_id AND s.id = l.stage_id \
                 WHERE {cond} AND l.status = 'open'"
            ),
            values,
        )
        .await?;
        Ok(totals.unwrap_or(Totals {
            n: 0,
            value: 0.0,
            weighted: 0.0,
        }))
    }

    pub async fn won_since(&self, currency: &str, since: NaiveDate) -> Result<Totals, DbErr> {
        let (cond, mut values) = self.leads_where();
        let n = values.len() + 1;
        values.push(currency.into());
        values.push(start_of(since).into());
        let totals: Option<Totals> = db::fetch_one(
            &**self.tx,
            &format!(
                "SELECT COUNT(*) AS n, \
                 COALESCE(SUM(CASE WHEN l.currency = ${n} THEN l.estimated_value END), 0.0) AS value, \
                 CAST(0 AS DOUBLE PRECISION) AS weighted FROM leads l \
                 WHERE {cond} AND l.status = 'won' AND l.closed_at >= ${}",
                n + 1
            ),
            values,
        )
        .await?;
        Ok(totals.unwrap_or(Totals {
            n: 0,
            value: 0.0,
            weighted: 0.0,
        }))
    }

    pub async fn stage_totals(&self, currency: &str) -> Result<Vec<StageTotals>, DbErr> {
        let (cond, mut values) = self.leads_where();
        let n = values.len() + 1;
        values.push(currency.into());
        db::fetch_all(
            &**self.tx,
            &format!(
                "SELECT l.stage_id, COUNT(*) AS n, \
                 COALESCE(SUM(CASE WHEN l.currency = ${n} THEN l.estimated_value END), 0.0) AS value \
                 FROM leads l WHERE {cond} GROUP BY l.stage_id"
            ),
            values,
        )
        .await
    }

    pub async fn sources_since(&self, since: NaiveDate) -> Result<Vec<SourceCount>, DbErr> {
        let (cond, mut values) = self.leads_where();
        let n = values.len() + 1;
        values.push(start_of(since).into());
        db::fetch_all(
            &**self.tx,
            &format!(
                "SELECT l.source, COUNT(*) AS count FROM leads l \
                 WHERE {cond} AND l.created_at >= ${n} GROUP BY l.source ORDER BY count DESC, l.source"
            ),
            values,
        )
        .await
    }

    /// The caller's own open tasks: (due by the end of today, overdue).
    pub async fn my_tasks_due(
        &self,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(i64, i64), DbErr> {
        let totals: Option<Totals> = db::fetch_one(
            &**self.tx,
            "SELECT COALESCE(SUM(CASE WHEN due_date < $3 THEN 1 ELSE 0 END), 0) AS n, \
             CAST(COALESCE(SUM(CASE WHEN due_date < $4 THEN 1 ELSE 0 END), 0) AS DOUBLE PRECISION) AS value, \
             CAST(0 AS DOUBLE PRECISION) AS weighted FROM tasks \
             WHERE organization_id = $1 AND assignee_id = $2 AND status <> 'done' AND due_date IS NOT NULL",
            vec![
                self.tx.org_id().into(),
                self.actor.user_id().into(),
                start_of(today + Duration::days(1)).into(),
                now.into(),
            ],
        )
        .await?;
        Ok(totals.map_or((0, 0), |t| (t.n, t.value as i64)))
    }

    /// Communications per day and channel since `since` (UTC days), on the
    /// leads and contacts the caller may see.
    pub async fn activity_since(
        &self,
        since: NaiveDate,
        today: NaiveDate,
    ) -> Result<Vec<ActivityDay>, DbErr> {
        let day = match self.tx.get_database_backend() {
            DbBackend::Postgres => "to_char(c.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            _ => "substr(c.sent_at, 1, 10)",
        };
        let (leads, lead_values) = visibility::sql(self.actor, "l", "lead", LEAD_PEOPLE, 3);
        let (contacts, contact_values) = visibility::sql(
            self.actor,
            "ct",
            "contact",
            &["owner_id", "created_by"],
            3 + lead_values.len(),
        );
        let mut values: Vec<Value> = vec![self.tx.org_id().into(), start_of(since).into()];
        values.extend(lead_values);
        values.extend(contact_values);
        let rows: Vec<DayChannel> = db::fetch_all(
            &**self.tx,
            &format!(
                "SELECT {day} AS day, c.channel, COUNT(*) AS n FROM communications c \
                 LEFT JOIN leads l ON l.organization_id = c.organization_id AND l.id = c.lead_id \
                 LEFT JOIN contacts ct ON ct.organization_id = c.organization_id AND ct.id = c.contact_id \
                 WHERE c.organization_id = $1 AND c.sent_at >= $2 \
                 AND ((l.id IS NOT NULL AND {leads}) OR (ct.id IS NOT NULL AND {contacts})) \
                 GROUP BY 1, c.channel"
            ),
            values,
        )
        .await?;
        let mut days: Vec<ActivityDay> = since
            .iter_days()
            .take_while(|d| *d <= today)
            .map(|date| ActivityDay {
                date,
                ..ActivityDay::default()
            })
            .collect();
        for row in rows {
            let Ok(date) = NaiveDate::parse_from_str(&row.day, "%Y-%m-%d") else {
                continue;
            };
            let Some(slot) = days.iter_mut().find(|d| d.date == date) else {
                continue;
            };
            match row.channel.as_str() {
                "call" => slot.call += row.n,
                "email" => slot.email += row.n,
                "meeting" => slot.meeting += row.n,
                "whatsapp" => slot.whatsapp += row.n,
                "sms" => slot.sms += row.n,
                "note" => slot.note += row.n,
                _ => {}
            }
        }
        Ok(days)
    }
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}
