//! Follower rows; every query is limited to one record of the caller's
//! organization.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::db::{self, DbErr, Row, TenantTx};

#[derive(Debug, Clone, Row)]
pub struct FollowerRow {
    pub user_id: Uuid,
    pub name: String,
    pub added_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub async fn list(tx: &TenantTx, entity_type: &str, id: Uuid) -> Result<Vec<FollowerRow>, DbErr> {
    db::fetch_all(
        &**tx,
        "SELECT f.user_id, u.name, f.added_by, f.created_at FROM followers f JOIN users u ON u.id = f.user_id \
         WHERE f.organization_id = $1 AND f.entity_type = $2 AND f.entity_id = $3 ORDER BY u.name, f.user_id",
        vec![tx.org_id().into(), entity_type.into(), id.into()],
    )
    .await
}

/// Adds `user_id`; false when they already followed.
pub async fn add(
    tx: &TenantTx,
    entity_type: &str,
    id: Uuid,
    user_id: Uuid,
    by: Option<Uuid>,
) -> Result<bool, DbErr> {
    let added = db::exec(
        &**tx,
        "INSERT INTO followers (organization_id, entity_type, entity_id, user_id, added_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        vec![
            tx.org_id().into(),
            entity_type.into(),
            id.into(),
            user_id.into(),
            by.into(),
            db::now().into(),
        ],
    )
    .await?;
    Ok(added == 1)
}

/// Removes `user_id`; false when they did not follow.
pub async fn remove(
    tx: &TenantTx,
    entity_type: &str,
    id: Uuid,
    user_id: Uuid,
) -> Result<bool, DbErr> {
    let gone = db::exec(
        &**tx,
        "DELETE FROM followers WHERE organization_id = $1 AND entity_type = $2 AND entity_id = $3 AND user_id = $4",
        vec![tx.org_id().into(), entity_type.into(), id.into(), user_id.into()],
    )
    .await?;
    Ok(gone == 1)
}

/// Forgets a deleted record's followers.
pub async fn clear_record(tx: &TenantTx, entity_type: &str, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM followers WHERE organization_id = $1 AND entity_type = $2 AND entity_id = $3",
        vec![tx.org_id().into(), entity_type.into(), id.into()],
    )
    .await?;
    Ok(())
}
