use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};
use crate::records::patch::nullable;

pub const ENTITY: &str = "project";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Planned,
    InProgress,
    Completed,
    OnHold,
}

impl ProjectStatus {
    pub const NAMES: &'static [&'static str] = &["planned", "in_progress", "completed", "on_hold"];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::OnHold => "on_hold",
        }
    }
}

#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct Project {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    #[schema(value_type = ProjectStatus)]
    pub status: String,
    pub company_id: Option<Uuid>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<NaiveDate>,
    pub owner_id: Option<Uuid>,
    #[schema(value_type = Object)]
    pub custom_fields: Json,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// "Last updated": also moves when a task of the project is added,
    /// changed or removed.
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A project as the API returns it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProjectOut {
    #[serde(flatten)]
    pub project: Project,
    /// Members assigned to the project, sorted.
    pub assignee_ids: Vec<Uuid>,
    pub tags: Vec<String>,
    pub task_count: i64,
    /// Tasks not `done`.
    pub open_task_count: i64,
}

pub const COLUMNS: &str = "projects.id, projects.organization_id, projects.name, \
    projects.description, projects.status, projects.company_id, projects.due_date, \
    projects.owner_id, projects.custom_fields, projects.created_by, projects.created_at, \
    projects.updated_at, projects.version";

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
    table: "projects",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("name", FieldKind::Text, true, false),
        field(
            "status",
            FieldKind::Enum(ProjectStatus::NAMES),
            false,
            false,
        ),
        field("company_id", FieldKind::Uuid, false, true),
        field("due_date", FieldKind::Date, true, true),
        field("owner_id", FieldKind::Uuid, false, true),
        field("created_by", FieldKind::Uuid, false, true),
        field("created_at", FieldKind::Timestamp, true, false),
        field("updated_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

/// `POST /projects`: `name` is required; `status` defaults to `planned`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
    pub name: Option<String>,
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
    pub company_id: Option<Uuid>,
    /// Members of the organization.
    #[serde(default)]
    pub assignee_ids: Vec<Uuid>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<NaiveDate>,
    /// Defaults to the creator.
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
}

/// `PATCH /projects/{id}`: JSON merge semantics (absent = unchanged, null = cleared).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchProject {
    /// Required: `null` or blank is refused.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// Required: `null` is refused.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<ProjectStatus>)]
    pub status: Option<Option<ProjectStatus>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub company_id: Option<Option<Uuid>>,
    /// Replaces the assignees; `null` removes them all.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<Uuid>>)]
    pub assignee_ids: Option<Option<Vec<Uuid>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_id: Option<Option<Uuid>>,
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_spec_is_valid() {
        assert_eq!(SPEC.validate(), Ok(()));
    }

    #[test]
    fn status_names_match_the_wire_form() {
        for s in [
            ProjectStatus::Planned,
            ProjectStatus::InProgress,
            ProjectStatus::Completed,
            ProjectStatus::OnHold,
        ] {
            assert_eq!(serde_json::to_value(s).ok(), Some(Json::from(s.as_str())));
            assert!(ProjectStatus::NAMES.contains(&s.as_str()));
        }
    }
}
