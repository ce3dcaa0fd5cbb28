//! The workspace an organization makes its own (name, default currency,
//! logo, colour) and the board's filters, totals per currency, outcomes and
//! next tasks.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;
use crate::pipelines::{default_pipeline, lead};

on_both!(
    the_workspace_is_renamed_and_branded_by_its_admins_only,
    the_default_currency_is_the_sign_up_language_s_and_new_leads_take_it,
    the_board_filters_by_owner_tags_and_words_and_totals_each_currency_apart,
);

async fn get(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

async fn patch_org(app: &TestApp, s: &Session, version: &Value, body: Value) -> reqwest::Response {
    app.api(Method::PATCH, "/organizations/current", Some(s))
        .header("if-match", version.to_string())
        .json(&body)
        .send()
        .await
        .unwrap()
}

const LOGO: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

async fn the_workspace_is_renamed_and_branded_by_its_admins_only(app: TestApp) {
    let owner = app.register(&email("brand")).await;
    let org = get(&app, &owner, "/organizations/current").await;
    let res = patch_org(
        &app,
        &owner,
        &org["version"],
        json!({"name": "Agência Sol", "default_currency": "eur", "logo": LOGO, "brand_color": "#FF6600"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = get(&app, &owner, "/organizations/current").await;
    assert_eq!(after["name"], "Agência Sol");
    assert_eq!(after["default_currency"], "EUR");
    assert_eq!(after["logo"], LOGO);
    assert_eq!(after["brand_color"], "#ff6600");

    // Bad values are refused by name, and nothing of the request is kept.
    let res = patch_org(
        &app,
        &owner,
        &after["version"],
        json!({"name": "Other", "default_currency": "R$", "logo": "https://x.example/logo.png", "brand_color": "orange"}),
    )
    .await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["default_currency", "logo", "brand_color"]);
    assert_eq!(
        get(&app, &owner, "/organizations/current").await["name"],
        "Agência Sol"
    );

    // A stale version is a conflict, not an overwrite.
    let res = patch_org(&app, &owner, &org["version"], json!({"name": "Late"})).await;
    assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;

    // null removes the logo and colour.
    let res = patch_org(
        &app,
        &owner,
        &after["version"],
        json!({"logo": null, "brand_color": null}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cleared = get(&app, &owner, "/organizations/current").await;
    assert!(cleared["logo"].is_null() && cleared["brand_color"].is_null());
    assert_eq!(cleared["name"], "Agência Sol");

    // A sales member sees the brand but cannot change it.
    let sales = app.register(&email("brand-sales")).await;
    let sales = app.add_member(&owner, &sales, "sales").await;
    let seen = get(&app, &sales, "/organizations/current").await;
    assert_eq!(seen["name"], "Agência Sol");
    let res = patch_org(&app, &sales, &seen["version"], json!({"name": "Mine"})).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn the_default_currency_is_the_sign_up_language_s_and_new_leads_take_it(app: TestApp) {
    // Signed up in Portuguese: reais; in English: dollars.
    let res = app
        .api(Method::POST, "/auth/register", None)
        .header("accept-language", "pt-BR")
        .json(&json!({"email": email("reais"), "password": "correct horse battery", "name": "Ana"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let pt = crate::helpers::session_from(&res.json().await.unwrap());
    assert_eq!(
        get(&app, &pt, "/organizations/current").await["default_currency"],
        "BRL"
    );
    let en = app.register(&email("dollars")).await;
    assert_eq!(
        get(&app, &en, "/organizations/current").await["default_currency"],
        "USD"
    );

    // A lead without a currency takes the organization's; the dashboard's
    // sums are in it too.
    let l = lead(
        &app,
        &en,
        json!({"full_name": "Bob", "estimated_value": 1000}),
    )
    .await;
    assert_eq!(l["currency"], "USD");
    let org = get(&app, &en, "/organizations/current").await;
    let res = patch_org(
        &app,
        &en,
        &org["version"],
        json!({"default_currency": "GBP"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let l2 = lead(
        &app,
        &en,
        json!({"full_name": "Carol", "estimated_value": 10}),
    )
    .await;
    assert_eq!(l2["currency"], "GBP");
    // The lead made before keeps its own.
    let again = get(&app, &en, &format!("/leads/{}", l["id"].as_str().unwrap())).await;
    assert_eq!(again["currency"], "USD");
}

fn column<'a>(board: &'a Value, name: &str) -> &'a Value {
    board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"]["name"] == name)
        .unwrap()
}

fn names(col: &Value) -> Vec<String> {
    let mut n: Vec<String> = col["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

async fn the_board_filters_by_owner_tags_and_words_and_totals_each_currency_apart(app: TestApp) {
    let owner = app.register(&email("board-f")).await;
    let sales = app.register(&email("board-f-sales")).await;
    let sales = app.add_member(&owner, &sales, "manager").await;
    let p = default_pipeline(&app, &owner).await;
    let pid = p["id"].as_str().unwrap();
    let a = lead(&app, &owner, json!({"full_name": "Alpha Agro", "estimated_value": 100, "currency": "BRL", "probability": 50, "tags": ["hot"]})).await;
    lead(&app, &owner, json!({"full_name": "Beta Bank", "estimated_value": 300, "currency": "USD", "probability": 10})).await;
    lead(&app, &owner, json!({"full_name": "Gamma Gym", "estimated_value": 50, "currency": "BRL", "assigned_to": sales.user_id, "tags": ["hot", "gym"]})).await;

    let board = get(&app, &owner, &format!("/pipelines/{pid}/board")).await;
    assert_eq!(board["currency"], "USD");
    let col = column(&board, "Lead");
    assert_eq!(col["count"], 3);
    assert_eq!(
        col["totals"],
        json!([
            {"currency": "BRL", "count": 2, "value": 150.0, "weighted": 55.0},
            {"currency": "USD", "count": 1, "value": 300.0, "weighted": 30.0},
        ])
    );
    // The headline sum is the organization's currency only: never BRL + USD.
    assert_eq!(col["value_total"], 300.0);
    assert!(col["outcomes"].is_null());

    let path = |q: &str| format!("/pipelines/{pid}/board?{q}");
    let mine = get(&app, &sales, &path("assigned_to=me")).await;
    assert_eq!(names(column(&mine, "Lead")), ["Gamma Gym"]);
    assert_eq!(column(&mine, "Lead")["count"], 1);
    let theirs = get(
        &app,
        &owner,
        &path(&format!("assigned_to={}", sales.user_id)),
    )
    .await;
    assert_eq!(names(column(&theirs, "Lead")), ["Gamma Gym"]);
    let hot = get(&app, &owner, &path("tags=hot")).await;
    assert_eq!(names(column(&hot, "Lead")), ["Alpha Agro", "Gamma Gym"]);
    assert_eq!(column(&hot, "Lead")["totals"][0]["value"], 150.0);
    let words = get(&app, &owner, &path("q=bank")).await;
    assert_eq!(names(column(&words, "Lead")), ["Beta Bank"]);
    let bad = app
        .api(Method::GET, &path("assigned_to=someone"), Some(&owner))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(bad, StatusCode::BAD_REQUEST, "invalid_query").await;
    assert_eq!(problem["errors"][0]["field"], "assigned_to");

    // The next open task and whether it is overdue.
    let aid = a["id"].as_str().unwrap();
    for (name, due) in [
        ("Later", "2099-01-01T10:00:00Z"),
        ("Call back", "2020-01-01T10:00:00Z"),
    ] {
        let res = app
            .api(Method::POST, "/tasks", Some(&owner))
            .json(&json!({"name": name, "lead_id": aid, "due_date": due}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let board = get(&app, &owner, &format!("/pipelines/{pid}/board")).await;
    let card = column(&board, "Lead")["leads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == aid)
        .unwrap()
        .clone();
    assert_eq!(card["next_task"]["name"], "Call back");
    assert_eq!(card["next_task"]["overdue"], true);
    assert_eq!(card["tags"], json!(["hot"]));

    // Won and lost counted apart in the closing column.
    let closed = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "closed")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (i, outcome) in ["won", "won", "lost"].iter().enumerate() {
        let l = lead(&app, &owner, json!({"full_name": format!("Closed {i}")})).await;
        let mut body = json!({"stage_id": closed, "outcome": outcome});
        if *outcome == "lost" {
            body["lost_reason"] = json!("price");
        }
        let res = app
            .api(
                Method::PATCH,
                &format!("/leads/{}/stage", l["id"].as_str().unwrap()),
                Some(&owner),
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "move to closed");
    }
    let board = get(&app, &owner, &format!("/pipelines/{pid}/board")).await;
    let col = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"]["id"] == closed)
        .unwrap();
    assert_eq!(col["outcomes"], json!({"won": 2, "lost": 1}));
    assert_eq!(column(&board, "Lead")["count"], 3);
}
