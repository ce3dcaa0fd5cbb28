//! Row-level security on `organizations` itself. It has no
//! `organization_id` (it is the tenant), so it was filtered by the
//! application alone: a query that forgot its filter could read every
//! organization's name, settings and logo. Now a row is readable in a
//! transaction scoped to it, or by a member of it (`lovedcrm.user_id`, for
//! the list of one's organizations), and writable only when scoped to it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0018_organizations_rls"
    }
}

const SQL: &str = r#"
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations
  USING (
    id = NULLIF(current_setting('lovedcrm.org_id', true), '')::uuid
    OR EXISTS (
      SELECT 1 FROM memberships m
      WHERE m.organization_id = organizations.id
        AND m.user_id = NULLIF(current_setting('lovedcrm.user_id', true), '')::uuid
    )
  )
  WITH CHECK (id = NULLIF(current_setting('lovedcrm.org_id', true), '')::uuid)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager.get_connection().execute_unprepared(SQL).await?;
        Ok(())
    }
}
