//! Forward-only schema migrations for Loved CRM, run on SQLite and PostgreSQL.
//!
//! DDL is written once with `{uuid}`, `{ts}`, `{json}` and `{bool}` type
//! placeholders (see [`ddl`]) so both databases get the same tables, keys and
//! indexes. PostgreSQL additionally gets row-level security on every tenant
//! table (see [`rls`]).

pub use sea_orm_migration::prelude::*;

mod ddl;
mod m0001_foundation;
pub mod rls;

pub use ddl::portable;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m0001_foundation::Migration)]
    }
}
