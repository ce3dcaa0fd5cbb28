//! Opaque keyset cursors: URL-safe base64 of a small JSON document holding
//! the sort it was made for and the last row's sort-key values and id.
//!
//! Cursors are not signed: they hold nothing secret, and a forged one only
//! moves the page start, never past the organization filter. They are
//! validated strictly so a damaged one is a 400 rather than a wrong page.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sea_query::Value;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use uuid::Uuid;

use super::spec::{Dir, FieldKind, FieldRef};
use super::value::{parse_value, value_text};

/// Longer strings are rejected before decoding anything.
const MAX_CURSOR_LEN: usize = 4096;

/// One resolved sort key of a query.
#[derive(Debug, Clone)]
pub struct SortKey {
    pub field: FieldRef,
    pub dir: Dir,
}

/// The position a cursor points after: the sort-key values (in sort order,
/// `None` for NULL) and the id of the last row already returned.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub values: Vec<Option<Value>>,
    pub id: Uuid,
}

/// A row's sort-relevant values, built by the caller for the last row of a
/// page. Set every sortable field (by API name) and every JSON column that
/// has sortable keys; only the ones in the current sort are used.
#[derive(Debug, Clone)]
pub struct CursorKey {
    id: Uuid,
    values: Vec<(&'static str, Value)>,
    json: Vec<(&'static str, Json)>,
}

impl CursorKey {
    pub fn new(id: Uuid) -> Self {
        Self {
            id,
            values: Vec::new(),
            json: Vec::new(),
        }
    }

    /// Sets the value of field `name`; pass an `Option` for nullable fields.
    pub fn with(mut self, name: &'static str, value: impl Into<Value>) -> Self {
        self.values.push((name, value.into()));
        self
    }

    /// Sets the row's JSON `column` (e.g. `custom_fields`), from which the
    /// values of keys sorted on as `<column>.<key>` are read.
    pub fn with_json(mut self, column: &'static str, object: &Json) -> Self {
        self.json.push((column, object.clone()));
        self
    }

    /// The text form of sort key `sk`'s value in this row, `None` for NULL.
    fn text(&self, sk: &SortKey) -> Result<Option<String>, String> {
        match &sk.field {
            FieldRef::Column(f) => {
                let (_, value) = self
                    .values
                    .iter()
                    .find(|(name, _)| *name == f.name)
                    .ok_or_else(|| format!("cursor key lacks sort field `{}`", f.name))?;
                let text =
                    value_text(f.kind, value).map_err(|e| format!("field `{}`: {e}", f.name))?;
                if text.is_none() && !f.nullable {
                    return Err(format!(
                        "field `{}` is NULL but declared not nullable",
                        f.name
                    ));
                }
                Ok(text)
            }
            FieldRef::Json(j) => {
                let (_, object) = self
                    .json
                    .iter()
                    .find(|(column, _)| *column == j.column())
                    .ok_or_else(|| format!("cursor key lacks JSON column `{}`", j.column()))?;
                Ok(j.cursor_text(object))
            }
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    /// The sort signature, e.g. `name,-amount`.
    s: String,
    /// Sort-key values in text form.
    k: Vec<Option<String>>,
    i: Uuid,
}

/// `name,-amount`: identifies a sort, so a cursor cannot be replayed under
/// another one.
pub(crate) fn signature(sort: &[SortKey]) -> String {
    sort.iter()
        .map(|k| match k.dir {
            Dir::Asc => k.field.name().to_string(),
            Dir::Desc => format!("-{}", k.field.name()),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Encodes the position after `key` under `sort`; the error describes a
/// key that lacks a sort field or holds a value of the wrong type.
pub(crate) fn encode(sort: &[SortKey], key: &CursorKey) -> Result<String, String> {
    let mut k = Vec::with_capacity(sort.len());
    for sk in sort {
        k.push(key.text(sk)?);
    }
    let wire = Wire {
        s: signature(sort),
        k,
        i: key.id,
    };
    let json = serde_json::to_vec(&wire).map_err(|e| e.to_string())?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

/// Decodes a cursor for `sort`; the error is a message for the client.
pub(crate) fn decode(sort: &[SortKey], text: &str) -> Result<Cursor, String> {
    const DAMAGED: &str = "the cursor is damaged; use the next_cursor of a previous page";
    if text.len() > MAX_CURSOR_LEN {
        return Err(DAMAGED.to_string());
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim().trim_end_matches('='))
        .map_err(|_| DAMAGED.to_string())?;
    let wire: Wire = serde_json::from_slice(&bytes).map_err(|_| DAMAGED.to_string())?;
    let expected = signature(sort);
    if wire.s != expected {
        return Err(format!(
            "the cursor was made for sort `{}`, not `{expected}`; keep the same sort while paging",
            wire.s
        ));
    }
    if wire.k.len() != sort.len() {
        return Err(DAMAGED.to_string());
    }
    let mut values = Vec::with_capacity(sort.len());
    for (sk, text) in sort.iter().zip(wire.k) {
        let value = match text {
            None if sk.field.nullable() => None,
            None => return Err(DAMAGED.to_string()),
            Some(t) => Some(cursor_value(&sk.field, &t).map_err(|_| DAMAGED.to_string())?),
        };
        values.push(value);
    }
    Ok(Cursor { values, id: wire.i })
}

/// A stored enum or choice value may predate today's allowed list; it only
/// has to bind as text here.
fn cursor_value(field: &FieldRef, text: &str) -> Result<Value, String> {
    match field {
        FieldRef::Column(f) => match f.kind {
            FieldKind::Enum(_) => parse_value(FieldKind::Text, text),
            kind => parse_value(kind, text),
        },
        FieldRef::Json(j) => j.cursor_value(text),
    }
}
