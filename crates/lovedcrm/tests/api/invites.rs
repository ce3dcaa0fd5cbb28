//! Invites: emailed over real SMTP, accepted by new and existing users,
//! revoked, resent, expiring; B2C mode turns teams off.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::comments::call;
use crate::helpers::{PASSWORD, Session, TestApp, assert_problem, email};
use crate::smtp_sink::SmtpSink;

const WAIT: Duration = Duration::from_secs(20);

crate::with_smtp!(
    a_new_person_joins_through_the_emailed_link,
    an_existing_user_accepts_signed_in_and_links_close,
    adding_a_member_asks_them_first,
);
mod b2c_mode_turns_teams_off {
    #[tokio::test]
    async fn sqlite() {
        let app = crate::helpers::TestApp::spawn_sqlite(|c| c.saas_mode = "B2C".into()).await;
        super::b2c_mode_turns_teams_off(app).await;
    }
    #[tokio::test]
    async fn postgres() {
        if let Some(app) =
            crate::helpers::TestApp::spawn_postgres(|c| c.saas_mode = "B2C".into()).await
        {
            super::b2c_mode_turns_teams_off(app).await;
        }
    }
}

/// The token of the `/invite/<token>` link in the `nth` invite mail to `to`.
async fn invite_token(sink: &SmtpSink, to: &str, nth: usize) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    let text = loop {
        let invites: Vec<String> = sink
            .mails()
            .iter()
            .filter(|m| m.to.iter().any(|t| t == to))
            .map(|m| m.text())
            .filter(|t| t.contains("/invite/"))
            .collect();
        if let Some(text) = invites.get(nth - 1) {
            break text.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no invite mail #{nth} to {to}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let start = text
        .find("/invite/")
        .unwrap_or_else(|| panic!("no invite link in:\n{text}"))
        + 8;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn public(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .request(method, app.url(&format!("/api/v1{path}")));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn a_new_person_joins_through_the_emailed_link(app: TestApp, sink: SmtpSink) {
    let owner = app.register(&email("inv-owner")).await;
    let to = email("inv-new");
    let (status, invite) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/invites",
        Some(json!({"email": to.to_uppercase(), "role": "sales"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{invite}");
    assert_eq!(invite["status"], "pending");
    assert_eq!(invite["email"], to.as_str(), "normalized");
    let token = invite_token(&sink, &to, 1).await;
    assert!(sink.wait_for(&to, WAIT).await.html().contains("/invite/"));

    let (status, preview) = public(&app, Method::GET, &format!("/invites/{token}"), None).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(
        (
            preview["role"].as_str(),
            preview["account_exists"].as_bool()
        ),
        (Some("sales"), Some(false))
    );

    // Weak password → 422 naming it; nothing created.
    let (status, problem) = public(
        &app,
        Method::POST,
        &format!("/invites/{token}/accept"),
        Some(json!({"name": "Nova", "password": "short"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "password");

    let (status, accepted) = public(
        &app,
        Method::POST,
        &format!("/invites/{token}/accept"),
        Some(json!({"name": "Nova Pessoa", "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["organization_id"], owner.org_id.to_string());
    let access = accepted["tokens"]["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .client
        .get(app.url("/api/v1/contacts"))
        .bearer_auth(&access)
        .header("x-org-id", owner.org_id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the new member works in the organization"
    );
    let (_, orgs) = {
        let res = app
            .client
            .get(app.url("/api/v1/organizations"))
            .bearer_auth(&access)
            .send()
            .await
            .unwrap();
        (res.status(), res.json::<Value>().await.unwrap())
    };
    assert_eq!(
        orgs["data"].as_array().unwrap().len(),
        1,
        "no personal organization: {orgs}"
    );

    // The link is spent.
    let (status, problem) = public(
        &app,
        Method::POST,
        &format!("/invites/{token}/accept"),
        Some(json!({"name": "Again", "password": PASSWORD})),
    )
    .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("invite_closed"))
    );
    let (_, list) = call(
        &app,
        &owner,
        Method::GET,
        "/organizations/current/invites",
        None,
    )
    .await;
    assert_eq!(list["data"][0]["status"], "accepted");
    let (_, audit) = call(
        &app,
        &owner,
        Method::GET,
        "/audit?action=invite.accepted",
        None,
    )
    .await;
    assert_eq!(audit["data"].as_array().map(Vec::len), Some(1));
}

async fn an_existing_user_accepts_signed_in_and_links_close(app: TestApp, sink: SmtpSink) {
    let owner = app.register(&email("inv-o2")).await;
    let guest = app.register(&email("inv-guest")).await;
    let stranger = app.register(&email("inv-stranger")).await;
    let (_, invite) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/invites",
        Some(json!({"email": guest.email, "role": "viewer"})),
    )
    .await;
    let first = invite_token(&sink, &guest.email, 1).await;

    // A second invite to the same address while one is pending.
    let (status, body) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/invites",
        Some(json!({"email": guest.email, "role": "viewer"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("invite_pending"))
    );

    // Resend: the old link dies, the new one works.
    let id = invite["id"].as_str().unwrap();
    let (status, _) = call(
        &app,
        &owner,
        Method::POST,
        &format!("/organizations/current/invites/{id}/resend"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let second = invite_token(&sink, &guest.email, 2).await;
    assert_ne!(first, second);
    let (status, _) = public(&app, Method::GET, &format!("/invites/{first}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, preview) = public(&app, Method::GET, &format!("/invites/{second}"), None).await;
    assert_eq!(
        (status, preview["account_exists"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    // Without signing in: the account exists → log in first.
    let (status, body) = public(
        &app,
        Method::POST,
        &format!("/invites/{second}/accept"),
        Some(json!({"name": "X", "password": PASSWORD})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("account_exists"))
    );
    // Signed in as someone else.
    let res = app
        .client
        .post(app.url(&format!("/api/v1/invites/{second}/accept")))
        .bearer_auth(&stranger.access)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    // As the invited account.
    let res = app
        .client
        .post(app.url(&format!("/api/v1/invites/{second}/accept")))
        .bearer_auth(&guest.access)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let in_org = Session {
        org_id: owner.org_id,
        ..guest.clone()
    };
    let (status, _) = call(&app, &in_org, Method::GET, "/leads", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &app,
        &in_org,
        Method::POST,
        "/contacts",
        Some(json!({"name": "V"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "joined with the invited role (viewer)"
    );

    // Revoked and expired links are refused; members cannot manage invites.
    let later = email("inv-later");
    let (_, other) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/invites",
        Some(json!({"email": later, "role": "sales"})),
    )
    .await;
    let token = invite_token(&sink, &later, 1).await;
    let (status, _) = call(
        &app,
        &in_org,
        Method::DELETE,
        &format!(
            "/organizations/current/invites/{}",
            other["id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &app,
        &owner,
        Method::DELETE,
        &format!(
            "/organizations/current/invites/{}",
            other["id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = public(&app, Method::GET, &format!("/invites/{token}"), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("invite_closed"))
    );

    let last = email("inv-expired");
    let (_, expiring) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/invites",
        Some(json!({"email": last, "role": "sales"})),
    )
    .await;
    let token = invite_token(&sink, &last, 1).await;
    let past = chrono::Utc::now() - chrono::Duration::days(1);
    app.exec_sql(
        "UPDATE invites SET expires_at = $1 WHERE email = $2",
        vec![past.into(), last.clone().into()],
    )
    .await;
    let (status, body) = public(&app, Method::GET, &format!("/invites/{token}"), None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("invite_closed"))
    );
    let (_, list) = call(
        &app,
        &owner,
        Method::GET,
        "/organizations/current/invites",
        None,
    )
    .await;
    let status_of = |id: &Value| {
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == *id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of(&expiring["id"]), "expired");
    assert_eq!(status_of(&other["id"]), "revoked");
}

async fn b2c_mode_turns_teams_off(app: TestApp) {
    let owner = app.register(&email("b2c")).await;
    let other = app.register(&email("b2c-other")).await;
    for (method, path, body) in [
        (
            Method::POST,
            "/organizations/current/invites",
            json!({"email": "x@example.com", "role": "sales"}),
        ),
        (Method::GET, "/organizations/current/invites", Value::Null),
        (
            Method::POST,
            "/organizations/current/members",
            json!({"email": other.email, "role": "sales"}),
        ),
        (Method::GET, "/organizations/current/members", Value::Null),
        (
            Method::POST,
            "/organizations",
            json!({"name": "A second one"}),
        ),
        (Method::GET, "/invites/any-token", Value::Null),
        (
            Method::POST,
            "/invites/any-token/accept",
            json!({"password": "long enough password"}),
        ),
    ] {
        let mut req = app.api(method.clone(), path, Some(&owner));
        if !body.is_null() {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        assert_problem(res, StatusCode::FORBIDDEN, "teams_disabled").await;
    }
    let (_, me) = call(&app, &owner, Method::GET, "/users/me", None).await;
    assert_eq!(me["teams_enabled"], false, "{me}");
    let (status, _) = call(
        &app,
        &owner,
        Method::POST,
        "/contacts",
        Some(json!({"name": "Still works"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

/// `POST /members` never makes anyone a member: it invites, and answers the
/// same whether or not the address has an account. Until the person accepts,
/// the organization sees none of their account's security events.
async fn adding_a_member_asks_them_first(app: TestApp, sink: SmtpSink) {
    let owner = app.register(&email("consent-owner")).await;
    let bob = app.register(&email("consent-bob")).await;
    let ghost = email("consent-ghost");
    let add = |to: &str| json!({"email": to, "role": "sales"});
    let (status, for_bob) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/members",
        Some(add(&bob.email)),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{for_bob}");
    let (status, for_ghost) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/members",
        Some(add(&ghost)),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{for_ghost}");
    let shape = |v: &Value| {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        (keys, v["status"].clone(), v["role"].clone())
    };
    assert_eq!(
        shape(&for_bob),
        shape(&for_ghost),
        "{for_bob} vs {for_ghost}"
    );
    assert_eq!(for_bob["status"], "pending");

    assert_eq!(member_ids(&app, &owner).await, [owner.user_id.to_string()]);
    let in_org = Session {
        org_id: owner.org_id,
        ..bob.clone()
    };
    let (status, _) = call(&app, &in_org, Method::GET, "/contacts", None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "not a member before accepting"
    );

    // Bob's failed sign-in before joining stays his own business (the
    // organization does see that he knocked on its door, above).
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": bob.email, "password": "wrong password here"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    app.settle_jobs("auth.login_failed").await;
    let (_, audit) = call(
        &app,
        &owner,
        Method::GET,
        &format!("/audit?actor={}", bob.user_id),
        None,
    )
    .await;
    assert!(
        audit["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"] != "security.login_failed"),
        "{audit}"
    );

    // Accepting the mailed link makes him a member and verifies his address.
    let token = invite_token(&sink, &bob.email, 1).await;
    let res = app
        .client
        .post(app.url(&format!("/api/v1/invites/{token}/accept")))
        .bearer_auth(&bob.access)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        member_ids(&app, &owner)
            .await
            .contains(&bob.user_id.to_string())
    );
    let (_, me) = call(&app, &bob, Method::GET, "/users/me", None).await;
    assert_eq!(me["email_verified"], true, "{me}");
}

async fn member_ids(app: &TestApp, owner: &Session) -> Vec<String> {
    let (_, list) = call(
        app,
        owner,
        Method::GET,
        "/organizations/current/members",
        None,
    )
    .await;
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_str().unwrap().to_string())
        .collect()
}
