use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Turns portable DDL into the dialect of `backend`.
///
/// SQLite decides storage by type-name affinity, so UUIDs must be declared
/// BLOB (sqlx stores them as 16 bytes) and JSON as TEXT (a NUMERIC affinity
/// would turn the JSON text `1` into an integer).
pub fn portable(sql: &str, backend: DbBackend) -> String {
    let (uuid, ts, json, boolean, date, float) = match backend {
        DbBackend::Postgres => (
            "UUID",
            "TIMESTAMPTZ",
            "JSONB",
            "BOOLEAN",
            "DATE",
            "DOUBLE PRECISION",
        ),
        _ => ("BLOB", "TEXT", "TEXT", "INTEGER", "TEXT", "REAL"),
    };
    sql.replace("{uuid}", uuid)
        .replace("{ts}", ts)
        .replace("{json}", json)
        .replace("{bool}", boolean)
        .replace("{date}", date)
        .replace("{float}", float)
}

/// Runs each `;`-separated statement of portable DDL.
pub async fn run(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let conn = manager.get_connection();
    for statement in portable(sql, backend).split(';') {
        if !statement.trim().is_empty() {
            conn.execute_unprepared(statement).await?;
        }
    }
    Ok(())
}
