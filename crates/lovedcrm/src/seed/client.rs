//! A minimal in-process HTTP client for the API router.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use uuid::Uuid;

use super::demo::SeedError;

/// Calls the API as one member acting in one organization.
#[derive(Clone)]
pub struct Client {
    pub router: Router,
    pub token: String,
    pub org: Uuid,
}

impl Client {
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, SeedError> {
        send(
            &self.router,
            method,
            path,
            body,
            Some((&self.token, self.org)),
        )
        .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Result<Value, SeedError> {
        self.call(Method::POST, path, Some(body)).await
    }
}

pub async fn send(
    router: &Router,
    method: Method,
    path: &str,
    body: Option<Value>,
    auth: Option<(&str, Uuid)>,
) -> Result<Value, SeedError> {
    let mut request = Request::builder()
        .method(method.clone())
        .uri(format!("/api/v1{path}"));
    if let Some((token, org)) = auth {
        request = request
            .header("authorization", format!("Bearer {token}"))
            .header("x-org-id", org.to_string());
    }
    let request = match body {
        Some(b) => request
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => request.body(Body::empty()),
    }
    .map_err(|e| SeedError::Api(e.to_string()))?;
    let response = router
        .clone()
        .oneshot(request)
        .await
        .map_err(|e| SeedError::Api(e.to_string()))?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| SeedError::Api(e.to_string()))?
        .to_bytes();
    if !status.is_success() {
        return Err(SeedError::Api(format!(
            "{method} {path} answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        )));
    }
    if status == StatusCode::NO_CONTENT || bytes.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&bytes).map_err(|e| SeedError::Api(e.to_string()))
}
