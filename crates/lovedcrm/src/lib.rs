//! Loved CRM: a self-hostable CRM server over SQLite or PostgreSQL.

pub mod audit;
pub mod auth;
pub mod cli;
pub mod comments;
pub mod companies;
pub mod config;
pub mod contacts;
pub mod crypto;
pub mod custom_fields;
pub mod db;
pub mod http;
pub mod leads;
pub mod lists;
pub mod notes;
pub mod notifications;
pub mod observability;
pub mod organizations;
pub mod pipelines;
pub mod projects;
pub mod realtime;
pub mod records;
pub mod search;
pub mod seed;
pub mod shares;
pub mod startup;
pub mod tags;
pub mod tasks;
pub mod timeline;
pub mod users;
pub mod web;

pub use startup::Application;
