//! Bad input on every documented operation: malformed JSON, arrays, `null`,
//! unknown fields, every property with a wrong JSON type, 10 000-character
//! strings, invalid ids in the path and hostile query strings. Never a 5xx;
//! a 4xx is always a complete problem+json; input that can only be refused
//! must be refused with a 4xx.

use reqwest::Method;
use serde_json::{Value, json};

use super::spec::{self, Operation, item_type, json_type, properties};
use super::world::{self, World};
use super::{Payload, assert_none, judge, send_with};
use crate::helpers::TestApp;
use crate::on_both;

on_both!(bad_input_never_yields_a_server_error);

/// One malformed request.
struct Case {
    label: String,
    target: String,
    payload: Payload,
    headers: Vec<(&'static str, String)>,
    /// Only a 4xx is right (otherwise anything but a 5xx is).
    must_refuse: bool,
}

async fn bad_input_never_yields_a_server_error(app: TestApp) {
    let w = World::build(&app, "fuzz").await;
    let (doc, ops) = spec::load(&app).await;
    let long = long_string(10_000);
    let mut violations = Vec::new();
    let mut sent = 0;
    for op in &ops {
        let (target, valid) = match world::request(op, &w, w.member.user_id) {
            Ok(request) => request,
            Err(unmapped) => {
                violations.push(unmapped);
                continue;
            }
        };
        let mut cases = path_cases(op, &w, &target, &valid);
        if let (Some(schema), Payload::Json(valid)) = (&op.body, &valid) {
            cases.extend(body_cases(&doc, schema, valid, &target, &long));
        }
        if op.method == Method::GET {
            cases.extend(query_cases(&doc, op, &target));
        }
        cases.extend(header_cases(op, &target, &valid));
        for case in cases {
            let o = &w.owner;
            let headers: Vec<(&str, &str)> =
                case.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let (token, org) = (Some(o.access.as_str()), Some(o.org_id));
            let r = send_with(
                &app,
                &op.method,
                &case.target,
                token,
                org,
                &case.payload,
                &headers,
            )
            .await;
            sent += 1;
            let what = format!(
                "{} [{}] {} {}",
                op.key(),
                case.label,
                op.method,
                case.target
            );
            violations.extend(judge(&r, case.must_refuse, &what));
        }
    }
    let (tampered, found) = super::cursors::tampered(&app, &w, &ops).await;
    violations.extend(found);
    eprintln!(
        "bad input: {sent} requests over {} operations, {tampered} tampered cursors",
        ops.len()
    );
    assert_none("bad input", &violations);
    // A sweep that sends nothing passes: make sure it swept.
    assert!(
        ops.len() >= 80,
        "only {} operations were read from the OpenAPI document",
        ops.len()
    );
    assert!(
        sent >= ops.len() * 3,
        "only {sent} bad requests for {} operations",
        ops.len()
    );
    assert!(tampered >= 100, "only {tampered} tampered cursors");
}

/// Every path parameter in turn replaced by something that is not a UUID.
fn path_cases(op: &Operation, w: &World, target: &str, valid: &Payload) -> Vec<Case> {
    let query = target
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    op.path_params
        .iter()
        .filter_map(|param| {
            let path = w.fill(&op.template, Some((param, "not-a-uuid"))).ok()?;
            Some(Case {
                label: format!("invalid {{{param}}}"),
                target: format!("{path}{query}"),
                payload: valid.clone(),
                headers: vec![],
                must_refuse: true,
            })
        })
        .collect()
}

fn body_cases(doc: &Value, schema: &Value, valid: &Value, target: &str, long: &str) -> Vec<Case> {
    let case = |label: String, payload: Payload, must_refuse: bool| Case {
        label,
        target: target.to_string(),
        payload,
        headers: vec![],
        must_refuse,
    };
    let with = |name: &str, value: Value| {
        let mut body = valid.clone();
        body[name] = value;
        Payload::Json(body)
    };
    let mut cases = vec![
        case(
            "malformed JSON".into(),
            Payload::Raw("{\"name\": ".into()),
            true,
        ),
        case("JSON array".into(), Payload::Raw("[{}]".into()), true),
        case("JSON null".into(), Payload::Raw("null".into()), true),
        case(
            "nested 100 000 deep".into(),
            Payload::Raw("[".repeat(100_000)),
            true,
        ),
        case("unknown field".into(), with("__nope", json!(1)), true),
    ];
    // A JSON text with `name` set to a raw (possibly invalid) JSON literal.
    let raw_with = |name: &str, literal: &str| {
        let mut body = valid.clone();
        body[name] = json!("__RAW__");
        Payload::Raw(body.to_string().replace("\"__RAW__\"", literal))
    };
    for (name, property) in properties(doc, schema) {
        let kind = json_type(doc, &property);
        for wrong in wrong_values(&kind) {
            cases.push(case(
                format!("{name}: {kind} sent as {wrong}"),
                with(&name, wrong),
                true,
            ));
        }
        if kind == "string" {
            cases.push(case(
                format!("{name}: 10 000 characters"),
                with(&name, json!(long)),
                false,
            ));
            let nul = with(&name, json!("nul\u{0}byte"));
            cases.push(case(format!("{name}: a NUL character"), nul, false));
            let surrogate = raw_with(&name, r#""\ud800""#);
            cases.push(case(format!("{name}: a lone surrogate"), surrogate, true));
            for (value, must_refuse) in format_edges(property["format"].as_str()) {
                let label = format!("{name}: {value}");
                cases.push(case(label, with(&name, json!(value)), must_refuse));
            }
        }
        if kind == "object" {
            let nul = with(&name, json!({"matrix_field": "nul\u{0}byte"}));
            cases.push(case(format!("{name}: a NUL character inside"), nul, false));
            let unknown = with(&name, json!({"__nope": {"deep": [1, {"x": null}]}}));
            cases.push(case(format!("{name}: an unknown key"), unknown, false));
        }
        for extreme in extreme_values(&kind) {
            cases.push(case(
                format!("{name}: {extreme}"),
                with(&name, extreme),
                false,
            ));
        }
        if kind == "array" {
            let items = item_type(doc, &property);
            if let Some(wrong) = wrong_values(&items).into_iter().next() {
                let label = format!("{name}: [{items}] sent as [{wrong}]");
                cases.push(case(label, with(&name, json!([wrong])), true));
            }
            if items == "string" {
                let label = format!("{name}: [10 000 characters]");
                cases.push(case(label, with(&name, json!([long])), false));
                let nul = with(&name, json!(["nul\u{0}byte"]));
                cases.push(case(format!("{name}: [a NUL character]"), nul, false));
            }
            if items == "object" || items == "any" {
                let nul = with(&name, json!([{"name": "nul\u{0}byte"}]));
                cases.push(case(
                    format!("{name}: [a NUL character inside]"),
                    nul,
                    false,
                ));
            }
        }
    }
    cases
}

/// Values of the wrong JSON type for a property of type `kind`.
fn wrong_values(kind: &str) -> Vec<Value> {
    match kind {
        "string" => vec![json!(12345), json!({"x": 1})],
        "integer" => vec![
            json!("not a number"),
            json!({"x": 1}),
            json!(1.5),
            json!(1e300),
        ],
        "number" => vec![json!("not a number"), json!({"x": 1})],
        "boolean" => vec![json!("yes"), json!(1)],
        "array" => vec![json!("not an array"), json!({"x": 1})],
        "object" => vec![json!("not an object"), json!(12)],
        _ => vec![],
    }
}

/// Strings at the edge of a format (`true`: only a 4xx is right).
fn format_edges(format: Option<&str>) -> Vec<(&'static str, bool)> {
    match format {
        Some("date") => vec![
            ("2026-02-30", true),
            ("0000-01-01", false),
            ("-10000-01-01", false),
            ("+200000-12-31", false),
        ],
        Some("date-time") => vec![
            ("2026-13-01T00:00:00Z", true),
            ("0000-01-01T00:00:00Z", false),
            ("9999-12-31T23:59:59-23:59", false),
            ("+200000-01-01T00:00:00Z", false),
        ],
        _ => vec![],
    }
}

/// Values of the right type at the edge of what it holds.
fn extreme_values(kind: &str) -> Vec<Value> {
    match kind {
        "integer" => vec![json!(i32::MAX), json!(i32::MIN), json!(i64::MAX)],
        "number" => vec![json!(1e300), json!(-1e300), json!(5e-324)],
        _ => vec![],
    }
}

/// Hostile query strings, added to the operation's own query.
fn query_cases(doc: &Value, op: &Operation, target: &str) -> Vec<Case> {
    let join = if target.contains('?') { '&' } else { '?' };
    let mut queries: Vec<(String, bool)> = vec![
        ("limit=-1".into(), op.declares_query("limit")),
        (
            "limit=99999999999999999999".into(),
            op.declares_query("limit"),
        ),
        ("sort=__x".into(), op.declares_query("sort")),
        ("sort=-,,".into(), op.declares_query("sort")),
        ("cursor=%%%".into(), op.declares_query("cursor")),
        ("cursor=bm9wZQ".into(), op.declares_query("cursor")),
        ("q=%00".into(), false),
        ("name[eq]=%00".into(), false),
        ("name[contains]=%00".into(), false),
        ("email[starts_with]=%00".into(), false),
        ("custom_fields.matrix_field[eq]=%00".into(), false),
        ("q=%27%3B--%20%25_%5C".into(), false),
        ("a[b]=c".into(), !op.query_params.is_empty()),
        ("name[nope]=x".into(), !op.query_params.is_empty()),
    ];
    // Every declared parameter with a value of the wrong kind, and every
    // declared text parameter with a NUL character.
    for (name, schema) in &op.query_params {
        if json_type(doc, schema) == "string" && schema["format"].is_null() {
            queries.push((format!("{name}=%00"), false));
        }
        let bad = match (json_type(doc, schema).as_str(), schema["format"].as_str()) {
            (_, Some("uuid")) => "not-a-uuid",
            (_, Some("date-time")) => "yesterday",
            ("integer" | "number", _) => "abc",
            ("boolean", _) => "maybe",
            _ => continue,
        };
        queries.push((format!("{name}={bad}"), true));
    }
    queries
        .into_iter()
        .map(|(query, must_refuse)| Case {
            label: format!("?{query}"),
            target: format!("{target}{join}{query}"),
            payload: Payload::None,
            headers: vec![],
            must_refuse,
        })
        .collect()
}

/// Malformed values of the headers the operation reads.
fn header_cases(op: &Operation, target: &str, valid: &Payload) -> Vec<Case> {
    let mut headers: Vec<(&'static str, String, bool)> = Vec::new();
    if op.org_header {
        headers.push(("x-org-id", "not-a-uuid".into(), true));
        headers.push(("x-org-id", String::new(), true));
    }
    if op.declares_header("if-match") {
        headers.push(("if-match", "yesterday".into(), true));
        headers.push(("if-match", "\"99999999999999999999\"".into(), true));
    }
    if op.method == Method::POST && op.body.is_some() {
        headers.push(("idempotency-key", "k".repeat(300), false));
    }
    headers
        .into_iter()
        .map(|(name, value, must_refuse)| Case {
            label: format!("{name}: {}", super::short(&value)),
            target: target.to_string(),
            payload: valid.clone(),
            headers: vec![(name, value)],
            must_refuse,
        })
        .collect()
}

/// `n` pseudo-random letters, digits and spaces: long and incompressible.
fn long_string(n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ALPHABET[(state % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}
