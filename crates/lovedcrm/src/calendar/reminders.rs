//! Reminders: each one is a `reminder.fire` job due `minutes_before` the
//! occurrence it is for, enqueued in the write that set it. Firing is
//! at-least-once (the queue), and never twice: the firing is recorded in
//! `reminder_firings` under a unique key in the same transaction as the
//! notifications it sends. A job whose event was since moved, changed or
//! deleted finds its occurrence gone and does nothing (the write scheduled
//! the new one). After firing, the next occurrence of a series is scheduled.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{CalendarEvent, MAX_MINUTES_BEFORE, MAX_REMINDERS, Reminder};
use super::recurrence;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{self, DbErr, TenantTx, TxMode};
use crate::jobs::{self, Job, JobError, NewJob, Registry};
use crate::notifications::{self, NewNotification};
use crate::records::fields::Problems;

pub const FIRE: &str = "reminder.fire";
/// A reminder more than this late (the server was down) still fires;
/// older ones are dropped rather than sent days after the meeting.
const LATEST: Duration = Duration::hours(6);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Event,
    Task,
}

impl Subject {
    fn entity(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::Task => "task",
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct FirePayload {
    organization_id: Uuid,
    subject: Subject,
    id: Uuid,
    occurrence_start: DateTime<Utc>,
    minutes_before: i64,
}

/// Reminders as given, checked: at most five, 0 to four weeks before,
/// each once, earliest last.
pub fn validate(list: Vec<Reminder>, problems: &mut Problems) -> Vec<Reminder> {
    if list.len() > MAX_REMINDERS {
        problems.push("reminders", format!("at most {MAX_REMINDERS}"));
    }
    let mut minutes: Vec<i64> = Vec::new();
    for (i, r) in list.iter().enumerate() {
        if !(0..=MAX_MINUTES_BEFORE).contains(&r.minutes_before) {
            problems.push(
                &format!("reminders[{i}].minutes_before"),
                format!("must be between 0 and {MAX_MINUTES_BEFORE}"),
            );
        } else if !minutes.contains(&r.minutes_before) {
            minutes.push(r.minutes_before);
        }
    }
    minutes.sort_unstable();
    minutes
        .into_iter()
        .map(|minutes_before| Reminder { minutes_before })
        .collect()
}

/// Enqueues the reminder `minutes_before` the occurrence at `start`.
pub async fn enqueue(
    tx: &TenantTx,
    subject: Subject,
    id: Uuid,
    start: DateTime<Utc>,
    minutes_before: i64,
) -> Result<(), DbErr> {
    let payload = FirePayload {
        organization_id: tx.org_id(),
        subject,
        id,
        occurrence_start: start,
        minutes_before,
    };
    let job = NewJob {
        run_at: Some(start - Duration::minutes(minutes_before)),
        idempotency_key: Some(format!(
            "reminder:{}:{id}:{}:{minutes_before}",
            subject.entity(),
            start.timestamp_micros()
        )),
        org_scope: Some(tx.org_id()),
        max_attempts: 20,
        ..NewJob::new(FIRE, serde_json::to_value(payload).unwrap_or_default())
    };
    jobs::enqueue(&**tx, job).await?;
    Ok(())
}

/// The next occurrence start of `e` whose reminder `minutes` before is
/// still to come after `now`.
fn next_due(e: &CalendarEvent, minutes: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let lead = Duration::minutes(minutes);
    match (&e.rrule, recurrence::timezone(&e.timezone)) {
        (Some(rule), Some(tz)) => {
            recurrence::next_start(rule, e.starts_at, tz, &e.exdate_list(), now + lead)
        }
        _ => (e.starts_at - lead >= now).then_some(e.starts_at),
    }
}

/// Schedules every reminder of `e` for its next occurrence after `now`.
pub async fn schedule_event(
    tx: &TenantTx,
    e: &CalendarEvent,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for r in e.reminder_list() {
        if let Some(start) = next_due(e, r.minutes_before, now) {
            enqueue(tx, Subject::Event, e.id, start, r.minutes_before).await?;
        }
    }
    Ok(())
}

/// Schedules a task's reminders before its due time.
pub async fn schedule_task(
    tx: &TenantTx,
    id: Uuid,
    due: Option<DateTime<Utc>>,
    minutes: &[i64],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(due) = due else { return Ok(()) };
    for m in minutes {
        if due - Duration::minutes(*m) >= now {
            enqueue(tx, Subject::Task, id, due, *m).await?;
        }
    }
    Ok(())
}

/// Records the firing; false when it fired already.
async fn claim(tx: &TenantTx, p: &FirePayload) -> Result<bool, DbErr> {
    let added = db::exec(
        &**tx,
        "INSERT INTO reminder_firings (organization_id, entity_type, entity_id, occurrence_start, \
         minutes_before, fired_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        vec![
            tx.org_id().into(),
            p.subject.entity().into(),
            p.id.into(),
            p.occurrence_start.into(),
            p.minutes_before.into(),
            db::now().into(),
        ],
    )
    .await?;
    Ok(added == 1)
}

/// "in 10 minutes", "in 1 hour", "now".
fn lead_text(minutes: i64) -> String {
    match minutes {
        0 => "now".into(),
        m if m % 1440 == 0 => format!("in {} day{}", m / 1440, if m == 1440 { "" } else { "s" }),
        m if m % 60 == 0 => format!("in {} hour{}", m / 60, if m == 60 { "" } else { "s" }),
        m => format!("in {m} minute{}", if m == 1 { "" } else { "s" }),
    }
}

struct Due {
    title: String,
    members: Vec<Uuid>,
    starts_at: DateTime<Utc>,
    all_day: bool,
    location: Option<String>,
    /// The occurrence after this one, for a series.
    next: Option<DateTime<Utc>>,
}

async fn event_due(tx: &TenantTx, p: &FirePayload) -> Result<Option<Due>, JobError> {
    let Some(e) = super::resource::fetch_one(tx, None, p.id)
        .await
        .map_err(JobError::retry)?
    else {
        return Ok(None);
    };
    let still = e
        .reminder_list()
        .iter()
        .any(|r| r.minutes_before == p.minutes_before);
    if !still || !super::resource::is_occurrence(&e, p.occurrence_start) {
        return Ok(None);
    }
    // An occurrence edited on its own has its own row and reminders.
    if e.rrule.is_some() {
        let split = super::store::exceptions_of(tx, &[e.id]).await?;
        if split
            .iter()
            .any(|x| x.original_start == Some(p.occurrence_start))
        {
            return Ok(next_after(&e, p).map(|next| Due {
                title: String::new(),
                members: Vec::new(),
                starts_at: p.occurrence_start,
                all_day: e.all_day,
                location: None,
                next: Some(next),
            }));
        }
    }
    Ok(Some(Due {
        title: e.title.clone(),
        members: e.members(),
        starts_at: p.occurrence_start,
        all_day: e.all_day,
        location: e.location.clone(),
        next: next_after(&e, p),
    }))
}

fn next_after(e: &CalendarEvent, p: &FirePayload) -> Option<DateTime<Utc>> {
    let rule = e.rrule.as_ref()?;
    let tz = recurrence::timezone(&e.timezone)?;
    recurrence::next_start(
        rule,
        e.starts_at,
        tz,
        &e.exdate_list(),
        p.occurrence_start + Duration::seconds(1),
    )
}

#[derive(crate::db::Row)]
struct TaskRow {
    name: String,
    assignee_id: Option<Uuid>,
    due_date: Option<DateTime<Utc>>,
    status: String,
    reminders: serde_json::Value,
}

async fn task_due(tx: &TenantTx, p: &FirePayload) -> Result<Option<Due>, JobError> {
    let row: Option<TaskRow> = db::fetch_one(
        &**tx,
        "SELECT name, assignee_id, due_date, status, reminders FROM tasks \
         WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), p.id.into()],
    )
    .await?;
    let Some(t) = row else { return Ok(None) };
    let minutes: Vec<Reminder> = serde_json::from_value(t.reminders).unwrap_or_default();
    let still = minutes.iter().any(|r| r.minutes_before == p.minutes_before);
    if !still || t.due_date != Some(p.occurrence_start) || t.status == "done" {
        return Ok(None);
    }
    Ok(Some(Due {
        title: t.name,
        members: t.assignee_id.into_iter().collect(),
        starts_at: p.occurrence_start,
        all_day: false,
        location: None,
        next: None,
    }))
}

async fn fire(app: SharedState, job: Job) -> Result<(), JobError> {
    let p: FirePayload = serde_json::from_value(job.payload.clone())
        .map_err(|e| JobError::permanent(format!("bad {FIRE} payload: {e}")))?;
    let actor = Actor::system(p.organization_id, "reminders");
    let tx = actor
        .begin(&app, TxMode::Write)
        .await
        .map_err(JobError::retry)?;
    let due = match p.subject {
        Subject::Event => event_due(&tx, &p).await?,
        Subject::Task => task_due(&tx, &p).await?,
    };
    let Some(due) = due else {
        return Ok(());
    };
    if let Some(next) = due.next {
        enqueue(&tx, p.subject, p.id, next, p.minutes_before).await?;
    }
    let late = db::now() - (p.occurrence_start - Duration::minutes(p.minutes_before));
    if due.members.is_empty() || late > LATEST || !claim(&tx, &p).await? {
        tx.commit().await.map_err(JobError::retry)?;
        return Ok(());
    }
    for user_id in &due.members {
        let prefs = crate::users::preferences::load(&tx, *user_id).await?;
        let tz: chrono_tz::Tz = prefs.timezone.parse().unwrap_or(chrono_tz::UTC);
        let when = if due.all_day {
            due.starts_at.format("%Y-%m-%d").to_string()
        } else {
            due.starts_at.with_timezone(&tz).format("%H:%M").to_string()
        };
        let n = notifications::create(
            &tx,
            NewNotification {
                user_id: *user_id,
                kind: "reminder",
                title: format!(
                    "Reminder: {} at {when} ({})",
                    due.title,
                    lead_text(p.minutes_before)
                ),
                entity_type: Some(p.subject.entity()),
                entity_id: Some(p.id),
                data: serde_json::json!({
                    "occurrence_start": p.occurrence_start,
                    "starts_at": due.starts_at,
                    "minutes_before": p.minutes_before,
                    "details": due.location.clone().unwrap_or_default(),
                }),
            },
        )
        .await?;
        crate::events::record(&tx, None, &notifications::event(&n))
            .await
            .map_err(JobError::retry)?;
    }
    let org = tx.org_id();
    tx.commit().await.map_err(JobError::retry)?;
    app.events.committed(org);
    Ok(())
}

pub fn register_jobs(registry: &mut Registry) {
    registry.register(FIRE, fire);
}
