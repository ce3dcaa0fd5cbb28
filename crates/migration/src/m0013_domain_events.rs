//! Domain events: the outbox every mutation writes to in its own
//! transaction (what happened, to which record, who may learn of it), so
//! that nothing is announced for a write that rolled back and nothing is
//! lost when the process that committed dies before announcing it. Every
//! node reads the events of the organizations whose members it serves over
//! WebSockets; on PostgreSQL a `NOTIFY` sent in the same transaction wakes
//! them when it commits.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::{ddl, rls};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_domain_events"
    }
}

const SQL: &str = r#"
CREATE TABLE domain_events (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    event_type TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id {uuid} NOT NULL,
    data {json} NOT NULL,
    audience {json} NOT NULL,
    actor_user_id {uuid},
    created_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX domain_events_org_created_idx ON domain_events (organization_id, created_at, id);
CREATE INDEX domain_events_created_idx ON domain_events (created_at)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await?;
        rls::protect(manager, "domain_events").await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            // Old events are swept by whichever node does maintenance, across
            // organizations; nothing else of another organization is reachable.
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE POLICY sweep_old ON domain_events FOR DELETE \
                     USING (created_at < now() - interval '1 day')",
                )
                .await?;
        }
        Ok(())
    }
}
