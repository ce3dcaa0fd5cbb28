//! Users, organizations, memberships, sessions, refresh tokens and the audit trail.

use sea_orm_migration::prelude::*;

use crate::{ddl, rls};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

const SQL: &str = r#"
CREATE TABLE users (
    id {uuid} PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    email_verified_at {ts},
    last_organization_id {uuid},
    is_active {bool} NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE organizations (
    id {uuid} PRIMARY KEY,
    name TEXT NOT NULL,
    created_by {uuid} REFERENCES users (id) ON DELETE SET NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE memberships (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE sessions (
    id {uuid} PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    created_at {ts} NOT NULL,
    last_seen_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    revoked_at {ts},
    revoked_reason TEXT
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id {uuid} PRIMARY KEY,
    session_id {uuid} NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at {ts} NOT NULL,
    used_at {ts}
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE audit_log (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    actor_user_id {uuid},
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT,
    before_data {json},
    after_data {json},
    ip TEXT,
    user_agent TEXT,
    request_id TEXT,
    created_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX audit_log_org_created_idx ON audit_log (organization_id, created_at DESC, id DESC);

CREATE TABLE security_events (
    id {uuid} PRIMARY KEY,
    user_id {uuid} REFERENCES users (id) ON DELETE SET NULL,
    target_organization_id {uuid},
    action TEXT NOT NULL,
    email TEXT,
    ip TEXT,
    user_agent TEXT,
    request_id TEXT,
    detail {json},
    created_at {ts} NOT NULL
);
CREATE INDEX security_events_user_idx ON security_events (user_id, created_at DESC);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await?;
        // A user must see their own memberships in every organization to list
        // and switch organizations; writes stay confined to the current one.
        rls::protect_with(
            manager,
            "memberships",
            "organization_id = NULLIF(current_setting('lovedcrm.org_id', true), '')::uuid \
             OR user_id = NULLIF(current_setting('lovedcrm.user_id', true), '')::uuid",
        )
        .await?;
        rls::protect(manager, "audit_log").await?;
        Ok(())
    }
}
