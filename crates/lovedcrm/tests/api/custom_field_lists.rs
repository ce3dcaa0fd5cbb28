//! Lists filtered and sorted on custom fields: `custom_fields.<key>[op]=value`
//! and `sort=-custom_fields.<key>`, typed by the organization's definitions,
//! on every record type that has custom fields.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    contacts_filter_on_every_kind_of_custom_field,
    paging_sorted_by_a_number_custom_field_neither_skips_nor_repeats,
    every_record_type_filters_and_sorts_on_custom_fields,
);

pub async fn define(
    app: &TestApp,
    s: &Session,
    entity: &str,
    key: &str,
    kind: &str,
    options: Value,
) {
    let res = app
        .api(Method::POST, "/custom-fields", Some(s))
        .json(
            &json!({"entity_type": entity, "key": key, "label": key, "kind": kind,
                      "options": options}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "define {entity}.{key}");
}

pub async fn create(app: &TestApp, s: &Session, path: &str, body: Value) -> String {
    let res = app
        .api(Method::POST, path, Some(s))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "POST {path} {body}");
    let v: Value = res.json().await.unwrap();
    v["id"].as_str().unwrap().to_string()
}

pub async fn get_json(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

/// The `name` of every row of one page, sorted (order-independent checks).
pub async fn names(app: &TestApp, s: &Session, path: &str) -> Vec<String> {
    let page = get_json(app, s, path).await;
    let mut n: Vec<String> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

async fn contacts_filter_on_every_kind_of_custom_field(app: TestApp) {
    let s = app.register(&email("cff")).await;
    define(&app, &s, "contact", "budget", "number", json!([])).await;
    define(&app, &s, "contact", "renewal", "date", json!([])).await;
    define(
        &app,
        &s,
        "contact",
        "tier",
        "select",
        json!(["gold", "silver"]),
    )
    .await;
    let channels = json!(["email", "phone", "whatsapp"]);
    define(&app, &s, "contact", "channels", "multi_select", channels).await;
    define(&app, &s, "contact", "vip", "checkbox", json!([])).await;
    define(&app, &s, "contact", "nickname", "text", json!([])).await;
    for (name, fields) in [
        (
            "Ana",
            json!({"budget": 100, "renewal": "2024-03-01", "tier": "gold",
                   "channels": ["email", "whatsapp"], "vip": true, "nickname": "Aninha"}),
        ),
        (
            "Bruno",
            json!({"budget": 250.5, "renewal": "2025-07-15", "tier": "silver",
                   "channels": ["phone"], "vip": false, "nickname": "Bru_no"}),
        ),
        (
            "Carla",
            json!({"budget": 1000, "renewal": "2024-12-31", "channels": []}),
        ),
        ("Diego", json!({})),
    ] {
        let body = json!({"name": name, "custom_fields": fields});
        create(&app, &s, "/contacts", body).await;
    }
    let cases: &[(&str, &[&str])] = &[
        (
            "custom_fields.budget[gte]=100&custom_fields.budget[lt]=1000",
            &["Ana", "Bruno"],
        ),
        ("custom_fields.budget[gt]=250", &["Bruno", "Carla"]),
        ("custom_fields.budget=250.5", &["Bruno"]),
        ("custom_fields.budget[in]=100,1000", &["Ana", "Carla"]),
        (
            "custom_fields.budget[neq]=100",
            &["Bruno", "Carla", "Diego"],
        ),
        ("custom_fields.budget[is_null]=true", &["Diego"]),
        ("custom_fields.renewal[lt]=2025-01-01", &["Ana", "Carla"]),
        (
            "custom_fields.renewal[gte]=2024-12-31&custom_fields.renewal[lte]=2025-12-31",
            &["Bruno", "Carla"],
        ),
        ("custom_fields.tier=gold", &["Ana"]),
        ("custom_fields.tier[in]=gold,silver", &["Ana", "Bruno"]),
        ("custom_fields.tier[neq]=gold", &["Bruno", "Carla", "Diego"]),
        ("custom_fields.tier[is_null]=true", &["Carla", "Diego"]),
        ("custom_fields.channels[contains]=whatsapp", &["Ana"]),
        ("custom_fields.channels[contains]=phone", &["Bruno"]),
        // An empty list counts as no value.
        ("custom_fields.channels[is_null]=true", &["Carla", "Diego"]),
        ("custom_fields.vip=true", &["Ana"]),
        ("custom_fields.vip=false", &["Bruno"]),
        ("custom_fields.vip[is_null]=false", &["Ana", "Bruno"]),
        ("custom_fields.nickname[starts_with]=ANI", &["Ana"]),
        // `_` is matched literally, not as a wildcard.
        ("custom_fields.nickname[contains]=u_n", &["Bruno"]),
        ("custom_fields.nickname[is_null]=true", &["Carla", "Diego"]),
        // Custom and ordinary filters combine.
        (
            "custom_fields.budget[gte]=100&name[starts_with]=c",
            &["Carla"],
        ),
    ];
    for (filter, want) in cases {
        let got = names(&app, &s, &format!("/contacts?{filter}")).await;
        assert_eq!(got, *want, "{filter}");
    }
    let counted = get_json(
        &app,
        &s,
        "/contacts?custom_fields.budget[gte]=100&count=true",
    )
    .await;
    assert_eq!(counted["total"], 3);
    // Sorting on a date: ascending, records without one last.
    let page = get_json(&app, &s, "/contacts?sort=custom_fields.renewal").await;
    let order: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["Ana", "Carla", "Bruno", "Diego"]);
}

/// Walks `path` (which has a sort) two rows at a time, creating contacts
/// between pages; returns the ids in the order seen.
async fn walk(
    app: &TestApp,
    s: &Session,
    sort: &str,
    budgets_to_add: &[Option<f64>],
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut step = 0;
    loop {
        let mut path = format!("/contacts?limit=2&sort={sort}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = get_json(app, s, &path).await;
        for row in page["data"].as_array().unwrap() {
            seen.push(row["id"].as_str().unwrap().to_string());
        }
        // New rows on both sides of the cursor, with the same budgets as
        // rows already seen and still to come, and without a budget.
        let budget = budgets_to_add[step % budgets_to_add.len()];
        let fields = budget.map_or(json!({}), |b| json!({"budget": b}));
        let body = json!({"name": format!("New {sort} {step}"), "custom_fields": fields});
        create(app, s, "/contacts", body).await;
        step += 1;
        assert!(step < 100, "paging does not end");
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return seen,
        }
    }
}

async fn paging_sorted_by_a_number_custom_field_neither_skips_nor_repeats(app: TestApp) {
    let s = app.register(&email("cfsort")).await;
    define(&app, &s, "contact", "budget", "number", json!([])).await;
    let budgets = [
        Some(50.0),
        None,
        Some(10.0),
        Some(50.0),
        Some(7.5),
        None,
        Some(1000.0),
        Some(50.0),
        Some(-3.0),
    ];
    let mut original: Vec<(String, Option<f64>)> = Vec::new();
    for (i, b) in budgets.iter().enumerate() {
        let fields = b.map_or(json!({}), |b| json!({"budget": b}));
        let id = create(
            &app,
            &s,
            "/contacts",
            json!({"name": format!("C{i}"), "custom_fields": fields}),
        )
        .await;
        original.push((id, *b));
    }
    let adds = [Some(50.0), None, Some(0.0), Some(2000.0), Some(10.0)];
    for sort in ["custom_fields.budget", "-custom_fields.budget"] {
        let seen = walk(&app, &s, sort, &adds).await;
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{sort}: a row was repeated");
        for (id, _) in &original {
            assert!(seen.contains(id), "{sort}: row {id} was skipped");
        }
        // The original rows come in budget order, absent budgets last.
        let positions: Vec<(usize, Option<f64>)> = original
            .iter()
            .map(|(id, b)| (seen.iter().position(|x| x == id).unwrap(), *b))
            .collect();
        let mut by_position = positions.clone();
        by_position.sort_by_key(|(p, _)| *p);
        let values: Vec<Option<f64>> = by_position.into_iter().map(|(_, b)| b).collect();
        let mut present: Vec<f64> = values.iter().flatten().copied().collect();
        let mut expected: Vec<f64> = present.clone();
        expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
        if sort.starts_with('-') {
            expected.reverse();
        }
        assert_eq!(present, expected, "{sort}: values out of order");
        let first_none = values.iter().position(Option::is_none).unwrap();
        assert!(
            values[first_none..].iter().all(Option::is_none),
            "{sort}: rows without a budget must come last: {values:?}"
        );
        present.clear();
    }
    // A cursor is tied to its sort.
    let page = get_json(&app, &s, "/contacts?limit=2&sort=custom_fields.budget").await;
    let cursor = page["next_cursor"].as_str().unwrap();
    let res = app
        .api(
            Method::GET,
            &format!("/contacts?sort=-custom_fields.budget&cursor={cursor}"),
            Some(&s),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_cursor").await;
}

async fn every_record_type_filters_and_sorts_on_custom_fields(app: TestApp) {
    let s = app.register(&email("cfall")).await;
    for (entity, path, name_field) in [
        ("company", "/companies", "name"),
        ("lead", "/leads", "full_name"),
        ("project", "/projects", "name"),
        ("task", "/tasks", "name"),
        ("contact", "/contacts", "name"),
    ] {
        define(&app, &s, entity, "score", "number", json!([])).await;
        let mut ids = Vec::new();
        for (i, score) in [Some(3), Some(1), None, Some(2)].into_iter().enumerate() {
            let fields = score.map_or(json!({}), |n| json!({"score": n}));
            let body = json!({name_field: format!("{entity} {i}"), "custom_fields": fields});
            ids.push(create(&app, &s, path, body).await);
        }
        let page = get_json(&app, &s, &format!("{path}?custom_fields.score[gte]=2")).await;
        assert_eq!(page["data"].as_array().unwrap().len(), 2, "{path}");
        let mut order = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut p = format!("{path}?sort=-custom_fields.score&limit=1");
            if let Some(c) = &cursor {
                p.push_str(&format!("&cursor={c}"));
            }
            let page = get_json(&app, &s, &p).await;
            for row in page["data"].as_array().unwrap() {
                order.push(row["id"].as_str().unwrap().to_string());
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        assert_eq!(
            order,
            [
                ids[0].clone(),
                ids[3].clone(),
                ids[1].clone(),
                ids[2].clone()
            ],
            "{path}"
        );
    }
}
