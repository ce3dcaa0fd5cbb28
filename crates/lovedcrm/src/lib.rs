//! Loved CRM: a self-hostable CRM server over SQLite or PostgreSQL.

pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod http;
pub mod observability;
pub mod organizations;
pub mod startup;
pub mod users;

pub use startup::Application;
