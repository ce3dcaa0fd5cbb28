use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};
use crate::records::patch::nullable;

pub const ENTITY: &str = "task";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Todo,
    InProgress,
    Done,
}

impl TaskStatus {
    pub const NAMES: &'static [&'static str] = &["todo", "in_progress", "done"];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Todo => "todo",
            Self::InProgress => "in_progress",
            Self::Done => "done",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskPriority {
    Low,
    Medium,
    High,
    Urgent,
}

impl TaskPriority {
    pub const NAMES: &'static [&'static str] = &["low", "medium", "high", "urgent"];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }
}

#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct Task {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    #[schema(value_type = TaskStatus)]
    pub status: String,
    #[schema(value_type = TaskPriority)]
    pub priority: String,
    pub assignee_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub due_date: Option<DateTime<Utc>>,
    /// Set when the status becomes `done`, cleared when it leaves `done`.
    pub completed_at: Option<DateTime<Utc>>,
    #[schema(value_type = Object)]
    pub custom_fields: Json,
    /// Reminders before `due_date`, to the assignee.
    #[schema(value_type = Vec<crate::calendar::model::Reminder>)]
    pub reminders: Json,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A task with its tags, as the API returns it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaskOut {
    #[serde(flatten)]
    pub task: Task,
    pub tags: Vec<String>,
}

pub const COLUMNS: &str = "tasks.id, tasks.organization_id, tasks.name, tasks.description, \
    tasks.status, tasks.priority, tasks.assignee_id, tasks.project_id, tasks.lead_id, \
    tasks.contact_id, tasks.company_id, tasks.due_date, tasks.completed_at, \
    tasks.custom_fields, tasks.reminders, tasks.created_by, tasks.created_at, tasks.updated_at, \
    tasks.version";

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
    table: "tasks",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("name", FieldKind::Text, true, false),
        field("status", FieldKind::Enum(TaskStatus::NAMES), false, false),
        field(
            "priority",
            FieldKind::Enum(TaskPriority::NAMES),
            false,
            false,
        ),
        field("assignee_id", FieldKind::Uuid, false, true),
        field("project_id", FieldKind::Uuid, false, true),
        field("lead_id", FieldKind::Uuid, false, true),
        field("contact_id", FieldKind::Uuid, false, true),
        field("company_id", FieldKind::Uuid, false, true),
        field("due_date", FieldKind::Timestamp, true, true),
        field("completed_at", FieldKind::Timestamp, true, true),
        field("created_by", FieldKind::Uuid, false, true),
        field("created_at", FieldKind::Timestamp, true, false),
        field("updated_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

/// `POST /tasks`: `name` is required; `status` defaults to `todo`,
/// `priority` to `medium`, the assignee to the creator (`null`: nobody).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTask {
    pub name: Option<String>,
    pub description: Option<String>,
    pub status: Option<TaskStatus>,
    pub priority: Option<TaskPriority>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub assignee_id: Option<Option<Uuid>>,
    pub project_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    /// RFC 3339.
    pub due_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
    /// Reminders before the due time (minutes), to the assignee.
    #[serde(default)]
    pub reminders: Vec<crate::calendar::model::Reminder>,
}

/// `PATCH /tasks/{id}`: JSON merge semantics (absent = unchanged, null = cleared).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchTask {
    /// Required: `null` or blank is refused.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// Required: `null` is refused.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<TaskStatus>)]
    pub status: Option<Option<TaskStatus>>,
    /// Required: `null` is refused.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<TaskPriority>)]
    pub priority: Option<Option<TaskPriority>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub assignee_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub project_id: Option<Option<Uuid>>,
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
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub due_date: Option<Option<DateTime<Utc>>>,
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
    pub reminders: Option<Vec<crate::calendar::model::Reminder>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_spec_is_valid() {
        assert_eq!(SPEC.validate(), Ok(()));
    }

    #[test]
    fn enum_names_match_the_wire_form() {
        for s in [TaskStatus::Todo, TaskStatus::InProgress, TaskStatus::Done] {
            assert_eq!(serde_json::to_value(s).ok(), Some(Json::from(s.as_str())));
            assert!(TaskStatus::NAMES.contains(&s.as_str()));
        }
        for p in [
            TaskPriority::Low,
            TaskPriority::Medium,
            TaskPriority::High,
            TaskPriority::Urgent,
        ] {
            assert_eq!(serde_json::to_value(p).ok(), Some(Json::from(p.as_str())));
            assert!(TaskPriority::NAMES.contains(&p.as_str()));
        }
    }
}
