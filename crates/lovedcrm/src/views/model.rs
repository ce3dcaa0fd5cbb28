//! A saved view: a list's filters, sort and columns under a name.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};

pub const ENTITY: &str = "view";

/// The lists a view can be of.
pub const LISTS: &[&str] = &["contacts", "companies", "leads", "tasks", "projects"];

#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct View {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    /// `contacts`, `companies`, `leads`, `tasks` or `projects`.
    pub entity_type: String,
    /// The list's query string: `field[op]=value` filters, `sort`, `q`, `tags`.
    pub query: String,
    /// The columns shown, in order.
    #[schema(value_type = Vec<String>)]
    pub columns: Json,
    /// Every member sees a shared view; a personal one only its creator.
    pub shared: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

pub const COLUMNS: &str = "saved_views.id, saved_views.organization_id, saved_views.name, \
    saved_views.entity_type, saved_views.query, saved_views.columns, saved_views.shared, \
    saved_views.created_by, saved_views.created_at, saved_views.updated_at, saved_views.version";

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
    table: "saved_views",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("name", FieldKind::Text, true, false),
        field("entity_type", FieldKind::Text, false, false),
        field("shared", FieldKind::Boolean, false, false),
        field("created_by", FieldKind::Uuid, false, true),
        field("created_at", FieldKind::Timestamp, true, false),
        field("updated_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("name", Dir::Asc)],
};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateView {
    pub name: String,
    pub entity_type: String,
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub shared: bool,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchView {
    pub name: Option<String>,
    pub query: Option<String>,
    pub columns: Option<Vec<String>>,
    pub shared: Option<bool>,
}
