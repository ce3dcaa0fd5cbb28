//! Keys inside a JSON column: parsing, the SQL on both databases, and real
//! paging over SQLite with values of every shape.

use sea_orm::sea_query::{Alias, Expr, PostgresQueryBuilder, SqliteQueryBuilder, Value};
use sea_orm::{ConnectionTrait, Database, DbBackend, QueryResult, Statement};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use super::fixture::Rng;
use super::pairs;
use crate::error::DomainError;
use crate::lists::{
    CursorKey, Dir, Field, FieldKind, FieldRef, FilterValue, JsonFields, JsonKind, ListQuery,
    ListSpec, Op, Options, build, page, parse_with,
};

const DOCS: ListSpec = ListSpec {
    table: "docs",
    fields: &[
        Field {
            name: "id",
            column: "id",
            kind: FieldKind::Uuid,
            sortable: false,
            nullable: false,
        },
        Field {
            name: "name",
            column: "name",
            kind: FieldKind::Text,
            sortable: true,
            nullable: false,
        },
    ],
    default_sort: &[("name", Dir::Asc)],
};

fn fields(backend: DbBackend) -> JsonFields {
    let mut f = JsonFields::new(&DOCS, "custom_fields", backend);
    f.add("budget", JsonKind::Number).unwrap();
    f.add("due", JsonKind::Date).unwrap();
    f.add("vip", JsonKind::Boolean).unwrap();
    f.add(
        "tier",
        JsonKind::Choice(vec!["gold".into(), "silver".into()]),
    )
    .unwrap();
    f.add("tags", JsonKind::Choices(vec!["a".into(), "b".into()]))
        .unwrap();
    f.add("nick", JsonKind::Text).unwrap();
    f
}

fn parse(backend: DbBackend, list: &[(&str, &str)]) -> Result<ListQuery, DomainError> {
    let json = fields(backend);
    let options = Options {
        extra: &[],
        json: Some(&json),
    };
    parse_with(&DOCS, &pairs(list), options)
}

fn rejection(list: &[(&str, &str)]) -> (&'static str, String) {
    match parse(DbBackend::Sqlite, list) {
        Err(DomainError::BadRequest { code, detail, .. }) => (code, detail),
        other => panic!("expected a 400 for {list:?}, got {other:?}"),
    }
}

#[test]
fn keys_must_be_safe_to_put_in_sql() {
    let mut f = JsonFields::new(&DOCS, "custom_fields", DbBackend::Postgres);
    for bad in ["x'; DROP TABLE docs; --", "Budget", "1a", "", "a.b", "a-b"] {
        assert!(f.add(bad, JsonKind::Text).is_err(), "{bad}");
    }
    f.add("ok_1", JsonKind::Text).unwrap();
    assert!(f.add("ok_1", JsonKind::Number).is_err(), "twice");
}

#[test]
fn filters_are_typed_by_kind() {
    let q = parse(
        DbBackend::Sqlite,
        &[
            ("custom_fields.budget[gte]", "10.5"),
            ("custom_fields.due[lt]", "2024-5-1"),
            ("custom_fields.tags[contains]", "a"),
            ("custom_fields.nick[contains]", "a_b"),
            ("custom_fields.vip", "true"),
        ],
    )
    .unwrap();
    let got: Vec<(&str, Op, FilterValue)> = q
        .filters
        .iter()
        .map(|f| (f.field.name(), f.op, f.value.clone()))
        .collect();
    let text = |s: &str| FilterValue::One(Value::String(Some(s.into())));
    assert_eq!(
        got,
        [
            (
                "custom_fields.budget",
                Op::Gte,
                FilterValue::One(Value::Double(Some(10.5)))
            ),
            // Dates bind in their stored text form.
            ("custom_fields.due", Op::Lt, text("2024-05-01")),
            // An array of choices contains a value, not a pattern.
            ("custom_fields.tags", Op::Contains, text("a")),
            (
                "custom_fields.nick",
                Op::Contains,
                FilterValue::Pattern(r"%a\_b%".into())
            ),
            (
                "custom_fields.vip",
                Op::Eq,
                FilterValue::One(Value::Bool(Some(true)))
            ),
        ]
    );
    assert!(matches!(q.filters[0].field, FieldRef::Json(_)));
}

#[test]
fn errors_name_the_key_and_what_is_allowed() {
    let (code, detail) = rejection(&[("custom_fields.colour[eq]", "red")]);
    assert_eq!(code, "invalid_filter");
    assert!(
        detail.contains(
            "unknown field `custom_fields.colour`; custom_fields: custom_fields.budget, \
             custom_fields.due, custom_fields.vip, custom_fields.tier, custom_fields.tags, \
             custom_fields.nick"
        ),
        "{detail}"
    );
    let (_, detail) = rejection(&[("custom_fields.vip[neq]", "true")]);
    assert!(
        detail.contains("allowed operators: eq, is_null"),
        "{detail}"
    );
    let (_, detail) = rejection(&[("custom_fields.tier", "bronze")]);
    assert!(detail.contains("not one of: gold, silver"), "{detail}");
    let (_, detail) = rejection(&[("custom_fields.due", "01/05/2024")]);
    assert!(detail.contains("not a date"), "{detail}");
    let (code, detail) = rejection(&[("sort", "custom_fields.tags")]);
    assert_eq!(code, "invalid_sort");
    assert!(detail.contains("cannot be sorted"), "{detail}");
    let (_, detail) = rejection(&[("sort", "-custom_fields.nope")]);
    assert!(
        detail.contains("sortable custom_fields: custom_fields.budget"),
        "{detail}"
    );
    // Unknown plain fields list the custom ones too.
    let (_, detail) = rejection(&[("budget[gt]", "1")]);
    assert!(detail.contains("name, custom_fields.budget"), "{detail}");
    // Without JSON fields the namespace is just an unknown field.
    let plain = crate::lists::parse(&DOCS, &pairs(&[("custom_fields.budget[gt]", "1")]));
    assert!(matches!(
        plain,
        Err(DomainError::BadRequest {
            code: "invalid_filter",
            ..
        })
    ));
}

#[test]
fn sql_on_both_databases() {
    let key = CursorKey::new(Uuid::nil()).with_json("custom_fields", &json!({"budget": 5}));
    for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
        let q = parse(
            backend,
            &[("sort", "-custom_fields.budget"), ("limit", "1")],
        )
        .unwrap();
        let cursor = page(vec![1, 2], &q, |_| key.clone())
            .unwrap()
            .next_cursor
            .unwrap();
        let q = parse(
            backend,
            &[
                ("sort", "-custom_fields.budget"),
                ("cursor", &cursor),
                ("custom_fields.tags[contains]", "b"),
            ],
        )
        .unwrap();
        let mut select = q.select(&DOCS, Uuid::nil());
        select.column(Alias::new("id"));
        let sql = match backend {
            DbBackend::Postgres => select.to_string(PostgresQueryBuilder),
            _ => select.to_string(SqliteQueryBuilder),
        };
        let number = match backend {
            DbBackend::Postgres => {
                "(CASE WHEN jsonb_typeof(docs.custom_fields -> 'budget') = 'number' \
                 THEN CAST((docs.custom_fields ->> 'budget') AS DOUBLE PRECISION) END)"
            }
            _ => {
                "(CASE WHEN json_type(docs.custom_fields, '$.budget') IN ('integer', 'real') \
                 THEN json_extract(docs.custom_fields, '$.budget') END)"
            }
        };
        assert!(
            sql.contains(&format!(
                "(({number}) < 5 OR ({number}) IS NULL OR (({number}) = 5 AND "
            )),
            "{sql}"
        );
        assert!(
            sql.ends_with(&format!(
                "ORDER BY {number} DESC NULLS LAST, \"docs\".\"id\" DESC LIMIT 51"
            )),
            "{sql}"
        );
        let contains = match backend {
            DbBackend::Postgres => "@> jsonb_build_array(CAST('b' AS TEXT))",
            _ => {
                "json_each(docs.custom_fields, '$.tags') AS item WHERE item.type = 'text' AND item.value = 'b'"
            }
        };
        assert!(sql.contains(contains), "{sql}");
    }
}

#[derive(Debug, Clone)]
struct Doc {
    id: Uuid,
    custom_fields: Json,
}

/// Pages a real SQLite table sorted on a number and on a date key whose
/// values include absent keys, nulls, integers, reals and strings of the
/// wrong type: every row exactly once, in the order Rust computes.
#[tokio::test]
async fn paging_on_json_keys_covers_every_row_once_in_order() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    db.execute_unprepared(
        "CREATE TABLE docs (organization_id BLOB NOT NULL, id BLOB NOT NULL PRIMARY KEY, \
         name TEXT NOT NULL, custom_fields TEXT NOT NULL)",
    )
    .await
    .unwrap();
    let org = Uuid::now_v7();
    let mut rng = Rng(5);
    let mut docs = Vec::new();
    for _ in 0..120 {
        let budget = match rng.below(6) {
            0 => None,
            1 => Some(Json::Null),
            2 => Some(json!("12")),
            3 => Some(json!(rng.below(5) as f64 + 0.5)),
            _ => Some(json!(rng.below(5) as i64 - 2)),
        };
        let due = match rng.below(4) {
            0 => None,
            1 => Some(json!("soon")),
            _ => Some(json!(format!(
                "2024-0{}-1{}",
                1 + rng.below(3),
                rng.below(3)
            ))),
        };
        let mut cf = serde_json::Map::new();
        budget.map(|b| cf.insert("budget".into(), b));
        due.map(|d| cf.insert("due".into(), d));
        let doc = Doc {
            id: Uuid::from_u128(u128::from(rng.next()) << 64 | u128::from(rng.next())),
            custom_fields: Json::Object(cf),
        };
        let values: Vec<sea_orm::Value> = vec![
            org.into(),
            doc.id.into(),
            "doc".into(),
            doc.custom_fields.to_string().into(),
        ];
        let sql =
            "INSERT INTO docs (organization_id, id, name, custom_fields) VALUES ($1, $2, $3, $4)";
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await
        .unwrap();
        docs.push(doc);
    }
    for sort in [
        "custom_fields.budget",
        "-custom_fields.budget",
        "custom_fields.due",
        "-custom_fields.due",
    ] {
        let mut got: Vec<Uuid> = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..100 {
            let mut list = vec![("sort", sort), ("limit", "7")];
            if let Some(c) = &cursor {
                list.push(("cursor", c));
            }
            let q = parse(DbBackend::Sqlite, &list).unwrap();
            let mut select = q.select(&DOCS, org);
            select.expr(Expr::cust("docs.id, docs.custom_fields"));
            let rows = db
                .query_all_raw(build(&select, DbBackend::Sqlite))
                .await
                .unwrap();
            let rows: Vec<Doc> = rows.iter().map(from_row).collect();
            let p = page(rows, &q, |d: &Doc| {
                CursorKey::new(d.id).with_json("custom_fields", &d.custom_fields)
            })
            .unwrap();
            got.extend(p.data.iter().map(|d| d.id));
            match p.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(got, expected(&docs, sort), "{sort}");
    }
}

fn from_row(row: &QueryResult) -> Doc {
    let text: String = row.try_get("", "custom_fields").unwrap();
    Doc {
        id: row.try_get("", "id").unwrap(),
        custom_fields: serde_json::from_str(&text).unwrap(),
    }
}

/// The documented order: values of the key's type, NULL (absent or of
/// another type) last, then id in the direction of the sort.
fn expected(docs: &[Doc], sort: &str) -> Vec<Uuid> {
    let desc = sort.starts_with('-');
    let key = sort
        .trim_start_matches('-')
        .trim_start_matches("custom_fields.");
    let value = |d: &Doc| -> Option<(f64, String)> {
        let v = d.custom_fields.get(key)?;
        match key {
            "budget" => v.as_f64().map(|n| (n, String::new())),
            _ => v
                .as_str()
                .filter(|s| s.len() == 10 && s.starts_with("20"))
                .map(|s| (0.0, s.to_string())),
        }
    };
    let mut sorted = docs.to_vec();
    sorted.sort_by(|a, b| {
        let by_value = match (value(a), value(b)) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) if desc => y.partial_cmp(&x).unwrap(),
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap(),
        };
        let by_id = if desc {
            b.id.cmp(&a.id)
        } else {
            a.id.cmp(&b.id)
        };
        by_value.then(by_id)
    });
    sorted.into_iter().map(|d| d.id).collect()
}
