//! What a share allows: `read` (the default) or `write`. A share used to
//! give its member everything the owner had, delete included; every share
//! now reads unless the one who shares says it also writes, and deleting
//! stays with the record's owner and managers. Existing shares become
//! read-only: a narrower right is the safe side of the change.

use sea_orm_migration::prelude::*;

use crate::ddl;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_share_access"
    }
}

const SQL: &str = r#"
ALTER TABLE record_shares ADD COLUMN access TEXT NOT NULL DEFAULT 'read'
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await
    }
}
