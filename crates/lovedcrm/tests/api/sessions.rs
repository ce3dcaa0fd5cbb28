//! Sessions: the list with parsed devices, revoking one or all others, idle
//! and absolute expiry, password change, account deletion and lock-out.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{PASSWORD, Session, TestApp, assert_problem, email, session_from};
use crate::on_both;

on_both!(
    sessions_list_devices_and_the_current_one,
    revoking_a_session_stops_its_tokens_at_once,
    revoke_others_keeps_only_the_current_session,
    idle_and_absolute_expiry_end_sessions,
    last_seen_is_written_at_most_once_a_minute,
    changing_the_password_ends_the_other_sessions,
    deleting_the_account,
    repeated_failures_lock_the_email_out,
    the_web_app_keeps_its_refresh_token_in_an_http_only_cookie,
);

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
     (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async fn login_as(app: &TestApp, address: &str, agent: &str) -> Session {
    let res = app
        .api(Method::POST, "/auth/login", None)
        .header("user-agent", agent)
        .json(&json!({"email": address, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    session_from(&res.json().await.unwrap())
}

async fn list(app: &TestApp, s: &Session) -> Vec<Value> {
    let res = app
        .api(Method::GET, "/auth/sessions", Some(s))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The id of `s`'s own session.
async fn session_id(app: &TestApp, s: &Session) -> String {
    let all = list(app, s).await;
    let current: Vec<&Value> = all.iter().filter(|x| x["current"] == true).collect();
    assert_eq!(current.len(), 1, "exactly one current session: {all:?}");
    current[0]["id"].as_str().unwrap().to_string()
}

async fn status_of(app: &TestApp, s: &Session) -> StatusCode {
    app.api(Method::GET, "/users/me", Some(s))
        .send()
        .await
        .unwrap()
        .status()
}

async fn refresh_status(app: &TestApp, s: &Session) -> StatusCode {
    app.api(Method::POST, "/auth/refresh", None)
        .json(&json!({"refresh_token": s.refresh}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn sessions_list_devices_and_the_current_one(app: TestApp) {
    let address = email("devices");
    app.register(&address).await;
    let desktop = login_as(&app, &address, FIREFOX).await;
    login_as(&app, &address, IPHONE).await;
    let all = list(&app, &desktop).await;
    assert_eq!(all.len(), 3, "{all:?}");
    let current: Vec<&Value> = all.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["device"], "Desktop");
    assert_eq!(current[0]["browser"], "Firefox");
    assert_eq!(current[0]["os"], "Linux");
    assert_eq!(current[0]["ip"], "127.0.0.1");
    for key in ["created_at", "last_seen_at", "expires_at"] {
        assert!(current[0][key].as_str().unwrap().ends_with('Z'), "{key}");
    }
    let phone = all.iter().find(|s| s["browser"] == "Safari").unwrap();
    assert_eq!(phone["device"], "Mobile");
    assert_eq!(phone["os"], "iPhone");
    assert_eq!(phone["current"], false);
    // Registered without a user agent.
    assert!(all.iter().any(|s| s["device"] == "Unknown device"));
}

async fn revoking_a_session_stops_its_tokens_at_once(app: TestApp) {
    let address = email("revoke");
    let laptop = app.register(&address).await;
    let phone = login_as(&app, &address, IPHONE).await;
    let laptop_id = session_id(&app, &laptop).await;
    let phone_id = session_id(&app, &phone).await;

    // Another user cannot end it, nor learn that it exists.
    let stranger = app.register(&email("stranger")).await;
    let res = app
        .api(
            Method::DELETE,
            &format!("/auth/sessions/{laptop_id}"),
            Some(&stranger),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(status_of(&app, &laptop).await, StatusCode::OK);

    let res = app
        .api(
            Method::DELETE,
            &format!("/auth/sessions/{laptop_id}"),
            Some(&phone),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(status_of(&app, &laptop).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refresh_status(&app, &laptop).await,
        StatusCode::UNAUTHORIZED
    );
    let ids: Vec<Value> = list(&app, &phone)
        .await
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(phone_id)]);
    // Ended already: 404 again.
    let res = app
        .api(
            Method::DELETE,
            &format!("/auth/sessions/{laptop_id}"),
            Some(&phone),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .api(
            Method::DELETE,
            &format!("/auth/sessions/{}", Uuid::now_v7()),
            Some(&phone),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn revoke_others_keeps_only_the_current_session(app: TestApp) {
    let address = email("others");
    let a = app.register(&address).await;
    let b = app.login(&address).await;
    let c = app.login(&address).await;
    let res = app
        .api(Method::POST, "/auth/sessions/revoke-others", Some(&c))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"revoked": 2}));
    for s in [&a, &b] {
        assert_eq!(status_of(&app, s).await, StatusCode::UNAUTHORIZED);
        assert_eq!(refresh_status(&app, s).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(status_of(&app, &c).await, StatusCode::OK);
    assert_eq!(list(&app, &c).await.len(), 1);
}

async fn idle_and_absolute_expiry_end_sessions(app: TestApp) {
    // Unused for longer than the idle period (30 days by default).
    let idle = app.register(&email("idle")).await;
    let moved = app
        .exec_sql(
            "UPDATE sessions SET last_seen_at = $1 WHERE user_id = $2",
            vec![
                (Utc::now() - Duration::days(31)).into(),
                idle.user_id.into(),
            ],
        )
        .await;
    assert_eq!(moved, 1);
    assert_eq!(status_of(&app, &idle).await, StatusCode::UNAUTHORIZED);
    assert_eq!(refresh_status(&app, &idle).await, StatusCode::UNAUTHORIZED);

    // Used recently, but past the absolute lifetime.
    let old = app.register(&email("absolute")).await;
    assert_eq!(status_of(&app, &old).await, StatusCode::OK);
    app.exec_sql(
        "UPDATE sessions SET expires_at = $1 WHERE user_id = $2",
        vec![
            (Utc::now() - Duration::seconds(1)).into(),
            old.user_id.into(),
        ],
    )
    .await;
    assert_eq!(status_of(&app, &old).await, StatusCode::UNAUTHORIZED);
    assert_eq!(refresh_status(&app, &old).await, StatusCode::UNAUTHORIZED);

    // The list reports the earlier of the two expiries: idle, here.
    let fresh = app.register(&email("fresh")).await;
    let all = list(&app, &fresh).await;
    let expires: chrono::DateTime<Utc> = all[0]["expires_at"].as_str().unwrap().parse().unwrap();
    let left = expires - Utc::now();
    assert!(
        left > Duration::days(29) && left <= Duration::days(30),
        "{left}"
    );
}

async fn last_seen_is_written_at_most_once_a_minute(app: TestApp) {
    let s = app.register(&email("seen")).await;
    let before = Utc::now() - Duration::minutes(10);
    app.exec_sql(
        "UPDATE sessions SET last_seen_at = $1 WHERE user_id = $2",
        vec![before.into(), s.user_id.into()],
    )
    .await;
    assert_eq!(status_of(&app, &s).await, StatusCode::OK);
    let seen = |all: Vec<Value>| -> chrono::DateTime<Utc> {
        all[0]["last_seen_at"].as_str().unwrap().parse().unwrap()
    };
    let touched = seen(list(&app, &s).await);
    assert!(Utc::now() - touched < Duration::minutes(1), "{touched}");
    // Within the minute, requests do not write again.
    for _ in 0..3 {
        assert_eq!(status_of(&app, &s).await, StatusCode::OK);
    }
    assert_eq!(seen(list(&app, &s).await), touched);
}

async fn changing_the_password_ends_the_other_sessions(app: TestApp) {
    let address = email("newpass");
    let here = app.register(&address).await;
    let there = app.login(&address).await;
    let change = |current: &str, new: &str| {
        app.api(Method::POST, "/auth/password/change", Some(&here))
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    let res = change("wrong password!", "a brand new passphrase")
        .await
        .unwrap();
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "current_password");
    let res = change(PASSWORD, "short").await.unwrap();
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "new_password");
    assert_eq!(status_of(&app, &there).await, StatusCode::OK);

    let res = change(PASSWORD, "a brand new passphrase").await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(status_of(&app, &here).await, StatusCode::OK);
    assert_eq!(status_of(&app, &there).await, StatusCode::UNAUTHORIZED);
    assert_eq!(refresh_status(&app, &there).await, StatusCode::UNAUTHORIZED);
    let login = |password: &str| {
        app.api(Method::POST, "/auth/login", None)
            .json(&json!({"email": address, "password": password}))
            .send()
    };
    assert_eq!(
        login(PASSWORD).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login("a brand new passphrase").await.unwrap().status(),
        StatusCode::OK
    );
}

async fn deleting_the_account(app: TestApp) {
    let leaver = app.register(&email("leaver")).await;
    let personal = leaver.org_id;
    // Data in the personal organization goes with it.
    for (path, body) in [
        ("/contacts", json!({"name": "Ana Lima"})),
        ("/leads", json!({"full_name": "Big deal"})),
        ("/tasks", json!({"name": "Call back"})),
    ] {
        let res = app
            .api(Method::POST, path, Some(&leaver))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "POST {path}");
    }
    // A team organization the leaver alone owns.
    let res = app
        .api(Method::POST, "/organizations", Some(&leaver))
        .json(&json!({"name": "Team Rocket"}))
        .send()
        .await
        .unwrap();
    let team: Value = res.json().await.unwrap();
    let in_team = Session {
        org_id: team["id"].as_str().unwrap().parse().unwrap(),
        ..leaver.clone()
    };
    let colleague = app.register(&email("colleague")).await;
    let colleague = app.add_member(&in_team, &colleague, "sales").await;

    let delete = |password: &str| {
        app.api(Method::DELETE, "/users/me", Some(&leaver))
            .json(&json!({"password": password}))
            .send()
    };
    let res = delete("not the password").await.unwrap();
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "password");
    let res = delete(PASSWORD).await.unwrap();
    let body = assert_problem(res, StatusCode::CONFLICT, "last_owner").await;
    assert!(
        body["detail"].as_str().unwrap().contains("Team Rocket"),
        "{body}"
    );
    assert_eq!(status_of(&app, &leaver).await, StatusCode::OK);

    // Once the colleague is an owner too, the leaver may go.
    let res = app
        .api(
            Method::PATCH,
            &format!("/organizations/current/members/{}", colleague.user_id),
            Some(&in_team),
        )
        .json(&json!({"role": "owner"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = delete(PASSWORD).await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(status_of(&app, &leaver).await, StatusCode::UNAUTHORIZED);
    let res = app
        .api(Method::POST, "/auth/login", None)
        .json(&json!({"email": leaver.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The personal organization is gone; the team stays with the colleague.
    let gone = app
        .exec_sql(
            "UPDATE organizations SET name = name WHERE id = $1",
            vec![personal.into()],
        )
        .await;
    assert_eq!(gone, 0);
    // So is everything in it, and the user with their sessions and memberships.
    for table in [
        "contacts",
        "leads",
        "tasks",
        "pipelines",
        "memberships",
        "audit_log",
    ] {
        let left = app
            .exec_sql(
                &format!("UPDATE {table} SET organization_id = organization_id WHERE organization_id = $1"),
                vec![personal.into()],
            )
            .await;
        assert_eq!(left, 0, "{table} rows of the deleted organization remain");
    }
    for (table, column) in [
        ("users", "id"),
        ("sessions", "user_id"),
        ("memberships", "user_id"),
    ] {
        let left = app
            .exec_sql(
                &format!("UPDATE {table} SET {column} = {column} WHERE {column} = $1"),
                vec![leaver.user_id.into()],
            )
            .await;
        assert_eq!(left, 0, "{table} rows of the deleted user remain");
    }
    let members: Value = app
        .api(
            Method::GET,
            "/organizations/current/members",
            Some(&colleague),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let members = members["data"].as_array().unwrap();
    assert_eq!(members.len(), 1, "{members:?}");
    assert_eq!(members[0]["role"], "owner");
    // The email may be used again.
    app.register(&leaver.email).await;
}

async fn repeated_failures_lock_the_email_out(app: TestApp) {
    let address = email("locked");
    app.register(&address).await;
    let unknown = email("nobody");
    let attempt = |who: &str, password: &str| {
        app.api(Method::POST, "/auth/login", None)
            .json(&json!({"email": who, "password": password}))
            .send()
    };
    for who in [&address, &unknown] {
        for _ in 0..5 {
            let res = attempt(who, "wrong password here").await.unwrap();
            assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
        }
    }
    // Locked now, even with the right password, and an unknown email looks
    // exactly the same.
    let mut bodies = Vec::new();
    for who in [&address, &unknown] {
        let res = attempt(who, PASSWORD).await.unwrap();
        let retry: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=61).contains(&retry), "{retry}");
        bodies.push(assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "account_locked").await);
    }
    assert_eq!(bodies[0], bodies[1]);
}

/// `X-Refresh-Transport: cookie`: the refresh token never reaches a script
/// (an `HttpOnly`, `SameSite=Strict` cookie scoped to the auth path), the
/// refresh reads it from there and rotates it, a spent one is refused, and
/// logging out clears it. Without the header, tokens stay in the body.
async fn the_web_app_keeps_its_refresh_token_in_an_http_only_cookie(app: TestApp) {
    let address = email("cookie");
    app.register(&address).await;
    let cookie_of = |res: &reqwest::Response| -> String {
        let set = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("lovedcrm_refresh="))
            .expect("a refresh cookie");
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
            assert!(set.contains(attribute), "{attribute} missing: {set}");
        }
        set.split(';').next().unwrap().to_string()
    };
    let res = app
        .api(Method::POST, "/auth/login", None)
        .header("x-refresh-transport", "cookie")
        .json(&json!({"email": address, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let first = cookie_of(&res);
    let body: Value = res.json().await.unwrap();
    assert!(body["access_token"].is_string());
    assert!(
        body.get("refresh_token").is_none(),
        "not for scripts: {body}"
    );

    let refresh = |cookie: String| {
        app.api(Method::POST, "/auth/refresh", None)
            .header("x-refresh-transport", "cookie")
            .header("cookie", cookie)
            .json(&json!({}))
            .send()
    };
    let res = refresh(first.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let second = cookie_of(&res);
    assert_ne!(first, second, "rotated");
    let body: Value = res.json().await.unwrap();
    let access = body["access_token"].as_str().unwrap().to_string();
    assert!(body.get("refresh_token").is_none());

    // Logging out clears the cookie.
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&access)
        .header("x-refresh-transport", "cookie")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let cleared = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("lovedcrm_refresh=;"))
        .expect("the cookie cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let res = refresh(second).await.unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // A spent token from the cookie is refused too.
    let res = refresh(first).await.unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Neither body nor cookie: 401, not a crash.
    let res = app
        .api(Method::POST, "/auth/refresh", None)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // API clients that do not ask keep their tokens in the body.
    let res = app
        .api(Method::POST, "/auth/login", None)
        .json(&json!({"email": address, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("set-cookie").is_none());
    let body: Value = res.json().await.unwrap();
    assert!(body["refresh_token"].is_string());
}
