//! Request counts per client and minute, in the database, so that a rate
//! limit holds across every node and a restart (they were each process's
//! own). Only a hash of the client key is kept.

use sea_orm_migration::prelude::*;

use crate::ddl;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_rate_windows"
    }
}

const SQL: &str = r#"
CREATE TABLE rate_windows (
    key_hash TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (key_hash, window_start)
);
CREATE INDEX rate_windows_age_idx ON rate_windows (window_start)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await
    }
}
