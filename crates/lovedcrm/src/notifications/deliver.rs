//! One delivery path for every notification: the in-app row is written in
//! the change's transaction (with its `notification.created` event); a
//! `notification.deliver` job then takes it to email and Web Push as the
//! member's preferences say, holding it while their quiet hours last (in
//! their timezone) and sending it when they end.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::Notification;
use super::push::{self, Payload, Sent};
use super::store;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{self, DbErr, Row, TenantTx, TxMode};
use crate::email::{self, Locale, Template};
use crate::jobs::{self, Job, JobError, NewJob, Registry};
use crate::users::preferences::{self, Channels, QuietHours};

pub const DELIVER: &str = "notification.deliver";

#[derive(Debug, Serialize, Deserialize)]
struct DeliverPayload {
    organization_id: Uuid,
    notification_id: Uuid,
}

/// Queues the delivery of `n` in its transaction (so a rolled-back change
/// sends nothing).
pub async fn queue(
    tx: &TenantTx,
    n: &Notification,
    at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let payload = DeliverPayload {
        organization_id: n.organization_id,
        notification_id: n.id,
    };
    let key = match at {
        Some(at) => format!("notification:{}:{}", n.id, at.timestamp()),
        None => format!("notification:{}", n.id),
    };
    let job = NewJob {
        run_at: at,
        idempotency_key: Some(key),
        org_scope: Some(n.organization_id),
        ..NewJob::new(DELIVER, serde_json::to_value(payload).unwrap_or_default())
    };
    jobs::enqueue(&**tx, job).await?;
    Ok(())
}

/// The preference event that decides `n`'s channels.
pub fn preference_event(n: &Notification) -> &'static str {
    match (n.kind.as_str(), n.entity_type.as_deref()) {
        ("mention", _) => "mention",
        ("reminder", _) => "reminder",
        ("share", _) => "share",
        ("follow", _) => "follow",
        ("assignment", Some("lead")) => "lead_assigned",
        ("assignment", Some("task")) => "task_assigned",
        ("assignment", Some("event")) => "event_invited",
        ("task_due", _) => "task_due",
        ("comment", _) => "comment",
        _ => "assigned",
    }
}

/// When quiet hours `q` that hold now (in `timezone`) end; `None` when
/// they do not hold.
pub fn quiet_until(q: &QuietHours, timezone: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if !q.enabled {
        return None;
    }
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::UTC);
    let start = NaiveTime::parse_from_str(&q.start, "%H:%M").ok()?;
    let end = NaiveTime::parse_from_str(&q.end, "%H:%M").ok()?;
    if start == end {
        return None;
    }
    let local = now.with_timezone(&tz);
    let t = local.time();
    let quiet = if start < end {
        t >= start && t < end
    } else {
        t >= start || t < end
    };
    if !quiet {
        return None;
    }
    let mut day = local.date_naive();
    if start > end && t >= start {
        day = day.succ_opt()?;
    }
    let end_local = day.and_time(end);
    // In a daylight-saving gap the end does not exist: an hour later does.
    tz.from_local_datetime(&end_local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(end_local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|d| d.with_timezone(&Utc))
}

#[derive(Row)]
struct Person {
    email: String,
    name: String,
}

fn link(app: &SharedState, n: &Notification) -> String {
    let base = app.config.public_base();
    match (n.entity_type.as_deref(), n.entity_id) {
        (Some("event"), Some(id)) => format!("{base}/calendar?event={id}"),
        (Some(kind), Some(id)) => format!("{base}/{kind}s/{id}"),
        _ => format!("{base}/notifications"),
    }
}

fn details(n: &Notification) -> String {
    n.data
        .get("excerpt")
        .or_else(|| n.data.get("details"))
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string()
}

async fn deliver(app: SharedState, job: Job) -> Result<(), JobError> {
    let p: DeliverPayload = serde_json::from_value(job.payload.clone())
        .map_err(|e| JobError::permanent(format!("bad {DELIVER} payload: {e}")))?;
    let actor = Actor::system(p.organization_id, "notifications");
    let tx = actor
        .begin(&app, TxMode::Write)
        .await
        .map_err(JobError::retry)?;
    let Some(n) = store::by_id(&tx, p.notification_id).await? else {
        return Ok(()); // deleted (the comment that mentioned was removed)
    };
    if n.read_at.is_some() {
        return Ok(()); // already seen in the app: no need to chase
    }
    let prefs = preferences::load(&tx, n.user_id).await?;
    let event = preference_event(&n);
    let channels = prefs.notifications.get(event).copied().unwrap_or(Channels {
        in_app: true,
        email: false,
        push: true,
    });
    let subscriptions = if channels.push {
        push::of_member(&tx, n.user_id).await?
    } else {
        Vec::new()
    };
    if !channels.email && subscriptions.is_empty() {
        return Ok(());
    }
    if let Some(until) = quiet_until(&prefs.quiet_hours, &prefs.timezone, db::now()) {
        queue(&tx, &n, Some(until)).await?;
        tx.commit().await?;
        return Ok(());
    }
    let url = link(&app, &n);
    let body = details(&n);
    if channels.email {
        let person: Option<Person> = db::fetch_one(
            &*tx,
            "SELECT email, name FROM users WHERE id = $1",
            vec![n.user_id.into()],
        )
        .await?;
        if let Some(person) = person {
            let template = Template::Notification {
                name: person.name,
                title: n.title.clone(),
                details: body.clone(),
                link: url.clone(),
            };
            let locale = Locale::parse(&prefs.language).unwrap_or(Locale::En);
            let mail = NewJob {
                idempotency_key: Some(format!("notification-email:{}", n.id)),
                org_scope: Some(n.organization_id),
                ..email::job(&person.email, locale, template)
            };
            jobs::enqueue(&*tx, mail).await?;
        }
    }
    let payload = Payload {
        title: &n.title,
        body: &body,
        url: &url,
        tag: n.id.to_string(),
    };
    let mut retry = None;
    for (id, s) in subscriptions {
        match push::send(&app, &s, &payload).await {
            Sent::Delivered => {}
            Sent::Gone => push::forget(&tx, id).await?,
            Sent::Failed(why) => {
                push::failed(&tx, id, &why).await?;
                retry = Some(why);
            }
        }
    }
    tx.commit().await?;
    // A push that failed is not retried with the others (they arrived);
    // the error stays on the subscription for the settings page.
    if let Some(why) = retry {
        tracing::warn!(notification = %n.id, error = %why, "a Web Push was not delivered");
    }
    Ok(())
}

pub fn register_jobs(registry: &mut Registry) {
    registry.register(DELIVER, deliver);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn quiet(start: &str, end: &str) -> QuietHours {
        QuietHours {
            enabled: true,
            start: start.into(),
            end: end.into(),
        }
    }

    #[test]
    fn quiet_hours_across_midnight_end_the_next_morning_in_the_members_timezone() {
        // 23:30 in São Paulo (UTC-3) is 02:30 UTC the next day.
        let until = quiet_until(
            &quiet("22:00", "07:00"),
            "America/Sao_Paulo",
            at("2026-12-08T02:30:00Z"),
        );
        assert_eq!(until, Some(at("2026-12-08T10:00:00Z")));
        // 06:00 there, still quiet, same morning.
        let until = quiet_until(
            &quiet("22:00", "07:00"),
            "America/Sao_Paulo",
            at("2026-12-08T09:00:00Z"),
        );
        assert_eq!(until, Some(at("2026-12-08T10:00:00Z")));
        // 12:00 there: not quiet.
        assert_eq!(
            quiet_until(
                &quiet("22:00", "07:00"),
                "America/Sao_Paulo",
                at("2026-12-08T15:00:00Z")
            ),
            None
        );
    }

    #[test]
    fn daytime_quiet_hours_and_disabled_ones() {
        let q = quiet("12:00", "13:00");
        assert_eq!(
            quiet_until(&q, "UTC", at("2026-12-08T12:15:00Z")),
            Some(at("2026-12-08T13:00:00Z"))
        );
        assert_eq!(quiet_until(&q, "UTC", at("2026-12-08T13:00:00Z")), None);
        let off = QuietHours {
            enabled: false,
            ..q
        };
        assert_eq!(quiet_until(&off, "UTC", at("2026-12-08T12:15:00Z")), None);
    }
}
