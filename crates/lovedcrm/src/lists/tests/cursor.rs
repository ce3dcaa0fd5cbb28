use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{PostgresQueryBuilder, Query, SqliteQueryBuilder, Value};
use uuid::Uuid;

use super::ALL_KINDS;
use super::parse::{err, ok};
use crate::error::DomainError;
use crate::lists::{CursorKey, page};

fn cursor_for(sort: &str, key: CursorKey) -> String {
    let q = ok(&[("sort", sort), ("limit", "1")]);
    let p = page(vec![key.clone(), key], &q, |k| k.clone()).unwrap();
    assert!(p.has_more && p.data.len() == 1);
    p.next_cursor.unwrap()
}

#[test]
fn cursor_round_trip_is_typed() {
    let id = Uuid::now_v7();
    let t: DateTime<Utc> = "2024-05-01T10:00:00.123456789Z".parse().unwrap();
    let key = CursorKey::new(id)
        .with("name", None::<String>)
        .with("amount", 7_i32)
        .with("created_at", t)
        .with("price", 0.1_f64)
        .with("due_on", NaiveDate::from_ymd_opt(2024, 1, 2))
        .with("status", "won");
    let sort = "name,-amount,created_at,price,due_on,status";
    let text = cursor_for(sort, key);
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let q = ok(&[("sort", sort), ("cursor", &text)]);
    let c = q.cursor.unwrap();
    assert_eq!(c.id, id);
    assert_eq!(
        c.values,
        vec![
            None,
            Some(Value::BigInt(Some(7))),
            Some(Value::ChronoDateTimeUtc(Some(t))),
            Some(Value::Double(Some(0.1))),
            Some(Value::ChronoDate(NaiveDate::from_ymd_opt(2024, 1, 2))),
            Some(Value::String(Some("won".into()))),
        ]
    );
}

#[test]
fn tampered_or_foreign_cursors_are_rejected() {
    let key = CursorKey::new(Uuid::now_v7())
        .with("name", Some("a".to_string()))
        .with("created_at", Utc::now());
    let text = cursor_for("name", key.clone());
    let mut flipped = text.clone().into_bytes();
    flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    for bad in [
        &flipped,
        "%%%",
        "e30",
        &text[..text.len() - 4],
        &"A".repeat(5000),
    ] {
        let (code, _, errors) = err(&[("sort", "name"), ("cursor", bad)]);
        assert_eq!(
            (code, errors[0].field.as_str()),
            ("invalid_cursor", "cursor"),
            "{bad}"
        );
    }
    let (code, detail, _) = err(&[("sort", "-name"), ("cursor", &text)]);
    assert_eq!(code, "invalid_cursor");
    assert!(
        detail.contains("made for sort `name`, not `-name`"),
        "{detail}"
    );
    // Default sort is -created_at: the same cursor is foreign there too.
    assert_eq!(err(&[("cursor", &text)]).0, "invalid_cursor");
    // A NULL for a non-nullable field cannot come from a real cursor.
    let json = format!(r#"{{"s":"created_at","k":[null],"i":"{}"}}"#, Uuid::nil());
    let forged = URL_SAFE_NO_PAD.encode(json);
    assert_eq!(
        err(&[("sort", "created_at"), ("cursor", &forged)]).0,
        "invalid_cursor"
    );
    // A key missing a sort field is the caller's bug: a 500, not a bad page.
    let q = ok(&[("sort", "amount"), ("limit", "1")]);
    let res = page(vec![1, 2], &q, |_| key.clone());
    assert!(matches!(res, Err(DomainError::Internal(m)) if m.contains("`amount`")));
}

#[test]
fn sql_shape_on_both_databases() {
    let key = CursorKey::new(Uuid::nil()).with("amount", Some(5_i64));
    let p = page(
        vec![1, 2],
        &ok(&[("sort", "-amount"), ("limit", "1")]),
        |_| key.clone(),
    );
    let cursor = p.unwrap().next_cursor.unwrap();
    let q = ok(&[
        ("sort", "-amount"),
        ("name[contains]", "a_b"),
        ("cursor", &cursor),
    ]);
    let mut select = Query::select();
    select
        .column("id")
        .from("things")
        .cond_where(q.conditions(&ALL_KINDS));
    q.order_by(&mut select, &ALL_KINDS);
    let sqlite = select.to_string(SqliteQueryBuilder);
    let expected = concat!(
        r#"WHERE LOWER("things"."name") LIKE LOWER('%a\_b%') ESCAPE '\' AND "#,
        r#"("things"."amount" < 5 OR "things"."amount" IS NULL OR "#,
        r#"("things"."amount" = 5 AND "things"."id" < '00000000-0000-0000-0000-000000000000')) "#,
        r#"ORDER BY "things"."amount" DESC NULLS LAST, "things"."id" DESC"#
    );
    assert!(sqlite.ends_with(expected), "{sqlite}");
    let (sql, values) = select.build(PostgresQueryBuilder);
    assert!(
        sql.contains(r#"LOWER("things"."name") LIKE LOWER($1) ESCAPE E'\\'"#),
        "{sql}"
    );
    assert_eq!(values.0[3], Value::Uuid(Some(Uuid::nil())));
    let (sql, _) = select.build(SqliteQueryBuilder);
    assert!(sql.contains(r"LIKE LOWER(?) ESCAPE '\'"), "{sql}");
}
