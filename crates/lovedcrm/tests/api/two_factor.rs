//! Two-factor authentication: setup, login challenge, replay, backup codes,
//! disabling, and organizations that require it.

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use totp_rs::{Builder, Secret, Totp};

use crate::helpers::{PASSWORD, Session, TestApp, assert_problem, email, session_from};
use crate::on_both;

on_both!(
    setup_confirm_and_login_with_a_challenge,
    wrong_codes_end_the_challenge_and_lock_the_account,
    disabling_needs_the_password_and_a_code,
    an_organization_can_require_two_factor,
);

/// The authenticator app of a test: the secret from setup.
pub struct Authenticator(Totp);

impl Authenticator {
    pub fn new(base32: &str) -> Self {
        let secret = Secret::try_from_base32(base32).unwrap();
        Self(
            Builder::new()
                .with_secret(secret.as_bytes().to_vec())
                .build()
                .unwrap(),
        )
    }

    /// The code `offset` steps from now.
    pub fn code(&self, offset: i64) -> String {
        let now = chrono::Utc::now().timestamp() + offset * 30;
        self.0.generate(now as u64).to_string()
    }

    /// A six-digit code valid in no step around now.
    pub fn wrong_code(&self) -> String {
        let near: Vec<String> = (-2..=2).map(|o| self.code(o)).collect();
        (0..1000)
            .map(|i| format!("{:06}", (i * 7919) % 1_000_000))
            .find(|c| !near.contains(c))
            .unwrap()
    }
}

async fn post(app: &TestApp, path: &str, s: Option<&Session>, body: Value) -> reqwest::Response {
    app.api(Method::POST, path, s)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Turns 2FA on for `s`; returns the app and the backup codes.
pub async fn enable(app: &TestApp, s: &Session) -> (Authenticator, Vec<String>) {
    let res = app
        .api(Method::POST, "/auth/2fa/setup", Some(s))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let setup: Value = res.json().await.unwrap();
    let auth = Authenticator::new(setup["secret"].as_str().unwrap());
    let res = post(
        app,
        "/auth/2fa/confirm",
        Some(s),
        json!({"code": auth.code(0)}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let codes = body["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (auth, codes)
}

/// Logs in with the password: the challenge token (2FA must be on).
pub async fn challenge(app: &TestApp, address: &str) -> String {
    let res = post(
        app,
        "/auth/login",
        None,
        json!({"email": address, "password": PASSWORD}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["two_factor_required"], true, "{body}");
    assert!(body.get("access_token").is_none());
    assert_eq!(body["expires_in"], 300);
    body["challenge_token"].as_str().unwrap().to_string()
}

pub async fn second_factor(app: &TestApp, token: &str, code: &str) -> reqwest::Response {
    post(
        app,
        "/auth/login/2fa",
        None,
        json!({"challenge_token": token, "code": code}),
    )
    .await
}

async fn status(app: &TestApp, s: &Session) -> Value {
    app.api(Method::GET, "/auth/2fa", Some(s))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn setup_confirm_and_login_with_a_challenge(app: TestApp) {
    let address = email("totp");
    let s = app.register(&address).await;
    assert_eq!(
        status(&app, &s).await,
        json!({"enabled": false, "backup_codes_remaining": 0})
    );

    // Setup: secret, otpauth URL for "Loved CRM" and the account, a PNG.
    let res = app
        .api(Method::POST, "/auth/2fa/setup", Some(&s))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let setup: Value = res.json().await.unwrap();
    let url = setup["otpauth_url"].as_str().unwrap();
    assert!(url.starts_with("otpauth://totp/Loved%20CRM:"), "{url}");
    assert!(url.contains("issuer=Loved%20CRM"), "{url}");
    assert!(url.contains(&setup["secret"].as_str().unwrap().to_string()));
    let png = base64::engine::general_purpose::STANDARD
        .decode(setup["qr_png_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let auth = Authenticator::new(setup["secret"].as_str().unwrap());
    // Not on until confirmed: login still answers tokens.
    app.login(&address).await;

    let res = post(
        &app,
        "/auth/2fa/confirm",
        Some(&s),
        json!({"code": auth.wrong_code()}),
    )
    .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "code");
    let confirmed = auth.code(0);
    let res = post(
        &app,
        "/auth/2fa/confirm",
        Some(&s),
        json!({"code": confirmed}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["enabled"], true);
    let codes: Vec<String> = body["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(
        status(&app, &s).await,
        json!({"enabled": true, "backup_codes_remaining": 10})
    );

    // Login now needs the second factor.
    let token = challenge(&app, &address).await;
    let res = second_factor(&app, &token, &auth.wrong_code()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The code that confirmed the setup was used: a replay is refused.
    let res = second_factor(&app, &token, &confirmed).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let next = auth.code(1);
    let res = second_factor(&app, &token, &next).await;
    assert_eq!(res.status(), StatusCode::OK);
    let signed_in = session_from(&res.json().await.unwrap());
    assert_eq!(signed_in.user_id, s.user_id);
    let res = app
        .api(Method::GET, "/users/me", Some(&signed_in))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // The challenge is single use, and so is the code in its window.
    let res = second_factor(&app, &token, &auth.code(1)).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let token = challenge(&app, &address).await;
    let res = second_factor(&app, &token, &next).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // A backup code works once, however it is typed.
    let res = second_factor(&app, &token, &format!(" {} ", codes[0].to_uppercase())).await;
    assert_eq!(res.status(), StatusCode::OK);
    let token = challenge(&app, &address).await;
    let res = second_factor(&app, &token, &codes[0]).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(status(&app, &s).await["backup_codes_remaining"], 9);

    // A bogus challenge is refused like an expired one.
    let res = second_factor(&app, "lch_nonsense", &auth.code(0)).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Setup again while on is a conflict.
    let res = app
        .api(Method::POST, "/auth/2fa/setup", Some(&s))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "two_factor_enabled").await;
}

async fn wrong_codes_end_the_challenge_and_lock_the_account(app: TestApp) {
    let address = email("guess");
    let s = app.register(&address).await;
    let (auth, _) = enable(&app, &s).await;
    let token = challenge(&app, &address).await;
    for _ in 0..5 {
        let res = second_factor(&app, &token, &auth.wrong_code()).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // The fifth wrong code ended the challenge: the right one comes too late.
    let res = second_factor(&app, &token, &auth.code(1)).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // And the failures count against the account like wrong passwords.
    let res = post(
        &app,
        "/auth/login",
        None,
        json!({"email": address, "password": PASSWORD}),
    )
    .await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "account_locked").await;
}

async fn disabling_needs_the_password_and_a_code(app: TestApp) {
    let address = email("off");
    let s = app.register(&address).await;
    let (auth, codes) = enable(&app, &s).await;

    // New backup codes replace the old ones.
    let res = post(
        &app,
        "/auth/2fa/backup-codes",
        Some(&s),
        json!({"password": PASSWORD, "code": codes[1]}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let fresh: Value = res.json().await.unwrap();
    let fresh = fresh["backup_codes"][0].as_str().unwrap().to_string();
    assert_eq!(status(&app, &s).await["backup_codes_remaining"], 10);

    let res = post(
        &app,
        "/auth/2fa/disable",
        Some(&s),
        json!({"password": "not the password", "code": auth.code(1)}),
    )
    .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "password");
    let res = post(
        &app,
        "/auth/2fa/disable",
        Some(&s),
        json!({"password": PASSWORD, "code": codes[2]}),
    )
    .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "code");
    let res = post(
        &app,
        "/auth/2fa/disable",
        Some(&s),
        json!({"password": PASSWORD, "code": fresh}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        status(&app, &s).await,
        json!({"enabled": false, "backup_codes_remaining": 0})
    );
    // Tokens straight from the password again.
    app.login(&address).await;
    let res = post(
        &app,
        "/auth/2fa/disable",
        Some(&s),
        json!({"password": PASSWORD, "code": auth.code(0)}),
    )
    .await;
    assert_problem(res, StatusCode::CONFLICT, "two_factor_not_enabled").await;
}

async fn an_organization_can_require_two_factor(app: TestApp) {
    let owner = app.register(&email("strict-owner")).await;
    let member = app.register(&email("strict-member")).await;
    let member = app.add_member(&owner, &member, "sales").await;
    let patch = |s: &Session, on: bool| {
        app.api(Method::PATCH, "/organizations/current", Some(s))
            .json(&json!({"require_two_factor": on}))
            .send()
    };

    // Only an admin who has 2FA may require it.
    let res = patch(&owner, true).await.unwrap();
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "require_two_factor");
    enable(&app, &owner).await;
    let res = patch(&member, true).await.unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = patch(&owner, true).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let org: Value = res.json().await.unwrap();
    assert_eq!(org["require_two_factor"], true);

    // The member without 2FA is stopped at every tenant endpoint…
    for path in ["/contacts", "/organizations/current", "/leads"] {
        let res = app
            .api(Method::GET, path, Some(&member))
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::FORBIDDEN, "two_factor_required").await;
    }
    // …but may still reach their account, list organizations and set 2FA up.
    for path in ["/users/me", "/organizations", "/auth/sessions", "/auth/2fa"] {
        let res = app
            .api(Method::GET, path, Some(&member))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    }
    enable(&app, &member).await;
    let res = app
        .api(Method::GET, "/contacts", Some(&member))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let org: Value = app
        .api(Method::GET, "/organizations/current", Some(&owner))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(org["require_two_factor"], true);
}
