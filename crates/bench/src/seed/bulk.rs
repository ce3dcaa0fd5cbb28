//! Bulk writes the way an import would do them: multi-row `INSERT`s (up to
//! 1,000 rows per statement) in large transactions, through the same SeaORM /
//! sqlx drivers and the same value encodings as the application.
//!
//! On PostgreSQL each organization's rows are written after
//! `set_config('lovedcrm.org_id', …, true)`, so row-level security checks
//! them exactly as it checks the server's writes. On SQLite every searchable
//! row also gets its FTS5 row (`rowid = search_rowid`, text
//! `o<org> <search_text>`, as `records::search::index` writes it).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use sea_orm::{DatabaseConnection, DbBackend, TransactionTrait, Value};
use tokio::sync::{Mutex, mpsc};
use uuid::Uuid;

use lovedcrm::db;

/// A table and the columns every generated row fills, in order.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

/// Rows of one table, values flattened in column order.
pub struct Rows {
    pub table: &'static Table,
    values: Vec<Value>,
    /// `(search_rowid, folded search_text)` for the SQLite FTS index.
    fts: Vec<(i64, String)>,
}

impl Rows {
    pub fn new(table: &'static Table) -> Rows {
        Rows {
            table,
            values: Vec::new(),
            fts: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.table.columns.len(), "{}", self.table.name);
        self.values.extend(row);
    }

    /// Also index the row in full-text search.
    pub fn index(&mut self, rowid: i64, text: String) {
        self.fts.push((rowid, text));
    }

    pub fn count(&self) -> usize {
        self.values.len() / self.table.columns.len()
    }
}

/// What one organization writes in one transaction, tables in order.
pub struct Part {
    pub org: Uuid,
    pub rows: Vec<Rows>,
}

/// PostgreSQL takes 65,535 parameters per statement, SQLite 32,766.
const MAX_PARAMS: usize = 30_000;
const MAX_ROWS: usize = 1_000;

/// `INSERT INTO table (columns) VALUES (…), (…)` for `rows` rows. SQLite gets
/// plain `?` placeholders: it resolves each distinct `$n` name by a linear
/// search, which makes a statement of 19,000 of them quadratic.
fn insert_sql(backend: DbBackend, table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns.len() {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
            if backend == DbBackend::Sqlite {
                sql.push('?');
            } else {
                sql.push('$');
                sql.push_str(&n.to_string());
            }
        }
        sql.push(')');
    }
    sql
}

/// Inserts `values` (whole rows of `columns`) in statements of at most
/// `MAX_ROWS` rows.
async fn insert_all<C: sea_orm::ConnectionTrait>(
    conn: &C,
    table: &str,
    columns: &[&str],
    mut values: Vec<Value>,
) -> Result<()> {
    let backend = conn.get_database_backend();
    let per = (MAX_PARAMS / columns.len()).min(MAX_ROWS);
    let mut full_sql: Option<String> = None;
    while !values.is_empty() {
        let rows = (values.len() / columns.len()).min(per);
        let rest = values.split_off(rows * columns.len());
        let sql = if rows == per {
            full_sql
                .get_or_insert_with(|| insert_sql(backend, table, columns, per))
                .clone()
        } else {
            insert_sql(backend, table, columns, rows)
        };
        db::exec(conn, &sql, values)
            .await
            .with_context(|| format!("inserting {rows} rows into {table}"))?;
        values = rest;
    }
    Ok(())
}

/// Writes `parts` in one transaction; returns the number of table rows.
pub async fn write(conn: &DatabaseConnection, parts: Vec<Part>) -> Result<u64> {
    let backend = conn.get_database_backend();
    let tx = conn.begin().await?;
    let mut written = 0u64;
    for part in parts {
        if backend == DbBackend::Postgres {
            db::exec(
                &tx,
                "SELECT set_config('lovedcrm.org_id', $1, true)",
                vec![part.org.to_string().into()],
            )
            .await?;
        }
        let token = format!("o{}", part.org.simple());
        for rows in part.rows {
            written += rows.count() as u64;
            let table = rows.table;
            insert_all(&tx, table.name, table.columns, rows.values).await?;
            if backend == DbBackend::Sqlite && !rows.fts.is_empty() {
                let fts = format!("{}_fts", table.name);
                let values = rows
                    .fts
                    .into_iter()
                    .flat_map(|(rowid, text)| [rowid.into(), format!("{token} {text}").into()])
                    .collect();
                insert_all(&tx, &fts, &["rowid", "search_text"], values).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(written)
}

/// Generates batches `0..batches` with `make` (on the blocking pool, one
/// ahead of the writers) and writes them with `writers` connections in
/// parallel. Returns the rows written.
pub async fn load<F>(
    conn: &DatabaseConnection,
    label: &str,
    writers: usize,
    batches: usize,
    make: F,
) -> Result<u64>
where
    F: Fn(usize) -> Vec<Part> + Send + Sync + 'static,
{
    let started = Instant::now();
    let make = Arc::new(make);
    let (send, receive) = mpsc::channel::<Vec<Part>>(writers + 1);
    let producer = tokio::spawn(async move {
        for i in 0..batches {
            let make = make.clone();
            let parts = tokio::task::spawn_blocking(move || make(i)).await?;
            if send.send(parts).await.is_err() {
                break;
            }
        }
        anyhow::Ok(())
    });
    let receive = Arc::new(Mutex::new(receive));
    let total = Arc::new(AtomicU64::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..writers.max(1) {
        let (receive, total, conn) = (receive.clone(), total.clone(), conn.clone());
        tasks.spawn(async move {
            loop {
                let next = receive.lock().await.recv().await;
                let Some(parts) = next else {
                    return anyhow::Ok(());
                };
                total.fetch_add(write(&conn, parts).await?, Ordering::Relaxed);
            }
        });
    }
    let mut failure = None;
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done.map_err(anyhow::Error::from).and_then(|r| r) {
            failure.get_or_insert(e);
            // Stop the producer; the other writers drain and end.
            receive.lock().await.close();
        }
    }
    producer.await??;
    if let Some(e) = failure {
        return Err(e.context(format!("seeding {label}")));
    }
    let rows = total.load(Ordering::Relaxed);
    let secs = started.elapsed().as_secs_f64();
    if rows == 0 && batches > 0 {
        bail!("seeding {label} wrote no rows");
    }
    eprintln!(
        "seed: {label}: {rows} rows in {secs:.1} s ({:.0} rows/s)",
        rows as f64 / secs.max(1e-9)
    );
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::insert_sql;
    use sea_orm::DbBackend;

    #[test]
    fn placeholders_number_every_row() {
        assert_eq!(
            insert_sql(DbBackend::Postgres, "t", &["a", "b"], 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(
            insert_sql(DbBackend::Sqlite, "t", &["a", "b"], 2),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
