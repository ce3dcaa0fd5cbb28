use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::{self, DbErr, Row, TenantTx};

/// The type of a custom field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Number,
    Date,
    Select,
    MultiSelect,
    Checkbox,
    Url,
    Email,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Select => "select",
            Kind::MultiSelect => "multi_select",
            Kind::Checkbox => "checkbox",
            Kind::Url => "url",
            Kind::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        serde_json::from_value(Json::String(s.to_string())).ok()
    }
}

#[derive(Debug, Clone, Row, Serialize, ToSchema)]
pub struct Definition {
    pub id: Uuid,
    pub entity_type: String,
    /// The key in `custom_fields`, e.g. `budget`.
    #[serde(rename = "key")]
    pub field_key: String,
    pub label: String,
    /// `text`, `number`, `date`, `select`, `multi_select`, `checkbox`, `url` or `email`.
    pub kind: String,
    /// The choices of `select` and `multi_select` fields.
    #[schema(value_type = Vec<String>)]
    pub options: Json,
    pub required: bool,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

const COLUMNS: &str = "SELECT id, entity_type, field_key, label, kind, options, required, position, \
     created_at, updated_at, version FROM custom_field_definitions WHERE organization_id = $1";

pub async fn for_entity(tx: &TenantTx, entity_type: &str) -> Result<Vec<Definition>, DbErr> {
    db::fetch_all(
        &**tx,
        &format!("{COLUMNS} AND entity_type = $2 ORDER BY position, field_key"),
        vec![tx.org_id().into(), entity_type.into()],
    )
    .await
}

pub async fn all(tx: &TenantTx) -> Result<Vec<Definition>, DbErr> {
    db::fetch_all(
        &**tx,
        &format!("{COLUMNS} ORDER BY entity_type, position, field_key"),
        vec![tx.org_id().into()],
    )
    .await
}

pub async fn get(tx: &TenantTx, id: Uuid) -> Result<Option<Definition>, DbErr> {
    db::fetch_one(
        &**tx,
        &format!("{COLUMNS} AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await
}

pub async fn insert(tx: &TenantTx, d: &Definition) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "INSERT INTO custom_field_definitions (organization_id, id, entity_type, field_key, label, \
         kind, options, required, position, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)",
        vec![
            tx.org_id().into(),
            d.id.into(),
            d.entity_type.clone().into(),
            d.field_key.clone().into(),
            d.label.clone().into(),
            d.kind.clone().into(),
            d.options.clone().into(),
            d.required.into(),
            d.position.into(),
            d.created_at.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Saves label, options, required and position if still at `version`.
pub async fn update(tx: &TenantTx, d: &Definition) -> Result<bool, DbErr> {
    let n = db::exec(
        &**tx,
        "UPDATE custom_field_definitions SET label = $3, options = $4, required = $5, position = $6, \
         updated_at = $7, version = version + 1 WHERE organization_id = $1 AND id = $2 AND version = $8",
        vec![
            tx.org_id().into(),
            d.id.into(),
            d.label.clone().into(),
            d.options.clone().into(),
            d.required.into(),
            d.position.into(),
            db::now().into(),
            d.version.into(),
        ],
    )
    .await?;
    Ok(n == 1)
}

/// Deletes the definition if still at `version`; false when someone else
/// changed it first.
pub async fn delete(tx: &TenantTx, id: Uuid, version: i64) -> Result<bool, DbErr> {
    let n = db::exec(
        &**tx,
        "DELETE FROM custom_field_definitions WHERE organization_id = $1 AND id = $2 AND version = $3",
        vec![tx.org_id().into(), id.into(), version.into()],
    )
    .await?;
    Ok(n == 1)
}
