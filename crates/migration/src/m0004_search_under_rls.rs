//! Lets full-text search use its GIN index under row-level security.
//!
//! PostgreSQL evaluates a query's conditions after the row-level-security
//! policy unless the operator is LEAKPROOF, and it will not use an index for
//! a condition it must evaluate late. `tsvector @@ tsquery` (`ts_match_vq`)
//! is not marked LEAKPROOF, so every search scanned the whole organization.
//! The function cannot leak row contents (it returns a boolean and raises no
//! data-dependent error), so it is marked LEAKPROOF. Only a superuser may do
//! that: under another role the migration logs a warning and search stays
//! correct but slower.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_search_under_rls"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let conn = manager.get_connection();
        let row = conn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
            ))
            .await?;
        let superuser = row
            .map(|r| r.try_get::<bool>("", "rolsuper"))
            .transpose()?
            .unwrap_or(false);
        if superuser {
            conn.execute_unprepared("ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF")
                .await?;
        } else {
            eprintln!(
                "lovedcrm: warning: not a superuser, so full-text search cannot use its index \
                 under row-level security; run `ALTER FUNCTION ts_match_vq(tsvector, tsquery) \
                 LEAKPROOF` as a superuser for fast search"
            );
        }
        Ok(())
    }
}
