//! Custom fields in lists when something is off: unknown keys and
//! operators are 400s that name them, and values an older definition left
//! behind never break a list.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::custom_field_lists::{create, define, get_json, names};
use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    unknown_custom_fields_and_operators_are_400s_naming_them,
    values_left_by_an_older_definition_never_fail_a_list,
);

async fn unknown_custom_fields_and_operators_are_400s_naming_them(app: TestApp) {
    let s = app.register(&email("cf400")).await;
    define(&app, &s, "contact", "budget", "number", json!([])).await;
    define(
        &app,
        &s,
        "contact",
        "tier",
        "select",
        json!(["gold", "silver"]),
    )
    .await;
    define(&app, &s, "contact", "vip", "checkbox", json!([])).await;
    // A field of another record type is not a contact's.
    define(&app, &s, "lead", "source_detail", "text", json!([])).await;
    let bad = |path: &'static str| {
        let app = &app;
        let s = &s;
        async move {
            let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
            let body: Value = res.json().await.unwrap();
            body
        }
    };
    let body = bad("/contacts?custom_fields.colour=red").await;
    assert_eq!(body["code"], "invalid_filter");
    assert_eq!(body["errors"][0]["field"], "custom_fields.colour");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("`custom_fields.colour`"), "{message}");
    assert!(
        message.contains("custom_fields.budget, custom_fields.tier, custom_fields.vip"),
        "{message}"
    );
    assert!(!message.contains("source_detail"), "{message}");
    let body = bad("/contacts?custom_fields.source_detail[contains]=x").await;
    assert_eq!(
        body["errors"][0]["field"],
        "custom_fields.source_detail[contains]"
    );

    let body = bad("/contacts?sort=-custom_fields.colour").await;
    assert_eq!(body["code"], "invalid_sort");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("`custom_fields.colour`"), "{message}");
    let body = bad("/contacts?sort=custom_fields.vip").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("cannot be sorted")
    );

    let body = bad("/contacts?custom_fields.vip[gt]=true").await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("allowed operators: eq, is_null"),
        "{message}"
    );
    let body = bad("/contacts?custom_fields.tier=platinum").await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("gold, silver"), "{message}");
    let body = bad("/contacts?custom_fields.budget[gte]=lots").await;
    assert!(body["detail"].as_str().unwrap().contains("not a number"));
    // Nothing is interpolated: a key that could be SQL is just unknown.
    let body = bad("/contacts?custom_fields.x')%20OR%201=1--=1").await;
    assert_eq!(body["code"], "invalid_filter");
    // Without any definitions the answer says so.
    let other = app.register(&email("cf400b")).await;
    let res = app
        .api(
            Method::GET,
            "/contacts?custom_fields.budget=1",
            Some(&other),
        )
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_filter").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("no custom_fields are defined")
    );
}

/// A key deleted and defined again with another kind keeps the old values on
/// records until they are saved: they read as "no value", never as a 500.
async fn values_left_by_an_older_definition_never_fail_a_list(app: TestApp) {
    let s = app.register(&email("cfold")).await;
    let keys = [
        ("score", "number", json!([]), json!(7)),
        ("day", "date", json!([]), json!("2024-02-29")),
        ("on", "checkbox", json!([]), json!(true)),
        ("picks", "multi_select", json!(["a", "b"]), json!(["a"])),
        ("pick", "select", json!(["a", "b"]), json!("a")),
    ];
    for (key, ..) in &keys {
        define(&app, &s, "contact", key, "text", json!([])).await;
    }
    let old: serde_json::Map<String, Value> = keys
        .iter()
        .map(|(k, ..)| (k.to_string(), json!("text")))
        .collect();
    create(
        &app,
        &s,
        "/contacts",
        json!({"name": "Old", "custom_fields": old}),
    )
    .await;
    let defs = get_json(&app, &s, "/custom-fields?entity_type=contact").await;
    for def in defs["data"].as_array().unwrap() {
        let id = def["id"].as_str().unwrap();
        let res = app
            .api(Method::DELETE, &format!("/custom-fields/{id}"), Some(&s))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }
    let mut new = serde_json::Map::new();
    for (key, kind, options, value) in &keys {
        define(&app, &s, "contact", key, kind, options.clone()).await;
        new.insert(key.to_string(), value.clone());
    }
    create(
        &app,
        &s,
        "/contacts",
        json!({"name": "New", "custom_fields": new}),
    )
    .await;
    for filter in [
        "custom_fields.score[gte]=1",
        "custom_fields.day[lt]=2030-01-01",
        "custom_fields.on=true",
        "custom_fields.picks[contains]=a",
        "custom_fields.pick=a",
        "custom_fields.score[is_null]=false&custom_fields.picks[is_null]=false",
    ] {
        let got = names(&app, &s, &format!("/contacts?{filter}")).await;
        assert_eq!(got, ["New"], "{filter}");
    }
    for sort in [
        "custom_fields.score",
        "-custom_fields.day",
        "custom_fields.pick",
    ] {
        let page = get_json(&app, &s, &format!("/contacts?sort={sort}&limit=1")).await;
        assert_eq!(page["data"][0]["name"], "New", "{sort}");
        let cursor = page["next_cursor"].as_str().unwrap();
        let path = format!("/contacts?sort={sort}&limit=1&cursor={cursor}");
        let page = get_json(&app, &s, &path).await;
        assert_eq!(page["data"][0]["name"], "Old", "{sort}");
    }
}
