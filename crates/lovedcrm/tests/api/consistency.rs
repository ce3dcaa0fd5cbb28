//! The API conventions on every endpoint they apply to: `Idempotency-Key` on
//! creates (the same key twice makes one record and answers the same), and
//! `If-Match` on deletes and changes of versioned records (stale is a 412
//! that changes nothing).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    idempotent_creates_of_settings_records,
    idempotent_organization_creation,
    stale_if_match_deletes_change_nothing,
    stale_if_match_on_memberships_changes_nothing,
);

/// Sends the same create twice with one key; returns both bodies.
async fn twice(app: &TestApp, s: &Session, path: &str, key: &str, body: Value) -> (Value, Value) {
    let mut out = Vec::new();
    for _ in 0..2 {
        let res = app
            .api(Method::POST, path, Some(s))
            .header("idempotency-key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "POST {path}");
        out.push(res.json::<Value>().await.unwrap());
    }
    let second = out.pop().unwrap();
    (out.pop().unwrap(), second)
}

async fn get(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

fn count(list: &Value) -> usize {
    list["data"].as_array().unwrap().len()
}

async fn idempotent_creates_of_settings_records(app: TestApp) {
    let s = app.register(&email("idem")).await;
    let (a, b) = twice(&app, &s, "/tags", "tag-1", json!({"name": "VIP"})).await;
    assert_eq!((&a["id"], &a), (&b["id"], &b));
    assert_eq!(count(&get(&app, &s, "/tags").await), 1);

    let field =
        json!({"entity_type": "contact", "key": "budget", "label": "Budget", "kind": "number"});
    let (a, b) = twice(&app, &s, "/custom-fields", "cf-1", field).await;
    assert_eq!(a, b);
    assert_eq!(count(&get(&app, &s, "/custom-fields").await), 1);

    let before = count(&get(&app, &s, "/pipelines").await);
    let (a, b) = twice(
        &app,
        &s,
        "/pipelines",
        "pipe-1",
        json!({"name": "Renewals"}),
    )
    .await;
    assert_eq!(a, b);
    assert_eq!(count(&get(&app, &s, "/pipelines").await), before + 1);

    let pipeline = a["id"].as_str().unwrap();
    let path = format!("/pipelines/{pipeline}/stages");
    let stages = a["stages"].as_array().unwrap().len();
    let (a, b) = twice(&app, &s, &path, "stage-1", json!({"name": "Legal"})).await;
    assert_eq!(a, b);
    let now = get(&app, &s, &format!("/pipelines/{pipeline}")).await;
    assert_eq!(now["stages"].as_array().unwrap().len(), stages + 1);

    // A key reused for another request is refused rather than replayed.
    let res = app
        .api(Method::POST, "/tags", Some(&s))
        .header("idempotency-key", "tag-1")
        .json(&json!({"name": "Other"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "idempotency_key_reused").await;
}

async fn idempotent_organization_creation(app: TestApp) {
    let s = app.register(&email("idem-org")).await;
    let before = count(&get(&app, &s, "/organizations").await);
    let body = json!({"name": "Second Agency"});
    let (a, b) = twice(&app, &s, "/organizations", "org-1", body).await;
    assert_eq!(a, b);
    assert_eq!(a["role"], "owner");
    assert_eq!(count(&get(&app, &s, "/organizations").await), before + 1);
    // Another user's identical key is theirs alone.
    let other = app.register(&email("idem-org-b")).await;
    let (c, _) = twice(
        &app,
        &other,
        "/organizations",
        "org-1",
        json!({"name": "Second Agency"}),
    )
    .await;
    assert_ne!(c["id"], a["id"]);
    // The key reused for another organization is refused, not replayed.
    let res = app
        .api(Method::POST, "/organizations", Some(&s))
        .header("idempotency-key", "org-1")
        .json(&json!({"name": "Third Agency"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "idempotency_key_reused").await;
}

/// DELETE `path` with a stale `If-Match`: 412 with the current version.
async fn stale_delete(app: &TestApp, s: &Session, path: &str, current: i64) {
    let res = app
        .api(Method::DELETE, path, Some(s))
        .header("if-match", format!("\"{}\"", current + 5))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    assert_eq!(problem["current_version"], current, "{path}");
}

async fn stale_if_match_deletes_change_nothing(app: TestApp) {
    let s = app.register(&email("ifm")).await;
    let res = app
        .api(Method::POST, "/custom-fields", Some(&s))
        .json(&json!({"entity_type": "lead", "key": "region", "label": "Region", "kind": "text"}))
        .send()
        .await
        .unwrap();
    let field: Value = res.json().await.unwrap();
    let path = format!("/custom-fields/{}", field["id"].as_str().unwrap());
    stale_delete(&app, &s, &path, 1).await;
    assert_eq!(count(&get(&app, &s, "/custom-fields").await), 1);
    let res = app
        .api(Method::DELETE, &path, Some(&s))
        .header("if-match", "\"1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(count(&get(&app, &s, "/custom-fields").await), 0, "deleted");

    let res = app
        .api(Method::POST, "/pipelines", Some(&s))
        .json(&json!({"name": "Spare"}))
        .send()
        .await
        .unwrap();
    let pipeline: Value = res.json().await.unwrap();
    let id = pipeline["id"].as_str().unwrap();
    let stage = &pipeline["stages"][1];
    let stage_path = format!("/pipelines/{id}/stages/{}", stage["id"].as_str().unwrap());
    let stage_version = stage["version"].as_i64().unwrap();
    stale_delete(&app, &s, &stage_path, stage_version).await;
    let now = get(&app, &s, &format!("/pipelines/{id}")).await;
    assert_eq!(
        now["stages"], pipeline["stages"],
        "the stage is still there"
    );
    let res = app
        .api(Method::DELETE, &stage_path, Some(&s))
        .header("if-match", format!("\"{stage_version}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let now = get(&app, &s, &format!("/pipelines/{id}")).await;
    let ids: Vec<&Value> = now["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| &st["id"])
        .collect();
    assert_eq!(ids.len(), pipeline["stages"].as_array().unwrap().len() - 1);
    assert!(!ids.contains(&&stage["id"]), "the stage is gone");

    let path = format!("/pipelines/{id}");
    let version = get(&app, &s, &path).await["version"].as_i64().unwrap();
    stale_delete(&app, &s, &path, version).await;
    get(&app, &s, &path).await;
    let res = app
        .api(Method::DELETE, &path, Some(&s))
        .header("if-match", format!("\"{version}\""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app.api(Method::GET, &path, Some(&s)).send().await.unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn stale_if_match_on_memberships_changes_nothing(app: TestApp) {
    let owner = app.register(&email("ifm-owner")).await;
    let member = app.register(&email("ifm-member")).await;
    let member_in_org = app.add_member(&owner, &member, "sales").await;
    let members = get(&app, &owner, "/organizations/current/members").await;
    let row = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == member.user_id.to_string())
        .unwrap()
        .clone();
    let version = row["version"].as_i64().unwrap();
    let path = format!("/organizations/current/members/{}", member.user_id);
    let res = app
        .api(Method::PATCH, &path, Some(&owner))
        .header("if-match", format!("\"{}\"", version + 1))
        .json(&json!({"role": "manager"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    assert_eq!(problem["current_version"], version);
    stale_delete(&app, &owner, &path, version).await;
    let now = get(&app, &owner, "/organizations/current/members").await;
    assert_eq!(now, members, "nothing changed");

    let res = app
        .api(Method::PATCH, &path, Some(&owner))
        .header("if-match", format!("\"{version}\""))
        .json(&json!({"role": "manager"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], format!("\"{}\"", version + 1));
    let changed: Value = res.json().await.unwrap();
    assert_eq!(changed["role"], "manager");
    let role_now = |list: Value| {
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user_id"] == member.user_id.to_string())
            .map(|m| m["role"].clone())
    };
    assert_eq!(
        role_now(get(&app, &owner, "/organizations/current/members").await),
        Some(json!("manager")),
        "the new role is stored"
    );
    // Still guarded after the change.
    stale_delete(&app, &owner, &path, version + 1).await;
    let res = app
        .api(Method::DELETE, &path, Some(&owner))
        .header("if-match", format!("\"{}\"", version + 1))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        role_now(get(&app, &owner, "/organizations/current/members").await),
        None,
        "the member is gone"
    );
    // And the removed member no longer reaches the organization.
    let res = app
        .api(Method::GET, "/contacts", Some(&member_in_org))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
