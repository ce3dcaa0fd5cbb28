//! What the server believes about where a request comes from: the client
//! address behind a trusted proxy (never what the client wrote into
//! `X-Forwarded-For` itself), which browser origins may call the API, and
//! who may read the monitoring endpoints.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, assert_problem, email};

macro_rules! on_both_with {
    ($tweak:expr => $($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(crate::helpers::TestApp::spawn_sqlite($tweak).await).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(app) = crate::helpers::TestApp::spawn_postgres($tweak).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

fn behind_two_proxies(c: &mut lovedcrm::config::Config) {
    c.trust_proxy = true;
    c.trust_proxy_hops = 2;
    c.auth_rate_per_ip_per_minute = 3;
    c.cors_origins = "https://app.example.com, https://admin.example.com".into();
}

on_both_with!(super::behind_two_proxies =>
    the_client_address_is_the_one_the_proxies_vouch_for,
    only_the_configured_origins_may_call_from_a_browser,
    monitoring_answers_this_machine_only,
);
on_both_with!(|_: &mut lovedcrm::config::Config| {} =>
    without_a_trusted_proxy_forwarded_headers_are_ignored,
    every_answer_carries_the_browser_security_headers,
);
on_both_with!(super::served_over_https =>
    over_https_browsers_are_told_to_stay_on_it,
);

fn served_over_https(c: &mut lovedcrm::config::Config) {
    c.public_url = "https://crm.example.com".into();
}

/// Pages, API answers and errors alike: no sniffing, no framing, no Referer
/// to other sites; pages also a Content-Security-Policy that runs no script
/// but this origin's and the page's own (by hash).
async fn every_answer_carries_the_browser_security_headers(app: TestApp) {
    for path in ["/", "/leads", "/api/v1/contacts", "/api/v1/nope", "/health"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert!(
            h.get("strict-transport-security").is_none(),
            "plain http: {path}"
        );
    }
    for path in ["/", "/leads/0193b1f2-6c1e-7cc0-8d61-0f3a1c2b4d5e"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("object-src 'none'"), "{csp}");
        let scripts = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_default();
        assert!(!scripts.contains("unsafe-inline"), "{csp}");
        assert!(!scripts.contains("unsafe-eval"), "{csp}");
    }
}

async fn over_https_browsers_are_told_to_stay_on_it(app: TestApp) {
    let res = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}
on_both_with!(super::with_an_ops_token =>
    monitoring_answers_the_ops_token_only,
);

fn with_an_ops_token(c: &mut lovedcrm::config::Config) {
    c.ops_token = Some(lovedcrm::config::Redacted(OPS_TOKEN.into()));
}

const OPS_TOKEN: &str = "ops-6b1f0c2a9d";
const MONITORING: [&str; 2] = ["/health/detailed", "/metrics"];

/// Behind the proxies, the internet reaches `/health` but not the
/// operator's endpoints; a client on the proxy's machine does.
async fn monitoring_answers_this_machine_only(app: TestApp) {
    for path in MONITORING {
        let get = |forwarded: &'static str| {
            app.client
                .get(app.url(path))
                .header("x-forwarded-for", forwarded)
                .send()
        };
        let res = get("203.0.113.7, 198.51.100.2").await.unwrap();
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
        let res = get("127.0.0.1, 198.51.100.2").await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    let res = app
        .client
        .get(app.url("/health"))
        .header("x-forwarded-for", "203.0.113.7, 198.51.100.2")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

/// With a token configured, even this machine needs it.
async fn monitoring_answers_the_ops_token_only(app: TestApp) {
    for path in MONITORING {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
        let res = app
            .client
            .get(app.url(path))
            .bearer_auth("ops-wrong")
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
        let res = app
            .client
            .get(app.url(path))
            .bearer_auth(OPS_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
}

/// The IP address of `s`'s current session, as the sessions list shows it.
async fn session_ip(app: &TestApp, access: &str) -> Value {
    let sessions: Value = app
        .client
        .get(app.url("/api/v1/auth/sessions"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .unwrap()["ip"]
        .clone()
}

async fn login_via(app: &TestApp, address: &str, forwarded: &str) -> reqwest::Response {
    app.api(Method::POST, "/auth/login", None)
        .header("x-forwarded-for", forwarded)
        .json(&json!({"email": address, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
}

async fn the_client_address_is_the_one_the_proxies_vouch_for(app: TestApp) {
    let address = email("proxied");
    app.register(&address).await;
    // The client wrote 6.6.6.6; the CDN appended the client's real address,
    // then nginx the CDN's.
    let res = login_via(&app, &address, "6.6.6.6, 203.0.113.7, 198.51.100.2").await;
    assert_eq!(res.status(), StatusCode::OK);
    let access = res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(session_ip(&app, &access).await, "203.0.113.7");

    // So a client that makes up a new address for every attempt is still
    // counted as one: the per-IP limit (3 here) holds.
    let mut statuses = Vec::new();
    for n in 0..5 {
        let res = login_via(
            &app,
            &address,
            &format!("10.0.0.{n}, 203.0.113.9, 198.51.100.2"),
        )
        .await;
        statuses.push(res.status().as_u16());
    }
    assert!(
        statuses.contains(&429),
        "made-up addresses escaped the per-IP limit: {statuses:?}"
    );
}

async fn without_a_trusted_proxy_forwarded_headers_are_ignored(app: TestApp) {
    let address = email("direct");
    app.register(&address).await;
    let res = login_via(&app, &address, "6.6.6.6").await;
    let access = res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(session_ip(&app, &access).await, "127.0.0.1");
}

async fn only_the_configured_origins_may_call_from_a_browser(app: TestApp) {
    let s = app.register(&email("cors")).await;
    for (origin, allowed) in [
        ("https://app.example.com", true),
        ("https://admin.example.com", true),
        ("https://app.example.com.evil.test", false),
        ("null", false),
    ] {
        // The preflight a browser sends before a call with a token.
        let res = app
            .client
            .request(Method::OPTIONS, app.url("/api/v1/contacts"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type, x-org-id",
            )
            .send()
            .await
            .unwrap();
        let allow = res
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_string());
        assert_eq!(
            allow.as_deref() == Some(origin),
            allowed,
            "{origin}: {allow:?}"
        );
        // And the call itself: answered either way (CORS is the browser's
        // check), but only an allowed origin is told it may read it.
        let res = app
            .api(Method::GET, "/contacts", Some(&s))
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers().get("access-control-allow-origin").is_some(),
            allowed,
            "{origin}"
        );
    }
}
