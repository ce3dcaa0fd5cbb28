//! How a list endpoint describes its resource: which fields can be filtered
//! and sorted, their types, and the default order.

use std::fmt;
use std::sync::Arc;

use sea_orm::sea_query::{Alias, Expr, Value};

use super::json::JsonField;
use super::value::parse_value;

/// The type of a field, which decides how its query-string values parse and
/// which filter operators it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// A UUID column (16-byte BLOB on SQLite, `UUID` on PostgreSQL).
    Uuid,
    /// A 64-bit integer.
    Integer,
    /// A number bound as `f64`.
    Decimal,
    Boolean,
    /// A `DateTime<Utc>`, RFC 3339 in the query string.
    Timestamp,
    /// A `NaiveDate`, `YYYY-MM-DD` in the query string.
    Date,
    /// Text restricted to these values.
    Enum(&'static [&'static str]),
}

/// One field of a listable resource.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Name in the API (query string, cursor, `sort`).
    pub name: &'static str,
    /// SQL column in [`ListSpec::table`].
    pub column: &'static str,
    pub kind: FieldKind,
    /// Whether `sort` may name it.
    pub sortable: bool,
    /// Whether the column may hold NULL. Pagination relies on this being
    /// true for every column that can be NULL.
    pub nullable: bool,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Asc,
    Desc,
}

/// A listable resource: its table, its fields and its default order.
///
/// The table must have `organization_id` and `id` (UUID) columns; `id` is the
/// final tie-breaker of every order.
#[derive(Debug, Clone, Copy)]
pub struct ListSpec {
    pub table: &'static str,
    pub fields: &'static [Field],
    /// `(field name, direction)` pairs used when the request has no `sort`.
    pub default_sort: &'static [(&'static str, Dir)],
}

/// A filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
    Contains,
    StartsWith,
    IsNull,
}

impl Op {
    pub const ALL: [Op; 10] = [
        Op::Eq,
        Op::Neq,
        Op::Lt,
        Op::Lte,
        Op::Gt,
        Op::Gte,
        Op::In,
        Op::Contains,
        Op::StartsWith,
        Op::IsNull,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Neq => "neq",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::In => "in",
            Op::Contains => "contains",
            Op::StartsWith => "starts_with",
            Op::IsNull => "is_null",
        }
    }

    pub fn from_name(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.name() == name)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Field {
    /// The operators this field accepts, in a stable order.
    ///
    /// Ranges are offered only where the order is the same on both databases
    /// (numbers, times, dates): text collation differs between SQLite and
    /// PostgreSQL, so text gets matching operators instead.
    pub fn ops(&self) -> Vec<Op> {
        use Op::*;
        let mut ops = match self.kind {
            FieldKind::Text => vec![Eq, Neq, In, Contains, StartsWith],
            FieldKind::Uuid | FieldKind::Enum(_) => vec![Eq, Neq, In],
            FieldKind::Boolean => vec![Eq, Neq],
            FieldKind::Integer | FieldKind::Decimal | FieldKind::Timestamp | FieldKind::Date => {
                vec![Eq, Neq, Lt, Lte, Gt, Gte, In]
            }
        };
        if self.nullable {
            ops.push(IsNull);
        }
        ops
    }
}

/// What a filter or sort key refers to: a column of the resource, or a key
/// inside one of its JSON columns known at request time.
#[derive(Debug, Clone)]
pub enum FieldRef {
    Column(&'static Field),
    Json(Arc<JsonField>),
}

impl FieldRef {
    /// The name in the API.
    pub fn name(&self) -> &str {
        match self {
            FieldRef::Column(f) => f.name,
            FieldRef::Json(j) => j.name(),
        }
    }

    pub fn nullable(&self) -> bool {
        match self {
            FieldRef::Column(f) => f.nullable,
            // Any record may lack any key.
            FieldRef::Json(_) => true,
        }
    }

    pub fn ops(&self) -> Vec<Op> {
        match self {
            FieldRef::Column(f) => f.ops(),
            FieldRef::Json(j) => j.ops(),
        }
    }

    /// Whether this is the table's `id` column.
    pub(crate) fn is_id(&self) -> bool {
        matches!(self, FieldRef::Column(f) if f.column == "id")
    }

    /// A filter value for this field.
    pub(crate) fn parse_value(&self, text: &str) -> Result<Value, String> {
        match self {
            FieldRef::Column(f) => parse_value(f.kind, text),
            FieldRef::Json(j) => j.parse_value(text),
        }
    }

    /// The field's value in SQL, qualified with `spec`'s table.
    pub(crate) fn expr(&self, spec: &ListSpec) -> Expr {
        match self {
            FieldRef::Column(f) => Expr::col((Alias::new(spec.table), Alias::new(f.column))),
            FieldRef::Json(j) => j.expr(),
        }
    }
}

impl ListSpec {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Field names, comma-separated, for error messages.
    pub fn field_names(&self) -> String {
        join(self.fields.iter().map(|f| f.name))
    }

    /// Sortable field names, comma-separated, for error messages.
    pub fn sortable_names(&self) -> String {
        join(self.fields.iter().filter(|f| f.sortable).map(|f| f.name))
    }

    /// Checks the description itself; meant for each resource's unit tests.
    pub fn validate(&self) -> Result<(), String> {
        for (i, f) in self.fields.iter().enumerate() {
            if self.fields[..i].iter().any(|g| g.name == f.name) {
                return Err(format!(
                    "{}: field `{}` is listed twice",
                    self.table, f.name
                ));
            }
            if f.name.is_empty() || f.name.contains(['[', ']', ',', '-']) {
                return Err(format!("{}: bad field name `{}`", self.table, f.name));
            }
        }
        for (name, _) in self.default_sort {
            match self.field(name) {
                Some(f) if f.sortable => {}
                _ => {
                    return Err(format!(
                        "{}: default sort `{name}` is not a sortable field",
                        self.table
                    ));
                }
            }
        }
        Ok(())
    }
}

pub(crate) fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}
