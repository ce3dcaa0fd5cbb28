//! `ApiJson`: the JSON body extractor whose every failure is a problem+json.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{DomainError, FieldError};

/// A JSON request body (415 for another content type, 413 when too large,
/// 400 when malformed or carrying a field the client may not set, 422 with
/// the field's path when a value has the wrong type) or a JSON response.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = DomainError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(DomainError::UnsupportedMediaType(
                "expected a body with Content-Type: application/json".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                DomainError::PayloadTooLarge
            } else {
                DomainError::bad_request("unreadable_body", rejection.body_text())
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| {
            m.type_() == "application"
                && (m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"))
        })
}

/// Deserializes `bytes`, naming the offending field on failure.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DomainError> {
    if std::str::from_utf8(bytes).is_err() {
        return Err(DomainError::bad_request(
            "invalid_utf8",
            "the request body is not valid UTF-8",
        ));
    }
    // Every body this API takes is an object; serde would otherwise read a
    // JSON array into a struct by position (`[null, null]` as a patch).
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(DomainError::Validation(vec![FieldError::new(
            "body",
            "must be a JSON object, not an array",
        )]));
    }
    if let Some(field) = nul_character(bytes) {
        return Err(DomainError::Validation(vec![FieldError::new(
            field,
            "must not contain the NUL character",
        )]));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        classify(&path, &inner)
    })?;
    de.end().map_err(|e| classify(".", &e))?;
    Ok(value)
}

/// The path of a string (or key) holding U+0000, which no database column
/// stores (PostgreSQL refuses it in text and jsonb). Only bodies that spell
/// `\u0000` are parsed a second time, so the common case costs a scan.
fn nul_character(bytes: &[u8]) -> Option<String> {
    let spelled = bytes
        .windows(6)
        .any(|w| w[0] == b'\\' && w[1] == b'u' && w[2..].iter().all(|b| *b == b'0'));
    if !spelled {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    find_nul(&value, "")
}

fn find_nul(value: &serde_json::Value, path: &str) -> Option<String> {
    let here = || {
        if path.is_empty() {
            "body".to_string()
        } else {
            path.to_string()
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(here()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_nul(v, &format!("{}[{i}]", here()))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let child = join_path(path, k);
            if k.contains('\0') {
                Some(child)
            } else {
                find_nul(v, &child)
            }
        }),
        _ => None,
    }
}

fn classify(path: &str, err: &serde_json::Error) -> DomainError {
    use serde_json::error::Category;
    match err.classify() {
        Category::Syntax | Category::Eof | Category::Io => DomainError::bad_request(
            "malformed_json",
            format!(
                "the body is not valid JSON: {} at line {} column {}",
                strip_position(&err.to_string()),
                err.line(),
                err.column()
            ),
        ),
        Category::Data => {
            let message = strip_position(&err.to_string());
            if let Some(name) = backticked(&message, "unknown field `") {
                // The path of an unknown field already ends with its name.
                let field = if path.rsplit('.').next() == Some(name.as_str()) {
                    path.to_string()
                } else {
                    join_path(path, &name)
                };
                return DomainError::BadRequest {
                    code: "unknown_field",
                    detail: format!("the field `{field}` cannot be set"),
                    errors: vec![FieldError::new(field, "this field cannot be set here")],
                };
            }
            if let Some(name) = backticked(&message, "missing field `") {
                return DomainError::Validation(vec![FieldError::new(
                    join_path(path, &name),
                    "is required",
                )]);
            }
            let field = if path == "." {
                "body".into()
            } else {
                path.to_string()
            };
            DomainError::Validation(vec![FieldError::new(field, message)])
        }
    }
}

fn backticked(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next().map(String::from)
}

fn join_path(path: &str, name: &str) -> String {
    if path == "." || path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// serde_json appends " at line L column C"; the problem carries it separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
