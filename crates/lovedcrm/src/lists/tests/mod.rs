//! Tests of the list engine: parsing (`parse.rs`), cursors and SQL shape
//! (`cursor.rs`), real paging over SQLite (`db.rs` with `fixture.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cursor;
mod db;
mod fixture;
mod json;
mod parse;

use super::{Dir, Field, FieldKind, ListSpec};

const fn field(name: &'static str, kind: FieldKind, sortable: bool, nullable: bool) -> Field {
    Field {
        name,
        column: name,
        kind,
        sortable,
        nullable,
    }
}

/// A resource with one field of every kind, for parsing tests.
pub(super) const ALL_KINDS: ListSpec = ListSpec {
    table: "things",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("name", FieldKind::Text, true, true),
        field("amount", FieldKind::Integer, true, true),
        field("price", FieldKind::Decimal, true, false),
        field("active", FieldKind::Boolean, false, false),
        field("created_at", FieldKind::Timestamp, true, false),
        field("due_on", FieldKind::Date, true, true),
        field(
            "status",
            FieldKind::Enum(&["open", "won", "lost"]),
            true,
            false,
        ),
        Field {
            name: "owner",
            column: "owner_id",
            kind: FieldKind::Uuid,
            sortable: false,
            nullable: true,
        },
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

/// The table of the SQLite test.
pub(super) const ITEMS: ListSpec = ListSpec {
    table: "items",
    fields: &[
        field("id", FieldKind::Uuid, false, false),
        field("name", FieldKind::Text, true, true),
        field("amount", FieldKind::Integer, true, true),
        field("created_at", FieldKind::Timestamp, true, false),
    ],
    default_sort: &[("created_at", Dir::Desc)],
};

pub(super) fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn specs_are_valid() {
    ALL_KINDS.validate().unwrap();
    ITEMS.validate().unwrap();
    let bad = ListSpec {
        default_sort: &[("id", Dir::Asc)],
        ..ITEMS
    };
    assert!(bad.validate().unwrap_err().contains("default sort `id`"));
}
