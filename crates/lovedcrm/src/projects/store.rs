//! Project queries, including assignees and task counts.

use std::collections::HashMap;

use uuid::Uuid;

use super::model::{COLUMNS, Project};
use crate::db::{self, DbErr, Row, TenantTx};
use crate::records::search;

const TABLE: &str = "projects";

pub async fn exists(tx: &TenantTx, id: Uuid) -> Result<bool, DbErr> {
    crate::records::fields::exists(tx, TABLE, id).await
}

/// One project, if it exists and `visible` (a SQL condition from
/// `access::sql` with parameters from `$3`) holds.
pub async fn get(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<Option<Project>, DbErr> {
    let (condition, mut extra) = visible;
    let mut values = vec![tx.org_id().into(), id.into()];
    values.append(&mut extra);
    db::fetch_one(
        &**tx,
        &format!(
            "SELECT {COLUMNS} FROM projects WHERE organization_id = $1 AND id = $2 AND {condition}"
        ),
        values,
    )
    .await
}

/// Moves the project's "last updated" time, e.g. when one of its tasks
/// changes; the version stays, as the project's own fields did not change.
pub async fn touch(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "UPDATE projects SET updated_at = $3 WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into(), db::now().into()],
    )
    .await?;
    Ok(())
}

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn with_ids(tx: &TenantTx, ids: &[Uuid]) -> Vec<sea_orm::Value> {
    let mut values = vec![tx.org_id().into()];
    values.extend(ids.iter().map(|id| (*id).into()));
    values
}

#[derive(Row)]
struct Assignee {
    project_id: Uuid,
    user_id: Uuid,
}

/// The assignees of each project in `ids`, sorted.
pub async fn assignees_for(tx: &TenantTx, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Uuid>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<Assignee> = db::fetch_all(
        &**tx,
        &format!(
            "SELECT project_id, user_id FROM project_assignees \
             WHERE organization_id = $1 AND project_id IN ({})",
            placeholders(2, ids.len())
        ),
        with_ids(tx, ids),
    )
    .await?;
    for row in rows {
        out.entry(row.project_id).or_default().push(row.user_id);
    }
    // Sorted here rather than in SQL: the databases order UUIDs differently
    // (bytes on SQLite, per the UUID type on PostgreSQL) only by accident.
    out.values_mut().for_each(|users| users.sort());
    Ok(out)
}

/// Replaces the assignees of a project.
pub async fn set_assignees(tx: &TenantTx, project_id: Uuid, users: &[Uuid]) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM project_assignees WHERE organization_id = $1 AND project_id = $2",
        vec![tx.org_id().into(), project_id.into()],
    )
    .await?;
    for user in users {
        db::exec(
            &**tx,
            "INSERT INTO project_assignees (organization_id, id, project_id, user_id, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
            vec![
                tx.org_id().into(),
                Uuid::now_v7().into(),
                project_id.into(),
                (*user).into(),
                db::now().into(),
            ],
        )
        .await?;
    }
    Ok(())
}

#[derive(Row)]
pub struct TaskCounts {
    project_id: Uuid,
    pub task_count: i64,
    pub open_task_count: i64,
}

/// How many tasks, and how many not done, each project in `ids` has.
pub async fn task_counts(tx: &TenantTx, ids: &[Uuid]) -> Result<HashMap<Uuid, TaskCounts>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<TaskCounts> = db::fetch_all(
        &**tx,
        &format!(
            "SELECT project_id, COUNT(*) AS task_count, \
             SUM(CASE WHEN status = 'done' THEN 0 ELSE 1 END) AS open_task_count \
             FROM tasks WHERE organization_id = $1 AND project_id IN ({}) GROUP BY project_id",
            placeholders(2, ids.len())
        ),
        with_ids(tx, ids),
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.project_id, r)).collect())
}

fn search_text(p: &Project) -> String {
    search::text([Some(p.name.as_str()), p.description.as_deref()])
}

pub async fn insert(tx: &TenantTx, p: &Project) -> Result<(), DbErr> {
    let text = search_text(p);
    db::exec(
        &**tx,
        "INSERT INTO projects (organization_id, id, name, description, status, company_id, \
         due_date, owner_id, custom_fields, search_text, search_rowid, created_by, created_at, \
         updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, 1)",
        vec![
            tx.org_id().into(),
            p.id.into(),
            p.name.clone().into(),
            p.description.clone().into(),
            p.status.clone().into(),
            p.company_id.into(),
            p.due_date.into(),
            p.owner_id.into(),
            p.custom_fields.clone().into(),
            text.clone().into(),
            search::rowid(p.id).into(),
            p.created_by.into(),
            p.created_at.into(),
        ],
    )
    .await?;
    search::index(tx, TABLE, p.id, &text).await
}

/// Saves every editable column if the row is still at `p.version`;
/// false when someone else changed it first.
pub async fn update(tx: &TenantTx, p: &Project) -> Result<bool, DbErr> {
    let text = search_text(p);
    let changed = db::exec(
        &**tx,
        "UPDATE projects SET name = $3, description = $4, status = $5, company_id = $6, \
         due_date = $7, owner_id = $8, custom_fields = $9, search_text = $10, updated_at = $11, \
         version = version + 1 \
         WHERE organization_id = $1 AND id = $2 AND version = $12",
        vec![
            tx.org_id().into(),
            p.id.into(),
            p.name.clone().into(),
            p.description.clone().into(),
            p.status.clone().into(),
            p.company_id.into(),
            p.due_date.into(),
            p.owner_id.into(),
            p.custom_fields.clone().into(),
            text.clone().into(),
            db::now().into(),
            p.version.into(),
        ],
    )
    .await?;
    if changed == 1 {
        search::index(tx, TABLE, p.id, &text).await?;
    }
    Ok(changed == 1)
}

/// Deletes the project with its assignees, tasks, notes and comments (the
/// schema cascades them; the tags of its tasks are removed here).
pub async fn delete(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    for sql in [
        "DELETE FROM record_tags WHERE organization_id = $1 AND entity_type = 'task' \
         AND record_id IN (SELECT id FROM tasks WHERE organization_id = $1 AND project_id = $2)",
        "DELETE FROM projects WHERE organization_id = $1 AND id = $2",
    ] {
        db::exec(&**tx, sql, vec![tx.org_id().into(), id.into()]).await?;
    }
    crate::tags::store::clear_record(tx, super::ENTITY, id).await?;
    search::unindex(tx, TABLE, id).await
}

#[derive(Row)]
struct Member {
    user_id: Uuid,
}

/// The users of `ids` that are not members of the organization.
pub async fn non_members(tx: &TenantTx, ids: &[Uuid]) -> Result<Vec<Uuid>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let members: Vec<Member> = db::fetch_all(
        &**tx,
        &format!(
            "SELECT user_id FROM memberships WHERE organization_id = $1 AND user_id IN ({})",
            placeholders(2, ids.len())
        ),
        with_ids(tx, ids),
    )
    .await?;
    Ok(ids
        .iter()
        .filter(|id| !members.iter().any(|m| m.user_id == **id))
        .copied()
        .collect())
}
