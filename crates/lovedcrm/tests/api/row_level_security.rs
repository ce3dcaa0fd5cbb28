//! PostgreSQL's second line of defense: row-level security on every tenant table.

use reqwest::Method;
use sea_orm::sqlx::{Connection, PgConnection, Row};

use crate::helpers::{TestApp, email};

/// Every table with an `organization_id` column has RLS enabled *and forced*
/// and a policy; a new tenant table without one fails here.
#[tokio::test]
async fn every_tenant_table_has_a_forced_policy() {
    let Some(app) = TestApp::spawn_postgres(|_| {}).await else {
        return;
    };
    let mut conn = PgConnection::connect(app.admin_database_url.as_deref().unwrap())
        .await
        .unwrap();
    let rows = sea_orm::sqlx::query(
        "SELECT c.relname::text AS name, c.relrowsecurity, c.relforcerowsecurity, \
                (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname) AS policies \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND EXISTS ( \
             SELECT 1 FROM information_schema.columns col \
             WHERE col.table_schema = 'public' AND col.table_name = c.relname \
               AND col.column_name = 'organization_id')",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(rows.len() >= 2, "tenant tables found: {}", rows.len());
    for row in rows {
        let name: String = row.get("name");
        assert!(
            row.get::<bool, _>("relrowsecurity"),
            "{name}: RLS not enabled"
        );
        assert!(
            row.get::<bool, _>("relforcerowsecurity"),
            "{name}: RLS not forced"
        );
        assert!(row.get::<i64, _>("policies") > 0, "{name}: no policy");
    }
    // And every tenant table's primary key leads with organization_id.
    let keys = sea_orm::sqlx::query(
        "SELECT tc.table_name::text AS name, kcu.column_name::text AS first_column \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu \
           ON kcu.constraint_name = tc.constraint_name AND kcu.ordinal_position = 1 \
         WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY' \
           AND EXISTS (SELECT 1 FROM information_schema.columns col \
               WHERE col.table_name = tc.table_name AND col.column_name = 'organization_id')",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for row in keys {
        let name: String = row.get("name");
        assert_eq!(
            row.get::<String, _>("first_column"),
            "organization_id",
            "{name}"
        );
    }
}

/// The application's role owns nothing: a query that forgets its tenant
/// filter sees no rows rather than every organization's.
#[tokio::test]
async fn a_query_without_the_tenant_setting_sees_nothing() {
    let Some(app) = TestApp::spawn_postgres(|_| {}).await else {
        return;
    };
    let a = app.register(&email("rls-a")).await;
    let b = app.register(&email("rls-b")).await;
    app.api(Method::PATCH, "/organizations/current", Some(&a))
        .json(&serde_json::json!({"name": "A renamed"}))
        .send()
        .await
        .unwrap();

    let mut conn = PgConnection::connect(&app.database_url).await.unwrap();
    let count = |sql: &'static str| sea_orm::sqlx::query_scalar::<_, i64>(sql);
    assert_eq!(
        count("SELECT count(*) FROM audit_log")
            .fetch_one(&mut conn)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        count("SELECT count(*) FROM memberships")
            .fetch_one(&mut conn)
            .await
            .unwrap(),
        0
    );
    // The organizations themselves too: a forgotten filter lists none of them.
    assert_eq!(
        count("SELECT count(*) FROM organizations")
            .fetch_one(&mut conn)
            .await
            .unwrap(),
        0
    );

    // Scoped to A, only A's rows are there.
    let mut tx = conn.begin().await.unwrap();
    sea_orm::sqlx::query("SELECT set_config('lovedcrm.org_id', $1, true)")
        .bind(a.org_id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let orgs: Vec<uuid::Uuid> =
        sea_orm::sqlx::query_scalar("SELECT DISTINCT organization_id FROM audit_log")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
    assert_eq!(orgs, vec![a.org_id]);
    let names: Vec<String> = sea_orm::sqlx::query_scalar("SELECT name FROM organizations")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(names, ["A renamed"]);
    // Writing a row for B while scoped to A is refused by the policy.
    let err = sea_orm::sqlx::query(
        "INSERT INTO audit_log (organization_id, id, action, entity_type, created_at) \
         VALUES ($1, gen_random_uuid(), 'x', 'y', now())",
    )
    .bind(b.org_id)
    .execute(&mut *tx)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    tx.rollback().await.unwrap();

    // The superuser sees both organizations' rows: the data is there.
    let mut admin = PgConnection::connect(app.admin_database_url.as_deref().unwrap())
        .await
        .unwrap();
    let all: i64 =
        sea_orm::sqlx::query_scalar("SELECT count(DISTINCT organization_id) FROM audit_log")
            .fetch_one(&mut admin)
            .await
            .unwrap();
    assert_eq!(all, 2);
}

/// The database itself refuses a row that points into another organization.
#[tokio::test]
async fn memberships_must_point_at_an_existing_organization() {
    let Some(app) = TestApp::spawn_postgres(|_| {}).await else {
        return;
    };
    let a = app.register(&email("fk-a")).await;
    let mut admin = PgConnection::connect(app.admin_database_url.as_deref().unwrap())
        .await
        .unwrap();
    // Membership of an organization that does not exist.
    let err = sea_orm::sqlx::query(
        "INSERT INTO memberships (organization_id, id, user_id, role, created_at, updated_at, version) \
         VALUES (gen_random_uuid(), gen_random_uuid(), $1, 'owner', now(), now(), 1)",
    )
    .bind(a.user_id)
    .execute(&mut admin)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("foreign key"), "{err}");
}
