//! The calendar: events with validation and If-Match, series expanded and
//! edited by scope, visibility for sales, ICS feed/export/import.

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::comments::call;
use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    events_are_validated_versioned_and_deleted,
    a_series_expands_and_changes_by_scope,
    sales_see_the_events_they_organize_or_attend,
    the_ics_feed_is_secret_revocable_and_lists_the_members_events,
    an_ics_file_imports_once,
);

pub fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub async fn new_event(app: &TestApp, s: &Session, body: Value) -> Value {
    let (status, e) = call(app, s, Method::POST, "/events", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    e
}

async fn occurrences(app: &TestApp, s: &Session, from: &str, to: &str) -> Vec<Value> {
    let path = format!(
        "/events/occurrences?from={}&to={}",
        urlencode(from),
        urlencode(to)
    );
    let (status, body) = call(app, s, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["data"].as_array().unwrap().clone()
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

async fn events_are_validated_versioned_and_deleted(app: TestApp) {
    let s = app.register(&email("cal")).await;
    let (status, problem) = call(
        &app,
        &s,
        Method::POST,
        "/events",
        Some(json!({"title": "Bad", "starts_at": "2026-12-10T10:00:00Z",
                    "ends_at": "2026-12-10T09:00:00Z", "rrule": "FREQ=SOMETIMES",
                    "timezone": "Mars/Olympus", "reminders": [{"minutes_before": -5}],
                    "attendees": [{"user_id": s.user_id, "email": "x@example.com"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "ends_at",
        "timezone",
        "reminders[0].minutes_before",
        "attendees[0]",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let (status, problem) = call(
        &app,
        &s,
        Method::POST,
        "/events",
        Some(json!({"title": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "starts_at");

    let e = new_event(
        &app,
        &s,
        json!({"title": "  Kick-off  ", "starts_at": "2026-12-10T13:00:00.123456789Z",
               "location": "Office", "reminders": [{"minutes_before": 10}, {"minutes_before": 10}, {"minutes_before": 0}],
               "attendees": [{"email": "Client@Example.com", "name": "Client"}]}),
    )
    .await;
    assert_eq!(e["title"], "Kick-off");
    assert_eq!(
        e["starts_at"], "2026-12-10T13:00:00Z",
        "whole seconds, as iCalendar"
    );
    assert_eq!(e["ends_at"], "2026-12-10T14:00:00Z", "an hour by default");
    assert_eq!(e["owner_id"], s.user_id.to_string());
    assert_eq!(
        e["reminders"],
        json!([{"minutes_before": 0}, {"minutes_before": 10}])
    );
    assert_eq!(e["attendees"][0]["email"], "client@example.com");
    assert_eq!(e["attendees"][0]["response"], "needs_action");
    assert_eq!(e["timezone"], "UTC", "the creator's timezone");
    let id = e["id"].as_str().unwrap();

    // All-day events cover whole days.
    let day = new_event(
        &app,
        &s,
        json!({"title": "Offsite", "starts_at": "2026-12-11T15:00:00Z", "all_day": true}),
    )
    .await;
    assert_eq!(day["starts_at"], "2026-12-11T00:00:00Z");
    assert_eq!(day["ends_at"], "2026-12-12T00:00:00Z");

    // Moving the start keeps the length; a stale If-Match is refused.
    let res = app
        .api(Method::PATCH, &format!("/events/{id}"), Some(&s))
        .header("if-match", "\"1\"")
        .json(&json!({"starts_at": "2026-12-10T15:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let moved: Value = res.json().await.unwrap();
    assert_eq!(moved["ends_at"], "2026-12-10T16:00:00Z");
    assert_eq!(moved["version"], 2);
    let res = app
        .api(Method::PATCH, &format!("/events/{id}"), Some(&s))
        .header("if-match", "\"1\"")
        .json(&json!({"title": "Stale"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;

    let list = occurrences(&app, &s, "2026-12-10T00:00:00Z", "2026-12-12T00:00:00Z").await;
    let titles: Vec<&str> = list.iter().map(|o| o["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec!["Kick-off", "Offsite"]);

    let (status, _) = call(&app, &s, Method::DELETE, &format!("/events/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&app, &s, Method::GET, &format!("/events/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The audit has the life of the event.
    let (_, audit) = call(
        &app,
        &s,
        Method::GET,
        "/audit?entity_type=event&limit=200",
        None,
    )
    .await;
    let actions: Vec<&str> = audit["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|e| e["entity_id"] == id)
                .filter_map(|e| e["action"].as_str())
                .collect()
        })
        .unwrap_or_default();
    for a in ["event.created", "event.updated", "event.deleted"] {
        assert!(actions.contains(&a), "{a} not in {actions:?}");
    }
}

async fn a_series_expands_and_changes_by_scope(app: TestApp) {
    let s = app.register(&email("series")).await;
    // Mondays 09:00 in New York, five times, across the March DST change.
    let e = new_event(
        &app,
        &s,
        json!({"title": "Standup", "starts_at": "2026-02-23T14:00:00Z", "ends_at": "2026-02-23T14:30:00Z",
               "timezone": "America/New_York", "rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=5"}),
    )
    .await;
    let id = e["id"].as_str().unwrap().to_string();
    let all = occurrences(&app, &s, "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z").await;
    let starts: Vec<&str> = all
        .iter()
        .map(|o| o["starts_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        vec![
            "2026-02-23T14:00:00Z",
            "2026-03-02T14:00:00Z",
            "2026-03-09T13:00:00Z",
            "2026-03-16T13:00:00Z",
            "2026-03-23T13:00:00Z"
        ]
    );
    assert!(all.iter().all(|o| o["recurring"] == true));
    // A start with a fraction of a second keeps its first occurrence.
    new_event(
        &app,
        &s,
        json!({"title": "Fraction", "starts_at": "2026-05-04T19:33:39.506Z", "rrule": "FREQ=DAILY;COUNT=3"}),
    )
    .await;
    let days: Vec<String> = occurrences(&app, &s, "2026-05-03T00:00:00Z", "2026-05-10T00:00:00Z")
        .await
        .iter()
        .map(|o| o["starts_at"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        days,
        vec![
            "2026-05-04T19:33:39Z",
            "2026-05-05T19:33:39Z",
            "2026-05-06T19:33:39Z"
        ]
    );

    // This one: the second occurrence moves an hour later.
    let res = app
        .api(
            Method::PATCH,
            &format!("/events/{id}?scope=this&occurrence=2026-03-02T14%3A00%3A00Z"),
            Some(&s),
        )
        .json(&json!({"starts_at": "2026-03-02T15:00:00Z", "title": "Standup (late)"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let exception: Value = res.json().await.unwrap();
    assert_eq!(exception["series_id"], id.as_str());
    assert_eq!(exception["original_start"], "2026-03-02T14:00:00Z");
    // Not an occurrence: refused, naming the parameter.
    let res = app
        .api(
            Method::DELETE,
            &format!("/events/{id}?scope=this&occurrence=2026-03-03T14%3A00%3A00Z"),
            Some(&s),
        )
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "occurrence");
    // Delete the third only.
    let res = app
        .api(
            Method::DELETE,
            &format!("/events/{id}?scope=this&occurrence=2026-03-09T13%3A00%3A00Z"),
            Some(&s),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // Rename from the fourth on: the series ends before it, a new one holds the rest.
    let res = app
        .api(
            Method::PATCH,
            &format!("/events/{id}?scope=following&occurrence=2026-03-16T13%3A00%3A00Z"),
            Some(&s),
        )
        .json(&json!({"title": "Daily sync"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let next: Value = res.json().await.unwrap();
    assert_ne!(next["id"], id.as_str());
    assert_eq!(next["rrule"], "FREQ=WEEKLY;BYDAY=MO;COUNT=2");

    let all = occurrences(&app, &s, "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z").await;
    let seen: Vec<(String, String)> = all
        .iter()
        .map(|o| {
            (
                o["starts_at"].as_str().unwrap().to_string(),
                o["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("2026-02-23T14:00:00Z", "Standup"),
        ("2026-03-02T15:00:00Z", "Standup (late)"),
        ("2026-03-16T13:00:00Z", "Daily sync"),
        ("2026-03-23T13:00:00Z", "Daily sync"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(seen, expected);

    // Deleting the series takes its edited occurrence with it.
    let (status, _) = call(&app, &s, Method::DELETE, &format!("/events/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let left = occurrences(&app, &s, "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z").await;
    assert_eq!(left.len(), 2, "{left:?}");

    // A range is bounded.
    let (status, _) = call(
        &app,
        &s,
        Method::GET,
        "/events/occurrences?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn sales_see_the_events_they_organize_or_attend(app: TestApp) {
    let owner = app.register(&email("cal-owner")).await;
    let rep = app.register(&email("cal-rep")).await;
    let rep = app.add_member(&owner, &rep, "sales").await;
    let invited = new_event(
        &app,
        &owner,
        json!({"title": "Pitch", "starts_at": "2026-12-14T10:00:00Z", "attendees": [{"user_id": rep.user_id}]}),
    )
    .await;
    let private = new_event(
        &app,
        &owner,
        json!({"title": "Board", "starts_at": "2026-12-14T12:00:00Z"}),
    )
    .await;
    let mine = new_event(
        &app,
        &rep,
        json!({"title": "Call", "starts_at": "2026-12-14T15:00:00Z"}),
    )
    .await;
    let list = occurrences(&app, &rep, "2026-12-14T00:00:00Z", "2026-12-15T00:00:00Z").await;
    let titles: Vec<&str> = list.iter().map(|o| o["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec!["Pitch", "Call"]);
    let (status, _) = call(
        &app,
        &rep,
        Method::GET,
        &format!("/events/{}", private["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &app,
        &rep,
        Method::GET,
        &format!("/events/{}", invited["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The owner filters by member.
    let path = format!(
        "/events/occurrences?from=2026-12-14T00%3A00%3A00Z&to=2026-12-15T00%3A00%3A00Z&member_id={}",
        rep.user_id
    );
    let (_, body) = call(&app, &owner, Method::GET, &path, None).await;
    let ids: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![
            invited["id"].as_str().unwrap(),
            mine["id"].as_str().unwrap()
        ]
    );
    // The invited member heard of it.
    let (_, notes) = call(&app, &rep, Method::GET, "/notifications", None).await;
    assert!(
        notes["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["entity_id"] == invited["id"]),
        "{notes}"
    );
}

async fn the_ics_feed_is_secret_revocable_and_lists_the_members_events(app: TestApp) {
    let s = app.register(&email("ics")).await;
    let soon = Utc::now() + Duration::days(2);
    new_event(
        &app,
        &s,
        json!({"title": "Demo, with Acme; part 1", "starts_at": rfc(soon), "location": "Room 4",
               "description": "Line one\nLine two"}),
    )
    .await;
    new_event(
        &app,
        &s,
        json!({"title": "Weekly review", "starts_at": rfc(soon), "timezone": "Europe/Lisbon",
               "rrule": "FREQ=WEEKLY;COUNT=3"}),
    )
    .await;
    let (status, feed) = call(&app, &s, Method::GET, "/users/me/calendar-feed", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(feed["url"], Value::Null);
    let (status, feed) = call(&app, &s, Method::POST, "/users/me/calendar-feed", None).await;
    assert_eq!(status, StatusCode::CREATED);
    let url = feed["url"].as_str().unwrap().to_string();
    let path = url.split("/api/v1").nth(1).unwrap().to_string();
    // No credentials but the token.
    let res = app.api(Method::GET, &path, None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = res.text().await.unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(
        text.contains("SUMMARY:Demo\\, with Acme\\; part 1\r\n"),
        "{text}"
    );
    assert!(
        text.contains("DESCRIPTION:Line one\\nLine two\r\n"),
        "{text}"
    );
    assert!(text.contains("RRULE:FREQ=WEEKLY;COUNT=3\r\n"), "{text}");
    assert!(text.contains("DTSTART;TZID=Europe/Lisbon:"), "{text}");
    assert!(
        text.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );
    let (_, feed) = call(&app, &s, Method::GET, "/users/me/calendar-feed", None).await;
    assert!(feed["last_used_at"].is_string());

    // A new URL retires the old one; revoking ends it.
    let (_, again) = call(&app, &s, Method::POST, "/users/me/calendar-feed", None).await;
    let res = app.api(Method::GET, &path, None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let new_path = again["url"]
        .as_str()
        .unwrap()
        .split("/api/v1")
        .nth(1)
        .unwrap()
        .to_string();
    let res = app.api(Method::GET, &new_path, None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (status, _) = call(&app, &s, Method::DELETE, "/users/me/calendar-feed", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let res = app.api(Method::GET, &new_path, None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .api(Method::GET, "/events/calendar.ics?token=ics_guess", None)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

const SAMPLE_ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Corp.//CalDAV Client//EN\r\n\
BEGIN:VEVENT\r\nUID:19970901T130000Z-123401@example.com\r\nDTSTAMP:19970901T130000Z\r\n\
DTSTART:20261215T163000Z\r\nDTEND:20261215T190000Z\r\nSUMMARY:Annual Employee Review\r\n\
LOCATION:Conference room\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:19970901T130000Z-123402@example.com\r\nDTSTAMP:19970901T130000Z\r\n\
DTSTART;TZID=America/Sao_Paulo:20261216T090000\r\nDTEND;TZID=America/Sao_Paulo:20261216T100000\r\n\
RRULE:FREQ=DAILY;COUNT=3\r\nSUMMARY:Daily with the agency\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:19970901T130000Z-123403@example.com\r\nDTSTAMP:19970901T130000Z\r\n\
DTSTART;VALUE=DATE:20261224\r\nSUMMARY:Christmas Eve\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:broken@example.com\r\nSUMMARY:No start\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

async fn an_ics_file_imports_once(app: TestApp) {
    let s = app.register(&email("ics-import")).await;
    let import = || async {
        let res = app
            .api(Method::POST, "/events/import", Some(&s))
            .header("content-type", "text/calendar")
            .body(SAMPLE_ICS)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        res.json::<Value>().await.unwrap()
    };
    let first = import().await;
    assert_eq!(first["created"], 3, "{first}");
    assert_eq!(first["errors"][0]["uid"], "broken@example.com", "{first}");
    let second = import().await;
    assert_eq!(second["created"], 0, "{second}");
    assert_eq!(second["skipped"], 3, "{second}");
    let list = occurrences(&app, &s, "2026-12-15T00:00:00Z", "2026-12-25T00:00:00Z").await;
    let seen: Vec<(&str, &str)> = list
        .iter()
        .map(|o| {
            (
                o["starts_at"].as_str().unwrap(),
                o["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("2026-12-15T16:30:00Z", "Annual Employee Review"),
            ("2026-12-16T12:00:00Z", "Daily with the agency"),
            ("2026-12-17T12:00:00Z", "Daily with the agency"),
            ("2026-12-18T12:00:00Z", "Daily with the agency"),
            ("2026-12-24T00:00:00Z", "Christmas Eve"),
        ]
    );
    // Not a calendar: 415 for the wrong type, 422 for the wrong text.
    let res = app
        .api(Method::POST, "/events/import", Some(&s))
        .header("content-type", "text/plain")
        .body(SAMPLE_ICS)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let res = app
        .api(Method::POST, "/events/import", Some(&s))
        .header("content-type", "text/calendar")
        .body("hello")
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "body");
}
