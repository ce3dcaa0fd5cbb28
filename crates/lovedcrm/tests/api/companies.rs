//! `/companies`, and the checks every record resource shares (`records`
//! below), which `projects.rs` and `tasks.rs` run too.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;
use records::{create, get_json, send};

on_both!(
    companies_round_trip,
    company_validation_names_the_fields,
    company_stale_writes_get_412,
    company_pages_survive_inserts,
    company_search_ignores_accents,
    company_create_is_idempotent,
    company_visibility_follows_roles,
    company_is_invisible_to_other_organizations,
);

fn company(name: &str) -> Value {
    json!({"name": name})
}

async fn companies_round_trip(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let created = create(
        &app,
        &s,
        "/companies",
        &json!({"name": " Acme Ltda ", "description": "Agency client", "industry": "Retail",
                "domain": "https://www.Acme.com/x", "size": "11-50", "address": "Av. Paulista, 1",
                "tags": ["vip", "Hot"]}),
    )
    .await;
    assert_eq!(created["name"], "Acme Ltda");
    assert_eq!(created["domain"], "acme.com");
    assert_eq!(created["owner_id"], s.user_id.to_string());
    assert_eq!(created["created_by"], s.user_id.to_string());
    assert_eq!(created["tags"], json!(["Hot", "vip"]));
    assert_eq!(created["version"], 1);
    let url = format!("/companies/{}", created["id"].as_str().unwrap());

    // Contacts and projects point at it; its counts show on GET.
    let contact = create(
        &app,
        &s,
        "/contacts",
        &json!({"name": "Ana", "company_id": created["id"]}),
    )
    .await;
    let project = create(
        &app,
        &s,
        "/projects",
        &json!({"name": "Site", "company_id": created["id"]}),
    )
    .await;
    let res = send(&app, Method::GET, &url, &s, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"1\"");
    let got: Value = res.json().await.unwrap();
    assert_eq!(got["contact_count"], 1);
    assert_eq!(got["open_lead_count"], 0);
    assert_eq!(got["domain"], "acme.com");

    for query in [
        "domain=acme.com",
        "industry[contains]=ret",
        "tags=vip",
        "size[is_null]=false",
    ] {
        let page = get_json(&app, &s, &format!("/companies?{query}&count=true")).await;
        assert_eq!(page["total"], 1, "{query}");
        assert_eq!(page["data"][0]["id"], created["id"], "{query}");
    }

    let patched = send(
        &app,
        Method::PATCH,
        &url,
        &s,
        Some(&json!({"description": null,
        "domain": "acme.com.br", "tags": ["new"]})),
    )
    .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["description"], Value::Null);
    assert_eq!(patched["domain"], "acme.com.br");
    assert_eq!(patched["name"], "Acme Ltda");
    assert_eq!(patched["tags"], json!(["new"]));
    assert_eq!(patched["version"], 2);

    // Deleting unlinks the contact and the project rather than deleting them.
    let res = app
        .api(Method::DELETE, &url, Some(&s))
        .header("if-match", "\"2\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = send(&app, Method::GET, &url, &s, None).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let contact = get_json(
        &app,
        &s,
        &format!("/contacts/{}", contact["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(contact["company_id"], Value::Null);
    let project = get_json(
        &app,
        &s,
        &format!("/projects/{}", project["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(project["company_id"], Value::Null);
}

async fn company_validation_names_the_fields(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let res = send(
        &app,
        Method::POST,
        "/companies",
        &s,
        Some(&json!({"domain": "not a domain",
        "owner_id": uuid::Uuid::now_v7(), "size": "x".repeat(51)})),
    )
    .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        records::fields_of(&body),
        ["domain", "name", "owner_id", "size"]
    );

    let res = send(
        &app,
        Method::POST,
        "/companies",
        &s,
        Some(&json!({"name": "A", "colour": "red"})),
    )
    .await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(records::fields_of(&body), ["colour"]);

    let id = create(&app, &s, "/companies", &company("Acme")).await["id"].clone();
    let url = format!("/companies/{}", id.as_str().unwrap());
    for (patch, field) in [
        (json!({"name": null}), "name"),
        (json!({"name": "  "}), "name"),
        (json!({"domain": "acme"}), "domain"),
    ] {
        let res = send(&app, Method::PATCH, &url, &s, Some(&patch)).await;
        let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(records::fields_of(&body), [field], "{patch}");
    }
    assert_eq!(get_json(&app, &s, &url).await["version"], 1);
}

async fn company_stale_writes_get_412(app: TestApp) {
    records::stale_if_match(
        &app,
        "/companies",
        &company("Acme"),
        &json!({"industry": "A"}),
        &json!({"industry": "B"}),
    )
    .await;
}

async fn company_pages_survive_inserts(app: TestApp) {
    records::pages_survive_inserts(&app, "/companies", company).await;
}

async fn company_search_ignores_accents(app: TestApp) {
    records::search_ignores_accents(&app, "/companies", company).await;
}

async fn company_create_is_idempotent(app: TestApp) {
    records::idempotent_create(&app, "/companies", &company("Acme"), &company("Other")).await;
}

async fn company_visibility_follows_roles(app: TestApp) {
    records::visibility_follows_roles(&app, "/companies", company, &json!({"industry": "X"})).await;
}

async fn company_is_invisible_to_other_organizations(app: TestApp) {
    records::invisible_to_other_organizations(
        &app,
        "/companies",
        &company("Acme"),
        &json!({"name": "Hijacked"}),
    )
    .await;
}

/// Checks every record resource passes, given its path and a body maker.
pub mod records;
