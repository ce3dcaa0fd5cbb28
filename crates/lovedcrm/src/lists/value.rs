//! Conversions between query-string text and typed SQL values, per field kind.
//!
//! The same text form is used inside cursors, so a cursor value decodes to
//! exactly the value type a filter on that field would bind.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sea_orm::sea_query::{OptionEnum, Value};
use uuid::Uuid;

use super::spec::FieldKind;

/// Parses one value of `kind`; the error says what was expected.
pub(crate) fn parse_value(kind: FieldKind, text: &str) -> Result<Value, String> {
    match kind {
        FieldKind::Text => Ok(Value::String(Some(text.to_string()))),
        FieldKind::Uuid => Uuid::parse_str(text.trim())
            .map(|u| Value::Uuid(Some(u)))
            .map_err(|_| format!("`{text}` is not a UUID")),
        FieldKind::Integer => text
            .trim()
            .parse::<i64>()
            .map(|n| Value::BigInt(Some(n)))
            .map_err(|_| format!("`{text}` is not an integer")),
        FieldKind::Decimal => match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::Double(Some(n))),
            _ => Err(format!("`{text}` is not a number")),
        },
        FieldKind::Boolean => parse_bool(text)
            .map(|b| Value::Bool(Some(b)))
            .ok_or_else(|| format!("`{text}` is not true or false")),
        FieldKind::Timestamp => DateTime::parse_from_rfc3339(text.trim())
            .map(|t| Value::ChronoDateTimeUtc(Some(t.with_timezone(&Utc))))
            .map_err(|_| format!("`{text}` is not an RFC 3339 time such as 2024-05-01T12:00:00Z")),
        FieldKind::Date => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(|d| Value::ChronoDate(Some(d)))
            .map_err(|_| format!("`{text}` is not a date such as 2024-05-01")),
        FieldKind::Enum(allowed) => {
            if allowed.contains(&text) {
                Ok(Value::String(Some(text.to_string())))
            } else {
                Err(format!(
                    "`{text}` is not one of: {}",
                    super::spec::join(allowed.iter().copied())
                ))
            }
        }
    }
}

pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The text form of a row's value for a field of `kind`, `None` for NULL.
///
/// Accepts the value types a row struct naturally holds (any integer width,
/// `f32`/`f64`, a time with any offset); the error names the mismatch, which
/// is a bug in the caller's cursor key.
pub(crate) fn value_text(kind: FieldKind, value: &Value) -> Result<Option<String>, String> {
    let text = match (kind, value) {
        (FieldKind::Text | FieldKind::Enum(_), Value::String(v)) => v.clone(),
        (FieldKind::Text | FieldKind::Enum(_), Value::Enum(OptionEnum::Some(e))) => {
            Some(e.value.to_string())
        }
        (FieldKind::Text | FieldKind::Enum(_), Value::Enum(OptionEnum::None(_))) => None,
        (FieldKind::Uuid, Value::Uuid(v)) => v.map(|u| u.to_string()),
        (FieldKind::Integer, v) => integer(v)?.map(|n| n.to_string()),
        (FieldKind::Decimal, Value::Double(v)) => v.map(|n| n.to_string()),
        (FieldKind::Decimal, Value::Float(v)) => v.map(|n| f64::from(n).to_string()),
        (FieldKind::Decimal, v) => integer(v)?.map(|n| n.to_string()),
        (FieldKind::Boolean, Value::Bool(v)) => v.map(|b| b.to_string()),
        (FieldKind::Timestamp, Value::ChronoDateTimeUtc(v)) => v.map(|t| rfc3339(&t)),
        (FieldKind::Timestamp, Value::ChronoDateTimeWithTimeZone(v)) => {
            v.map(|t| rfc3339(&t.with_timezone(&Utc)))
        }
        (FieldKind::Date, Value::ChronoDate(v)) => v.map(|d| d.format("%Y-%m-%d").to_string()),
        (kind, other) => return Err(format!("a {kind:?} field cannot hold {other:?}")),
    };
    Ok(text)
}

fn integer(value: &Value) -> Result<Option<i64>, String> {
    let n = match value {
        Value::TinyInt(v) => v.map(i64::from),
        Value::SmallInt(v) => v.map(i64::from),
        Value::Int(v) => v.map(i64::from),
        Value::BigInt(v) => *v,
        Value::TinyUnsigned(v) => v.map(i64::from),
        Value::SmallUnsigned(v) => v.map(i64::from),
        Value::Unsigned(v) => v.map(i64::from),
        Value::BigUnsigned(v) => match v {
            Some(n) => Some(i64::try_from(*n).map_err(|_| format!("{n} does not fit an i64"))?),
            None => None,
        },
        other => return Err(format!("an integer field cannot hold {other:?}")),
    };
    Ok(n)
}

/// Full precision (nanoseconds when present) so a cursor's time is exact.
fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
