//! Share queries.

use uuid::Uuid;

use super::model::{COLUMNS, Share};
use crate::db::{self, DbErr, TenantTx};

pub async fn get(tx: &TenantTx, id: Uuid) -> Result<Option<Share>, DbErr> {
    db::fetch_one(
        &**tx,
        &format!("SELECT {COLUMNS} FROM record_shares WHERE organization_id = $1 AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await
}

/// The share of a record with a member, if there is one.
pub async fn find(
    tx: &TenantTx,
    entity_type: &str,
    record_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Share>, DbErr> {
    db::fetch_one(
        &**tx,
        &format!(
            "SELECT {COLUMNS} FROM record_shares WHERE organization_id = $1 AND entity_type = $2 \
             AND record_id = $3 AND user_id = $4"
        ),
        vec![
            tx.org_id().into(),
            entity_type.into(),
            record_id.into(),
            user_id.into(),
        ],
    )
    .await
}

/// Every share of a record, oldest first.
pub async fn for_record(
    tx: &TenantTx,
    entity_type: &str,
    record_id: Uuid,
) -> Result<Vec<Share>, DbErr> {
    db::fetch_all(
        &**tx,
        &format!(
            "SELECT {COLUMNS} FROM record_shares WHERE organization_id = $1 AND entity_type = $2 \
             AND record_id = $3 ORDER BY created_at, id"
        ),
        vec![tx.org_id().into(), entity_type.into(), record_id.into()],
    )
    .await
}

pub async fn insert(tx: &TenantTx, s: &Share) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "INSERT INTO record_shares (organization_id, id, entity_type, record_id, user_id, access, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vec![
            tx.org_id().into(),
            s.id.into(),
            s.entity_type.clone().into(),
            s.record_id.into(),
            s.user_id.into(),
            s.access.clone().into(),
            s.created_by.into(),
            s.created_at.into(),
        ],
    )
    .await?;
    Ok(())
}

pub async fn delete(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM record_shares WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(())
}

/// Changes what an existing share allows.
pub async fn set_access(tx: &TenantTx, id: Uuid, access: &str) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "UPDATE record_shares SET access = $3 WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into(), access.into()],
    )
    .await?;
    Ok(())
}

/// Whether `record_id` is shared with `user_id` for writing.
pub async fn writable_by(
    tx: &TenantTx,
    entity_type: &str,
    record_id: Uuid,
    user_id: Uuid,
) -> Result<bool, DbErr> {
    Ok(find(tx, entity_type, record_id, user_id)
        .await?
        .is_some_and(|s| s.access == "write"))
}
