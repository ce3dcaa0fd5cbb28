use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};

pub const ENTITY: &str = "notification";

/// One notification of one member.
#[derive(Debug, Clone, Row, Serialize, ToSchema)]
pub struct Notification {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// The member it is for (always the caller).
    pub user_id: Uuid,
    /// `mention`, `share`…
    pub kind: String,
    /// E.g. "Ana mentioned you on Lead Acme".
    pub title: String,
    /// The record it is about (`lead`, `contact`, `company`, `project`, `task`).
    pub entity_type: Option<String>,
    pub entity_id: Option<Uuid>,
    /// Kind-specific details, e.g. `{comment_id, excerpt}` for a mention.
    #[schema(value_type = Object)]
    pub data: Json,
    /// When it was read; `null` while unread.
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// What another module asks to notify.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user_id: Uuid,
    pub kind: &'static str,
    pub title: String,
    pub entity_type: Option<&'static str>,
    pub entity_id: Option<Uuid>,
    pub data: Json,
}

pub const COLUMNS: &str = "notifications.id, notifications.organization_id, notifications.user_id, \
    notifications.kind, notifications.title, notifications.entity_type, notifications.entity_id, \
    notifications.data, notifications.read_at, notifications.created_at";

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
    table: "notifications",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("kind", FieldKind::Text, false, false),
        field("entity_type", FieldKind::Text, false, true),
        field("entity_id", FieldKind::Uuid, false, true),
        field("read_at", FieldKind::Timestamp, true, true),
        field("created_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

/// `GET /notifications/unread-count`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    pub count: u64,
}

/// `POST /notifications/read-all`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadAll {
    /// How many notifications were marked read.
    pub updated: u64,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_spec_is_valid() {
        assert_eq!(super::SPEC.validate(), Ok(()));
    }
}
