//! Notifications: a member's own inbox only; read, read-all, unread count,
//! the `unread` filter and keyset pages.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::comments::{call, new_lead, notifications, team, token};
use crate::helpers::{Session, TestApp, assert_problem};
use crate::on_both;

on_both!(
    nobody_reads_or_marks_another_members_notifications,
    read_read_all_and_the_unread_count,
    notifications_are_pushed_to_their_recipient_only,
    members_are_told_when_a_record_is_assigned_to_them,
);

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Connects to `/api/v1/ws` as `s` and waits for `ready`.
async fn connect(app: &TestApp, s: &Session) -> Ws {
    let (mut ws, _) = connect_async(app.ws_url_for(s).await).await.unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "ready");
    ws
}

/// The next text message as JSON.
async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let message = timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("no message in time");
        match message.expect("the socket ended").unwrap() {
            Message::Text(text) => return serde_json::from_str(text.as_str()).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("unexpected message {other:?}"),
        }
    }
}

async fn mention(app: &TestApp, author: &Session, lead: &str, who: &[&Session]) {
    let body: Vec<String> = who.iter().map(|s| token(s, "Someone")).collect();
    let (status, c) = call(
        app,
        author,
        Method::POST,
        "/comments",
        Some(json!({"body": body.join(" "), "lead_id": lead})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
}

/// The next event of `kind` on `ws` (members may also hear of the records
/// they see).
async fn next_of_type(ws: &mut Ws, kind: &str) -> Value {
    loop {
        let event = next_json(ws).await;
        if event["type"] == kind {
            return event;
        }
    }
}

/// An owner and two managers: they see every lead, so each may be
/// mentioned on any (a mention needs that).
async fn managers(app: &TestApp, prefix: &str) -> (Session, Session, Session) {
    let owner = app
        .register(&crate::helpers::email(&format!("{prefix}-owner")))
        .await;
    let ana = app
        .register(&crate::helpers::email(&format!("{prefix}-ana")))
        .await;
    let ana = app.add_member(&owner, &ana, "manager").await;
    let bia = app
        .register(&crate::helpers::email(&format!("{prefix}-bia")))
        .await;
    let bia = app.add_member(&owner, &bia, "manager").await;
    (owner, ana, bia)
}

async fn unread(app: &TestApp, s: &Session) -> u64 {
    let (status, body) = call(app, s, Method::GET, "/notifications/unread-count", None).await;
    assert_eq!(status, StatusCode::OK);
    body["count"].as_u64().unwrap()
}

async fn nobody_reads_or_marks_another_members_notifications(app: TestApp) {
    let (owner, ana, bia) = managers(&app, "inbox").await;
    let lead = new_lead(&app, &owner, "Acme deal", json!({})).await;
    mention(&app, &owner, &lead, &[&ana, &bia]).await;
    let anas = notifications(&app, &ana).await;
    let id = anas[0]["id"].as_str().unwrap().to_string();

    // Not Bia, not even the organization's owner.
    for s in [&bia, &owner] {
        let res = app
            .api(Method::GET, &format!("/notifications/{id}"), Some(s))
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
        let res = app
            .api(Method::POST, &format!("/notifications/{id}/read"), Some(s))
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
        let (status, _) = call(
            &app,
            s,
            Method::DELETE,
            &format!("/notifications/{id}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, page) = call(
            &app,
            s,
            Method::GET,
            &format!("/notifications?id={id}"),
            None,
        )
        .await;
        assert_eq!(page["data"], json!([]));
    }
    let (status, body) = call(&app, &bia, Method::POST, "/notifications/read-all", None).await;
    assert_eq!(
        (status, body["updated"].as_u64()),
        (StatusCode::OK, Some(1)),
        "Bia's own only"
    );
    assert_eq!(unread(&app, &ana).await, 1, "Ana's stays unread");
    assert_eq!(unread(&app, &bia).await, 0);

    let (status, n) = call(
        &app,
        &ana,
        Method::GET,
        &format!("/notifications/{id}"),
        None,
    )
    .await;
    assert_eq!((status, &n["read_at"]), (StatusCode::OK, &Value::Null));
    let (status, n) = call(
        &app,
        &ana,
        Method::POST,
        &format!("/notifications/{id}/read"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let read_at = n["read_at"].as_str().unwrap().to_string();
    let (_, again) = call(
        &app,
        &ana,
        Method::POST,
        &format!("/notifications/{id}/read"),
        None,
    )
    .await;
    assert_eq!(
        again["read_at"],
        read_at.as_str(),
        "reading twice keeps the first time"
    );
    assert_eq!(unread(&app, &ana).await, 0);
    let (status, _) = call(
        &app,
        &ana,
        Method::DELETE,
        &format!("/notifications/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(notifications(&app, &ana).await.is_empty());
}

async fn read_read_all_and_the_unread_count(app: TestApp) {
    let (owner, ana, _) = managers(&app, "readall").await;
    let lead = new_lead(&app, &owner, "Acme deal", json!({})).await;
    for _ in 0..3 {
        mention(&app, &owner, &lead, &[&ana]).await;
    }
    assert_eq!(unread(&app, &ana).await, 3);
    assert_eq!(unread(&app, &owner).await, 0);

    // Newest first, in keyset pages.
    let (status, first) = call(
        &app,
        &ana,
        Method::GET,
        "/notifications?limit=2&count=true",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (first["total"].as_u64(), first["has_more"].as_bool()),
        (Some(3), Some(true))
    );
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = call(
        &app,
        &ana,
        Method::GET,
        &format!("/notifications?limit=2&cursor={cursor}"),
        None,
    )
    .await;
    assert_eq!(
        (
            second["data"].as_array().unwrap().len(),
            second["has_more"].as_bool()
        ),
        (1, Some(false))
    );
    let mut ids: Vec<&str> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["data"].as_array().unwrap())
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let newest_first = ids.clone();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, newest_first);

    let oldest = newest_first[2];
    let (status, _) = call(
        &app,
        &ana,
        Method::POST,
        &format!("/notifications/{oldest}/read"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = call(
        &app,
        &ana,
        Method::GET,
        "/notifications?unread=true&count=true",
        None,
    )
    .await;
    assert_eq!(page["total"], 2);
    assert!(
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["read_at"].is_null())
    );
    let (_, page) = call(&app, &ana, Method::GET, "/notifications?unread=false", None).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["id"], oldest);

    let (status, body) = call(&app, &ana, Method::POST, "/notifications/read-all", None).await;
    assert_eq!(
        (status, body["updated"].as_u64()),
        (StatusCode::OK, Some(2))
    );
    assert_eq!(unread(&app, &ana).await, 0);
    let (_, body) = call(&app, &ana, Method::POST, "/notifications/read-all", None).await;
    assert_eq!(body["updated"], 0);

    let res = app
        .api(Method::GET, "/notifications?unread=maybe", Some(&ana))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    assert_eq!(problem["errors"][0]["field"], "unread");
    let res = app
        .api(Method::GET, "/notifications?user_id=x", Some(&ana))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    let res = app
        .api(Method::GET, "/notifications/not-a-uuid", Some(&ana))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_path").await;
}

async fn notifications_are_pushed_to_their_recipient_only(app: TestApp) {
    let (owner, ana, bia) = team(&app, "push").await;
    let mut owner_ws = connect(&app, &owner).await;
    let mut ana_ws = connect(&app, &ana).await;
    let mut bia_ws = connect(&app, &bia).await;
    // Each sales member's own lead: theirs to see, so theirs to be mentioned on.
    let lead = new_lead(&app, &ana, "Acme deal", json!({})).await;
    let bias_lead = new_lead(&app, &bia, "Bia deal", json!({})).await;
    // Owner sees everything; the first event for them after the leads is the comment.
    loop {
        let event = next_json(&mut owner_ws).await;
        if event["type"] == "comment.created" {
            panic!("the comment came before it was written: {event}");
        }
        if event["entity_id"] == bias_lead.as_str() {
            break;
        }
    }

    mention(&app, &owner, &lead, &[&ana]).await;
    let comment = next_json(&mut owner_ws).await;
    assert_eq!(
        (comment["type"].as_str(), comment["entity_type"].as_str()),
        (Some("comment.created"), Some("comment"))
    );
    assert_eq!(comment["data"]["lead_id"], lead.as_str());
    let pushed = next_of_type(&mut ana_ws, "notification.created").await;
    assert_eq!(
        pushed["entity_id"],
        notifications(&app, &ana).await[0]["id"]
    );
    assert_eq!(pushed["data"]["user_id"], ana.user_id.to_string());

    mention(&app, &owner, &bias_lead, &[&bia]).await;
    mention(&app, &owner, &lead, &[&ana]).await;
    // Each gets only their own: Bia never saw Ana's, Ana never saw Bia's.
    let bias = next_of_type(&mut bia_ws, "notification.created").await;
    assert_eq!(bias["data"]["user_id"], json!(bia.user_id));
    let anas = next_of_type(&mut ana_ws, "notification.created").await;
    assert_eq!(anas["data"]["user_id"], json!(ana.user_id));
    assert_ne!(anas["entity_id"], pushed["entity_id"]);
}

/// The `assignment` notifications of `s`, newest first: (title, entity_type, entity_id).
async fn assignments(app: &TestApp, s: &Session) -> Vec<(String, String, String)> {
    notifications(app, s)
        .await
        .into_iter()
        .filter(|n| n["kind"] == "assignment")
        .map(|n| {
            let text = |k: &str| n[k].as_str().unwrap_or_default().to_string();
            (text("title"), text("entity_type"), text("entity_id"))
        })
        .collect()
}

async fn members_are_told_when_a_record_is_assigned_to_them(app: TestApp) {
    let (owner, ana, bia) = team(&app, "assign").await;
    let mut ana_ws = connect(&app, &ana).await;
    // Created already assigned: Ana is told, live and in her inbox.
    let lead = new_lead(
        &app,
        &owner,
        "Acme site",
        json!({"assigned_to": ana.user_id}),
    )
    .await;
    // She sees the lead now (lead.created), then her notification.
    let seen = next_json(&mut ana_ws).await;
    assert_eq!(
        (seen["type"].as_str(), seen["entity_id"].as_str()),
        (Some("lead.created"), Some(lead.as_str()))
    );
    let pushed = next_json(&mut ana_ws).await;
    assert_eq!(pushed["type"], "notification.created", "{pushed}");
    assert_eq!(pushed["data"]["kind"], "assignment", "{pushed}");
    let mine = assignments(&app, &ana).await;
    assert_eq!(mine.len(), 1);
    assert!(
        mine[0].0.ends_with("assigned you the lead Acme site"),
        "{:?}",
        mine[0]
    );
    assert_eq!(
        (mine[0].1.as_str(), mine[0].2.as_str()),
        ("lead", lead.as_str())
    );

    // Saving it again with the same assignee tells nobody again; handing it
    // to Bia tells Bia, not Ana.
    let (status, _) = call(
        &app,
        &owner,
        Method::PATCH,
        &format!("/leads/{lead}"),
        Some(json!({"full_name": "Acme website", "assigned_to": ana.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(assignments(&app, &ana).await.len(), 1);
    let (status, _) = call(
        &app,
        &owner,
        Method::PATCH,
        &format!("/leads/{lead}"),
        Some(json!({"assigned_to": bia.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(assignments(&app, &ana).await.len(), 1);
    assert_eq!(assignments(&app, &bia).await.len(), 1);

    // Taking something yourself is not news to you.
    let (status, _) = call(
        &app,
        &ana,
        Method::POST,
        "/tasks",
        Some(json!({"name": "Mine", "assignee_id": ana.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(assignments(&app, &ana).await.len(), 1);

    // Tasks, contacts (owner), projects (assignees) and bulk edits alike.
    let (_, task) = call(
        &app,
        &owner,
        Method::POST,
        "/tasks",
        Some(json!({"name": "Call Acme"})),
    )
    .await;
    let (status, _) = call(
        &app,
        &owner,
        Method::PATCH,
        &format!("/tasks/{}", task["id"].as_str().unwrap()),
        Some(json!({"assignee_id": ana.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, contact) = call(
        &app,
        &owner,
        Method::POST,
        "/contacts",
        Some(json!({"name": "Rita", "owner_id": ana.user_id})),
    )
    .await;
    let (status, _) = call(
        &app,
        &owner,
        Method::POST,
        "/projects",
        Some(json!({"name": "Relaunch", "assignee_ids": [ana.user_id, bia.user_id]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, other) = call(
        &app,
        &owner,
        Method::POST,
        "/contacts",
        Some(json!({"name": "Caio"})),
    )
    .await;
    let (status, answer) = call(
        &app,
        &owner,
        Method::POST,
        "/contacts/bulk",
        Some(json!({"items": [{"id": other["id"]}], "patch": {"owner_id": ana.user_id}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let kinds: Vec<String> = assignments(&app, &ana)
        .await
        .into_iter()
        .map(|(_, kind, _)| kind)
        .collect();
    assert_eq!(kinds, ["contact", "project", "contact", "task", "lead"]);
    assert_eq!(
        assignments(&app, &ana).await[2].2,
        contact["id"].as_str().unwrap()
    );
    assert_eq!(assignments(&app, &bia).await.len(), 2);
}
