//! `/tasks`: defaults, completion, links to other records and filters.

use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::companies::records::{self, create, get_json, ids, send};
use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    tasks_round_trip,
    task_filters_cover_every_column,
    completing_a_linked_task_writes_a_timeline_activity,
    task_validation_names_the_fields,
    task_stale_writes_get_412,
    task_pages_survive_inserts,
    task_search_ignores_accents,
    task_create_is_idempotent,
    task_visibility_follows_roles,
    task_is_invisible_to_other_organizations,
);

fn task(name: &str) -> Value {
    json!({"name": name})
}

async fn tasks_round_trip(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let created = create(
        &app,
        &s,
        "/tasks",
        &json!({"name": " Call back ", "tags": ["phone"],
        "due_date": "2030-05-01T12:30:00.123456789-03:00"}),
    )
    .await;
    assert_eq!(created["name"], "Call back");
    assert_eq!(created["status"], "todo");
    assert_eq!(created["priority"], "medium");
    assert_eq!(created["assignee_id"], s.user_id.to_string());
    assert_eq!(created["completed_at"], Value::Null);
    assert_eq!(created["tags"], json!(["phone"]));
    let due = chrono::DateTime::parse_from_rfc3339(created["due_date"].as_str().unwrap()).unwrap();
    assert_eq!(
        due,
        chrono::DateTime::parse_from_rfc3339("2030-05-01T15:30:00.123456Z").unwrap()
    );
    let url = format!("/tasks/{}", created["id"].as_str().unwrap());
    assert_eq!(get_json(&app, &s, &url).await, created);

    let unassigned = create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Anyone", "assignee_id": null}),
    )
    .await;
    assert_eq!(unassigned["assignee_id"], Value::Null);

    let patch = async |body: Value| send(&app, Method::PATCH, &url, &s, Some(&body)).await;
    let done: Value = patch(json!({"status": "done"})).await.json().await.unwrap();
    assert_eq!(done["status"], "done");
    let completed_at = done["completed_at"]
        .as_str()
        .expect("done sets completed_at")
        .to_string();
    let renamed: Value = patch(json!({"name": "Call back today"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        renamed["completed_at"],
        completed_at.as_str(),
        "staying done keeps the time"
    );
    let reopened: Value = patch(json!({"status": "in_progress", "due_date": null}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reopened["completed_at"], Value::Null);
    assert_eq!(reopened["due_date"], Value::Null);
    assert_eq!(reopened["version"], 4);

    let res = send(&app, Method::DELETE, &url, &s, None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = send(&app, Method::GET, &url, &s, None).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn task_filters_cover_every_column(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let colleague = app
        .add_member(&s, &app.register(&email("colleague")).await, "manager")
        .await;
    let contact = create(&app, &s, "/contacts", &json!({"name": "Bia"})).await;
    let company = create(&app, &s, "/companies", &json!({"name": "Acme"})).await;
    let project = create(&app, &s, "/projects", &json!({"name": "P"})).await;
    let soon = create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Soon", "priority": "urgent",
        "due_date": "2030-01-01T00:00:00Z", "assignee_id": colleague.user_id,
        "project_id": project["id"], "contact_id": contact["id"], "company_id": company["id"]}),
    )
    .await;
    let later = create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Later", "status": "in_progress",
        "due_date": "2031-01-01T00:00:00Z"}),
    )
    .await;
    let undated = create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Undated", "priority": "low", "status": "done"}),
    )
    .await;
    let (soon, later, undated) = (id(&soon), id(&later), id(&undated));
    let cases: Vec<(String, Vec<&str>)> = vec![
        ("status=todo".into(), vec![soon.as_str()]),
        (
            "status[in]=in_progress,done".into(),
            vec![later.as_str(), undated.as_str()],
        ),
        ("priority=urgent".into(), vec![soon.as_str()]),
        (
            "priority[neq]=medium".into(),
            vec![soon.as_str(), undated.as_str()],
        ),
        (
            "due_date[lte]=2030-06-01T00:00:00Z".into(),
            vec![soon.as_str()],
        ),
        ("due_date[is_null]=true".into(), vec![undated.as_str()]),
        ("completed_at[is_null]=false".into(), vec![undated.as_str()]),
        (
            format!("assignee_id={}", colleague.user_id),
            vec![soon.as_str()],
        ),
        (format!("project_id={}", id(&project)), vec![soon.as_str()]),
        (format!("contact_id={}", id(&contact)), vec![soon.as_str()]),
        (format!("company_id={}", id(&company)), vec![soon.as_str()]),
        ("lead_id[is_null]=false".into(), vec![]),
        ("name[starts_with]=la".into(), vec![later.as_str()]),
    ];
    for (query, expected) in cases {
        let mut got = ids(&app, &s, &format!("/tasks?{query}")).await;
        got.sort();
        let mut expected: Vec<String> = expected.into_iter().map(String::from).collect();
        expected.sort();
        assert_eq!(got, expected, "{query}");
    }
    let sorted = ids(&app, &s, "/tasks?sort=due_date").await;
    assert_eq!(sorted, [soon, later, undated], "no due date sorts last");
    let res = send(&app, Method::GET, "/tasks?status=blocked", &s, None).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_filter").await;
    let res = send(&app, Method::GET, "/tasks?owner_id[eq]=x", &s, None).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_filter").await;
}

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap().to_string()
}

/// `(kind, data)` of the activities on a contact, read straight from the
/// database (as a superuser on PostgreSQL).
async fn activities_of(app: &TestApp, contact: Uuid) -> Vec<(String, Value)> {
    let url = app
        .admin_database_url
        .clone()
        .unwrap_or_else(|| app.database_url.clone());
    let db = Database::connect(&url).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT kind, data FROM activities WHERE contact_id = $1 ORDER BY occurred_at",
            [contact.into()],
        ))
        .await
        .unwrap();
    let out = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "kind").unwrap(),
                r.try_get("", "data").unwrap(),
            )
        })
        .collect();
    db.close().await.unwrap();
    out
}

async fn completing_a_linked_task_writes_a_timeline_activity(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let contact = create(&app, &s, "/contacts", &json!({"name": "Carla"})).await;
    let contact_id: Uuid = id(&contact).parse().unwrap();
    let t = create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Send proposal", "contact_id": contact["id"]}),
    )
    .await;
    assert!(activities_of(&app, contact_id).await.is_empty());
    let url = format!("/tasks/{}", id(&t));
    let res = send(
        &app,
        Method::PATCH,
        &url,
        &s,
        Some(&json!({"status": "done"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let activities = activities_of(&app, contact_id).await;
    assert_eq!(activities.len(), 1);
    assert_eq!(activities[0].0, "task_completed");
    assert_eq!(
        activities[0].1,
        json!({"task_id": t["id"], "name": "Send proposal"})
    );
    // Edits while done write nothing more; completing again does.
    send(
        &app,
        Method::PATCH,
        &url,
        &s,
        Some(&json!({"priority": "high"})),
    )
    .await;
    assert_eq!(activities_of(&app, contact_id).await.len(), 1);
    send(
        &app,
        Method::PATCH,
        &url,
        &s,
        Some(&json!({"status": "todo"})),
    )
    .await;
    send(
        &app,
        Method::PATCH,
        &url,
        &s,
        Some(&json!({"status": "done"})),
    )
    .await;
    assert_eq!(activities_of(&app, contact_id).await.len(), 2);
    // A task created done counts too; an unlinked one writes nothing.
    create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Already", "status": "done", "contact_id": contact["id"]}),
    )
    .await;
    create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Alone", "status": "done"}),
    )
    .await;
    assert_eq!(activities_of(&app, contact_id).await.len(), 3);
}

async fn task_validation_names_the_fields(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let outsider = app.register(&email("outsider")).await;
    let missing = Uuid::now_v7();
    let res = send(
        &app,
        Method::POST,
        "/tasks",
        &s,
        Some(&json!({"description": "x",
        "assignee_id": outsider.user_id, "project_id": missing, "lead_id": missing,
        "contact_id": missing, "company_id": missing})),
    )
    .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        records::fields_of(&body),
        [
            "assignee_id",
            "company_id",
            "contact_id",
            "lead_id",
            "name",
            "project_id"
        ]
    );
    for (bad, field) in [
        (json!({"status": "blocked"}), "status"),
        (json!({"priority": "critical"}), "priority"),
        (json!({"due_date": "tomorrow"}), "due_date"),
        (json!({"due_date": "2030-01-01"}), "due_date"),
    ] {
        let mut body = bad.clone();
        body["name"] = json!("T");
        let res = send(&app, Method::POST, "/tasks", &s, Some(&body)).await;
        let problem =
            assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(records::fields_of(&problem), [field], "{bad}");
    }
    let res = send(
        &app,
        Method::POST,
        "/tasks",
        &s,
        Some(&json!({"name": "T", "completed_at": null})),
    )
    .await;
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(records::fields_of(&problem), ["completed_at"]);

    let url = format!(
        "/tasks/{}",
        id(&create(&app, &s, "/tasks", &task("T")).await)
    );
    for (patch, field) in [
        (json!({"priority": null}), "priority"),
        (json!({"status": null}), "status"),
        (json!({"name": ""}), "name"),
        (json!({"assignee_id": outsider.user_id}), "assignee_id"),
    ] {
        let res = send(&app, Method::PATCH, &url, &s, Some(&patch)).await;
        let problem =
            assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(records::fields_of(&problem), [field], "{patch}");
    }
    assert_eq!(get_json(&app, &s, &url).await["version"], 1);
}

async fn task_stale_writes_get_412(app: TestApp) {
    records::stale_if_match(
        &app,
        "/tasks",
        &task("T"),
        &json!({"priority": "high"}),
        &json!({"priority": "low"}),
    )
    .await;
}

async fn task_pages_survive_inserts(app: TestApp) {
    records::pages_survive_inserts(&app, "/tasks", task).await;
}

async fn task_search_ignores_accents(app: TestApp) {
    records::search_ignores_accents(&app, "/tasks", task).await;
}

async fn task_create_is_idempotent(app: TestApp) {
    records::idempotent_create(
        &app,
        "/tasks",
        &task("T"),
        &json!({"name": "T", "priority": "low"}),
    )
    .await;
}

async fn task_visibility_follows_roles(app: TestApp) {
    let (owner, sales, _) =
        records::visibility_follows_roles(&app, "/tasks", task, &json!({"priority": "high"})).await;
    // A task assigned to a sales member is theirs to see, whoever created it.
    let assigned = create(
        &app,
        &owner,
        "/tasks",
        &json!({"name": "Yours", "assignee_id": sales.user_id}),
    )
    .await;
    assert!(ids(&app, &sales, "/tasks").await.contains(&id(&assigned)));
    // Handing it back is allowed, and takes it out of their sight.
    let url = format!("/tasks/{}", id(&assigned));
    let res = send(
        &app,
        Method::PATCH,
        &url,
        &sales,
        Some(&json!({"assignee_id": owner.user_id})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = send(&app, Method::GET, &url, &sales, None).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn task_is_invisible_to_other_organizations(app: TestApp) {
    records::invisible_to_other_organizations(
        &app,
        "/tasks",
        &task("T"),
        &json!({"name": "Hijacked"}),
    )
    .await;
}
