//! Per-member and per-organization API limits with `RateLimit-*` headers.

use reqwest::{Method, StatusCode};

use crate::helpers::{TestApp, assert_problem, email};

mod member_and_organization_budgets {
    fn tight(c: &mut lovedcrm::config::Config) {
        c.api_rate_per_user_per_minute = 4;
        c.api_rate_per_org_per_minute = 6;
    }
    #[tokio::test]
    async fn sqlite() {
        super::member_and_organization_budgets(crate::helpers::TestApp::spawn_sqlite(tight).await)
            .await;
    }
    #[tokio::test]
    async fn postgres() {
        if let Some(app) = crate::helpers::TestApp::spawn_postgres(tight).await {
            super::member_and_organization_budgets(app).await;
        }
    }
}

fn header(res: &reqwest::Response, name: &str) -> u64 {
    res.headers()[name].to_str().unwrap().parse().unwrap()
}

async fn member_and_organization_budgets(app: TestApp) {
    // The budgets refill with time: stopped, what they hold is exact however
    // slow the machine is, and refilling is a step the test takes.
    let clock = app.state.api_limits.clock().clone();
    clock.stop();
    let owner = app.register(&email("rl-owner")).await;
    let mate = app.register(&email("rl-mate")).await;
    let mate = app.add_member(&owner, &mate, "sales").await;
    let mut remaining = Vec::new();
    for _ in 0..4 {
        let res = app
            .api(Method::GET, "/contacts", Some(&owner))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, "ratelimit-limit"), 4);
        remaining.push(header(&res, "ratelimit-remaining"));
    }
    assert_eq!(remaining, [3, 2, 1, 0]);
    let res = app
        .api(Method::GET, "/contacts", Some(&owner))
        .send()
        .await
        .unwrap();
    assert!(header(&res, "retry-after") >= 1);
    assert_eq!(header(&res, "ratelimit-remaining"), 0);
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // The teammate has a budget of their own, until the organization's runs out.
    let res = app
        .api(Method::GET, "/contacts", Some(&mate))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .api(Method::GET, "/contacts", Some(&mate))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header(&res, "ratelimit-remaining"),
        0,
        "the organization's six are spent"
    );
    let res = app
        .api(Method::GET, "/contacts", Some(&mate))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // Another organization is not affected.
    let other = app.register(&email("rl-other")).await;
    let res = app
        .api(Method::GET, "/contacts", Some(&other))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "ratelimit-remaining"), 3);

    // Four a minute is one every fifteen seconds: after 15 s the owner has
    // one request again (the organization, six a minute, one every ten).
    clock.advance(std::time::Duration::from_secs(15));
    let res = app
        .api(Method::GET, "/contacts", Some(&owner))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "ratelimit-remaining"), 0);
    let res = app
        .api(Method::GET, "/contacts", Some(&owner))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}
