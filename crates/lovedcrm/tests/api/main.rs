//! Integration tests: HTTP in, real database out, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod auth;
mod bad_input;
mod binary;
mod comments;
mod companies;
mod contacts;
mod health;
mod isolation;
mod leads;
mod notes;
mod notifications;
mod organizations;
mod pipelines;
mod projects;
mod realtime;
mod row_level_security;
mod shares;
mod tasks;
mod timeline;
mod tokens;
