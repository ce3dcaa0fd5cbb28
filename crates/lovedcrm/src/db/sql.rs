use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, SqlErr, Statement, Value};

pub use sea_orm::FromQueryResult as Row;

fn statement<C: ConnectionTrait>(conn: &C, sql: &str, values: Vec<Value>) -> Statement {
    super::inspect::note(sql);
    Statement::from_sql_and_values(conn.get_database_backend(), sql, values)
}

/// Runs a query expected to return at most one row.
pub async fn fetch_one<T: FromQueryResult, C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Option<T>, DbErr> {
    match conn.query_one_raw(statement(conn, sql, values)).await? {
        Some(row) => Ok(Some(T::from_query_result(&row, "")?)),
        None => Ok(None),
    }
}

/// Runs a query and decodes every row.
pub async fn fetch_all<T: FromQueryResult, C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<T>, DbErr> {
    let rows = conn.query_all_raw(statement(conn, sql, values)).await?;
    rows.iter().map(|r| T::from_query_result(r, "")).collect()
}

/// Runs a statement and returns the number of rows it touched.
pub async fn exec<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, DbErr> {
    Ok(conn
        .execute_raw(statement(conn, sql, values))
        .await?
        .rows_affected())
}

pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// The current time at microsecond precision, which both databases keep
/// exactly, so a value read back equals the value written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
