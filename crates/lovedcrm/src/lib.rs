//! Loved CRM: a self-hostable CRM server over SQLite or PostgreSQL.

pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod contacts;
pub mod custom_fields;
pub mod db;
pub mod http;
pub mod leads;
pub mod lists;
pub mod observability;
pub mod organizations;
pub mod pipelines;
pub mod records;
pub mod startup;
pub mod tags;
pub mod timeline;
pub mod users;

pub use startup::Application;
