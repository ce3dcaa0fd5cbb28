//! Comment queries.

use uuid::Uuid;

use super::model::{COLUMNS, Comment};
use crate::db::{self, DbErr, TenantTx};

pub async fn get(tx: &TenantTx, id: Uuid) -> Result<Option<Comment>, DbErr> {
    db::fetch_one(
        &**tx,
        &format!("SELECT {COLUMNS} FROM comments WHERE organization_id = $1 AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await
}

pub async fn insert(tx: &TenantTx, c: &Comment) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "INSERT INTO comments (organization_id, id, lead_id, contact_id, company_id, project_id, task_id, \
         body, mentions, created_by, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1)",
        vec![
            tx.org_id().into(),
            c.id.into(),
            c.lead_id.into(),
            c.contact_id.into(),
            c.company_id.into(),
            c.project_id.into(),
            c.task_id.into(),
            c.body.clone().into(),
            c.mentions.clone().into(),
            c.created_by.into(),
            c.created_at.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Saves body and mentions if the row is still at `c.version`; false when
/// someone else changed it first.
pub async fn update(tx: &TenantTx, c: &Comment) -> Result<bool, DbErr> {
    let changed = db::exec(
        &**tx,
        "UPDATE comments SET body = $3, mentions = $4, updated_at = $5, version = version + 1 \
         WHERE organization_id = $1 AND id = $2 AND version = $6",
        vec![
            tx.org_id().into(),
            c.id.into(),
            c.body.clone().into(),
            c.mentions.clone().into(),
            db::now().into(),
            c.version.into(),
        ],
    )
    .await?;
    Ok(changed == 1)
}

pub async fn delete(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM comments WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(())
}
