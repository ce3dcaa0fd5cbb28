//! Idempotency keys readable by their own user in every organization.
//!
//! A create that makes a new organization (`POST /organizations`) has no
//! organization to look an earlier answer up in; it looks among the caller's
//! keys in all of them. Rows stay writable only in the current organization.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::ddl;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_idempotency_by_user"
    }
}

const SQL: &str = r#"
CREATE INDEX idempotency_keys_user_key ON idempotency_keys (user_id, idempotency_key);
"#;

const POLICY: &str = "DROP POLICY tenant_isolation ON idempotency_keys; \
     CREATE POLICY tenant_isolation ON idempotency_keys \
     USING (organization_id = NULLIF(current_setting('lovedcrm.org_id', true), '')::uuid \
         OR user_id = NULLIF(current_setting('lovedcrm.user_id', true), '')::uuid) \
     WITH CHECK (organization_id = NULLIF(current_setting('lovedcrm.org_id', true), '')::uuid)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager.get_connection().execute_unprepared(POLICY).await?;
        }
        Ok(())
    }
}
