//! Custom fields in lists: `custom_fields.<key>[op]=value` filters and
//! `sort=custom_fields.<key>`, typed by the organization's definitions.

use sea_orm::ConnectionTrait;
use serde_json::Value as Json;

use super::store::{self, Kind};
use crate::db::{DbErr, TenantTx};
use crate::lists::{JsonFields, JsonKind, ListSpec};

/// The JSON column records keep their custom fields in.
pub const COLUMN: &str = "custom_fields";

/// The organization's custom fields of `entity_type`, as list fields of
/// `spec`'s table. Only defined keys can be named, so nothing the caller
/// types reaches the SQL text.
pub async fn list_fields(
    tx: &TenantTx,
    spec: &ListSpec,
    entity_type: &str,
) -> Result<JsonFields, DbErr> {
    let mut fields = JsonFields::new(spec, COLUMN, tx.get_database_backend());
    for def in store::for_entity(tx, entity_type).await? {
        let options = || -> Vec<String> {
            def.options
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Json::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default()
        };
        let kind = match Kind::parse(&def.kind) {
            Some(Kind::Text | Kind::Url | Kind::Email) => JsonKind::Text,
            Some(Kind::Number) => JsonKind::Number,
            Some(Kind::Date) => JsonKind::Date,
            Some(Kind::Checkbox) => JsonKind::Boolean,
            Some(Kind::Select) => JsonKind::Choice(options()),
            Some(Kind::MultiSelect) => JsonKind::Choices(options()),
            None => continue,
        };
        // Keys were checked when defined; one that is not valid here is
        // left out (and so reported as unknown) rather than failing the list.
        if let Err(e) = fields.add(&def.field_key, kind) {
            tracing::warn!(key = %def.field_key, error = %e, "custom field left out of lists");
        }
    }
    Ok(fields)
}
