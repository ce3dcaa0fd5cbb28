//! Company queries.

use uuid::Uuid;

use super::model::{COLUMNS, Company};
use crate::db::{self, DbErr, Row, TenantTx};
use crate::records::search;

const TABLE: &str = "companies";

pub async fn exists(tx: &TenantTx, id: Uuid) -> Result<bool, DbErr> {
    crate::records::fields::exists(tx, TABLE, id).await
}

/// One company, if it exists and `visible` (a SQL condition from
/// `records::visibility::sql` with parameters from `$3`) holds.
pub async fn get(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<Option<Company>, DbErr> {
    let (condition, mut extra) = visible;
    let mut values = vec![tx.org_id().into(), id.into()];
    values.append(&mut extra);
    db::fetch_one(
        &**tx,
        &format!(
            "SELECT {COLUMNS} FROM companies WHERE organization_id = $1 AND id = $2 AND {condition}"
        ),
        values,
    )
    .await
}

#[derive(Row)]
pub struct Counts {
    pub contact_count: i64,
    pub open_lead_count: i64,
}

/// How many contacts and open leads point at the company, in one query.
pub async fn counts(tx: &TenantTx, id: Uuid) -> Result<Option<Counts>, DbErr> {
    db::fetch_one(
        &**tx,
        "SELECT (SELECT COUNT(*) FROM contacts WHERE organization_id = $1 AND company_id = $2) \
           AS contact_count, \
         (SELECT COUNT(*) FROM leads WHERE organization_id = $1 AND company_id = $2 \
           AND status = 'open') AS open_lead_count",
        vec![tx.org_id().into(), id.into()],
    )
    .await
}

fn search_text(c: &Company) -> String {
    search::text([
        Some(c.name.as_str()),
        c.domain.as_deref(),
        c.industry.as_deref(),
    ])
}

pub async fn insert(tx: &TenantTx, c: &Company) -> Result<(), DbErr> {
    let text = search_text(c);
    db::exec(
        &**tx,
        "INSERT INTO companies (organization_id, id, name, description, industry, domain, size, \
         address, owner_id, custom_fields, search_text, search_rowid, created_by, created_at, \
         updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, 1)",
        vec![
            tx.org_id().into(),
            c.id.into(),
            c.name.clone().into(),
            c.description.clone().into(),
            c.industry.clone().into(),
            c.domain.clone().into(),
            c.size.clone().into(),
            c.address.clone().into(),
            c.owner_id.into(),
            c.custom_fields.clone().into(),
            text.clone().into(),
            search::rowid(c.id).into(),
            c.created_by.into(),
            c.created_at.into(),
        ],
    )
    .await?;
    search::index(tx, TABLE, c.id, &text).await
}

/// Saves every editable column if the row is still at `c.version`;
/// false when someone else changed it first.
pub async fn update(tx: &TenantTx, c: &Company) -> Result<bool, DbErr> {
    let text = search_text(c);
    let changed = db::exec(
        &**tx,
        "UPDATE companies SET name = $3, description = $4, industry = $5, domain = $6, \
         size = $7, address = $8, owner_id = $9, custom_fields = $10, search_text = $11, \
         updated_at = $12, version = version + 1 \
         WHERE organization_id = $1 AND id = $2 AND version = $13",
        vec![
            tx.org_id().into(),
            c.id.into(),
            c.name.clone().into(),
            c.description.clone().into(),
            c.industry.clone().into(),
            c.domain.clone().into(),
            c.size.clone().into(),
            c.address.clone().into(),
            c.owner_id.into(),
            c.custom_fields.clone().into(),
            text.clone().into(),
            db::now().into(),
            c.version.into(),
        ],
    )
    .await?;
    if changed == 1 {
        search::index(tx, TABLE, c.id, &text).await?;
    }
    Ok(changed == 1)
}

/// Deletes the company. Contacts, leads and projects stay and lose the link;
/// so do tasks and activities that also belong to another record. The
/// company's own tasks, notes, comments and activities go with it (the
/// schema cascades them).
pub async fn delete(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    for sql in [
        "UPDATE contacts SET company_id = NULL WHERE organization_id = $1 AND company_id = $2",
        "UPDATE leads SET company_id = NULL WHERE organization_id = $1 AND company_id = $2",
        "UPDATE projects SET company_id = NULL WHERE organization_id = $1 AND company_id = $2",
        "UPDATE activities SET company_id = NULL WHERE organization_id = $1 AND company_id = $2 \
         AND (lead_id IS NOT NULL OR contact_id IS NOT NULL)",
        "UPDATE tasks SET company_id = NULL WHERE organization_id = $1 AND company_id = $2 \
         AND (lead_id IS NOT NULL OR contact_id IS NOT NULL OR project_id IS NOT NULL)",
        // The tags of the tasks about to cascade away.
        "DELETE FROM record_tags WHERE organization_id = $1 AND entity_type = 'task' \
         AND record_id IN (SELECT id FROM tasks WHERE organization_id = $1 AND company_id = $2)",
        "DELETE FROM companies WHERE organization_id = $1 AND id = $2",
    ] {
        db::exec(&**tx, sql, vec![tx.org_id().into(), id.into()]).await?;
    }
    crate::tags::store::clear_record(tx, super::ENTITY, id).await?;
    search::unindex(tx, TABLE, id).await
}
