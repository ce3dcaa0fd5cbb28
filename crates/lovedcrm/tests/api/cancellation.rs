//! Requests dropped at every await point, many at once: a client that goes
//! away (wrk at the end of a run, a browser leaving a page) drops the
//! handler's future wherever it is waiting. No connection may go back to the
//! pool inside a transaction or with a tenant setting, and a dropped request
//! leaves all of its writes or none.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use reqwest::Method;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::{Session, TestApp, email};

/// Polls `fut` until it has waited `pendings` times, then drops it there.
struct DropAfter<F> {
    fut: Option<Pin<Box<F>>>,
    pendings: usize,
}

impl<F: Future> Future for DropAfter<F> {
    /// `None` when the future was dropped before it finished.
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(fut) = self.fut.as_mut() else {
            return Poll::Ready(None);
        };
        match fut.as_mut().poll(cx) {
            Poll::Ready(out) => Poll::Ready(Some(out)),
            Poll::Pending if self.pendings == 0 => {
                self.fut = None;
                Poll::Ready(None)
            }
            Poll::Pending => {
                self.pendings -= 1;
                Poll::Pending
            }
        }
    }
}

fn drop_after<F: Future>(fut: F, pendings: usize) -> DropAfter<F> {
    DropAfter {
        fut: Some(Box::pin(fut)),
        pendings,
    }
}

/// One request through the router, dropped after `pendings` waits; the
/// status when it finished.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    session: &Session,
    extra: &[(&str, String)],
    body: Value,
    pendings: usize,
) -> Option<StatusCode> {
    let mut req = Request::builder()
        .method(method.as_str())
        .uri(format!("/api/v1{path}"))
        .header("authorization", format!("Bearer {}", session.access))
        .header("x-org-id", session.org_id.to_string())
        .header("content-type", "application/json");
    for (name, value) in extra {
        req = req.header(*name, value);
    }
    let req = req.body(Body::from(body.to_string())).unwrap();
    let router = lovedcrm::http::build_router(app.state.clone());
    drop_after(router.oneshot(req), pendings)
        .await
        .map(|res| res.unwrap().status())
}

/// Takes every connection the pool can hand out at once and checks that none
/// is inside a transaction or carries a tenant setting.
async fn assert_pool_clean(app: &TestApp, context: &str) {
    let store = &app.state.store;
    let db = store.connection();
    match store.backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            let mut held = Vec::new();
            for _ in 0..pool.options().get_max_connections() {
                held.push(pool.acquire().await.unwrap());
            }
            for conn in &mut held {
                // SAVEPOINT is refused outside a transaction block, and only there.
                let probe = sea_orm::sqlx::raw_sql("SAVEPOINT pool_probe")
                    .execute(&mut **conn)
                    .await;
                assert!(
                    probe.is_err(),
                    "{context}: a pooled connection is inside a transaction"
                );
                let (org, user): (Option<String>, Option<String>) = sea_orm::sqlx::query_as(
                    "SELECT current_setting('lovedcrm.org_id', true), \
                     current_setting('lovedcrm.user_id', true)",
                )
                .fetch_one(&mut **conn)
                .await
                .unwrap();
                assert!(
                    org.unwrap_or_default().is_empty() && user.unwrap_or_default().is_empty(),
                    "{context}: a pooled connection keeps a tenant setting"
                );
            }
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            let mut held = Vec::new();
            for _ in 0..pool.options().get_max_connections() {
                held.push(pool.acquire().await.unwrap());
            }
            for conn in &mut held {
                // SQLite refuses BEGIN inside a transaction.
                let begun = sea_orm::sqlx::query("BEGIN").execute(&mut **conn).await;
                assert!(
                    begun.is_ok(),
                    "{context}: a pooled connection is inside a transaction: {begun:?}"
                );
                sea_orm::sqlx::query("ROLLBACK")
                    .execute(&mut **conn)
                    .await
                    .unwrap();
            }
        }
    }
}

/// The first names of the contacts whose name starts with `prefix`, and the
/// first names in the audit rows of contact creations: a create that
/// committed has both (and its `contact.created` event, checked here), one
/// dropped before its commit has none of them.
async fn created_and_audited(app: &TestApp, prefix: &str) -> (Vec<String>, Vec<String>) {
    use sea_orm::Database;
    let url = app
        .admin_database_url
        .clone()
        .unwrap_or_else(|| app.database_url.clone());
    let db = Database::connect(&url).await.unwrap();
    let backend = db.get_database_backend();
    let column = |sql: &str| {
        let db = &db;
        let sql = sql.to_string();
        let prefix = prefix.to_string();
        async move {
            db.query_all_raw(Statement::from_sql_and_values(
                backend,
                sql,
                vec![format!("%{prefix}%").into()],
            ))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String>("", "v").unwrap())
            .collect::<Vec<_>>()
        }
    };
    let mut contacts =
        column("SELECT first_name AS v FROM contacts WHERE first_name LIKE $1").await;
    let mut audited: Vec<String> = column(
        "SELECT CAST(after_data AS TEXT) AS v FROM audit_log \
         WHERE entity_type = 'contact' AND before_data IS NULL AND CAST(after_data AS TEXT) LIKE $1",
    )
    .await
    .iter()
    .map(|after| {
        serde_json::from_str::<Value>(after).unwrap()["first_name"]
            .as_str()
            .unwrap()
            .to_string()
    })
    .collect();
    let mut announced: Vec<String> = column(
        "SELECT CAST(data AS TEXT) AS v FROM domain_events \
         WHERE event_type = 'contact.created' AND CAST(data AS TEXT) LIKE $1",
    )
    .await
    .iter()
    .map(|data| {
        serde_json::from_str::<Value>(data).unwrap()["first_name"]
            .as_str()
            .unwrap()
            .to_string()
    })
    .collect();
    db.close().await.unwrap();
    contacts.sort();
    audited.sort();
    announced.sort();
    assert_eq!(
        contacts, announced,
        "contacts and their contact.created events"
    );
    (contacts, audited)
}

async fn dropped_at_every_await_point(app: TestApp) {
    // Two organizations at once, so a leftover setting would show as the other's.
    let ana = app.register(&email("ana")).await;
    let bob = app.register(&email("bob")).await;
    let create = |who: &Session, name: String| {
        (
            who.clone(),
            json!({"first_name": name, "email": format!("{}@example.com", uuid::Uuid::now_v7().simple())}),
        )
    };
    let lead = |who: &Session| {
        let app = &app;
        let who = who.clone();
        async move {
            let res = app
                .api(Method::POST, "/leads", Some(&who))
                .json(&json!({"full_name": "Cancellable deal"}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::CREATED);
            res.json::<Value>().await.unwrap()
        }
    };
    let (ana_lead, bob_lead) = (lead(&ana).await, lead(&bob).await);
    let stages = app
        .api(Method::GET, "/pipelines", Some(&ana))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["data"][0]["stages"]
        .clone();
    let bob_stages = app
        .api(Method::GET, "/pipelines", Some(&bob))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["data"][0]["stages"]
        .clone();

    let app = &app;
    let mut dropped = 0;
    let mut pendings = 0;
    loop {
        // Several requests in flight together, each dropped after the same
        // number of waits: creates in both organizations, a stage move each.
        let mut flights = Vec::new();
        for (i, who) in [&ana, &bob, &ana, &bob].into_iter().enumerate() {
            let (who, body) = create(who, format!("cancel-{pendings}-{i}"));
            let key = uuid::Uuid::now_v7().to_string();
            flights.push(Box::pin(async move {
                send(
                    app,
                    Method::POST,
                    "/contacts",
                    &who,
                    &[("idempotency-key", key)],
                    body,
                    pendings,
                )
                .await
            })
                as Pin<Box<dyn Future<Output = Option<StatusCode>> + Send + '_>>);
        }
        for (who, lead, stages) in [(&ana, &ana_lead, &stages), (&bob, &bob_lead, &bob_stages)] {
            let target = stages[1 + pendings % 3]["id"].clone();
            let path = format!("/leads/{}/stage", lead["id"].as_str().unwrap());
            flights.push(Box::pin(async move {
                send(
                    app,
                    Method::PATCH,
                    &path,
                    who,
                    &[],
                    json!({"stage_id": target}),
                    pendings,
                )
                .await
            }));
        }
        let outcomes = futures_util::future::join_all(flights).await;
        for status in outcomes.iter().flatten() {
            assert!(
                status.is_success(),
                "a request that finished answered {status} after {pendings} waits"
            );
        }
        dropped += outcomes.iter().filter(|o| o.is_none()).count();
        assert_pool_clean(app, &format!("after dropping at wait {pendings}")).await;
        if outcomes.iter().all(Option::is_some) {
            break;
        }
        pendings += 1;
        assert!(pendings < 500, "requests never finished");
    }
    assert!(
        dropped > 20 && pendings > 5,
        "too few await points were tried: {dropped} drops over {pendings} waits"
    );

    // Every create is all or nothing: a contact always has its audit row.
    let (contacts, audited) = created_and_audited(app, "cancel-").await;
    assert_eq!(
        contacts, audited,
        "contacts and the audit rows of their creation"
    );
    let n = contacts.len();
    assert!(n >= 4, "the requests that finished created their contacts");

    // And the pool serves on, in the right organization.
    let res = app
        .api(Method::GET, "/contacts?limit=200", Some(&ana))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let names: Vec<String> = res.json::<Value>().await.unwrap()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["first_name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        names.iter().all(|n| n.ends_with("-0") || n.ends_with("-2")),
        "Ana sees only her own contacts: {names:?}"
    );
    eprintln!(
        "{:?}: {dropped} requests dropped at up to {pendings} await points, {n} contacts committed",
        app.backend
    );
}

crate::on_both!(dropped_at_every_await_point);
