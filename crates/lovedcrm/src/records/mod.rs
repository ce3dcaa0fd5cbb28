//! What every CRM record shares: merge-patch fields, full-text search,
//! idempotent creates, visibility by role, tags and the version check.

pub mod bulk;
pub mod fields;
pub mod idempotency;
pub mod kernel;
pub mod list;
pub mod patch;
pub mod search;
pub mod visibility;

use sea_orm::DbBackend;
use sea_orm::sea_query::{Expr, SimpleExpr};
use serde::Serialize;
use uuid::Uuid;

use crate::actor::Actor;
use crate::audit::{self, Change};
use crate::db::{DbErr, TenantTx};

/// Audits a change to a record of `entity_type` in the caller's transaction.
pub async fn audit_change<T: Serialize>(
    tx: &TenantTx,
    ctx: &Actor,
    action: &str,
    entity_type: &str,
    id: Uuid,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), DbErr> {
    audit::record(
        tx,
        &ctx.meta,
        Change {
            actor: ctx.user_id(),
            action,
            entity_type,
            entity_id: Some(id.to_string()),
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: after.and_then(|a| serde_json::to_value(a).ok()),
        },
    )
    .await
}

/// A custom SQL condition written with `?` placeholders, for either backend
/// (sea-query numbers PostgreSQL's `$` placeholders itself).
pub fn custom(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> SimpleExpr {
    let sql = match backend {
        DbBackend::Postgres => sql.replace('?', "$"),
        _ => sql.to_string(),
    };
    Expr::cust_with_values(sql, values)
}
