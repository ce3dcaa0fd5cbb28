use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::lists::{Dir, Field, FieldKind, ListSpec};
use crate::records::patch::nullable;

pub const ENTITY: &str = "company";

#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct Company {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub industry: Option<String>,
    /// The bare web domain, e.g. `acme.com`.
    pub domain: Option<String>,
    /// Head count band, e.g. `11-50`.
    pub size: Option<String>,
    pub address: Option<String>,
    pub owner_id: Option<Uuid>,
    #[schema(value_type = Object)]
    pub custom_fields: Json,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A company with its tags, as the API returns it. One company read by id
/// also carries how many contacts and open leads point at it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompanyOut {
    #[serde(flatten)]
    pub company: Company,
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_lead_count: Option<i64>,
}

pub const COLUMNS: &str = "companies.id, companies.organization_id, companies.name, \
    companies.description, companies.industry, companies.domain, companies.size, \
    companies.address, companies.owner_id, companies.custom_fields, companies.created_by, \
    companies.created_at, companies.updated_at, companies.version";

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
    table: "companies",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("name", FieldKind::Text, true, false),
        field("industry", FieldKind::Text, true, true),
        field("domain", FieldKind::Text, true, true),
        field("size", FieldKind::Text, true, true),
        field("address", FieldKind::Text, false, true),
        field("owner_id", FieldKind::Uuid, false, true),
        field("created_by", FieldKind::Uuid, false, true),
        field("created_at", FieldKind::Timestamp, true, false),
        field("updated_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

/// `POST /companies`: `name` is required; `domain` may be a URL.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCompany {
    pub name: Option<String>,
    pub description: Option<String>,
    pub industry: Option<String>,
    pub domain: Option<String>,
    pub size: Option<String>,
    pub address: Option<String>,
    /// Defaults to the creator.
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
}

/// `PATCH /companies/{id}`: JSON merge semantics (absent = unchanged, null = cleared).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchCompany {
    /// Required: `null` or blank is refused.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub industry: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub domain: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub size: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_id: Option<Option<Uuid>>,
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Json>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_spec_is_valid() {
        assert_eq!(super::SPEC.validate(), Ok(()));
    }
}
