//! Query string → [`ListQuery`], with 400s that say what is allowed.

use sea_orm::sea_query::Value;

use super::cursor::{self, Cursor, SortKey};
use super::spec::{Dir, Field, FieldKind, ListSpec, Op, join};
use super::value::{parse_bool, parse_value};
use crate::http::error::{ApiError, FieldError};

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;
/// Bounds the SQL an `in` filter can produce.
pub const MAX_IN_VALUES: usize = 100;
const MAX_Q_LEN: usize = 500;
const KNOWN: [&str; 5] = ["limit", "cursor", "sort", "count", "q"];

/// A parsed, validated list request.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// Page size, 1..=200.
    pub limit: u64,
    /// The requested sort, or the resource's default; never contains the
    /// implicit `id` tie-breaker.
    pub sort: Vec<SortKey>,
    /// Where the page starts, already checked against `sort`.
    pub cursor: Option<Cursor>,
    /// Whether the response should include `total`.
    pub count: bool,
    /// Free-text search, trimmed, `None` when absent or blank.
    pub q: Option<String>,
    /// Filters, all of which must hold (AND).
    pub filters: Vec<Filter>,
    /// Values of the extra parameters the caller allowed, in request order.
    pub extra: Vec<(String, String)>,
}

/// One `field[op]=value` condition.
#[derive(Debug, Clone)]
pub struct Filter {
    pub field: &'static Field,
    pub op: Op,
    pub value: FilterValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    /// For `eq, neq, lt, lte, gt, gte`.
    One(Value),
    /// For `in`.
    Many(Vec<Value>),
    /// For `contains` / `starts_with`: a LIKE pattern with the user's `%`,
    /// `_` and `\` escaped by `\`.
    Pattern(String),
    /// For `is_null`: whether the field must be NULL.
    Null(bool),
}

/// Parses a list request's decoded query pairs.
///
/// Recognizes `limit, cursor, sort, count, q` and filters `field[op]=value`
/// (`field=value` meaning `eq`). Anything else is a 400; every error names
/// the parameter and lists what would have been accepted.
pub fn parse(spec: &ListSpec, pairs: &[(String, String)]) -> Result<ListQuery, ApiError> {
    parse_with_extra(spec, pairs, &[])
}

/// Like [`parse`], also accepting the parameters named in `extra`; their
/// values are returned in [`ListQuery::extra`] for the caller to interpret.
pub fn parse_with_extra(
    spec: &ListSpec,
    pairs: &[(String, String)],
    extra: &[&str],
) -> Result<ListQuery, ApiError> {
    let mut errs = Errors::default();
    let mut query = ListQuery {
        limit: DEFAULT_LIMIT,
        sort: Vec::new(),
        cursor: None,
        count: false,
        q: None,
        filters: Vec::new(),
        extra: Vec::new(),
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut sort_text = None;
    let mut cursor_text = None;
    for (key, value) in pairs {
        if extra.contains(&key.as_str()) {
            query.extra.push((key.clone(), value.clone()));
            continue;
        }
        if let Some(&name) = KNOWN.iter().find(|n| **n == key) {
            if seen.contains(&name) {
                errs.push("invalid_query", key, "given more than once");
                continue;
            }
            seen.push(name);
        }
        match key.as_str() {
            "limit" => match value.trim().parse::<u64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => query.limit = n,
                _ => errs.push(
                    "invalid_query",
                    key,
                    format!("must be an integer from 1 to {MAX_LIMIT}"),
                ),
            },
            "count" => match parse_bool(value) {
                Some(b) => query.count = b,
                None => errs.push("invalid_query", key, "must be true or false"),
            },
            "q" => {
                let q = value.trim();
                if q.chars().count() > MAX_Q_LEN {
                    errs.push("invalid_query", key, format!("longer than {MAX_Q_LEN} characters"));
                } else if !q.is_empty() {
                    query.q = Some(q.to_string());
                }
            }
            "sort" => sort_text = Some(value.as_str()),
            "cursor" => cursor_text = Some(value.as_str()),
            _ => match parse_filter(spec, key, value) {
                Ok(filter) => query.filters.push(filter),
                Err((code, message)) => errs.push(code, key, message),
            },
        }
    }
    query.sort = match sort_text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => match parse_sort(spec, text) {
            Ok(sort) => sort,
            Err(message) => {
                errs.push("invalid_sort", "sort", message);
                Vec::new()
            }
        },
        None => default_sort(spec)?,
    };
    if let Some(text) = cursor_text.map(str::trim).filter(|s| !s.is_empty()) {
        // A cursor can only be checked against a valid sort.
        if !errs.has("sort") {
            match cursor::decode(&query.sort, text) {
                Ok(c) => query.cursor = Some(c),
                Err(message) => errs.push("invalid_cursor", "cursor", message),
            }
        }
    }
    errs.finish()?;
    Ok(query)
}

fn parse_sort(spec: &ListSpec, text: &str) -> Result<Vec<SortKey>, String> {
    let mut sort: Vec<SortKey> = Vec::new();
    for item in text.split(',').map(str::trim) {
        let (name, dir) = match item.strip_prefix('-') {
            Some(name) => (name.trim(), Dir::Desc),
            None => (item, Dir::Asc),
        };
        let allowed = spec.sortable_names();
        let field = match spec.field(name) {
            _ if name.is_empty() => {
                return Err(format!("empty sort key; sortable fields: {allowed}"));
            }
            Some(f) if f.sortable => f,
            Some(_) => {
                return Err(format!("`{name}` cannot be sorted on; sortable fields: {allowed}"));
            }
            None => {
                return Err(format!("unknown sort field `{name}`; sortable fields: {allowed}"));
            }
        };
        if sort.iter().any(|k| k.field.name == name) {
            return Err(format!("`{name}` appears twice"));
        }
        sort.push(SortKey { field, dir });
    }
    Ok(sort)
}

fn default_sort(spec: &ListSpec) -> Result<Vec<SortKey>, ApiError> {
    spec.default_sort
        .iter()
        .map(|(name, dir)| match spec.field(name) {
            Some(field) if field.sortable => Ok(SortKey { field, dir: *dir }),
            _ => Err(ApiError::internal(format!(
                "list spec `{}`: default sort `{name}` is not a sortable field",
                spec.table
            ))),
        })
        .collect()
}

type FilterError = (&'static str, String);

fn parse_filter(spec: &ListSpec, key: &str, value: &str) -> Result<Filter, FilterError> {
    let (name, op_name) = match key.split_once('[') {
        Some((name, rest)) => match rest.strip_suffix(']') {
            Some(op) if !op.contains(['[', ']']) => (name, Some(op)),
            _ => return Err(("invalid_filter", "expected the form field[operator]".into())),
        },
        None => (key, None),
    };
    let Some(field) = spec.field(name) else {
        let fields = spec.field_names();
        return Err(match op_name {
            Some(_) => (
                "invalid_filter",
                format!("unknown filter field `{name}`; allowed fields: {fields}"),
            ),
            None => (
                "invalid_query",
                format!(
                    "unknown parameter `{name}`; allowed parameters: {}, or filters \
                     field[operator] on fields: {fields}",
                    join(KNOWN.iter().copied())
                ),
            ),
        });
    };
    let ops = field.ops();
    let op = match op_name.map(Op::from_name) {
        None => Op::Eq,
        Some(Some(op)) if ops.contains(&op) => op,
        Some(_) => {
            let allowed = join(ops.iter().map(|op| op.name()));
            return Err((
                "invalid_filter",
                format!(
                    "unknown operator `{}` for `{name}`; allowed operators: {allowed}",
                    op_name.unwrap_or_default()
                ),
            ));
        }
    };
    let bad = |message: String| ("invalid_filter", message);
    let value = match op {
        Op::IsNull => FilterValue::Null(parse_bool(value).ok_or_else(|| bad(
            format!("`{value}` is not true or false"),
        ))?),
        Op::Contains | Op::StartsWith => {
            let escaped = escape_like(value);
            FilterValue::Pattern(match op {
                Op::Contains => format!("%{escaped}%"),
                _ => format!("{escaped}%"),
            })
        }
        Op::In => {
            let items: Vec<&str> = value.split(',').map(str::trim).collect();
            if items.len() > MAX_IN_VALUES {
                return Err(bad(format!("more than {MAX_IN_VALUES} values")));
            }
            if items.iter().any(|s| s.is_empty()) {
                return Err(bad("expected a comma-separated list of values".into()));
            }
            let values = items.iter().map(|s| parse_value(field.kind, s));
            FilterValue::Many(values.collect::<Result<_, _>>().map_err(bad)?)
        }
        _ => FilterValue::One(parse_value(field.kind, value).map_err(bad)?),
    };
    debug_assert!(!matches!(value, FilterValue::Pattern(_)) || field.kind == FieldKind::Text);
    Ok(Filter { field, op, value })
}

/// Makes user text match literally inside a LIKE pattern with `ESCAPE '\'`.
pub(crate) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(Default)]
struct Errors {
    code: Option<&'static str>,
    errors: Vec<FieldError>,
}

impl Errors {
    fn push(&mut self, code: &'static str, field: &str, message: impl Into<String>) {
        self.code.get_or_insert(code);
        self.errors.push(FieldError::new(field, message));
    }

    fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    fn finish(self) -> Result<(), ApiError> {
        let Some(code) = self.code else {
            return Ok(());
        };
        let detail = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        Err(ApiError::BadRequest {
            code,
            detail,
            errors: self.errors,
        })
    }
}
