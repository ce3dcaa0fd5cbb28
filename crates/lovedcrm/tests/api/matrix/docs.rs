//! The OpenAPI document against the routes the server answers.
//!
//! axum cannot list its routes, so: every documented operation must be
//! routed (never `404 no_route` or `405`), every other method on a
//! documented path must be `405`, and the resources of SPEC §5 that are not
//! documented must not be routed at all. Every documented operation
//! documents a 4xx, and one that needs `X-Org-Id` documents it.

use reqwest::{Method, StatusCode};
use uuid::Uuid;

use super::spec::{self, Operation, json_type};
use super::world::{self, World};
use super::{Payload, assert_none, send};
use crate::helpers::{TestApp, email};
use crate::on_both;

on_both!(
    the_document_matches_the_routes,
    documented_query_parameters_are_accepted
);

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// Paths of SPEC §5's resource map (under `/api/v1`). Those the document
/// does not list must not answer either.
const SPEC_PATHS: &[&str] = &[
    "/auth/login/2fa",
    "/auth/verify-email",
    "/auth/password/forgot",
    "/auth/password/reset",
    "/users/me/preferences",
    "/users/me/sessions",
    "/users/me/2fa",
    "/organizations/current/invites",
    "/organizations/current/roles",
    "/organizations/current/branding",
    "/api-keys",
    "/leads/{id}/convert",
    "/leads/{id}/summary",
    "/leads/{id}/score",
    "/communications/{id}/send",
    "/events",
    "/events/calendar.ics",
    "/attachments",
    "/views",
    "/imports",
    "/exports",
    "/webhooks",
    "/workflows",
    "/assignment-rules",
    "/templates",
    "/campaigns",
    "/sequences",
    "/products",
    "/quotes",
    "/reports",
    "/dashboard",
    "/integrations",
    "/chat",
    "/chat/conversations",
    "/billing",
];

/// `template` with every parameter replaced by a fresh UUID.
fn any_ids(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) {
        out.push_str(&rest[..open]);
        out.push_str(&Uuid::now_v7().to_string());
        rest = &rest[close + 1..];
    }
    out + rest
}

fn is_unrouted(status: StatusCode, code: &str) -> bool {
    status == StatusCode::NOT_FOUND && code == "no_route"
}

async fn the_document_matches_the_routes(app: TestApp) {
    let s = app.register(&email("docs")).await;
    let (_, ops) = spec::load(&app).await;
    let mut violations = Vec::new();

    for op in &ops {
        let key = op.key();
        if !op.responses.iter().any(|r| r.starts_with('4')) {
            violations.push(format!(
                "{key} documents no 4xx response (only {:?})",
                op.responses
            ));
        }
        let path = any_ids(&op.template);
        let payload = body_of(op);
        // Routed: without credentials it is a 401 or a validation error,
        // never "no such route".
        let r = send(&app, &op.method, &path, None, None, &payload).await;
        if is_unrouted(r.status, &r.code()) || r.status == StatusCode::METHOD_NOT_ALLOWED {
            violations.push(format!(
                "{key} is documented but not routed: {}",
                r.summary()
            ));
        }
        if r.status.is_server_error() {
            violations.push(format!("{key} without credentials: {}", r.summary()));
        }
        // Needs the organization header: then it must be documented.
        let takes_org = op.org_header || op.declares_query("org_id");
        if !takes_org && (op.method == Method::GET || op.body.is_some()) {
            let r = send(&app, &op.method, &path, Some(&s.access), None, &payload).await;
            if r.code() == "missing_organization" {
                violations.push(format!(
                    "{key} needs X-Org-Id but does not document the header"
                ));
            }
        }
    }

    // Other methods on documented paths are not routed.
    let mut templates: Vec<&str> = ops.iter().map(|o| o.template.as_str()).collect();
    templates.sort_unstable();
    templates.dedup();
    for template in &templates {
        for method in METHODS {
            if ops
                .iter()
                .any(|o| o.template == *template && o.method == method)
            {
                continue;
            }
            let path = any_ids(template);
            let r = send(
                &app,
                &method,
                &path,
                Some(&s.access),
                Some(s.org_id),
                &Payload::None,
            )
            .await;
            if r.status != StatusCode::METHOD_NOT_ALLOWED && !is_unrouted(r.status, &r.code()) {
                violations.push(format!(
                    "{method} {template} answers but is not documented: {}",
                    r.summary()
                ));
            }
        }
    }

    // Resources of the spec that the document does not list do not answer.
    for template in SPEC_PATHS.iter().filter(|t| !templates.contains(t)) {
        let path = any_ids(template);
        for method in [Method::GET, Method::POST] {
            let r = send(
                &app,
                &method,
                &path,
                Some(&s.access),
                Some(s.org_id),
                &Payload::None,
            )
            .await;
            if !is_unrouted(r.status, &r.code()) {
                violations.push(format!(
                    "{method} {template} answers but is not documented: {}",
                    r.summary()
                ));
            }
        }
    }
    assert_none("OpenAPI document against the routes", &violations);
}

/// `{}` for an operation that takes a JSON body.
fn body_of(op: &Operation) -> Payload {
    match op.body {
        Some(_) => Payload::Json(serde_json::json!({})),
        None => Payload::None,
    }
}

/// Each documented query parameter of every GET, given a plausible value on
/// its own, is accepted: never `400` for a parameter the document offers.
async fn documented_query_parameters_are_accepted(app: TestApp) {
    let w = World::build(&app, "params").await;
    let (doc, ops) = spec::load(&app).await;
    let mut violations = Vec::new();
    let o = &w.owner;
    for op in ops
        .iter()
        .filter(|o| o.method == Method::GET && o.org_header)
    {
        let (target, _) = world::request(op, &w, w.member.user_id).unwrap();
        for (name, schema) in &op.query_params {
            if target.contains(&format!("{name}=")) {
                continue; // the table's own query already sends it
            }
            let value = match (name.as_str(), json_type(&doc, schema).as_str()) {
                ("cursor", _) => continue, // opaque: only a server-made one is valid
                ("sort", _) => "-created_at".to_string(),
                ("entity_type", _) => "lead".to_string(),
                ("channel", _) => "call".to_string(),
                ("assigned_to", _) => "me".to_string(),
                (_, "integer" | "number") => schema["minimum"]
                    .as_i64()
                    .map_or_else(|| "5".to_string(), |min| min.max(5).to_string()),
                (_, "boolean") => "true".to_string(),
                _ => match schema["format"].as_str() {
                    Some("uuid") => w.id("lead").to_string(),
                    Some("date-time") => "2026-01-01T00:00:00Z".to_string(),
                    _ => "x".to_string(),
                },
            };
            let join = if target.contains('?') { '&' } else { '?' };
            let path = format!("{target}{join}{name}={value}");
            let r = send(
                &app,
                &Method::GET,
                &path,
                Some(&o.access),
                Some(o.org_id),
                &Payload::None,
            )
            .await;
            if r.status == StatusCode::BAD_REQUEST || r.status.is_server_error() {
                violations.push(format!(
                    "{} documents `{name}`, but GET {path} got {}",
                    op.key(),
                    r.summary()
                ));
            }
        }
    }
    assert_none("documented query parameters", &violations);
}
