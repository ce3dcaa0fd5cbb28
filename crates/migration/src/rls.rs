//! Row-level security: PostgreSQL's second line of tenant isolation.
//!
//! Every table with an `organization_id` column gets a forced policy keyed on
//! the transaction-local setting `lovedcrm.org_id`, so a query that forgot its
//! tenant filter sees nothing rather than another organization's rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// The setting the application sets per transaction to the current organization.
pub const ORG_SETTING: &str = "lovedcrm.org_id";
/// The setting the application sets per transaction to the acting user.
pub const USER_SETTING: &str = "lovedcrm.user_id";

const CURRENT_ORG: &str = "NULLIF(current_setting('lovedcrm.org_id', true), '')::uuid";

/// Enables and forces the standard tenant policy on `table` (PostgreSQL only).
pub async fn protect(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    protect_with(manager, table, &format!("organization_id = {CURRENT_ORG}")).await
}

/// Like [`protect`], but rows are also *readable* when `read_condition` holds.
/// Writes are still confined to the current organization.
pub async fn protect_with(
    manager: &SchemaManager<'_>,
    table: &str,
    read_condition: &str,
) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let conn = manager.get_connection();
    conn.execute_unprepared(&format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
         CREATE POLICY tenant_isolation ON {table} \
           USING ({read_condition}) \
           WITH CHECK (organization_id = {CURRENT_ORG})"
    ))
    .await?;
    Ok(())
}
