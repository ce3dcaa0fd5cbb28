use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};
use crate::notes::target::Target;

pub const ENTITY: &str = "comment";
/// The longest comment body, in characters.
pub const MAX_BODY: usize = 10_000;

/// A comment on exactly one lead, contact, company, project or task.
#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct Comment {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    /// Text with mention tokens `@[Display Name](user:UUID)`.
    pub body: String,
    /// The ids of the members mentioned.
    #[schema(value_type = Vec<Uuid>)]
    pub mentions: Json,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl Comment {
    pub fn target(&self) -> Option<Target> {
        Target::from_row([
            self.lead_id,
            self.contact_id,
            self.company_id,
            self.project_id,
            self.task_id,
        ])
    }

    /// The mentioned member ids as stored.
    pub fn mentioned(&self) -> Vec<Uuid> {
        serde_json::from_value(self.mentions.clone()).unwrap_or_default()
    }
}

pub const COLUMNS: &str = "comments.id, comments.organization_id, comments.lead_id, comments.contact_id, \
    comments.company_id, comments.project_id, comments.task_id, comments.body, comments.mentions, \
    comments.created_by, comments.created_at, comments.updated_at, comments.version";

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
    table: "comments",
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

/// `POST /comments`: the text and exactly one record it is about.
/// Mentions are the `@[Name](user:UUID)` tokens of `body` plus `mentions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateComment {
    pub body: String,
    /// Members to mention besides the tokens in `body`.
    #[serde(default)]
    pub mentions: Vec<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
}

/// `PATCH /comments/{id}`: the author edits the text. Mentions are
/// recomputed from the (new) body plus `mentions`; only members not
/// mentioned before are notified.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchComment {
    pub body: Option<String>,
    pub mentions: Option<Vec<Uuid>>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_spec_is_valid() {
        assert_eq!(super::SPEC.validate(), Ok(()));
    }
}
