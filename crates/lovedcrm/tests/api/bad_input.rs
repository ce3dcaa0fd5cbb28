//! Malformed input of every kind gets a 4xx problem+json, never a 500.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    malformed_requests_get_problems,
    fields_clients_may_not_set_are_refused,
    an_array_is_not_a_patch
);

/// serde reads a JSON array into a struct by position: `[null, null]` would
/// be an empty patch that bumps the version (schemathesis found it).
async fn an_array_is_not_a_patch(app: TestApp) {
    let s = app.register(&email("array")).await;
    let res = app
        .api(Method::POST, "/tags", Some(&s))
        .json(&json!({"name": "vip"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let tag: serde_json::Value = res.json().await.unwrap();
    let path = format!("/tags/{}", tag["id"].as_str().unwrap());
    for body in [json!([null, null]), json!(["renamed", "#000000"])] {
        let res = app
            .api(Method::PATCH, &path, Some(&s))
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem =
            assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "body", "{problem}");
    }
    let res = app
        .api(Method::GET, "/tags", Some(&s))
        .send()
        .await
        .unwrap();
    let list: serde_json::Value = res.json().await.unwrap();
    let after = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == tag["id"])
        .unwrap();
    assert_eq!(after["name"], "vip");
    assert_eq!(after["version"], tag["version"], "nothing was saved");
}

async fn malformed_requests_get_problems(app: TestApp) {
    let s = app.register(&email("bad")).await;
    let post = |body: Vec<u8>, content_type: &str| {
        app.api(Method::POST, "/auth/login", None)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let json_type = "application/json";
    let cases: Vec<(&str, Vec<u8>, &str, StatusCode, &str)> = vec![
        (
            "malformed",
            b"{\"email\": ".to_vec(),
            json_type,
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "trailing garbage",
            b"{\"email\":\"a@b.co\",\"password\":\"x\"} xyz".to_vec(),
            json_type,
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "empty body",
            Vec::new(),
            json_type,
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "invalid utf-8",
            b"{\"email\": \"\xff\xfe\", \"password\": \"x\"}".to_vec(),
            json_type,
            StatusCode::BAD_REQUEST,
            "invalid_utf8",
        ),
        (
            "wrong content type",
            b"email=a&password=b".to_vec(),
            "application/x-www-form-urlencoded",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "wrong type",
            br#"{"email": 42, "password": "x"}"#.to_vec(),
            json_type,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "missing field",
            br#"{"email": "a@b.co"}"#.to_vec(),
            json_type,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "array",
            b"[1, 2]".to_vec(),
            json_type,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "null",
            b"null".to_vec(),
            json_type,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
    ];
    for (name, body, content_type, status, code) in cases {
        let res = post(body, content_type).await.unwrap();
        assert_eq!(res.status(), status, "{name}");
        let problem = assert_problem(res, status, code).await;
        if name == "wrong type" {
            assert_eq!(problem["errors"][0]["field"], "email");
        }
        if name == "missing field" {
            assert_eq!(problem["errors"][0]["field"], "password");
        }
    }
    // No content type at all.
    let res = app
        .api(Method::POST, "/auth/login", None)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    // Over the 1 MiB JSON limit.
    let huge = format!(
        "{{\"email\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(1024 * 1024 + 10)
    );
    let res = post(huge.into_bytes(), json_type).await.unwrap();
    assert_problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    // Wrong enum value names the field.
    let res = app
        .api(Method::POST, "/organizations/current/members", Some(&s))
        .json(&json!({"email": "x@example.com", "role": "emperor"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "role");

    // Unknown routes, wrong methods and bad path parameters.
    let res = app
        .api(Method::GET, "/no-such-thing", None)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "no_route").await;
    let res = app
        .api(Method::DELETE, "/auth/login", None)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let res = app
        .api(
            Method::DELETE,
            "/organizations/current/members/not-a-uuid",
            Some(&s),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_path").await;
    let res = app
        .api(Method::GET, "/audit?limit=abc", Some(&s))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    assert_eq!(problem["errors"][0]["field"], "limit");
    let res = app
        .api(Method::GET, "/audit?colour=red", Some(&s))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    let res = app
        .api(Method::PATCH, "/organizations/current", Some(&s))
        .header("if-match", "yesterday")
        .json(&json!({"name": "X"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_if_match").await;
}

async fn fields_clients_may_not_set_are_refused(app: TestApp) {
    let res = app
        .api(Method::POST, "/auth/register", None)
        .json(
            &json!({"email": email("mass"), "password": crate::helpers::PASSWORD,
                      "name": "Mass", "role": "admin"}),
        )
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(problem["errors"][0]["field"], "role");

    let s = app.register(&email("mass2")).await;
    for field in [
        "id",
        "organization_id",
        "created_at",
        "updated_at",
        "version",
        "role",
    ] {
        let res = app
            .api(Method::PATCH, "/organizations/current", Some(&s))
            .json(&json!({ "name": "Renamed", field: "00000000-0000-0000-0000-000000000000" }))
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let org: serde_json::Value = app
        .api(Method::GET, "/organizations/current", Some(&s))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(org["id"], s.org_id.to_string());
    assert_eq!(org["version"], 1, "no refused patch was applied");

    // Nobody changes their own role.
    let res = app
        .api(
            Method::PATCH,
            &format!("/organizations/current/members/{}", s.user_id),
            Some(&s),
        )
        .json(&json!({"role": "viewer"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "own_role").await;
    assert_eq!(problem["errors"][0]["field"], "role");
}
