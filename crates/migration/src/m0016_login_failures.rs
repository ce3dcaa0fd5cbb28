//! Failed sign-ins, counted in the database so that every node sees the same
//! failures and a restart forgets none (they were in each process's memory).
//! One row per (email as typed, client address): an attacker guessing an
//! account's password locks out their own path, never the owner from theirs.
//! Only a hash of the pair is kept, so the table holds no address.

use sea_orm_migration::prelude::*;

use crate::ddl;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_login_failures"
    }
}

const SQL: &str = r#"
CREATE TABLE login_failures (
    key_hash TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    lockouts INTEGER NOT NULL,
    locked_until {ts},
    last_failed_at {ts} NOT NULL
);
CREATE INDEX login_failures_age_idx ON login_failures (last_failed_at)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await
    }
}
