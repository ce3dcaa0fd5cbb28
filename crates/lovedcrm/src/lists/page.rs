//! Turning the `limit + 1` rows of a list query into a response page.

use serde::Serialize;

use super::cursor::{self, CursorKey};
use super::parse::ListQuery;
use crate::error::DomainError;

/// One page of a list: `{"data": [...], "next_cursor": ..., "has_more": bool}`
/// plus `total` when it was asked for.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` (with the same `sort`) for the next page; `None` on
    /// the last page.
    pub next_cursor: Option<String>,
    pub has_more: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

impl<T> Page<T> {
    /// Maps the rows (e.g. database rows to API objects), keeping the paging.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            data: self.data.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
            has_more: self.has_more,
            total: self.total,
        }
    }

    pub fn with_total(mut self, total: u64) -> Self {
        self.total = Some(total);
        self
    }
}

/// Builds the page from rows fetched with [`ListQuery::limit_plus_one`]:
/// drops the extra row, sets `has_more`, and makes `next_cursor` from the
/// key of the last row kept.
///
/// `key` must set every field of the query's sort with a value of the
/// field's kind; otherwise this is an internal error (a bug in the caller,
/// caught by any test that pages with that sort).
pub fn page<T>(
    mut rows: Vec<T>,
    query: &ListQuery,
    key: impl Fn(&T) -> CursorKey,
) -> Result<Page<T>, DomainError> {
    let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
    let has_more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = match rows.last() {
        Some(last) if has_more => {
            Some(cursor::encode(&query.sort, &key(last)).map_err(DomainError::internal)?)
        }
        _ => None,
    };
    Ok(Page {
        data: rows,
        next_cursor,
        has_more,
        total: None,
    })
}
