//! The served OpenAPI document, read into the operations the matrices walk.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

/// One documented operation.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: Method,
    /// The path under `/api/v1`, with `{param}` placeholders.
    pub template: String,
    pub path_params: Vec<String>,
    /// Declared query parameters: name and schema.
    pub query_params: Vec<(String, Value)>,
    /// Whether its credentials include the organization (`X-Org-Id`): a tenant operation.
    pub org_header: bool,
    /// Every declared header, lower-case.
    pub headers: Vec<String>,
    /// The schema of its JSON request body, references resolved.
    pub body: Option<Value>,
    /// The documented response statuses.
    pub responses: Vec<String>,
}

impl Operation {
    /// `METHOD /template`, the key of the tables in `world`.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.template)
    }

    pub fn declares_query(&self, name: &str) -> bool {
        self.query_params.iter().any(|(n, _)| n == name)
    }

    pub fn declares_header(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h.eq_ignore_ascii_case(name))
    }
}

/// The document as served, and its operations in document order.
pub async fn load(app: &TestApp) -> (Value, Vec<Operation>) {
    let res = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET /api/v1/openapi.json");
    let doc: Value = res.json().await.unwrap();
    let paths = doc["paths"].as_object().expect("the document has paths");
    let mut ops = Vec::new();
    for (path, item) in paths {
        let template = path
            .strip_prefix("/api/v1")
            .unwrap_or_else(|| panic!("documented path {path} is not under /api/v1"));
        for (name, method) in [
            ("get", Method::GET),
            ("post", Method::POST),
            ("put", Method::PUT),
            ("patch", Method::PATCH),
            ("delete", Method::DELETE),
        ] {
            let Some(op) = item.get(name) else { continue };
            ops.push(operation(&doc, method, template, item, op));
        }
    }
    assert!(
        ops.len() > 10,
        "the document lists only {} operations",
        ops.len()
    );
    (doc, ops)
}

fn operation(doc: &Value, method: Method, template: &str, item: &Value, op: &Value) -> Operation {
    let params: Vec<Value> = item["parameters"]
        .as_array()
        .into_iter()
        .chain(op["parameters"].as_array())
        .flatten()
        .map(|p| resolve(doc, p).clone())
        .collect();
    let of = |place: &'static str| params.iter().filter(move |p| p["in"] == place);
    let body = op["requestBody"]["content"]["application/json"]["schema"]
        .as_object()
        .map(|_| {
            resolve(
                doc,
                &op["requestBody"]["content"]["application/json"]["schema"],
            )
            .clone()
        });
    Operation {
        method,
        template: template.to_string(),
        path_params: of("path")
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect(),
        query_params: of("query")
            .map(|p| {
                let name = p["name"].as_str().unwrap().to_string();
                (name, resolve(doc, &p["schema"]).clone())
            })
            .collect(),
        org_header: op["security"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|requirement| requirement.get("organization").is_some()),
        headers: of("header")
            .filter_map(|p| p["name"].as_str())
            .map(str::to_ascii_lowercase)
            .collect(),
        body,
        responses: op["responses"]
            .as_object()
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default(),
    }
}

/// Follows `$ref`s inside the document.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut current = schema;
    for _ in 0..16 {
        let Some(reference) = current["$ref"].as_str() else {
            return current;
        };
        let pointer = reference.trim_start_matches('#');
        current = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling reference {reference}"));
    }
    current
}

/// The declared properties of an object schema (through `allOf`).
pub fn properties(doc: &Value, schema: &Value) -> Vec<(String, Value)> {
    let schema = resolve(doc, schema);
    let mut out: Vec<(String, Value)> = schema["properties"]
        .as_object()
        .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        out.extend(properties(doc, part));
    }
    out
}

/// The JSON type a schema asks for, ignoring `null`: `string`, `integer`,
/// `number`, `boolean`, `array`, `object`, or `any` when it does not say.
pub fn json_type(doc: &Value, schema: &Value) -> String {
    let schema = resolve(doc, schema);
    match &schema["type"] {
        Value::String(t) if t != "null" => return t.clone(),
        Value::Array(types) => {
            if let Some(t) = types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
            {
                return t.to_string();
            }
        }
        _ => {}
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        for part in schema[combinator].as_array().into_iter().flatten() {
            let t = json_type(doc, part);
            if t != "any" && t != "null" {
                return t;
            }
        }
    }
    if schema["enum"].is_array() {
        return "string".into();
    }
    if schema["properties"].is_object() {
        return "object".into();
    }
    "any".into()
}

/// The item type of an array schema.
pub fn item_type(doc: &Value, schema: &Value) -> String {
    json_type(doc, &resolve(doc, schema)["items"])
}
