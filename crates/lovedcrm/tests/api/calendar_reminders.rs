//! Reminders reach people: in-app (live), by email (the outbox here) and
//! by Web Push to a local push service that decrypts what it receives, per
//! the member's preferences and quiet hours; never twice.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::calendar::{new_event, rfc};
use crate::comments::call;
use crate::helpers::{Session, TestApp, email};

const WAIT: StdDuration = StdDuration::from_secs(30);

macro_rules! on_both_with_push {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            fn tweak(c: &mut lovedcrm::config::Config) {
                c.job_poll_ms = 50;
                c.push_allow_http = true;
            }
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn_sqlite(tweak).await;
                super::$name(app).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(app) = $crate::helpers::TestApp::spawn_postgres(tweak).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

on_both_with_push!(
    a_reminder_arrives_in_app_by_email_and_push_once,
    quiet_hours_hold_the_email_until_they_end,
    a_task_reminds_its_assignee_before_it_is_due,
);

async fn reminders_of(app: &TestApp, s: &Session) -> Vec<Value> {
    let (_, list) = call(app, s, Method::GET, "/notifications?kind=reminder", None).await;
    list["data"].as_array().cloned().unwrap_or_default()
}

async fn wait_for_reminder(app: &TestApp, s: &Session) -> Value {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(n) = reminders_of(app, s).await.pop() {
            return n;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no reminder arrived"
        );
        tokio::time::sleep(StdDuration::from_millis(200)).await;
    }
}

async fn mails_to(app: &TestApp, to: &str, subject_part: &str) -> usize {
    lovedcrm::email::outbox::latest(&app.state.store, 200)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.to_address == to && m.subject.contains(subject_part))
        .count()
}

/// A push service on 127.0.0.1 that keeps what it is sent.
struct PushService {
    url: String,
    received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

async fn push_service() -> PushService {
    let received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>> = Arc::default();
    let kept = received.clone();
    let router = axum::Router::new().route(
        "/push/{id}",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let kept = kept.clone();
            async move {
                kept.lock().unwrap().push((headers, body));
                StatusCode::CREATED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    PushService {
        url: format!("http://{addr}/push/browser-1"),
        received,
    }
}

async fn a_reminder_arrives_in_app_by_email_and_push_once(app: TestApp) {
    let s = app.register(&email("remind")).await;
    // A browser: its key pair and auth secret, as `pushManager.subscribe` makes them.
    let browser = p256::SecretKey::from_slice(&[7u8; 32]).unwrap();
    let auth = [9u8; 16];
    let service = push_service().await;
    let (status, body) = call(
        &app,
        &s,
        Method::POST,
        "/users/me/push-subscriptions",
        Some(json!({"endpoint": service.url, "expirationTime": null, "keys": {
            "p256dh": URL_SAFE_NO_PAD.encode(browser.public_key().to_encoded_point(false).as_bytes()),
            "auth": URL_SAFE_NO_PAD.encode(auth)}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Starts in a minute and two seconds: the one-minute reminder is due in two seconds.
    let starts = Utc::now() + Duration::seconds(62);
    let e = new_event(
        &app,
        &s,
        json!({"title": "Ping", "starts_at": rfc(starts), "location": "Zoom",
               "reminders": [{"minutes_before": 1}, {"minutes_before": 30}]}),
    )
    .await;
    let n = wait_for_reminder(&app, &s).await;
    assert_eq!(n["entity_type"], "event");
    assert_eq!(n["entity_id"], e["id"]);
    assert!(
        n["title"]
            .as_str()
            .unwrap()
            .starts_with("Reminder: Ping at "),
        "{n}"
    );
    assert_eq!(n["data"]["minutes_before"], 1);

    app.settle_jobs("notification.deliver").await;
    app.settle_jobs("email.send").await;
    assert_eq!(mails_to(&app, &s.email, "Reminder: Ping").await, 1);

    // The push service got one encrypted, VAPID-signed message.
    let (headers, body) = {
        let got = service.received.lock().unwrap();
        assert_eq!(got.len(), 1, "one push");
        got[0].clone()
    };
    assert_eq!(headers["content-encoding"], "aes128gcm");
    let vapid = headers["authorization"].to_str().unwrap().to_string();
    let (_, key) = call(&app, &s, Method::GET, "/push/public-key", None).await;
    assert!(vapid.starts_with("vapid t="), "{vapid}");
    assert!(
        vapid.ends_with(&format!("k={}", key["public_key"].as_str().unwrap())),
        "{vapid}"
    );
    let plain =
        web_push_native::decrypt(body.to_vec(), &browser, &web_push_native::Auth::from(auth))
            .unwrap();
    let shown: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(shown["title"], n["title"]);
    assert_eq!(shown["body"], "Zoom");
    assert!(shown["url"].as_str().unwrap().contains("/calendar?event="));

    // Run the reminder's job again (a worker that died after committing):
    // nothing is sent twice.
    let again = app
        .exec_sql(
            "UPDATE jobs SET status = 'queued', run_at = created_at, attempts = 0 WHERE kind = 'reminder.fire' \
             AND status = 'done'",
            vec![],
        )
        .await;
    assert_eq!(again, 1, "the one-minute reminder ran once");
    app.settle_jobs("reminder.fire").await;
    app.settle_jobs("notification.deliver").await;
    app.settle_jobs("email.send").await;
    assert_eq!(reminders_of(&app, &s).await.len(), 1);
    assert_eq!(mails_to(&app, &s.email, "Reminder: Ping").await, 1);
    assert_eq!(service.received.lock().unwrap().len(), 1);
}

async fn quiet_hours_hold_the_email_until_they_end(app: TestApp) {
    let s = app.register(&email("quiet")).await;
    let now = Utc::now();
    let hhmm = |t: chrono::DateTime<Utc>| t.format("%H:%M").to_string();
    let (status, prefs) = call(
        &app,
        &s,
        Method::PATCH,
        "/users/me/preferences",
        Some(
            json!({"quiet_hours": {"enabled": true, "start": hhmm(now - Duration::hours(1)),
                                    "end": hhmm(now + Duration::hours(2))}}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{prefs}");
    new_event(
        &app,
        &s,
        json!({"title": "Late call", "starts_at": rfc(now + Duration::seconds(62)),
               "reminders": [{"minutes_before": 1}]}),
    )
    .await;
    // In the app at once (the bell is not a disturbance) …
    wait_for_reminder(&app, &s).await;
    // … and the email is held for the end of the quiet hours.
    let deadline = tokio::time::Instant::now() + WAIT;
    let held = "kind = 'notification.deliver' AND status = 'queued' AND idempotency_key LIKE 'notification:%:%'";
    while app
        .exec_sql(
            &format!("UPDATE jobs SET attempts = attempts WHERE {held}"),
            vec![],
        )
        .await
        == 0
    {
        assert!(tokio::time::Instant::now() < deadline, "no held delivery");
        tokio::time::sleep(StdDuration::from_millis(200)).await;
    }
    app.settle_jobs("email.send").await;
    assert_eq!(mails_to(&app, &s.email, "Reminder: Late call").await, 0);

    // The quiet hours end (here: turned off, and the held job comes due).
    let (status, _) = call(
        &app,
        &s,
        Method::PATCH,
        "/users/me/preferences",
        Some(json!({"quiet_hours": {"enabled": false, "start": "22:00", "end": "07:00"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    app.exec_sql(
        &format!("UPDATE jobs SET run_at = created_at WHERE {held}"),
        vec![],
    )
    .await;
    app.settle_jobs("notification.deliver").await;
    app.settle_jobs("email.send").await;
    assert_eq!(mails_to(&app, &s.email, "Reminder: Late call").await, 1);
}

async fn a_task_reminds_its_assignee_before_it_is_due(app: TestApp) {
    let owner = app.register(&email("task-remind")).await;
    let rep = app.register(&email("task-rep")).await;
    let rep = app.add_member(&owner, &rep, "sales").await;
    let due = Utc::now() + Duration::seconds(62);
    let (status, task) = call(
        &app,
        &owner,
        Method::POST,
        "/tasks",
        Some(
            json!({"name": "Send the proposal", "due_date": rfc(due), "assignee_id": rep.user_id,
                    "reminders": [{"minutes_before": 1}]}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    assert_eq!(task["reminders"], json!([{"minutes_before": 1}]));
    // A task done before its reminder reminds nobody.
    let (status, done) = call(
        &app,
        &owner,
        Method::POST,
        "/tasks",
        Some(
            json!({"name": "Already done", "due_date": rfc(due), "assignee_id": rep.user_id,
                    "reminders": [{"minutes_before": 1}]}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(
        &app,
        &owner,
        Method::PATCH,
        &format!("/tasks/{}", done["id"].as_str().unwrap()),
        Some(json!({"status": "done"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let n = wait_for_reminder(&app, &rep).await;
    assert_eq!(n["entity_type"], "task");
    assert_eq!(n["entity_id"], task["id"]);
    app.settle_jobs("reminder.fire").await;
    let all = reminders_of(&app, &rep).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        reminders_of(&app, &owner).await.is_empty(),
        "the creator is not the assignee"
    );
    let (status, problem) = call(
        &app,
        &owner,
        Method::POST,
        "/tasks",
        Some(json!({"name": "x", "reminders": [{"minutes_before": 50000}]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "reminders[0].minutes_before");
}
