use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, email};
use crate::on_both;

on_both!(health_metrics_and_docs);

async fn health_metrics_and_docs(app: TestApp) {
    let res = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        serde_json::json!({"status": "ok"})
    );

    let detailed: Value = app
        .client
        .get(app.url("/health/detailed"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detailed["status"], "ok");
    assert_eq!(detailed["database"]["status"], "ok");
    assert_eq!(detailed["migrations"]["status"], "ok");
    assert_eq!(detailed["migrations"]["version"], "m0005_jobs_email");
    assert_eq!(detailed["jobs"]["status"], "ok");
    let backend = detailed["database"]["backend"].as_str().unwrap();
    assert_eq!(
        backend == "postgres",
        app.backend == crate::helpers::Backend::Postgres
    );

    app.register(&email("metrics")).await;
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(
        metrics.contains("route=\"/api/v1/auth/register\""),
        "{metrics}"
    );
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
    assert!(metrics.contains("db_pool_connections"));

    let res = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/organizations",
        "/api/v1/organizations/current",
        "/api/v1/organizations/current/members",
        "/api/v1/audit",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());

    // The docs page and its assets are served by the binary, with no CDN.
    let res = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger-ui"));
    for tag in html.split("src=\"").skip(1) {
        let src = tag.split('"').next().unwrap();
        assert!(!src.starts_with("http"), "external asset {src}");
        let asset = app
            .client
            .get(app.url(&format!("/docs/{}", src.trim_start_matches("./"))))
            .send()
            .await
            .unwrap();
        assert_eq!(asset.status(), StatusCode::OK, "{src}");
    }
    let init = app
        .client
        .get(app.url("/docs/swagger-initializer.js"))
        .send()
        .await
        .unwrap();
    assert!(init.text().await.unwrap().contains("/api/v1/openapi.json"));
}
