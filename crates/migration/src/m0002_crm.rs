//! The CRM records: pipelines and stages, companies, contacts, leads, the
//! timeline (communications and activities) and idempotency keys.
//!
//! Every table is keyed `(organization_id, id)` and every reference between
//! records includes `organization_id`, so a row can never point into another
//! organization. Indexes lead with `organization_id` for each default sort.

use sea_orm_migration::prelude::*;

use crate::{ddl, rls};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_crm"
    }
}

const TABLES: [&str; 18] = [
    "pipelines",
    "stages",
    "companies",
    "contacts",
    "leads",
    "communications",
    "activities",
    "projects",
    "project_assignees",
    "tasks",
    "notes",
    "comments",
    "notifications",
    "tags",
    "record_tags",
    "record_shares",
    "custom_field_definitions",
    "idempotency_keys",
];

/// Tables with a `search_text` column get full-text search: a generated
/// `tsvector` with a GIN index on PostgreSQL, an FTS5 index on SQLite.
pub const SEARCHABLE: [&str; 5] = ["companies", "contacts", "leads", "projects", "tasks"];

const SQL: &str = r#"
CREATE TABLE pipelines (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    is_default {bool} NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);

CREATE TABLE stages (
    organization_id {uuid} NOT NULL,
    id {uuid} NOT NULL,
    pipeline_id {uuid} NOT NULL,
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    probability INTEGER NOT NULL,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, pipeline_id) REFERENCES pipelines (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX stages_pipeline_idx ON stages (organization_id, pipeline_id, position);

CREATE TABLE companies (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    industry TEXT,
    domain TEXT,
    size TEXT,
    address TEXT,
    owner_id {uuid},
    custom_fields {json} NOT NULL,
    search_text TEXT NOT NULL,
    search_rowid BIGINT NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX companies_created_idx ON companies (organization_id, created_at, id);
CREATE INDEX companies_name_idx ON companies (organization_id, name, id);
CREATE INDEX companies_domain_idx ON companies (organization_id, domain);

CREATE TABLE contacts (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    first_name TEXT,
    last_name TEXT,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    job_position TEXT,
    company_id {uuid},
    address TEXT,
    source TEXT,
    owner_id {uuid},
    custom_fields {json} NOT NULL,
    search_text TEXT NOT NULL,
    search_rowid BIGINT NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id)
);
CREATE INDEX contacts_created_idx ON contacts (organization_id, created_at, id);
CREATE INDEX contacts_name_idx ON contacts (organization_id, name, id);
CREATE INDEX contacts_email_idx ON contacts (organization_id, email);
CREATE INDEX contacts_phone_idx ON contacts (organization_id, phone);
CREATE INDEX contacts_company_idx ON contacts (organization_id, company_id);
CREATE INDEX contacts_owner_idx ON contacts (organization_id, owner_id, created_at, id);

CREATE TABLE leads (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    title TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    company_name TEXT,
    company_id {uuid},
    contact_id {uuid},
    pipeline_id {uuid} NOT NULL,
    stage_id {uuid} NOT NULL,
    position {float} NOT NULL,
    status TEXT NOT NULL,
    lost_reason TEXT,
    estimated_value {float},
    currency TEXT NOT NULL,
    probability INTEGER,
    expected_close_date {date},
    source TEXT NOT NULL,
    score INTEGER,
    assigned_to {uuid},
    last_contact_at {ts},
    last_contact_channel TEXT,
    closed_at {ts},
    converted_at {ts},
    custom_fields {json} NOT NULL,
    search_text TEXT NOT NULL,
    search_rowid BIGINT NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, pipeline_id) REFERENCES pipelines (organization_id, id),
    FOREIGN KEY (organization_id, stage_id) REFERENCES stages (organization_id, id),
    FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id),
    FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id)
);
CREATE INDEX leads_board_idx ON leads (organization_id, stage_id, position, id);
CREATE INDEX leads_created_idx ON leads (organization_id, created_at, id);
CREATE INDEX leads_assigned_idx ON leads (organization_id, assigned_to, created_at, id);
CREATE INDEX leads_status_idx ON leads (organization_id, status, created_at, id);
CREATE INDEX leads_contact_idx ON leads (organization_id, contact_id);
CREATE INDEX leads_company_idx ON leads (organization_id, company_id);
CREATE INDEX leads_email_idx ON leads (organization_id, email);
CREATE INDEX leads_phone_idx ON leads (organization_id, phone);

CREATE TABLE communications (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    lead_id {uuid},
    contact_id {uuid},
    channel TEXT NOT NULL,
    direction TEXT NOT NULL,
    subject TEXT,
    content TEXT,
    metadata {json} NOT NULL,
    attachments {json} NOT NULL,
    provider TEXT NOT NULL,
    external_id TEXT,
    status TEXT NOT NULL,
    sent_at {ts} NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, lead_id) REFERENCES leads (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX communications_external_key ON communications (organization_id, provider, external_id);
CREATE INDEX communications_lead_idx ON communications (organization_id, lead_id, sent_at, id);
CREATE INDEX communications_contact_idx ON communications (organization_id, contact_id, sent_at, id);

CREATE TABLE activities (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    lead_id {uuid},
    contact_id {uuid},
    company_id {uuid},
    kind TEXT NOT NULL,
    actor_id {uuid},
    data {json} NOT NULL,
    occurred_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, lead_id) REFERENCES leads (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX activities_lead_idx ON activities (organization_id, lead_id, occurred_at, id);
CREATE INDEX activities_contact_idx ON activities (organization_id, contact_id, occurred_at, id);

CREATE TABLE projects (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    company_id {uuid},
    due_date {date},
    owner_id {uuid},
    custom_fields {json} NOT NULL,
    search_text TEXT NOT NULL,
    search_rowid BIGINT NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id)
);
CREATE INDEX projects_created_idx ON projects (organization_id, created_at, id);
CREATE INDEX projects_updated_idx ON projects (organization_id, updated_at, id);

CREATE TABLE project_assignees (
    organization_id {uuid} NOT NULL,
    id {uuid} NOT NULL,
    project_id {uuid} NOT NULL,
    user_id {uuid} NOT NULL,
    created_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX project_assignees_key ON project_assignees (organization_id, project_id, user_id);
CREATE INDEX project_assignees_user_idx ON project_assignees (organization_id, user_id);

CREATE TABLE tasks (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    assignee_id {uuid},
    project_id {uuid},
    lead_id {uuid},
    contact_id {uuid},
    company_id {uuid},
    due_date {ts},
    completed_at {ts},
    custom_fields {json} NOT NULL,
    search_text TEXT NOT NULL,
    search_rowid BIGINT NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, lead_id) REFERENCES leads (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX tasks_created_idx ON tasks (organization_id, created_at, id);
CREATE INDEX tasks_assignee_idx ON tasks (organization_id, assignee_id, due_date, id);
CREATE INDEX tasks_project_idx ON tasks (organization_id, project_id, created_at, id);
CREATE INDEX tasks_lead_idx ON tasks (organization_id, lead_id);
CREATE INDEX tasks_contact_idx ON tasks (organization_id, contact_id);
CREATE INDEX tasks_company_idx ON tasks (organization_id, company_id);

CREATE TABLE notes (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    lead_id {uuid},
    contact_id {uuid},
    company_id {uuid},
    project_id {uuid},
    task_id {uuid},
    body TEXT NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, lead_id) REFERENCES leads (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX notes_lead_idx ON notes (organization_id, lead_id, created_at, id);
CREATE INDEX notes_contact_idx ON notes (organization_id, contact_id, created_at, id);
CREATE INDEX notes_company_idx ON notes (organization_id, company_id, created_at, id);
CREATE INDEX notes_project_idx ON notes (organization_id, project_id, created_at, id);

CREATE TABLE comments (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    lead_id {uuid},
    contact_id {uuid},
    company_id {uuid},
    project_id {uuid},
    task_id {uuid},
    body TEXT NOT NULL,
    mentions {json} NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, lead_id) REFERENCES leads (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, contact_id) REFERENCES contacts (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, company_id) REFERENCES companies (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, task_id) REFERENCES tasks (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX comments_lead_idx ON comments (organization_id, lead_id, created_at, id);
CREATE INDEX comments_contact_idx ON comments (organization_id, contact_id, created_at, id);
CREATE INDEX comments_company_idx ON comments (organization_id, company_id, created_at, id);
CREATE INDEX comments_project_idx ON comments (organization_id, project_id, created_at, id);
CREATE INDEX comments_task_idx ON comments (organization_id, task_id, created_at, id);

CREATE TABLE notifications (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    user_id {uuid} NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    entity_type TEXT,
    entity_id {uuid},
    data {json} NOT NULL,
    read_at {ts},
    created_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX notifications_user_idx ON notifications (organization_id, user_id, id);

CREATE TABLE tags (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    color TEXT NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX tags_name_key ON tags (organization_id, name_key);

CREATE TABLE record_tags (
    organization_id {uuid} NOT NULL,
    id {uuid} NOT NULL,
    tag_id {uuid} NOT NULL,
    entity_type TEXT NOT NULL,
    record_id {uuid} NOT NULL,
    created_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, tag_id) REFERENCES tags (organization_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX record_tags_key ON record_tags (organization_id, entity_type, record_id, tag_id);
CREATE INDEX record_tags_tag_idx ON record_tags (organization_id, tag_id, entity_type, record_id);

CREATE TABLE record_shares (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    entity_type TEXT NOT NULL,
    record_id {uuid} NOT NULL,
    user_id {uuid} NOT NULL,
    created_by {uuid},
    created_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX record_shares_key ON record_shares (organization_id, entity_type, record_id, user_id);
CREATE INDEX record_shares_user_idx ON record_shares (organization_id, user_id, entity_type, record_id);

CREATE TABLE custom_field_definitions (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    entity_type TEXT NOT NULL,
    field_key TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    options {json} NOT NULL,
    required {bool} NOT NULL,
    position INTEGER NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX custom_field_definitions_key ON custom_field_definitions (organization_id, entity_type, field_key);

CREATE TABLE idempotency_keys (
    organization_id {uuid} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id {uuid} NOT NULL,
    user_id {uuid} NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at {ts} NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX idempotency_keys_key ON idempotency_keys (organization_id, user_id, idempotency_key);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ddl::run(manager, SQL).await?;
        for table in TABLES {
            rls::protect(manager, table).await?;
        }
        for table in SEARCHABLE {
            search_index(manager, table).await?;
        }
        Ok(())
    }
}

/// `search_text` is already lower-cased and stripped of accents by the
/// application, so the plain `simple` configuration (PostgreSQL) and the
/// default tokenizer (SQLite) find "joao" in "João".
async fn search_index(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
    let conn = manager.get_connection();
    let sql = match manager.get_database_backend() {
        DbBackend::Postgres => format!(
            "ALTER TABLE {table} ADD COLUMN search_vector tsvector \
               GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED; \
             CREATE INDEX {table}_search_idx ON {table} USING GIN (search_vector); \
             CREATE INDEX {table}_search_rowid_idx ON {table} (organization_id, search_rowid)"
        ),
        _ => format!(
            "CREATE VIRTUAL TABLE {table}_fts USING fts5(search_text, content='', \
               contentless_delete=1, tokenize='unicode61 remove_diacritics 2'); \
             CREATE INDEX {table}_search_rowid_idx ON {table} (organization_id, search_rowid)"
        ),
    };
    for statement in sql.split(';') {
        conn.execute_unprepared(statement).await?;
    }
    Ok(())
}
