//! The durable job queue, the email outbox and single-use account tokens.
//!
//! `jobs` is global on purpose (no `organization_id`, so no row-level
//! security): workers claim jobs of every organization. A job that belongs
//! to one keeps it in `org_scope` for the handler to open a tenant
//! transaction with.

use sea_orm_migration::prelude::*;

use crate::ddl;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_jobs_email"
    }
}

const SQL: &str = r#"
CREATE TABLE jobs (
    id {uuid} PRIMARY KEY,
    kind TEXT NOT NULL,
    payload {json} NOT NULL,
    org_scope {uuid},
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    run_at {ts} NOT NULL,
    locked_until {ts},
    lock_token {uuid},
    locked_by TEXT,
    idempotency_key TEXT,
    last_error TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    finished_at {ts}
);
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key);
CREATE INDEX jobs_ready_idx ON jobs (status, run_at);
CREATE INDEX jobs_lease_idx ON jobs (status, locked_until);

CREATE TABLE email_outbox (
    id {uuid} PRIMARY KEY,
    job_id {uuid},
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at {ts} NOT NULL
);
CREATE INDEX email_outbox_created_idx ON email_outbox (created_at DESC);
-- At-least-once delivery: a job that runs twice writes its message once.
CREATE UNIQUE INDEX email_outbox_job_key ON email_outbox (job_id);

CREATE TABLE user_tokens (
    id {uuid} PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    used_at {ts}
);
CREATE UNIQUE INDEX user_tokens_hash_key ON user_tokens (token_hash);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await
    }
}
