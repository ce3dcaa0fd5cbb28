//! The web app, served by the binary as an SPA fallback behind the API.
//!
//! Every request no API route matched lands here (crates.io's
//! `static_or_continue` idea): `/api/*` keeps its problem+json 404, a built
//! file is answered from memory (precompressed `.br`/`.gz` when the client
//! accepts them), and any other page path gets `index.html` so the app's
//! router can take it. Without a build the server still runs and `GET /`
//! explains how to build the UI.
//!
//! Hashed files under `assets/` are cached for a year; `index.html` is
//! revalidated on every load so a new release is picked up at once.

mod assets;
mod page;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::config::Config;
use crate::error::DomainError;
use assets::{AssetSet, Encoding};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// What the fallback serves: the files of one web build and the prepared index page.
struct WebApp {
    assets: AssetSet,
    /// `index.html` with the base path injected; `None` without a build.
    index: Option<String>,
    /// The index page's Content-Security-Policy.
    csp: HeaderValue,
    base_path: String,
}

/// The fallback service for the route table: the web app, or a problem+json
/// 404 for unknown API paths.
pub fn service(config: &Config) -> Router {
    let assets = match &config.web_dir {
        Some(dir) => AssetSet::from_dir(dir).unwrap_or_else(|e| {
            tracing::warn!(dir = %dir.display(), error = %e, "cannot read LOVEDCRM_WEB_DIR; serving no web app");
            AssetSet::default()
        }),
        None => AssetSet::embedded(),
    };
    let base_path = normalize_base_path(&config.base_path);
    let index = assets
        .get("index.html")
        .map(|file| page::inject_config(&String::from_utf8_lossy(&file.raw), &base_path));
    if index.is_none() {
        tracing::info!("no web build embedded; GET / explains how to build it");
    }
    let csp = page::content_security_policy(index.as_deref().unwrap_or(""));
    let csp = HeaderValue::from_str(&csp)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    let app = Arc::new(WebApp {
        assets,
        index,
        csp,
        base_path,
    });
    Router::new().fallback(serve).with_state(app)
}

/// `crm` or `/crm` or `/crm/` → `/crm/`; empty → `/`.
pub fn normalize_base_path(raw: &str) -> String {
    let trimmed = raw.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

async fn serve(State(app): State<Arc<WebApp>>, req: Request) -> Response {
    let path = req.uri().path();
    if is_api(path) || !(req.method() == Method::GET || req.method() == Method::HEAD) {
        return DomainError::NoRoute(format!("there is no endpoint at {path}")).into_response();
    }
    // A proxy normally strips the base path; tolerate one that does not.
    let relative = path
        .strip_prefix(app.base_path.as_str())
        .or_else(|| path.strip_prefix('/'))
        .unwrap_or(path);

    let Some(index) = &app.index else {
        let mut res = page::no_build();
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, app.csp.clone());
        return res;
    };
    if !relative.is_empty() && relative != "index.html" {
        if let Some(file) = app.assets.get(relative) {
            let encoding = Encoding::negotiate(req.headers(), file);
            return asset_response(relative, file, encoding);
        }
        if looks_like_file(relative) {
            return (StatusCode::NOT_FOUND, "not found").into_response();
        }
    }
    let mut res = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, NO_CACHE),
        ],
        index.clone(),
    )
        .into_response();
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    res.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, app.csp.clone());
    res
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// A missing `app-1a2b.js` must be a 404, not the index page parsed as JavaScript.
fn looks_like_file(relative: &str) -> bool {
    relative.starts_with("assets/")
        || relative
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

fn asset_response(path: &str, file: &assets::Asset, encoding: Encoding) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(assets::content_type(path)),
    );
    let cache = if path.starts_with("assets/") {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    let body = match encoding {
        Encoding::Brotli(bytes) | Encoding::Gzip(bytes) => {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(encoding.name()),
            );
            bytes.clone()
        }
        Encoding::Identity => file.raw.clone(),
    };
    (headers, body).into_response()
}
