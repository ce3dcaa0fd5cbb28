//! `GET /api/v1/ws`: organization events over a WebSocket, to the members
//! allowed to see them, closed when the session or membership ends.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};
use uuid::Uuid;

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    a_move_reaches_the_other_members_of_the_organization_only,
    bad_credentials_are_refused_before_the_upgrade,
    sales_members_get_the_events_of_their_records_only,
    pings_are_answered,
    a_member_holds_at_most_twenty_sockets,
);

/// Like `on_both!`, with the session re-checked every second.
macro_rules! on_both_fast_checks {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            fn fast(config: &mut lovedcrm::config::Config) {
                config.realtime_session_check_secs = 1;
            }
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::helpers::TestApp::spawn_sqlite(fast).await).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(app) = $crate::helpers::TestApp::spawn_postgres(fast).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

on_both_fast_checks!(
    the_socket_closes_after_logout,
    the_socket_closes_when_the_membership_is_removed,
);

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long a test waits for a message that must come.
const WAIT: Duration = Duration::from_secs(10);

fn ws_url(app: &TestApp, query: &str) -> String {
    format!(
        "{}/api/v1/ws{query}",
        app.base.replacen("http://", "ws://", 1)
    )
}

/// Connects as `s` in its organization and waits for `ready`.
async fn connect(app: &TestApp, s: &Session) -> Ws {
    let (mut ws, response) = connect_async(app.ws_url_for(s).await).await.unwrap();
    assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);
    let ready = next_json(&mut ws).await;
    assert_eq!(ready, json!({"type": "ready", "organization_id": s.org_id}));
    ws
}

/// The next text message as JSON (skipping protocol pings and pongs).
async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let message = timeout(WAIT, ws.next())
            .await
            .expect("no message within the wait")
            .expect("the socket ended")
            .unwrap();
        match message {
            Message::Text(text) => return serde_json::from_str(text.as_str()).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("unexpected message {other:?}"),
        }
    }
}

/// The next event, checked to be `kind` about `entity_id`.
async fn expect_event(ws: &mut Ws, kind: &str, entity_id: &str) -> Value {
    let event = next_json(ws).await;
    assert_eq!(event["type"], kind, "event: {event}");
    assert_eq!(event["entity_id"], entity_id, "event: {event}");
    assert!(
        chrono::DateTime::parse_from_rfc3339(event["at"].as_str().unwrap()).is_ok(),
        "event: {event}"
    );
    event
}

/// Waits until the server closes the socket; returns the close code.
async fn expect_close(ws: &mut Ws) -> Option<CloseCode> {
    let deadline = Duration::from_secs(5);
    timeout(deadline, async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| f.code),
                Some(Ok(Message::Text(t))) => {
                    panic!("unexpected message after the session ended: {t}")
                }
                Some(Ok(_)) => {}
                None | Some(Err(_)) => return None,
            }
        }
    })
    .await
    .expect("the socket was not closed within the re-check interval")
}

/// The organization's default pipeline stages, in order.
async fn stages(app: &TestApp, s: &Session) -> Vec<String> {
    let res = app
        .api(Method::GET, "/pipelines", Some(s))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    body["data"][0]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["id"].as_str().unwrap().to_string())
        .collect()
}

async fn call(
    app: &TestApp,
    s: &Session,
    method: Method,
    path: &str,
    body: Value,
    expected: StatusCode,
) -> Value {
    let res = app
        .api(method, path, Some(s))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, expected, "{path}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn create_lead(app: &TestApp, s: &Session, name: &str, assigned_to: Uuid) -> Value {
    call(
        app,
        s,
        Method::POST,
        "/leads",
        json!({"full_name": name, "assigned_to": assigned_to}),
        StatusCode::CREATED,
    )
    .await
}

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap().to_string()
}

async fn a_move_reaches_the_other_members_of_the_organization_only(app: TestApp) {
    let a = app.register(&email("rt-a")).await;
    let b = app.register(&email("rt-b")).await;
    let b = app.add_member(&a, &b, "manager").await;
    let c = app.register(&email("rt-c")).await;
    let mut b_ws = connect(&app, &b).await;
    let mut c_ws = connect(&app, &c).await;

    let stage_ids = stages(&app, &a).await;
    let lead = create_lead(&app, &a, "Ana Lima", a.user_id).await;
    let created = expect_event(&mut b_ws, "lead.created", &id(&lead)).await;
    assert_eq!(created["entity_type"], "lead");
    assert_eq!(created["data"]["title"], "Ana Lima");

    let moved = call(
        &app,
        &a,
        Method::PATCH,
        &format!("/leads/{}/stage", id(&lead)),
        json!({"stage_id": stage_ids[1]}),
        StatusCode::OK,
    )
    .await;
    let event = expect_event(&mut b_ws, "lead.moved", &id(&lead)).await;
    assert_eq!(event["data"]["lead"]["stage_id"], stage_ids[1]);
    assert_eq!(event["data"]["lead"]["version"], moved["version"]);
    assert_eq!(event["data"]["from_stage_id"], stage_ids[0]);
    assert_eq!(event["data"]["to_stage_id"], stage_ids[1]);

    // The member of another organization got none of it: the first thing
    // their socket carries is their own organization's next event.
    let own = create_lead(&app, &c, "Their own", c.user_id).await;
    expect_event(&mut c_ws, "lead.created", &id(&own)).await;
    // …which in turn never reaches the first organization.
    let patched = call(
        &app,
        &a,
        Method::PATCH,
        &format!("/leads/{}", id(&lead)),
        json!({"full_name": "Ana L."}),
        StatusCode::OK,
    )
    .await;
    let event = expect_event(&mut b_ws, "lead.updated", &id(&lead)).await;
    assert_eq!(event["data"]["version"], patched["version"]);
    call(
        &app,
        &a,
        Method::DELETE,
        &format!("/leads/{}", id(&lead)),
        Value::Null,
        StatusCode::NO_CONTENT,
    )
    .await;
    let event = expect_event(&mut b_ws, "lead.deleted", &id(&lead)).await;
    assert_eq!(event["data"]["id"], id(&lead));
}

/// The status and problem body of a refused handshake.
async fn refused(request: tungstenite::handshake::client::Request) -> (StatusCode, Value) {
    match connect_async(request).await {
        Err(tungstenite::Error::Http(response)) => {
            let content_type = response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string());
            assert_eq!(content_type.as_deref(), Some("application/problem+json"));
            let body = response.body().clone().unwrap_or_default();
            (response.status(), serde_json::from_slice(&body).unwrap())
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("the socket was upgraded"),
    }
}

async fn bad_credentials_are_refused_before_the_upgrade(app: TestApp) {
    let a = app.register(&email("rt-a")).await;
    let b = app.register(&email("rt-b")).await;

    // A's ticket with B's organization: 403, and audited like any other attempt.
    let query = format!("?ticket={}&org_id={}", app.ws_ticket(&a).await, b.org_id);
    let (status, body) = refused(ws_url(&app, &query).into_client_request().unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "forbidden");

    let query = format!("?ticket=lcw_not-a-ticket&org_id={}", a.org_id);
    let (status, body) = refused(ws_url(&app, &query).into_client_request().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");

    let query = format!("?org_id={}", a.org_id);
    let (status, _) = refused(ws_url(&app, &query).into_client_request().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // An access token in the URL (where proxies log it) is not taken.
    let query = format!("?access_token={}&org_id={}", a.access, a.org_id);
    let (status, _) = refused(ws_url(&app, &query).into_client_request().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let query = format!("?ticket={}&org_id=nope", app.ws_ticket(&a).await);
    let (status, body) = refused(ws_url(&app, &query).into_client_request().unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "invalid_organization");

    // A ticket opens one socket only.
    let ticket = app.ws_ticket(&a).await;
    let query = format!("?ticket={ticket}&org_id={}", a.org_id);
    let (mut ws, _) = connect_async(ws_url(&app, &query)).await.unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "ready");
    let (status, _) = refused(ws_url(&app, &query).into_client_request().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // An expired one opens none.
    let ticket = app.ws_ticket(&a).await;
    app.exec_sql(
        "UPDATE ws_tickets SET expires_at = $1",
        vec![(chrono::Utc::now() - chrono::Duration::seconds(1)).into()],
    )
    .await;
    let query = format!("?ticket={ticket}&org_id={}", a.org_id);
    let (status, _) = refused(ws_url(&app, &query).into_client_request().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The usual headers work too, and are checked the same way.
    let mut request = ws_url(&app, "").into_client_request().unwrap();
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {}", a.access).parse().unwrap(),
    );
    request
        .headers_mut()
        .insert("x-org-id", b.org_id.to_string().parse().unwrap());
    let (status, _) = refused(request.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    request
        .headers_mut()
        .insert("x-org-id", a.org_id.to_string().parse().unwrap());
    let (mut ws, _) = connect_async(request).await.unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "ready");

    // A plain request (no upgrade) with good credentials is a 400, not a 500.
    let res = app
        .client
        .get(app.url(&format!(
            "/api/v1/ws?ticket={}&org_id={}",
            app.ws_ticket(&a).await,
            a.org_id
        )))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "websocket_required").await;
    // …and without credentials a 401 comes first.
    let res = app.client.get(app.url("/api/v1/ws")).send().await.unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// Shares `lead` with `user` the way the sharing feature stores it.
async fn share(app: &TestApp, org: Uuid, lead: &str, user: Uuid) {
    let url = app
        .admin_database_url
        .clone()
        .unwrap_or_else(|| app.database_url.clone());
    let db = Database::connect(&url).await.unwrap();
    let lead: Uuid = lead.parse().unwrap();
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        "INSERT INTO record_shares (organization_id, id, entity_type, record_id, user_id, created_at) \
         VALUES ($1, $2, 'lead', $3, $4, $5)",
        [org.into(), Uuid::now_v7().into(), lead.into(), user.into(), chrono::Utc::now().into()],
    ))
    .await
    .unwrap();
    db.close().await.unwrap();
}

async fn sales_members_get_the_events_of_their_records_only(app: TestApp) {
    let owner = app.register(&email("rt-owner")).await;
    let sales = app.register(&email("rt-sales")).await;
    let sales = app.add_member(&owner, &sales, "sales").await;
    let viewer = app.register(&email("rt-viewer")).await;
    let viewer = app.add_member(&owner, &viewer, "viewer").await;
    let mut sales_ws = connect(&app, &sales).await;
    let mut viewer_ws = connect(&app, &viewer).await;
    let stage_ids = stages(&app, &owner).await;

    // Someone else's lead: created, moved and talked to.
    let theirs = create_lead(&app, &owner, "Not yours", owner.user_id).await;
    let path = format!("/leads/{}/stage", id(&theirs));
    call(
        &app,
        &owner,
        Method::PATCH,
        &path,
        json!({"stage_id": stage_ids[2]}),
        StatusCode::OK,
    )
    .await;
    let message = json!({"lead_id": id(&theirs), "channel": "whatsapp", "content": "hello"});
    let theirs_message = call(
        &app,
        &owner,
        Method::POST,
        "/communications",
        message,
        StatusCode::CREATED,
    )
    .await;
    // The sales member's own lead.
    let mine = create_lead(&app, &owner, "Yours", sales.user_id).await;

    // The viewer sees everything, in order…
    expect_event(&mut viewer_ws, "lead.created", &id(&theirs)).await;
    expect_event(&mut viewer_ws, "lead.moved", &id(&theirs)).await;
    let event = expect_event(
        &mut viewer_ws,
        "communication.created",
        &id(&theirs_message),
    )
    .await;
    assert_eq!(event["entity_type"], "communication");
    expect_event(&mut viewer_ws, "lead.created", &id(&mine)).await;
    // …the sales member's first event is about their own lead.
    let event = expect_event(&mut sales_ws, "lead.created", &id(&mine)).await;
    assert_eq!(event["data"]["assigned_to"], sales.user_id.to_string());
    // …and then they are told it is theirs (to them alone).
    let told = next_json(&mut sales_ws).await;
    assert_eq!(
        (told["type"].as_str(), told["data"]["kind"].as_str()),
        (Some("notification.created"), Some("assignment")),
        "{told}"
    );
    assert_eq!(told["data"]["entity_id"], id(&mine));

    // Communications follow their lead, with delivery status changes.
    let message =
        json!({"lead_id": id(&mine), "channel": "whatsapp", "content": "hi", "status": "sent"});
    let mine_message = call(
        &app,
        &owner,
        Method::POST,
        "/communications",
        message,
        StatusCode::CREATED,
    )
    .await;
    let event = expect_event(&mut sales_ws, "communication.created", &id(&mine_message)).await;
    assert_eq!(event["data"]["content"], "hi");
    let path = format!("/communications/{}", id(&mine_message));
    call(
        &app,
        &owner,
        Method::PATCH,
        &path,
        json!({"content": "hi!"}),
        StatusCode::OK,
    )
    .await;
    let event = expect_event(&mut sales_ws, "communication.updated", &id(&mine_message)).await;
    assert_eq!(event["data"]["content"], "hi!");
    call(
        &app,
        &owner,
        Method::PATCH,
        &path,
        json!({"status": "read"}),
        StatusCode::OK,
    )
    .await;
    // Every change is `communication.updated`; a new status is also `communication.status`.
    let event = expect_event(&mut sales_ws, "communication.updated", &id(&mine_message)).await;
    assert_eq!(event["data"]["status"], "read");
    let event = expect_event(&mut sales_ws, "communication.status", &id(&mine_message)).await;
    assert_eq!(event["data"]["status"], "read");
    assert_eq!(event["data"]["previous_status"], "sent");

    // Once the other lead is shared with them, its events reach them too.
    share(&app, owner.org_id, &id(&theirs), sales.user_id).await;
    let path = format!("/leads/{}", id(&theirs));
    call(
        &app,
        &owner,
        Method::PATCH,
        &path,
        json!({"full_name": "Shared now"}),
        StatusCode::OK,
    )
    .await;
    let event = expect_event(&mut sales_ws, "lead.updated", &id(&theirs)).await;
    assert_eq!(event["data"]["title"], "Shared now");
    let path = format!("/communications/{}", id(&theirs_message));
    call(
        &app,
        &owner,
        Method::PATCH,
        &path,
        json!({"status": "failed"}),
        StatusCode::OK,
    )
    .await;
    expect_event(&mut sales_ws, "communication.updated", &id(&theirs_message)).await;
    expect_event(&mut sales_ws, "communication.status", &id(&theirs_message)).await;
}

async fn pings_are_answered(app: TestApp) {
    let s = app.register(&email("rt-ping")).await;
    let mut ws = connect(&app, &s).await;
    ws.send(Message::Ping(b"are you there".to_vec().into()))
        .await
        .unwrap();
    let pong = timeout(WAIT, async {
        loop {
            match ws.next().await.unwrap().unwrap() {
                Message::Pong(data) => return data,
                Message::Ping(_) => {}
                other => panic!("unexpected message {other:?}"),
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(&pong[..], b"are you there");
    ws.send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .unwrap();
    assert_eq!(next_json(&mut ws).await, json!({"type": "pong"}));
}

async fn the_socket_closes_after_logout(app: TestApp) {
    let s = app.register(&email("rt-logout")).await;
    let mut ws = connect(&app, &s).await;
    let unused = app.ws_url_for(&s).await;
    let res = app
        .api(Method::POST, "/auth/logout", Some(&s))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(expect_close(&mut ws).await, Some(CloseCode::Policy));
    // And the ended session cannot connect again, even with a ticket it got before.
    let (status, _) = refused(unused.into_client_request().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let res = app
        .api(Method::POST, "/ws/ticket", Some(&s))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

async fn the_socket_closes_when_the_membership_is_removed(app: TestApp) {
    let owner = app.register(&email("rt-owner")).await;
    let member = app.register(&email("rt-member")).await;
    let member = app.add_member(&owner, &member, "manager").await;
    let mut ws = connect(&app, &member).await;
    let path = format!("/organizations/current/members/{}", member.user_id);
    let res = app
        .api(Method::DELETE, &path, Some(&owner))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "remove member: {}", res.status());
    assert_eq!(expect_close(&mut ws).await, Some(CloseCode::Policy));
}

/// Twenty sockets per member per node: every tab and device a person has,
/// not a script opening thousands. A closed one frees its place; another
/// member is not affected.
async fn a_member_holds_at_most_twenty_sockets(app: TestApp) {
    let s = app.register(&email("rt-many")).await;
    let mut open = Vec::new();
    for _ in 0..20 {
        open.push(connect(&app, &s).await);
    }
    let request = app.ws_url_for(&s).await.into_client_request().unwrap();
    let (status, problem) = refused(request).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{problem}");
    assert_eq!(problem["code"], "rate_limited");

    let other = app.register(&email("rt-other")).await;
    connect(&app, &other).await;

    let mut first = open.remove(0);
    first.close(None).await.unwrap();
    drop(first);
    let again = timeout(WAIT, async {
        loop {
            let url = app.ws_url_for(&s).await;
            if let Ok((ws, _)) = connect_async(url).await {
                return ws;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(again.is_ok(), "the closed socket's place was not freed");
}
