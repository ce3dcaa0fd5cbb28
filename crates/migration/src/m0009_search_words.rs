//! Full-text search on PostgreSQL finds words inside email addresses, domains
//! and URLs, and prefix queries stay cheap.
//!
//! The `simple` parser kept `ana.silva12@example.com` as one token, so a
//! search for "silva12" found nothing on PostgreSQL (SQLite's tokenizer
//! found it), and a prefix query walked the posting list of every distinct
//! token starting with it: "laura hernandez" expanded to each
//! `hernandez<n>` of a million addresses and spent 14 ms of 17 in the index
//! (1.5 ms for the exact words). The vector is now built from the folded
//! text with every run of non-alphanumerics turned into a space and letters
//! split from digits (`silva12` → `silva 12`); queries are split the same
//! way (`records::search`). Forward-only: the generated column is replaced,
//! rewriting each searchable table once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::m0002_crm::SEARCHABLE;

/// `search_text` as words: punctuation to spaces, letters apart from digits.
const WORDS: &str = "regexp_replace(regexp_replace(regexp_replace(search_text, \
     '[^[:alnum:]]+', ' ', 'g'), '([[:alpha:]])([[:digit:]])', '\\1 \\2', 'g'), \
     '([[:digit:]])([[:alpha:]])', '\\1 \\2', 'g')";

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_search_words"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let conn = manager.get_connection();
        for table in SEARCHABLE {
            conn.execute_unprepared(&format!(
                "ALTER TABLE {table} DROP COLUMN search_vector; \
                 ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS \
                   (to_tsvector('simple', {WORDS})) STORED; \
                 CREATE INDEX {table}_search_idx ON {table} USING GIN (search_vector)"
            ))
            .await?;
        }
        Ok(())
    }
}
