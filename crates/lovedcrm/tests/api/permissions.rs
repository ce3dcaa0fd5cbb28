//! The per-organization permission matrix and ownership transfer.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::comments::call;
use crate::helpers::{TestApp, assert_problem, email};
use crate::on_both;

on_both!(
    the_matrix_decides_what_roles_may_do,
    the_matrix_is_validated_and_guarded,
    ownership_moves_to_another_member,
    members_are_managed_up_to_ones_own_role,
    tags_are_renamed_and_deleted_by_managers,
);

async fn the_matrix_decides_what_roles_may_do(app: TestApp) {
    let owner = app.register(&email("perm")).await;
    let viewer = app.register(&email("perm-viewer")).await;
    let viewer = app.add_member(&owner, &viewer, "viewer").await;
    let rep = app.register(&email("perm-rep")).await;
    let rep = app.add_member(&owner, &rep, "sales").await;

    let (status, matrix) = call(
        &app,
        &owner,
        Method::GET,
        "/organizations/current/permissions",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(matrix["roles"]["viewer"]["create"], false);
    assert_eq!(matrix["roles"]["owner"]["manage_billing"], true);
    assert_eq!(matrix["roles"]["admin"]["manage_billing"], false);

    let (status, _) = call(
        &app,
        &viewer,
        Method::POST,
        "/contacts",
        Some(json!({"name": "V"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, mine) = call(
        &app,
        &rep,
        Method::POST,
        "/contacts",
        Some(json!({"name": "R"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    let mut roles = matrix["roles"].clone();
    roles["viewer"]["create"] = json!(true);
    roles["sales"]["delete"] = json!(false);
    let version = matrix["version"].as_i64().unwrap();
    let res = app
        .api(
            Method::PUT,
            "/organizations/current/permissions",
            Some(&owner),
        )
        .header("if-match", format!("\"{version}\""))
        .json(&json!({"roles": roles}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let (status, body) = call(
        &app,
        &viewer,
        Method::POST,
        "/contacts",
        Some(json!({"name": "Now allowed"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = mine["id"].as_str().unwrap();
    let res = app
        .api(Method::DELETE, &format!("/contacts/{id}"), Some(&rep))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("`delete`"),
        "{problem}"
    );
    // Stale version.
    let res = app
        .api(
            Method::PUT,
            "/organizations/current/permissions",
            Some(&owner),
        )
        .header("if-match", format!("\"{version}\""))
        .json(&json!({"roles": roles}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::PRECONDITION_FAILED, "version_conflict").await;
    // Audited.
    let (_, audit) = call(
        &app,
        &owner,
        Method::GET,
        "/audit?action=permissions.updated",
        None,
    )
    .await;
    assert_eq!(audit["data"].as_array().map(Vec::len), Some(1), "{audit}");
}

async fn the_matrix_is_validated_and_guarded(app: TestApp) {
    let owner = app.register(&email("perm-guard")).await;
    let manager = app.register(&email("perm-mgr")).await;
    let manager = app.add_member(&owner, &manager, "manager").await;
    let (_, matrix) = call(
        &app,
        &owner,
        Method::GET,
        "/organizations/current/permissions",
        None,
    )
    .await;

    let res = app
        .api(
            Method::PUT,
            "/organizations/current/permissions",
            Some(&manager),
        )
        .json(&json!({"roles": matrix["roles"]}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;

    let mut roles = matrix["roles"].clone();
    roles["owner"]["delete"] = json!(false);
    roles["sales"]["read"] = json!(false);
    roles.as_object_mut().unwrap().remove("viewer");
    roles["intern"] = roles["admin"].clone();
    let res = app
        .api(
            Method::PUT,
            "/organizations/current/permissions",
            Some(&owner),
        )
        .json(&json!({"roles": roles}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "roles.intern",
            "roles.owner",
            "roles.sales.read",
            "roles.viewer"
        ]
    );
}

async fn ownership_moves_to_another_member(app: TestApp) {
    let owner = app.register(&email("own")).await;
    let heir = app.register(&email("own-heir")).await;
    let heir = app.add_member(&owner, &heir, "manager").await;
    let outsider = app.register(&email("own-out")).await;

    let (status, body) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/transfer-ownership",
        Some(json!({"user_id": outsider.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "user_id");
    let (status, _) = call(
        &app,
        &heir,
        Method::POST,
        "/organizations/current/transfer-ownership",
        Some(json!({"user_id": heir.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/transfer-ownership",
        Some(json!({"user_id": heir.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, members) = call(
        &app,
        &heir,
        Method::GET,
        "/organizations/current/members",
        None,
    )
    .await;
    let role_of = |id: uuid::Uuid| {
        members["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user_id"] == id.to_string())
            .unwrap()["role"]
            .clone()
    };
    assert_eq!(role_of(heir.user_id), "owner");
    assert_eq!(role_of(owner.user_id), "admin");
    let (status, _) = call(
        &app,
        &owner,
        Method::POST,
        "/organizations/current/transfer-ownership",
        Some(json!({"user_id": heir.user_id})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no longer the owner");
}

/// `manage_members` comes from the matrix, and whoever holds it grants,
/// changes and removes only roles up to their own.
async fn members_are_managed_up_to_ones_own_role(app: TestApp) {
    let owner = app.register(&email("mm")).await;
    let admin = app.register(&email("mm-admin")).await;
    let admin = app.add_member(&owner, &admin, "admin").await;
    let rep = app.register(&email("mm-rep")).await;
    let rep = app.add_member(&owner, &rep, "sales").await;
    let newcomer = app.register(&email("mm-new")).await;
    let member_path = |id: uuid::Uuid| format!("/organizations/current/members/{id}");

    let invite = |role: &str| json!({"email": email("mm-invitee"), "role": role});
    let (status, _) = call(
        &app,
        &rep,
        Method::POST,
        "/organizations/current/invites",
        Some(invite("viewer")),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "sales lacks manage_members by default"
    );

    let (_, matrix) = call(
        &app,
        &owner,
        Method::GET,
        "/organizations/current/permissions",
        None,
    )
    .await;
    let mut roles = matrix["roles"].clone();
    roles["sales"]["manage_members"] = json!(true);
    let (status, body) = call(
        &app,
        &owner,
        Method::PUT,
        "/organizations/current/permissions",
        Some(json!({"roles": roles})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = call(
        &app,
        &rep,
        Method::POST,
        "/organizations/current/members",
        Some(json!({"email": newcomer.email, "role": "viewer"})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    // They join by accepting (invites.rs); here they have.
    let newcomer = app.add_member(&owner, &newcomer, "viewer").await;
    let (status, body) = call(
        &app,
        &rep,
        Method::POST,
        "/organizations/current/invites",
        Some(invite("sales")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let res = app
        .api(Method::POST, "/organizations/current/invites", Some(&rep))
        .json(&invite("admin"))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("admin"),
        "{problem}"
    );
    let res = app
        .api(Method::PATCH, &member_path(newcomer.user_id), Some(&rep))
        .json(&json!({"role": "manager"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .api(Method::DELETE, &member_path(admin.user_id), Some(&rep))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;

    let res = app
        .api(Method::DELETE, &member_path(newcomer.user_id), Some(&rep))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (_, members) = call(
        &app,
        &owner,
        Method::GET,
        "/organizations/current/members",
        None,
    )
    .await;
    let ids: Vec<&str> = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&newcomer.user_id.to_string().as_str()));
    assert!(ids.contains(&admin.user_id.to_string().as_str()));
}

/// A tag is on everyone's records: a sales member creates tags by using
/// them, but renaming or deleting one is a manager's call.
async fn tags_are_renamed_and_deleted_by_managers(app: TestApp) {
    let owner = app.register(&email("tag-owner")).await;
    let rep = app.register(&email("tag-rep")).await;
    let rep = app.add_member(&owner, &rep, "sales").await;
    let boss = app.register(&email("tag-boss")).await;
    let boss = app.add_member(&owner, &boss, "manager").await;
    let (status, tag) = call(
        &app,
        &rep,
        Method::POST,
        "/tags",
        Some(json!({"name": "Hot", "color": "#ff0000"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{tag}");
    let path = format!("/tags/{}", tag["id"].as_str().unwrap());
    let res = app
        .api(Method::PATCH, &path, Some(&rep))
        .json(&json!({"name": "Cold"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .api(Method::DELETE, &path, Some(&rep))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let (_, tags) = call(&app, &owner, Method::GET, "/tags", None).await;
    assert_eq!(tags["data"][0]["name"], "Hot", "unchanged: {tags}");

    let (status, renamed) = call(
        &app,
        &boss,
        Method::PATCH,
        &path,
        Some(json!({"name": "Cold"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Cold");
    let (status, _) = call(&app, &boss, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, tags) = call(&app, &owner, Method::GET, "/tags", None).await;
    assert_eq!(tags["data"], json!([]));
}
