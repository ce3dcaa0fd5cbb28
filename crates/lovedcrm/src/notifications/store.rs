//! Notification queries; every one is limited to one recipient.

use uuid::Uuid;

use super::model::{COLUMNS, NewNotification, Notification};
use crate::db::{self, DbErr, Row, TenantTx};

/// Writes a notification in the caller's transaction, queues its delivery
/// by email and push (as the member's preferences say) and returns it.
pub async fn create(tx: &TenantTx, new: NewNotification) -> Result<Notification, DbErr> {
    let n = Notification {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        user_id: new.user_id,
        kind: new.kind.into(),
        title: new.title,
        entity_type: new.entity_type.map(str::to_string),
        entity_id: new.entity_id,
        data: new.data,
        read_at: None,
        created_at: db::now(),
    };
    db::exec(
        &**tx,
        "INSERT INTO notifications (organization_id, id, user_id, kind, title, entity_type, entity_id, \
         data, read_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9)",
        vec![
            tx.org_id().into(),
            n.id.into(),
            n.user_id.into(),
            n.kind.clone().into(),
            n.title.clone().into(),
            n.entity_type.clone().into(),
            n.entity_id.into(),
            n.data.clone().into(),
            n.created_at.into(),
        ],
    )
    .await?;
    super::deliver::queue(tx, &n, None).await?;
    Ok(n)
}

/// Notification `id` whoever it is for (for its delivery job).
pub async fn by_id(tx: &TenantTx, id: Uuid) -> Result<Option<Notification>, DbErr> {
    db::fetch_one(
        &**tx,
        &format!("SELECT {COLUMNS} FROM notifications WHERE organization_id = $1 AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await
}

/// Removes the notifications of `kind` about record `entity_id` whose data
/// has `key` = `id` (e.g. every mention a deleted comment sent), whoever
/// they were sent to.
pub async fn delete_where_data(
    tx: &TenantTx,
    kind: &str,
    entity_id: Uuid,
    key: &str,
    id: Uuid,
) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        &format!(
            "DELETE FROM notifications WHERE organization_id = $1 AND kind = $2 AND entity_id = $3 \
             AND data ->> '{key}' = $4"
        ),
        vec![
            tx.org_id().into(),
            kind.into(),
            entity_id.into(),
            id.to_string().into(),
        ],
    )
    .await?;
    Ok(())
}

/// The notification `id` if it belongs to `user`.
pub async fn get(tx: &TenantTx, user: Uuid, id: Uuid) -> Result<Option<Notification>, DbErr> {
    db::fetch_one(
        &**tx,
        &format!("SELECT {COLUMNS} FROM notifications WHERE organization_id = $1 AND user_id = $2 AND id = $3"),
        vec![tx.org_id().into(), user.into(), id.into()],
    )
    .await
}

/// Marks one of `user`'s notifications read (keeping the first read time).
pub async fn mark_read(tx: &TenantTx, user: Uuid, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "UPDATE notifications SET read_at = $4 \
         WHERE organization_id = $1 AND user_id = $2 AND id = $3 AND read_at IS NULL",
        vec![tx.org_id().into(), user.into(), id.into(), db::now().into()],
    )
    .await?;
    Ok(())
}

/// Marks every unread notification of `user` read; returns how many.
pub async fn mark_all_read(tx: &TenantTx, user: Uuid) -> Result<u64, DbErr> {
    db::exec(
        &**tx,
        "UPDATE notifications SET read_at = $3 \
         WHERE organization_id = $1 AND user_id = $2 AND read_at IS NULL",
        vec![tx.org_id().into(), user.into(), db::now().into()],
    )
    .await
}

#[derive(Row)]
struct Total {
    total: i64,
}

pub async fn unread_count(tx: &TenantTx, user: Uuid) -> Result<u64, DbErr> {
    let row: Option<Total> = db::fetch_one(
        &**tx,
        "SELECT COUNT(*) AS total FROM notifications \
         WHERE organization_id = $1 AND user_id = $2 AND read_at IS NULL",
        vec![tx.org_id().into(), user.into()],
    )
    .await?;
    Ok(row.map_or(0, |r| u64::try_from(r.total).unwrap_or(0)))
}

pub async fn delete(tx: &TenantTx, user: Uuid, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM notifications WHERE organization_id = $1 AND user_id = $2 AND id = $3",
        vec![tx.org_id().into(), user.into(), id.into()],
    )
    .await?;
    Ok(())
}
