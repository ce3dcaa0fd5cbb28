//! `/projects`: assignees, visibility through assignment, and their tasks.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::companies::records::{self, create, get_json, ids, send};
use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    projects_round_trip,
    project_validation_names_the_fields,
    project_assignees_must_be_members,
    an_assigned_sales_member_sees_the_project,
    project_tasks_are_listed_and_touch_the_project,
    project_stale_writes_get_412,
    project_pages_survive_inserts,
    project_search_ignores_accents,
    project_create_is_idempotent,
    project_visibility_follows_roles,
    project_is_invisible_to_other_organizations,
);

fn project(name: &str) -> Value {
    json!({"name": name})
}

async fn projects_round_trip(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let member = app
        .add_member(&s, &app.register(&email("designer")).await, "manager")
        .await;
    let company = create(&app, &s, "/companies", &json!({"name": "Acme"})).await;
    let mut assignees = vec![s.user_id.to_string(), member.user_id.to_string()];
    assignees.sort();
    let created = create(
        &app,
        &s,
        "/projects",
        &json!({"name": "Website", "description": "New site", "company_id": company["id"],
                "assignee_ids": [assignees[1], assignees[0], assignees[1]],
                "due_date": "2030-03-31", "tags": ["q1"]}),
    )
    .await;
    assert_eq!(created["status"], "planned");
    assert_eq!(created["assignee_ids"], json!(assignees));
    assert_eq!(created["due_date"], "2030-03-31");
    assert_eq!(created["company_id"], company["id"]);
    assert_eq!(created["owner_id"], s.user_id.to_string());
    assert_eq!(
        (
            created["task_count"].clone(),
            created["open_task_count"].clone()
        ),
        (json!(0), json!(0))
    );
    assert_eq!(created["tags"], json!(["q1"]));
    let id = created["id"].as_str().unwrap().to_string();
    let url = format!("/projects/{id}");
    assert_eq!(get_json(&app, &s, &url).await, created);

    for query in [
        "status=planned".to_string(),
        "due_date[lte]=2030-12-31".to_string(),
        format!("company_id={}", company["id"].as_str().unwrap()),
        "tags=q1".to_string(),
    ] {
        assert_eq!(
            ids(&app, &s, &format!("/projects?{query}")).await,
            [id.as_str()],
            "{query}"
        );
    }
    assert!(
        ids(&app, &s, "/projects?status[in]=completed,on_hold")
            .await
            .is_empty()
    );

    let patched = send(
        &app,
        Method::PATCH,
        &url,
        &s,
        Some(&json!({"status": "in_progress",
        "assignee_ids": [member.user_id], "due_date": null, "description": null})),
    )
    .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["status"], "in_progress");
    assert_eq!(patched["assignee_ids"], json!([member.user_id]));
    assert_eq!(patched["due_date"], Value::Null);
    assert_eq!(patched["description"], Value::Null);
    assert_eq!(patched["name"], "Website");
    assert_eq!(patched["version"], 2);
    let cleared = send(
        &app,
        Method::PATCH,
        &url,
        &s,
        Some(&json!({"assignee_ids": null})),
    )
    .await;
    assert_eq!(
        cleared.json::<Value>().await.unwrap()["assignee_ids"],
        json!([])
    );

    // Deleting the project deletes its tasks.
    let task = create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Wireframes", "project_id": id}),
    )
    .await;
    let res = send(&app, Method::DELETE, &url, &s, None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for gone in [url, format!("/tasks/{}", task["id"].as_str().unwrap())] {
        let res = send(&app, Method::GET, &gone, &s, None).await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert_eq!(
        get_json(
            &app,
            &s,
            &format!("/companies/{}", company["id"].as_str().unwrap())
        )
        .await["name"],
        "Acme"
    );
}

async fn project_validation_names_the_fields(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let res = send(
        &app,
        Method::POST,
        "/projects",
        &s,
        Some(&json!({"name": "X", "status": "finished"})),
    )
    .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(records::fields_of(&body), ["status"]);
    let res = send(
        &app,
        Method::POST,
        "/projects",
        &s,
        Some(&json!({"name": "X", "due_date": "31/03/2030"})),
    )
    .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(records::fields_of(&body), ["due_date"]);
    let res = send(
        &app,
        Method::POST,
        "/projects",
        &s,
        Some(&json!({"description": "no name", "company_id": uuid::Uuid::now_v7()})),
    )
    .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(records::fields_of(&body), ["company_id", "name"]);
    let res = send(
        &app,
        Method::POST,
        "/projects",
        &s,
        Some(&json!({"name": "X", "budget": 10})),
    )
    .await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(records::fields_of(&body), ["budget"]);

    let url = format!(
        "/projects/{}",
        create(&app, &s, "/projects", &project("P")).await["id"]
            .as_str()
            .unwrap()
    );
    for (patch, field) in [
        (json!({"status": null}), "status"),
        (json!({"status": "done"}), "status"),
        (json!({"name": null}), "name"),
    ] {
        let res = send(&app, Method::PATCH, &url, &s, Some(&patch)).await;
        let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(records::fields_of(&body), [field], "{patch}");
    }
    assert_eq!(get_json(&app, &s, &url).await["version"], 1);
}

async fn project_assignees_must_be_members(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let outsider = app.register(&email("outsider")).await;
    for assignees in [
        json!([outsider.user_id]),
        json!([s.user_id, uuid::Uuid::now_v7()]),
    ] {
        let body = json!({"name": "P", "assignee_ids": assignees});
        let res = send(&app, Method::POST, "/projects", &s, Some(&body)).await;
        let problem =
            assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(records::fields_of(&problem), ["assignee_ids"]);
    }
    let res = send(
        &app,
        Method::POST,
        "/projects",
        &s,
        Some(&json!({"name": "P", "assignee_ids": ["nope"]})),
    )
    .await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(records::fields_of(&problem)[0].starts_with("assignee_ids"));

    let url = format!(
        "/projects/{}",
        create(&app, &s, "/projects", &project("P")).await["id"]
            .as_str()
            .unwrap()
    );
    let res = send(
        &app,
        Method::PATCH,
        &url,
        &s,
        Some(&json!({"assignee_ids": [outsider.user_id]})),
    )
    .await;
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(records::fields_of(&problem), ["assignee_ids"]);
    assert!(records::ids(&app, &outsider, "/projects").await.is_empty());
}

async fn an_assigned_sales_member_sees_the_project(app: TestApp) {
    let owner = app.register(&email("owner")).await;
    let sales = app
        .add_member(&owner, &app.register(&email("sales")).await, "sales")
        .await;
    let assigned = create(
        &app,
        &owner,
        "/projects",
        &json!({"name": "Assigned", "assignee_ids": [sales.user_id]}),
    )
    .await;
    create(&app, &owner, "/projects", &project("Not assigned")).await;
    let id = assigned["id"].as_str().unwrap().to_string();
    let url = format!("/projects/{id}");

    assert_eq!(ids(&app, &sales, "/projects").await, [id.as_str()]);
    assert_eq!(
        ids(&app, &sales, "/projects?q=assigned").await,
        [id.as_str()]
    );
    assert_eq!(get_json(&app, &sales, &url).await["name"], "Assigned");
    assert_eq!(
        get_json(&app, &sales, &format!("{url}/tasks")).await["data"],
        json!([])
    );
    // An assignee works on the project, and may take themselves off it.
    let res = send(
        &app,
        Method::PATCH,
        &url,
        &sales,
        Some(&json!({"status": "in_progress", "assignee_ids": []})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "in_progress");
    assert!(ids(&app, &sales, "/projects").await.is_empty());
    let res = send(&app, Method::GET, &url, &sales, None).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = send(&app, Method::GET, &format!("{url}/tasks"), &sales, None).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn project_tasks_are_listed_and_touch_the_project(app: TestApp) {
    let s = app.register(&email("owner")).await;
    let p = create(&app, &s, "/projects", &project("Launch")).await;
    let other = create(&app, &s, "/projects", &project("Other")).await;
    let id = p["id"].as_str().unwrap().to_string();
    let url = format!("/projects/{id}");
    let updated_at = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v["updated_at"].as_str().unwrap()).unwrap()
    };
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let first = create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Copy", "project_id": id}),
    )
    .await;
    let after_add = get_json(&app, &s, &url).await;
    assert!(
        updated_at(&after_add) > updated_at(&p),
        "adding a task moves the project's updated_at"
    );
    assert_eq!(
        after_add["version"], 1,
        "the project's own fields did not change"
    );
    let second = create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Ads", "project_id": id, "status": "done"}),
    )
    .await;
    create(
        &app,
        &s,
        "/tasks",
        &json!({"name": "Elsewhere", "project_id": other["id"]}),
    )
    .await;
    create(&app, &s, "/tasks", &json!({"name": "Loose"})).await;

    let page = get_json(&app, &s, &format!("{url}/tasks?count=true&sort=name")).await;
    assert_eq!(page["total"], 2);
    let names: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ads", "Copy"]);
    assert_eq!(
        ids(&app, &s, &format!("{url}/tasks?status=todo")).await,
        [first["id"].as_str().unwrap()]
    );
    let counted = get_json(&app, &s, &url).await;
    assert_eq!(
        (
            counted["task_count"].clone(),
            counted["open_task_count"].clone()
        ),
        (json!(2), json!(1))
    );

    // Moving a task out touches the project too, and it leaves the list.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let task_url = format!("/tasks/{}", second["id"].as_str().unwrap());
    let res = send(
        &app,
        Method::PATCH,
        &task_url,
        &s,
        Some(&json!({"project_id": other["id"]})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after_move = get_json(&app, &s, &url).await;
    assert!(updated_at(&after_move) > updated_at(&after_add));
    assert_eq!(
        ids(&app, &s, &format!("{url}/tasks")).await,
        [first["id"].as_str().unwrap()]
    );

    let res = send(
        &app,
        Method::GET,
        &format!("/projects/{}/tasks", uuid::Uuid::now_v7()),
        &s,
        None,
    )
    .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = send(
        &app,
        Method::GET,
        &format!("{url}/tasks?colour=red"),
        &s,
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

async fn project_stale_writes_get_412(app: TestApp) {
    records::stale_if_match(
        &app,
        "/projects",
        &project("P"),
        &json!({"status": "on_hold"}),
        &json!({"status": "completed"}),
    )
    .await;
}

async fn project_pages_survive_inserts(app: TestApp) {
    records::pages_survive_inserts(&app, "/projects", project).await;
}

async fn project_search_ignores_accents(app: TestApp) {
    records::search_ignores_accents(&app, "/projects", project).await;
}

async fn project_create_is_idempotent(app: TestApp) {
    records::idempotent_create(
        &app,
        "/projects",
        &project("P"),
        &json!({"name": "P", "status": "on_hold"}),
    )
    .await;
}

async fn project_visibility_follows_roles(app: TestApp) {
    records::visibility_follows_roles(&app, "/projects", project, &json!({"status": "on_hold"}))
        .await;
}

async fn project_is_invisible_to_other_organizations(app: TestApp) {
    let a = app.register(&email("alice")).await;
    let b = app.register(&email("bob")).await;
    let p = create(&app, &a, "/projects", &project("Secret")).await;
    let res = send(
        &app,
        Method::GET,
        &format!("/projects/{}/tasks", p["id"].as_str().unwrap()),
        &b,
        None,
    )
    .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    records::invisible_to_other_organizations(
        &app,
        "/projects",
        &project("P"),
        &json!({"name": "Hijacked"}),
    )
    .await;
}
