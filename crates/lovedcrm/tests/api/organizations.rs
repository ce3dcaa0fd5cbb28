use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    organizations_are_listed_created_and_renamed_with_versions,
    members_roles_and_the_last_owner,
    every_mutation_is_audited,
);

async fn get_json(app: &TestApp, path: &str, s: &Session) -> Value {
    let res = app.api(Method::GET, path, Some(s)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

async fn organizations_are_listed_created_and_renamed_with_versions(app: TestApp) {
    let s = app.register(&email("orgs")).await;
    let res = app
        .api(Method::POST, "/organizations", Some(&s))
        .json(&json!({"name": "  Second Agency  "}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let second: Value = res.json().await.unwrap();
    assert_eq!(second["name"], "Second Agency");
    assert_eq!(second["role"], "owner");
    let mine = get_json(&app, "/organizations", &s).await;
    assert_eq!(mine["data"].as_array().unwrap().len(), 2);

    let res = app
        .api(Method::GET, "/organizations/current", Some(&s))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["etag"], "\"1\"");
    // Two writers both read version 1; the second one's write is refused.
    let rename = |name: &str, version: &str| {
        app.api(Method::PATCH, "/organizations/current", Some(&s))
            .header("if-match", version)
            .json(&json!({ "name": name }))
            .send()
    };
    let first = rename("Renamed once", "\"1\"").await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["etag"], "\"2\"");
    let stale = rename("Renamed twice", "\"1\"").await.unwrap();
    assert_eq!(stale.headers()["etag"], "\"2\"");
    let problem = assert_problem(stale, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    assert_eq!(problem["current_version"], 2);
    let org = get_json(&app, "/organizations/current", &s).await;
    assert_eq!(org["name"], "Renamed once");
    assert_eq!(org["version"], 2);

    let empty = rename("   ", "\"2\"").await.unwrap();
    let problem =
        assert_problem(empty, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "name");

    // Login answers with the organization used last.
    let second_org = Session {
        org_id: second["id"].as_str().unwrap().parse().unwrap(),
        ..s.clone()
    };
    get_json(&app, "/organizations/current", &second_org).await;
    let again = app.login(&s.email).await;
    assert_eq!(again.org_id, second_org.org_id);
}

async fn members_roles_and_the_last_owner(app: TestApp) {
    let owner = app.register(&email("owner")).await;
    let admin = app.register(&email("admin")).await;
    let admin = app.add_member(&owner, &admin, "admin").await;
    let viewer = app.register(&email("viewer")).await;
    let viewer = app.add_member(&owner, &viewer, "viewer").await;

    let members = get_json(&app, "/organizations/current/members", &viewer).await;
    let roles: Vec<&str> = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["owner", "admin", "viewer"]);

    // A viewer reads but does not manage.
    let res = app
        .api(Method::PATCH, "/organizations/current", Some(&viewer))
        .json(&json!({"name": "Mine now"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .api(
            Method::DELETE,
            &format!("/organizations/current/members/{}", admin.user_id),
            Some(&viewer),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;

    // An admin manages roles below owner, but cannot touch the owner role.
    let member_path = |s: &Session| format!("/organizations/current/members/{}", s.user_id);
    let res = app
        .api(Method::PATCH, &member_path(&viewer), Some(&admin))
        .json(&json!({"role": "sales"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["role"], "sales");
    let res = app
        .api(Method::PATCH, &member_path(&viewer), Some(&admin))
        .json(&json!({"role": "owner"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .api(Method::DELETE, &member_path(&owner), Some(&admin))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;

    // The last owner can neither leave nor be demoted.
    let res = app
        .api(Method::DELETE, &member_path(&owner), Some(&owner))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "last_owner").await;
    // With a second owner, the first may leave.
    let res = app
        .api(Method::PATCH, &member_path(&admin), Some(&owner))
        .json(&json!({"role": "owner"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .api(Method::PATCH, &member_path(&admin), Some(&owner))
        .json(&json!({"role": "owner"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "setting the same role is harmless"
    );
    let res = app
        .api(Method::DELETE, &member_path(&owner), Some(&owner))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .api(Method::GET, "/organizations/current", Some(&owner))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    // Now the remaining owner is the last one.
    let new_owner = admin;
    let res = app
        .api(Method::DELETE, &member_path(&new_owner), Some(&new_owner))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "last_owner").await;

    // Adding someone twice, or an unknown email.
    let res = app
        .api(
            Method::POST,
            "/organizations/current/members",
            Some(&new_owner),
        )
        .json(&json!({"email": viewer.email, "role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::CONFLICT, "already_member").await;
    let res = app
        .api(
            Method::POST,
            "/organizations/current/members",
            Some(&new_owner),
        )
        .json(&json!({"email": email("ghost"), "role": "viewer"}))
        .send()
        .await
        .unwrap();
    // An address nobody uses is invited like any other: the answer does not
    // say whether an account exists (invites.rs compares the two).
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let res = app
        .api(
            Method::POST,
            "/organizations/current/members",
            Some(&new_owner),
        )
        .json(&json!({"email": "not an email", "role": "viewer"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "email");
}

async fn every_mutation_is_audited(app: TestApp) {
    let owner = app.register(&email("audit")).await;
    let other = app.register(&email("audited")).await;
    let other = app.add_member(&owner, &other, "sales").await;
    app.api(Method::PATCH, "/organizations/current", Some(&owner))
        .json(&json!({"name": "Audited Org"}))
        .send()
        .await
        .unwrap();
    app.api(
        Method::PATCH,
        &format!("/organizations/current/members/{}", other.user_id),
        Some(&owner),
    )
    .json(&json!({"role": "manager"}))
    .send()
    .await
    .unwrap();
    app.api(
        Method::DELETE,
        &format!("/organizations/current/members/{}", other.user_id),
        Some(&owner),
    )
    .send()
    .await
    .unwrap();
    let audit = get_json(&app, "/audit", &owner).await;
    let entries = audit["data"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "member.removed",
            "member.role_changed",
            "organization.updated",
            "organization.created"
        ]
    );
    let renamed = &entries[2];
    assert_eq!(renamed["before_data"]["name"], "Test User's organization");
    assert_eq!(renamed["after_data"]["name"], "Audited Org");
    assert_eq!(renamed["actor_user_id"], owner.user_id.to_string());
    assert_eq!(renamed["ip"], "127.0.0.1");
    assert!(
        renamed["request_id"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    let role = &entries[1];
    assert_eq!(role["before_data"]["role"], "sales");
    assert_eq!(role["after_data"]["role"], "manager");

    // Paging with the cursor walks the same entries.
    let page: Value = get_json(&app, "/audit?limit=2", &owner).await;
    assert_eq!(page["has_more"], true);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = get_json(&app, &format!("/audit?limit=10&cursor={cursor}"), &owner).await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 2);
    assert_eq!(rest["has_more"], false);

    // Members below admin cannot read it.
    let sales = app.register(&email("sales")).await;
    let sales = app.add_member(&owner, &sales, "sales").await;
    let res = app
        .api(Method::GET, "/audit", Some(&sales))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
}
