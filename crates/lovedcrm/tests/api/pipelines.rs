//! Pipelines and stages: the default pipeline, customization, stage deletion
//! with a target, and the board.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    a_new_organization_gets_the_default_pipeline,
    stages_are_added_renamed_reordered_and_deleted_with_a_target,
    pipelines_are_managed_by_managers,
    the_board_counts_and_pages_columns,
    the_default_pipeline_is_named_in_the_language_of_the_sign_up,
);

pub async fn default_pipeline(app: &TestApp, s: &Session) -> Value {
    let list: Value = app
        .api(Method::GET, "/pipelines", Some(s))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["data"][0].clone()
}

pub fn stage_id(pipeline: &Value, name: &str) -> String {
    pipeline["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub async fn lead(app: &TestApp, s: &Session, body: Value) -> Value {
    let res = app
        .api(Method::POST, "/leads", Some(s))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "create lead {body}");
    res.json().await.unwrap()
}

async fn a_new_organization_gets_the_default_pipeline(app: TestApp) {
    let s = app.register(&email("pipe")).await;
    let p = default_pipeline(&app, &s).await;
    assert_eq!(p["is_default"], true);
    let stages: Vec<(&str, &str)> = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        stages,
        [
            ("Lead", "open"),
            ("Contact", "open"),
            ("Proposal", "open"),
            ("Negotiation", "open"),
            ("Closed", "closed")
        ]
    );
    // Organizations do not share pipelines.
    let other = app.register(&email("pipe2")).await;
    assert_ne!(default_pipeline(&app, &other).await["id"], p["id"]);
    let res = app
        .api(
            Method::GET,
            &format!("/pipelines/{}", p["id"].as_str().unwrap()),
            Some(&other),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn stages_are_added_renamed_reordered_and_deleted_with_a_target(app: TestApp) {
    let s = app.register(&email("stages")).await;
    let p = default_pipeline(&app, &s).await;
    let pid = p["id"].as_str().unwrap();
    let res = app
        .api(Method::POST, &format!("/pipelines/{pid}/stages"), Some(&s))
        .json(&json!({"name": "Qualified", "color": "#22C55E", "probability": 30, "position": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let p: Value = res.json().await.unwrap();
    let names: Vec<&str> = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Lead",
            "Qualified",
            "Contact",
            "Proposal",
            "Negotiation",
            "Closed"
        ]
    );
    let qualified = stage_id(&p, "Qualified");
    let res = app
        .api(
            Method::PATCH,
            &format!("/pipelines/{pid}/stages/{qualified}"),
            Some(&s),
        )
        .json(&json!({"name": "Qualificado", "color": "red"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "color");
    let res = app
        .api(
            Method::PATCH,
            &format!("/pipelines/{pid}/stages/{qualified}"),
            Some(&s),
        )
        .json(&json!({"name": "Qualificado"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let mut order: Vec<String> = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    order.reverse();
    let res = app
        .api(
            Method::PUT,
            &format!("/pipelines/{pid}/stages/order"),
            Some(&s),
        )
        .json(&json!({"stage_ids": order}))
        .send()
        .await
        .unwrap();
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["stages"][0]["name"], "Closed");
    let res = app
        .api(
            Method::PUT,
            &format!("/pipelines/{pid}/stages/order"),
            Some(&s),
        )
        .json(&json!({"stage_ids": [order[0]]}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // A stage with leads needs a target; the leads move with a timeline entry.
    let l = lead(
        &app,
        &s,
        json!({"full_name": "Moved by deletion", "stage_id": qualified}),
    )
    .await;
    let res = app
        .api(
            Method::DELETE,
            &format!("/pipelines/{pid}/stages/{qualified}"),
            Some(&s),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "stage_has_leads").await;
    let target = stage_id(&p, "Proposal");
    let res = app
        .api(
            Method::DELETE,
            &format!("/pipelines/{pid}/stages/{qualified}?target_stage_id={target}"),
            Some(&s),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["stages"].as_array().unwrap().len(), 5);
    let moved: Value = app
        .api(
            Method::GET,
            &format!("/leads/{}", l["id"].as_str().unwrap()),
            Some(&s),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(moved["stage_id"], target);
    let timeline: Value = app
        .api(
            Method::GET,
            &format!("/leads/{}/timeline", l["id"].as_str().unwrap()),
            Some(&s),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(timeline["data"][0]["kind"], "stage_changed");
}

async fn pipelines_are_managed_by_managers(app: TestApp) {
    let owner = app.register(&email("mgr")).await;
    let sales = app.register(&email("mgr-sales")).await;
    let sales = app.add_member(&owner, &sales, "sales").await;
    let res = app
        .api(Method::POST, "/pipelines", Some(&sales))
        .json(&json!({"name": "Mine"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.api(Method::POST, "/pipelines", Some(&owner))
        .json(&json!({"name": "Partnerships", "stages": [{"name": "Intro"}, {"name": "Signed", "kind": "won"}], "is_default": true}))
        .send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["stages"][1]["probability"], 100);
    let all: Value = app
        .api(Method::GET, "/pipelines", Some(&owner))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let defaults = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["is_default"] == true)
        .count();
    assert_eq!(defaults, 1, "exactly one default pipeline");
    // A lead without a pipeline now lands in the new default's first stage.
    let l = lead(&app, &owner, json!({"full_name": "Partner"})).await;
    assert_eq!(l["pipeline_id"], created["id"]);
    let res = app
        .api(
            Method::DELETE,
            &format!("/pipelines/{}", created["id"].as_str().unwrap()),
            Some(&owner),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "pipeline_has_leads").await;
}

async fn the_board_counts_and_pages_columns(app: TestApp) {
    let s = app.register(&email("board")).await;
    let p = default_pipeline(&app, &s).await;
    let pid = p["id"].as_str().unwrap();
    for i in 0..7 {
        lead(
            &app,
            &s,
            json!({"full_name": format!("Lead {i}"), "estimated_value": 100.25 * f64::from(i + 1)}),
        )
        .await;
    }
    lead(&app, &s, json!({"full_name": "Proposal A", "stage_id": stage_id(&p, "Proposal"), "estimated_value": 1000, "probability": 40})).await;
    let board: Value = app
        .api(
            Method::GET,
            &format!("/pipelines/{pid}/board?per_stage=3"),
            Some(&s),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first = &board["columns"][0];
    assert_eq!(first["stage"]["name"], "Lead");
    assert_eq!(first["count"], 7);
    assert_eq!(first["value_total"], 2807.0);
    assert_eq!(first["leads"].as_array().unwrap().len(), 3);
    assert_eq!(first["leads"][0]["title"], "Lead 0");
    let proposal = &board["columns"][2];
    assert_eq!(proposal["count"], 1);
    assert_eq!(proposal["weighted_value"], 400.0);
    // The rest of a column, from its cursor.
    let mut titles: Vec<String> = first["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_string())
        .collect();
    let mut cursor = first["next_cursor"].as_str().map(String::from);
    while let Some(c) = cursor {
        let page: Value = app
            .api(
                Method::GET,
                &format!(
                    "/leads?stage_id={}&sort=position&limit=3&cursor={c}",
                    stage_id(&p, "Lead")
                ),
                Some(&s),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        titles.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["title"].as_str().unwrap().to_string()),
        );
        cursor = page["next_cursor"].as_str().map(String::from);
    }
    assert_eq!(
        titles,
        (0..7).map(|i| format!("Lead {i}")).collect::<Vec<_>>()
    );
    let res = app
        .api(
            Method::GET,
            &format!("/pipelines/{pid}/board?per_stage=0"),
            Some(&s),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
}

/// Stage names are data the team edits; they start in the language the
/// account was created in (its `Accept-Language`), as do later pipelines
/// created without stages and further organizations.
async fn the_default_pipeline_is_named_in_the_language_of_the_sign_up(app: TestApp) {
    let names = |p: &Value| -> Vec<String> {
        let stages = p["stages"].as_array().unwrap().iter();
        stages
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    let res = app
        .api(Method::POST, "/auth/register", None)
        .header("accept-language", "pt-BR,pt;q=0.9,en;q=0.8")
        .json(&json!({"email": email("pipe-pt"), "password": crate::helpers::PASSWORD, "name": "Ana"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let ana = crate::helpers::session_from(&res.json::<Value>().await.unwrap());
    let p = default_pipeline(&app, &ana).await;
    assert_eq!(p["name"], "Funil de vendas");
    assert_eq!(
        names(&p),
        ["Lead", "Contato", "Proposta", "Negociação", "Fechado"]
    );

    let res = app
        .api(Method::POST, "/pipelines", Some(&ana))
        .header("accept-language", "es")
        .json(&json!({"name": "Renovaciones"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    assert_eq!(
        names(&created),
        ["Lead", "Contacto", "Propuesta", "Negociación", "Cerrado"]
    );

    // Without a supported language: English.
    let res = app
        .api(Method::POST, "/organizations", Some(&ana))
        .header("accept-language", "de-DE")
        .json(&json!({"name": "Zweite"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let second: Value = res.json().await.unwrap();
    let in_second = crate::helpers::Session {
        org_id: second["id"].as_str().unwrap().parse().unwrap(),
        ..ana.clone()
    };
    let p = default_pipeline(&app, &in_second).await;
    assert_eq!(p["name"], "Sales pipeline");
    assert_eq!(names(&p)[3], "Negotiation");
}
