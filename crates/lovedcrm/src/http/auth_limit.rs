//! The per-client limit on `/auth/*` writes, counted in the database so it
//! holds across nodes and restarts (`limits::shared`). The in-process
//! buckets of `auth::rate_limit` still answer first, without a query.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::error::DomainError;

pub async fn shared_auth_limit(
    State(app): State<SharedState>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::POST || !req.uri().path().starts_with("/api/v1/auth/") {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let meta = match ClientMeta::from_request_parts(&mut parts, &app).await {
        Ok(meta) => meta,
        Err(err) => return err.into_response(),
    };
    let limit = app.config.auth_rate_per_ip_per_minute;
    let key = format!("auth-ip\n{}", meta.rate_key());
    match crate::limits::shared::hit(&app.store, &key, limit).await {
        Ok(None) => next.run(Request::from_parts(parts, body)).await,
        Ok(Some(wait)) => DomainError::TooManyRequests {
            retry_after_secs: wait,
            limit,
        }
        .into_response(),
        Err(err) => DomainError::from(err).into_response(),
    }
}
