//! A communication as it is stored, listed, created and changed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};

pub const CHANNELS: &[&str] = &["whatsapp", "email", "call", "sms", "meeting", "note"];
pub const DIRECTIONS: &[&str] = &["inbound", "outbound", "internal"];
pub const STATUSES: &[&str] = &["pending", "sent", "delivered", "read", "failed"];

/// One interaction: a message, a call, a meeting or a note.
#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct Communication {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    /// `whatsapp`, `email`, `call`, `sms`, `meeting` or `note`.
    pub channel: String,
    /// `inbound`, `outbound` or `internal`.
    pub direction: String,
    pub subject: Option<String>,
    pub content: Option<String>,
    /// Per channel: e.g. `duration_seconds`, `recording_url` for calls;
    /// `message_id`, `in_reply_to`, `from`, `to` for email.
    #[schema(value_type = Object)]
    pub metadata: Json,
    #[schema(value_type = Vec<Object>)]
    pub attachments: Json,
    /// Who delivered it: `manual` when logged by hand.
    pub provider: String,
    /// The provider's id; unique per organization and provider.
    pub external_id: Option<String>,
    /// `pending`, `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    pub sent_at: DateTime<Utc>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

pub const COLUMNS: &str = "communications.id, communications.organization_id, communications.lead_id, \
    communications.contact_id, communications.channel, communications.direction, \
    communications.subject, communications.content, communications.metadata, \
    communications.attachments, communications.provider, communications.external_id, \
    communications.status, communications.sent_at, communications.created_by, \
    communications.created_at, communications.updated_at, communications.version";

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
    table: "communications",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("lead_id", FieldKind::Uuid, false, true),
        field("contact_id", FieldKind::Uuid, false, true),
        field("channel", FieldKind::Enum(CHANNELS), true, false),
        field("direction", FieldKind::Enum(DIRECTIONS), true, false),
        field("subject", FieldKind::Text, true, true),
        field("provider", FieldKind::Text, false, false),
        field("external_id", FieldKind::Text, false, true),
        field("status", FieldKind::Enum(STATUSES), true, false),
        field("sent_at", FieldKind::Timestamp, true, false),
        field("created_by", FieldKind::Uuid, false, true),
        field("created_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("sent_at", Dir::Desc)],
};

/// `POST /communications`: log a call, email, meeting, WhatsApp message or note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCommunication {
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub channel: String,
    /// Default `outbound` (`internal` for notes).
    pub direction: Option<String>,
    pub subject: Option<String>,
    pub content: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Json>,
    #[schema(value_type = Option<Vec<Object>>)]
    pub attachments: Option<Json>,
    /// Default `sent` (`delivered` for inbound).
    pub status: Option<String>,
    /// Default now.
    pub sent_at: Option<DateTime<Utc>>,
    /// Default `manual`.
    pub provider: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchCommunication {
    pub subject: Option<String>,
    pub content: Option<String>,
    pub status: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Json>,
}
