//! Domain events: every record type announces its changes over the
//! WebSocket, filtered by visibility; an event exists exactly when its write
//! committed; and a change committed through one node reaches a socket on
//! another, even when the first dies right after committing.

use std::time::Duration;

use futures_util::StreamExt;
use nix::sys::signal::Signal;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::helpers::{PASSWORD, Session, TOKEN_KEY, TestApp, email};
use crate::on_both;
use crate::process::{Process, command};

on_both!(every_record_type_announces_its_changes_to_those_who_may_see_them);

type Ws = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// The next event (skipping pings), within ten seconds.
async fn next_event(ws: &mut Ws) -> Value {
    loop {
        let message = timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("no event within ten seconds")
            .expect("the socket ended")
            .unwrap();
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(text.as_str()).unwrap();
            if value["type"] != "ready" && value["type"] != "pong" {
                return value;
            }
        }
    }
}

/// The types of the next `n` events.
async fn next_types(ws: &mut Ws, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(next_event(ws).await["type"].as_str().unwrap().to_string());
    }
    out
}

/// Connected and subscribed: the server says `ready` once it is.
async fn connect(app: &TestApp, s: &Session) -> Ws {
    let (ws, _) = connect_async(app.ws_url_for(s).await).await.unwrap();
    ready(ws).await
}

async fn ready(mut ws: Ws) -> Ws {
    loop {
        let message = timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("no ready within ten seconds")
            .expect("the socket ended")
            .unwrap();
        if let Message::Text(text) = message
            && serde_json::from_str::<Value>(text.as_str()).unwrap()["type"] == "ready"
        {
            return ws;
        }
    }
}

async fn call(app: &TestApp, s: &Session, method: Method, path: &str, body: Value) -> Value {
    let res = app
        .api(method.clone(), path, Some(s))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success(),
        "{method} {path}: {}",
        res.status()
    );
    if res.status() == StatusCode::NO_CONTENT {
        Value::Null
    } else {
        res.json().await.unwrap()
    }
}

async fn every_record_type_announces_its_changes_to_those_who_may_see_them(app: TestApp) {
    let owner = app.register(&email("ev-owner")).await;
    let sales = app
        .add_member(&owner, &app.register(&email("ev-sales")).await, "sales")
        .await;
    let mut owner_ws = connect(&app, &owner).await;
    let mut sales_ws = connect(&app, &sales).await;

    let company = call(
        &app,
        &owner,
        Method::POST,
        "/companies",
        json!({"name": "Acme"}),
    )
    .await;
    let cid = company["id"].as_str().unwrap();
    call(
        &app,
        &owner,
        Method::POST,
        "/contacts",
        json!({"name": "Ana", "company_id": cid}),
    )
    .await;
    let project = call(
        &app,
        &owner,
        Method::POST,
        "/projects",
        json!({"name": "Site"}),
    )
    .await;
    let pid = project["id"].as_str().unwrap();
    let task = call(
        &app,
        &owner,
        Method::POST,
        "/tasks",
        json!({"name": "Wireframes", "project_id": pid}),
    )
    .await;
    let tid = task["id"].as_str().unwrap();
    call(
        &app,
        &owner,
        Method::PATCH,
        &format!("/tasks/{tid}"),
        json!({"status": "done"}),
    )
    .await;
    call(
        &app,
        &owner,
        Method::POST,
        "/notes",
        json!({"body": "Kick-off done", "project_id": pid}),
    )
    .await;
    call(
        &app,
        &owner,
        Method::PATCH,
        &format!("/companies/{cid}"),
        json!({"industry": "Retail"}),
    )
    .await;
    let res = app
        .api(Method::DELETE, &format!("/companies/{cid}"), Some(&owner))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        next_types(&mut owner_ws, 9).await,
        [
            "company.created",
            "contact.created",
            "project.created",
            "task.created",
            "task.completed",
            "task.updated",
            "note.created",
            "company.updated",
            "company.deleted"
        ]
    );

    // The sales member was told nothing of the owner's records; a lead
    // assigned to them, and then a task of theirs, they are told of.
    let lead = call(
        &app,
        &owner,
        Method::POST,
        "/leads",
        json!({"full_name": "For Sam", "assigned_to": sales.user_id}),
    )
    .await;
    call(
        &app,
        &sales,
        Method::POST,
        "/tasks",
        json!({"name": "Call For Sam"}),
    )
    .await;
    let first = next_event(&mut sales_ws).await;
    assert_eq!(
        (first["type"].as_str(), first["entity_id"].as_str()),
        (Some("lead.created"), lead["id"].as_str()),
        "{first}"
    );
    // Assigned to them: they are told so, then see their own task.
    let told = next_event(&mut sales_ws).await;
    assert_eq!(
        (told["type"].as_str(), told["data"]["kind"].as_str()),
        (Some("notification.created"), Some("assignment")),
        "{told}"
    );
    assert_eq!(next_event(&mut sales_ws).await["type"], "task.created");
}

/// Two `lovedcrm serve` processes over one PostgreSQL: a change committed
/// through node A reaches a WebSocket connected to node B within a second,
/// also when A is killed (SIGKILL) the moment it answered.
#[tokio::test]
async fn events_cross_nodes_and_survive_the_death_of_the_node_that_committed() {
    let Some(db) = crate::helpers::new_database(crate::helpers::Backend::Postgres).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let node = |workers: &str| {
        let mut cmd = command(dir.path());
        cmd.arg("serve")
            .env("DATABASE_URL", &db.app_url)
            .env("LOVEDCRM_MIGRATION_DATABASE_URL", &db.admin_url)
            .env("LOVEDCRM_TOKEN_KEY", TOKEN_KEY)
            .env(
                "LOVEDCRM_ENCRYPTION_KEY",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            )
            .env("LOVEDCRM_WORKERS", workers)
            .env("LOVEDCRM_AUTH_RATE_PER_IP_PER_MINUTE", "1000");
        cmd
    };
    let mut a = Process::serve(node("0")).await;
    let mut b = Process::serve(node("0")).await;
    let client = reqwest::Client::new();
    let tokens: Value = client
        .post(format!("{}/api/v1/auth/register", a.base()))
        .json(&json!({"email": email("nodes"), "password": PASSWORD, "name": "Nadia"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let org = tokens["organization"]["id"].as_str().unwrap().to_string();
    // The socket on B, its ticket from A (tickets live in the database).
    let ticket: Value = client
        .post(format!("{}/api/v1/ws/ticket", a.base()))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = format!(
        "ws://127.0.0.1:{}/api/v1/ws?ticket={}&org_id={org}",
        b.port,
        ticket["ticket"].as_str().unwrap()
    );
    let (ws, _) = connect_async(url).await.unwrap();
    let mut ws = ready(ws).await;
    let create = |name: &str| {
        client
            .post(format!("{}/api/v1/contacts", a.base()))
            .bearer_auth(&access)
            .header("x-org-id", &org)
            .json(&json!({"name": name}))
            .send()
    };

    // Through A, to B's socket, within a second.
    let made: Value = create("Via A").await.unwrap().json().await.unwrap();
    let started = std::time::Instant::now();
    let event = next_event(&mut ws).await;
    assert_eq!(event["type"], "contact.created");
    assert_eq!(event["entity_id"], made["id"]);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "it took {:?}",
        started.elapsed()
    );

    // A dies the moment it answered: what it committed still reaches B.
    let made: Value = create("Then A died").await.unwrap().json().await.unwrap();
    assert!(!a.signal(Signal::SIGKILL).await.success());
    let event = next_event(&mut ws).await;
    assert_eq!(event["entity_id"], made["id"]);
    assert!(b.signal(Signal::SIGTERM).await.success());
}
