//! Full-text search over records, the same on both databases.
//!
//! The application folds the searchable text (lower case, accents removed)
//! into `search_text`; PostgreSQL indexes it as a generated `tsvector` with a
//! GIN index, SQLite in an FTS5 table keyed by `search_rowid`. Queries are
//! folded the same way, so "joao" finds "João" and "JOÃO".

use sea_orm::DbBackend;
use sea_orm::sea_query::{Expr, SimpleExpr};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use uuid::Uuid;

use crate::db::{self, DbErr, TenantTx};

/// Lower-cases `text` and strips diacritics.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// Joins the searchable parts of a record into its folded `search_text`.
pub fn text<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let joined: Vec<&str> = parts
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect();
    fold(&joined.join(" "))
}

/// A stable 64-bit key for the FTS5 row of a record: the random low half of
/// its UUID v7 (collisions are ~1 in 10^7 at a million rows per table, and
/// the base-table join on `search_rowid` plus the organization filter keeps
/// even those harmless).
pub fn rowid(id: Uuid) -> i64 {
    let bytes = id.as_bytes();
    let mut low = [0u8; 8];
    low.copy_from_slice(&bytes[8..]);
    i64::from_be_bytes(low) & i64::MAX
}

/// The folded words of a query, without punctuation.
fn words(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(String::from)
        .collect()
}

/// The tsquery terms of one query word on PostgreSQL, whose index splits
/// letters from digits (migration m0009): "silva12" is `silva & 12:*`; only
/// the last piece is a prefix, the others were typed to their end.
fn pg_terms(word: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut last_digit = None;
    for c in word.chars() {
        let digit = c.is_ascii_digit();
        match pieces.last_mut() {
            Some(piece) if last_digit == Some(digit) => piece.push(c),
            _ => pieces.push(c.to_string()),
        }
        last_digit = Some(digit);
    }
    if let Some(last) = pieces.last_mut() {
        last.push_str(":*");
    }
    pieces
}

/// The organization's token in SQLite's FTS index, so a search only walks
/// the posting lists of its own organization.
fn org_token(org: Uuid) -> String {
    format!("o{}", org.simple())
}

/// Keeps the SQLite FTS index in step with a record (PostgreSQL's index is a
/// generated column and needs nothing).
pub async fn index(tx: &TenantTx, table: &str, id: Uuid, search_text: &str) -> Result<(), DbErr> {
    if sea_orm::ConnectionTrait::get_database_backend(&**tx) != DbBackend::Sqlite {
        return Ok(());
    }
    let rowid = rowid(id);
    db::exec(
        &**tx,
        &format!("DELETE FROM {table}_fts WHERE rowid = $1"),
        vec![rowid.into()],
    )
    .await?;
    db::exec(
        &**tx,
        &format!("INSERT INTO {table}_fts (rowid, search_text) VALUES ($1, $2)"),
        vec![
            rowid.into(),
            format!("{} {search_text}", org_token(tx.org_id())).into(),
        ],
    )
    .await?;
    Ok(())
}

/// Removes a deleted record from the SQLite FTS index.
pub async fn unindex(tx: &TenantTx, table: &str, id: Uuid) -> Result<(), DbErr> {
    if sea_orm::ConnectionTrait::get_database_backend(&**tx) != DbBackend::Sqlite {
        return Ok(());
    }
    db::exec(
        &**tx,
        &format!("DELETE FROM {table}_fts WHERE rowid = $1"),
        vec![rowid(id).into()],
    )
    .await?;
    Ok(())
}

/// A WHERE condition matching rows of `table` whose text has every word of
/// `query` as a prefix; `None` when the query has no words.
pub fn condition(backend: DbBackend, table: &str, org: Uuid, query: &str) -> Option<SimpleExpr> {
    let words = words(query);
    if words.is_empty() {
        return None;
    }
    Some(match backend {
        DbBackend::Postgres => {
            let tsquery = words
                .iter()
                .flat_map(|w| pg_terms(w))
                .collect::<Vec<_>>()
                .join(" & ");
            Expr::cust_with_values(
                format!("{table}.search_vector @@ to_tsquery('simple', $1)"),
                [tsquery],
            )
        }
        _ => {
            let mut fts = vec![org_token(org)];
            fts.extend(words.iter().map(|w| format!("\"{w}\"*")));
            Expr::cust_with_values(
                format!(
                    "{table}.search_rowid IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)"
                ),
                [fts.join(" ")],
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("João ÁLVARES Müller ç"), "joao alvares muller c");
        assert_eq!(
            text([Some("José"), None, Some(""), Some("São Paulo")]),
            "jose sao paulo"
        );
    }

    #[test]
    fn postgres_terms_split_letters_from_digits() {
        assert_eq!(pg_terms("silva"), ["silva:*"]);
        assert_eq!(pg_terms("silva12"), ["silva", "12:*"]);
        assert_eq!(pg_terms("ab12cd"), ["ab", "12", "cd:*"]);
        assert_eq!(pg_terms("5511"), ["5511:*"]);
    }

    #[test]
    fn query_words_drop_punctuation() {
        assert_eq!(words("  \"João\" (silva) & OR:* "), ["joao", "silva", "or"]);
        assert!(words("*** ()").is_empty());
    }
}
