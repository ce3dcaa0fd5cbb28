//! One `field[op]=value` parameter → a typed [`Filter`].

use sea_orm::sea_query::Value;

use super::json::{JsonFields, JsonKind};
use super::parse::KNOWN;
use super::spec::{FieldRef, ListSpec, Op, join};
use super::value::parse_bool;

/// Bounds the SQL an `in` filter can produce.
pub const MAX_IN_VALUES: usize = 100;

/// One `field[op]=value` condition.
#[derive(Debug, Clone)]
pub struct Filter {
    pub field: FieldRef,
    pub op: Op,
    pub value: FilterValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    /// For `eq, neq, lt, lte, gt, gte`. `neq` also matches NULL on a
    /// nullable field ("not equal to x" includes "no value").
    One(Value),
    /// For `in`: the comma-separated items, each trimmed (so a text value
    /// cannot contain a comma or start/end with a space here).
    Many(Vec<Value>),
    /// For `contains` / `starts_with` on text: a LIKE pattern with the user's `%`,
    /// `_` and `\` escaped by `\`.
    Pattern(String),
    /// For `is_null`: whether the field must be NULL.
    Null(bool),
}

pub(crate) type FilterError = (&'static str, String);

pub(crate) fn parse_filter(
    spec: &ListSpec,
    json: Option<&JsonFields>,
    key: &str,
    value: &str,
) -> Result<Filter, FilterError> {
    let (name, op_name) = match key.split_once('[') {
        Some((name, rest)) => match rest.strip_suffix(']') {
            Some(op) if !op.contains(['[', ']']) => (name, Some(op)),
            _ => return Err(("invalid_filter", "expected the form field[operator]".into())),
        },
        None => (key, None),
    };
    let field = match (spec.field(name), json) {
        (Some(f), _) => FieldRef::Column(f),
        (None, Some(json)) if json.claims(name) => match json.get(name) {
            Some(j) => FieldRef::Json(j.clone()),
            None => return Err(("invalid_filter", json.unknown(name, false))),
        },
        (None, _) => return Err(unknown(spec, json, name, op_name.is_some())),
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
    // An array of choices `contains` one of them: a value, not a pattern.
    let item = matches!(&field, FieldRef::Json(j) if matches!(j.kind(), JsonKind::Choices(_)));
    let value = match op {
        Op::IsNull => FilterValue::Null(
            parse_bool(value).ok_or_else(|| bad(format!("`{value}` is not true or false")))?,
        ),
        Op::Contains if item => FilterValue::One(field.parse_value(value).map_err(bad)?),
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
            let values = items.iter().map(|s| field.parse_value(s));
            FilterValue::Many(values.collect::<Result<_, _>>().map_err(bad)?)
        }
        _ => FilterValue::One(field.parse_value(value).map_err(bad)?),
    };
    Ok(Filter { field, op, value })
}

/// The error for a name that is no field: a filter naming an unknown field,
/// or (without an operator) an unknown parameter.
fn unknown(spec: &ListSpec, json: Option<&JsonFields>, name: &str, has_op: bool) -> FilterError {
    let mut fields = spec.field_names();
    if let Some(names) = json.map(JsonFields::names).filter(|n| !n.is_empty()) {
        fields = format!("{fields}, {names}");
    }
    if has_op {
        (
            "invalid_filter",
            format!("unknown filter field `{name}`; allowed fields: {fields}"),
        )
    } else {
        (
            "invalid_query",
            format!(
                "unknown parameter `{name}`; allowed parameters: {}, or filters \
                 field[operator] on fields: {fields}",
                join(KNOWN.iter().copied())
            ),
        )
    }
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
