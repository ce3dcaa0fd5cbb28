use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::target::Target;
use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};

pub const ENTITY: &str = "note";
/// The longest note body, in characters.
pub const MAX_BODY: usize = 20_000;

/// A note on exactly one lead, contact, company, project or task.
#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct Note {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub body: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl Note {
    pub fn target(&self) -> Option<Target> {
        Target::from_row([
            self.lead_id,
            self.contact_id,
            self.company_id,
            self.project_id,
            self.task_id,
        ])
    }
}

pub const COLUMNS: &str = "notes.id, notes.organization_id, notes.lead_id, notes.contact_id, \
    notes.company_id, notes.project_id, notes.task_id, notes.body, notes.created_by, \
    notes.created_at, notes.updated_at, notes.version";

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
    table: "notes",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("lead_id", FieldKind::Uuid, false, true),
        field("contact_id", FieldKind::Uuid, false, true),
        field("company_id", FieldKind::Uuid, false, true),
        field("project_id", FieldKind::Uuid, false, true),
        field("task_id", FieldKind::Uuid, false, true),
        field("created_by", FieldKind::Uuid, false, true),
        field("created_at", FieldKind::Timestamp, true, false),
        field("updated_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

/// `POST /notes`: the text and exactly one record it is about.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateNote {
    pub body: String,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
}

/// `PATCH /notes/{id}`: only the text changes; a note never moves.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchNote {
    pub body: Option<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_spec_is_valid() {
        assert_eq!(super::SPEC.validate(), Ok(()));
    }
}
