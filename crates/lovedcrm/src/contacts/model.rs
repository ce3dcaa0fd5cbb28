use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};
use crate::records::patch::nullable;

pub const ENTITY: &str = "contact";

#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct Contact {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Display name: "first last", or what was given as `name`.
    pub name: String,
    pub email: Option<String>,
    /// E.164, e.g. `+5511912345678`.
    pub phone: Option<String>,
    pub job_position: Option<String>,
    pub company_id: Option<Uuid>,
    pub address: Option<String>,
    pub source: Option<String>,
    pub owner_id: Option<Uuid>,
    #[schema(value_type = Object)]
    pub custom_fields: Json,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A contact with its tags, as the API returns it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContactOut {
    #[serde(flatten)]
    pub contact: Contact,
    pub tags: Vec<String>,
}

pub const COLUMNS: &str = "contacts.id, contacts.organization_id, contacts.first_name, \
    contacts.last_name, contacts.name, contacts.email, contacts.phone, contacts.job_position, \
    contacts.company_id, contacts.address, contacts.source, contacts.owner_id, \
    contacts.custom_fields, contacts.created_by, contacts.created_at, contacts.updated_at, \
    contacts.version";

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
    table: "contacts",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("name", FieldKind::Text, true, false),
        field("first_name", FieldKind::Text, true, true),
        field("last_name", FieldKind::Text, true, true),
        field("email", FieldKind::Text, true, true),
        field("phone", FieldKind::Text, false, true),
        field("job_position", FieldKind::Text, true, true),
        field("company_id", FieldKind::Uuid, false, true),
        field("source", FieldKind::Text, true, true),
        field("owner_id", FieldKind::Uuid, false, true),
        field("created_by", FieldKind::Uuid, false, true),
        field("created_at", FieldKind::Timestamp, true, false),
        field("updated_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

/// `POST /contacts`: any subset; `name` alone is split into first and last.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContact {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub job_position: Option<String>,
    pub company_id: Option<Uuid>,
    pub address: Option<String>,
    pub source: Option<String>,
    /// Defaults to the creator.
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
}

/// `PATCH /contacts/{id}`: JSON merge semantics (absent = unchanged, null = cleared).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchContact {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub last_name: Option<Option<String>>,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub job_position: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub company_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub source: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_id: Option<Option<Uuid>>,
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
}
