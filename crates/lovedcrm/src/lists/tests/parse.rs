use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Value;
use uuid::Uuid;

use super::{ALL_KINDS, pairs};
use crate::error::{DomainError, FieldError};
use crate::lists::{Dir, FilterValue, ListQuery, Op, parse, parse_with_extra};

pub(super) fn ok(list: &[(&str, &str)]) -> ListQuery {
    parse(&ALL_KINDS, &pairs(list)).unwrap()
}

/// `(code, detail, errors)` of a rejected query.
pub(super) type Rejection = (&'static str, String, Vec<FieldError>);

pub(super) fn err(list: &[(&str, &str)]) -> Rejection {
    match parse(&ALL_KINDS, &pairs(list)) {
        Err(DomainError::BadRequest {
            code,
            detail,
            errors,
        }) => (code, detail, errors),
        other => panic!("expected a 400 for {list:?}, got {other:?}"),
    }
}

fn one(list: &[(&str, &str)]) -> (Op, FilterValue) {
    let q = ok(list);
    assert_eq!(q.filters.len(), 1, "{list:?}");
    (q.filters[0].op, q.filters[0].value.clone())
}

#[test]
fn defaults() {
    let q = ok(&[]);
    assert_eq!(q.limit, 50);
    assert!(!q.count && q.q.is_none() && q.cursor.is_none() && q.filters.is_empty());
    assert_eq!(q.sort.len(), 1);
    assert_eq!(
        (q.sort[0].field.name(), q.sort[0].dir),
        ("created_at", Dir::Desc)
    );
    let q = ok(&[
        ("limit", "200"),
        ("count", "true"),
        ("q", "  acme co "),
        ("sort", ""),
    ]);
    assert_eq!(
        (q.limit, q.count, q.q.as_deref()),
        (200, true, Some("acme co"))
    );
    assert_eq!(q.limit_plus_one(), 201);
}

#[test]
fn bad_limit_count_and_duplicates() {
    for bad in ["0", "201", "-1", "ten", ""] {
        let (code, _, errors) = err(&[("limit", bad)]);
        assert_eq!(code, "invalid_query");
        assert_eq!(errors[0].field, "limit");
        assert!(errors[0].message.contains("1 to 200"));
    }
    assert_eq!(err(&[("count", "yes")]).2[0].field, "count");
    let (_, detail, _) = err(&[("limit", "5"), ("limit", "6")]);
    assert!(detail.contains("more than once"), "{detail}");
}

#[test]
fn every_operator() {
    let id = Uuid::now_v7();
    let id_text = id.to_string();
    let t: DateTime<Utc> = "2024-05-01T10:00:00.5+02:00".parse().unwrap();
    let ts = Value::ChronoDateTimeUtc(Some(t));
    type Case<'a> = (Vec<(&'a str, &'a str)>, Op, FilterValue);
    let cases: Vec<Case> = vec![
        (
            vec![("name", "Acme")],
            Op::Eq,
            FilterValue::One("Acme".into()),
        ),
        (
            vec![("name[eq]", " A ")],
            Op::Eq,
            FilterValue::One(" A ".into()),
        ),
        (
            vec![("amount[neq]", "3")],
            Op::Neq,
            FilterValue::One(Value::BigInt(Some(3))),
        ),
        (
            vec![("amount[lt]", "-4")],
            Op::Lt,
            FilterValue::One(Value::BigInt(Some(-4))),
        ),
        (
            vec![("price[lte]", "2.5")],
            Op::Lte,
            FilterValue::One(Value::Double(Some(2.5))),
        ),
        (
            vec![("created_at[gt]", "2024-05-01T10:00:00.5+02:00")],
            Op::Gt,
            FilterValue::One(ts),
        ),
        (
            vec![("due_on[gte]", "2024-02-29")],
            Op::Gte,
            FilterValue::One(Value::ChronoDate(NaiveDate::from_ymd_opt(2024, 2, 29))),
        ),
        (
            vec![("status[in]", "open, won")],
            Op::In,
            FilterValue::Many(vec!["open".into(), "won".into()]),
        ),
        (
            vec![("id[in]", &id_text)],
            Op::In,
            FilterValue::Many(vec![Value::Uuid(Some(id))]),
        ),
        (
            vec![("name[contains]", "ac")],
            Op::Contains,
            FilterValue::Pattern("%ac%".into()),
        ),
        (
            vec![("name[starts_with]", "Ac")],
            Op::StartsWith,
            FilterValue::Pattern("Ac%".into()),
        ),
        (
            vec![("owner[is_null]", "true")],
            Op::IsNull,
            FilterValue::Null(true),
        ),
        (
            vec![("due_on[is_null]", "false")],
            Op::IsNull,
            FilterValue::Null(false),
        ),
        (
            vec![("active", "false")],
            Op::Eq,
            FilterValue::One(Value::Bool(Some(false))),
        ),
    ];
    for (list, op, value) in cases {
        assert_eq!(one(&list), (op, value), "{list:?}");
    }
    // Filters combine; the same field may appear with several operators.
    let q = ok(&[
        ("amount[gte]", "1"),
        ("amount[lte]", "9"),
        ("status", "won"),
    ]);
    assert_eq!(q.filters.len(), 3);
}

#[test]
fn like_wildcards_are_escaped() {
    let (_, value) = one(&[("name[contains]", r"50%_off\now")]);
    assert_eq!(value, FilterValue::Pattern(r"%50\%\_off\\now%".into()));
    let (_, value) = one(&[("name[starts_with]", "_")]);
    assert_eq!(value, FilterValue::Pattern(r"\_%".into()));
}

#[test]
fn unknown_field_lists_fields() {
    let all = "id, name, amount, price, active, created_at, due_on, status, owner";
    let (code, detail, errors) = err(&[("colour[eq]", "red")]);
    assert_eq!(code, "invalid_filter");
    assert_eq!(errors[0].field, "colour[eq]");
    assert!(errors[0].message.contains(all), "{detail}");
    // A plain unknown name is an unknown parameter, listing both kinds.
    let (code, _, errors) = err(&[("colour", "red")]);
    assert_eq!(code, "invalid_query");
    assert!(errors[0].message.contains("limit, cursor, sort, count, q"));
    assert!(errors[0].message.contains(all));
    let (code, _, errors) = err(&[("name[eq", "x")]);
    assert_eq!(
        (code, errors[0].field.as_str()),
        ("invalid_filter", "name[eq")
    );
}

#[test]
fn unknown_or_unfit_operator_lists_operators() {
    let cases = [
        ("name[like]", "eq, neq, in, contains, starts_with, is_null"),
        ("amount[contains]", "eq, neq, lt, lte, gt, gte, in, is_null"),
        ("price[is_null]", "eq, neq, lt, lte, gt, gte, in"),
        ("active[gt]", "eq, neq"),
        ("status[lt]", "eq, neq, in"),
        ("id[starts_with]", "eq, neq, in"),
    ];
    for (param, ops) in cases {
        let (code, _, errors) = err(&[(param, "1")]);
        assert_eq!(code, "invalid_filter");
        assert_eq!(errors[0].field, param);
        assert!(
            errors[0]
                .message
                .ends_with(&format!("allowed operators: {ops}")),
            "{errors:?}"
        );
    }
}

#[test]
fn bad_values_name_the_parameter() {
    let cases = [
        ("created_at[gte]", "yesterday", "RFC 3339"),
        ("amount", "1.5", "not an integer"),
        ("price[gt]", "NaN", "not a number"),
        ("active", "1", "true or false"),
        ("due_on", "2024-02-30", "not a date"),
        ("id", "42", "not a UUID"),
        ("status", "maybe", "one of: open, won, lost"),
        ("status[in]", "open,,won", "comma-separated"),
        ("owner[is_null]", "yes", "true or false"),
    ];
    for (param, value, needle) in cases {
        let (code, _, errors) = err(&[(param, value)]);
        assert_eq!((code, errors[0].field.as_str()), ("invalid_filter", param));
        assert!(errors[0].message.contains(needle), "{param}: {errors:?}");
    }
    // Several problems are all reported.
    let (_, detail, errors) = err(&[("amount", "x"), ("limit", "0"), ("sort", "nope")]);
    assert_eq!(errors.len(), 3, "{detail}");
    // NUL matches no stored text and PostgreSQL refuses it: a 400, not a 500.
    for (param, value) in [("name[contains]", "a\0b"), ("q", "\0"), ("sort", "name\0")] {
        let (code, _, errors) = err(&[(param, value)]);
        assert_eq!((code, errors[0].field.as_str()), ("invalid_query", param));
    }
}

#[test]
fn sort_parsing_and_errors() {
    let q = ok(&[("sort", "name, -amount")]);
    let got: Vec<_> = q.sort.iter().map(|k| (k.field.name(), k.dir)).collect();
    assert_eq!(got, [("name", Dir::Asc), ("amount", Dir::Desc)]);
    let sortable = "name, amount, price, created_at, due_on, status";
    for (sort, needle) in [
        ("colour", "unknown sort field `colour`"),
        ("-active", "`active` cannot be sorted on"),
        ("name,", "empty sort key"),
    ] {
        let (code, _, errors) = err(&[("sort", sort)]);
        assert_eq!((code, errors[0].field.as_str()), ("invalid_sort", "sort"));
        assert!(errors[0].message.contains(needle), "{errors:?}");
        assert!(
            errors[0]
                .message
                .ends_with(&format!("sortable fields: {sortable}"))
        );
    }
    assert!(err(&[("sort", "name,-name")]).1.contains("twice"));
}

#[test]
fn extra_parameters() {
    let list = pairs(&[("channel", "email"), ("name", "x"), ("channel", "sms")]);
    let q = parse_with_extra(&ALL_KINDS, &list, &["channel"]).unwrap();
    assert_eq!(q.extra, pairs(&[("channel", "email"), ("channel", "sms")]));
    assert_eq!(q.filters.len(), 1);
    assert!(parse(&ALL_KINDS, &list).is_err());
}

/// A query string of thousands of filters never becomes SQL.
#[test]
fn filters_and_parameters_are_capped() {
    let keys: Vec<String> = (0..31).map(|_| "name[contains]".to_string()).collect();
    let list: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "a")).collect();
    let (code, _, errors) = err(&list);
    assert_eq!(code, "invalid_query");
    assert!(errors.iter().any(|e| e.field == "filters"), "{errors:?}");
    assert_eq!(ok(&list[..30]).filters.len(), 30);

    let keys: Vec<String> = (0..5000).map(|n| format!("nope{n}[eq]")).collect();
    let list: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "x")).collect();
    let (code, _, errors) = err(&list);
    assert_eq!(code, "invalid_query");
    assert_eq!(errors.len(), 1, "one error, not one per parameter");
    assert_eq!(errors[0].field, "query");
}
