//! iCalendar (RFC 5545) out and in, with the `icalendar` crate: the
//! member's feed and `.ics` export, and `.ics` import.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use icalendar::{
    Calendar, CalendarDateTime, Component, DatePerhapsTime, Event as Vevent, EventLike, Property,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{CalendarEvent, CreateEvent, Reminder};
use super::recurrence;

const PRODID: &str = "-//Loved CRM//Calendar 1.0//EN";

fn when(e: &CalendarEvent, at: DateTime<Utc>, key: &str) -> Property {
    if e.all_day {
        return DatePerhapsTime::Date(at.date_naive()).to_property(key);
    }
    // A series keeps its wall-clock time in its zone (TZID), so subscribers
    // expand it across daylight-saving changes as we do.
    match (&e.rrule, e.series_id, recurrence::timezone(&e.timezone)) {
        (_, _, Some(tz))
            if (e.rrule.is_some() || e.series_id.is_some()) && tz != chrono_tz::UTC =>
        {
            DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone {
                date_time: at.with_timezone(&tz).naive_local(),
                tzid: tz.name().to_string(),
            })
            .to_property(key)
        }
        _ => DatePerhapsTime::DateTime(CalendarDateTime::Utc(at)).to_property(key),
    }
}

fn vevent(e: &CalendarEvent, link: &str) -> Vevent {
    let mut v = Vevent::new();
    v.uid(&format!("{}@lovedcrm", e.series_id.unwrap_or(e.id)))
        .summary(&e.title)
        .timestamp(e.updated_at)
        .last_modified(e.updated_at)
        .created(e.created_at)
        .sequence(u32::try_from(e.version.max(0)).unwrap_or(0))
        .url(&format!("{link}?event={}", e.id));
    v.append_property(when(e, e.starts_at, "DTSTART"));
    v.append_property(when(e, e.ends_at, "DTEND"));
    if let Some(d) = &e.description {
        v.description(d);
    }
    if let Some(l) = &e.location {
        v.location(l);
    }
    if let Some(rule) = &e.rrule {
        v.add_property("RRULE", rule);
        for d in e.exdate_list() {
            v.append_multi_property(when(e, d, "EXDATE"));
        }
    }
    if let Some(original) = e.original_start {
        v.append_property(when(e, original, "RECURRENCE-ID"));
    }
    v.done()
}

/// A calendar of `events` named `name`; `link` is the web app's calendar page.
pub fn calendar(name: &str, events: &[CalendarEvent], link: &str) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", PRODID));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.append_property(("METHOD", "PUBLISH"));
    cal.append_property(("X-WR-CALNAME", name));
    cal.append_property(("REFRESH-INTERVAL;VALUE=DURATION", "PT15M"));
    cal.append_property(("X-PUBLISHED-TTL", "PT15M"));
    for e in events {
        cal.push(vevent(e, link));
    }
    cal.to_string()
}

/// What an import did.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Imported {
    pub created: u32,
    /// Already imported (same UID), or cancelled.
    pub skipped: u32,
    pub errors: Vec<ImportError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportError {
    /// The event's position in the file, from 1.
    pub index: u32,
    pub uid: Option<String>,
    pub message: String,
}

fn to_utc(
    d: &DatePerhapsTime,
    fallback_tz: chrono_tz::Tz,
) -> Option<(DateTime<Utc>, bool, Option<String>)> {
    match d {
        DatePerhapsTime::Date(day) => Some((day_utc(*day), true, None)),
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(at)) => Some((*at, false, None)),
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(naive)) => {
            local(naive, fallback_tz).map(|at| (at, false, None))
        }
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            // Outlook writes Windows zone names; those we cannot read fall back.
            let tz = recurrence::timezone(tzid);
            local(date_time, tz.unwrap_or(fallback_tz))
                .map(|at| (at, false, tz.map(|t| t.name().to_string())))
        }
    }
}

fn day_utc(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

fn local(naive: &NaiveDateTime, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(naive)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
}

/// One VEVENT as an event to create, with its UID.
pub struct Parsed {
    pub uid: Option<String>,
    pub input: CreateEvent,
}

/// The events of an `.ics` text; the position and reason of each one that
/// cannot be read. Occurrence overrides (RECURRENCE-ID) are skipped.
pub fn parse(text: &str, default_tz: &str) -> Result<(Vec<Parsed>, Vec<ImportError>, u32), String> {
    let cal: Calendar = text.parse().map_err(|e: String| {
        let first: String = e.chars().take(200).collect();
        format!("not an iCalendar file: {first}")
    })?;
    let fallback = recurrence::timezone(default_tz).unwrap_or(chrono_tz::UTC);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = 0;
    for (i, v) in cal.events().enumerate() {
        let index = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let uid = v.get_uid().map(str::to_string);
        if v.get_recurrence_id().is_some() || v.property_value("STATUS") == Some("CANCELLED") {
            skipped += 1;
            continue;
        }
        let Some((starts_at, all_day, tz)) = v.get_start().and_then(|d| to_utc(&d, fallback))
        else {
            errors.push(ImportError {
                index,
                uid,
                message: "has no readable DTSTART".into(),
            });
            continue;
        };
        let ends_at = v
            .get_end()
            .and_then(|d| to_utc(&d, fallback))
            .map(|(at, _, _)| at);
        let alarms: Vec<Reminder> = Vec::new();
        out.push(Parsed {
            uid,
            input: CreateEvent {
                title: Some(v.get_summary().unwrap_or("(no title)").to_string()),
                description: v.get_description().map(str::to_string),
                location: v.get_location().map(str::to_string),
                starts_at: Some(starts_at),
                ends_at,
                all_day,
                timezone: Some(tz.unwrap_or_else(|| fallback.name().to_string())),
                rrule: v.property_value("RRULE").map(str::to_string),
                reminders: alarms,
                ..CreateEvent::default()
            },
        });
    }
    Ok((out, errors, skipped))
}
