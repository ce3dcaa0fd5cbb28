//! The cross-organization matrix: a member of B, with B's header, with A's
//! header, and with A's record ids. Every tenant endpoint is listed here.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    a_member_of_b_cannot_reach_a,
    the_organization_header_is_required_and_checked,
);

/// Every tenant endpoint, with a body where it takes one. `{user}` is replaced
/// by a member id of the organization the request targets.
fn tenant_endpoints(target_user: Uuid) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::GET, "/organizations/current".into(), None),
        (
            Method::PATCH,
            "/organizations/current".into(),
            Some(json!({"name": "Hijacked"})),
        ),
        (Method::GET, "/organizations/current/members".into(), None),
        (
            Method::POST,
            "/organizations/current/members".into(),
            Some(json!({"email": "x@example.com", "role": "viewer"})),
        ),
        (
            Method::PATCH,
            format!("/organizations/current/members/{target_user}"),
            Some(json!({"role": "viewer"})),
        ),
        (
            Method::DELETE,
            format!("/organizations/current/members/{target_user}"),
            None,
        ),
        (Method::GET, "/audit".into(), None),
    ]
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
    token: &str,
    org: Uuid,
) -> reqwest::Response {
    let mut req = app
        .api(method, path, None)
        .bearer_auth(token)
        .header("x-org-id", org.to_string());
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

async fn snapshot(app: &TestApp, a: &Session) -> (Value, Value) {
    let org: Value = app
        .api(Method::GET, "/organizations/current", Some(a))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let members: Value = app
        .api(Method::GET, "/organizations/current/members", Some(a))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (org, members)
}

async fn a_member_of_b_cannot_reach_a(app: TestApp) {
    let a = app.register(&email("alice")).await;
    let a_colleague = app.register(&email("carol")).await;
    app.add_member(&a, &a_colleague, "sales").await;
    let b = app.register(&email("bob")).await;
    let b_colleague = app.register(&email("dave")).await;
    app.add_member(&b, &b_colleague, "sales").await;
    let before = snapshot(&app, &a).await;

    for (method, path, body) in tenant_endpoints(a_colleague.user_id) {
        // With A's header: not a member of A.
        let res = send(
            &app,
            method.clone(),
            &path,
            body.clone(),
            &b.access,
            a.org_id,
        )
        .await;
        assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    }
    for (method, path, body) in tenant_endpoints(a_colleague.user_id) {
        // With B's own header but A's record ids: A's records do not exist in B.
        if !path.contains(&a_colleague.user_id.to_string()) {
            continue;
        }
        let res = send(
            &app,
            method.clone(),
            &path,
            body.clone(),
            &b.access,
            b.org_id,
        )
        .await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    // With B's header and B's ids everything works.
    for (method, path, body) in tenant_endpoints(b_colleague.user_id) {
        if method == Method::DELETE || path.ends_with("/members") && method == Method::POST {
            continue;
        }
        let res = send(
            &app,
            method.clone(),
            &path,
            body.clone(),
            &b.access,
            b.org_id,
        )
        .await;
        assert!(
            res.status().is_success(),
            "{method} {path}: {}",
            res.status()
        );
    }

    assert_eq!(snapshot(&app, &a).await, before, "nothing in A changed");

    // A's admins see the attempts in their audit log.
    let audit: Value = app
        .api(
            Method::GET,
            "/audit?action=security.cross_organization_attempt",
            Some(&a),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let attempts = audit["data"].as_array().unwrap();
    assert_eq!(
        attempts.len(),
        1,
        "{} attempts, one entry: a stranger cannot flood the log",
        tenant_endpoints(Uuid::nil()).len()
    );
    assert!(
        attempts
            .iter()
            .all(|e| e["actor_user_id"] == b.user_id.to_string())
    );
}

async fn the_organization_header_is_required_and_checked(app: TestApp) {
    let a = app.register(&email("hdr")).await;
    let res = app
        .api(Method::GET, "/organizations/current", None)
        .bearer_auth(&a.access)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "missing_organization").await;
    let res = app
        .api(Method::GET, "/organizations/current", None)
        .bearer_auth(&a.access)
        .header("x-org-id", "not-a-uuid")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_organization").await;
    // An organization that does not exist looks the same as one you are not in.
    let res = send(
        &app,
        Method::GET,
        "/organizations/current",
        None,
        &a.access,
        Uuid::now_v7(),
    )
    .await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    // Without credentials: 401 before anything else.
    let res = app
        .api(Method::GET, "/organizations/current", None)
        .header("x-org-id", a.org_id.to_string())
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
