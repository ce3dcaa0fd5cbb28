//! Tag queries, and the tags of records.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::DbBackend;
use sea_orm::sea_query::SimpleExpr;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::{self, DbErr, Row, TenantTx};
use crate::error::{DomainError, FieldError};
use crate::records::search::fold;

#[derive(Debug, Clone, Row, Serialize, ToSchema)]
pub struct Tag {
    pub id: Uuid,
    pub name: String,
    pub color: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

pub const DEFAULT_COLOR: &str = "#64748b";
const MAX_TAGS: usize = 50;

/// Tags compare by their folded name: "Cliente VIP" and "cliente vip" are one tag.
pub fn key(name: &str) -> String {
    fold(name.trim())
}

/// Validates a list of tag names from a request body.
pub fn parse_names(field: &str, names: &[String]) -> Result<Vec<String>, FieldError> {
    if names.len() > MAX_TAGS {
        return Err(FieldError::new(field, format!("at most {MAX_TAGS} tags")));
    }
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let name = crate::users::fields::display_name(field, name, 50)?;
        if !out.iter().any(|n| key(n) == key(&name)) {
            out.push(name);
        }
    }
    Ok(out)
}

pub async fn list(tx: &TenantTx) -> Result<Vec<Tag>, DbErr> {
    db::fetch_all(
        &**tx,
        "SELECT id, name, color, created_at, updated_at, version FROM tags \
         WHERE organization_id = $1 ORDER BY name_key",
        vec![tx.org_id().into()],
    )
    .await
}

pub async fn get(tx: &TenantTx, id: Uuid) -> Result<Option<Tag>, DbErr> {
    db::fetch_one(
        &**tx,
        "SELECT id, name, color, created_at, updated_at, version FROM tags \
         WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await
}

/// Finds the tag named `name` or creates it.
pub async fn ensure(tx: &TenantTx, name: &str, color: Option<&str>) -> Result<Tag, DbErr> {
    let existing: Option<Tag> = db::fetch_one(
        &**tx,
        "SELECT id, name, color, created_at, updated_at, version FROM tags \
         WHERE organization_id = $1 AND name_key = $2",
        vec![tx.org_id().into(), key(name).into()],
    )
    .await?;
    if let Some(tag) = existing {
        return Ok(tag);
    }
    let now = db::now();
    let tag = Tag {
        id: Uuid::now_v7(),
        name: name.to_string(),
        color: color.unwrap_or(DEFAULT_COLOR).to_string(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    db::exec(
        &**tx,
        "INSERT INTO tags (organization_id, id, name, name_key, color, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, 1)",
        vec![
            tx.org_id().into(),
            tag.id.into(),
            tag.name.clone().into(),
            key(name).into(),
            tag.color.clone().into(),
            now.into(),
        ],
    )
    .await?;
    Ok(tag)
}

/// Replaces the tags of one record with `names` (creating missing tags).
pub async fn set_for_record(
    tx: &TenantTx,
    entity_type: &str,
    record_id: Uuid,
    names: &[String],
) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM record_tags WHERE organization_id = $1 AND entity_type = $2 AND record_id = $3",
        vec![tx.org_id().into(), entity_type.into(), record_id.into()],
    )
    .await?;
    for name in names {
        let tag = ensure(tx, name, None).await?;
        db::exec(
            &**tx,
            "INSERT INTO record_tags (organization_id, id, tag_id, entity_type, record_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                tx.org_id().into(),
                Uuid::now_v7().into(),
                tag.id.into(),
                entity_type.into(),
                record_id.into(),
                db::now().into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Removes every tag link of a deleted record.
pub async fn clear_record(tx: &TenantTx, entity_type: &str, record_id: Uuid) -> Result<(), DbErr> {
    set_for_record(tx, entity_type, record_id, &[]).await
}

#[derive(Row)]
struct RecordTag {
    record_id: Uuid,
    name: String,
}

/// The tag names of each record in `ids`, alphabetically.
pub async fn names_for(
    tx: &TenantTx,
    entity_type: &str,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
    let mut values = vec![tx.org_id().into(), entity_type.into()];
    values.extend(ids.iter().map(|id| (*id).into()));
    let rows: Vec<RecordTag> = db::fetch_all(
        &**tx,
        &format!(
            "SELECT rt.record_id, t.name FROM record_tags rt \
             JOIN tags t ON t.organization_id = rt.organization_id AND t.id = rt.tag_id \
             WHERE rt.organization_id = $1 AND rt.entity_type = $2 AND rt.record_id IN ({}) \
             ORDER BY t.name_key",
            placeholders.join(", ")
        ),
        values,
    )
    .await?;
    for row in rows {
        out.entry(row.record_id).or_default().push(row.name);
    }
    Ok(out)
}

/// The `tags` list filter: records carrying any of the comma-separated tags
/// (`tags=a,b`), or none at all (`tags=` with an empty value is refused).
pub fn filter(
    backend: DbBackend,
    table: &str,
    entity_type: &str,
    raw: &str,
) -> Result<SimpleExpr, DomainError> {
    let keys: Vec<String> = raw.split(',').map(key).filter(|k| !k.is_empty()).collect();
    if keys.is_empty() || keys.len() > 50 {
        return Err(DomainError::BadRequest {
            code: "invalid_filter",
            detail: "tags must list 1 to 50 comma-separated tag names".into(),
            errors: vec![FieldError::new("tags", "must list 1 to 50 tag names")],
        });
    }
    let marks = vec!["?"; keys.len()].join(", ");
    let mut values: Vec<sea_orm::Value> = vec![entity_type.into()];
    values.extend(keys.into_iter().map(Into::into));
    Ok(crate::records::custom(
        backend,
        &format!(
            "{table}.id IN (SELECT rt.record_id FROM record_tags rt JOIN tags t \
             ON t.organization_id = rt.organization_id AND t.id = rt.tag_id \
             WHERE rt.organization_id = {table}.organization_id AND rt.entity_type = ? \
             AND t.name_key IN ({marks}))"
        ),
        values,
    ))
}
