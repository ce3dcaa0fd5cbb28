//! Makes the generated OpenAPI document say everything the server does.
//!
//! The per-handler annotations describe each operation's own answers; the
//! answers every operation shares (a malformed request, a missing token, a
//! rate limit, a stale `If-Match`…) come from the middleware and extractors, so
//! they are added here once, from what the operation takes, instead of being
//! repeated on 137 handlers where they would drift. The organization header is
//! described once, as part of the credentials, not as a parameter of every
//! tenant operation.

use serde_json::{Map, Value, json};
use utoipa::openapi::OpenApi;

const PROBLEM_MEDIA: &str = "application/problem+json";
const ORG_HEADER: &str = "X-Org-Id";
const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#;
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Rewrites the document in place; see the module comment.
pub fn complete(doc: OpenApi) -> Value {
    // Serializing derived schema types cannot fail in practice; if it ever
    // did, the API still serves and the document says why it is empty.
    let mut value = serde_json::to_value(&doc).unwrap_or_else(|err| {
        tracing::error!(error = %err, "the OpenAPI document does not serialize");
        json!({ "openapi": "3.1.0", "info": { "title": "unavailable", "version": "0" }, "paths": {} })
    });
    complete_json(&mut value);
    value
}

fn complete_json(doc: &mut Value) {
    add_security_schemes(doc);
    nullable_as_any_of(doc);
    name_operations_uniquely(doc);
    link_created_records(doc);
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        for method in METHODS {
            if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                complete_operation(method, operation);
            }
        }
    }
}

fn add_security_schemes(doc: &mut Value) {
    let Some(schemes) = doc
        .pointer_mut("/components/securitySchemes")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    schemes.insert(
        "organization".into(),
        json!({
            "type": "apiKey",
            "in": "header",
            "name": ORG_HEADER,
            "description": "The id of the organization to act in, with a user's bearer token; \
                            the user must be a member. Not needed with an API key, which is bound \
                            to its organization (if sent, it must name that organization)."
        }),
    );
    schemes.insert(
        "api_key".into(),
        json!({
            "type": "http",
            "scheme": "bearer",
            "description": "An API key (`lcrm_…`), bound to one organization and limited to its scopes."
        }),
    );
}

fn complete_operation(method: &str, operation: &mut Map<String, Value>) {
    let tenant = take_org_parameter(operation);
    if tenant {
        operation.insert(
            "security".into(),
            json!([{ "bearer": [], "organization": [] }, { "api_key": [] }]),
        );
    }
    let secured = operation
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty());
    let params = operation
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let takes = |place: &str| params.iter().any(|p| p["in"] == place);
    let header = |name: &str| {
        params
            .iter()
            .any(|p| p["in"] == "header" && p["name"].as_str() == Some(name))
    };
    let has_body = operation.contains_key("requestBody");
    let writes = method != "get";

    let mut statuses = vec![(
        400,
        "The request is malformed (a parameter or the body cannot be read).",
    )];
    statuses.push((
        429,
        "Too many requests; `Retry-After` says when to try again.",
    ));
    if secured {
        statuses.push((401, "No valid credentials."));
        statuses.push((403, "The caller may not do this here."));
    }
    if takes("path") || tenant {
        statuses.push((404, "No such record, or not visible to the caller."));
    }
    if writes {
        statuses.push((
            409,
            "Conflicts with the current state (or a reused `Idempotency-Key`).",
        ));
    }
    if has_body || writes || takes("query") {
        statuses.push((422, "The input is invalid; `errors` names each field."));
    }
    if header("If-Match") {
        statuses.push((412, "`If-Match` names a version that is no longer current."));
    }
    if has_body {
        statuses.push((413, "The body is too large."));
        statuses.push((415, "The body is not `application/json`."));
    }

    describe_if_match(operation);
    let responses = operation
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    let Some(responses) = responses else { return };
    for response in responses.values_mut() {
        serve_problems_as_problem_json(response);
    }
    for (status, description) in statuses {
        responses
            .entry(status.to_string())
            .or_insert_with(|| problem_response(description));
    }
}

/// Handlers of different resources share function names (`list`, `get`…),
/// which the derive takes as operation ids; an id must name one operation, so
/// a shared one becomes the verb and the resource: `list_contacts`,
/// `get_contact`, `list_lead_followers`.
fn name_operations_uniquely(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for item in paths.values() {
        for method in METHODS {
            if let Some(id) = item
                .pointer(&format!("/{method}/operationId"))
                .and_then(Value::as_str)
            {
                *seen.entry(id.to_string()).or_default() += 1;
            }
        }
    }
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let Some(id) = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                continue;
            };
            if seen.get(&id).copied().unwrap_or(0) > 1 {
                op.insert(
                    "operationId".into(),
                    Value::String(resource_operation_id(&id, path)),
                );
            }
        }
    }
}

fn resource_operation_id(verb: &str, path: &str) -> String {
    let words: Vec<String> = path
        .trim_start_matches("/api/v1/")
        .split('/')
        .filter(|s| !s.starts_with('{') && *s != "bulk")
        .map(|s| s.replace('-', "_"))
        .collect();
    let plural = match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, .., last] => format!("{}_{last}", singular(first)),
    };
    let resource = if matches!(verb, "list" | "bulk") {
        plural
    } else {
        singular(&plural)
    };
    format!("{verb}_{resource}")
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        word.strip_suffix('s').unwrap_or(word).to_string()
    }
}

/// A create's answer links to reading, changing and deleting what it made,
/// so a client (or a generated test) can follow the record it just created.
fn link_created_records(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let item_ops: std::collections::HashMap<String, Vec<(String, String)>> = paths
        .iter()
        .filter_map(|(path, item)| {
            let collection = path.strip_suffix("/{id}")?;
            let ops = METHODS
                .iter()
                .filter_map(|m| {
                    let id = item.pointer(&format!("/{m}/operationId"))?.as_str()?;
                    Some((m.to_string(), id.to_string()))
                })
                .collect();
            Some((collection.to_string(), ops))
        })
        .collect();
    for (path, item) in paths.iter_mut() {
        let Some(ops) = item_ops.get(path.as_str()) else {
            continue;
        };
        let Some(created) = item
            .pointer_mut("/post/responses/201")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let links: Map<String, Value> = ops
            .iter()
            .map(|(method, id)| {
                (
                    format!("{method}_created"),
                    json!({ "operationId": id, "parameters": { "id": "$response.body#/id" } }),
                )
            })
            .collect();
        created.insert("links".into(), Value::Object(links));
    }
}

/// `oneOf: [T, null]` is what the derive writes for an `Option<T>`, but when `T`
/// itself admits null (an arbitrary JSON value) a `null` matches both and the
/// value fails `oneOf`; nullability is never exclusive, so say `anyOf`.
fn nullable_as_any_of(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let nullable = map
                .get("oneOf")
                .and_then(Value::as_array)
                .is_some_and(|alts| alts.iter().any(|a| a == &json!({ "type": "null" })));
            if let Some(alts) = nullable.then(|| map.remove("oneOf")).flatten() {
                map.insert("anyOf".into(), alts);
            }
            map.values_mut().for_each(nullable_as_any_of);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_as_any_of),
        _ => {}
    }
}

/// A header is a string, never null, and `If-Match` takes only what
/// `http::if_match` reads.
fn describe_if_match(operation: &mut Map<String, Value>) {
    let Some(params) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for param in params
        .iter_mut()
        .filter(|p| p["in"] == "header" && p["name"] == "If-Match")
    {
        param["schema"] = json!({ "type": "string", "pattern": IF_MATCH_PATTERN });
        param["description"] = json!(
            "The version last read (`\"3\"`, `W/\"3\"` or `3`); `*` or no header means any version."
        );
    }
}

/// Removes the `X-Org-Id` parameter; true when the operation had it.
fn take_org_parameter(operation: &mut Map<String, Value>) -> bool {
    let Some(params) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return false;
    };
    let before = params.len();
    params.retain(|p| !(p["in"] == "header" && p["name"] == ORG_HEADER));
    let had = params.len() != before;
    if params.is_empty() {
        operation.remove("parameters");
    }
    had
}

fn serve_problems_as_problem_json(response: &mut Value) {
    let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    let is_problem = content
        .get("application/json")
        .and_then(|c| c.pointer("/schema/$ref"))
        .and_then(Value::as_str)
        == Some("#/components/schemas/Problem");
    if let Some(media) = is_problem
        .then(|| content.remove("application/json"))
        .flatten()
    {
        content.insert(PROBLEM_MEDIA.into(), media);
    }
}

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { PROBLEM_MEDIA: { "schema": { "$ref": "#/components/schemas/Problem" } } }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn tenant_operations_lose_the_header_and_gain_the_shared_answers() {
        let mut doc = json!({
            "components": { "securitySchemes": { "bearer": {} } },
            "paths": { "/x/{id}": { "patch": {
                "parameters": [
                    { "name": "X-Org-Id", "in": "header" },
                    { "name": "If-Match", "in": "header" },
                    { "name": "id", "in": "path" }
                ],
                "requestBody": {},
                "security": [{ "bearer": [] }],
                "responses": { "200": {}, "404": { "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/Problem" } } } } }
            } } }
        });
        complete_json(&mut doc);
        let op = &doc["paths"]["/x/{id}"]["patch"];
        let names: Vec<_> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].clone())
            .collect();
        assert_eq!(names, vec![json!("If-Match"), json!("id")]);
        assert_eq!(op["security"][0]["organization"], json!([]));
        for status in [
            "400", "401", "403", "404", "409", "412", "413", "415", "422", "429",
        ] {
            assert!(
                op["responses"][status]["content"][PROBLEM_MEDIA].is_object(),
                "{status}"
            );
        }
        assert!(op["responses"]["404"]["content"]["application/json"].is_null());
        assert!(doc["components"]["securitySchemes"]["organization"].is_object());
    }

    #[test]
    fn shared_handler_names_become_resource_operation_ids() {
        assert_eq!(
            resource_operation_id("list", "/api/v1/contacts"),
            "list_contacts"
        );
        assert_eq!(
            resource_operation_id("get", "/api/v1/companies/{id}"),
            "get_company"
        );
        assert_eq!(
            resource_operation_id("bulk", "/api/v1/leads/bulk"),
            "bulk_leads"
        );
        assert_eq!(
            resource_operation_id("create", "/api/v1/custom-fields"),
            "create_custom_field"
        );
        assert_eq!(
            resource_operation_id("list", "/api/v1/leads/{id}/followers"),
            "list_lead_followers"
        );
    }

    #[test]
    fn the_served_document_names_every_operation_once_and_links_creates() {
        let (_, doc) = crate::http::api();
        let mut ids = std::collections::HashSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in METHODS {
                if let Some(id) = item[method]["operationId"].as_str() {
                    assert!(
                        ids.insert(id.to_string()),
                        "{id} names two operations ({method} {path})"
                    );
                    let params = item[method]["parameters"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    assert!(
                        !params.iter().any(|p| p["name"] == ORG_HEADER),
                        "{method} {path}"
                    );
                }
            }
        }
        let link =
            &doc["paths"]["/api/v1/contacts"]["post"]["responses"]["201"]["links"]["get_created"];
        assert_eq!(link["operationId"], "get_contact");
    }

    #[test]
    fn if_match_reads_exactly_what_its_pattern_allows() {
        let read = |v: &str| {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert("if-match", v.parse().unwrap());
            crate::http::if_match(&headers).ok()
        };
        for (sent, version) in [
            ("3", Some(3)),
            ("\"3\"", Some(3)),
            ("W/\"12\"", Some(12)),
            ("*", None),
        ] {
            assert_eq!(read(sent), Some(version), "{sent}");
        }
        for refused in [
            "",
            "W/3",
            "\"\"3\"\"",
            "+3",
            "-1",
            "3\"",
            "\"3",
            "1234567890123456789",
            "x",
        ] {
            assert_eq!(read(refused), None, "{refused}");
        }
    }

    #[test]
    fn nullable_values_use_any_of() {
        let mut doc = json!({ "components": { "schemas": { "A": { "properties": { "v": {
            "oneOf": [{ "$ref": "#/components/schemas/Value" }, { "type": "null" }] } } } } } });
        complete_json(&mut doc);
        let v = &doc["components"]["schemas"]["A"]["properties"]["v"];
        assert!(v["oneOf"].is_null());
        assert_eq!(v["anyOf"][1], json!({ "type": "null" }));
    }

    #[test]
    fn public_reads_do_not_claim_authentication_answers() {
        let mut doc = json!({ "paths": { "/h": { "get": { "responses": { "200": {} } } } } });
        complete_json(&mut doc);
        let responses = doc["paths"]["/h"]["get"]["responses"].as_object().unwrap();
        assert!(!responses.contains_key("401"));
        assert!(responses.contains_key("429"));
    }
}
