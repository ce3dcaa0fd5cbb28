//! Who sees which projects, and the project list query.
//!
//! A `sales` member sees the projects they own or created, that were shared
//! with them (as for every record), and also those they are assigned to.

use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};
use uuid::Uuid;

use super::ENTITY;
use super::model::{COLUMNS, Project, SPEC};
use crate::actor::Actor;
use crate::db::{Row, TenantTx};
use crate::error::DomainError;
use crate::lists::{self, ListQuery};
use crate::organizations::Role;
use crate::records::{search, visibility};

const PEOPLE: &[&str] = &["owner_id", "created_by"];

const ASSIGNED: &str = "EXISTS (SELECT 1 FROM project_assignees pa \
    WHERE pa.organization_id = projects.organization_id AND pa.project_id = projects.id \
    AND pa.user_id = {me})";

/// The list condition limiting projects to the caller's, or `None` when the
/// role sees everything.
fn condition(ctx: &Actor, backend: DbBackend) -> Option<SimpleExpr> {
    let usual = visibility::condition(ctx, backend, "projects", ENTITY, PEOPLE)?;
    let assigned = crate::records::custom(
        backend,
        &ASSIGNED.replace("{me}", "?"),
        vec![ctx.user_id().into()],
    );
    Some(usual.or(assigned))
}

/// The same condition as SQL text for hand-written queries, numbering its
/// parameters from `$first_param`.
pub fn sql(ctx: &Actor, first_param: usize) -> (String, Vec<sea_orm::Value>) {
    let (usual, mut values) = visibility::sql(ctx, "projects", ENTITY, PEOPLE, first_param);
    if ctx.role() != Role::Sales {
        return (usual, values);
    }
    let me = format!("${}", first_param + values.len());
    values.push(ctx.user_id().into());
    (
        format!("({usual} OR {})", ASSIGNED.replace("{me}", &me)),
        values,
    )
}

/// Whether project `id` exists and the caller may see it.
pub async fn visible(tx: &TenantTx, ctx: &Actor, id: Uuid) -> Result<bool, DomainError> {
    Ok(super::store::get(tx, id, sql(ctx, 3)).await?.is_some())
}

#[derive(Row)]
struct Total {
    total: i64,
}

/// One page of projects (plus the look-ahead row) and, for `count=true`, the
/// total: the shared list engine with this module's visibility.
pub async fn fetch(
    tx: &TenantTx,
    ctx: &Actor,
    query: &ListQuery,
) -> Result<(Vec<Project>, Option<u64>), DomainError> {
    let backend = tx.get_database_backend();
    let mut conditions: Vec<SimpleExpr> = condition(ctx, backend).into_iter().collect();
    if let Some(q) = &query.q {
        // A query of punctuation only matches nothing rather than everything.
        conditions.push(
            search::condition(backend, SPEC.table, tx.org_id(), q)
                .unwrap_or_else(|| Expr::cust("1 = 0")),
        );
    }
    for (key, value) in &query.extra {
        if key == "tags" {
            conditions.push(crate::tags::store::filter(
                backend, SPEC.table, ENTITY, value,
            )?);
        }
    }
    let mut select = query.select(&SPEC, tx.org_id());
    select.expr(Expr::cust(COLUMNS));
    for c in &conditions {
        select.and_where(c.clone());
    }
    let rows = Project::find_by_statement(lists::build(&select, backend))
        .all(&**tx)
        .await?;
    let total = if query.count {
        let mut count = query.count_select(&SPEC, tx.org_id());
        for c in conditions {
            count.and_where(c);
        }
        let row = Total::find_by_statement(lists::build(&count, backend))
            .one(&**tx)
            .await?;
        Some(row.map_or(0, |r| u64::try_from(r.total).unwrap_or(0)))
    } else {
        None
    };
    Ok((rows, total))
}
