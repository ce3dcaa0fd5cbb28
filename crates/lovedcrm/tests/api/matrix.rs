//! Tests driven by the OpenAPI document, so every documented operation,
//! including ones added later, is covered without editing a list:
//!
//! - `cross_org`: a member of B against every tenant operation, with A's
//!   `X-Org-Id` (403, audited) and with B's header but A's ids (404/4xx);
//!   nothing of A changes and nothing of A leaks.
//! - `fuzz`: malformed bodies, wrong types, huge strings, bad path ids and
//!   hostile query strings on every operation: 4xx problem+json, never 5xx.
//! - `docs`: every documented operation is routed and documents a 4xx; no
//!   undocumented method or resource answers.
//!
//! `world` creates one record of every kind and holds the tables that map
//! path parameters and request bodies onto those records.

mod conditional;
mod cross_org;
mod cursors;
mod docs;
mod fuzz;
mod spec;
mod world;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::TestApp;

/// What a request carries as its body.
#[derive(Debug, Clone)]
pub enum Payload {
    None,
    Json(Value),
    /// Bytes sent as `application/json` whatever they are.
    Raw(String),
}

/// A response, read once.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }

    /// Why this is not a well-formed problem+json, if it is not one.
    pub fn problem_defect(&self) -> Option<String> {
        if self.content_type != "application/problem+json" {
            return Some(format!("Content-Type is {:?}", self.content_type));
        }
        let body = self.json();
        for field in ["type", "title", "code"] {
            if !body[field].is_string() {
                return Some(format!("no string `{field}` in {}", short(&self.text)));
            }
        }
        if body["status"].as_u64() != Some(u64::from(self.status.as_u16())) {
            return Some(format!(
                "`status` {} is not the HTTP status",
                body["status"]
            ));
        }
        None
    }

    /// `status code: body` for messages.
    pub fn summary(&self) -> String {
        format!("{} {}", self.status.as_u16(), short(&self.text))
    }
}

/// The first 300 characters of `text`.
pub fn short(text: &str) -> String {
    let mut s: String = text.chars().take(300).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// Sends `method /api/v1{path}` with an optional bearer token and
/// `X-Org-Id`; `path` may carry a query string.
pub async fn send(
    app: &TestApp,
    method: &Method,
    path: &str,
    token: Option<&str>,
    org: Option<Uuid>,
    payload: &Payload,
) -> Reply {
    send_with(app, method, path, token, org, payload, &[]).await
}

/// `send` with extra headers, which replace the ones `send` sets.
pub async fn send_with(
    app: &TestApp,
    method: &Method,
    path: &str,
    token: Option<&str>,
    org: Option<Uuid>,
    payload: &Payload,
    headers: &[(&str, &str)],
) -> Reply {
    let mut req = app.api(method.clone(), path, None);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(org) = org {
        req = req.header("x-org-id", org.to_string());
    }
    req = match payload {
        Payload::None => req,
        Payload::Json(value) => req.json(value),
        Payload::Raw(text) => req
            .header("content-type", "application/json")
            .body(text.clone()),
    };
    // Built last, so that a header given here replaces the same one above.
    let mut built = req.build().unwrap();
    for (name, value) in headers {
        built.headers_mut().insert(
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            reqwest::header::HeaderValue::from_str(value).unwrap(),
        );
    }
    let res = app
        .client
        .execute(built)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = res.text().await.unwrap_or_default();
    Reply {
        status,
        content_type,
        text,
    }
}

/// What is wrong with `r` as the answer to bad input, if anything: a 5xx,
/// a non-4xx where only a refusal is right, or a 4xx that is no problem+json.
pub fn judge(r: &Reply, must_refuse: bool, what: &str) -> Option<String> {
    if r.status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        // The sweep tests the rate limiter instead of the endpoint.
        Some(format!(
            "{what}\n      RATE LIMITED: the request never reached the endpoint"
        ))
    } else if r.status.is_server_error() {
        Some(format!("{what}\n      SERVER ERROR {}", r.summary()))
    } else if must_refuse && !r.status.is_client_error() {
        Some(format!("{what}\n      expected a 4xx, got {}", r.summary()))
    } else if r.status.is_client_error() {
        let defect = r.problem_defect()?;
        Some(format!(
            "{what}\n      {} is not a problem: {defect}",
            r.status
        ))
    } else {
        None
    }
}

/// Fails with every collected violation at once.
pub fn assert_none(what: &str, violations: &[String]) {
    assert!(
        violations.is_empty(),
        "{what}: {} violation(s)\n  - {}",
        violations.len(),
        violations.join("\n  - ")
    );
}
