//! Task queries, and the timeline entry of a completed task.

use uuid::Uuid;

use super::model::{COLUMNS, Task};
use crate::db::{self, DbErr, TenantTx};
use crate::records::search;

const TABLE: &str = "tasks";

pub async fn exists(tx: &TenantTx, id: Uuid) -> Result<bool, DbErr> {
    crate::records::fields::exists(tx, TABLE, id).await
}

/// One task, if it exists and `visible` (a SQL condition from
/// `records::visibility::sql` with parameters from `$3`) holds.
pub async fn get(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<Option<Task>, DbErr> {
    let (condition, mut extra) = visible;
    let mut values = vec![tx.org_id().into(), id.into()];
    values.append(&mut extra);
    db::fetch_one(
        &**tx,
        &format!(
            "SELECT {COLUMNS} FROM tasks WHERE organization_id = $1 AND id = $2 AND {condition}"
        ),
        values,
    )
    .await
}

fn search_text(t: &Task) -> String {
    search::text([Some(t.name.as_str()), t.description.as_deref()])
}

/// The values of the editable columns, `$3` to `$16`.
fn editable(t: &Task, text: &str) -> Vec<sea_orm::Value> {
    vec![
        t.name.clone().into(),
        t.description.clone().into(),
        t.status.clone().into(),
        t.priority.clone().into(),
        t.assignee_id.into(),
        t.project_id.into(),
        t.lead_id.into(),
        t.contact_id.into(),
        t.company_id.into(),
        t.due_date.into(),
        t.completed_at.into(),
        t.custom_fields.clone().into(),
        text.to_string().into(),
        t.reminders.clone().into(),
    ]
}

pub async fn insert(tx: &TenantTx, t: &Task) -> Result<(), DbErr> {
    let text = search_text(t);
    let mut values = vec![tx.org_id().into(), t.id.into()];
    values.extend(editable(t, &text));
    values.extend([
        search::rowid(t.id).into(),
        t.created_by.into(),
        t.created_at.into(),
    ]);
    db::exec(
        &**tx,
        "INSERT INTO tasks (organization_id, id, name, description, status, priority, \
         assignee_id, project_id, lead_id, contact_id, company_id, due_date, completed_at, \
         custom_fields, search_text, reminders, search_rowid, created_by, created_at, updated_at, \
         version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         $17, $18, $19, $19, 1)",
        values,
    )
    .await?;
    search::index(tx, TABLE, t.id, &text).await
}

/// Saves every editable column if the row is still at `t.version`;
/// false when someone else changed it first.
pub async fn update(tx: &TenantTx, t: &Task) -> Result<bool, DbErr> {
    let text = search_text(t);
    let mut values = vec![tx.org_id().into(), t.id.into()];
    values.extend(editable(t, &text));
    values.extend([db::now().into(), t.version.into()]);
    let changed = db::exec(
        &**tx,
        "UPDATE tasks SET name = $3, description = $4, status = $5, priority = $6, \
         assignee_id = $7, project_id = $8, lead_id = $9, contact_id = $10, company_id = $11, \
         due_date = $12, completed_at = $13, custom_fields = $14, search_text = $15, \
         reminders = $16, updated_at = $17, version = version + 1 \
         WHERE organization_id = $1 AND id = $2 AND version = $18",
        values,
    )
    .await?;
    if changed == 1 {
        search::index(tx, TABLE, t.id, &text).await?;
    }
    Ok(changed == 1)
}

/// Deletes the task with its notes and comments (the schema cascades them).
pub async fn delete(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM tasks WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    crate::tags::store::clear_record(tx, super::ENTITY, id).await?;
    search::unindex(tx, TABLE, id).await
}

/// Puts "task completed" on the timeline of the task's lead and contact.
pub async fn record_completion(tx: &TenantTx, actor: Option<Uuid>, t: &Task) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "INSERT INTO activities (organization_id, id, lead_id, contact_id, company_id, kind, \
         actor_id, data, occurred_at) VALUES ($1, $2, $3, $4, $5, 'task_completed', $6, $7, $8)",
        vec![
            tx.org_id().into(),
            Uuid::now_v7().into(),
            t.lead_id.into(),
            t.contact_id.into(),
            t.company_id.into(),
            actor.into(),
            serde_json::json!({"task_id": t.id, "name": t.name}).into(),
            t.completed_at.unwrap_or_else(db::now).into(),
        ],
    )
    .await?;
    Ok(())
}
