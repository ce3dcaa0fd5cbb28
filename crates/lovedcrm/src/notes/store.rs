//! Note queries.

use uuid::Uuid;

use super::model::{COLUMNS, Note};
use crate::db::{self, DbErr, TenantTx};

pub async fn get(tx: &TenantTx, id: Uuid) -> Result<Option<Note>, DbErr> {
    db::fetch_one(
        &**tx,
        &format!("SELECT {COLUMNS} FROM notes WHERE organization_id = $1 AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await
}

pub async fn insert(tx: &TenantTx, n: &Note) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "INSERT INTO notes (organization_id, id, lead_id, contact_id, company_id, project_id, task_id, \
         body, created_by, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)",
        vec![
            tx.org_id().into(),
            n.id.into(),
            n.lead_id.into(),
            n.contact_id.into(),
            n.company_id.into(),
            n.project_id.into(),
            n.task_id.into(),
            n.body.clone().into(),
            n.created_by.into(),
            n.created_at.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Saves the body if the row is still at `n.version`; false when someone
/// else changed it first.
pub async fn update(tx: &TenantTx, n: &Note) -> Result<bool, DbErr> {
    let changed = db::exec(
        &**tx,
        "UPDATE notes SET body = $3, updated_at = $4, version = version + 1 \
         WHERE organization_id = $1 AND id = $2 AND version = $5",
        vec![
            tx.org_id().into(),
            n.id.into(),
            n.body.clone().into(),
            db::now().into(),
            n.version.into(),
        ],
    )
    .await?;
    Ok(changed == 1)
}

pub async fn delete(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM notes WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(())
}
