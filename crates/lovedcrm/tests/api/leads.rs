//! Leads: creation defaults, moves between and within stages, closing,
//! concurrency, visibility and isolation.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;
use crate::pipelines::{default_pipeline, lead, stage_id};

on_both!(
    leads_default_to_the_first_stage_and_validate,
    moves_place_cards_and_write_the_timeline,
    closing_asks_won_or_lost,
    a_stale_move_gets_412_with_the_current_version,
    leads_are_private_to_their_assignee_for_sales,
    leads_of_another_organization_do_not_exist,
);

async fn get(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

async fn mv(app: &TestApp, s: &Session, id: &str, body: Value) -> reqwest::Response {
    app.api(Method::PATCH, &format!("/leads/{id}/stage"), Some(s))
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn column(board: &Value, name: &str) -> Vec<String> {
    board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"]["name"] == name)
        .unwrap()["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_string())
        .collect()
}

async fn leads_default_to_the_first_stage_and_validate(app: TestApp) {
    let s = app.register(&email("lead")).await;
    let p = default_pipeline(&app, &s).await;
    let l = lead(
        &app,
        &s,
        json!({"full_name": "Acme deal", "email": "Buyer@Acme.com", "estimated_value": 1234.567,
                                  "currency": "usd", "source": "web", "tags": ["inbound"]}),
    )
    .await;
    assert_eq!(l["pipeline_id"], p["id"]);
    assert_eq!(l["stage_id"], stage_id(&p, "Lead"));
    assert_eq!(l["status"], "open");
    assert_eq!(l["estimated_value"], 1234.57);
    assert_eq!(l["currency"], "USD");
    assert_eq!(l["probability"], 10, "the stage's probability");
    assert_eq!(l["assigned_to"], s.user_id.to_string());
    assert_eq!(l["tags"], json!(["inbound"]));
    let res = app.api(Method::POST, "/leads", Some(&s))
        .json(&json!({"full_name": "", "estimated_value": -5, "currency": "reais", "source": "pigeon", "probability": 120}))
        .send().await.unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "full_name",
            "estimated_value",
            "currency",
            "probability",
            "source"
        ]
    );
    let res = app
        .api(Method::POST, "/leads", Some(&s))
        .json(&json!({"full_name": "x", "stage_id": uuid::Uuid::now_v7()}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "stage_id");
    let res = app
        .api(
            Method::PATCH,
            &format!("/leads/{}", l["id"].as_str().unwrap()),
            Some(&s),
        )
        .json(&json!({"stage_id": stage_id(&p, "Contact")}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(problem["errors"][0]["field"], "stage_id");
    let found = get(
        &app,
        &s,
        "/leads?q=acme&status=open&estimated_value[gte]=1000",
    )
    .await;
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
}

async fn moves_place_cards_and_write_the_timeline(app: TestApp) {
    let s = app.register(&email("move")).await;
    let p = default_pipeline(&app, &s).await;
    let pid = p["id"].as_str().unwrap();
    let proposal = stage_id(&p, "Proposal");
    let mut ids = Vec::new();
    for name in ["A", "B", "C", "D"] {
        ids.push(
            lead(&app, &s, json!({"full_name": name})).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let board_path = format!("/pipelines/{pid}/board");
    assert_eq!(
        column(&get(&app, &s, &board_path).await, "Lead"),
        ["A", "B", "C", "D"]
    );
    // Within the column: D to the top, A between B and C.
    assert_eq!(
        mv(
            &app,
            &s,
            &ids[3],
            json!({"stage_id": stage_id(&p, "Lead"), "position": 0})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        mv(
            &app,
            &s,
            &ids[0],
            json!({"stage_id": stage_id(&p, "Lead"), "position": 2})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        column(&get(&app, &s, &board_path).await, "Lead"),
        ["D", "B", "A", "C"]
    );
    // Between columns, at a place.
    mv(&app, &s, &ids[1], json!({"stage_id": proposal})).await;
    let res = mv(
        &app,
        &s,
        &ids[2],
        json!({"stage_id": proposal, "position": 0}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let moved: Value = res.json().await.unwrap();
    assert_eq!(moved["stage_id"], proposal);
    assert_eq!(moved["probability"], 50);
    let board = get(&app, &s, &board_path).await;
    assert_eq!(column(&board, "Lead"), ["D", "A"]);
    assert_eq!(column(&board, "Proposal"), ["C", "B"]);
    // Many moves to the same spot keep the order right (positions get respaced).
    for _ in 0..60 {
        mv(
            &app,
            &s,
            &ids[3],
            json!({"stage_id": proposal, "position": 1}),
        )
        .await;
        mv(
            &app,
            &s,
            &ids[0],
            json!({"stage_id": proposal, "position": 1}),
        )
        .await;
    }
    assert_eq!(
        column(&get(&app, &s, &board_path).await, "Proposal"),
        ["C", "A", "D", "B"]
    );

    let timeline = get(
        &app,
        &s,
        &format!("/leads/{}/timeline?channel=activity", ids[2]),
    )
    .await;
    let item = &timeline["data"][0];
    assert_eq!(item["kind"], "stage_changed");
    assert_eq!(item["data"]["from_stage"], "Lead");
    assert_eq!(item["data"]["to_stage"], "Proposal");
    assert_eq!(item["actor_id"], s.user_id.to_string());
}

async fn closing_asks_won_or_lost(app: TestApp) {
    let s = app.register(&email("close")).await;
    let p = default_pipeline(&app, &s).await;
    let closed = stage_id(&p, "Closed");
    let won = lead(&app, &s, json!({"full_name": "Winner"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let lost = lead(&app, &s, json!({"full_name": "Loser"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = mv(&app, &s, &won, json!({"stage_id": closed})).await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "outcome");
    let res = mv(
        &app,
        &s,
        &won,
        json!({"stage_id": closed, "outcome": "won"}),
    )
    .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "won");
    assert!(body["closed_at"].is_string());
    let res = mv(
        &app,
        &s,
        &lost,
        json!({"stage_id": closed, "outcome": "lost"}),
    )
    .await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "lost_reason");
    let body: Value = mv(
        &app,
        &s,
        &lost,
        json!({"stage_id": closed, "outcome": "lost", "lost_reason": "Price"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["status"], "lost");
    assert_eq!(body["lost_reason"], "Price");
    // Back to an open stage reopens it.
    let body: Value = mv(
        &app,
        &s,
        &lost,
        json!({"stage_id": stage_id(&p, "Negotiation")}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["status"], "open");
    assert_eq!(body["closed_at"], Value::Null);
    assert_eq!(body["lost_reason"], Value::Null);
    assert_eq!(
        get(&app, &s, "/leads?status=won").await["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn a_stale_move_gets_412_with_the_current_version(app: TestApp) {
    let owner = app.register(&email("race")).await;
    let mate = app.register(&email("race-mate")).await;
    let mate = app.add_member(&owner, &mate, "manager").await;
    let p = default_pipeline(&app, &owner).await;
    let l = lead(&app, &owner, json!({"full_name": "Contested"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Both read version 1; the teammate moves first.
    let first = app
        .api(Method::PATCH, &format!("/leads/{l}/stage"), Some(&mate))
        .header("if-match", "\"1\"")
        .json(&json!({"stage_id": stage_id(&p, "Proposal")}))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["etag"], "\"2\"");
    let second = app
        .api(Method::PATCH, &format!("/leads/{l}/stage"), Some(&owner))
        .header("if-match", "\"1\"")
        .json(&json!({"stage_id": stage_id(&p, "Contact")}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(second, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    assert_eq!(problem["current_version"], 2);
    let now = get(&app, &owner, &format!("/leads/{l}")).await;
    assert_eq!(
        now["stage_id"],
        stage_id(&p, "Proposal"),
        "the first move stands"
    );
    let res = app
        .api(Method::PATCH, &format!("/leads/{l}"), Some(&owner))
        .header("if-match", "\"1\"")
        .json(&json!({"score": 10}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
}

async fn leads_are_private_to_their_assignee_for_sales(app: TestApp) {
    let owner = app.register(&email("vis")).await;
    let sales = app.register(&email("vis-sales")).await;
    let sales = app.add_member(&owner, &sales, "sales").await;
    let p = default_pipeline(&app, &owner).await;
    lead(&app, &owner, json!({"full_name": "Owner's lead"})).await;
    lead(
        &app,
        &owner,
        json!({"full_name": "For sales", "assigned_to": sales.user_id, "estimated_value": 10}),
    )
    .await;
    let mine = get(&app, &sales, "/leads").await;
    let titles: Vec<&str> = mine["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["For sales"]);
    let board = get(
        &app,
        &sales,
        &format!("/pipelines/{}/board", p["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(board["columns"][0]["count"], 1, "counts follow visibility");
    assert_eq!(board["columns"][0]["value_total"], 10.0);
    assert_eq!(get(&app, &owner, "/leads?count=true").await["total"], 2);
}

async fn leads_of_another_organization_do_not_exist(app: TestApp) {
    let a = app.register(&email("la")).await;
    let b = app.register(&email("lb")).await;
    let pa = default_pipeline(&app, &a).await;
    let pb = default_pipeline(&app, &b).await;
    let l = lead(&app, &a, json!({"full_name": "A's deal"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (method, path, body) in [
        (Method::GET, format!("/leads/{l}"), None),
        (
            Method::PATCH,
            format!("/leads/{l}"),
            Some(json!({"score": 1})),
        ),
        (
            Method::PATCH,
            format!("/leads/{l}/stage"),
            Some(json!({"stage_id": stage_id(&pb, "Contact")})),
        ),
        (Method::GET, format!("/leads/{l}/timeline"), None),
        (Method::DELETE, format!("/leads/{l}"), None),
        (
            Method::GET,
            format!("/pipelines/{}/board", pa["id"].as_str().unwrap()),
            None,
        ),
    ] {
        let mut req = app.api(method.clone(), &path, Some(&b));
        if let Some(body) = &body {
            req = req.json(body);
        }
        assert_problem(
            req.send().await.unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // B cannot put its lead in A's stage either.
    let res = app
        .api(Method::POST, "/leads", Some(&b))
        .json(&json!({"full_name": "x", "stage_id": stage_id(&pa, "Lead")}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let after = get(&app, &a, &format!("/leads/{l}")).await;
    assert_eq!(after["version"], 1, "nothing changed");
}
