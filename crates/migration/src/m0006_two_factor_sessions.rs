//! Two-factor authentication, login challenges, backup codes, and the
//! organization setting that requires 2FA of every member.
//!
//! Columns are added with `ALTER TABLE … ADD COLUMN` (nullable or with a
//! constant default), which both databases do without rewriting the table.

use sea_orm_migration::prelude::*;

use crate::ddl;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_two_factor_sessions"
    }
}

const SQL: &str = r#"
ALTER TABLE users ADD COLUMN totp_secret_enc TEXT;
ALTER TABLE users ADD COLUMN totp_pending_enc TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at {ts};
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE organizations ADD COLUMN require_two_factor {bool} NOT NULL DEFAULT FALSE;

CREATE TABLE backup_codes (
    id {uuid} PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at {ts} NOT NULL,
    used_at {ts}
);
CREATE UNIQUE INDEX backup_codes_user_hash_key ON backup_codes (user_id, code_hash);

CREATE TABLE login_challenges (
    id {uuid} PRIMARY KEY,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    ended_at {ts}
);
CREATE UNIQUE INDEX login_challenges_hash_key ON login_challenges (token_hash);
CREATE INDEX login_challenges_user_idx ON login_challenges (user_id);
CREATE INDEX sessions_user_live_idx ON sessions (user_id, revoked_at);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await
    }
}
