//! The one route table.

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::{Router, middleware as axum_mw};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use super::middleware;
use crate::app::SharedState;
use crate::{
    audit, auth, contacts, custom_fields, leads, observability, organizations, pipelines, search,
    tags, timeline, users,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Loved CRM API", description = "The REST API of Loved CRM. Tenant endpoints need `Authorization: Bearer <token>` and `X-Org-Id`. Errors are `application/problem+json`."),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Register, login, refresh, logout"),
        (name = "users", description = "The signed-in user"),
        (name = "organizations", description = "Organizations (tenants) and members"),
        (name = "audit", description = "The organization's audit trail"),
        (name = "contacts", description = "People the organization sells to"),
        (name = "companies", description = "The client organizations an agency works for"),
        (name = "projects", description = "Projects for clients, their assignees and tasks"),
        (name = "tasks", description = "To-dos on projects, leads, contacts and companies"),
        (name = "calendar", description = "Events, recurrence, occurrences of a range, ICS feeds"),
        (name = "pipelines", description = "Pipelines, stages and the Kanban board"),
        (name = "leads", description = "The cards of the sales pipeline"),
        (name = "timeline", description = "Communications and activities on leads and contacts"),
        (name = "notes", description = "Notes on leads, contacts, companies, projects and tasks"),
        (name = "comments", description = "Comments with @mentions on any record"),
        (name = "notifications", description = "The caller's own notifications"),
        (name = "shares", description = "Records shared with individual members"),
        (name = "tags", description = "Labels on any record"),
        (name = "search", description = "Search every record type at once"),
        (name = "dashboard", description = "Pipeline, forecast, tasks and activity figures"),
        (name = "custom fields", description = "Typed fields an organization adds to its records"),
        (name = "realtime", description = "Organization events over a WebSocket"),
        (name = "api keys", description = "Scoped keys for scripts and integrations"),
        (name = "views", description = "Saved views of lists, personal or shared"),
        (name = "feedback", description = "Feedback members send from the app"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The API routes and their OpenAPI document, before middleware.
pub fn api() -> (Router<SharedState>, serde_json::Value) {
    let v1 = OpenApiRouter::new()
        .merge(auth::router())
        .merge(auth::email_router())
        .merge(users::router())
        .merge(users::settings_router())
        .merge(organizations::router())
        .merge(crate::api_keys::router())
        .merge(crate::invites::router())
        .merge(audit::router())
        .merge(contacts::router())
        .merge(crate::companies::router())
        .merge(crate::projects::router())
        .merge(crate::tasks::router())
        .merge(pipelines::router())
        .merge(leads::router())
        .merge(timeline::router())
        .merge(crate::communications::router())
        .merge(crate::notes::router())
        .merge(crate::comments::router())
        .merge(crate::notifications::router())
        .merge(crate::shares::router())
        .merge(search::router())
        .merge(crate::dashboard::router())
        .merge(tags::router())
        .merge(custom_fields::router())
        .merge(crate::realtime::router())
        .merge(crate::views::router())
        .merge(crate::feedback::router())
        .merge(crate::followers::router())
        .merge(crate::calendar::router());
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts();
    (router, super::contract::complete(doc))
}

pub fn build_router(state: SharedState) -> Router {
    let (api, openapi) = api();
    let request_id = HeaderName::from_static("x-request-id");
    let body_limit = state.config.json_body_limit_bytes;
    let cors = cors_layer(&state.config.cors_origin_list());

    let router = Router::new()
        .merge(api)
        .merge(observability::router())
        .merge(SwaggerUi::new("/docs").external_url_unchecked("/api/v1/openapi.json", openapi))
        .fallback_service(crate::web::service(&state.config))
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .layer(axum_mw::from_fn(super::api_limits::rate_limit_headers))
        .layer(axum_mw::from_fn_with_state(
            state.clone(),
            super::auth_limit::shared_auth_limit,
        ))
        .layer(axum_mw::from_fn_with_state(
            state.clone(),
            crate::auth::cookie::refresh_cookie,
        ))
        .layer(axum_mw::from_fn(middleware::track_metrics))
        .layer(
            ServiceBuilder::new()
                .layer(SetSensitiveRequestHeadersLayer::new([
                    header::AUTHORIZATION,
                    header::COOKIE,
                ]))
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(middleware::request_span)
                        .on_request(())
                        .on_response(middleware::log_response)
                        .on_failure(()),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(CatchPanicLayer::custom(middleware::panic_response))
                .layer(cors)
                .layer(compression_layer())
                .layer(DefaultBodyLimit::max(body_limit)),
        );
    with_security_headers(router, &state.config).with_state(state)
}

/// Headers every answer carries: no MIME sniffing, no framing (the web app
/// sets a full Content-Security-Policy on its pages), no Referer to other
/// sites (record URLs name customers), and HSTS when served over HTTPS.
fn with_security_headers(
    router: Router<SharedState>,
    config: &crate::config::Config,
) -> Router<SharedState> {
    let https = config.public_url.starts_with("https://");
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            https.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        ))
}

/// Compresses API responses cheaply. tower-http's default was brotli quality
/// 4 with a 4 MiB window: on a page of 50 contacts, a quarter of the server's
/// CPU and a few MiB of heap per response in flight. Level 1 keeps most of
/// the size gain; zstd (which Chromium and Firefox accept, and tower-http
/// prefers when the client ranks them equally) is the cheapest of the three
/// at it. Responses under 1 KiB go as they are. The web app's files are
/// precompressed at build time and pass untouched.
fn compression_layer() -> CompressionLayer<impl Predicate> {
    let worth_it = SizeAbove::new(1024)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE);
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(1))
        .compress_when(worth_it)
}

fn cors_layer(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            HeaderName::from_static("x-org-id"),
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::ETAG, HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_secs(600))
}
