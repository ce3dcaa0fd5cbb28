//! A piece of feedback as stored and as sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};

pub const ENTITY: &str = "feedback";

/// The categories a member chooses from.
pub const CATEGORIES: &[&str] = &["bug", "idea", "question", "other"];

/// Feedback as admins read it (the screenshot is fetched on its own).
#[derive(Debug, Clone, Row, Serialize, ToSchema)]
pub struct Feedback {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// Who sent it; `null` once they left the organization.
    pub user_id: Option<Uuid>,
    /// `bug`, `idea`, `question` or `other`.
    pub category: String,
    pub message: String,
    /// The page it was sent from (the app's path).
    pub page: Option<String>,
    /// The browser's user agent.
    pub browser: Option<String>,
    pub app_version: Option<String>,
    /// Whether a screenshot came with it (`GET /feedback/{id}/screenshot`).
    pub has_screenshot: bool,
    pub created_at: DateTime<Utc>,
}

pub const COLUMNS: &str = "feedback.id, feedback.organization_id, feedback.user_id, feedback.category, \
    feedback.message, feedback.page, feedback.browser, feedback.app_version, \
    (feedback.screenshot IS NOT NULL) AS has_screenshot, feedback.created_at";

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
    table: "feedback",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("user_id", FieldKind::Uuid, false, true),
        field("category", FieldKind::Text, false, false),
        field("created_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

/// `POST /feedback`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeedback {
    /// `bug`, `idea`, `question` or `other`.
    pub category: String,
    /// What happened or what you would like (1 to 5,000 characters).
    pub message: String,
    /// The page it is about (the app's path).
    #[serde(default)]
    pub page: Option<String>,
    /// The app's version as the browser runs it.
    #[serde(default)]
    pub app_version: Option<String>,
    /// A PNG, JPEG or WebP `data:` URL of the page, at most 3 MiB decoded.
    #[serde(default)]
    pub screenshot: Option<String>,
}
