//! Tampered keyset cursors on every list that documents `cursor`: a real
//! `next_cursor` is decoded (base64url JSON), its values are altered and it
//! is sent back. Never a 5xx; a cursor of the wrong shape is a 4xx.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::Method;
use serde_json::{Value, json};

use super::spec::Operation;
use super::world::World;
use super::{Payload, judge, send};
use crate::helpers::TestApp;

/// Sorts tried on each list (those a list refuses are skipped).
const SORTS: &[&str] = &[
    "",
    "&sort=name",
    "&sort=-title",
    "&sort=email",
    "&sort=-created_at",
];

/// Returns how many tampered cursors were sent and what went wrong. A list
/// that yields no cursor to tamper with (the seeded world gave it no second
/// page) is itself a failure: it would pass without being tried.
pub async fn tampered(app: &TestApp, w: &World, ops: &[Operation]) -> (usize, Vec<String>) {
    let mut violations = Vec::new();
    let mut sent = 0;
    let o = &w.owner;
    let lists = ops.iter().filter(|op| {
        op.method == Method::GET && op.declares_query("cursor") && op.declares_query("limit")
    });
    for op in lists {
        let Ok(base) = w.target(&op.key(), &op.template) else {
            continue;
        };
        let join = if base.contains('?') { '&' } else { '?' };
        let sent_before = sent;
        let mut first_statuses = Vec::new();
        for sort in SORTS {
            let first = format!("{base}{join}limit=1{sort}");
            let page = send(
                app,
                &Method::GET,
                &first,
                Some(&o.access),
                Some(o.org_id),
                &Payload::None,
            )
            .await;
            first_statuses.push(page.status.as_u16());
            let Some(cursor) = page.json()["next_cursor"].as_str().map(String::from) else {
                continue;
            };
            let wire = URL_SAFE_NO_PAD
                .decode(&cursor)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
            // JSON inside: altered field by field; anything else (the audit
            // log's cursor is a row id) as a whole.
            let cases: Vec<(&str, String, bool)> = match &wire {
                Some(wire) => alterations(wire)
                    .into_iter()
                    .map(|(label, altered, refuse)| {
                        (label, URL_SAFE_NO_PAD.encode(altered.to_string()), refuse)
                    })
                    .collect(),
                None => opaque_alterations(&cursor),
            };
            for (label, encoded, must_refuse) in cases {
                let altered = &encoded;
                let path = format!("{first}&cursor={encoded}");
                let r = send(
                    app,
                    &Method::GET,
                    &path,
                    Some(&o.access),
                    Some(o.org_id),
                    &Payload::None,
                )
                .await;
                sent += 1;
                let what = format!(
                    "{} [cursor {label}: {altered}] GET {first}&cursor=…",
                    op.key()
                );
                violations.extend(judge(&r, must_refuse, &what));
            }
        }
        if sent == sent_before {
            violations.push(format!(
                "{}: no cursor was tampered with (first pages at limit=1 answered {first_statuses:?} without a next_cursor)",
                op.key()
            ));
        }
    }
    (sent, violations)
}

/// Altered copies of a decoded cursor (`true`: only a 4xx is right).
fn alterations(wire: &Value) -> Vec<(&'static str, Value, bool)> {
    let long = "x".repeat(10_000);
    let mut out = vec![
        (
            "text + NUL",
            map_strings(wire, &|s| json!(format!("{s}\u{0}"))),
            false,
        ),
        ("text as 12345", map_strings(wire, &|_| json!(12345)), true),
        (
            "text as an object",
            map_strings(wire, &|_| json!({"x": 1})),
            true,
        ),
        (
            "10 000-character text",
            map_strings(wire, &|_| json!(long)),
            false,
        ),
        ("text emptied", map_strings(wire, &|_| json!("")), false),
        ("text nulled", map_strings(wire, &|_| Value::Null), false),
    ];
    if let Some(object) = wire.as_object() {
        let mut extra = object.clone();
        extra.insert("__nope".into(), json!(1));
        // Harmless if ignored (the timeline cursors ignore it; list cursors refuse it).
        out.push(("an unknown field", Value::Object(extra), false));
    }
    out.push(("an array", json!([wire]), true));
    out
}

/// Altered copies of a cursor that is not base64url JSON.
fn opaque_alterations(cursor: &str) -> Vec<(&'static str, String, bool)> {
    vec![
        ("garbage", "%21%21not-a-cursor%21%21".into(), true),
        ("truncated", cursor[..cursor.len() / 2].to_string(), true),
        ("another id", uuid::Uuid::now_v7().to_string(), false),
        ("10 000 characters", "a".repeat(10_000), true),
    ]
}

/// `value` with every string leaf replaced by `f(leaf)`.
fn map_strings(value: &Value, f: &dyn Fn(&str) -> Value) -> Value {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => Value::Array(items.iter().map(|v| map_strings(v, f)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), map_strings(v, f)))
                .collect(),
        ),
        other => other.clone(),
    }
}
