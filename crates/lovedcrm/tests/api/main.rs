//! Integration tests: HTTP in, real database out, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod auth;
mod bad_input;
mod binary;
mod health;
mod isolation;
mod organizations;
mod row_level_security;
mod tokens;
