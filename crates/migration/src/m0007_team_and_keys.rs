//! Preferences, API keys, invites, the permission matrix and the dashboard's
//! activity index.
//!
//! API keys and invites are found by the hash of a secret before the
//! organization is known, so their policies also let a row be read when its
//! hash equals the transaction-local `lovedcrm.credential` setting: whoever
//! holds the secret may read that one row, nothing else.

use sea_orm_migration::prelude::*;

use crate::{ddl, rls};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_team_and_keys"
    }
}

const SQL: &str = r#"
CREATE TABLE user_preferences (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    theme TEXT NOT NULL,
    language TEXT NOT NULL,
    timezone TEXT NOT NULL,
    notifications {json} NOT NULL,
    quiet_hours {json} NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);

CREATE TABLE api_keys (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    scopes {json} NOT NULL,
    created_by {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at {ts} NOT NULL,
    last_used_at {ts},
    expires_at {ts},
    revoked_at {ts},
    PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX api_keys_hash_key ON api_keys (key_hash);

CREATE TABLE invites (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    invited_by {uuid} REFERENCES users (id) ON DELETE SET NULL,
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    accepted_at {ts},
    accepted_by {uuid} REFERENCES users (id) ON DELETE SET NULL,
    revoked_at {ts},
    PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX invites_token_key ON invites (token_hash);
CREATE INDEX invites_org_email_idx ON invites (organization_id, email);

ALTER TABLE organizations ADD COLUMN permissions {json};

CREATE INDEX communications_sent_idx ON communications (organization_id, sent_at);
CREATE INDEX leads_pipeline_status_idx ON leads (organization_id, pipeline_id, status, stage_id)
"#;

const BY_CREDENTIAL: &str = "organization_id = NULLIF(current_setting('lovedcrm.org_id', true), '')::uuid \
     OR {column} = NULLIF(current_setting('lovedcrm.credential', true), '')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await?;
        rls::protect(manager, "user_preferences").await?;
        rls::protect_with(
            manager,
            "api_keys",
            &BY_CREDENTIAL.replace("{column}", "key_hash"),
        )
        .await?;
        rls::protect_with(
            manager,
            "invites",
            &BY_CREDENTIAL.replace("{column}", "token_hash"),
        )
        .await?;
        Ok(())
    }
}
