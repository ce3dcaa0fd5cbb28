//! Keyset paging over columns that are mostly empty: NULLs sort as one
//! block, and a cursor that lands inside that block (or on its edge) must
//! go on from there, on both databases, in both directions.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, email};
use crate::on_both;

on_both!(pages_walk_through_many_nulls);

async fn list(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

/// Every page of `query` at `limit`, ids in order.
async fn walk(app: &TestApp, s: &Session, query: &str, limit: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let path = match &cursor {
            Some(c) => format!("/leads?{query}&limit={limit}&cursor={c}"),
            None => format!("/leads?{query}&limit={limit}"),
        };
        let page = list(app, s, &path).await;
        let rows = page["data"].as_array().unwrap();
        assert!(rows.len() <= limit);
        ids.extend(rows.iter().map(|r| r["id"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return ids,
        }
    }
    panic!("{query}: paging did not end");
}

async fn pages_walk_through_many_nulls(app: TestApp) {
    let s = app.register(&email("nulls")).await;
    // 30 leads: two of three without a value, one of two without a close
    // date, and the values that exist repeat.
    for n in 0..30 {
        let mut body = json!({"full_name": format!("Lead {n:02}")});
        if n % 3 == 0 {
            body["estimated_value"] = json!(((n % 4) * 100) as f64);
        }
        if n % 2 == 0 {
            body["expected_close_date"] = json!(format!("2031-0{}-15", 1 + n % 3));
        }
        let res = app
            .api(Method::POST, "/leads", Some(&s))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    for sort in [
        "estimated_value",
        "-estimated_value",
        "expected_close_date",
        "-expected_close_date",
        "estimated_value,-title",
        "-expected_close_date,estimated_value",
    ] {
        let whole: Vec<String> =
            list(&app, &s, &format!("/leads?sort={sort}&limit=200")).await["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect();
        assert_eq!(whole.len(), 30);
        for limit in [1, 4, 7] {
            let paged = walk(&app, &s, &format!("sort={sort}"), limit).await;
            let unique: HashSet<&String> = paged.iter().collect();
            assert_eq!(
                unique.len(),
                paged.len(),
                "{sort} by {limit}: a row came twice"
            );
            assert_eq!(paged, whole, "{sort} by {limit}: not the order of one page");
        }
    }
}
