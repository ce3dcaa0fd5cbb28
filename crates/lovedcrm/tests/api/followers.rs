//! Followers of a lead: who may follow, who may add whom, and what they hear.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::comments::{call, new_lead, notifications, team, token};
use crate::helpers::{Session, TestApp, assert_problem};
use crate::on_both;
use crate::pipelines::{default_pipeline, stage_id};

on_both!(followers_hear_about_moves_outcomes_and_comments);

async fn follow(app: &TestApp, s: &Session, lead: &str, who: &Session) -> (StatusCode, Value) {
    call(
        app,
        s,
        Method::PUT,
        &format!("/leads/{lead}/followers/{}", who.user_id),
        None,
    )
    .await
}

/// The titles of `s`'s `follow` notifications, newest first.
async fn heard(app: &TestApp, s: &Session) -> Vec<String> {
    notifications(app, s)
        .await
        .into_iter()
        .filter(|n| n["kind"] == "follow")
        .map(|n| n["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn followers_hear_about_moves_outcomes_and_comments(app: TestApp) {
    let (owner, ana, bia) = team(&app, "follow").await;
    let lead = new_lead(
        &app,
        &owner,
        "Acme site",
        json!({"assigned_to": ana.user_id}),
    )
    .await;

    // Ana sees her lead and follows it; Bia (sales, not hers) cannot even see it.
    let (status, list) = follow(&app, &ana, &lead, &ana).await;
    assert_eq!(status, StatusCode::CREATED, "{list}");
    assert_eq!(list["data"][0]["user_id"], json!(ana.user_id));
    let (status, _) = follow(&app, &ana, &lead, &ana).await;
    assert_eq!(status, StatusCode::OK, "following twice changes nothing");
    let (status, _) = follow(&app, &bia, &lead, &bia).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Nor can she be made to follow what she cannot see…
    let res = app
        .api(
            Method::PUT,
            &format!("/leads/{lead}/followers/{}", bia.user_id),
            Some(&owner),
        )
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "user_id");
    // …until it is shared with her; then the owner adds her, and she is told.
    let (status, _) = call(
        &app,
        &owner,
        Method::POST,
        "/shares",
        Some(json!({"entity_type": "lead", "record_id": lead, "user_id": bia.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, list) = follow(&app, &owner, &lead, &bia).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        heard(&app, &bia).await,
        ["Test User added you as a follower of the lead Acme site"]
    );
    // A sales member may not add or remove others on a lead that is not theirs.
    let (status, _) = call(
        &app,
        &bia,
        Method::DELETE,
        &format!("/leads/{lead}/followers/{}", ana.user_id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The owner moves it, comments, closes it: both followers hear each, the
    // mover never hears of their own doing.
    let p = default_pipeline(&app, &owner).await;
    let (status, _) = call(
        &app,
        &owner,
        Method::PATCH,
        &format!("/leads/{lead}/stage"),
        Some(json!({"stage_id": stage_id(&p, "Proposal")})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &app,
        &owner,
        Method::POST,
        "/comments",
        Some(json!({"lead_id": lead, "body": "Sent the proposal"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let closed = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "closed")
        .unwrap()["id"]
        .clone();
    let (status, _) = call(
        &app,
        &owner,
        Method::PATCH,
        &format!("/leads/{lead}/stage"),
        Some(json!({"stage_id": closed, "outcome": "won"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let expected = [
        "Test User marked the lead Acme site won",
        "Test User commented on the lead Acme site",
        "Test User moved the lead Acme site to Proposal",
    ];
    assert_eq!(heard(&app, &ana).await, expected);
    assert_eq!(heard(&app, &bia).await[..3], expected);
    assert!(heard(&app, &owner).await.is_empty());

    // Mentioned in a comment: told once (the mention), not twice.
    let (status, _) = call(&app, &owner, Method::POST, "/comments", Some(json!({"lead_id": lead, "body": format!("{} please invoice", token(&ana, "Ana")), "mentions": [ana.user_id]}))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(heard(&app, &ana).await.len(), 3);
    assert_eq!(heard(&app, &bia).await.len(), 5);

    // Ana stops following; she hears no more. The list says who is left.
    let (status, _) = call(
        &app,
        &ana,
        Method::DELETE,
        &format!("/leads/{lead}/followers/{}", ana.user_id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(
        &app,
        &owner,
        Method::POST,
        "/comments",
        Some(json!({"lead_id": lead, "body": "Paid"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(heard(&app, &ana).await.len(), 3);
    let (_, list) = call(
        &app,
        &owner,
        Method::GET,
        &format!("/leads/{lead}/followers"),
        None,
    )
    .await;
    let who: Vec<&Value> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["user_id"])
        .collect();
    assert_eq!(who, [&json!(bia.user_id)]);

    // Deleting the lead forgets its followers (and another organization never sees them).
    let (status, _) = call(
        &app,
        &owner,
        Method::DELETE,
        &format!("/leads/{lead}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(
        &app,
        &owner,
        Method::GET,
        &format!("/leads/{lead}/followers"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
