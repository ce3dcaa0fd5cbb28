//! A member's secret ICS feed URL, for Google Calendar, Apple Calendar or
//! Outlook to subscribe to; and `.ics` export and import.
//!
//! The URL carries a random token; only its hash is stored. Rotating makes
//! a new token (the old URL stops working), revoking deletes it. The feed
//! shows what the member may see, as the member, at the time it is fetched.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::ics::{self, Imported};
use super::model::{COLUMNS, CalendarEvent, ENTITY};
use super::resource::{self, Events, PEOPLE};
use super::store;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{self, GlobalTx, Row, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::organizations::permissions::Permission;
use crate::records::audit_change;
use crate::records::kernel::{self, Resource};
use crate::records::visibility;

#[derive(Debug, Serialize, ToSchema)]
pub struct Feed {
    /// The secret feed URL; `null` when the member has none.
    pub url: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

fn hash(token: &str) -> String {
    crate::api_keys::hash(token)
}

async fn audited(
    tx: &crate::db::TenantTx,
    actor: &Actor,
    user: Uuid,
    action: &str,
) -> DomainResult<()> {
    let change = crate::audit::Change {
        actor: Some(user),
        action,
        entity_type: "calendar_feed",
        entity_id: Some(user.to_string()),
        before: None,
        after: None,
    };
    crate::audit::record(tx, &actor.meta, change).await?;
    Ok(())
}

fn url(app: &SharedState, token: &str) -> String {
    format!(
        "{}/api/v1/events/calendar.ics?token={token}",
        app.config.public_base()
    )
}

#[derive(Row)]
struct Stored {
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
}

/// Whether the actor has a feed (its URL cannot be shown again: only a hash is kept).
pub async fn status(app: &SharedState, actor: &Actor) -> DomainResult<Feed> {
    let user = actor.member()?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let row: Option<Stored> = db::fetch_one(
        &*tx,
        "SELECT created_at, last_used_at FROM calendar_feeds WHERE organization_id = $1 AND user_id = $2",
        vec![tx.org_id().into(), user.into()],
    )
    .await?;
    tx.commit().await?;
    Ok(Feed {
        url: None,
        created_at: row.as_ref().map(|r| r.created_at),
        last_used_at: row.and_then(|r| r.last_used_at),
    })
}

/// A new feed URL for the actor, replacing any earlier one.
pub async fn rotate(app: &SharedState, actor: &Actor) -> DomainResult<Feed> {
    let user = actor.member()?;
    actor.require_on(Permission::Read, Events::RESOURCE)?;
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let token = format!("ics_{}", URL_SAFE_NO_PAD.encode(secret));
    let now = db::now();
    let tx = actor.begin(app, TxMode::Write).await?;
    db::exec(
        &*tx,
        "DELETE FROM calendar_feeds WHERE organization_id = $1 AND user_id = $2",
        vec![tx.org_id().into(), user.into()],
    )
    .await?;
    db::exec(
        &*tx,
        "INSERT INTO calendar_feeds (organization_id, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)",
        vec![tx.org_id().into(), user.into(), hash(&token).into(), now.into()],
    )
    .await?;
    audited(&tx, actor, user, "calendar_feed.created").await?;
    tx.commit().await?;
    Ok(Feed {
        url: Some(url(app, &token)),
        created_at: Some(now),
        last_used_at: None,
    })
}

/// Revokes the actor's feed URL; false when there was none.
pub async fn revoke(app: &SharedState, actor: &Actor) -> DomainResult<bool> {
    let user = actor.member()?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let gone = db::exec(
        &*tx,
        "DELETE FROM calendar_feeds WHERE organization_id = $1 AND user_id = $2",
        vec![tx.org_id().into(), user.into()],
    )
    .await?;
    if gone > 0 {
        audited(&tx, actor, user, "calendar_feed.revoked").await?;
    }
    tx.commit().await?;
    Ok(gone > 0)
}

#[derive(Row)]
struct Owner {
    organization_id: Uuid,
    user_id: Uuid,
}

/// The events the window of a subscribed calendar shows: 90 days back, a year ahead.
fn window(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (now - Duration::days(90), now + Duration::days(365))
}

/// The events `actor` may see between `from` and `to` (only `member`'s when
/// given), with the occurrences edited on their own of the series among them.
async fn visible_events(
    tx: &crate::db::TenantTx,
    actor: &Actor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    member: Option<Uuid>,
) -> DomainResult<Vec<CalendarEvent>> {
    let visible = visibility::sql(actor, "calendar_events", ENTITY, PEOPLE, 4);
    let mut events: Vec<CalendarEvent> =
        store::in_range(tx, COLUMNS, from, to, member, visible).await?;
    let series: Vec<Uuid> = events
        .iter()
        .filter(|e| e.rrule.is_some())
        .map(|e| e.id)
        .collect();
    for x in store::exceptions_of(tx, &series).await? {
        if !events.iter().any(|e| e.id == x.id) {
            events.push(x);
        }
    }
    Ok(events)
}

/// The calendar behind feed `token`: the events on its member's calendar
/// (organizer or attendee) that they may still see.
pub async fn by_token(app: &SharedState, token: &str) -> DomainResult<String> {
    let token_hash = hash(token);
    let lookup = GlobalTx::begin_credential_lookup(&app.store, &token_hash, TxMode::Read).await?;
    let owner: Option<Owner> = db::fetch_one(
        &*lookup,
        "SELECT organization_id, user_id FROM calendar_feeds WHERE token_hash = $1 /* all organizations */",
        vec![token_hash.clone().into()],
    )
    .await?;
    lookup.commit().await?;
    let Some(owner) = owner else {
        return Err(DomainError::NotFound("calendar feed"));
    };
    let system = Actor::system(owner.organization_id, "calendar_feed");
    let tx = system.begin(app, TxMode::Write).await?;
    let Some(member) = Actor::member_in(&tx, owner.user_id).await? else {
        return Err(DomainError::NotFound("calendar feed"));
    };
    let (from, to) = window(db::now());
    let events = visible_events(&tx, &member, from, to, member.user_id()).await?;
    db::exec(
        &*tx,
        "UPDATE calendar_feeds SET last_used_at = $3 WHERE organization_id = $1 AND user_id = $2",
        vec![tx.org_id().into(), owner.user_id.into(), db::now().into()],
    )
    .await?;
    let name = crate::notes::target::user_name(&tx, owner.user_id).await?;
    tx.commit().await?;
    let link = format!("{}/calendar", app.config.public_base());
    Ok(ics::calendar(
        &format!("Loved CRM — {name}"),
        &events,
        &link,
    ))
}

/// The actor's calendar between `from` and `to` as an `.ics` file.
pub async fn export(
    app: &SharedState,
    actor: &Actor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<String> {
    actor.require_on(Permission::Read, Events::RESOURCE)?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let events = visible_events(&tx, actor, from, to, None).await?;
    tx.commit().await?;
    let link = format!("{}/calendar", app.config.public_base());
    Ok(ics::calendar("Loved CRM", &events, &link))
}

#[derive(Row)]
struct Found {
    id: Uuid,
}

/// Creates the events of an `.ics` file as the actor's; an event imported
/// before (same UID) is skipped, so importing a file twice adds nothing.
pub async fn import(app: &SharedState, actor: &Actor, text: &str) -> DomainResult<Imported> {
    actor.require_on(Permission::Create, Events::RESOURCE)?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let tz = match actor.user_id() {
        Some(u) => crate::users::preferences::load(&tx, u).await?.timezone,
        None => "UTC".into(),
    };
    let (parsed, errors, skipped) = ics::parse(text, &tz)
        .map_err(|why| DomainError::Validation(vec![crate::error::FieldError::new("body", why)]))?;
    if parsed.len() > 5_000 {
        return Err(DomainError::Validation(vec![
            crate::error::FieldError::new("body", "at most 5000 events per file"),
        ]));
    }
    let mut report = Imported {
        skipped,
        errors,
        ..Imported::default()
    };
    for (i, p) in parsed.into_iter().enumerate() {
        if let Some(uid) = &p.uid {
            let seen: Option<Found> = db::fetch_one(
                &*tx,
                "SELECT id FROM calendar_events WHERE organization_id = $1 AND external ->> 'ics_uid' = $2",
                vec![tx.org_id().into(), uid.clone().into()],
            )
            .await?;
            if seen.is_some_and(|f| !f.id.is_nil()) {
                report.skipped += 1;
                continue;
            }
        }
        let mut e = match resource::build(&tx, actor, p.input).await {
            Ok(e) => e,
            Err(DomainError::Validation(problems)) => {
                report.errors.push(ics::ImportError {
                    index: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    uid: p.uid,
                    message: problems
                        .iter()
                        .map(|p| format!("{}: {}", p.field, p.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                });
                continue;
            }
            Err(other) => return Err(other),
        };
        if let Some(uid) = &p.uid {
            e.external = serde_json::json!({ "ics_uid": uid });
        }
        resource::store_new(&tx, actor, &e).await?;
        audit_change(&tx, actor, "event.created", ENTITY, e.id, None, Some(&e)).await?;
        kernel::record_event::<Events>(&tx, actor, "created", &e).await?;
        report.created += 1;
    }
    kernel::commit(app, tx).await?;
    Ok(report)
}
