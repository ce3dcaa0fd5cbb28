//! Profile and per-organization preferences of the signed-in user.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::comments::call;
use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    profile_name_changes_with_if_match,
    preferences_default_then_saved_per_organization,
    preferences_reject_bad_values_naming_the_field,
);

async fn profile_name_changes_with_if_match(app: TestApp) {
    let s = app.register(&email("profile")).await;
    let (_, me) = call(&app, &s, Method::GET, "/users/me", None).await;
    let version = me["version"].as_i64().unwrap();
    let res = app
        .api(Method::PATCH, "/users/me", Some(&s))
        .header("if-match", format!("\"{version}\""))
        .json(&json!({"name": "  Ana Lúcia  "}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["name"], "Ana Lúcia");
    assert_eq!(me["version"], version + 1);

    let res = app
        .api(Method::PATCH, "/users/me", Some(&s))
        .header("if-match", format!("\"{version}\""))
        .json(&json!({"name": "Stale"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    let res = app
        .api(Method::PATCH, "/users/me", Some(&s))
        .json(&json!({"email": "new@example.com"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(problem["errors"][0]["field"], "email");
    let (_, me) = call(&app, &s, Method::GET, "/users/me", None).await;
    assert_eq!(me["name"], "Ana Lúcia");
}

async fn preferences_default_then_saved_per_organization(app: TestApp) {
    let s = app.register(&email("prefs")).await;
    let (status, prefs) = call(&app, &s, Method::GET, "/users/me/preferences", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(prefs["theme"], "system");
    assert_eq!(prefs["language"], "en");
    assert_eq!(prefs["version"], 0);
    assert_eq!(
        prefs["notifications"]["mention"],
        json!({"in_app": true, "email": true, "push": true})
    );

    let (status, saved) = call(
        &app,
        &s,
        Method::PATCH,
        "/users/me/preferences",
        Some(json!({
        "theme": "dark", "language": "pt-BR", "timezone": "America/Sao_Paulo",
        "notifications": {"task_due": {"in_app": true, "email": true}},
        "quiet_hours": {"enabled": true, "start": "21:30", "end": "08:00"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 1);
    let (_, again) = call(&app, &s, Method::GET, "/users/me/preferences", None).await;
    assert_eq!(again, saved);
    assert_eq!(
        again["notifications"]["mention"]["in_app"], true,
        "untouched events keep defaults"
    );
    assert_eq!(again["quiet_hours"]["start"], "21:30");

    // Stale If-Match is refused; the second save bumps the version.
    let stale = app
        .api(Method::PATCH, "/users/me/preferences", Some(&s))
        .header("if-match", "\"0\"")
        .json(&json!({"theme": "light"}))
        .send()
        .await
        .unwrap();
    assert_problem(stale, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    let (_, v2) = call(
        &app,
        &s,
        Method::PATCH,
        "/users/me/preferences",
        Some(json!({"theme": "light"})),
    )
    .await;
    assert_eq!(
        (v2["theme"].as_str(), v2["version"].as_i64()),
        (Some("light"), Some(2))
    );

    // Another organization of the same user has its own preferences.
    let (status, org) = call(
        &app,
        &s,
        Method::POST,
        "/organizations",
        Some(json!({"name": "Second"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let second = crate::helpers::Session {
        org_id: org["id"].as_str().unwrap().parse().unwrap(),
        ..s.clone()
    };
    let (_, there) = call(&app, &second, Method::GET, "/users/me/preferences", None).await;
    assert_eq!(
        (there["theme"].as_str(), there["version"].as_i64()),
        (Some("system"), Some(0))
    );
}

async fn preferences_reject_bad_values_naming_the_field(app: TestApp) {
    let s = app.register(&email("prefs-bad")).await;
    let res = app
        .api(Method::PATCH, "/users/me/preferences", Some(&s))
        .json(
            &json!({"theme": "neon", "language": "fr", "timezone": "Mars/Olympus",
                      "notifications": {"birthday": {"in_app": true, "email": false}},
                      "quiet_hours": {"enabled": true, "start": "25:00", "end": "07:00"}}),
        )
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "language",
            "notifications.birthday",
            "quiet_hours.start",
            "theme",
            "timezone"
        ]
    );
    let (_, prefs) = call(&app, &s, Method::GET, "/users/me/preferences", None).await;
    assert_eq!(prefs["version"], 0, "nothing saved");
}
