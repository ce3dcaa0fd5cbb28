//! The calendar: events (with recurrence and their exceptions), who attends
//! them, reminders that fired (so none fires twice), per-member ICS feed
//! tokens, browsers subscribed to Web Push, and reminders on tasks.

use sea_orm_migration::prelude::*;

use crate::{ddl, rls};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0020_calendar"
    }
}

// Links to leads, contacts, companies and projects carry no foreign key: a
// meeting outlives the deal it was about (the link is checked when written).
// `until_at` is when the last occurrence ends (NULL: the series never ends),
// so a range query finds series without expanding every one.
const SQL: &str = r#"
CREATE TABLE calendar_events (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    location TEXT,
    starts_at {ts} NOT NULL,
    ends_at {ts} NOT NULL,
    all_day {bool} NOT NULL,
    timezone TEXT NOT NULL,
    rrule TEXT,
    until_at {ts},
    exdates {json} NOT NULL,
    series_id {uuid},
    original_start {ts},
    owner_id {uuid},
    attendees {json} NOT NULL,
    reminders {json} NOT NULL,
    lead_id {uuid},
    contact_id {uuid},
    company_id {uuid},
    project_id {uuid},
    external {json} NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX calendar_events_starts_idx ON calendar_events (organization_id, starts_at);
CREATE INDEX calendar_events_owner_idx ON calendar_events (organization_id, owner_id, starts_at);
CREATE INDEX calendar_events_series_idx ON calendar_events (organization_id, series_id);
CREATE INDEX calendar_events_until_idx ON calendar_events (organization_id, until_at) WHERE rrule IS NOT NULL;

CREATE TABLE event_attendees (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_id {uuid} NOT NULL,
    user_id {uuid} NOT NULL,
    PRIMARY KEY (organization_id, event_id, user_id),
    FOREIGN KEY (organization_id, event_id) REFERENCES calendar_events (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX event_attendees_user_idx ON event_attendees (organization_id, user_id);

CREATE TABLE reminder_firings (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL,
    entity_id {uuid} NOT NULL,
    occurrence_start {ts} NOT NULL,
    minutes_before INTEGER NOT NULL,
    fired_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, entity_type, entity_id, occurrence_start, minutes_before)
);

CREATE TABLE calendar_feeds (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id {uuid} NOT NULL,
    token_hash TEXT NOT NULL,
    created_at {ts} NOT NULL,
    last_used_at {ts},
    PRIMARY KEY (organization_id, user_id),
    FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX calendar_feeds_token_key ON calendar_feeds (token_hash);

CREATE TABLE push_subscriptions (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    user_id {uuid} NOT NULL,
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at {ts} NOT NULL,
    last_error TEXT,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX push_subscriptions_endpoint_key ON push_subscriptions (organization_id, user_id, endpoint);

ALTER TABLE tasks ADD COLUMN reminders {json} NOT NULL DEFAULT '[]'
"#;

const BY_TOKEN: &str = "organization_id = NULLIF(current_setting('lovedcrm.org_id', true), '')::uuid \
     OR token_hash = NULLIF(current_setting('lovedcrm.credential', true), '')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await?;
        for table in [
            "calendar_events",
            "event_attendees",
            "reminder_firings",
            "push_subscriptions",
        ] {
            rls::protect(manager, table).await?;
        }
        rls::protect_with(manager, "calendar_feeds", BY_TOKEN).await?;
        Ok(())
    }
}
