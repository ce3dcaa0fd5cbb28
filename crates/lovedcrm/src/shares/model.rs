use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::Row;

pub const ENTITY: &str = "share";

/// One record shared with one member.
#[derive(Debug, Clone, Row, Serialize, ToSchema)]
pub struct Share {
    pub id: Uuid,
    pub organization_id: Uuid,
    /// `contact`, `company`, `lead`, `project` or `task`.
    pub entity_type: String,
    pub record_id: Uuid,
    /// The member the record is shared with.
    pub user_id: Uuid,
    /// `read`: they see it; `write`: they may also change it. Deleting
    /// stays with the record's owner and managers.
    pub access: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub const COLUMNS: &str = "record_shares.id, record_shares.organization_id, record_shares.entity_type, \
    record_shares.record_id, record_shares.user_id, record_shares.access, record_shares.created_by, \
    record_shares.created_at";

/// What a share may allow.
pub const ACCESS: [&str; 2] = ["read", "write"];

/// `POST /shares`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShare {
    /// `contact`, `company`, `lead`, `project` or `task`.
    pub entity_type: String,
    pub record_id: Uuid,
    /// The member to share with.
    pub user_id: Uuid,
    /// `read` (default) or `write`.
    pub access: Option<String>,
}

/// `GET /shares?entity_type=&record_id=`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShareQuery {
    /// `contact`, `company`, `lead`, `project` or `task`.
    pub entity_type: String,
    pub record_id: Uuid,
}

/// The shares of one record.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareList {
    pub data: Vec<Share>,
    pub next_cursor: Option<String>,
    pub has_more: bool,
}
