use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};
use crate::records::patch::nullable;

pub const ENTITY: &str = "event";
/// The most reminders one event or task may carry.
pub const MAX_REMINDERS: usize = 5;
/// Four weeks: the earliest a reminder may come before its event.
pub const MAX_MINUTES_BEFORE: i64 = 40_320;
pub const MAX_ATTENDEES: usize = 100;
/// The longest an event may last (a conference, a holiday).
pub const LONGEST: chrono::Duration = chrono::Duration::days(366);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    #[default]
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
}

/// Someone invited: a member, a contact, or anyone by email address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    #[serde(default)]
    pub user_id: Option<Uuid>,
    #[serde(default)]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub response: Response,
}

/// A reminder: `minutes_before` the start (0 = at the start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reminder {
    #[schema(minimum = 0, maximum = 40320)]
    pub minutes_before: i64,
}

/// A calendar event as stored. A recurring event is one row with an
/// `rrule`; an occurrence edited on its own is another row with the
/// series' id in `series_id` and the occurrence's original start.
#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct CalendarEvent {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub location: Option<String>,
    /// All-day events start at 00:00 UTC of their first day.
    pub starts_at: DateTime<Utc>,
    /// Exclusive: an all-day event on one day ends at 00:00 UTC the next.
    pub ends_at: DateTime<Utc>,
    pub all_day: bool,
    /// IANA name; recurrences repeat at the same wall-clock time in it.
    pub timezone: String,
    /// An RFC 5545 RRULE value without the `RRULE:` prefix, e.g. `FREQ=WEEKLY;BYDAY=MO,WE`.
    pub rrule: Option<String>,
    /// When the series' last occurrence ends; `null` when it never ends.
    #[serde(skip_serializing, default)]
    #[schema(ignore)]
    pub until_at: Option<DateTime<Utc>>,
    /// Occurrences (by their original start) taken out of the series.
    #[schema(value_type = Vec<DateTime<Utc>>)]
    pub exdates: Json,
    /// The series whose occurrence this event replaces.
    pub series_id: Option<Uuid>,
    /// That occurrence's start in the series.
    pub original_start: Option<DateTime<Utc>>,
    /// The organizer; defaults to the creator.
    pub owner_id: Option<Uuid>,
    #[schema(value_type = Vec<Attendee>)]
    pub attendees: Json,
    #[schema(value_type = Vec<Reminder>)]
    pub reminders: Json,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    /// Ids of the event in synced calendars, by provider.
    #[schema(value_type = Object)]
    pub external: Json,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl CalendarEvent {
    pub fn attendee_list(&self) -> Vec<Attendee> {
        serde_json::from_value(self.attendees.clone()).unwrap_or_default()
    }

    pub fn reminder_list(&self) -> Vec<Reminder> {
        serde_json::from_value(self.reminders.clone()).unwrap_or_default()
    }

    pub fn exdate_list(&self) -> Vec<DateTime<Utc>> {
        serde_json::from_value(self.exdates.clone()).unwrap_or_default()
    }

    /// The members who hear of it: organizer, creator and invited members.
    pub fn members(&self) -> Vec<Uuid> {
        let mut out: Vec<Uuid> = self.owner_id.into_iter().collect();
        for a in self.attendee_list() {
            if let Some(u) = a.user_id {
                out.push(u);
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// What a calendar view needs of an event (no attendees, reminders or
/// description to decode): the rows of a range query.
#[derive(Debug, Clone, Row)]
pub struct Slot {
    pub id: Uuid,
    pub title: String,
    pub location: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub all_day: bool,
    pub timezone: String,
    pub rrule: Option<String>,
    pub exdates: Json,
    pub series_id: Option<Uuid>,
    pub original_start: Option<DateTime<Utc>>,
    pub owner_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub version: i64,
}

pub const SLOT_COLUMNS: &str = "calendar_events.id, calendar_events.title, calendar_events.location, \
    calendar_events.starts_at, calendar_events.ends_at, calendar_events.all_day, \
    calendar_events.timezone, calendar_events.rrule, calendar_events.exdates, \
    calendar_events.series_id, calendar_events.original_start, calendar_events.owner_id, \
    calendar_events.lead_id, calendar_events.contact_id, calendar_events.company_id, \
    calendar_events.project_id, calendar_events.version";

pub const COLUMNS: &str = "calendar_events.id, calendar_events.organization_id, calendar_events.title, \
    calendar_events.description, calendar_events.location, calendar_events.starts_at, \
    calendar_events.ends_at, calendar_events.all_day, calendar_events.timezone, calendar_events.rrule, \
    calendar_events.until_at, calendar_events.exdates, calendar_events.series_id, \
    calendar_events.original_start, calendar_events.owner_id, calendar_events.attendees, \
    calendar_events.reminders, calendar_events.lead_id, calendar_events.contact_id, \
    calendar_events.company_id, calendar_events.project_id, calendar_events.external, \
    calendar_events.created_by, calendar_events.created_at, calendar_events.updated_at, \
    calendar_events.version";

const fn field(name: &'static str, kind: FieldKind, sortable: bool, nullable: bool) -> Field {
    Field {
        name,
        column: name,
        kind,
        sortable,
        nullable,
    }
}

pub static SPEC: ListSpec = ListSpec {
    table: "calendar_events",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("title", FieldKind::Text, true, false),
        field("starts_at", FieldKind::Timestamp, true, false),
        field("ends_at", FieldKind::Timestamp, true, false),
        field("all_day", FieldKind::Boolean, false, false),
        field("series_id", FieldKind::Uuid, false, true),
        field("owner_id", FieldKind::Uuid, false, true),
        field("lead_id", FieldKind::Uuid, false, true),
        field("contact_id", FieldKind::Uuid, false, true),
        field("company_id", FieldKind::Uuid, false, true),
        field("project_id", FieldKind::Uuid, false, true),
        field("created_by", FieldKind::Uuid, false, true),
        field("created_at", FieldKind::Timestamp, true, false),
        field("updated_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("starts_at", Dir::Asc)],
};

/// `POST /events`: `title` and `starts_at` are required; `ends_at`
/// defaults to an hour later (a day for all-day events), `timezone` to the
/// creator's, the organizer to the creator.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvent {
    pub title: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub all_day: bool,
    pub timezone: Option<String>,
    pub rrule: Option<String>,
    #[serde(default)]
    pub exdates: Vec<DateTime<Utc>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_id: Option<Option<Uuid>>,
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    #[serde(default)]
    pub reminders: Vec<Reminder>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
}

/// `PATCH /events/{id}`: JSON merge semantics (absent = unchanged, null = cleared).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchEvent {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub location: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub starts_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub ends_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<bool>)]
    pub all_day: Option<Option<bool>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub timezone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub rrule: Option<Option<String>>,
    pub exdates: Option<Vec<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_id: Option<Option<Uuid>>,
    pub attendees: Option<Vec<Attendee>>,
    pub reminders: Option<Vec<Reminder>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub lead_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub contact_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub company_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub project_id: Option<Option<Uuid>>,
}

/// One occurrence on the calendar: an event (a recurring one expanded) or
/// a task at its due time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Occurrence {
    /// `event` or `task`.
    pub kind: &'static str,
    /// The event's (or the task's) id.
    pub id: Uuid,
    /// The occurrence's start in its series (its key for `scope=this`).
    pub occurrence_start: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub all_day: bool,
    pub title: String,
    pub location: Option<String>,
    pub recurring: bool,
    pub owner_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    /// A task's status; `null` for events.
    pub status: Option<String>,
    pub version: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Occurrences {
    pub data: Vec<Occurrence>,
}
