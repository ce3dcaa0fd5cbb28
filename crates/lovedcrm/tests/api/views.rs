//! Saved views: personal ones their creator's alone, shared ones everyone's,
//! a query the list would refuse never saved.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(views_are_personal_or_shared_and_only_their_creator_changes_them);

async fn send(
    app: &TestApp,
    s: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app.api(method, path, Some(s));
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn names(app: &TestApp, s: &Session, query: &str) -> Vec<String> {
    let res = send(app, s, Method::GET, &format!("/views?{query}"), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page: Value = res.json().await.unwrap();
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect()
}

async fn views_are_personal_or_shared_and_only_their_creator_changes_them(app: TestApp) {
    let owner = app.register(&email("views")).await;
    let mate = app.register(&email("views-mate")).await;
    let mate = app.add_member(&owner, &mate, "sales").await;
    let stranger = app.register(&email("views-stranger")).await;

    let res = send(
        &app,
        &owner,
        Method::POST,
        "/views",
        Some(json!({
        "name": "Hot leads", "entity_type": "leads", "query": "tags=hot&sort=-estimated_value",
        "columns": ["full_name", "estimated_value", "stage_id"], "shared": true})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let shared: Value = res.json().await.unwrap();
    assert_eq!(
        shared["columns"],
        json!(["full_name", "estimated_value", "stage_id"])
    );
    let res = send(
        &app,
        &owner,
        Method::POST,
        "/views",
        Some(json!({
        "name": "My contacts", "entity_type": "contacts", "query": "first_name[contains]=an"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let personal: Value = res.json().await.unwrap();
    let res = send(
        &app,
        &mate,
        Method::POST,
        "/views",
        Some(json!({
        "name": "Mate's", "entity_type": "leads", "query": "sort=created_at"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    assert_eq!(names(&app, &owner, "").await, ["Hot leads", "My contacts"]);
    assert_eq!(names(&app, &mate, "").await, ["Hot leads", "Mate's"]);
    assert_eq!(
        names(&app, &owner, "entity_type[eq]=leads").await,
        ["Hot leads"]
    );
    assert!(names(&app, &stranger, "").await.is_empty());

    // Someone else's personal view is not found; a shared one is read-only
    // for members who did not make it.
    let pid = personal["id"].as_str().unwrap();
    assert_eq!(
        send(&app, &mate, Method::GET, &format!("/views/{pid}"), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&app, &stranger, Method::GET, &format!("/views/{pid}"), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let sid = shared["id"].as_str().unwrap();
    let res = send(
        &app,
        &mate,
        Method::PATCH,
        &format!("/views/{sid}"),
        Some(json!({"name": "Mine now"})),
    )
    .await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = send(&app, &mate, Method::DELETE, &format!("/views/{sid}"), None).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;

    // The creator changes it, with the version read.
    let res = app
        .api(Method::PATCH, &format!("/views/{sid}"), Some(&owner))
        .header("if-match", shared["version"].to_string())
        .json(&json!({"name": "Hottest", "query": "tags=hot,vip", "columns": ["full_name"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .api(Method::PATCH, &format!("/views/{sid}"), Some(&owner))
        .header("if-match", shared["version"].to_string())
        .json(&json!({"name": "Stale"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    let res = send(&app, &mate, Method::GET, &format!("/views/{sid}"), None).await;
    let seen: Value = res.json().await.unwrap();
    assert_eq!(
        (seen["name"].as_str(), seen["query"].as_str()),
        (Some("Hottest"), Some("tags=hot,vip"))
    );
    assert_eq!(seen["columns"], json!(["full_name"]));

    // A query its list would refuse is refused by name; so is an unknown list.
    for (body, field) in [
        (
            json!({"name": "Bad", "entity_type": "leads", "query": "no_such_field[eq]=1"}),
            "query",
        ),
        (
            json!({"name": "Bad", "entity_type": "contacts", "query": "sort=-nope"}),
            "query",
        ),
        (
            json!({"name": "Bad", "entity_type": "invoices"}),
            "entity_type",
        ),
        (json!({"name": "  ", "entity_type": "leads"}), "name"),
    ] {
        let res = send(&app, &owner, Method::POST, "/views", Some(body.clone())).await;
        let problem =
            assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }

    // Deleted by its creator, gone for everyone.
    let res = send(&app, &owner, Method::DELETE, &format!("/views/{sid}"), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(names(&app, &mate, "").await, ["Mate's"]);
}
