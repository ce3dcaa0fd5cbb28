//! Every change to a CRM record leaves an audit row with who, what, the
//! record before and after, and where the request came from.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, email};
use crate::on_both;

on_both!(creates_changes_and_deletes_are_audited_with_before_and_after);

async fn call(
    app: &TestApp,
    s: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut req = app
        .api(method.clone(), path, Some(s))
        .header("user-agent", "audit-test/1.0")
        .header("x-request-id", format!("req-{}", uuid::Uuid::now_v7()));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    assert!(
        res.status().is_success(),
        "{method} {path}: {}",
        res.status()
    );
    if res.status() == StatusCode::NO_CONTENT {
        Value::Null
    } else {
        res.json().await.unwrap()
    }
}

/// The audit rows of one record, oldest first.
async fn trail(app: &TestApp, s: &Session, entity_type: &str, id: &str) -> Vec<Value> {
    let page = call(
        app,
        s,
        Method::GET,
        &format!("/audit?entity_type={entity_type}&limit=200"),
        None,
    )
    .await;
    let mut rows: Vec<Value> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["entity_id"] == id)
        .cloned()
        .collect();
    rows.reverse();
    rows
}

async fn creates_changes_and_deletes_are_audited_with_before_and_after(app: TestApp) {
    let s = app.register(&email("audited")).await;
    // (path, entity type, the field that changes, its first and second value)
    let cases = [
        (
            "/contacts",
            "contact",
            "first_name",
            json!({"first_name": "Ana"}),
            "Ana",
            "Anabela",
        ),
        (
            "/companies",
            "company",
            "name",
            json!({"name": "Acme"}),
            "Acme",
            "Acme Brasil",
        ),
        (
            "/leads",
            "lead",
            "title",
            json!({"full_name": "Site"}),
            "Site",
            "Site novo",
        ),
        (
            "/projects",
            "project",
            "name",
            json!({"name": "Relaunch"}),
            "Relaunch",
            "Relaunch v2",
        ),
        (
            "/tasks",
            "task",
            "name",
            json!({"name": "Call"}),
            "Call",
            "Call back",
        ),
    ];
    for (path, entity, field, body, first, second) in cases {
        let created = call(&app, &s, Method::POST, path, Some(body)).await;
        let id = created["id"].as_str().unwrap().to_string();
        let url = format!("{path}/{id}");
        let patch = if entity == "lead" {
            json!({"full_name": second})
        } else {
            json!({ field: second })
        };
        let changed = call(&app, &s, Method::PATCH, &url, Some(patch)).await;
        assert_eq!(changed[field], second, "{entity}");
        let res = app
            .api(Method::DELETE, &url, Some(&s))
            .header("user-agent", "audit-test/1.0")
            .header("x-request-id", format!("req-{}", uuid::Uuid::now_v7()))
            .header("if-match", format!("\"{}\"", changed["version"]))
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_success(),
            "delete {entity}: {}",
            res.status()
        );

        let rows = trail(&app, &s, entity, &id).await;
        assert_eq!(rows.len(), 3, "{entity}: {rows:#?}");
        let (create, update, delete) = (&rows[0], &rows[1], &rows[2]);
        assert!(create["before_data"].is_null(), "{entity}: {create}");
        assert_eq!(create["after_data"][field], first, "{entity}: {create}");
        assert_eq!(update["before_data"][field], first, "{entity}: {update}");
        assert_eq!(update["after_data"][field], second, "{entity}: {update}");
        assert_eq!(delete["before_data"][field], second, "{entity}: {delete}");
        assert!(delete["after_data"].is_null(), "{entity}: {delete}");
        for row in &rows {
            assert_eq!(
                row["actor_user_id"],
                s.user_id.to_string(),
                "{entity}: {row}"
            );
            assert_eq!(row["user_agent"], "audit-test/1.0", "{entity}: {row}");
            assert!(
                row["request_id"].as_str().unwrap().starts_with("req-"),
                "{row}"
            );
            assert_eq!(row["ip"], "127.0.0.1", "{entity}: {row}");
        }
    }
}
