//! One `field[op]=value` parameter → a typed [`Filter`].

use sea_orm::sea_query::Value;

use super::parse::KNOWN;
use super::spec::{Field, FieldKind, ListSpec, Op, join};
use super::value::{parse_bool, parse_value};

/// Bounds the SQL an `in` filter can produce.
pub const MAX_IN_VALUES: usize = 100;

/// One `field[op]=value` condition.
#[derive(Debug, Clone)]
pub struct Filter {
    pub field: &'static Field,
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
    /// For `contains` / `starts_with`: a LIKE pattern with the user's `%`,
    /// `_` and `\` escaped by `\`.
    Pattern(String),
    /// For `is_null`: whether the field must be NULL.
    Null(bool),
}

pub(crate) type FilterError = (&'static str, String);

pub(crate) fn parse_filter(spec: &ListSpec, key: &str, value: &str) -> Result<Filter, FilterError> {
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
        Op::IsNull => FilterValue::Null(
            parse_bool(value).ok_or_else(|| bad(format!("`{value}` is not true or false")))?,
        ),
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
