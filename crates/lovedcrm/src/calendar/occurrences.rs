//! What is on the calendar between two times: events (series expanded,
//! their edited occurrences in place of the originals) and tasks due.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::model::{ENTITY, Occurrence, SLOT_COLUMNS, Slot};
use super::recurrence;
use super::resource::PEOPLE;
use super::store;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::organizations::permissions::Permission;
use crate::records::visibility;
use crate::tasks::model::Task;

/// The longest range one request may ask for.
pub const LONGEST_RANGE: Duration = Duration::days(100);

#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Only this member's (organizer or attendee; assignee for tasks).
    pub member: Option<Uuid>,
    pub tasks: bool,
}

fn bad(field: &str, message: &str) -> DomainError {
    DomainError::BadRequest {
        code: "invalid_query",
        detail: format!("{field}: {message}"),
        errors: vec![FieldError::new(field, message)],
    }
}

impl Range {
    pub fn check(self) -> DomainResult<Self> {
        if self.to <= self.from {
            return Err(bad("to", "must be after from"));
        }
        if self.to - self.from > LONGEST_RANGE {
            return Err(bad("to", "a range may span at most 100 days"));
        }
        Ok(self)
    }
}

fn occurrence(e: &Slot, start: DateTime<Utc>) -> Occurrence {
    Occurrence {
        kind: ENTITY,
        id: e.id,
        occurrence_start: e.original_start.unwrap_or(start),
        starts_at: start,
        ends_at: start + (e.ends_at - e.starts_at),
        all_day: e.all_day,
        title: e.title.clone(),
        location: e.location.clone(),
        recurring: e.rrule.is_some() || e.series_id.is_some(),
        owner_id: e.owner_id,
        lead_id: e.lead_id,
        contact_id: e.contact_id,
        company_id: e.company_id,
        project_id: e.project_id,
        status: None,
        version: e.version,
    }
}

/// Expands `events` (as [`store::in_range`] found them) into the
/// occurrences overlapping the range, in start order.
pub async fn expand(
    tx: &TenantTx,
    events: &[Slot],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<Occurrence>> {
    let series: Vec<Uuid> = events
        .iter()
        .filter(|e| e.rrule.is_some())
        .map(|e| e.id)
        .collect();
    let mut edited: HashMap<Uuid, HashSet<DateTime<Utc>>> = HashMap::new();
    for (s, at) in store::edited_starts(tx, &series).await? {
        edited.entry(s).or_default().insert(at);
    }
    let mut out = Vec::new();
    for e in events {
        let length = e.ends_at - e.starts_at;
        match (&e.rrule, recurrence::timezone(&e.timezone)) {
            (Some(rule), Some(tz)) => {
                let skip = edited.get(&e.id);
                let starts = recurrence::starts_between(
                    rule,
                    e.starts_at,
                    length,
                    tz,
                    &serde_json::from_value::<Vec<DateTime<Utc>>>(e.exdates.clone())
                        .unwrap_or_default(),
                    from,
                    to,
                );
                for start in starts {
                    if skip.is_some_and(|s| s.contains(&start)) {
                        continue;
                    }
                    out.push(occurrence(e, start));
                }
            }
            _ => {
                if e.starts_at < to && (e.ends_at > from || e.starts_at >= from) {
                    out.push(occurrence(e, e.starts_at));
                }
            }
        }
    }
    out.sort_by_key(|o| (o.starts_at, o.id));
    Ok(out)
}

async fn tasks_due(tx: &TenantTx, actor: &Actor, range: &Range) -> DomainResult<Vec<Occurrence>> {
    let (visible, extra) =
        visibility::sql(actor, "tasks", "task", &["assignee_id", "created_by"], 4);
    let mut values: Vec<sea_orm::Value> =
        vec![tx.org_id().into(), range.from.into(), range.to.into()];
    values.extend(extra);
    let mine = match range.member {
        Some(m) => {
            values.push(m.into());
            format!(" AND tasks.assignee_id = ${}", values.len())
        }
        None => String::new(),
    };
    let rows: Vec<Task> = crate::db::fetch_all(
        &**tx,
        &format!(
            "SELECT {} FROM tasks WHERE tasks.organization_id = $1 AND tasks.due_date >= $2 \
             AND tasks.due_date < $3 AND {visible}{mine} ORDER BY tasks.due_date LIMIT 5000",
            crate::tasks::model::COLUMNS
        ),
        values,
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|t| {
            let due = t.due_date?;
            Some(Occurrence {
                kind: "task",
                id: t.id,
                occurrence_start: due,
                starts_at: due,
                ends_at: due,
                all_day: false,
                title: t.name,
                location: None,
                recurring: false,
                owner_id: t.assignee_id,
                lead_id: t.lead_id,
                contact_id: t.contact_id,
                company_id: t.company_id,
                project_id: t.project_id,
                status: Some(t.status),
                version: t.version,
            })
        })
        .collect())
}

/// The events the actor may see, expanded over `range`, with their tasks due.
pub async fn between(
    app: &SharedState,
    actor: &Actor,
    range: Range,
) -> DomainResult<Vec<Occurrence>> {
    let range = range.check()?;
    actor.require_on(Permission::Read, "events")?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let visible = visibility::sql(actor, "calendar_events", ENTITY, PEOPLE, 4);
    let events: Vec<Slot> = store::in_range(
        &tx,
        SLOT_COLUMNS,
        range.from,
        range.to,
        range.member,
        visible,
    )
    .await?;
    let mut out = expand(&tx, &events, range.from, range.to).await?;
    if range.tasks && actor.require_on(Permission::Read, "tasks").is_ok() {
        out.extend(tasks_due(&tx, actor, &range).await?);
        out.sort_by_key(|o| (o.starts_at, o.id));
    }
    tx.commit().await?;
    Ok(out)
}
