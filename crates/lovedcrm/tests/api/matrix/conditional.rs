//! The request headers of SPEC §5 that change what a write does, on every
//! operation: a stale `If-Match` is refused with 412 wherever the header is
//! documented (and nothing is written), an operation that honours it
//! documents it, and the same holds for `Idempotency-Key` on creates.

use reqwest::{Method, StatusCode};

use super::spec::{self, Operation};
use super::world::{self, World};
use super::{Payload, assert_none, send, send_with};
use crate::helpers::TestApp;
use crate::on_both;

on_both!(conditional_headers_are_honoured_where_documented);

const STALE: &str = "\"999999\"";

async fn conditional_headers_are_honoured_where_documented(app: TestApp) {
    let w = World::build(&app, "ifmatch").await;
    let (_, ops) = spec::load(&app).await;
    let mut writes: Vec<&Operation> = ops
        .iter()
        .filter(|o| o.org_header && o.method != Method::GET)
        .collect();
    // Deletes last: one that ignores If-Match really deletes.
    writes.sort_by_key(|o| o.method == Method::DELETE);
    let mut violations = Vec::new();
    let (o, token) = (&w.owner, w.owner.access.as_str());

    for op in writes {
        let key = op.key();
        let (target, payload) = world::request(op, &w, w.member.user_id).unwrap();
        let declared = op.declares_header("if-match");
        // An undocumented DELETE or POST that ignored it would really act.
        if declared || matches!(op.method, Method::PATCH | Method::PUT) {
            let before = read_back(&app, &w, &target).await;
            let hdr = [("if-match", STALE)];
            let r = send_with(
                &app,
                &op.method,
                &target,
                Some(token),
                Some(o.org_id),
                &payload,
                &hdr,
            )
            .await;
            let after = read_back(&app, &w, &target).await;
            if declared && r.status != StatusCode::PRECONDITION_FAILED {
                violations.push(format!(
                    "{key} documents If-Match, but a stale If-Match: {STALE} got {}",
                    r.summary()
                ));
            }
            if declared && before != after {
                violations.push(format!(
                    "{key} with a stale If-Match changed the record:\n      before: {}\n      \
                     after:  {}",
                    super::short(&before),
                    super::short(&after)
                ));
            }
            if !declared && r.status == StatusCode::PRECONDITION_FAILED {
                violations.push(format!(
                    "{key} honours If-Match (412) but does not document the header"
                ));
            }
            if r.status == StatusCode::PRECONDITION_FAILED && !op.responses.contains(&"412".into())
            {
                violations.push(format!("{key} answers 412 but does not document it"));
            }
        }
        if op.method == Method::POST && op.body.is_some() {
            let declared = op.declares_header("idempotency-key");
            let bad = "k".repeat(300);
            let hdr = [("idempotency-key", bad.as_str())];
            let r = send_with(
                &app,
                &op.method,
                &target,
                Some(token),
                Some(o.org_id),
                &payload,
                &hdr,
            )
            .await;
            let reads_it = r.code() == "invalid_idempotency_key";
            if reads_it && !declared {
                violations.push(format!(
                    "{key} reads Idempotency-Key (a 300-character key got {} {}) but does \
                     not document the header",
                    r.status.as_u16(),
                    r.code()
                ));
            }
            if declared && !reads_it {
                violations.push(format!(
                    "{key} documents Idempotency-Key but took a 300-character key: {}",
                    r.summary()
                ));
            }
        }
    }
    assert_none("If-Match and Idempotency-Key", &violations);
}

/// The record a write targets as GET shows it: the write's own path, else
/// the nearest parent path that answers GET (a stage shows in its pipeline).
async fn read_back(app: &TestApp, w: &World, target: &str) -> String {
    let mut path = target.split('?').next().unwrap_or_default();
    let o = &w.owner;
    loop {
        let r = send(
            app,
            &Method::GET,
            path,
            Some(&o.access),
            Some(o.org_id),
            &Payload::None,
        )
        .await;
        if r.status != StatusCode::METHOD_NOT_ALLOWED || !path[1..].contains('/') {
            return format!("{} {}", r.status, r.text);
        }
        path = &path[..path.rfind('/').unwrap_or(path.len())];
    }
}
