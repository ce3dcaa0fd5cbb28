//! The dashboard: figures from real leads, tasks and conversations, limited
//! to what the caller may see.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::comments::{call, new_lead};
use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    dashboard_adds_up_the_pipeline,
    sales_see_a_dashboard_of_their_own_leads,
    dashboard_rejects_bad_parameters,
);

async fn stage_id(app: &TestApp, s: &Session, name: &str) -> String {
    crate::pipelines::stage_id(&crate::pipelines::default_pipeline(app, s).await, name)
}

async fn dashboard(app: &TestApp, s: &Session, query: &str) -> Value {
    let (status, body) = call(app, s, Method::GET, &format!("/dashboard{query}"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// "Today" and "this month" are the server's: a run that crosses midnight
/// (UTC) between creating its data and reading the dashboard is run again
/// with new data rather than judged against a day that has ended.
async fn dashboard_adds_up_the_pipeline(app: TestApp) {
    let mut runs = 0;
    while !adds_up_the_pipeline(&app).await {
        runs += 1;
        assert!(runs < 3, "midnight cannot be crossed three times in a row");
    }
}

/// One run; false when it crossed midnight and judged nothing.
async fn adds_up_the_pipeline(app: &TestApp) -> bool {
    let started = Utc::now();
    let s = app.register(&email("dash")).await;
    let empty = dashboard(app, &s, "").await;
    assert_eq!(empty["kpis"]["open_leads"], 0);
    assert_eq!(empty["activity"].as_array().unwrap().len(), 30);

    let a = new_lead(
        app,
        &s,
        "A",
        json!({"estimated_value": 1000.0, "currency": "BRL", "probability": 50, "source": "web"}),
    )
    .await;
    // No probability of its own: the stage's (Lead = 10%) is used.
    new_lead(
        app,
        &s,
        "B",
        json!({"estimated_value": 3000.0, "currency": "BRL", "source": "web"}),
    )
    .await;
    new_lead(
        app,
        &s,
        "C",
        json!({"estimated_value": 500.0, "currency": "USD", "source": "referral"}),
    )
    .await;
    let won = new_lead(
        app,
        &s,
        "D",
        json!({"estimated_value": 700.0, "currency": "BRL", "source": "ads"}),
    )
    .await;
    let closed = stage_id(app, &s, "Closed").await;
    let (status, moved) = call(
        app,
        &s,
        Method::PATCH,
        &format!("/leads/{won}/stage"),
        Some(json!({"stage_id": closed, "outcome": "won"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{moved}");

    let now = Utc::now();
    for (channel, lead) in [("call", &a), ("email", &a), ("whatsapp", &won)] {
        let (status, body) = call(app, &s, Method::POST, "/communications",
            Some(json!({"lead_id": lead, "channel": channel, "content": "hi", "sent_at": now.to_rfc3339()}))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    // Outside the 7-day window.
    let old = (now - Duration::days(20)).to_rfc3339();
    call(
        app,
        &s,
        Method::POST,
        "/communications",
        Some(json!({"lead_id": a, "channel": "call", "content": "old", "sent_at": old})),
    )
    .await;

    for (name, due) in [
        ("overdue", now - Duration::hours(3)),
        ("later", now + Duration::days(5)),
    ] {
        let (status, body) = call(
            app,
            &s,
            Method::POST,
            "/tasks",
            Some(json!({"name": name, "assignee_id": s.user_id, "due_date": due.to_rfc3339()})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    let d = dashboard(app, &s, "?days=7").await;
    if Utc::now().date_naive() != started.date_naive() {
        return false;
    }
    assert_eq!(d["currency"], "BRL", "{d}");
    let k = &d["kpis"];
    assert_eq!(k["open_leads"], 3, "{d}");
    assert_eq!(k["pipeline_value"], 4000.0, "USD lead left out: {d}");
    assert_eq!(k["weighted_forecast"], 800.0, "1000×50% + 3000×10%: {d}");
    assert_eq!(k["won_this_month"], json!({"count": 1, "value": 700.0}));
    assert_eq!(k["tasks_overdue"], 1);
    assert_eq!(
        k["tasks_due"], 1,
        "the task due in five days is not due yet"
    );

    let funnel = d["funnel"].as_array().unwrap();
    assert_eq!(funnel.len(), 5);
    assert_eq!(funnel[0]["name"], "Lead");
    assert_eq!(funnel[0]["count"], 3);
    assert_eq!(funnel[0]["value"], 4000.0);
    assert_eq!(funnel[4]["count"], 1);
    assert_eq!(
        d["sources"],
        json!([
        {"source": "web", "count": 2}, {"source": "ads", "count": 1}, {"source": "referral", "count": 1}])
    );

    let activity = d["activity"].as_array().unwrap();
    assert_eq!(activity.len(), 7);
    let today = &activity[6];
    assert_eq!(today["date"], now.date_naive().to_string());
    assert_eq!(
        (
            today["call"].as_i64(),
            today["email"].as_i64(),
            today["whatsapp"].as_i64()
        ),
        (Some(1), Some(1), Some(1)),
        "{today}"
    );
    let total: i64 = activity
        .iter()
        .map(|day| day["call"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 1, "the 20-day-old call is outside the window");
    true
}

async fn sales_see_a_dashboard_of_their_own_leads(app: TestApp) {
    let owner = app.register(&email("dash-owner")).await;
    let rep = app.register(&email("dash-rep")).await;
    let rep = app.add_member(&owner, &rep, "sales").await;
    let hidden = new_lead(
        &app,
        &owner,
        "Owner's",
        json!({"estimated_value": 900.0, "currency": "EUR"}),
    )
    .await;
    call(
        &app,
        &owner,
        Method::POST,
        "/communications",
        Some(json!({"lead_id": hidden, "channel": "call", "content": "secret"})),
    )
    .await;
    new_lead(
        &app,
        &rep,
        "Mine",
        json!({"estimated_value": 100.0, "currency": "EUR"}),
    )
    .await;

    let all = dashboard(&app, &owner, "").await;
    assert_eq!(all["kpis"]["open_leads"], 2);
    let mine = dashboard(&app, &rep, "").await;
    assert_eq!(mine["kpis"]["open_leads"], 1, "{mine}");
    assert_eq!(mine["kpis"]["pipeline_value"], 100.0);
    let calls: i64 = mine["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["call"].as_i64().unwrap())
        .sum();
    assert_eq!(calls, 0, "the owner's call on a lead the rep cannot see");
}

async fn dashboard_rejects_bad_parameters(app: TestApp) {
    let s = app.register(&email("dash-bad")).await;
    let other = app.register(&email("dash-other")).await;
    let res = app
        .api(Method::GET, "/dashboard?days=3", Some(&s))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    assert_eq!(problem["errors"][0]["field"], "days");
    let pipeline = crate::pipelines::default_pipeline(&app, &other).await;
    let foreign = pipeline["id"].as_str().unwrap();
    let res = app
        .api(
            Method::GET,
            &format!("/dashboard?pipeline_id={foreign}"),
            Some(&s),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}
