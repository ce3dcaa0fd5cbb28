//! Integration tests: HTTP in, real database out, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod smtp_sink;

mod auth;
mod bad_input;
mod binary;
mod comments;
mod companies;
mod consistency;
mod contacts;
mod custom_field_errors;
mod custom_field_lists;
mod email_flows;
mod health;
mod isolation;
mod jobs;
mod jobs_crash;
mod lead_conversion;
mod leads;
mod matrix;
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
mod web;
