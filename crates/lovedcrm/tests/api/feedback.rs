//! Feedback from the app: stored with its page, browser and screenshot,
//! read by admins only, mailed to the configured address, limited per member.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, email};
use crate::smtp_sink::SmtpSink;

const FEEDBACK_TO: &str = "product@lovedcrm.example";
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

mod feedback_is_kept_for_admins_mailed_and_limited {
    #[tokio::test]
    async fn sqlite() {
        let sink = crate::smtp_sink::SmtpSink::start().await;
        let app = crate::helpers::TestApp::spawn_sqlite(|c| super::config(c, &sink)).await;
        super::feedback_is_kept_for_admins_mailed_and_limited(app, sink).await;
    }
    #[tokio::test]
    async fn postgres() {
        let sink = crate::smtp_sink::SmtpSink::start().await;
        if let Some(app) =
            crate::helpers::TestApp::spawn_postgres(|c| super::config(c, &sink)).await
        {
            super::feedback_is_kept_for_admins_mailed_and_limited(app, sink).await;
        }
    }
}

fn config(c: &mut lovedcrm::config::Config, sink: &SmtpSink) {
    crate::email_flows::smtp(c, sink);
    c.feedback_email = Some(FEEDBACK_TO.into());
    c.feedback_per_member_per_hour = 10;
}

async fn feedback_is_kept_for_admins_mailed_and_limited(app: TestApp, sink: SmtpSink) {
    let owner = app.register(&email("fb-owner")).await;
    let sales = app.register(&email("fb-sales")).await;
    let sales = app.add_member(&owner, &sales, "sales").await;
    let res = app
        .api(Method::POST, "/feedback", Some(&sales))
        .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131")
        .json(
            &json!({"category": "bug", "message": "The board froze when I dropped a card",
                      "page": "/pipeline", "app_version": "0.9.0", "screenshot": PNG}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let sent: Value = res.json().await.unwrap();
    assert_eq!(sent["has_screenshot"], true);
    assert_eq!(
        sent["browser"],
        "Mozilla/5.0 (X11; Linux x86_64) Chrome/131"
    );

    // The server's administrator gets it by mail, with who and where.
    let mail = sink.wait_for(FEEDBACK_TO, Duration::from_secs(10)).await;
    let text = mail.text();
    assert!(
        text.contains("The board froze when I dropped a card"),
        "{text}"
    );
    assert!(
        text.contains("/pipeline") && text.contains(&sales.email),
        "{text}"
    );
    assert!(mail.header("subject").unwrap_or_default().contains("bug"));

    // Admins read it and its screenshot; the sender, a sales member, may not.
    let res = app
        .api(Method::GET, "/feedback", Some(&sales))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .api(Method::GET, "/feedback", Some(&owner))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page: Value = res.json().await.unwrap();
    assert_eq!(
        page["data"][0]["message"],
        "The board froze when I dropped a card"
    );
    assert_eq!(page["data"][0]["user_id"], json!(sales.user_id));
    assert_eq!(page["data"][0]["page"], "/pipeline");
    assert!(page["data"][0].get("screenshot").is_none());
    let id = sent["id"].as_str().unwrap();
    let res = app
        .api(
            Method::GET,
            &format!("/feedback/{id}/screenshot"),
            Some(&owner),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let res = app
        .api(
            Method::GET,
            &format!("/feedback/{id}/screenshot"),
            Some(&sales),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Another organization never sees it.
    let stranger = app.register(&email("fb-stranger")).await;
    let res = app
        .api(Method::GET, &format!("/feedback/{id}"), Some(&stranger))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Bad input names its field.
    for (body, field) in [
        (json!({"category": "rant", "message": "x"}), "category"),
        (json!({"category": "idea", "message": "  "}), "message"),
        (
            json!({"category": "idea", "message": "x", "screenshot": "data:text/html;base64,PGI+"}),
            "screenshot",
        ),
    ] {
        let res = app
            .api(Method::POST, "/feedback", Some(&owner))
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem =
            assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    // A screenshot over the limit is refused before it is read whole.
    let huge = format!("data:image/png;base64,{}", "A".repeat(6 * 1024 * 1024));
    let res = app
        .api(Method::POST, "/feedback", Some(&owner))
        .json(&json!({"category": "bug", "message": "big", "screenshot": huge}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Ten an hour per member; the eleventh waits, with Retry-After.
    for i in 1..10 {
        let res = app
            .api(Method::POST, "/feedback", Some(&sales))
            .json(&json!({"category": "idea", "message": format!("idea {i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "feedback {i}");
    }
    let res = app
        .api(Method::POST, "/feedback", Some(&sales))
        .json(&json!({"category": "idea", "message": "one too many"}))
        .send()
        .await
        .unwrap();
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 3000 && retry <= 3600, "retry-after {retry}");
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // The owner's own budget is untouched.
    let res = app
        .api(Method::POST, "/feedback", Some(&owner))
        .json(&json!({"category": "question", "message": "how do I import?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .api(Method::GET, "/feedback?limit=100", Some(&owner))
        .send()
        .await
        .unwrap();
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 11);
}
