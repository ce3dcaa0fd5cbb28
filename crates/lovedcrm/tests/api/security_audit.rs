//! The audit API shows an organization's admins the security events of its
//! members: sign-ins, failed sign-ins, keys, roles, cross-organization tries.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::comments::call;
use crate::helpers::{TestApp, email};
use crate::on_both;

on_both!(
    security_events_reach_the_audit_api,
    two_factor_events_reach_the_audit_api,
);

async fn actions(app: &TestApp, s: &crate::helpers::Session, query: &str) -> Vec<String> {
    let (status, page) = call(app, s, Method::GET, &format!("/audit?{query}"), None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

async fn security_events_reach_the_audit_api(app: TestApp) {
    let owner = app.register(&email("sec-owner")).await;
    let member = app.register(&email("sec-member")).await;
    let member = app.add_member(&owner, &member, "sales").await;
    let outsider = app.register(&email("sec-out")).await;

    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": member.email, "password": "wrong password here"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // The organizations hear of a failed sign-in from a job, so that the
    // answer takes as long for an unknown address as for a member's.
    app.settle_jobs("auth.login_failed").await;
    app.login(&member.email).await;
    let (_, key) = call(
        &app,
        &owner,
        Method::POST,
        "/api-keys",
        Some(json!({"name": "k", "scopes": ["*:read"]})),
    )
    .await;
    call(
        &app,
        &owner,
        Method::DELETE,
        &format!("/api-keys/{}", key["id"].as_str().unwrap()),
        None,
    )
    .await;
    call(
        &app,
        &owner,
        Method::PATCH,
        &format!("/organizations/current/members/{}", member.user_id),
        Some(json!({"role": "manager"})),
    )
    .await;
    let sneaky = crate::helpers::Session {
        org_id: owner.org_id,
        ..outsider.clone()
    };
    // Knocking again and again is forbidden each time, and the
    // organization's log hears of it once per window, not once per request.
    for path in ["/contacts", "/leads", "/contacts", "/tasks", "/companies"] {
        let (status, _) = call(&app, &sneaky, Method::GET, path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        actions(&app, &owner, "action=security.cross_organization_attempt").await,
        ["security.cross_organization_attempt"]
    );

    let by_member = actions(&app, &owner, &format!("actor={}", member.user_id)).await;
    for expected in ["security.login_failed", "security.login"] {
        assert!(
            by_member.iter().any(|a| a == expected),
            "{expected} missing from {by_member:?}"
        );
    }
    let all = actions(&app, &owner, "limit=200").await;
    for expected in [
        "api_key.created",
        "api_key.revoked",
        "member.role_changed",
        "security.cross_organization_attempt",
    ] {
        assert!(
            all.iter().any(|a| a == expected),
            "{expected} missing from {all:?}"
        );
    }
    assert_eq!(
        actions(&app, &owner, "action=security.login_failed").await,
        ["security.login_failed"]
    );
    // The organization learns that it happened, not where from.
    let (_, failed) = call(
        &app,
        &owner,
        Method::GET,
        "/audit?action=security.login_failed",
        None,
    )
    .await;
    assert_eq!(failed["data"][0]["ip"], Value::Null, "{failed}");
    assert_eq!(failed["data"][0]["user_agent"], Value::Null, "{failed}");
    assert_eq!(actions(&app, &owner, "entity_type=api_key").await.len(), 2);
    let until_past = actions(&app, &owner, "until=2001-01-01T00:00:00Z").await;
    assert!(until_past.is_empty());
    // Members below admin cannot read it.
    let (status, _): (StatusCode, Value) = call(&app, &member, Method::GET, "/audit", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Turning 2FA on, signing in with a backup code and turning it off are
/// each in the organization's audit log, by the member who did it.
async fn two_factor_events_reach_the_audit_api(app: TestApp) {
    use crate::two_factor::{challenge, enable, second_factor};
    let owner = app.register(&email("sec-2fa")).await;
    let (_, codes) = enable(&app, &owner).await;
    let token = challenge(&app, &owner.email).await;
    let res = second_factor(&app, &token, &codes[0]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .api(Method::POST, "/auth/2fa/disable", Some(&owner))
        .json(&json!({"password": crate::helpers::PASSWORD, "code": codes[1]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let mine = actions(&app, &owner, &format!("actor={}&limit=200", owner.user_id)).await;
    for expected in [
        "security.2fa_enabled",
        "security.backup_code_used",
        "security.2fa_disabled",
    ] {
        assert!(
            mine.iter().any(|a| a == expected),
            "{expected} missing from {mine:?}"
        );
    }
}
