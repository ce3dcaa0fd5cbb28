//! The HTTP edge: routing, extractors, errors and middleware.

pub mod access;
pub mod api_limits;
mod auth_limit;
pub mod bulk;
pub mod context;
mod contract;
pub mod error;
pub mod json;
mod middleware;
pub mod path;
mod router;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

pub use router::{ApiDoc, api, build_router};

use error::DomainError;
use json::ApiJson;

/// The `X-Org-Id` header every tenant endpoint requires.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct OrgHeader {
    /// The organization to act in; the caller must be a member.
    #[serde(rename = "X-Org-Id")]
    #[allow(dead_code)]
    x_org_id: uuid::Uuid,
}

/// `If-Match` with the version last read; a stale one answers 412.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchHeader {
    #[serde(rename = "If-Match")]
    #[allow(dead_code)]
    if_match: Option<String>,
}

/// `Idempotency-Key` on a create: the same key from the same user within
/// 24 h answers with the first response (header `Idempotent-Replayed: true`)
/// instead of creating again; reused for a different request it is a 409.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKeyHeader {
    /// 1 to 255 visible ASCII characters, e.g. a UUID.
    #[serde(rename = "Idempotency-Key")]
    #[allow(dead_code)]
    idempotency_key: Option<String>,
}

/// Reads `If-Match` as a record version: `"3"`, `W/"3"` and `3` are accepted
/// (exactly the pattern the OpenAPI document gives the header);
/// absent or `*` means "any version".
pub fn if_match(headers: &HeaderMap) -> Result<Option<i64>, DomainError> {
    let Some(raw) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = raw.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    let tag = text.strip_prefix("W/").unwrap_or(text);
    let digits = tag
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or((tag == text).then_some(tag))
        .filter(|d| (1..=18).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()));
    digits
        .and_then(|d| d.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| {
            DomainError::bad_request(
                "invalid_if_match",
                "If-Match must be the record's version, e.g. \"3\"",
            )
        })
}

/// 412 with the current version when `If-Match` named another one.
pub fn check_version(expected: Option<i64>, current: i64) -> Result<(), DomainError> {
    match expected {
        Some(v) if v != current => Err(DomainError::PreconditionFailed {
            current_version: current,
        }),
        _ => Ok(()),
    }
}

/// The `Idempotency-Key` header as sent (the domain checks it).
pub fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or("").to_string())
}

/// 201 with the created record and its version as the `ETag`; a record an
/// earlier request with the same `Idempotency-Key` created says so with
/// `Idempotent-Replayed: true`.
pub fn created<T: Serialize>(
    created: crate::records::kernel::Created<T>,
    version: i64,
) -> Response {
    let mut response = (
        axum::http::StatusCode::CREATED,
        Versioned(version, ApiJson(created.value)),
    )
        .into_response();
    if created.replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// A JSON body with its version as the `ETag`.
pub struct Versioned<T>(pub i64, pub ApiJson<T>);

impl<T: Serialize> IntoResponse for Versioned<T> {
    fn into_response(self) -> Response {
        let mut response = self.1.into_response();
        if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", self.0)) {
            response.headers_mut().insert(header::ETAG, etag);
        }
        response
    }
}
