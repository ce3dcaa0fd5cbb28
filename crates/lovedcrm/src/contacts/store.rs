//! Contact queries.

use uuid::Uuid;

use super::model::{COLUMNS, Contact};
use crate::db::{self, DbErr, TenantTx};
use crate::records::search;

const TABLE: &str = "contacts";

pub async fn exists(tx: &TenantTx, id: Uuid) -> Result<bool, DbErr> {
    crate::records::fields::exists(tx, TABLE, id).await
}

/// One contact, if it exists and `visible` (a SQL condition from
/// `records::visibility::sql` with parameters from `$3`) holds.
pub async fn get(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<Option<Contact>, DbErr> {
    let (condition, mut extra) = visible;
    let mut values = vec![tx.org_id().into(), id.into()];
    values.append(&mut extra);
    db::fetch_one(
        &**tx,
        &format!(
            "SELECT {COLUMNS} FROM contacts WHERE organization_id = $1 AND id = $2 AND {condition}"
        ),
        values,
    )
    .await
}

fn search_text(c: &Contact) -> String {
    search::text([
        Some(c.name.as_str()),
        c.email.as_deref(),
        c.phone.as_deref(),
        c.job_position.as_deref(),
    ])
}

pub async fn insert(tx: &TenantTx, c: &Contact) -> Result<(), DbErr> {
    let text = search_text(c);
    db::exec(
        &**tx,
        "INSERT INTO contacts (organization_id, id, first_name, last_name, name, email, phone, \
         job_position, company_id, address, source, owner_id, custom_fields, search_text, \
         search_rowid, created_by, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, 1)",
        vec![
            tx.org_id().into(),
            c.id.into(),
            c.first_name.clone().into(),
            c.last_name.clone().into(),
            c.name.clone().into(),
            c.email.clone().into(),
            c.phone.clone().into(),
            c.job_position.clone().into(),
            c.company_id.into(),
            c.address.clone().into(),
            c.source.clone().into(),
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
pub async fn update(tx: &TenantTx, c: &Contact) -> Result<bool, DbErr> {
    let text = search_text(c);
    let changed = db::exec(
        &**tx,
        "UPDATE contacts SET first_name = $3, last_name = $4, name = $5, email = $6, phone = $7, \
         job_position = $8, company_id = $9, address = $10, source = $11, owner_id = $12, \
         custom_fields = $13, search_text = $14, updated_at = $15, version = version + 1 \
         WHERE organization_id = $1 AND id = $2 AND version = $16",
        vec![
            tx.org_id().into(),
            c.id.into(),
            c.first_name.clone().into(),
            c.last_name.clone().into(),
            c.name.clone().into(),
            c.email.clone().into(),
            c.phone.clone().into(),
            c.job_position.clone().into(),
            c.company_id.into(),
            c.address.clone().into(),
            c.source.clone().into(),
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

/// Deletes the contact. Leads, and the conversations and activities that
/// also belong to a lead, are kept and lose only the link to the contact.
pub async fn delete(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    for sql in [
        "UPDATE leads SET contact_id = NULL WHERE organization_id = $1 AND contact_id = $2",
        "UPDATE communications SET contact_id = NULL \
         WHERE organization_id = $1 AND contact_id = $2 AND lead_id IS NOT NULL",
        "UPDATE activities SET contact_id = NULL \
         WHERE organization_id = $1 AND contact_id = $2 AND lead_id IS NOT NULL",
        "UPDATE tasks SET contact_id = NULL \
         WHERE organization_id = $1 AND contact_id = $2 AND (lead_id IS NOT NULL OR project_id IS NOT NULL)",
    ] {
        db::exec(&**tx, sql, vec![tx.org_id().into(), id.into()]).await?;
    }
    db::exec(
        &**tx,
        "DELETE FROM contacts WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    crate::tags::store::clear_record(tx, super::ENTITY, id).await?;
    search::unindex(tx, TABLE, id).await
}
