//! `POST /leads/{id}/convert`: the lead links to (or creates) its contact and
//! company without duplicating the organization's existing ones.

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;
use crate::pipelines::lead;

on_both!(
    converting_creates_the_contact_and_company_once,
    converting_reuses_the_contact_by_email_and_the_company_by_name,
    conversion_checks_ids_roles_and_versions,
);

async fn convert(app: &TestApp, s: &Session, id: &str, body: Value) -> Response {
    app.api(Method::POST, &format!("/leads/{id}/convert"), Some(s))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

async fn total(app: &TestApp, s: &Session, path: &str) -> u64 {
    get(app, s, &format!("{path}?count=true&limit=1")).await["total"]
        .as_u64()
        .unwrap()
}

async fn activity_kinds(app: &TestApp, s: &Session, path: &str) -> Vec<String> {
    get(app, s, path).await["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["kind"].as_str().map(String::from))
        .collect()
}

async fn converting_creates_the_contact_and_company_once(app: TestApp) {
    let owner = app.register(&email("conv")).await;
    let seller = app.register(&email("conv-sales")).await;
    let seller = app.add_member(&owner, &seller, "sales").await;
    let l = lead(
        &app,
        &owner,
        json!({"full_name": "Maria da Silva", "email": "maria@acme.com.br",
               "phone": "+55 11 91234-5678", "company_name": "Acme Ltda",
               "source": "web", "assigned_to": seller.user_id}),
    )
    .await;
    let id = l["id"].as_str().unwrap();
    let res = convert(&app, &owner, id, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"2\"");
    let out: Value = res.json().await.unwrap();
    let (converted, contact, company) = (&out["lead"], &out["contact"], &out["company"]);
    assert_eq!(converted["version"], 2);
    assert!(converted["converted_at"].is_string());
    assert_eq!(contact["first_name"], "Maria");
    assert_eq!(contact["last_name"], "da Silva");
    assert_eq!(contact["email"], "maria@acme.com.br");
    assert_eq!(contact["phone"], "+5511912345678");
    assert_eq!(contact["owner_id"], seller.user_id.to_string());
    assert_eq!(contact["company_id"], company["id"]);
    assert_eq!(company["name"], "Acme Ltda");
    assert_eq!(company["owner_id"], seller.user_id.to_string());
    assert_eq!(converted["contact_id"], contact["id"]);
    assert_eq!(converted["company_id"], company["id"]);
    // The stored lead agrees, and both timelines show the conversion.
    let stored = get(&app, &owner, &format!("/leads/{id}")).await;
    assert_eq!(&stored, converted);
    let kinds = activity_kinds(&app, &owner, &format!("/leads/{id}/timeline")).await;
    assert_eq!(kinds, ["lead_converted"]);
    let cid = contact["id"].as_str().unwrap();
    let kinds = activity_kinds(&app, &owner, &format!("/contacts/{cid}/timeline")).await;
    assert_eq!(kinds, ["lead_converted"]);

    // Once only.
    let res = convert(&app, &owner, id, json!({})).await;
    assert_problem(res, StatusCode::CONFLICT, "already_converted").await;
    assert_eq!(total(&app, &owner, "/contacts").await, 1);
    assert_eq!(total(&app, &owner, "/companies").await, 1);

    // The same Idempotency-Key answers with the first response.
    let l2 = lead(
        &app,
        &owner,
        json!({"full_name": "João", "company_name": "Beta"}),
    )
    .await;
    let id2 = l2["id"].as_str().unwrap();
    let send = || {
        app.api(Method::POST, &format!("/leads/{id2}/convert"), Some(&owner))
            .header("idempotency-key", "convert-joao")
            .json(&json!({"create_company": true}))
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(total(&app, &owner, "/contacts").await, 2);
    assert_eq!(total(&app, &owner, "/companies").await, 2);
}

async fn converting_reuses_the_contact_by_email_and_the_company_by_name(app: TestApp) {
    let s = app.register(&email("reuse")).await;
    let company = app
        .api(Method::POST, "/companies", Some(&s))
        .json(&json!({"name": "Açaí  Comércio"}))
        .send()
        .await
        .unwrap();
    let company: Value = company.json().await.unwrap();
    let contact = app
        .api(Method::POST, "/contacts", Some(&s))
        .json(&json!({"name": "Ana Existing", "email": "ana@acai.com"}))
        .send()
        .await
        .unwrap();
    let contact: Value = contact.json().await.unwrap();
    let l = lead(
        &app,
        &s,
        json!({"full_name": "Ana From Form", "email": "ANA@acai.com",
               "company_name": "acai comercio"}),
    )
    .await;
    let out: Value = convert(&app, &s, l["id"].as_str().unwrap(), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["contact"]["id"], contact["id"]);
    assert_eq!(out["contact"]["name"], "Ana Existing", "left as it was");
    assert_eq!(out["company"]["id"], company["id"]);
    assert_eq!(out["lead"]["contact_id"], contact["id"]);
    assert_eq!(total(&app, &s, "/contacts").await, 1);
    assert_eq!(total(&app, &s, "/companies").await, 1);

    // Ids given are linked as they are.
    let l = lead(
        &app,
        &s,
        json!({"full_name": "Other", "company_name": "Zeta"}),
    )
    .await;
    let body = json!({"contact_id": contact["id"], "company_id": company["id"]});
    let out: Value = convert(&app, &s, l["id"].as_str().unwrap(), body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["lead"]["contact_id"], contact["id"]);
    assert_eq!(out["lead"]["company_id"], company["id"]);
    // Asked not to create anything, with nothing to find: only marked converted.
    let l = lead(
        &app,
        &s,
        json!({"full_name": "Nobody", "company_name": "Nowhere"}),
    )
    .await;
    let body = json!({"create_contact": false, "create_company": false});
    let res = convert(&app, &s, l["id"].as_str().unwrap(), body).await;
    assert_eq!(res.status(), StatusCode::OK);
    let out: Value = res.json().await.unwrap();
    assert!(out["contact"].is_null() && out["company"].is_null());
    assert!(out["lead"]["converted_at"].is_string());
    assert_eq!(total(&app, &s, "/contacts").await, 1);
    assert_eq!(total(&app, &s, "/companies").await, 1);
}

async fn conversion_checks_ids_roles_and_versions(app: TestApp) {
    let a = app.register(&email("conv-a")).await;
    let b = app.register(&email("conv-b")).await;
    let theirs = app
        .api(Method::POST, "/contacts", Some(&b))
        .json(&json!({"name": "Theirs"}))
        .send()
        .await
        .unwrap();
    let theirs: Value = theirs.json().await.unwrap();
    let their_company = app
        .api(Method::POST, "/companies", Some(&b))
        .json(&json!({"name": "Their Co"}))
        .send()
        .await
        .unwrap();
    let their_company: Value = their_company.json().await.unwrap();
    let l = lead(
        &app,
        &a,
        json!({"full_name": "Mine", "company_name": "Mine Co"}),
    )
    .await;
    let id = l["id"].as_str().unwrap();
    let body = json!({"contact_id": theirs["id"], "company_id": their_company["id"]});
    let res = convert(&app, &a, id, body).await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["contact_id", "company_id"]);
    // Another organization's lead does not exist.
    let res = convert(&app, &b, id, json!({})).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;

    let viewer = app.register(&email("conv-viewer")).await;
    let viewer = app.add_member(&a, &viewer, "viewer").await;
    let res = convert(&app, &viewer, id, json!({})).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;

    let res = app
        .api(Method::POST, &format!("/leads/{id}/convert"), Some(&a))
        .header("if-match", "\"7\"")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    assert_eq!(problem["current_version"], 1);
    let after = get(&app, &a, &format!("/leads/{id}")).await;
    assert!(after["converted_at"].is_null() && after["contact_id"].is_null());
    assert_eq!(total(&app, &a, "/contacts").await, 0);
    let res = app
        .api(Method::POST, &format!("/leads/{id}/convert"), Some(&a))
        .header("if-match", "\"1\"")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
