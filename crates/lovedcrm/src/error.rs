//! The one error type of the domain: what went wrong in terms a caller can
//! act on, whoever the caller is (an HTTP client, the assistant, an MCP
//! client, a job). The HTTP edge renders it as `application/problem+json`
//! (`crate::http::error`); nothing here knows about HTTP.

use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("{detail}")]
    BadRequest {
        code: &'static str,
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// A 403 with its own code (e.g. `two_factor_required`).
    #[error("{detail}")]
    Denied { code: &'static str, detail: String },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    NoRoute(String),
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("the record was changed by someone else")]
    PreconditionFailed { current_version: i64 },
    #[error("the request body is larger than the server accepts")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("too many requests")]
    /// `limit`: the requests the bucket allows per window, for `RateLimit-Limit`.
    TooManyRequests { retry_after_secs: u64, limit: u32 },
    /// Too many failed sign-ins on one email; said the same way whether or
    /// not an account has it.
    #[error("too many failed sign-in attempts; try again later")]
    AccountLocked { retry_after_secs: u64 },
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        Self::Internal(err.to_string())
    }

    /// The stable machine-readable code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Conflict { code, .. }
            | Self::Denied { code, .. } => code,
            Self::Validation(_) => "validation_failed",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::NoRoute(_) => "no_route",
            Self::PreconditionFailed { .. } => "version_conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::TooManyRequests { .. } => "rate_limited",
            Self::AccountLocked { .. } => "account_locked",
            Self::MethodNotAllowed(_) => "method_not_allowed",
            Self::Internal(_) => "internal_error",
        }
    }
}

impl From<sea_orm::DbErr> for DomainError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Internal(format!("database: {err}"))
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
