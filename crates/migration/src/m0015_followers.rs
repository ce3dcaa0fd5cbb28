//! Followers of a record: members who asked (or were asked) to hear about
//! it — its moves, its outcome, its comments — without owning it.

use sea_orm_migration::prelude::*;

use crate::{ddl, rls};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_followers"
    }
}

const SQL: &str = r#"
CREATE TABLE followers (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL,
    entity_id {uuid} NOT NULL,
    user_id {uuid} NOT NULL,
    added_by {uuid},
    created_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, entity_type, entity_id, user_id),
    FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE
);
CREATE INDEX followers_user_idx ON followers (organization_id, user_id)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await?;
        rls::protect(manager, "followers").await?;
        Ok(())
    }
}
