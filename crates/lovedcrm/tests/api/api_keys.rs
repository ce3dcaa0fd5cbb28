//! API keys: shown once, scoped, bound to their organization, revocable.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::comments::call;
use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    a_key_works_within_its_scopes_and_organization,
    keys_are_validated_and_managed_by_admins,
    keys_end_with_their_creators_password_and_account,
);

async fn with_key(app: &TestApp, method: Method, path: &str, key: &str) -> reqwest::RequestBuilder {
    app.client
        .request(method, app.url(&format!("/api/v1{path}")))
        .bearer_auth(key)
}

async fn a_key_works_within_its_scopes_and_organization(app: TestApp) {
    let owner = app.register(&email("keys")).await;
    let other = app.register(&email("keys-other")).await;
    let (status, created) = call(
        &app,
        &owner,
        Method::POST,
        "/api-keys",
        Some(json!({"name": "Zapier", "scopes": ["contacts:read", "leads:write"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let key = created["key"].as_str().unwrap().to_string();
    assert!(key.starts_with(&format!("lcrm_{}_", created["prefix"].as_str().unwrap())));

    let (_, list) = call(&app, &owner, Method::GET, "/api-keys", None).await;
    assert_eq!(list["data"][0]["name"], "Zapier");
    assert!(
        list["data"][0].get("key").is_none(),
        "the key is shown once"
    );
    assert!(!list.to_string().contains(&key));

    // Read scope, no X-Org-Id needed: the key is bound to its organization.
    let res = with_key(&app, Method::GET, "/contacts", &key)
        .await
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Write on leads; the lead is created as the key's creator.
    let res = with_key(&app, Method::POST, "/leads", &key)
        .await
        .json(&json!({"full_name": "From Zapier"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let lead: Value = res.json().await.unwrap();
    assert_eq!(lead["created_by"], owner.user_id.to_string());
    // Outside the scopes.
    let res = with_key(&app, Method::POST, "/contacts", &key)
        .await
        .json(&json!({"name": "No"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = with_key(&app, Method::GET, "/companies", &key)
        .await
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = with_key(&app, Method::GET, "/api-keys", &key)
        .await
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = with_key(&app, Method::GET, "/users/me", &key)
        .await
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Another organization named in X-Org-Id.
    let res = with_key(&app, Method::GET, "/contacts", &key)
        .await
        .header("x-org-id", other.org_id.to_string())
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    // ...and the targeted organization's admins see the attempt.
    let (_, audit) = call(
        &app,
        &other,
        Method::GET,
        "/audit?action=security.cross_organization_attempt",
        None,
    )
    .await;
    assert_eq!(
        audit["data"][0]["actor_user_id"],
        owner.user_id.to_string(),
        "{audit}"
    );

    let (_, list) = call(&app, &owner, Method::GET, "/api-keys", None).await;
    assert!(list["data"][0]["last_used_at"].is_string(), "{list}");

    let id = created["id"].as_str().unwrap();
    let (status, _) = call(
        &app,
        &owner,
        Method::DELETE,
        &format!("/api-keys/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let res = with_key(&app, Method::GET, "/contacts", &key)
        .await
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = with_key(&app, Method::GET, "/contacts", "lcrm_00000000_deadbeef")
        .await
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // The other organization cannot see or revoke this organization's keys.
    let (status, _) = call(
        &app,
        &other,
        Method::DELETE,
        &format!("/api-keys/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, theirs) = call(&app, &other, Method::GET, "/api-keys", None).await;
    assert_eq!(theirs["data"], json!([]));
}

async fn keys_are_validated_and_managed_by_admins(app: TestApp) {
    let owner = app.register(&email("keys-admin")).await;
    let rep = app.register(&email("keys-rep")).await;
    let rep = app.add_member(&owner, &rep, "sales").await;
    let res = app
        .api(Method::POST, "/api-keys", Some(&rep))
        .json(&json!({"name": "Mine", "scopes": ["*:read"]}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("manage_integrations"),
        "{problem}"
    );

    let res = app
        .api(Method::POST, "/api-keys", Some(&owner))
        .json(
            &json!({"name": " ", "scopes": ["users:read", "contacts:delete"],
                      "expires_at": "2001-01-01T00:00:00Z"}),
        )
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
    assert_eq!(fields, ["name", "scopes", "expires_at"]);

    // A key stops working when its creator leaves the organization.
    let admin = app.register(&email("keys-leaver")).await;
    let admin = app.add_member(&owner, &admin, "admin").await;
    let (_, created) = call(
        &app,
        &admin,
        Method::POST,
        "/api-keys",
        Some(json!({"name": "Leaver", "scopes": ["*:read"]})),
    )
    .await;
    let key = created["key"].as_str().unwrap().to_string();
    let res = with_key(&app, Method::GET, "/pipelines", &key)
        .await
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (status, _) = call(
        &app,
        &owner,
        Method::DELETE,
        &format!("/organizations/current/members/{}", admin.user_id),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let res = with_key(&app, Method::GET, "/pipelines", &key)
        .await
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// A key acts as its creator: when the password changes (perhaps because it
/// leaked) every key they made, in every organization, stops working; so
/// does every key of a deactivated account.
async fn keys_end_with_their_creators_password_and_account(app: TestApp) {
    let me = app.register(&email("keys-pw")).await;
    let boss = app.register(&email("keys-pw-boss")).await;
    let me_there = app.add_member(&boss, &me, "admin").await;
    let mut keys = Vec::new();
    for s in [&me, &me_there] {
        let (status, created) = call(
            &app,
            s,
            Method::POST,
            "/api-keys",
            Some(json!({"name": "Sync", "scopes": ["contacts:read"]})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        keys.push(created["key"].as_str().unwrap().to_string());
    }
    let status = |key: String| {
        let app = &app;
        async move {
            with_key(app, Method::GET, "/contacts", &key)
                .await
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for key in &keys {
        assert_eq!(status(key.clone()).await, StatusCode::OK);
    }
    let res = app
        .api(Method::POST, "/auth/password/change", Some(&me))
        .json(&json!({"current_password": crate::helpers::PASSWORD,
                      "new_password": "a brand new passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for key in &keys {
        assert_eq!(status(key.clone()).await, StatusCode::UNAUTHORIZED);
    }
    let (_, audit) = call(
        &app,
        &boss,
        Method::GET,
        "/audit?action=api_key.revoked",
        None,
    )
    .await;
    assert_eq!(
        audit["data"][0]["actor_user_id"],
        me.user_id.to_string(),
        "{audit}"
    );

    // A new key, then the account is deactivated.
    let (_, created) = call(
        &app,
        &me,
        Method::POST,
        "/api-keys",
        Some(json!({"name": "Later", "scopes": ["contacts:read"]})),
    )
    .await;
    let later = created["key"].as_str().unwrap().to_string();
    assert_eq!(status(later.clone()).await, StatusCode::OK);
    lovedcrm::db::exec(
        app.state.store.connection(),
        "UPDATE users SET is_active = $2 WHERE id = $1",
        vec![me.user_id.into(), false.into()],
    )
    .await
    .unwrap();
    assert_eq!(status(later).await, StatusCode::UNAUTHORIZED);
}
