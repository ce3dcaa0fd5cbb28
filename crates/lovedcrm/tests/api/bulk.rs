//! Bulk edit: one change to many records, each checked, versioned, audited
//! and answered on its own.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;
use crate::pipelines::{default_pipeline, lead, stage_id};

on_both!(
    bulk_edits_answer_each_record_and_change_only_those_allowed,
    bulk_moves_leads_to_a_stage_and_reassigns_them,
    bulk_requests_are_checked_as_a_whole_first,
);

async fn send(
    app: &TestApp,
    s: &Session,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let res = app
        .api(method, path, Some(s))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn read(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

async fn bulk_edits_answer_each_record_and_change_only_those_allowed(app: TestApp) {
    let owner = app.register(&email("bulk")).await;
    let stranger = app.register(&email("bulk-other")).await;
    let teammate = app.register(&email("bulk-mate")).await;
    let teammate = app.add_member(&owner, &teammate, "sales").await;
    let mut ids = Vec::new();
    for name in ["Ana", "Bia", "Caio", "Duda"] {
        let (status, c) = send(
            &app,
            &owner,
            Method::POST,
            "/contacts",
            json!({"first_name": name}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        ids.push((
            c["id"].as_str().unwrap().to_string(),
            c["version"].as_i64().unwrap(),
        ));
    }
    let (_, foreign) = send(
        &app,
        &stranger,
        Method::POST,
        "/contacts",
        json!({"first_name": "Not yours"}),
    )
    .await;
    let foreign_id = foreign["id"].as_str().unwrap().to_string();
    // Someone saves Caio after the list was read.
    let (status, _) = send(
        &app,
        &owner,
        Method::PATCH,
        &format!("/contacts/{}", ids[2].0),
        json!({"last_name": "Changed"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // An id that is not the caller's to see refuses the whole request,
    // naming it, before anything changes.
    let (status, answer) = send(
        &app,
        &owner,
        Method::POST,
        "/contacts/bulk",
        json!({"items": [{"id": ids[0].0}, {"id": foreign_id}], "patch": {"tags": ["bulk"]}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["errors"][0]["field"], "items[1].id");
    assert_eq!(
        read(&app, &owner, &format!("/contacts/{}", ids[0].0)).await["tags"],
        json!([])
    );

    let items = json!([
        {"id": ids[0].0, "version": ids[0].1},
        {"id": ids[1].0},
        {"id": ids[2].0, "version": ids[2].1},
        {"id": ids[3].0, "version": ids[3].1},
    ]);
    let (status, answer) = send(
        &app,
        &owner,
        Method::POST,
        "/contacts/bulk",
        json!({"items": items, "patch": {"owner_id": teammate.user_id, "tags": ["bulk"]}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let statuses: Vec<i64> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 200, 412, 200]);
    assert_eq!(answer["updated"], 3);
    assert_eq!(answer["results"][2]["error"]["code"], "version_conflict");
    assert_eq!(answer["results"][2]["error"]["current_version"], 2);
    assert_eq!(answer["results"][0]["version"], ids[0].1 + 1);

    // Read back: the three changed, Caio and the stranger's contact did not.
    for (i, (id, _)) in ids.iter().enumerate() {
        let c = read(&app, &owner, &format!("/contacts/{id}")).await;
        if i == 2 {
            assert_eq!(c["owner_id"], json!(owner.user_id), "{c}");
            assert_eq!(c["tags"], json!([]));
        } else {
            assert_eq!(c["owner_id"], json!(teammate.user_id), "{c}");
            assert_eq!(c["tags"], json!(["bulk"]));
        }
    }
    let theirs = read(&app, &stranger, &format!("/contacts/{foreign_id}")).await;
    assert_eq!(theirs["tags"], json!([]));

    // Each change is audited on its own.
    let audit = read(&app, &owner, "/audit?action=contact.updated&limit=100").await;
    let updated: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["entity_id"].as_str())
        .collect();
    for i in [0, 1, 3] {
        assert!(
            updated.contains(&ids[i].0.as_str()),
            "no audit row for {}",
            ids[i].0
        );
    }

    // A field every row refuses: nothing changed, so the request failed,
    // with the field named as PATCH names it.
    let (status, answer) = send(
        &app,
        &owner,
        Method::POST,
        "/contacts/bulk",
        json!({"items": [{"id": ids[0].0}, {"id": ids[1].0}], "patch": {"email": "not an email"}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["errors"][0]["field"], "email");

    // Tasks, companies take the same shape.
    let (_, co) = send(
        &app,
        &owner,
        Method::POST,
        "/companies",
        json!({"name": "Acme"}),
    )
    .await;
    let (status, answer) = send(
        &app,
        &owner,
        Method::POST,
        "/companies/bulk",
        json!({"items": [{"id": co["id"]}], "patch": {"tags": ["key"]}}),
    )
    .await;
    assert_eq!(
        (status, answer["updated"].clone()),
        (StatusCode::OK, json!(1))
    );
    assert_eq!(
        read(
            &app,
            &owner,
            &format!("/companies/{}", co["id"].as_str().unwrap())
        )
        .await["tags"],
        json!(["key"])
    );
    let (_, t) = send(
        &app,
        &owner,
        Method::POST,
        "/tasks",
        json!({"name": "Call"}),
    )
    .await;
    let (status, answer) = send(
        &app,
        &owner,
        Method::POST,
        "/tasks/bulk",
        json!({"items": [{"id": t["id"]}], "patch": {"status": "done"}}),
    )
    .await;
    assert_eq!(
        (status, answer["updated"].clone()),
        (StatusCode::OK, json!(1)),
        "{answer}"
    );
    assert_eq!(
        read(
            &app,
            &owner,
            &format!("/tasks/{}", t["id"].as_str().unwrap())
        )
        .await["status"],
        "done"
    );

    // A viewer may not bulk edit at all.
    let viewer = app.register(&email("bulk-viewer")).await;
    let viewer = app.add_member(&owner, &viewer, "viewer").await;
    let res = app
        .api(Method::POST, "/contacts/bulk", Some(&viewer))
        .json(&json!({"items": [{"id": ids[0].0}], "patch": {"tags": []}}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
}

async fn bulk_moves_leads_to_a_stage_and_reassigns_them(app: TestApp) {
    let owner = app.register(&email("bulk-leads")).await;
    let mate = app.register(&email("bulk-leads-mate")).await;
    let mate = app.add_member(&owner, &mate, "sales").await;
    let p = default_pipeline(&app, &owner).await;
    let proposal = stage_id(&p, "Proposal");
    let closed = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "closed")
        .unwrap()["id"]
        .clone();
    let a = lead(&app, &owner, json!({"full_name": "A"})).await;
    let b = lead(&app, &owner, json!({"full_name": "B"})).await;
    let (status, answer) = send(
        &app,
        &owner,
        Method::POST,
        "/leads/bulk",
        json!({"items": [{"id": a["id"], "version": a["version"]}, {"id": b["id"]}],
               "stage_id": proposal, "patch": {"assigned_to": mate.user_id}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["updated"], 2);
    for l in [&a, &b] {
        let now = read(
            &app,
            &owner,
            &format!("/leads/{}", l["id"].as_str().unwrap()),
        )
        .await;
        assert_eq!(now["stage_id"], json!(proposal));
        assert_eq!(now["assigned_to"], json!(mate.user_id));
        // The move is on the timeline like any other.
        assert_eq!(
            now["version"],
            answer["results"][if l["id"] == a["id"] { 0 } else { 1 }]["version"]
        );
    }
    // A closing stage needs the outcome: refused for every lead, so the request fails.
    let (status, answer) = send(
        &app,
        &owner,
        Method::POST,
        "/leads/bulk",
        json!({"items": [{"id": a["id"]}, {"id": b["id"]}], "stage_id": closed}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["errors"][0]["field"], "outcome", "{answer}");
    let (_, answer) = send(&app, &owner, Method::POST, "/leads/bulk", json!({"items": [{"id": a["id"]}, {"id": b["id"]}], "stage_id": closed, "outcome": "lost", "lost_reason": "price"})).await;
    assert_eq!(answer["updated"], 2, "{answer}");
    let now = read(
        &app,
        &owner,
        &format!("/leads/{}", b["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(now["status"], "lost");
    assert_eq!(now["lost_reason"], "price");
}

async fn bulk_requests_are_checked_as_a_whole_first(app: TestApp) {
    let owner = app.register(&email("bulk-check")).await;
    let (_, c) = send(
        &app,
        &owner,
        Method::POST,
        "/contacts",
        json!({"first_name": "Ana"}),
    )
    .await;
    let one = json!({"id": c["id"]});
    let too_many: Vec<Value> = (0..501)
        .map(|_| json!({"id": uuid::Uuid::now_v7()}))
        .collect();
    for (items, why) in [
        (json!([]), "none"),
        (json!(too_many), "501"),
        (json!([one, one]), "twice"),
    ] {
        let res = app
            .api(Method::POST, "/contacts/bulk", Some(&owner))
            .json(&json!({"items": items, "patch": {"tags": ["x"]}}))
            .send()
            .await
            .unwrap();
        let problem =
            assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "items", "{why}");
    }
    let res = app
        .api(Method::POST, "/leads/bulk", Some(&owner))
        .json(&json!({"items": [one]}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // Nothing changed.
    let now = read(
        &app,
        &owner,
        &format!("/contacts/{}", c["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(now["tags"], json!([]));
}
