//! Query string → [`ListQuery`], with 400s that say what is allowed.

use super::cursor::{self, Cursor, SortKey};
use super::filter::{Filter, parse_filter};
use super::json::JsonFields;
use super::spec::{Dir, FieldRef, ListSpec};
use super::value::parse_bool;
use crate::error::{DomainError, FieldError};

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;
const MAX_Q_LEN: usize = 500;
/// Filters one list request may carry: every one becomes SQL, and no screen
/// of ours needs more than a handful.
pub const MAX_FILTERS: usize = 30;
/// Query parameters read at all: beyond this the request is refused before
/// any is parsed (and before any error is written for each).
const MAX_PARAMS: usize = 60;
pub(crate) const KNOWN: [&str; 5] = ["limit", "cursor", "sort", "count", "q"];

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

/// Parses a list request's decoded query pairs.
///
/// Recognizes `limit, cursor, sort, count, q` and filters `field[op]=value`
/// (`field=value` meaning `eq`). Anything else is a 400; every error names
/// the parameter and lists what would have been accepted.
pub fn parse(spec: &ListSpec, pairs: &[(String, String)]) -> Result<ListQuery, DomainError> {
    parse_with_extra(spec, pairs, &[])
}

/// Like [`parse`], also accepting the parameters named in `extra`; their
/// values are returned in [`ListQuery::extra`] for the caller to interpret.
pub fn parse_with_extra(
    spec: &ListSpec,
    pairs: &[(String, String)],
    extra: &[&str],
) -> Result<ListQuery, DomainError> {
    parse_with(spec, pairs, Options { extra, json: None })
}

/// What a request may name besides the fields of its [`ListSpec`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Parameters returned in [`ListQuery::extra`] for the caller.
    pub extra: &'a [&'a str],
    /// Keys inside a JSON column, filterable and sortable as
    /// `<column>.<key>` (e.g. `custom_fields.budget[gte]=1000`,
    /// `sort=-custom_fields.budget`). Another name under `<column>.` is a 400
    /// listing the defined ones.
    pub json: Option<&'a JsonFields>,
}

/// [`parse`] with [`Options`].
pub fn parse_with(
    spec: &ListSpec,
    pairs: &[(String, String)],
    options: Options<'_>,
) -> Result<ListQuery, DomainError> {
    let Options { extra, json } = options;
    if pairs.len() > MAX_PARAMS {
        return Err(DomainError::BadRequest {
            code: "invalid_query",
            detail: format!("more than {MAX_PARAMS} query parameters"),
            errors: vec![FieldError::new(
                "query",
                format!("at most {MAX_PARAMS} parameters, {MAX_FILTERS} of them filters"),
            )],
        });
    }
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
        // No stored text holds NUL, and PostgreSQL refuses it as a parameter.
        if key.contains('\0') || value.contains('\0') {
            errs.push("invalid_query", key, "must not contain NUL characters");
            continue;
        }
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
                    errs.push(
                        "invalid_query",
                        key,
                        format!("longer than {MAX_Q_LEN} characters"),
                    );
                } else if !q.is_empty() {
                    query.q = Some(q.to_string());
                }
            }
            "sort" => sort_text = Some(value.as_str()),
            "cursor" => cursor_text = Some(value.as_str()),
            _ => match parse_filter(spec, json, key, value) {
                Ok(filter) => query.filters.push(filter),
                Err((code, message)) => errs.push(code, key, message),
            },
        }
    }
    if query.filters.len() > MAX_FILTERS {
        errs.push(
            "invalid_query",
            "filters",
            format!("at most {MAX_FILTERS} filters per request"),
        );
    }
    query.sort = match sort_text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => match parse_sort(spec, json, text) {
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

fn parse_sort(
    spec: &ListSpec,
    json: Option<&JsonFields>,
    text: &str,
) -> Result<Vec<SortKey>, String> {
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
            Some(f) if f.sortable => FieldRef::Column(f),
            Some(_) => {
                return Err(format!(
                    "`{name}` cannot be sorted on; sortable fields: {allowed}"
                ));
            }
            None => match json {
                Some(json) if json.claims(name) => match json.get(name) {
                    Some(j) if j.sortable() => FieldRef::Json(j.clone()),
                    Some(_) => {
                        return Err(format!(
                            "`{name}` cannot be sorted on; only text, number, date and \
                             single-choice keys can"
                        ));
                    }
                    None => return Err(json.unknown(name, true)),
                },
                _ => {
                    return Err(format!(
                        "unknown sort field `{name}`; sortable fields: {allowed}"
                    ));
                }
            },
        };
        if sort.iter().any(|k| k.field.name() == name) {
            return Err(format!("`{name}` appears twice"));
        }
        sort.push(SortKey { field, dir });
    }
    Ok(sort)
}

fn default_sort(spec: &ListSpec) -> Result<Vec<SortKey>, DomainError> {
    spec.default_sort
        .iter()
        .map(|(name, dir)| match spec.field(name) {
            Some(field) if field.sortable => Ok(SortKey {
                field: FieldRef::Column(field),
                dir: *dir,
            }),
            _ => Err(DomainError::internal(format!(
                "list spec `{}`: default sort `{name}` is not a sortable field",
                spec.table
            ))),
        })
        .collect()
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

    fn finish(self) -> Result<(), DomainError> {
        let Some(code) = self.code else {
            return Ok(());
        };
        let detail = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        Err(DomainError::BadRequest {
            code,
            detail,
            errors: self.errors,
        })
    }
}
