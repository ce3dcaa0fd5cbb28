use std::time::Instant;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use crate::app::SharedState;

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

/// Readiness: a database round trip and the schema version.
async fn detailed(State(app): State<SharedState>) -> impl IntoResponse {
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
    (status, axum::Json(body))
}

/// Prometheus text format.
async fn metrics(State(app): State<SharedState>) -> impl IntoResponse {
    let (size, idle) = app.store.pool_stats();
    metrics::gauge!("db_pool_connections").set(f64::from(size));
    metrics::gauge!("db_pool_idle_connections").set(idle as f64);
    match crate::jobs::stats(&app.store).await {
        Ok(stats) => crate::jobs::publish_stats(&stats),
        Err(err) => tracing::warn!(error = %err, "could not read job queue stats"),
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(),
    )
}
