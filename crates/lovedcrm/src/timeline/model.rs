use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;

pub use crate::communications::model::CHANNELS;

/// Who a timeline entry is from.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Author {
    /// `contact`, `lead` or `member`.
    pub kind: String,
    pub id: Uuid,
    pub name: String,
}

/// One entry of a timeline.
#[derive(Debug, Clone, Row, Serialize, ToSchema)]
pub struct TimelineItem {
    /// `communication` or `activity`.
    pub item_type: String,
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub channel: Option<String>,
    pub direction: Option<String>,
    pub subject: Option<String>,
    pub content: Option<String>,
    pub status: Option<String>,
    /// For activities: `stage_changed`, `task_completed`, `note_added`, `comment_added`…
    pub kind: Option<String>,
    pub actor_id: Option<Uuid>,
    /// The contact a communication is with.
    pub contact_id: Option<Uuid>,
    /// The lead a communication is about.
    pub lead_id: Option<Uuid>,
    /// Who it is from: for an inbound message the contact (or the lead when
    /// it has no contact), never the member who logged it; otherwise the
    /// member who sent, logged or did it.
    #[sea_orm(skip)]
    pub author: Option<Author>,
    /// Communication metadata or activity details.
    #[schema(value_type = Option<Object>)]
    pub data: Option<Json>,
    #[schema(value_type = Option<Vec<Object>>)]
    pub attachments: Option<Json>,
}
