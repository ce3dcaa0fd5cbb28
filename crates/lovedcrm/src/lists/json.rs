//! Fields known only at request time: typed keys inside a JSON column of the
//! listed table (an organization's custom fields). A request names them
//! `<column>.<key>` and filters and sorts on them like on any other field.
//!
//! The SQL that reads a key yields a value only when the stored JSON has the
//! key's type, and NULL otherwise (absent, `null`, or a value left over from
//! an older definition of the same key). Rust reads a row's cursor value
//! with exactly the same rule ([`JsonField::cursor_text`]), which is what
//! keeps keyset pages correct; and no stored value can make a cast fail.

use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::DbBackend;
use sea_orm::sea_query::{Expr, Value};
use serde_json::Value as Json;

use super::spec::{FieldKind, ListSpec, Op, join};
use super::value::parse_value;

/// What a JSON key holds; decides its operators, values and order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonKind {
    /// A string (also URLs and emails).
    Text,
    /// A JSON number, compared and sorted as a double.
    Number,
    /// A `YYYY-MM-DD` string, compared and sorted as such (byte order, which
    /// is date order for that form); a string of another shape reads as NULL.
    Date,
    Boolean,
    /// One of these strings.
    Choice(Vec<String>),
    /// An array of some of these strings; `contains` asks for one of them.
    Choices(Vec<String>),
}

/// One typed key inside a JSON column.
#[derive(Debug)]
pub struct JsonField {
    /// `<column>.<key>`, as the API names it.
    name: String,
    column: &'static str,
    key: String,
    kind: JsonKind,
    backend: DbBackend,
    /// `table.column`, qualified.
    source: String,
    /// The key's value (or NULL), parenthesized SQL without parameters.
    value_sql: String,
}

/// The keys of one JSON column a list request may name.
#[derive(Debug, Clone)]
pub struct JsonFields {
    table: &'static str,
    column: &'static str,
    backend: DbBackend,
    fields: Vec<Arc<JsonField>>,
}

/// Keys become part of the SQL text, so only these are accepted.
fn safe_key(key: &str) -> bool {
    let mut chars = key.chars();
    key.len() <= 50
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl JsonFields {
    /// No keys yet, in `column` of `spec`'s table, for `backend`'s SQL.
    pub fn new(spec: &ListSpec, column: &'static str, backend: DbBackend) -> Self {
        Self {
            table: spec.table,
            column,
            backend,
            fields: Vec::new(),
        }
    }

    /// Adds a key. Keys must be lower-case letters, digits and `_`, starting
    /// with a letter (at most 50), and unique.
    pub fn add(&mut self, key: &str, kind: JsonKind) -> Result<(), String> {
        if !safe_key(key) {
            return Err(format!("`{key}` is not a valid key"));
        }
        let name = format!("{}.{key}", self.column);
        if self.get(&name).is_some() {
            return Err(format!("`{key}` is listed twice"));
        }
        let source = format!("{}.{}", self.table, self.column);
        let value_sql = value_sql(self.backend, &source, key, &kind);
        self.fields.push(Arc::new(JsonField {
            name,
            column: self.column,
            key: key.to_string(),
            kind,
            backend: self.backend,
            source,
            value_sql,
        }));
        Ok(())
    }

    /// The field named `<column>.<key>`.
    pub fn get(&self, name: &str) -> Option<&Arc<JsonField>> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The names of every key, comma-separated, for error messages.
    pub(crate) fn names(&self) -> String {
        join(self.fields.iter().map(|f| f.name.as_str()))
    }

    /// Whether `name` is in this column's namespace (`<column>.…`).
    pub(crate) fn claims(&self, name: &str) -> bool {
        name.strip_prefix(self.column)
            .is_some_and(|rest| rest.starts_with('.'))
    }

    /// The error message for a name in this namespace that is not defined.
    pub(crate) fn unknown(&self, name: &str, sortable_only: bool) -> String {
        let names: Vec<&str> = self
            .fields
            .iter()
            .filter(|f| !sortable_only || f.sortable())
            .map(|f| f.name.as_str())
            .collect();
        let what = if sortable_only { "sortable " } else { "" };
        if names.is_empty() {
            format!(
                "unknown field `{name}`; no {what}{} are defined",
                self.column
            )
        } else {
            format!(
                "unknown field `{name}`; {what}{}: {}",
                self.column,
                join(names.into_iter())
            )
        }
    }
}

impl JsonField {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn kind(&self) -> &JsonKind {
        &self.kind
    }

    pub(crate) fn sortable(&self) -> bool {
        matches!(
            self.kind,
            JsonKind::Text | JsonKind::Number | JsonKind::Date | JsonKind::Choice(_)
        )
    }

    pub(crate) fn ops(&self) -> Vec<Op> {
        use Op::*;
        match self.kind {
            JsonKind::Text => vec![Eq, Neq, In, Contains, StartsWith, IsNull],
            JsonKind::Number | JsonKind::Date => vec![Eq, Neq, Lt, Lte, Gt, Gte, In, IsNull],
            JsonKind::Boolean => vec![Eq, IsNull],
            JsonKind::Choice(_) => vec![Eq, Neq, In, IsNull],
            JsonKind::Choices(_) => vec![Contains, IsNull],
        }
    }

    /// A filter value; the error says what was expected.
    pub(crate) fn parse_value(&self, text: &str) -> Result<Value, String> {
        match &self.kind {
            JsonKind::Text => Ok(Value::String(Some(text.to_string()))),
            JsonKind::Number => parse_value(FieldKind::Decimal, text),
            JsonKind::Boolean => parse_value(FieldKind::Boolean, text),
            // Bound as the stored text form, which the SQL compares.
            JsonKind::Date => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map(|d| Value::String(Some(d.format("%Y-%m-%d").to_string())))
                .map_err(|_| format!("`{text}` is not a date such as 2024-05-01")),
            JsonKind::Choice(options) | JsonKind::Choices(options) => {
                if options.iter().any(|o| o == text) {
                    Ok(Value::String(Some(text.to_string())))
                } else {
                    Err(format!(
                        "`{text}` is not one of: {}",
                        join(options.iter().map(String::as_str))
                    ))
                }
            }
        }
    }

    /// A value read back from a cursor: typed like a filter value but not
    /// checked against today's options or date form (a stored value may
    /// predate them).
    pub(crate) fn cursor_value(&self, text: &str) -> Result<Value, String> {
        match self.kind {
            JsonKind::Number => parse_value(FieldKind::Decimal, text),
            JsonKind::Boolean => parse_value(FieldKind::Boolean, text),
            _ => Ok(Value::String(Some(text.to_string()))),
        }
    }

    /// The text form of this key's value in a row's JSON column, `None`
    /// where the SQL value is NULL.
    pub(crate) fn cursor_text(&self, object: &Json) -> Option<String> {
        let value = object.get(&self.key)?;
        match self.kind {
            JsonKind::Number => value.as_f64().map(|n| n.to_string()),
            JsonKind::Text | JsonKind::Choice(_) => value.as_str().map(str::to_string),
            JsonKind::Date => value
                .as_str()
                .filter(|s| date_shaped(s))
                .map(str::to_string),
            JsonKind::Boolean => value.as_bool().map(|b| b.to_string()),
            JsonKind::Choices(_) => None,
        }
    }

    pub(crate) fn column(&self) -> &'static str {
        self.column
    }

    /// The key's value as an SQL expression (NULL when absent or of
    /// another type).
    pub(crate) fn expr(&self) -> Expr {
        Expr::cust(self.value_sql.clone())
    }

    /// `contains` on an array of choices: the array holds `value`.
    pub(crate) fn has_item(&self, value: Value) -> Expr {
        let (source, key) = (&self.source, &self.key);
        match self.backend {
            DbBackend::Postgres => Expr::cust_with_values(
                format!(
                    "(jsonb_typeof({source} -> '{key}') = 'array' \
                     AND ({source} -> '{key}') @> jsonb_build_array(CAST($1 AS TEXT)))"
                ),
                [value],
            ),
            _ => Expr::cust_with_values(
                format!(
                    "(json_type({source}, '$.{key}') = 'array' AND EXISTS (SELECT 1 FROM \
                     json_each({source}, '$.{key}') AS item WHERE item.type = 'text' \
                     AND item.value = ?))"
                ),
                [value],
            ),
        }
    }
}

/// The SQL reading `key` of `source` as `kind`, NULL unless the stored JSON
/// value has that type. Multi-choice arrays read as 1 when non-empty (for
/// `is_null`; `contains` is [`JsonField::has_item`]).
fn value_sql(backend: DbBackend, source: &str, key: &str, kind: &JsonKind) -> String {
    match backend {
        DbBackend::Postgres => {
            let typed = |t: &str, then: String| {
                format!("(CASE WHEN jsonb_typeof({source} -> '{key}') = '{t}' THEN {then} END)")
            };
            let text = format!("({source} ->> '{key}')");
            match kind {
                JsonKind::Text | JsonKind::Choice(_) => typed("string", text),
                JsonKind::Date => format!(
                    "(CASE WHEN jsonb_typeof({source} -> '{key}') = 'string' \
                     AND {text} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' THEN {text} COLLATE \"C\" END)"
                ),
                JsonKind::Number => typed("number", format!("CAST({text} AS DOUBLE PRECISION)")),
                JsonKind::Boolean => typed("boolean", format!("CAST({text} AS BOOLEAN)")),
                JsonKind::Choices(_) => format!(
                    "(CASE WHEN jsonb_typeof({source} -> '{key}') = 'array' \
                     AND ({source} -> '{key}') <> '[]'::jsonb THEN 1 END)"
                ),
            }
        }
        _ => {
            let path = format!("'$.{key}'");
            let extract = format!("json_extract({source}, {path})");
            let json_type = format!("json_type({source}, {path})");
            match kind {
                JsonKind::Text | JsonKind::Choice(_) => {
                    format!("(CASE WHEN {json_type} = 'text' THEN {extract} END)")
                }
                JsonKind::Date => format!(
                    "(CASE WHEN {json_type} = 'text' AND {extract} GLOB \
                     '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN {extract} END)"
                ),
                JsonKind::Number => {
                    format!("(CASE WHEN {json_type} IN ('integer', 'real') THEN {extract} END)")
                }
                JsonKind::Boolean => {
                    format!("(CASE {json_type} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)")
                }
                JsonKind::Choices(_) => format!(
                    "(CASE WHEN {json_type} = 'array' \
                     AND json_array_length({source}, {path}) > 0 THEN 1 END)"
                ),
            }
        }
    }
}

/// `NNNN-NN-NN` in ASCII digits: the shape the SQL of a date key accepts.
fn date_shaped(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}
