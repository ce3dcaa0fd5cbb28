//! Notes: one target each, visible with their target, on the timeline,
//! changed only by their author or a manager.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::comments::{call, new_lead, timeline_kinds};
use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    notes_round_trip_and_show_on_the_timeline,
    a_note_needs_exactly_one_target_and_a_body,
    a_note_on_another_organizations_record_is_not_found,
    notes_follow_their_target_and_their_author,
);

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

async fn notes_round_trip_and_show_on_the_timeline(app: TestApp) {
    let s = app.register(&email("notes")).await;
    let lead = new_lead(&app, &s, "Acme deal", json!({})).await;
    let long = "x".repeat(250);
    let res = app
        .api(Method::POST, "/notes", Some(&s))
        .json(&json!({"body": format!("  {long}  "), "lead_id": lead}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["etag"], "\"1\"");
    let note: Value = res.json().await.unwrap();
    let id = note["id"].as_str().unwrap().to_string();
    assert_eq!(note["body"], long, "trimmed");
    assert_eq!(note["lead_id"], lead.as_str());
    assert_eq!(note["contact_id"], Value::Null);
    assert_eq!(note["created_by"], s.user_id.to_string());

    let activities = timeline_kinds(&app, &s, &lead).await;
    let added: Vec<_> = activities
        .iter()
        .filter(|(k, _)| k == "note_added")
        .collect();
    assert_eq!(added.len(), 1, "{activities:?}");
    assert_eq!(added[0].1["note_id"], id.as_str());
    assert_eq!(added[0].1["excerpt"].as_str().unwrap().chars().count(), 200);

    let (status, got) = call(&app, &s, Method::GET, &format!("/notes/{id}"), None).await;
    assert_eq!((status, &got["body"]), (StatusCode::OK, &note["body"]));
    let (status, page) = call(
        &app,
        &s,
        Method::GET,
        &format!("/notes?lead_id={lead}&count=true"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 1);
    assert_eq!(page["data"][0]["id"], id.as_str());
    let (_, page) = call(
        &app,
        &s,
        Method::GET,
        &format!("/notes?contact_id={}", Uuid::now_v7()),
        None,
    )
    .await;
    assert_eq!(page["data"], json!([]));
    let res = app
        .api(Method::GET, "/notes?title=x", Some(&s))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;

    let res = app
        .api(Method::PATCH, &format!("/notes/{id}"), Some(&s))
        .header("if-match", "\"1\"")
        .json(&json!({"body": "Call back on Monday"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(
        (changed["version"].as_i64(), changed["body"].as_str()),
        (Some(2), Some("Call back on Monday"))
    );
    let activities = timeline_kinds(&app, &s, &lead).await;
    let added = activities.iter().find(|(k, _)| k == "note_added").unwrap();
    assert_eq!(
        added.1["excerpt"], "Call back on Monday",
        "the timeline follows the edit"
    );
    let res = app
        .api(Method::PATCH, &format!("/notes/{id}"), Some(&s))
        .header("if-match", "\"1\"")
        .json(&json!({"body": "stale"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    assert_eq!(problem["current_version"], 2);
    let (status, problem) = call(
        &app,
        &s,
        Method::PATCH,
        &format!("/notes/{id}"),
        Some(json!({"lead_id": lead})),
    )
    .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unknown_field"))
    );

    let (status, _) = call(&app, &s, Method::DELETE, &format!("/notes/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let res = app
        .api(Method::GET, &format!("/notes/{id}"), Some(&s))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert!(
        !timeline_kinds(&app, &s, &lead)
            .await
            .iter()
            .any(|(k, _)| k == "note_added")
    );

    // Any record kind can carry notes.
    let (status, company) = call(
        &app,
        &s,
        Method::POST,
        "/companies",
        Some(json!({"name": "Acme"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{company}");
    let (status, note) = call(
        &app,
        &s,
        Method::POST,
        "/notes",
        Some(json!({"body": "HQ moved", "company_id": company["id"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(note["company_id"], company["id"]);
}

async fn a_note_needs_exactly_one_target_and_a_body(app: TestApp) {
    let s = app.register(&email("notes-422")).await;
    let lead = new_lead(&app, &s, "Acme deal", json!({})).await;
    let (status, contact) = call(
        &app,
        &s,
        Method::POST,
        "/contacts",
        Some(json!({"name": "Ana Lima"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    let res = app
        .api(Method::POST, "/notes", Some(&s))
        .json(&json!({"body": "hi"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(fields(&problem), ["target"]);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("lead_id")
    );

    let res = app
        .api(Method::POST, "/notes", Some(&s))
        .json(&json!({"body": "  ", "lead_id": lead, "contact_id": contact["id"]}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(fields(&problem), ["lead_id", "contact_id", "body"]);

    let res = app
        .api(Method::POST, "/notes", Some(&s))
        .json(&json!({"lead_id": lead}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(fields(&problem), ["body"]);

    let res = app
        .api(Method::POST, "/notes", Some(&s))
        .json(&json!({"body": "hi", "lead_id": lead, "pinned": true}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(fields(&problem), ["pinned"]);

    let res = app
        .api(Method::POST, "/notes", Some(&s))
        .json(&json!({"body": "hi", "lead_id": "nope"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(fields(&problem), ["lead_id"]);

    let (_, page) = call(&app, &s, Method::GET, "/notes?count=true", None).await;
    assert_eq!(page["total"], 0, "nothing was written");
}

async fn a_note_on_another_organizations_record_is_not_found(app: TestApp) {
    let a = app.register(&email("notes-a")).await;
    let b = app.register(&email("notes-b")).await;
    let lead = new_lead(&app, &a, "A's deal", json!({})).await;
    let res = app
        .api(Method::POST, "/notes", Some(&b))
        .json(&json!({"body": "sneaky", "lead_id": lead}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .api(Method::POST, "/notes", Some(&b))
        .json(&json!({"body": "sneaky", "project_id": Uuid::now_v7()}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    for s in [&a, &b] {
        let (_, page) = call(&app, s, Method::GET, "/notes?count=true", None).await;
        assert_eq!(page["total"], 0, "nothing was written");
    }
    assert!(
        !timeline_kinds(&app, &a, &lead)
            .await
            .iter()
            .any(|(k, _)| k == "note_added")
    );

    let (_, note) = call(
        &app,
        &a,
        Method::POST,
        "/notes",
        Some(json!({"body": "mine", "lead_id": lead})),
    )
    .await;
    let id = note["id"].as_str().unwrap();
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let (status, _) = call(
            &app,
            &b,
            method,
            &format!("/notes/{id}"),
            Some(json!({"body": "x"})),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

async fn notes_follow_their_target_and_their_author(app: TestApp) {
    let owner = app.register(&email("notes-owner")).await;
    let ana = app.register(&email("notes-ana")).await;
    let ana = app.add_member(&owner, &ana, "sales").await;
    let bia = app.register(&email("notes-bia")).await;
    let bia = app.add_member(&owner, &bia, "sales").await;
    let vic = app.register(&email("notes-vic")).await;
    let vic = app.add_member(&owner, &vic, "viewer").await;
    let lead = new_lead(
        &app,
        &owner,
        "Ana's deal",
        json!({"assigned_to": ana.user_id}),
    )
    .await;

    let (status, note) = call(
        &app,
        &ana,
        Method::POST,
        "/notes",
        Some(json!({"body": "Ana's note", "lead_id": lead})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!("/notes/{}", note["id"].as_str().unwrap());
    // Bia does not see the lead, so neither its notes nor how to add one.
    let (status, _) = call(&app, &bia, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, page) = call(&app, &bia, Method::GET, "/notes?count=true", None).await;
    assert_eq!(page["total"], 0);
    let (status, _) = call(
        &app,
        &bia,
        Method::POST,
        "/notes",
        Some(json!({"body": "x", "lead_id": lead})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, page) = call(&app, &ana, Method::GET, "/notes?count=true", None).await;
    assert_eq!(page["total"], 1);

    // Shared with Bia: she sees it, but only its author or a manager changes it.
    let (status, _) = call(
        &app,
        &owner,
        Method::POST,
        "/shares",
        Some(json!({"entity_type": "lead", "record_id": lead, "user_id": bia.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(&app, &bia, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    let res = app
        .api(Method::PATCH, &path, Some(&bia))
        .json(&json!({"body": "Bia's now"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let (status, _) = call(&app, &bia, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let res = app
        .api(Method::POST, "/notes", Some(&vic))
        .json(&json!({"body": "x", "lead_id": lead}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let (status, _) = call(&app, &vic, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "viewers read everything");
    let (status, changed) = call(
        &app,
        &owner,
        Method::PATCH,
        &path,
        Some(json!({"body": "Edited by the owner"})),
    )
    .await;
    assert_eq!(
        (status, changed["body"].as_str()),
        (StatusCode::OK, Some("Edited by the owner"))
    );
    let (status, _) = call(&app, &owner, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (_, audit) = call(&app, &owner, Method::GET, "/audit?limit=200", None).await;
    let actions: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "note.created",
        "note.updated",
        "note.deleted",
        "share.created",
    ] {
        assert!(actions.contains(&action), "{action} audited: {actions:?}");
    }
}
