//! The workspace an organization makes its own: its default currency (new
//! leads and the dashboard use it; an organization never sees one
//! currency's symbol on another's sums), its logo and colour (the sidebar
//! badge), saved views of lists (personal or shared), and the feedback its
//! members send from the app.

use sea_orm_migration::prelude::*;

use crate::{ddl, rls};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_workspace"
    }
}

const SQL: &str = r#"
ALTER TABLE organizations ADD COLUMN default_currency TEXT NOT NULL DEFAULT 'BRL';
ALTER TABLE organizations ADD COLUMN logo TEXT;
ALTER TABLE organizations ADD COLUMN brand_color TEXT;
CREATE TABLE saved_views (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    name TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    query TEXT NOT NULL,
    columns {json} NOT NULL,
    shared {bool} NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, created_by) REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE
);
CREATE INDEX saved_views_org_type_idx ON saved_views (organization_id, entity_type, name);
CREATE TABLE feedback (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    user_id {uuid},
    category TEXT NOT NULL,
    message TEXT NOT NULL,
    page TEXT,
    browser TEXT,
    app_version TEXT,
    screenshot TEXT,
    created_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX feedback_org_created_idx ON feedback (organization_id, created_at DESC, id DESC);
CREATE INDEX feedback_user_created_idx ON feedback (organization_id, user_id, created_at)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await?;
        rls::protect(manager, "saved_views").await?;
        rls::protect(manager, "feedback").await?;
        Ok(())
    }
}
