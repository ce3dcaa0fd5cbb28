use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    register_returns_tokens_user_and_organization,
    register_rejects_duplicates_and_invalid_fields,
    login_does_not_reveal_whether_the_email_exists,
    refresh_rotates_and_reuse_revokes_the_family,
    logout_ends_the_session_at_once,
    concurrent_writes_do_not_lock_the_database,
);

async fn register_returns_tokens_user_and_organization(app: TestApp) {
    let res = app
        .api(Method::POST, "/auth/register", None)
        .json(
            &json!({"email": "  Maria.Silva@Example.COM ", "password": PASSWORD,
                      "name": "Maria Silva", "organization_name": "Agência Ótima"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body["access_token"].as_str().unwrap().len() > 20);
    assert!(body["refresh_token"].as_str().unwrap().starts_with("lcr_"));
    assert_eq!(body["user"]["email"], "maria.silva@example.com");
    assert_eq!(body["user"]["name"], "Maria Silva");
    assert_eq!(body["organization"]["name"], "Agência Ótima");
    assert_eq!(body["organization"]["role"], "owner");

    // The same shape on login, with the organization last used.
    let session = app.login("maria.silva@example.com").await;
    assert_eq!(session.org_id.to_string(), body["organization"]["id"]);
    let me: Value = app
        .api(Method::GET, "/users/me", Some(&session))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "maria.silva@example.com");
    assert_eq!(me["email_verified"], false);
    assert_eq!(me["teams_enabled"], true);
}

async fn register_rejects_duplicates_and_invalid_fields(app: TestApp) {
    let address = email("dup");
    app.register(&address).await;
    let res = app
        .api(Method::POST, "/auth/register", None)
        .json(&json!({"email": address.to_uppercase(), "password": PASSWORD, "name": "Again"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "email_taken").await;

    let res = app
        .api(Method::POST, "/auth/register", None)
        .json(&json!({"email": "not-an-email", "password": "short", "name": "  "}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password", "name"]);

    let same = email("same");
    let res = app
        .api(Method::POST, "/auth/register", None)
        .json(&json!({"email": same, "password": same, "name": "Same"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "password");
}

async fn login_does_not_reveal_whether_the_email_exists(app: TestApp) {
    let address = email("login");
    app.register(&address).await;
    let wrong_password = app
        .api(Method::POST, "/auth/login", None)
        .json(&json!({"email": address, "password": "wrong password here"}))
        .send()
        .await
        .unwrap();
    let unknown = app
        .api(Method::POST, "/auth/login", None)
        .json(&json!({"email": email("nobody"), "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let a = assert_problem(wrong_password, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let b = assert_problem(unknown, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(a, b, "both failures must look identical");
}

async fn refresh_rotates_and_reuse_revokes_the_family(app: TestApp) {
    let first = app.register(&email("refresh")).await;
    let refresh = |token: String| {
        app.api(Method::POST, "/auth/refresh", None)
            .json(&json!({ "refresh_token": token }))
            .send()
    };
    let res = refresh(first.refresh.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let second = crate::helpers::session_from(&res.json().await.unwrap());
    assert_ne!(second.refresh, first.refresh);
    assert_eq!(second.org_id, first.org_id);
    let ok = app
        .api(Method::GET, "/organizations/current", Some(&second))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);

    // Presenting the first token again is theft: the whole session ends.
    let reuse = refresh(first.refresh.clone()).await.unwrap();
    assert_problem(reuse, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let after = refresh(second.refresh.clone()).await.unwrap();
    assert_problem(after, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let denied = app
        .api(Method::GET, "/organizations/current", Some(&second))
        .send()
        .await
        .unwrap();
    assert_problem(denied, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // A token that never existed is simply refused.
    let bogus = refresh("lcr_nonsense".into()).await.unwrap();
    assert_problem(bogus, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn logout_ends_the_session_at_once(app: TestApp) {
    let address = email("logout");
    let session = app.register(&address).await;
    let other_device = app.login(&address).await;
    let res = app
        .api(Method::POST, "/auth/logout", Some(&session))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .api(Method::GET, "/users/me", Some(&session))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app
        .api(Method::POST, "/auth/refresh", None)
        .json(&json!({ "refresh_token": session.refresh }))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Other sessions of the same user are untouched.
    let res = app
        .api(Method::GET, "/users/me", Some(&other_device))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

/// Concurrent read-then-write transactions must wait for each other, not
/// fail with "database is locked" (SQLite) or deadlock (PostgreSQL).
async fn concurrent_writes_do_not_lock_the_database(app: TestApp) {
    let owner = app.register(&email("busy")).await;
    let creates = (0..24).map(|i| {
        app.api(Method::POST, "/organizations", Some(&owner))
            .json(&json!({ "name": format!("Org {i}") }))
            .send()
    });
    for res in futures_join_all(creates).await {
        assert_eq!(res.unwrap().status(), StatusCode::CREATED);
    }
    let list: Value = app
        .api(Method::GET, "/organizations", Some(&owner))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 25);
}

async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

mod rate_limits {
    use super::*;

    async fn per_ip_then_per_account(app: TestApp) {
        let address = email("limited");
        // Registration counts against the IP budget of 3.
        app.register(&address).await;
        for _ in 0..2 {
            let res = app
                .api(Method::POST, "/auth/login", None)
                .json(&json!({"email": address, "password": "wrong password here"}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        }
        let res = app
            .api(Method::POST, "/auth/login", None)
            .json(&json!({"email": address, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        let retry: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry));
        assert_eq!(res.headers()["ratelimit-limit"], "3");
        assert_eq!(res.headers()["ratelimit-remaining"], "0");
        assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    }

    /// Guessing a refresh token or an invitation token spends the same
    /// per-IP budget as guessing a password.
    async fn token_guessing(app: TestApp) {
        for attempt in 0..3 {
            let res = app
                .api(Method::POST, "/auth/refresh", None)
                .json(&json!({"refresh_token": format!("guess-{attempt}")}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        }
        let res = app
            .api(Method::POST, "/auth/refresh", None)
            .json(&json!({"refresh_token": "guess-4"}))
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        let res = app
            .api(Method::POST, "/invites/guessed-token/accept", None)
            .json(&json!({"name": "Guesser", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    }

    async fn per_account(app: TestApp) {
        let address = email("account");
        // Registering counts against the account's budget of 2, like a login.
        app.register(&address).await;
        app.login(&address).await;
        let res = app
            .api(Method::POST, "/auth/login", None)
            .json(&json!({"email": address.to_uppercase(), "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    }

    #[tokio::test]
    async fn sqlite() {
        per_ip_then_per_account(TestApp::spawn_sqlite(|c| c.auth_rate_per_ip_per_minute = 3).await)
            .await;
        per_account(TestApp::spawn_sqlite(|c| c.login_rate_per_account_per_minute = 2).await).await;
        token_guessing(TestApp::spawn_sqlite(|c| c.auth_rate_per_ip_per_minute = 3).await).await;
    }

    #[tokio::test]
    async fn postgres() {
        if let Some(app) = TestApp::spawn_postgres(|c| c.auth_rate_per_ip_per_minute = 3).await {
            per_ip_then_per_account(app).await;
        }
        if let Some(app) =
            TestApp::spawn_postgres(|c| c.login_rate_per_account_per_minute = 2).await
        {
            per_account(app).await;
        }
        if let Some(app) = TestApp::spawn_postgres(|c| c.auth_rate_per_ip_per_minute = 3).await {
            token_guessing(app).await;
        }
    }
}

mod the_sign_in_limit_holds_across_nodes {
    use super::*;
    #[tokio::test]
    async fn sqlite() {
        across_nodes(TestApp::spawn_sqlite(|c| c.auth_rate_per_ip_per_minute = 3).await).await;
    }
    #[tokio::test]
    async fn postgres() {
        if let Some(app) = TestApp::spawn_postgres(|c| c.auth_rate_per_ip_per_minute = 3).await {
            across_nodes(app).await;
        }
    }
}

/// Three attempts a minute from one address, on two nodes of one database:
/// the second node's own (in-process) bucket is full, yet it refuses the
/// fourth, because the count is kept in the database.
async fn across_nodes(a: TestApp) {
    let b = a.another_node().await;
    // The windows are calendar minutes: start well inside one.
    let second = chrono::Utc::now().timestamp().rem_euclid(60);
    if second > 50 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - second) as u64)).await;
    }
    let attempt = |app: &TestApp| {
        app.api(Method::POST, "/auth/login", None)
            .json(&json!({"email": email("nobody"), "password": "wrong password here"}))
            .send()
    };
    for _ in 0..3 {
        let res = attempt(&a).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = attempt(&b).await.unwrap();
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}
