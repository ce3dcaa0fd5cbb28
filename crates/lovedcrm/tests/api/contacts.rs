//! Contacts: CRUD, validation, concurrency, lists at the edges, search, tags,
//! custom fields, idempotency and visibility by role.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    contacts_crud_and_validation,
    two_writers_conflict_with_412,
    cursor_pages_neither_skip_nor_repeat_while_rows_are_inserted,
    search_ignores_case_and_accents,
    idempotent_create_returns_the_first_response,
    tags_and_custom_fields,
    sales_see_only_their_own_and_viewers_cannot_write,
    list_errors_name_the_allowed_fields,
    another_organization_cannot_touch_a_contact,
);

pub async fn create(app: &TestApp, s: &Session, body: Value) -> Value {
    let res = app
        .api(Method::POST, "/contacts", Some(s))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "create contact {body}");
    res.json().await.unwrap()
}

async fn get_json(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

async fn contacts_crud_and_validation(app: TestApp) {
    let s = app.register(&email("c")).await;
    let c = create(
        &app,
        &s,
        json!({"name": "Maria da Silva", "email": "Maria@Example.com",
                                     "phone": "+55 11 91234-5678", "job_position": "CEO"}),
    )
    .await;
    assert_eq!(c["first_name"], "Maria");
    assert_eq!(c["last_name"], "da Silva");
    assert_eq!(c["email"], "maria@example.com");
    assert_eq!(c["phone"], "+5511912345678");
    assert_eq!(c["owner_id"], s.user_id.to_string());
    assert_eq!(c["version"], 1);
    let id = c["id"].as_str().unwrap();
    let got = get_json(&app, &s, &format!("/contacts/{id}")).await;
    assert_eq!(got, c);

    let res = app
        .api(Method::PATCH, &format!("/contacts/{id}"), Some(&s))
        .json(&json!({"job_position": null, "last_name": "Souza"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let patched: Value = res.json().await.unwrap();
    assert_eq!(patched["job_position"], Value::Null);
    assert_eq!(patched["name"], "Maria Souza");
    assert_eq!(
        patched["email"], "maria@example.com",
        "untouched fields stay"
    );
    assert_eq!(patched["version"], 2);

    let res = app
        .api(Method::POST, "/contacts", Some(&s))
        .json(&json!({"name": "Valid", "email": "nope", "phone": "123", "company_id": uuid::Uuid::now_v7()}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "phone", "company_id"]);
    let res = app
        .api(Method::POST, "/contacts", Some(&s))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "name");
    let res = app
        .api(Method::POST, "/contacts", Some(&s))
        .json(&json!({"name": "X", "version": 9}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;

    let res = app
        .api(Method::DELETE, &format!("/contacts/{id}"), Some(&s))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .api(Method::GET, &format!("/contacts/{id}"), Some(&s))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn two_writers_conflict_with_412(app: TestApp) {
    let s = app.register(&email("c412")).await;
    let c = create(&app, &s, json!({"name": "Shared Contact"})).await;
    let path = format!("/contacts/{}", c["id"].as_str().unwrap());
    let first = app
        .api(Method::PATCH, &path, Some(&s))
        .header("if-match", "\"1\"")
        .json(&json!({"job_position": "A"}))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let second = app
        .api(Method::PATCH, &path, Some(&s))
        .header("if-match", "\"1\"")
        .json(&json!({"job_position": "B"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(second, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    assert_eq!(problem["current_version"], 2);
    let res = app
        .api(Method::DELETE, &path, Some(&s))
        .header("if-match", "\"1\"")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    assert_eq!(get_json(&app, &s, &path).await["job_position"], "A");
}

async fn cursor_pages_neither_skip_nor_repeat_while_rows_are_inserted(app: TestApp) {
    let s = app.register(&email("page")).await;
    let names = [
        "Ana", "Bruno", "Carla", "Ana", "Diego", "Elisa", "Fábio", "Ana", "Gabi", "Heitor", "Íris",
    ];
    let mut original = Vec::new();
    for n in names {
        original.push(
            create(&app, &s, json!({"name": n})).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    for sort in ["name", "-name", "-created_at", "created_at", "email,-name"] {
        let mut seen: Vec<String> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut inserted = 0;
        loop {
            let mut path = format!("/contacts?limit=3&sort={sort}");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page = get_json(&app, &s, &path).await;
            for row in page["data"].as_array().unwrap() {
                seen.push(row["id"].as_str().unwrap().to_string());
            }
            // Rows inserted mid-walk must not disturb the walk.
            create(&app, &s, json!({"name": format!("Zé {sort} {inserted}")})).await;
            create(&app, &s, json!({"name": format!("Aa {sort} {inserted}")})).await;
            inserted += 1;
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{sort}: a row was repeated");
        for id in &original {
            assert!(seen.contains(id), "{sort}: row {id} was skipped");
        }
    }
    let counted = get_json(&app, &s, "/contacts?count=true&limit=1").await;
    assert!(counted["total"].as_u64().unwrap() >= names.len() as u64);
}

async fn search_ignores_case_and_accents(app: TestApp) {
    let s = app.register(&email("search")).await;
    create(
        &app,
        &s,
        json!({"name": "João Gonçalves", "email": "jg@example.com"}),
    )
    .await;
    create(&app, &s, json!({"name": "JOANA Prado"})).await;
    create(
        &app,
        &s,
        json!({"name": "Pedro Álvares", "job_position": "Diretor Comercial"}),
    )
    .await;
    let names = |v: Value| -> Vec<String> {
        let mut n: Vec<String> = v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        names(get_json(&app, &s, "/contacts?q=joao").await),
        ["João Gonçalves"]
    );
    assert_eq!(
        names(get_json(&app, &s, "/contacts?q=GONCALVES").await),
        ["João Gonçalves"]
    );
    assert_eq!(
        names(get_json(&app, &s, "/contacts?q=jo").await),
        ["JOANA Prado", "João Gonçalves"]
    );
    assert_eq!(
        names(get_json(&app, &s, "/contacts?q=alvares%20diretor").await),
        ["Pedro Álvares"]
    );
    assert!(names(get_json(&app, &s, "/contacts?q=%22%29%28*").await).is_empty());
    // Another organization's contacts are never found.
    let other = app.register(&email("search2")).await;
    assert!(names(get_json(&app, &other, "/contacts?q=joao").await).is_empty());
}

async fn idempotent_create_returns_the_first_response(app: TestApp) {
    let s = app.register(&email("idem")).await;
    let send = |body: Value| {
        app.api(Method::POST, "/contacts", Some(&s))
            .header("idempotency-key", "key-123")
            .json(&body)
            .send()
    };
    let first: Value = send(json!({"name": "Once"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = send(json!({"name": "Once"})).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["idempotent-replayed"], "true");
    let second: Value = res.json().await.unwrap();
    assert_eq!(first["id"], second["id"]);
    let res = send(json!({"name": "Different"})).await.unwrap();
    assert_problem(res, StatusCode::CONFLICT, "idempotency_key_reused").await;
    let all = get_json(&app, &s, "/contacts?count=true").await;
    assert_eq!(all["total"], 1);
}

async fn tags_and_custom_fields(app: TestApp) {
    let s = app.register(&email("tags")).await;
    let res = app
        .api(Method::POST, "/custom-fields", Some(&s))
        .json(&json!({"entity_type": "contact", "key": "budget", "label": "Budget", "kind": "number"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    app.api(Method::POST, "/custom-fields", Some(&s))
        .json(&json!({"entity_type": "contact", "key": "tier", "label": "Tier", "kind": "select", "options": ["gold", "silver"]}))
        .send()
        .await
        .unwrap();
    let vip = create(
        &app,
        &s,
        json!({"name": "Vip", "tags": ["Cliente VIP", "cliente vip", "Hot"],
                                       "custom_fields": {"budget": 5000, "tier": "gold"}}),
    )
    .await;
    assert_eq!(vip["tags"], json!(["Cliente VIP", "Hot"]));
    assert_eq!(
        vip["custom_fields"],
        json!({"budget": 5000, "tier": "gold"})
    );
    create(&app, &s, json!({"name": "Plain"})).await;
    let found = get_json(&app, &s, "/contacts?tags=cliente%20vip").await;
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    assert_eq!(found["data"][0]["name"], "Vip");

    let res = app
        .api(Method::POST, "/contacts", Some(&s))
        .json(&json!({"name": "X", "custom_fields": {"budget": "lots"}}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "custom_fields.budget");
    let res = app
        .api(Method::POST, "/contacts", Some(&s))
        .json(&json!({"name": "X", "custom_fields": {"colour": "red"}}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(problem["errors"][0]["field"], "custom_fields.colour");
    let res = app
        .api(Method::POST, "/contacts", Some(&s))
        .json(&json!({"name": "X", "custom_fields": {"tier": "bronze"}}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let path = format!("/contacts/{}", vip["id"].as_str().unwrap());
    let res = app
        .api(Method::PATCH, &path, Some(&s))
        .json(&json!({"custom_fields": {"tier": null}, "tags": ["Hot"]}))
        .send()
        .await
        .unwrap();
    let patched: Value = res.json().await.unwrap();
    assert_eq!(patched["custom_fields"], json!({"budget": 5000}));
    assert_eq!(patched["tags"], json!(["Hot"]));
    let tags = get_json(&app, &s, "/tags").await;
    assert_eq!(
        tags["data"].as_array().unwrap().len(),
        2,
        "tags are kept for reuse"
    );
}

async fn sales_see_only_their_own_and_viewers_cannot_write(app: TestApp) {
    let owner = app.register(&email("own")).await;
    let sales = app.register(&email("sales")).await;
    let sales = app.add_member(&owner, &sales, "sales").await;
    let viewer = app.register(&email("viewer")).await;
    let viewer = app.add_member(&owner, &viewer, "viewer").await;
    let theirs = create(&app, &owner, json!({"name": "Owner's"})).await;
    let mine = create(&app, &sales, json!({"name": "Sales'"})).await;
    let assigned = create(
        &app,
        &owner,
        json!({"name": "Given to sales", "owner_id": sales.user_id}),
    )
    .await;

    let list = get_json(&app, &sales, "/contacts?sort=name").await;
    let names: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Given to sales", "Sales'"]);
    let res = app
        .api(
            Method::GET,
            &format!("/contacts/{}", theirs["id"].as_str().unwrap()),
            Some(&sales),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .api(
            Method::PATCH,
            &format!("/contacts/{}", theirs["id"].as_str().unwrap()),
            Some(&sales),
        )
        .json(&json!({"name": "Mine now"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        get_json(&app, &owner, "/contacts?count=true").await["total"],
        3
    );
    assert!(mine["id"].is_string() && assigned["id"].is_string());

    assert_eq!(
        get_json(&app, &viewer, "/contacts?count=true").await["total"],
        3
    );
    let res = app
        .api(Method::POST, "/contacts", Some(&viewer))
        .json(&json!({"name": "Nope"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .api(
            Method::DELETE,
            &format!("/contacts/{}", theirs["id"].as_str().unwrap()),
            Some(&viewer),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
}

async fn list_errors_name_the_allowed_fields(app: TestApp) {
    let s = app.register(&email("errs")).await;
    let res = app
        .api(Method::GET, "/contacts?colour[eq]=red", Some(&s))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_filter").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("email"),
        "{problem}"
    );
    let res = app
        .api(Method::GET, "/contacts?name[near]=x", Some(&s))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_filter").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("starts_with"),
        "{problem}"
    );
    let res = app
        .api(Method::GET, "/contacts?sort=phone", Some(&s))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_sort").await;
    let res = app
        .api(Method::GET, "/contacts?created_at[gte]=yesterday", Some(&s))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_filter").await;
    assert_eq!(problem["errors"][0]["field"], "created_at[gte]");
    let res = app
        .api(Method::GET, "/contacts?cursor=garbage", Some(&s))
        .send()
        .await
        .unwrap();
    assert!(res.status() == StatusCode::BAD_REQUEST);
    create(&app, &s, json!({"name": "Ana 100%_off", "email": "a@b.co"})).await;
    create(&app, &s, json!({"name": "Ana 100 off"})).await;
    let found = get_json(&app, &s, "/contacts?name[contains]=100%25_").await;
    assert_eq!(
        found["data"].as_array().unwrap().len(),
        1,
        "LIKE wildcards are literal"
    );
    let found = get_json(&app, &s, "/contacts?email[is_null]=true").await;
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
}

async fn another_organization_cannot_touch_a_contact(app: TestApp) {
    let a = app.register(&email("iso-a")).await;
    let b = app.register(&email("iso-b")).await;
    let c = create(&app, &a, json!({"name": "A's secret client"})).await;
    let path = format!("/contacts/{}", c["id"].as_str().unwrap());
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let mut req = app.api(method.clone(), &path, Some(&b));
        if method == Method::PATCH {
            req = req.json(&json!({"name": "stolen"}));
        }
        assert_problem(
            req.send().await.unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        let mut req = app
            .api(method.clone(), &path, None)
            .bearer_auth(&b.access)
            .header("x-org-id", a.org_id.to_string());
        if method == Method::PATCH {
            req = req.json(&json!({"name": "stolen"}));
        }
        assert_problem(
            req.send().await.unwrap(),
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    // A contact of B cannot point at A's company or owner either.
    let res = app
        .api(Method::POST, "/contacts", Some(&b))
        .json(&json!({"name": "x", "owner_id": a.user_id}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "owner_id");
    assert_eq!(get_json(&app, &a, &path).await, c, "nothing changed");
    assert_eq!(get_json(&app, &b, "/contacts?count=true").await["total"], 0);
}
