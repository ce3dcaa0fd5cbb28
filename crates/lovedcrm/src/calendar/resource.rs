//! What is a calendar event's own in the record kernel: validation,
//! defaults, visibility (organizer, creator, invited members, shares) and
//! the reminders each write schedules.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use uuid::Uuid;

use super::model::{
    Attendee, COLUMNS, CalendarEvent, CreateEvent, ENTITY, LONGEST, MAX_ATTENDEES, PatchEvent, SPEC,
};
use super::{recurrence, reminders, store};
use crate::actor::Actor;
use crate::db::{self, TenantTx};
use crate::error::DomainResult;
use crate::lists::CursorKey;
use crate::notes::target::Kind;
use crate::records::fields::{self, Problems};
use crate::records::kernel::Resource;
use crate::records::list::Listing;
use crate::records::visibility;
use crate::timeline::activities::{self, On};

/// Organizer, creator, and members invited (through `event_attendees`).
pub const PEOPLE: &[&str] = &["owner_id", "created_by", "event_attendees.event_id"];

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: COLUMNS,
    entity_type: ENTITY,
    people: PEOPLE,
    searchable: false,
};

/// Calendar events in the record kernel.
pub struct Events;

pub async fn fetch_one(
    tx: &TenantTx,
    actor: Option<&Actor>,
    id: Uuid,
) -> DomainResult<Option<CalendarEvent>> {
    let visible = match actor {
        Some(a) => visibility::sql(a, "calendar_events", ENTITY, PEOPLE, 3),
        None => ("TRUE".into(), Vec::new()),
    };
    Ok(store::get(tx, id, visible).await?)
}

async fn member_timezone(tx: &TenantTx, actor: &Actor) -> DomainResult<String> {
    Ok(match actor.user_id() {
        Some(u) => crate::users::preferences::load(tx, u).await?.timezone,
        None => "UTC".into(),
    })
}

fn check_attendees(list: Vec<Attendee>, problems: &mut Problems) -> Vec<Attendee> {
    if list.len() > MAX_ATTENDEES {
        problems.push("attendees", format!("at most {MAX_ATTENDEES}"));
        return Vec::new();
    }
    let mut out: Vec<Attendee> = Vec::new();
    for (i, mut a) in list.into_iter().enumerate() {
        let field = format!("attendees[{i}]");
        let named = [
            a.user_id.is_some(),
            a.contact_id.is_some(),
            a.email.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if named != 1 {
            problems.push(&field, "name exactly one of user_id, contact_id or email");
            continue;
        }
        if a.email.is_some() {
            a.email = problems
                .take(fields::email(&format!("{field}.email"), a.email.take()))
                .flatten();
        }
        a.name = problems
            .take(fields::text(&format!("{field}.name"), a.name.take(), 200))
            .flatten();
        let same = |b: &Attendee| {
            (a.user_id.is_some() && b.user_id == a.user_id)
                || (a.contact_id.is_some() && b.contact_id == a.contact_id)
                || (a.email.is_some() && b.email == a.email)
        };
        if !out.iter().any(same) {
            out.push(a);
        }
    }
    out
}

/// Validates and normalizes `e` (times to microseconds, all-day events to
/// whole UTC days, the rule against its start).
async fn check(
    tx: &TenantTx,
    actor: &Actor,
    e: &mut CalendarEvent,
    before: Option<&CalendarEvent>,
    problems: &mut Problems,
) -> DomainResult<()> {
    match problems.take(fields::text(
        "title",
        Some(std::mem::take(&mut e.title)),
        300,
    )) {
        Some(Some(title)) => e.title = title,
        Some(None) => problems.push("title", "is required"),
        None => {}
    }
    e.description = problems
        .take(fields::text("description", e.description.take(), 10_000))
        .flatten();
    e.location = problems
        .take(fields::text("location", e.location.take(), 500))
        .flatten();
    let tz = recurrence::timezone(&e.timezone);
    if tz.is_none() {
        problems.push(
            "timezone",
            "is not an IANA timezone name, e.g. Europe/Lisbon",
        );
    }
    // iCalendar times have whole seconds; a series generated from a start
    // with a fraction would miss its first occurrence.
    e.starts_at = e.starts_at.trunc_subsecs(0);
    e.ends_at = e.ends_at.trunc_subsecs(0);
    if e.all_day {
        e.starts_at = recurrence::day_start(e.starts_at);
        let end = recurrence::day_start(e.ends_at);
        e.ends_at = if end <= e.starts_at {
            e.starts_at + Duration::days(1)
        } else {
            end
        };
    }
    if e.ends_at < e.starts_at {
        problems.push("ends_at", "must not be before starts_at");
    } else if e.ends_at - e.starts_at > LONGEST {
        problems.push("ends_at", "an event may last at most 366 days");
    }
    e.until_at = None;
    if let Some(rule) = e.rrule.take() {
        let rule = recurrence::clean(&rule);
        if rule.is_empty() {
            // An empty rule clears the recurrence.
        } else if e.series_id.is_some() {
            problems.push("rrule", "an occurrence edited on its own cannot repeat");
        } else if rule.len() > 500 {
            problems.push("rrule", "must be at most 500 characters");
        } else if let Some(tz) = tz {
            match recurrence::validate(&rule, e.starts_at, e.ends_at - e.starts_at, tz) {
                Ok(until) => {
                    e.until_at = until;
                    e.rrule = Some(rule);
                }
                Err(why) => problems.push("rrule", format!("is not a valid RRULE: {why}")),
            }
        }
    }
    let mut exdates = e.exdate_list();
    if exdates.len() > 1_000 {
        problems.push("exdates", "at most 1000");
    }
    for d in &mut exdates {
        *d = d.trunc_subsecs(0);
    }
    exdates.sort();
    exdates.dedup();
    e.exdates = serde_json::json!(exdates);
    let attendees = check_attendees(e.attendee_list(), problems);
    for (i, a) in attendees.iter().enumerate() {
        if a.user_id.is_some() {
            fields::member(tx, problems, &format!("attendees[{i}].user_id"), a.user_id).await?;
        }
        if let Some(contact) = a.contact_id {
            let had = before
                .map(|b| {
                    b.attendee_list()
                        .iter()
                        .any(|x| x.contact_id == Some(contact))
                })
                .unwrap_or(false)
                .then_some(contact);
            let field = format!("attendees[{i}].contact_id");
            fields::reference(
                tx,
                actor,
                problems,
                &field,
                Kind::Contact,
                Some(contact),
                had,
            )
            .await?;
        }
    }
    e.attendees = serde_json::json!(attendees);
    e.reminders = serde_json::json!(reminders::validate(e.reminder_list(), problems));
    fields::member(tx, problems, "owner_id", e.owner_id).await?;
    let had = |f: fn(&CalendarEvent) -> Option<Uuid>| before.and_then(f);
    for (field, kind, id, kept) in [
        ("lead_id", Kind::Lead, e.lead_id, had(|b| b.lead_id)),
        (
            "contact_id",
            Kind::Contact,
            e.contact_id,
            had(|b| b.contact_id),
        ),
        (
            "company_id",
            Kind::Company,
            e.company_id,
            had(|b| b.company_id),
        ),
        (
            "project_id",
            Kind::Project,
            e.project_id,
            had(|b| b.project_id),
        ),
    ] {
        fields::reference(tx, actor, problems, field, kind, id, kept).await?;
    }
    Ok(())
}

/// Puts "meeting scheduled" on the timelines of the records it is about.
async fn on_timeline(tx: &TenantTx, actor: &Actor, e: &CalendarEvent) -> DomainResult<()> {
    if e.lead_id.is_none() && e.contact_id.is_none() && e.company_id.is_none() {
        return Ok(());
    }
    let on = On {
        lead_id: e.lead_id,
        contact_id: e.contact_id,
        company_id: e.company_id,
    };
    let data = serde_json::json!({
        "event_id": e.id, "title": e.title, "starts_at": e.starts_at, "ends_at": e.ends_at,
        "all_day": e.all_day, "location": e.location, "recurring": e.rrule.is_some(),
    });
    activities::record(tx, on, "meeting_scheduled", actor.user_id(), data).await?;
    Ok(())
}

/// A new event from `body`, validated, not yet stored.
pub async fn build(tx: &TenantTx, actor: &Actor, body: CreateEvent) -> DomainResult<CalendarEvent> {
    let now = db::now();
    let mut problems = Problems::default();
    let starts_at = body.starts_at.unwrap_or_else(|| {
        problems.push("starts_at", "is required");
        now
    });
    let length = if body.all_day {
        Duration::days(1)
    } else {
        Duration::hours(1)
    };
    let timezone = match body.timezone {
        Some(tz) => tz,
        None => member_timezone(tx, actor).await?,
    };
    let mut e = CalendarEvent {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        title: body.title.unwrap_or_default(),
        description: body.description,
        location: body.location,
        starts_at,
        ends_at: body.ends_at.unwrap_or(starts_at + length),
        all_day: body.all_day,
        timezone,
        rrule: body.rrule,
        until_at: None,
        exdates: serde_json::json!(body.exdates),
        series_id: None,
        original_start: None,
        owner_id: body.owner_id.unwrap_or(actor.user_id()),
        attendees: serde_json::json!(body.attendees),
        reminders: serde_json::json!(body.reminders),
        lead_id: body.lead_id,
        contact_id: body.contact_id,
        company_id: body.company_id,
        project_id: body.project_id,
        external: serde_json::json!({}),
        created_by: actor.user_id(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    check(tx, actor, &mut e, None, &mut problems).await?;
    problems.finish()?;
    Ok(e)
}

/// Stores a built event (or an occurrence split off a series), its
/// timeline entry and its reminders.
pub async fn store_new(tx: &TenantTx, actor: &Actor, e: &CalendarEvent) -> DomainResult<()> {
    store::insert(tx, e).await?;
    on_timeline(tx, actor, e).await?;
    reminders::schedule_event(tx, e, db::now()).await?;
    Ok(())
}

/// `patch` applied to `e`, validated.
pub async fn apply(
    tx: &TenantTx,
    actor: &Actor,
    before: Option<&CalendarEvent>,
    mut e: CalendarEvent,
    body: PatchEvent,
) -> DomainResult<CalendarEvent> {
    let mut problems = Problems::default();
    let required = |problems: &mut Problems, field: &str| problems.push(field, "cannot be null");
    if let Some(v) = body.title {
        e.title = v.unwrap_or_default();
    }
    if let Some(v) = body.description {
        e.description = v;
    }
    if let Some(v) = body.location {
        e.location = v;
    }
    let old_length = e.ends_at - e.starts_at;
    match body.starts_at {
        Some(Some(v)) => {
            e.starts_at = v;
            // Moving the start alone keeps the length (a drag on the calendar).
            if body.ends_at.is_none() {
                e.ends_at = v + old_length;
            }
        }
        Some(None) => required(&mut problems, "starts_at"),
        None => {}
    }
    match body.ends_at {
        Some(Some(v)) => e.ends_at = v,
        Some(None) => required(&mut problems, "ends_at"),
        None => {}
    }
    match body.all_day {
        Some(Some(v)) => e.all_day = v,
        Some(None) => required(&mut problems, "all_day"),
        None => {}
    }
    match body.timezone {
        Some(Some(v)) => e.timezone = v,
        Some(None) => required(&mut problems, "timezone"),
        None => {}
    }
    if let Some(v) = body.rrule {
        e.rrule = v;
    }
    if let Some(v) = body.exdates {
        e.exdates = serde_json::json!(v);
    }
    if let Some(v) = body.owner_id {
        e.owner_id = v;
    }
    if let Some(v) = body.attendees {
        e.attendees = serde_json::json!(v);
    }
    if let Some(v) = body.reminders {
        e.reminders = serde_json::json!(v);
    }
    if let Some(v) = body.lead_id {
        e.lead_id = v;
    }
    if let Some(v) = body.contact_id {
        e.contact_id = v;
    }
    if let Some(v) = body.company_id {
        e.company_id = v;
    }
    if let Some(v) = body.project_id {
        e.project_id = v;
    }
    check(tx, actor, &mut e, before, &mut problems).await?;
    problems.finish()?;
    Ok(e)
}

/// Saves a changed event and schedules its reminders anew; false when
/// someone saved first.
pub async fn save(tx: &TenantTx, e: &CalendarEvent) -> DomainResult<bool> {
    if !store::update(tx, e).await? {
        return Ok(false);
    }
    reminders::schedule_event(tx, e, db::now()).await?;
    Ok(true)
}

impl Resource for Events {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "events";
    const ASSIGNED: &'static str = "invited you to the";
    type Row = CalendarEvent;
    type Out = CalendarEvent;
    type Create = CreateEvent;
    type Patch = PatchEvent;

    fn listing() -> &'static Listing {
        &LISTING
    }

    fn cursor(e: &CalendarEvent) -> CursorKey {
        CursorKey::new(e.id)
            .with("title", e.title.clone())
            .with("starts_at", e.starts_at)
            .with("ends_at", e.ends_at)
            .with("created_at", e.created_at)
            .with("updated_at", e.updated_at)
    }

    async fn present(_tx: &TenantTx, rows: Vec<CalendarEvent>) -> DomainResult<Vec<CalendarEvent>> {
        Ok(rows)
    }

    fn id(out: &CalendarEvent) -> Uuid {
        out.id
    }

    fn version(out: &CalendarEvent) -> i64 {
        out.version
    }

    fn label(out: &CalendarEvent) -> String {
        out.title.clone()
    }

    fn people(out: &CalendarEvent) -> Vec<Option<Uuid>> {
        let mut people = vec![out.owner_id, out.created_by];
        people.extend(out.members().into_iter().map(Some));
        people
    }

    fn assignees(out: &CalendarEvent) -> Vec<Uuid> {
        out.members()
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<CalendarEvent>> {
        fetch_one(tx, Some(actor), id).await
    }

    /// Unfiltered: handing an event to another organizer may take it out of
    /// its writer's sight.
    async fn reload(
        tx: &TenantTx,
        _actor: &Actor,
        id: Uuid,
    ) -> DomainResult<Option<CalendarEvent>> {
        fetch_one(tx, None, id).await
    }

    async fn insert(tx: &TenantTx, actor: &Actor, body: CreateEvent) -> DomainResult<Uuid> {
        let e = build(tx, actor, body).await?;
        store_new(tx, actor, &e).await?;
        Ok(e.id)
    }

    async fn update(
        tx: &TenantTx,
        actor: &Actor,
        before: &CalendarEvent,
        body: PatchEvent,
    ) -> DomainResult<bool> {
        let e = apply(tx, actor, Some(before), before.clone(), body).await?;
        save(tx, &e).await
    }

    async fn remove(tx: &TenantTx, _actor: &Actor, before: &CalendarEvent) -> DomainResult<()> {
        store::delete(tx, before.id).await?;
        Ok(())
    }
}

/// Whether `at` is an occurrence start of `e` (its start, or one its rule makes).
pub fn is_occurrence(e: &CalendarEvent, at: DateTime<Utc>) -> bool {
    if e.starts_at == at {
        return true;
    }
    match (&e.rrule, recurrence::timezone(&e.timezone)) {
        (Some(rule), Some(tz)) => {
            recurrence::has_start(rule, e.starts_at, tz, at) && !e.exdate_list().contains(&at)
        }
        _ => false,
    }
}
