//! Forward-only schema migrations for Loved CRM, run on SQLite and PostgreSQL.
//!
//! DDL is written once with `{uuid}`, `{ts}`, `{json}`, `{bool}`, `{date}` and `{float}` type
//! placeholders (see [`ddl`]) so both databases get the same tables, keys and
//! indexes. PostgreSQL additionally gets row-level security on every tenant
//! table (see [`rls`]).

pub use sea_orm_migration::prelude::*;

mod ddl;
mod m0001_foundation;
mod m0002_crm;
mod m0003_idempotency_by_user;
mod m0004_search_under_rls;
mod m0005_jobs_email;
mod m0006_two_factor_sessions;
mod m0007_team_and_keys;
mod m0008_member_session;
mod m0009_search_words;
mod m0010_pipeline_totals;
mod m0011_stage_totals_order;
mod m0012_ws_tickets;
mod m0013_domain_events;
mod m0014_workspace;
mod m0015_followers;
mod m0016_login_failures;
mod m0017_share_access;
mod m0018_organizations_rls;
mod m0019_rate_windows;
mod m0020_calendar;
pub mod rls;

pub use ddl::portable;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_crm::Migration),
            Box::new(m0003_idempotency_by_user::Migration),
            Box::new(m0004_search_under_rls::Migration),
            Box::new(m0005_jobs_email::Migration),
            Box::new(m0006_two_factor_sessions::Migration),
            Box::new(m0007_team_and_keys::Migration),
            Box::new(m0008_member_session::Migration),
            Box::new(m0009_search_words::Migration),
            Box::new(m0010_pipeline_totals::Migration),
            Box::new(m0011_stage_totals_order::Migration),
            Box::new(m0012_ws_tickets::Migration),
            Box::new(m0013_domain_events::Migration),
            Box::new(m0014_workspace::Migration),
            Box::new(m0015_followers::Migration),
            Box::new(m0016_login_failures::Migration),
            Box::new(m0017_share_access::Migration),
            Box::new(m0018_organizations_rls::Migration),
            Box::new(m0019_rate_windows::Migration),
            Box::new(m0020_calendar::Migration),
        ]
    }
}
