//! Calendar event queries. Member attendees are also kept in
//! `event_attendees`, so "what is on Ana's calendar" and who may see an
//! event are index lookups, not JSON scans.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::model::{COLUMNS, CalendarEvent};
use crate::db::{self, DbErr, TenantTx};

/// One event, if it exists and `visible` (a SQL condition from
/// `records::visibility::sql` with parameters from `$3`) holds.
pub async fn get(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<Option<CalendarEvent>, DbErr> {
    let (condition, mut extra) = visible;
    let mut values = vec![tx.org_id().into(), id.into()];
    values.append(&mut extra);
    db::fetch_one(
        &**tx,
        &format!(
            "SELECT {COLUMNS} FROM calendar_events WHERE organization_id = $1 AND id = $2 AND {condition}"
        ),
        values,
    )
    .await
}

/// The values of the editable columns, `$3` to `$22`.
fn editable(e: &CalendarEvent) -> Vec<sea_orm::Value> {
    vec![
        e.title.clone().into(),
        e.description.clone().into(),
        e.location.clone().into(),
        e.starts_at.into(),
        e.ends_at.into(),
        e.all_day.into(),
        e.timezone.clone().into(),
        e.rrule.clone().into(),
        e.until_at.into(),
        e.exdates.clone().into(),
        e.series_id.into(),
        e.original_start.into(),
        e.owner_id.into(),
        e.attendees.clone().into(),
        e.reminders.clone().into(),
        e.lead_id.into(),
        e.contact_id.into(),
        e.company_id.into(),
        e.project_id.into(),
        e.external.clone().into(),
    ]
}

pub async fn insert(tx: &TenantTx, e: &CalendarEvent) -> Result<(), DbErr> {
    let mut values = vec![tx.org_id().into(), e.id.into()];
    values.extend(editable(e));
    values.extend([e.created_by.into(), e.created_at.into()]);
    db::exec(
        &**tx,
        "INSERT INTO calendar_events (organization_id, id, title, description, location, starts_at, \
         ends_at, all_day, timezone, rrule, until_at, exdates, series_id, original_start, owner_id, \
         attendees, reminders, lead_id, contact_id, company_id, project_id, external, created_by, \
         created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24, 1)",
        values,
    )
    .await?;
    set_attendees(tx, e).await
}

/// Saves every editable column if the row is still at `e.version`; false
/// when someone else changed it first.
pub async fn update(tx: &TenantTx, e: &CalendarEvent) -> Result<bool, DbErr> {
    let mut values = vec![tx.org_id().into(), e.id.into()];
    values.extend(editable(e));
    values.extend([db::now().into(), e.version.into()]);
    let changed = db::exec(
        &**tx,
        "UPDATE calendar_events SET title = $3, description = $4, location = $5, starts_at = $6, \
         ends_at = $7, all_day = $8, timezone = $9, rrule = $10, until_at = $11, exdates = $12, \
         series_id = $13, original_start = $14, owner_id = $15, attendees = $16, reminders = $17, \
         lead_id = $18, contact_id = $19, company_id = $20, project_id = $21, external = $22, \
         updated_at = $23, version = version + 1 \
         WHERE organization_id = $1 AND id = $2 AND version = $24",
        values,
    )
    .await?;
    if changed == 1 {
        set_attendees(tx, e).await?;
    }
    Ok(changed == 1)
}

async fn set_attendees(tx: &TenantTx, e: &CalendarEvent) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM event_attendees WHERE organization_id = $1 AND event_id = $2",
        vec![tx.org_id().into(), e.id.into()],
    )
    .await?;
    for user in e.attendee_list().into_iter().filter_map(|a| a.user_id) {
        db::exec(
            &**tx,
            "INSERT INTO event_attendees (organization_id, event_id, user_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
            vec![tx.org_id().into(), e.id.into(), user.into()],
        )
        .await?;
    }
    Ok(())
}

/// Deletes the event; a series takes its edited occurrences with it.
pub async fn delete(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM calendar_events WHERE organization_id = $1 AND (id = $2 OR series_id = $2)",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(())
}

/// `$2, $3, …` for `series`, and the values from `$1` (the organization) on.
fn series_marks(tx: &TenantTx, series: &[Uuid]) -> (String, Vec<sea_orm::Value>) {
    let mut values: Vec<sea_orm::Value> = vec![tx.org_id().into()];
    values.extend(series.iter().map(|id| sea_orm::Value::from(*id)));
    let marks: Vec<String> = (0..series.len()).map(|i| format!("${}", i + 2)).collect();
    (marks.join(", "), values)
}

/// The occurrences of `series` edited on their own, by original start.
pub async fn exceptions_of(tx: &TenantTx, series: &[Uuid]) -> Result<Vec<CalendarEvent>, DbErr> {
    if series.is_empty() {
        return Ok(Vec::new());
    }
    let (marks, values) = series_marks(tx, series);
    db::fetch_all(
        &**tx,
        &format!(
            "SELECT {COLUMNS} FROM calendar_events WHERE organization_id = $1 AND series_id IN ({})",
            marks
        ),
        values,
    )
    .await
}

/// The occurrences of `series` edited on their own: (series, original start).
pub async fn edited_starts(
    tx: &TenantTx,
    series: &[Uuid],
) -> Result<Vec<(Uuid, DateTime<Utc>)>, DbErr> {
    #[derive(crate::db::Row)]
    struct Edited {
        series_id: Option<Uuid>,
        original_start: Option<DateTime<Utc>>,
    }
    if series.is_empty() {
        return Ok(Vec::new());
    }
    let (marks, values) = series_marks(tx, series);
    let rows: Vec<Edited> = db::fetch_all(
        &**tx,
        &format!(
            "SELECT series_id, original_start FROM calendar_events WHERE organization_id = $1 \
             AND series_id IN ({})",
            marks
        ),
        values,
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.series_id?, r.original_start?)))
        .collect())
}

/// Events (series included) that may have an occurrence in `[from, to)`
/// and that `visible` lets the caller see, optionally only those of
/// `member` (organizer or attendee), as `columns` select them into `T`.
/// Parameters of `visible` start at `$4`.
pub async fn in_range<T: crate::db::Row + Send + Sync>(
    tx: &TenantTx,
    columns: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    member: Option<Uuid>,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<Vec<T>, DbErr> {
    let (condition, extra) = visible;
    let mut values: Vec<sea_orm::Value> = vec![tx.org_id().into(), from.into(), to.into()];
    values.extend(extra);
    let mine = match member {
        Some(m) => {
            values.push(m.into());
            let n = values.len();
            format!(
                " AND (calendar_events.owner_id = ${n} OR calendar_events.id IN (SELECT a.event_id \
                 FROM event_attendees a WHERE a.organization_id = $1 AND a.user_id = ${n}))"
            )
        }
        None => String::new(),
    };
    // Two halves so each can use an index with both ends of the range:
    // single events start at most LONGEST before `from`; series are few
    // and have their own (partial) index by when they end.
    values.push((from - super::model::LONGEST).into());
    let lower = values.len();
    db::fetch_all(
        &**tx,
        &format!(
            "SELECT {columns} FROM calendar_events WHERE calendar_events.organization_id = $1 \
             AND calendar_events.rrule IS NULL AND calendar_events.starts_at < $3 \
             AND calendar_events.starts_at > ${lower} \
             AND (calendar_events.ends_at > $2 OR calendar_events.starts_at = $2) \
             AND {condition}{mine} \
             UNION ALL \
             SELECT {columns} FROM calendar_events WHERE calendar_events.organization_id = $1 \
             AND calendar_events.rrule IS NOT NULL AND calendar_events.starts_at < $3 \
             AND (calendar_events.until_at IS NULL OR calendar_events.until_at > $2) \
             AND {condition}{mine} \
             ORDER BY starts_at LIMIT 20000"
        ),
        values,
    )
    .await
}
