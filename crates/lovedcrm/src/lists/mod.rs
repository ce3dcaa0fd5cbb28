//! A reusable engine for list endpoints: filtered, sorted, keyset-paginated
//! lists that behave the same on SQLite and PostgreSQL (SPEC §5 "Lists").
//!
//! A resource describes itself once with a [`ListSpec`]; a handler turns the
//! query string into a [`ListQuery`] with [`parse`], builds its SELECT with
//! [`ListQuery::select`], runs it, and wraps the rows with [`page`].
//! Pagination is by keyset (never OFFSET), so inserts and deletes between
//! requests neither skip nor repeat rows.
//!
//! Fields known only at request time (an organization's custom fields, kept
//! in a JSON column) join in through [`JsonFields`] and [`parse_with`].

mod cursor;
mod filter;
mod json;
mod page;
mod parse;
mod spec;
mod sql;
mod value;

#[cfg(test)]
mod tests;

pub use cursor::{Cursor, CursorKey, SortKey};
pub use filter::{Filter, FilterValue, MAX_IN_VALUES};
pub use json::{JsonField, JsonFields, JsonKind};
pub use page::{Page, page};
pub use parse::{
    DEFAULT_LIMIT, ListQuery, MAX_LIMIT, Options, parse, parse_with, parse_with_extra,
};
pub use spec::{Dir, Field, FieldKind, FieldRef, ListSpec, Op};
pub use sql::build;

/// Decodes a raw query string (from `axum::extract::RawQuery`) into the
/// pairs [`parse`] takes.
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}
