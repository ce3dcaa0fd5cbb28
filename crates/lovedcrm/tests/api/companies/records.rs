//! Checks every record resource passes (companies, projects, tasks), given
//! its path and a maker of create bodies.

use std::collections::HashSet;

use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

use crate::helpers::{Session, TestApp, assert_problem, email};

pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    s: &Session,
    body: Option<&Value>,
) -> Response {
    let mut req = app.api(method, path, Some(s));
    if let Some(body) = body {
        req = req.json(body);
    }
    req.send().await.unwrap()
}

/// POSTs `body` and expects 201.
pub async fn create(app: &TestApp, s: &Session, path: &str, body: &Value) -> Value {
    let res = send(app, Method::POST, path, s, Some(body)).await;
    let status = res.status();
    let json: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "POST {path} {body}: {json}");
    json
}

/// GETs `path` and expects 200.
pub async fn get_json(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = send(app, Method::GET, path, s, None).await;
    let status = res.status();
    let json: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}: {json}");
    json
}

/// The ids of a list page.
pub async fn ids(app: &TestApp, s: &Session, path: &str) -> Vec<String> {
    let page = get_json(app, s, path).await;
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// The field names of a problem's `errors`, sorted.
pub fn fields_of(problem: &Value) -> Vec<String> {
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    fields.sort();
    fields
}

/// Two writers with the same `If-Match`: the second gets 412 and changes nothing.
pub async fn stale_if_match(
    app: &TestApp,
    path: &str,
    body: &Value,
    first: &Value,
    second: &Value,
) {
    let s = app.register(&email("owner")).await;
    let record = create(app, &s, path, body).await;
    let url = format!("{path}/{}", record["id"].as_str().unwrap());
    let patch = |body: &Value| {
        app.api(Method::PATCH, &url, Some(&s))
            .header("if-match", "\"1\"")
            .json(body)
            .send()
    };
    let res = patch(first).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"2\"");
    let res = patch(second).await.unwrap();
    let problem = assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    assert_eq!(problem["current_version"], 2);
    let res = app
        .api(Method::DELETE, &url, Some(&s))
        .header("if-match", "1")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    let now = get_json(app, &s, &url).await;
    assert_eq!(now["version"], 2);
    for (key, value) in first.as_object().unwrap() {
        assert_eq!(&now[key], value, "{key} keeps the first writer's value");
    }
    let res = app
        .api(Method::DELETE, &url, Some(&s))
        .header("if-match", "\"2\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app.api(Method::GET, &url, Some(&s)).send().await.unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert!(
        !ids(app, &s, path)
            .await
            .contains(&record["id"].as_str().unwrap().to_string()),
        "the deleted record is gone from the list"
    );
}

/// Pages of 2, with rows inserted between fetches, in the default order
/// and by name: every original row comes exactly once.
pub async fn pages_survive_inserts(app: &TestApp, path: &str, make: impl Fn(&str) -> Value) {
    let s = app.register(&email("owner")).await;
    for (pass, sort) in [("a", ""), ("b", "&sort=name"), ("c", "&sort=-name")] {
        let mut originals = Vec::new();
        for i in [0, 2, 4, 6, 8] {
            let row = create(app, &s, path, &make(&format!("Row {pass} {i}"))).await;
            originals.push(row["id"].as_str().unwrap().to_string());
        }
        let mut seen: Vec<String> = Vec::new();
        let mut cursor = String::new();
        for n in 0.. {
            assert!(n < 40, "paging does not end");
            let page = get_json(app, &s, &format!("{path}?limit=2{sort}{cursor}")).await;
            let data = page["data"].as_array().unwrap();
            assert!(data.len() <= 2);
            seen.extend(data.iter().map(|r| r["id"].as_str().unwrap().to_string()));
            // Lands before and after the cursor, by name and by time.
            create(app, &s, path, &make(&format!("Row {pass} {}", 2 * n + 1))).await;
            match page["next_cursor"].as_str() {
                Some(next) => cursor = format!("&cursor={next}"),
                None => {
                    assert_eq!(page["has_more"], false);
                    break;
                }
            }
        }
        for id in &originals {
            assert_eq!(
                seen.iter().filter(|s| *s == id).count(),
                1,
                "sort `{sort}`: {id} once"
            );
        }
        assert_eq!(
            seen.iter().collect::<HashSet<_>>().len(),
            seen.len(),
            "sort `{sort}`: no repeats"
        );
    }
}

/// `q` folds case and accents and matches word prefixes.
pub async fn search_ignores_accents(app: &TestApp, path: &str, make: impl Fn(&str) -> Value) {
    let s = app.register(&email("owner")).await;
    let found = create(app, &s, path, &make("São Paulo Agência")).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    create(app, &s, path, &make("Rio Branco Digital")).await;
    for q in ["sao", "SÃO", "agencia", "paulo agen"] {
        assert_eq!(
            ids(app, &s, &format!("{path}?q={q}")).await,
            [found.as_str()],
            "q={q}"
        );
    }
    assert!(ids(app, &s, &format!("{path}?q=lisboa")).await.is_empty());
    assert!(ids(app, &s, &format!("{path}?q=%2A%2A")).await.is_empty());
}

/// The same key twice is one row; the same key with another body is 409.
pub async fn idempotent_create(app: &TestApp, path: &str, body: &Value, other: &Value) {
    let s = app.register(&email("owner")).await;
    let post = |body: &Value| {
        app.api(Method::POST, path, Some(&s))
            .header("idempotency-key", "k-1")
            .json(body)
            .send()
    };
    let first = post(body).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = post(body).await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
    let res = post(other).await.unwrap();
    assert_problem(res, StatusCode::CONFLICT, "idempotency_key_reused").await;
    assert_eq!(
        get_json(app, &s, &format!("{path}?count=true")).await["total"],
        1
    );
}

/// `sales` see their own records, `admin` all, `viewer` reads but
/// cannot write. Returns the owner, the sales member and the owner's record.
pub async fn visibility_follows_roles(
    app: &TestApp,
    path: &str,
    make: impl Fn(&str) -> Value,
    patch: &Value,
) -> (Session, Session, String) {
    let owner = app.register(&email("owner")).await;
    let sales = app
        .add_member(&owner, &app.register(&email("sales")).await, "sales")
        .await;
    let admin = app
        .add_member(&owner, &app.register(&email("admin")).await, "admin")
        .await;
    let viewer = app
        .add_member(&owner, &app.register(&email("viewer")).await, "viewer")
        .await;
    let theirs = create(app, &owner, path, &make("Owner's")).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mine = create(app, &sales, path, &make("Sales'")).await["id"]
        .as_str()
        .unwrap()
        .to_string();

    assert_eq!(ids(app, &sales, path).await, [mine.as_str()]);
    assert_eq!(
        get_json(app, &sales, &format!("{path}?count=true")).await["total"],
        1
    );
    let url = format!("{path}/{theirs}");
    for (method, body) in [
        (Method::GET, None),
        (Method::PATCH, Some(patch)),
        (Method::DELETE, None),
    ] {
        let res = send(app, method, &url, &sales, body).await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    let all: HashSet<String> = ids(app, &admin, path).await.into_iter().collect();
    assert_eq!(all, HashSet::from([mine.clone(), theirs.clone()]));
    let res = send(
        app,
        Method::PATCH,
        &format!("{path}/{mine}"),
        &admin,
        Some(patch),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let stored = get_json(app, &owner, &format!("{path}/{mine}")).await;
    for (key, value) in patch.as_object().unwrap() {
        assert_eq!(&stored[key], value, "the admin's change of {key} is stored");
    }

    assert_eq!(ids(app, &viewer, path).await.len(), 2);
    let res = send(app, Method::POST, path, &viewer, Some(&make("Viewer's"))).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    for (method, body) in [(Method::PATCH, Some(patch)), (Method::DELETE, None)] {
        let res = send(app, method, &url, &viewer, body).await;
        assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    }
    assert_eq!(get_json(app, &owner, &url).await["version"], 1);
    (owner, sales, theirs)
}

/// A member of B gets 404 for A's record with B's header and 403 with
/// A's, and nothing changes.
pub async fn invisible_to_other_organizations(
    app: &TestApp,
    path: &str,
    body: &Value,
    patch: &Value,
) {
    let a = app.register(&email("alice")).await;
    let b = app.register(&email("bob")).await;
    let record = create(app, &a, path, body).await;
    let url = format!("{path}/{}", record["id"].as_str().unwrap());
    let b_in_a = Session {
        org_id: a.org_id,
        ..b.clone()
    };
    for (method, body) in [
        (Method::GET, None),
        (Method::PATCH, Some(patch)),
        (Method::DELETE, None),
    ] {
        let res = send(app, method.clone(), &url, &b, body).await;
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
        let res = send(app, method, &url, &b_in_a, body).await;
        assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    }
    assert!(ids(app, &b, path).await.is_empty());
    let after = get_json(app, &a, &url).await;
    assert_eq!(after["version"], 1);
    assert_eq!(after["updated_at"], record["updated_at"]);
}
