use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};
use crate::records::patch::nullable;

pub const ENTITY: &str = "lead";

pub const STATUSES: &[&str] = &["open", "won", "lost"];
pub const SOURCES: &[&str] = &[
    "manual", "web", "whatsapp", "email", "voip", "import", "api", "referral", "form", "ads",
    "other",
];
pub const CHANNELS: &[&str] = &["whatsapp", "email", "call", "sms", "meeting", "note"];

#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct Lead {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// The lead's name as shown on its card (`full_name` when creating).
    pub title: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company_name: Option<String>,
    pub company_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    /// Order within the stage's column (smaller first).
    pub position: f64,
    /// `open`, `won` or `lost`.
    pub status: String,
    pub lost_reason: Option<String>,
    /// In `currency`, major units (e.g. 1500.50).
    pub estimated_value: Option<f64>,
    pub currency: String,
    /// 0 to 100; defaults to the stage's probability.
    pub probability: Option<i32>,
    pub expected_close_date: Option<NaiveDate>,
    pub source: String,
    pub score: Option<i32>,
    pub assigned_to: Option<Uuid>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub last_contact_channel: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub converted_at: Option<DateTime<Utc>>,
    #[schema(value_type = Object)]
    pub custom_fields: Json,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeadOut {
    #[serde(flatten)]
    pub lead: Lead,
    pub tags: Vec<String>,
}

pub const COLUMNS: &str = "leads.id, leads.organization_id, leads.title, leads.email, leads.phone, \
    leads.company_name, leads.company_id, leads.contact_id, leads.pipeline_id, leads.stage_id, \
    leads.position, leads.status, leads.lost_reason, leads.estimated_value, leads.currency, \
    leads.probability, leads.expected_close_date, leads.source, leads.score, leads.assigned_to, \
    leads.last_contact_at, leads.last_contact_channel, leads.closed_at, leads.converted_at, \
    leads.custom_fields, leads.created_by, leads.created_at, leads.updated_at, leads.version";

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
    table: "leads",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        Field {
            name: "full_name",
            column: "title",
            kind: FieldKind::Text,
            sortable: true,
            nullable: false,
        },
        field("title", FieldKind::Text, true, false),
        field("email", FieldKind::Text, true, true),
        field("phone", FieldKind::Text, false, true),
        field("company_name", FieldKind::Text, true, true),
        field("company_id", FieldKind::Uuid, false, true),
        field("contact_id", FieldKind::Uuid, false, true),
        field("pipeline_id", FieldKind::Uuid, false, false),
        field("stage_id", FieldKind::Uuid, false, false),
        field("position", FieldKind::Decimal, true, false),
        field("status", FieldKind::Enum(STATUSES), true, false),
        field("estimated_value", FieldKind::Decimal, true, true),
        field("currency", FieldKind::Text, false, false),
        field("probability", FieldKind::Integer, true, true),
        field("expected_close_date", FieldKind::Date, true, true),
        field("source", FieldKind::Enum(SOURCES), true, false),
        field("score", FieldKind::Integer, true, true),
        field("assigned_to", FieldKind::Uuid, false, true),
        field("last_contact_at", FieldKind::Timestamp, true, true),
        field(
            "last_contact_channel",
            FieldKind::Enum(CHANNELS),
            false,
            true,
        ),
        field("closed_at", FieldKind::Timestamp, true, true),
        field("created_by", FieldKind::Uuid, false, true),
        field("created_at", FieldKind::Timestamp, true, false),
        field("updated_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

/// `POST /leads`. Pipeline and stage default to the default pipeline's first stage.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLead {
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company_name: Option<String>,
    pub company_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub estimated_value: Option<f64>,
    /// ISO 4217, default `BRL`.
    pub currency: Option<String>,
    pub probability: Option<i32>,
    pub expected_close_date: Option<NaiveDate>,
    pub source: Option<String>,
    pub score: Option<i32>,
    /// Defaults to the creator.
    pub assigned_to: Option<Uuid>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
    /// Only when creating straight into a closing stage: `won` or `lost`.
    pub status: Option<String>,
    pub lost_reason: Option<String>,
}

/// `PATCH /leads/{id}` (merge semantics). Stage moves go through `PATCH /leads/{id}/stage`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchLead {
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub company_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub company_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub contact_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub estimated_value: Option<Option<f64>>,
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>)]
    pub probability: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub expected_close_date: Option<Option<NaiveDate>>,
    pub source: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>)]
    pub score: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub lost_reason: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
}

/// `PATCH /leads/{id}/stage`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveLead {
    pub stage_id: Uuid,
    /// 0-based place in the target column (default: last).
    pub position: Option<u32>,
    /// Required when the target stage is a closing stage: `won` or `lost`.
    pub outcome: Option<String>,
    /// Why it was lost (required for `lost`).
    pub lost_reason: Option<String>,
}
