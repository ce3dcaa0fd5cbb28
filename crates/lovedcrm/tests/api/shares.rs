//! Sharing: a `sales` member sees a record of someone else only while it is
//! shared with them; shares stay inside the organization.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::comments::{call, new_lead, notifications, team};
use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    sharing_opens_and_closes_a_lead_for_sales,
    owners_of_a_record_may_share_it,
    shares_are_validated_and_stay_in_the_organization,
    a_share_reads_unless_it_says_it_writes,
    hidden_records_cannot_be_referenced_and_look_missing,
);

fn share(entity_type: &str, record: &str, user: Uuid) -> Option<Value> {
    Some(json!({"entity_type": entity_type, "record_id": record, "user_id": user}))
}

async fn sharing_opens_and_closes_a_lead_for_sales(app: TestApp) {
    let (owner, ana, bia) = team(&app, "share").await;
    let lead = new_lead(&app, &owner, "Acme deal", json!({})).await;
    let lead_path = format!("/leads/{lead}");
    let (status, _) = call(&app, &ana, Method::GET, &lead_path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "assigned to the owner");
    let (status, _) = call(
        &app,
        &ana,
        Method::POST,
        "/shares",
        share("lead", &lead, ana.user_id),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Ana cannot share herself in");

    let res = app
        .api(Method::POST, "/shares", Some(&owner))
        .json(&share("lead", &lead, ana.user_id))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["entity_type"], "lead");
    assert_eq!(created["record_id"], lead.as_str());
    assert_eq!(created["user_id"], ana.user_id.to_string());
    assert_eq!(created["created_by"], owner.user_id.to_string());
    let (status, again) = call(
        &app,
        &owner,
        Method::POST,
        "/shares",
        share("lead", &lead, ana.user_id),
    )
    .await;
    assert_eq!(
        (status, &again["id"]),
        (StatusCode::OK, &created["id"]),
        "sharing twice is harmless"
    );

    let (status, seen) = call(&app, &ana, Method::GET, &lead_path, None).await;
    assert_eq!(
        (status, seen["title"].as_str()),
        (StatusCode::OK, Some("Acme deal"))
    );
    let (_, page) = call(&app, &ana, Method::GET, "/leads?count=true", None).await;
    assert_eq!(page["total"], 1);
    let got = notifications(&app, &ana).await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0]["kind"].as_str(), got[0]["title"].as_str()),
        (
            Some("share"),
            Some("Test User shared Lead Acme deal with you")
        )
    );
    let (status, list) = call(
        &app,
        &ana,
        Method::GET,
        &format!("/shares?entity_type=lead&record_id={lead}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let (status, _) = call(
        &app,
        &bia,
        Method::GET,
        &format!("/shares?entity_type=lead&record_id={lead}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Bia does not see the lead");
    // Seeing a record is not owning it: Ana may not share it further.
    let res = app
        .api(Method::POST, "/shares", Some(&ana))
        .json(&share("lead", &lead, bia.user_id))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;

    let id = created["id"].as_str().unwrap();
    let (status, _) = call(&app, &bia, Method::DELETE, &format!("/shares/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, &owner, Method::DELETE, &format!("/shares/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&app, &ana, Method::GET, &lead_path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "unshared, hidden again");
    let (_, page) = call(&app, &ana, Method::GET, "/leads?count=true", None).await;
    assert_eq!(page["total"], 0);
    let (status, _) = call(&app, &owner, Method::DELETE, &format!("/shares/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, audit) = call(&app, &owner, Method::GET, "/audit?limit=200", None).await;
    let actions: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"share.created") && actions.contains(&"share.deleted"),
        "{actions:?}"
    );
}

async fn owners_of_a_record_may_share_it(app: TestApp) {
    let (_, ana, bia) = team(&app, "own").await;
    let (status, contact) = call(
        &app,
        &ana,
        Method::POST,
        "/contacts",
        Some(json!({"name": "Carla Souza"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = contact["id"].as_str().unwrap();
    let (status, _) = call(&app, &bia, Method::GET, &format!("/contacts/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, created) = call(
        &app,
        &ana,
        Method::POST,
        "/shares",
        share("contact", id, bia.user_id),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) = call(&app, &bia, Method::GET, &format!("/contacts/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    // The member a record is shared with may give it back.
    let (status, _) = call(
        &app,
        &bia,
        Method::DELETE,
        &format!("/shares/{}", created["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&app, &bia, Method::GET, &format!("/contacts/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn shares_are_validated_and_stay_in_the_organization(app: TestApp) {
    let (owner, ana, _) = team(&app, "valid").await;
    let other = app.register(&email("other-org")).await;
    let theirs = new_lead(&app, &other, "Their deal", json!({})).await;
    let ours = new_lead(&app, &owner, "Our deal", json!({})).await;

    // Another organization's record does not exist here; nothing is written.
    let res = app
        .api(Method::POST, "/shares", Some(&owner))
        .json(&share("lead", &theirs, ana.user_id))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let (status, list) = call(
        &app,
        &other,
        Method::GET,
        &format!("/shares?entity_type=lead&record_id={theirs}"),
        None,
    )
    .await;
    assert_eq!((status, &list["data"]), (StatusCode::OK, &json!([])));
    assert!(notifications(&app, &ana).await.is_empty());
    // Nor can a member of another organization be given our record.
    let res = app
        .api(Method::POST, "/shares", Some(&owner))
        .json(&share("lead", &ours, other.user_id))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "user_id");
    let (_, list) = call(
        &app,
        &owner,
        Method::GET,
        &format!("/shares?entity_type=lead&record_id={ours}"),
        None,
    )
    .await;
    assert_eq!(list["data"], json!([]));

    let res = app
        .api(Method::POST, "/shares", Some(&owner))
        .json(&share("planet", &ours, ana.user_id))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "entity_type");
    let res = app.api(Method::POST, "/shares", Some(&owner))
        .json(&json!({"entity_type": "lead", "record_id": ours, "user_id": ana.user_id, "role": "editor"})).send().await.unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(problem["errors"][0]["field"], "role");
    let res = app
        .api(Method::POST, "/shares", Some(&owner))
        .json(&json!({"entity_type": "lead", "record_id": ours}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "user_id");
    let res = app
        .api(
            Method::GET,
            &format!("/shares?entity_type=planet&record_id={ours}"),
            Some(&owner),
        )
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    assert_eq!(problem["errors"][0]["field"], "entity_type");
    let res = app
        .api(Method::GET, "/shares?entity_type=lead", Some(&owner))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    let res = app
        .api(
            Method::DELETE,
            &format!("/shares/{}", Uuid::now_v7()),
            Some(&owner),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

/// A share is read access unless it says `write`; even then deleting the
/// record stays with its owner and managers. Moving a lead is a change.
async fn a_share_reads_unless_it_says_it_writes(app: TestApp) {
    let (owner, ana, _) = team(&app, "access").await;
    let lead = new_lead(&app, &owner, "Acme deal", json!({})).await;
    let lead_path = format!("/leads/{lead}");
    let (status, read) = call(
        &app,
        &owner,
        Method::POST,
        "/shares",
        share("lead", &lead, ana.user_id),
    )
    .await;
    assert_eq!(
        (status, read["access"].as_str()),
        (StatusCode::CREATED, Some("read"))
    );

    let (status, seen) = call(&app, &ana, Method::GET, &lead_path, None).await;
    assert_eq!(status, StatusCode::OK);
    let stage = seen["stage_id"].as_str().unwrap().to_string();
    let res = app
        .api(Method::PATCH, &lead_path, Some(&ana))
        .json(&json!({"full_name": "Mine now"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .api(Method::PATCH, &format!("{lead_path}/stage"), Some(&ana))
        .json(&json!({"stage_id": stage}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .api(Method::DELETE, &lead_path, Some(&ana))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let (_, unchanged) = call(&app, &owner, Method::GET, &lead_path, None).await;
    assert_eq!(unchanged["title"], "Acme deal");
    assert_eq!(unchanged["version"], seen["version"]);

    // Sharing again for writing changes the share, not a second one.
    let mut body = share("lead", &lead, ana.user_id).unwrap();
    body["access"] = json!("write");
    let (status, write) = call(&app, &owner, Method::POST, "/shares", Some(body)).await;
    assert_eq!(
        (status, write["access"].as_str(), &write["id"]),
        (StatusCode::OK, Some("write"), &read["id"])
    );
    let (status, patched) = call(
        &app,
        &ana,
        Method::PATCH,
        &lead_path,
        Some(json!({"full_name": "Acme deal (Ana)"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["title"], "Acme deal (Ana)");
    let res = app
        .api(Method::DELETE, &lead_path, Some(&ana))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let (status, _) = call(&app, &owner, Method::GET, &lead_path, None).await;
    assert_eq!(status, StatusCode::OK, "still there");

    let mut bad = share("lead", &lead, ana.user_id).unwrap();
    bad["access"] = json!("admin");
    let res = app
        .api(Method::POST, "/shares", Some(&owner))
        .json(&bad)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "access");
}

/// A sales member cannot point their lead or task at a company they cannot
/// see, and the refusal is word for word the one for an id that exists
/// nowhere; a reference someone else set stays when they edit the rest.
async fn hidden_records_cannot_be_referenced_and_look_missing(app: TestApp) {
    let (owner, ana, _) = team(&app, "refs").await;
    let (status, hidden) = call(
        &app,
        &owner,
        Method::POST,
        "/companies",
        Some(json!({"name": "Secret Co"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{hidden}");
    let hidden = hidden["id"].as_str().unwrap().to_string();
    let nowhere = Uuid::now_v7().to_string();
    let mut answers = Vec::new();
    for company in [&hidden, &nowhere] {
        for (path, body) in [
            (
                "/leads",
                json!({"full_name": "Mine", "company_id": company}),
            ),
            ("/tasks", json!({"name": "Call", "company_id": company})),
        ] {
            let res = app
                .api(Method::POST, path, Some(&ana))
                .json(&body)
                .send()
                .await
                .unwrap();
            let mut problem =
                assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
            assert_eq!(problem["errors"][0]["field"], "company_id", "{problem}");
            problem.as_object_mut().unwrap().remove("instance");
            problem.as_object_mut().unwrap().remove("request_id");
            answers.push((path, problem));
        }
    }
    assert_eq!(answers[0], answers[2], "hidden and missing read the same");
    assert_eq!(answers[1], answers[3], "hidden and missing read the same");

    // The owner hands Ana a lead at that company: she edits it freely.
    let lead = new_lead(
        &app,
        &owner,
        "Handed over",
        json!({"company_id": hidden, "assigned_to": ana.user_id}),
    )
    .await;
    let (status, edited) = call(
        &app,
        &ana,
        Method::PATCH,
        &format!("/leads/{lead}"),
        Some(json!({"probability": 40})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["company_id"], hidden.as_str());
}
