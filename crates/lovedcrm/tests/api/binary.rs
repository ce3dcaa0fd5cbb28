//! The `lovedcrm` binary itself: help, configuration, migrations, shutdown.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::Duration;

use nix::sys::signal::Signal;

use crate::helpers::PASSWORD;
use crate::process::{Process, command as lovedcrm};

#[test]
fn help_lists_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = lovedcrm(dir.path()).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for command in ["serve", "migrate", "create-admin"] {
        assert!(text.contains(command), "{command} in --help:\n{text}");
    }
}

#[tokio::test]
async fn a_failed_migration_stops_the_boot_loudly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("broken.db");
    // A `users` table that is not ours makes the first migration fail.
    let setup = Command::new("python3")
        .args(["-c", &format!("import sqlite3; c=sqlite3.connect('{}'); c.execute('CREATE TABLE users (x int)'); c.commit()", db.display())])
        .status()
        .unwrap();
    assert!(setup.success());
    let url = format!("sqlite://{}", db.display());
    for command in ["migrate", "serve"] {
        let mut cmd = lovedcrm(dir.path());
        cmd.arg(command).env("DATABASE_URL", &url);
        let mut process = Process::spawn(cmd);
        let status = process.wait(Duration::from_secs(30)).await;
        assert!(!status.success(), "{command} must fail");
        let stderr = process.stderr();
        assert!(stderr.contains("migration failed"), "{command}: {stderr}");
        assert!(!process.listened(), "nothing listens");
    }
}

#[test]
fn postgres_refuses_to_start_without_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = lovedcrm(dir.path())
        .arg("serve")
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("LOVEDCRM_TOKEN_KEY is required"),
        "{stderr}"
    );
    let out = lovedcrm(dir.path())
        .arg("serve")
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .env("LOVEDCRM_TOKEN_KEY", "k".repeat(40))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("LOVEDCRM_ENCRYPTION_KEY is required"),
        "{stderr}"
    );
}

/// The embedded shape: no configuration at all, keys generated with 0600,
/// an admin created from the command line, SIGTERM stops it cleanly.
#[tokio::test]
async fn embedded_shape_runs_with_no_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let out = lovedcrm(dir.path())
        .args([
            "create-admin",
            "--email",
            "Owner@Example.com",
            "--name",
            "Owner",
            "--organization",
            "Acme",
        ])
        .env("LOVEDCRM_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for key in ["token.key", "encryption.key"] {
        let mode = std::fs::metadata(dir.path().join("data").join(key))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{key}");
    }
    assert!(dir.path().join("data/lovedcrm.db").exists());
    // The keys, the database and its journal are this user's alone.
    let mode = |p: &str| {
        std::fs::metadata(dir.path().join(p))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("data"), 0o700);
    for file in [
        "data/lovedcrm.db",
        "data/lovedcrm.db-wal",
        "data/lovedcrm.db-shm",
    ] {
        if dir.path().join(file).exists() {
            assert_eq!(mode(file), 0o600, "{file}");
        }
    }

    let mut cmd = lovedcrm(dir.path());
    cmd.arg("serve");
    let mut server = Process::serve(cmd).await;
    let port = server.port;
    let body = http_get(port, "/health").unwrap();
    assert!(body.ends_with(r#"{"status":"ok"}"#), "{body}");
    let login = http_post(
        port,
        "/api/v1/auth/login",
        &format!(r#"{{"email":"owner@example.com","password":"{PASSWORD}"}}"#),
    );
    assert!(login.starts_with("HTTP/1.1 200"), "{login}");
    assert!(login.contains("\"name\":\"Acme\""), "{login}");
    // While it serves, the write-ahead log exists, with the database's mode.
    assert_eq!(mode("data/lovedcrm.db-wal"), 0o600);

    let status = server.signal(Signal::SIGTERM).await;
    assert!(status.success(), "exit after SIGTERM: {status:?}");
}

fn http_get(port: u16, path: &str) -> Option<String> {
    http(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

fn http_post(port: u16, path: &str, body: &str) -> String {
    http(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .unwrap_or_default()
}

fn http(port: u16, request: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

/// `seed --demo` gives a believable CRM, once; `--if-empty` leaves data alone.
#[tokio::test]
async fn seed_demo_fills_a_living_crm_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = lovedcrm(dir.path())
        .args(["seed", "--demo"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("demo@lovedcrm.local"));
    let again = lovedcrm(dir.path())
        .args(["seed", "--demo", "--if-empty"])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not seeded"));

    let mut cmd = lovedcrm(dir.path());
    cmd.arg("serve");
    let mut server = Process::serve(cmd).await;
    let port = server.port;
    let login = http_post(
        port,
        "/api/v1/auth/login",
        r#"{"email":"demo@lovedcrm.local","password":"lovedcrm-demo"}"#,
    );
    let body: serde_json::Value =
        serde_json::from_str(login.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    let token = body["access_token"].as_str().unwrap();
    let org = body["organization"]["id"].as_str().unwrap();
    // The demo account needs no verification mail, and the agency counts in reais.
    let current = http(
        port,
        &format!(
            "GET /api/v1/organizations/current HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nX-Org-Id: {org}\r\nConnection: close\r\n\r\n"
        ),
    )
    .unwrap();
    assert!(current.contains(r#""default_currency":"BRL""#), "{current}");
    let me = http(
        port,
        &format!(
            "GET /api/v1/users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
        ),
    )
    .unwrap();
    assert!(me.contains(r#""email_verified":true"#), "{me}");
    for (resource, at_least) in [
        ("contacts", 200),
        ("companies", 50),
        ("leads", 120),
        ("projects", 6),
        ("tasks", 30),
        ("communications", 120),
    ] {
        let response = http(
            port,
            &format!(
                "GET /api/v1/{resource}?count=true&limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nX-Org-Id: {org}\r\nConnection: close\r\n\r\n"
            ),
        )
        .unwrap();
        let json: serde_json::Value =
            serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert!(
            json["total"].as_u64().unwrap() >= at_least,
            "{resource}: {json}"
        );
    }
    assert!(server.signal(Signal::SIGTERM).await.success());
}
