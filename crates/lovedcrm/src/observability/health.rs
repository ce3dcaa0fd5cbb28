use std::net::IpAddr;
use std::time::Instant;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use sha2::{Digest, Sha256};

use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::error::DomainError;

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/health", get(health))
        .route("/health/detailed", get(detailed))
        .route("/metrics", get(metrics))
}

/// Liveness: the process answers.
async fn health() -> impl IntoResponse {
    axum::Json(json!({ "status": "ok" }))
}

/// Whether this request may read the operator's endpoints: they run
/// queries and describe the deployment, so they are not for the internet.
/// With `LOVEDCRM_OPS_TOKEN` set, the bearer must match it; otherwise only a
/// client on this machine (as the trusted proxies report it) may read them.
fn ops_allowed(
    app: &SharedState,
    meta: &ClientMeta,
    headers: &HeaderMap,
) -> Result<(), DomainError> {
    let allowed = match &app.config.ops_token {
        Some(expected) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            // Digests compared, so the time taken says nothing of the token.
            .is_some_and(|given| Sha256::digest(given) == Sha256::digest(&expected.0)),
        None => meta
            .ip
            .as_deref()
            .and_then(|ip| ip.parse::<IpAddr>().ok())
            .is_some_and(|ip| ip.is_loopback()),
    };
    if allowed {
        Ok(())
    } else {
        Err(DomainError::Unauthorized(
            "monitoring endpoints need LOVEDCRM_OPS_TOKEN as the bearer token".into(),
        ))
    }
}

/// Readiness: a database round trip and the schema version.
async fn detailed(
    State(app): State<SharedState>,
    meta: ClientMeta,
    headers: HeaderMap,
) -> Result<impl IntoResponse, DomainError> {
    ops_allowed(&app, &meta, &headers)?;
    let started = Instant::now();
    let ping = app.store.ping().await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let migrations = app.store.migration_status().await;
    let jobs = crate::jobs::stats(&app.store).await;
    let db_ok = ping.is_ok();
    let schema_ok = migrations.as_ref().is_ok_and(|m| m.pending.is_empty());
    let healthy = db_ok && schema_ok;
    let body = json!({
        "status": if healthy { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "database": {
            "status": if db_ok { "ok" } else { "error" },
            "backend": format!("{:?}", app.store.backend()).to_lowercase(),
            "latency_ms": latency_ms,
            "error": ping.err().map(|e| e.to_string()),
        },
        "migrations": match migrations {
            Ok(m) => json!({
                "status": if m.pending.is_empty() { "ok" } else { "pending" },
                "version": m.applied.last(),
                "applied": m.applied.len(),
                "pending": m.pending,
            }),
            Err(e) => json!({ "status": "error", "error": e.to_string() }),
        },
        "jobs": match jobs {
            Ok(j) => json!({
                "status": "ok",
                "workers": app.config.workers,
                "ready": j.ready,
                "scheduled": j.scheduled,
                "running": j.running,
                "failed": j.failed,
                "dead": j.dead,
                "lag_seconds": j.lag_seconds,
            }),
            Err(e) => json!({ "status": "error", "error": e.to_string() }),
        },
    });
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    Ok((status, axum::Json(body)))
}

/// Prometheus text format.
async fn metrics(
    State(app): State<SharedState>,
    meta: ClientMeta,
    headers: HeaderMap,
) -> Result<impl IntoResponse, DomainError> {
    ops_allowed(&app, &meta, &headers)?;
    let (size, idle) = app.store.pool_stats();
    metrics::gauge!("db_pool_connections").set(f64::from(size));
    metrics::gauge!("db_pool_idle_connections").set(idle as f64);
    match crate::jobs::stats(&app.store).await {
        Ok(stats) => crate::jobs::publish_stats(&stats),
        Err(err) => tracing::warn!(error = %err, "could not read job queue stats"),
    }
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(),
    ))
}
