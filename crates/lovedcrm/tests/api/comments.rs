//! Comments: @mentions notify the mentioned members (and nobody else), only
//! members can be mentioned, edits notify only the newly mentioned. Also the
//! call helpers the notes, notifications and shares tests use.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    a_mention_notifies_the_mentioned_member_only,
    mentioning_a_non_member_is_refused,
    editing_notifies_only_the_newly_mentioned,
);

/// Sends a request as `s` and returns the status and the JSON body (`null`
/// when there is none).
pub async fn call(
    app: &TestApp,
    s: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = app.api(method, path, Some(s));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A lead created by `s` with extra fields `more`; returns its id.
pub async fn new_lead(app: &TestApp, s: &Session, name: &str, more: Value) -> String {
    let mut body = json!({"full_name": name});
    if let (Some(b), Some(m)) = (body.as_object_mut(), more.as_object()) {
        b.extend(m.clone());
    }
    let (status, lead) = call(app, s, Method::POST, "/leads", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{lead}");
    lead["id"].as_str().unwrap().to_string()
}

/// The activity kinds on a lead's timeline, newest first.
pub async fn timeline_kinds(app: &TestApp, s: &Session, lead: &str) -> Vec<(String, Value)> {
    let (status, page) = call(
        app,
        s,
        Method::GET,
        &format!("/leads/{lead}/timeline"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["item_type"] == "activity")
        .map(|i| {
            (
                i["kind"].as_str().unwrap_or_default().to_string(),
                i["data"].clone(),
            )
        })
        .collect()
}

pub fn token(s: &Session, name: &str) -> String {
    format!("@[{name}](user:{})", s.user_id)
}

/// The mentions among `s`'s notifications (sharing a record notifies too).
pub async fn mentions_of(app: &TestApp, s: &Session) -> Vec<Value> {
    let mut all = notifications(app, s).await;
    all.retain(|n| n["kind"] == "mention");
    all
}

pub async fn notifications(app: &TestApp, s: &Session) -> Vec<Value> {
    let (status, page) = call(app, s, Method::GET, "/notifications", None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["data"].as_array().unwrap().clone()
}

/// Shares `lead` with `with` (a sales member sees only what is theirs or
/// shared with them).
pub async fn share(app: &TestApp, owner: &Session, lead: &str, with: &Session) {
    let (status, body) = call(
        app,
        owner,
        Method::POST,
        "/shares",
        Some(json!({"entity_type": "lead", "record_id": lead, "user_id": with.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// A team: an owner and two `sales` members.
pub async fn team(app: &TestApp, prefix: &str) -> (Session, Session, Session) {
    let owner = app.register(&email(&format!("{prefix}-owner"))).await;
    let ana = app.register(&email(&format!("{prefix}-ana"))).await;
    let ana = app.add_member(&owner, &ana, "sales").await;
    let bia = app.register(&email(&format!("{prefix}-bia"))).await;
    let bia = app.add_member(&owner, &bia, "sales").await;
    (owner, ana, bia)
}

async fn a_mention_notifies_the_mentioned_member_only(app: TestApp) {
    let (owner, ana, bia) = team(&app, "mention").await;
    let lead = new_lead(&app, &owner, "Acme deal", json!({})).await;
    share(&app, &owner, &lead, &ana).await;
    let body = format!(
        "{} can you call them? cc {}",
        token(&ana, "Ana"),
        token(&owner, "Me")
    );
    let res = app
        .api(Method::POST, "/comments", Some(&owner))
        .json(&json!({"body": body, "lead_id": lead}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let comment: Value = res.json().await.unwrap();
    assert_eq!(comment["mentions"], json!([ana.user_id, owner.user_id]));
    assert_eq!(
        comment["body"],
        body.as_str(),
        "tokens are kept for the web app to render"
    );

    let got = mentions_of(&app, &ana).await;
    assert_eq!(got.len(), 1);
    let n = &got[0];
    assert_eq!(n["kind"], "mention");
    assert_eq!(n["title"], "Test User mentioned you on Lead Acme deal");
    assert_eq!(n["entity_type"], "lead");
    assert_eq!(n["entity_id"], lead.as_str());
    assert_eq!(n["data"]["comment_id"], comment["id"]);
    assert!(n["data"]["excerpt"].as_str().unwrap().starts_with("@[Ana]"));
    assert_eq!(n["read_at"], Value::Null);
    assert_eq!(n["user_id"], ana.user_id.to_string());
    assert!(mentions_of(&app, &bia).await.is_empty(), "not mentioned");
    assert!(
        mentions_of(&app, &owner).await.is_empty(),
        "authors are not notified of themselves"
    );

    let kinds = timeline_kinds(&app, &owner, &lead).await;
    let added = kinds.iter().find(|(k, _)| k == "comment_added").unwrap();
    assert_eq!(added.1["comment_id"], comment["id"]);

    // Bia cannot see the lead: a mention would hand her its title and an
    // excerpt, so it is refused until the lead is shared with her.
    let mention_bia = json!({"body": "see this", "lead_id": lead, "mentions": [bia.user_id]});
    let res = app
        .api(Method::POST, "/comments", Some(&owner))
        .json(&mention_bia)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "mentions");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&bia.user_id.to_string()),
        "{problem}"
    );
    assert!(mentions_of(&app, &bia).await.is_empty());
    share(&app, &owner, &lead, &bia).await;
    // The explicit `mentions` list works too.
    let (status, second) = call(&app, &owner, Method::POST, "/comments", Some(mention_bia)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(second["mentions"], json!([bia.user_id]));
    assert_eq!(mentions_of(&app, &bia).await.len(), 1);
    assert_eq!(mentions_of(&app, &ana).await.len(), 1);
    let (status, _) = call(
        &app,
        &bia,
        Method::GET,
        &format!("/comments/{}", comment["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "what she is told of, she can read");
    let (_, page) = call(
        &app,
        &owner,
        Method::GET,
        &format!("/comments?lead_id={lead}&count=true"),
        None,
    )
    .await;
    assert_eq!(page["total"], 2);
}

async fn mentioning_a_non_member_is_refused(app: TestApp) {
    let (owner, ana, _) = team(&app, "nonmember").await;
    let stranger = app.register(&email("stranger")).await;
    let lead = new_lead(&app, &owner, "Acme deal", json!({})).await;
    let bodies = [
        json!({"body": format!("hi {}", token(&stranger, "Stranger")), "lead_id": lead}),
        json!({"body": "hi", "lead_id": lead, "mentions": [ana.user_id, Uuid::now_v7()]}),
    ];
    for body in bodies {
        let res = app
            .api(Method::POST, "/comments", Some(&owner))
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem =
            assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "mentions");
    }
    let res = app
        .api(Method::POST, "/comments", Some(&owner))
        .json(&json!({"body": "hi", "lead_id": lead, "mentions": ["nope"]}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(
        problem["errors"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("mentions")
    );
    let res = app
        .api(Method::POST, "/comments", Some(&owner))
        .json(&json!({"body": "hi", "lead_id": lead, "mention": []}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    let res = app
        .api(Method::POST, "/comments", Some(&owner))
        .json(&json!({"body": "hi"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "target");

    let (_, page) = call(&app, &owner, Method::GET, "/comments?count=true", None).await;
    assert_eq!(page["total"], 0, "nothing was written");
    assert!(notifications(&app, &ana).await.is_empty());
    assert!(
        !timeline_kinds(&app, &owner, &lead)
            .await
            .iter()
            .any(|(k, _)| k == "comment_added")
    );
}

async fn editing_notifies_only_the_newly_mentioned(app: TestApp) {
    let (owner, ana, bia) = team(&app, "edit").await;
    let manager = app.register(&email("edit-manager")).await;
    let manager = app.add_member(&owner, &manager, "manager").await;
    let lead = new_lead(&app, &owner, "Acme deal", json!({})).await;
    share(&app, &owner, &lead, &ana).await;
    share(&app, &owner, &lead, &bia).await;
    let (status, comment) = call(
        &app,
        &owner,
        Method::POST,
        "/comments",
        Some(json!({"body": format!("{} first", token(&ana, "Ana")), "lead_id": lead})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!("/comments/{}", comment["id"].as_str().unwrap());

    let body = format!("{} and {} now", token(&ana, "Ana"), token(&bia, "Bia"));
    let res = app
        .api(Method::PATCH, &path, Some(&owner))
        .header("if-match", "1")
        .json(&json!({"body": body}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let edited: Value = res.json().await.unwrap();
    assert_eq!(edited["mentions"], json!([ana.user_id, bia.user_id]));
    assert_eq!(edited["version"], 2);
    assert_eq!(
        mentions_of(&app, &ana).await.len(),
        1,
        "Ana was already mentioned"
    );
    let bias = mentions_of(&app, &bia).await;
    assert_eq!(bias.len(), 1);
    assert_eq!(bias[0]["data"]["comment_id"], comment["id"]);

    // Dropping a mention and adding it back notifies again; others stay quiet.
    let (status, _) = call(
        &app,
        &owner,
        Method::PATCH,
        &path,
        Some(json!({"body": "nobody"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, again) = call(
        &app,
        &owner,
        Method::PATCH,
        &path,
        Some(json!({"mentions": [bia.user_id]})),
    )
    .await;
    assert_eq!(
        (status, &again["mentions"]),
        (StatusCode::OK, &json!([bia.user_id]))
    );
    assert_eq!(mentions_of(&app, &bia).await.len(), 2);
    assert_eq!(mentions_of(&app, &ana).await.len(), 1);

    let res = app
        .api(Method::PATCH, &path, Some(&owner))
        .json(&json!({"body": format!("x {}", token(&app.register(&email("out")).await, "Out"))}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "mentions");
    let res = app
        .api(Method::PATCH, &path, Some(&owner))
        .header("if-match", "1")
        .json(&json!({"body": "stale"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;

    // Only the author edits; a manager may delete, which takes the mention
    // notifications and the timeline entry with it.
    let res = app
        .api(Method::PATCH, &path, Some(&manager))
        .json(&json!({"body": "mine now"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let (status, _) = call(&app, &manager, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(mentions_of(&app, &bia).await.is_empty());
    assert!(mentions_of(&app, &ana).await.is_empty());
    assert!(
        !timeline_kinds(&app, &owner, &lead)
            .await
            .iter()
            .any(|(k, _)| k == "comment_added")
    );
    let (status, _) = call(&app, &owner, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
