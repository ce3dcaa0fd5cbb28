//! The web app served by the binary: SPA fallback, caching, precompressed
//! files, the base path, and the page shown when no UI was built.

use std::path::Path;

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use serde_json::Value;

use crate::helpers::TestApp;

const INDEX: &str = "<!doctype html><html><head><!--lovedcrm:config--><title>Loved CRM</title></head>\
<body><script type=\"module\" src=\"./assets/app-1a2b3c.js\"></script></body></html>";
const JS: &str = "console.log('the app')";

/// A fake `web/dist`: index page, a hashed script with `.br`/`.gz` siblings, a favicon.
fn fake_build(dir: &Path) {
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("assets/app-1a2b3c.js"), JS).unwrap();
    std::fs::write(dir.join("assets/app-1a2b3c.js.br"), b"BROTLI-BYTES").unwrap();
    std::fs::write(dir.join("assets/app-1a2b3c.js.gz"), b"GZIP-BYTES").unwrap();
    std::fs::write(dir.join("favicon.svg"), "<svg/>").unwrap();
}

async fn with_build(base_path: &str) -> (TestApp, tempfile::TempDir) {
    let dist = tempfile::tempdir().unwrap();
    fake_build(dist.path());
    let path = dist.path().to_path_buf();
    let base = base_path.to_string();
    let app = TestApp::spawn_sqlite(move |c| {
        c.web_dir = Some(path);
        c.base_path = base;
    })
    .await;
    (app, dist)
}

async fn get(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url(path));
    if let Some(enc) = accept_encoding {
        req = req.header("accept-encoding", enc);
    }
    req.send().await.unwrap()
}

fn header(res: &reqwest::Response, name: reqwest::header::HeaderName) -> &str {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test]
async fn unknown_page_paths_get_the_index_page_uncached() {
    let (app, _dist) = with_build("/").await;
    for path in [
        "/",
        "/pipeline",
        "/leads/0190b5d2-0000-7000-8000-000000000000",
        "/index.html",
    ] {
        let res = get(&app, path, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&res, CACHE_CONTROL), "no-cache", "{path}");
        assert!(
            header(&res, CONTENT_TYPE).starts_with("text/html"),
            "{path}"
        );
        let body = res.text().await.unwrap();
        assert!(body.contains("<base href=\"/\">"), "{body}");
        assert!(
            body.contains(r#"window.__LOVEDCRM__={"basePath":"/"};"#),
            "{body}"
        );
        assert!(!body.contains("<!--lovedcrm:config-->"));
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_precompressed() {
    let (app, _dist) = with_build("/").await;
    let path = "/assets/app-1a2b3c.js";

    let res = get(&app, path, Some("gzip, deflate, br")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header(&res, CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(header(&res, CONTENT_TYPE).starts_with("text/javascript"));
    assert_eq!(header(&res, CONTENT_ENCODING), "br");
    assert!(header(&res, VARY).contains("accept-encoding"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"BROTLI-BYTES");

    let res = get(&app, path, Some("gzip")).await;
    assert_eq!(header(&res, CONTENT_ENCODING), "gzip");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"GZIP-BYTES");

    let res = get(&app, path, Some("br;q=0, gzip;q=0")).await;
    assert_eq!(header(&res, CONTENT_ENCODING), "");
    assert_eq!(res.text().await.unwrap(), JS);

    let res = get(&app, path, None).await;
    assert_eq!(header(&res, CONTENT_ENCODING), "");
    assert_eq!(res.text().await.unwrap(), JS);

    // Files outside assets/ are not hashed: revalidated like the index.
    let res = get(&app, "/favicon.svg", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, CONTENT_TYPE), "image/svg+xml");
    assert_eq!(header(&res, CACHE_CONTROL), "no-cache");
}

#[tokio::test]
async fn a_missing_file_is_a_404_not_the_index_page() {
    let (app, _dist) = with_build("/").await;
    for path in [
        "/assets/app-old999.js",
        "/robots.txt",
        "/assets/app-1a2b3c.js.br",
    ] {
        let res = get(&app, path, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(
            !header(&res, CONTENT_TYPE).starts_with("text/html"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_api_paths_keep_their_problem_json_404() {
    let (app, _dist) = with_build("/").await;
    for path in ["/api/v1/nope", "/api/v2/leads", "/api"] {
        let res = get(&app, path, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(header(&res, CONTENT_TYPE), "application/problem+json");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "no_route", "{path}");
    }
    // Writes to page paths are not pages either.
    let res = app.client.post(app.url("/pipeline")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&res, CONTENT_TYPE), "application/problem+json");
    // Real API routes still win over the fallback.
    let res = get(&app, "/health", None).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_base_path_is_injected_and_tolerated_in_requests() {
    let (app, _dist) = with_build("crm").await;
    let body = get(&app, "/pipeline", None).await.text().await.unwrap();
    assert!(body.contains("<base href=\"/crm/\">"), "{body}");
    assert!(body.contains(r#"{"basePath":"/crm/"}"#), "{body}");
    // Behind a proxy that strips the prefix assets are at /assets/…; one that
    // does not strip it sends /crm/assets/…: both work.
    for path in ["/assets/app-1a2b3c.js", "/crm/assets/app-1a2b3c.js"] {
        let res = get(&app, path, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.text().await.unwrap(), JS);
    }
}

#[tokio::test]
async fn without_a_build_the_root_explains_how_to_build_the_ui() {
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_path_buf();
    let app = TestApp::spawn_sqlite(move |c| c.web_dir = Some(path)).await;
    let res = get(&app, "/", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header(&res, CONTENT_TYPE).starts_with("text/html"));
    let body = res.text().await.unwrap();
    assert!(body.contains("make web"), "{body}");
    assert!(body.contains("npm ci &amp;&amp; npm run build"), "{body}");
    // The API is unaffected.
    let res = get(&app, "/api/v1/nope", None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&res, CONTENT_TYPE), "application/problem+json");
}

#[test]
fn the_openapi_subcommand_prints_the_served_document() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lovedcrm"))
        .arg("openapi")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/leads/{id}/stage"]["patch"].is_object());
}
