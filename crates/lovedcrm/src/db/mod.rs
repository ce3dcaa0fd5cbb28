//! The one database layer over SQLite and PostgreSQL.
//!
//! SQL is written once with `$1`-style parameters (both sqlx drivers accept
//! them) and run through SeaORM's connection, which hides the backend.
//! Tenant data is reached only through [`TenantTx`], which carries the
//! organization and, on PostgreSQL, arms row-level security.

mod connect;
pub mod inspect;
mod sql;
mod tenant;

pub use connect::{MigrationStatus, Store, StoreError};
pub use sea_orm::DbErr;
pub use sql::{Row, exec, fetch_all, fetch_one, is_unique_violation, now};
pub use tenant::{GlobalTx, TenantTx, TxMode};
