//! `GET /search`, the one box over every record type: each type in its own
//! list, case and accents ignored, and a sales member finds only what they
//! may open.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, email};
use crate::on_both;

on_both!(one_search_finds_every_type_and_only_what_the_caller_may_see);

async fn post(app: &TestApp, s: &Session, path: &str, body: Value) -> String {
    let res = app
        .api(Method::POST, path, Some(s))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "POST {path}");
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The titles found per type for `q`.
async fn search(app: &TestApp, s: &Session, q: &str) -> Value {
    let res = app
        .api(Method::GET, &format!("/search?q={q}&limit=20"), Some(s))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let titles = |kind: &str| -> Vec<String> {
        let mut t: Vec<String> = body[kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect();
        t.sort();
        t
    };
    json!({
        "contacts": titles("contacts"), "companies": titles("companies"),
        "leads": titles("leads"), "projects": titles("projects"), "tasks": titles("tasks"),
    })
}

async fn one_search_finds_every_type_and_only_what_the_caller_may_see(app: TestApp) {
    let owner = app.register(&email("find-owner")).await;
    let sales = app
        .add_member(&owner, &app.register(&email("find-sales")).await, "sales")
        .await;
    // The owner's records, none of them the sales member's.
    let company = post(
        &app,
        &owner,
        "/companies",
        json!({"name": "Construtora São João"}),
    )
    .await;
    post(
        &app,
        &owner,
        "/contacts",
        json!({"name": "João Araújo", "company_id": company}),
    )
    .await;
    post(&app, &owner, "/leads", json!({"full_name": "Obra do João"})).await;
    post(
        &app,
        &owner,
        "/projects",
        json!({"name": "Reforma São João"}),
    )
    .await;
    post(&app, &owner, "/tasks", json!({"name": "Ligar para o João"})).await;
    // The sales member's own lead, and one of the owner's shared with them.
    post(
        &app,
        &sales,
        "/leads",
        json!({"full_name": "Joao's second deal"}),
    )
    .await;
    let shared = post(
        &app,
        &owner,
        "/leads",
        json!({"full_name": "João shared deal"}),
    )
    .await;
    let res = app
        .api(Method::POST, "/shares", Some(&owner))
        .json(&json!({"entity_type": "lead", "record_id": shared, "user_id": sales.user_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    // Without the accent, in capitals, by a prefix: the owner finds all.
    for q in ["joao", "JOÃO", "joa"] {
        assert_eq!(
            search(&app, &owner, q).await,
            json!({
                "contacts": ["João Araújo"],
                "companies": ["Construtora São João"],
                "leads": ["Joao's second deal", "João shared deal", "Obra do João"],
                "projects": ["Reforma São João"],
                "tasks": ["Ligar para o João"],
            }),
            "{q}"
        );
    }
    // The sales member finds their own lead and the shared one, nothing else.
    assert_eq!(
        search(&app, &sales, "joao").await,
        json!({
            "contacts": [], "companies": [], "projects": [], "tasks": [],
            "leads": ["Joao's second deal", "João shared deal"],
        })
    );
    // Another organization finds nothing of it.
    let stranger = app.register(&email("find-stranger")).await;
    assert_eq!(
        search(&app, &stranger, "joao").await,
        json!({"contacts": [], "companies": [], "leads": [], "projects": [], "tasks": []})
    );
}
