//! The binary as an operator runs it, on both databases: an upgrade from the
//! previous release's schema (and `serve` refusing to start on it when told
//! not to migrate), the configuration file against the environment, the
//! `worker` command draining on SIGTERM, and logs free of secrets and of
//! what people wrote.

use std::process::Command;
use std::time::Duration;

use lovedcrm_migration::{Migrator, MigratorTrait};
use nix::sys::signal::Signal;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{PASSWORD, TOKEN_KEY};
use crate::process::{Process, command};

const ENCRYPTION_KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/// Runs `test` on a new empty SQLite file and on a new empty PostgreSQL
/// database (none of this binary's migrations applied).
macro_rules! on_both_empty {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = crate::helpers::new_database(crate::helpers::Backend::Sqlite).await.unwrap();
                super::$name(db).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(db) = crate::helpers::new_database(crate::helpers::Backend::Postgres).await {
                    super::$name(db).await;
                }
            }
        }
    )*};
}

on_both_empty!(
    an_existing_database_is_upgraded_and_serve_refuses_it_before,
    the_commands_work_on_this_database,
    the_worker_command_works_the_queue_and_drains_on_sigterm,
);

/// `lovedcrm <args>` against `db` (its application URL; migrations through
/// the owner's URL, as in production on PostgreSQL).
fn lovedcrm(db: &crate::helpers::NewDatabase, dir: &std::path::Path) -> Command {
    let mut cmd = command(dir);
    cmd.env("DATABASE_URL", &db.app_url)
        .env("LOVEDCRM_MIGRATION_DATABASE_URL", &db.admin_url)
        .env("LOVEDCRM_DATA_DIR", dir)
        .env("LOVEDCRM_TOKEN_KEY", TOKEN_KEY)
        .env("LOVEDCRM_ENCRYPTION_KEY", ENCRYPTION_KEY);
    cmd
}

async fn exec(db: &DatabaseConnection, sql: &str, values: Vec<sea_orm::Value>) {
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        values,
    ))
    .await
    .unwrap();
}

async fn an_existing_database_is_upgraded_and_serve_refuses_it_before(
    db: crate::helpers::NewDatabase,
) {
    // The previous release's schema, with an account in it.
    let owner = Database::connect(&db.admin_url).await.unwrap();
    let all = Migrator::migrations().len() as u32;
    Migrator::up(&owner, Some(all - 1)).await.unwrap();
    let latest = Migrator::migrations().last().unwrap().name().to_string();
    let (user, org) = (Uuid::now_v7(), Uuid::now_v7());
    let now = chrono::Utc::now();
    let hash = lovedcrm::auth::password::hash(PASSWORD.into())
        .await
        .unwrap();
    exec(
        &owner,
        "INSERT INTO users (id, email, name, password_hash, email_verified_at, is_active, created_at, updated_at, version) \
         VALUES ($1, 'old@example.com', 'Old Timer', $2, $3, TRUE, $3, $3, 1)",
        vec![user.into(), hash.into(), now.into()],
    )
    .await;
    exec(
        &owner,
        "INSERT INTO organizations (id, name, created_by, created_at, updated_at, version) \
         VALUES ($1, 'Established Agency', $2, $3, $3, 1)",
        vec![org.into(), user.into(), now.into()],
    )
    .await;
    exec(
        &owner,
        "INSERT INTO memberships (organization_id, id, user_id, role, created_at, updated_at, version) \
         VALUES ($1, $2, $3, 'owner', $4, $4, 1)",
        vec![org.into(), Uuid::now_v7().into(), user.into(), now.into()],
    )
    .await;
    owner.close().await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    // Told not to migrate, `serve` refuses the old schema, names what is
    // missing, and never listens.
    let mut refused = Process::spawn({
        let mut cmd = lovedcrm(&db, dir.path());
        cmd.arg("serve").env("LOVEDCRM_MIGRATE_ON_START", "false");
        cmd
    });
    let status = refused.wait(Duration::from_secs(30)).await;
    assert!(!status.success(), "serve started on an outdated schema");
    assert!(!refused.listened(), "serve listened on an outdated schema");
    let said = refused.stderr();
    assert!(
        said.contains("schema is behind") && said.contains(&latest),
        "{said}"
    );

    // `migrate` brings it up to date, keeping what was there.
    let out = lovedcrm(&db, dir.path()).arg("migrate").output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains(&format!("latest {latest}")), "{said}");
    let mut server = Process::serve({
        let mut cmd = lovedcrm(&db, dir.path());
        cmd.arg("serve").env("LOVEDCRM_MIGRATE_ON_START", "false");
        cmd
    })
    .await;
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{}/api/v1/auth/login", server.base()))
        .json(&json!({"email": "old@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        login["organization"]["name"], "Established Agency",
        "{login}"
    );
    // The new migration's feature works on the upgraded database.
    let ticket = client
        .post(format!("{}/api/v1/ws/ticket", server.base()))
        .bearer_auth(login["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(ticket.status(), reqwest::StatusCode::CREATED);
    let health: Value = client
        .get(format!("{}/health/detailed", server.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["migrations"]["version"], latest.as_str(), "{health}");
    assert!(server.signal(Signal::SIGTERM).await.success());
}

async fn the_commands_work_on_this_database(db: crate::helpers::NewDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = lovedcrm(&db, dir.path())
            .args(args)
            .env("LOVEDCRM_ADMIN_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "lovedcrm {args:?}: {said}");
        said
    };
    assert!(run(&["migrate"]).contains("up to date"));
    run(&[
        "create-admin",
        "--email",
        "Admin@Example.com",
        "--name",
        "Ada Admin",
        "--organization",
        "Admin Co",
    ]);
    assert!(run(&["seed", "--demo"]).contains("demo@lovedcrm.local"));
    assert!(run(&["seed", "--demo", "--if-empty"]).contains("not seeded"));
    // The demo's invitations and the admin's nothing: the outbox is readable.
    run(&["outbox", "--limit", "5"]);
    assert!(run(&["openapi"]).contains("\"openapi\""));

    let mut server = Process::serve({
        let mut cmd = lovedcrm(&db, dir.path());
        cmd.arg("serve");
        cmd
    })
    .await;
    let client = reqwest::Client::new();
    for (email, password, organization) in [
        ("admin@example.com", PASSWORD, "Admin Co"),
        (
            "demo@lovedcrm.local",
            "lovedcrm-demo",
            "Loved Agency (demo)",
        ),
    ] {
        let login: Value = client
            .post(format!("{}/api/v1/auth/login", server.base()))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(login["organization"]["name"], organization, "{login}");
    }
    assert!(server.signal(Signal::SIGTERM).await.success());
}

async fn the_worker_command_works_the_queue_and_drains_on_sigterm(db: crate::helpers::NewDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let out = lovedcrm(&db, dir.path()).arg("migrate").output().unwrap();
    assert!(out.status.success());
    // A web node without workers queues the mail of a registration…
    let mut web = Process::serve({
        let mut cmd = lovedcrm(&db, dir.path());
        cmd.arg("serve").env("LOVEDCRM_WORKERS", "0");
        cmd
    })
    .await;
    let client = reqwest::Client::new();
    for n in 0..3 {
        let res = client
            .post(format!("{}/api/v1/auth/register", web.base()))
            .json(&json!({"email": format!("queued-{n}@example.com"), "password": PASSWORD, "name": "Q"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), reqwest::StatusCode::CREATED);
    }
    let outbox = || {
        let out = lovedcrm(&db, dir.path())
            .args(["outbox", "--limit", "50"])
            .env("LOVEDCRM_LOG", "error")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).matches("To:").count()
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(outbox(), 0, "nothing sends without a worker");

    // …and `lovedcrm worker`, with no HTTP at all, sends it.
    let mut worker = Process::spawn({
        let mut cmd = lovedcrm(&db, dir.path());
        cmd.arg("worker").env("LOVEDCRM_JOB_POLL_MS", "50");
        cmd
    });
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while outbox() < 3 {
        worker.assert_alive();
        assert!(
            tokio::time::Instant::now() < deadline,
            "the worker sent nothing"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!worker.listened(), "the worker does not serve HTTP");
    let status = worker.signal(Signal::SIGTERM).await;
    assert!(status.success(), "SIGTERM drains and exits 0: {status:?}");
    assert!(web.signal(Signal::SIGTERM).await.success());
}

/// The configuration file gives what the environment does not; the
/// environment wins where both speak; `--config` and `LOVEDCRM_CONFIG` both
/// name the file.
#[tokio::test]
async fn the_configuration_file_yields_to_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lovedcrm.toml");
    std::fs::write(
        &file,
        "json_body_limit_bytes = 2000\n\
         cors_origins = \"https://app.example.com\"\n\
         saas_mode = \"B2C\"\n",
    )
    .unwrap();
    let client = reqwest::Client::new();
    for by_flag in [true, false] {
        let mut cmd = command(dir.path());
        if by_flag {
            cmd.args(["--config", file.to_str().unwrap(), "serve"]);
        } else {
            cmd.arg("serve").env("LOVEDCRM_CONFIG", &file);
        }
        // The environment overrides one of the file's three settings.
        cmd.env("SAAS_MODE", "B2B");
        let mut server = Process::serve(cmd).await;
        let base = server.base();
        // From the file: a 3,000-byte body is over its 2,000-byte limit…
        let big = json!({"email": "x@example.com", "password": "p", "name": "n".repeat(3000)});
        let res = client
            .post(format!("{base}/api/v1/auth/register"))
            .json(&big)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
        // …and its CORS origin is allowed, another is not.
        for (origin, allowed) in [
            ("https://app.example.com", true),
            ("https://evil.example.com", false),
        ] {
            let res = client
                .request(reqwest::Method::OPTIONS, format!("{base}/api/v1/contacts"))
                .header("origin", origin)
                .header("access-control-request-method", "GET")
                .send()
                .await
                .unwrap();
            assert_eq!(
                res.headers().get("access-control-allow-origin").is_some(),
                allowed,
                "{origin}"
            );
        }
        // From the environment, over the file's B2C: teams are on.
        let res = client
            .post(format!("{base}/api/v1/auth/register"))
            .json(&json!({"email": format!("cfg-{by_flag}@example.com"), "password": PASSWORD, "name": "C"}))
            .send()
            .await
            .unwrap();
        let token = res.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_string();
        let me: Value = client
            .get(format!("{base}/api/v1/users/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["teams_enabled"], true, "{me}");
        assert!(server.signal(Signal::SIGTERM).await.success());
    }
}

/// Passwords, tokens, keys and what people write never reach the logs,
/// even at debug level.
#[tokio::test]
async fn logs_hold_no_secrets_and_no_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(dir.path());
    cmd.arg("serve").env("LOVEDCRM_LOG", "debug");
    let mut server = Process::serve(cmd).await;
    let base = server.base();
    let client = reqwest::Client::new();
    let password = "Zebra-Password-48151623";
    let tokens: Value = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"email": "logs@example.com", "password": password, "name": "Lou Logs"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let org = tokens["organization"]["id"].as_str().unwrap().to_string();
    let secret_note = "Confidential: the client's budget is 48151623";
    let res = client
        .post(format!("{base}/api/v1/contacts"))
        .bearer_auth(&access)
        .header("x-org-id", &org)
        .json(&json!({"name": "Private Person", "job_position": secret_note}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::CREATED);
    let key: Value = client
        .post(format!("{base}/api/v1/api-keys"))
        .bearer_auth(&access)
        .header("x-org-id", &org)
        .json(&json!({"name": "ci", "scopes": ["*:read"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let api_key = key["key"].as_str().unwrap().to_string();
    let res = client
        .get(format!("{base}/api/v1/contacts"))
        .bearer_auth(&api_key)
        .header("x-org-id", &org)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let res = client
        .post(format!("{base}/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    // A failed login (its attempted password is a secret too).
    let _ = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "logs@example.com", "password": "Wrong-Password-16"}))
        .send()
        .await
        .unwrap();
    assert!(server.signal(Signal::SIGTERM).await.success());
    let logs = format!("{}{}", server.stdout(), server.stderr());
    assert!(logs.contains("request finished"), "debug logs were written");
    for (what, secret) in [
        ("the password", password),
        ("the wrong password", "Wrong-Password-16"),
        ("the access token", access.as_str()),
        ("the refresh token", refresh.as_str()),
        ("the API key", api_key.as_str()),
        ("a contact's text", "48151623"),
    ] {
        assert!(!logs.contains(secret), "{what} is in the logs");
    }
}

/// `serve` and `worker` refuse to run as a PostgreSQL role that row-level
/// security does not bind (here the superuser), and say what to do; the
/// same commands start as the application role.
#[tokio::test]
async fn serve_and_worker_refuse_a_role_above_row_security() {
    let Some(db) = crate::helpers::new_database(crate::helpers::Backend::Postgres).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for name in ["serve", "worker"] {
        let mut cmd = lovedcrm(&db, dir.path());
        cmd.env("DATABASE_URL", &db.admin_url)
            .env("LOVEDCRM_LISTEN", "127.0.0.1:0")
            .arg(name);
        let mut child = cmd
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while child.try_wait().unwrap().is_none() {
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("`{name}` started as a superuser");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let out = child.wait_with_output().unwrap();
        assert!(!out.status.success(), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("BYPASSRLS") && stderr.contains("LOVEDCRM_MIGRATION_DATABASE_URL"),
            "{name}: {stderr}"
        );
    }
}
