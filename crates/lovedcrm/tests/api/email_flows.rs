//! Email verification and password reset, end to end: HTTP in, a real
//! SMTP conversation out (to `SmtpSink`), the emailed link used back.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, assert_problem, email};
use crate::smtp_sink::SmtpSink;

const WAIT: Duration = Duration::from_secs(20);

/// Runs a test body on SQLite and PostgreSQL with mail going to a sink.
#[macro_export]
macro_rules! with_smtp {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let sink = $crate::smtp_sink::SmtpSink::start().await;
                let app = $crate::helpers::TestApp::spawn_sqlite(|c| $crate::email_flows::smtp(c, &sink)).await;
                super::$name(app, sink).await;
            }
            #[tokio::test]
            async fn postgres() {
                let sink = $crate::smtp_sink::SmtpSink::start().await;
                if let Some(app) = $crate::helpers::TestApp::spawn_postgres(|c| $crate::email_flows::smtp(c, &sink)).await {
                    super::$name(app, sink).await;
                }
            }
        }
    )*};
}

with_smtp!(
    registration_mails_a_working_verification_link,
    password_reset_by_mail_is_single_use_and_ends_sessions,
    reset_links_expire_after_an_hour,
    smtp_refusals_are_retried_when_temporary_and_not_when_permanent,
);
crate::on_both!(without_smtp_mail_goes_to_the_outbox);

pub fn smtp(c: &mut lovedcrm::config::Config, sink: &SmtpSink) {
    c.smtp_host = Some("127.0.0.1".into());
    c.smtp_port = Some(sink.port);
    c.smtp_security = "none".into();
    c.smtp_from = "Loved CRM <crm@example.com>".into();
    c.public_url = "https://crm.example.com/".into();
    c.job_poll_ms = 50;
    // Retries come quickly, so a refused mail's second try is seen.
    c.job_retry_base_ms = 100;
}

async fn me(app: &TestApp, access: &str) -> (StatusCode, Value) {
    let res = app
        .client
        .get(app.url("/api/v1/users/me"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.api(Method::POST, path, None)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn registration_mails_a_working_verification_link(app: TestApp, sink: SmtpSink) {
    let address = email("verify");
    let res = app
        .api(Method::POST, "/auth/register", None)
        .header("accept-language", "es-MX,es;q=0.9")
        .json(&json!({"email": address, "password": PASSWORD, "name": "Ana <b>Bold</b>"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let access = res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(me(&app, &access).await.1["email_verified"], false);

    let mail = sink.wait_for(&address, WAIT).await;
    assert_eq!(mail.from, "crm@example.com");
    assert!(
        mail.header("Subject").unwrap().contains("Confirma"),
        "Spanish subject"
    );
    assert!(mail.header("Message-ID").unwrap().ends_with("@lovedcrm>"));
    // The user's name is text in the HTML part, never markup.
    let html = mail.html();
    assert!(html.contains("Ana &lt;b&gt;Bold&lt;/b&gt;"), "{html}");
    assert!(!html.contains("<b>Bold"));
    assert!(mail.text().contains("Hola, Ana <b>Bold</b>:"));
    assert!(
        mail.text()
            .contains("https://crm.example.com/verify-email?token=lcv_")
    );
    let token = mail.token("/verify-email");

    let bad = post(&app, "/auth/verify-email", json!({"token": "lcv_forged"})).await;
    let problem = assert_problem(bad, StatusCode::BAD_REQUEST, "invalid_token").await;
    assert_eq!(problem["errors"][0]["field"], "token");

    let ok = post(&app, "/auth/verify-email", json!({"token": token})).await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &access).await.1["email_verified"], true);
    let again = post(&app, "/auth/verify-email", json!({"token": token})).await;
    assert_problem(again, StatusCode::BAD_REQUEST, "invalid_token").await;

    // Asking again once verified sends nothing new but still answers 202.
    let res = app
        .client
        .post(app.url("/api/v1/auth/verify-email/request"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);

    // An unverified second user asks for a fresh link and gets one.
    let other = app.register(&email("verify-again")).await;
    sink.wait_for(&other.email, WAIT).await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/verify-email/request"))
        .bearer_auth(&other.access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let mails = sink.wait_for_n(&other.email, 2, WAIT).await;
    // Two live links now; the newer one is used.
    let token = mails[1].token("/verify-email");
    let ok = post(&app, "/auth/verify-email", json!({"token": token})).await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    let res = app
        .client
        .post(app.url("/api/v1/auth/verify-email/request"))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn password_reset_by_mail_is_single_use_and_ends_sessions(app: TestApp, sink: SmtpSink) {
    let first = app.register(&email("reset")).await;
    let second = app.login(&first.email).await;

    // Same answer for an account that exists and one that does not.
    let unknown = post(
        &app,
        "/auth/password/forgot",
        json!({"email": email("nobody")}),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::ACCEPTED);
    let bad = post(
        &app,
        "/auth/password/forgot",
        json!({"email": "not-an-email"}),
    )
    .await;
    let problem = assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "email");
    let res = app
        .api(Method::POST, "/auth/password/forgot", None)
        .header("accept-language", "pt-BR")
        .json(&json!({"email": first.email.to_uppercase()}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);

    let mail = sink
        .wait_for_link(&first.email, "/reset-password", WAIT)
        .await;
    assert!(
        mail.header("Subject").unwrap().contains("Redefina"),
        "Portuguese subject"
    );
    assert!(
        mail.text()
            .contains("https://crm.example.com/reset-password?token=lcp_")
    );
    let token = mail.token("/reset-password");

    let weak = post(
        &app,
        "/auth/password/reset",
        json!({"token": token, "new_password": "short"}),
    )
    .await;
    let problem = assert_problem(weak, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "new_password");

    let new_password = "a brand new passphrase";
    let ok = post(
        &app,
        "/auth/password/reset",
        json!({"token": token, "new_password": new_password}),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);

    // Every session ended: access tokens and refresh tokens alike.
    for session in [&first, &second] {
        assert_eq!(me(&app, &session.access).await.0, StatusCode::UNAUTHORIZED);
        let refresh = post(
            &app,
            "/auth/refresh",
            json!({"refresh_token": session.refresh}),
        )
        .await;
        assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED);
    }
    let old = post(
        &app,
        "/auth/login",
        json!({"email": first.email, "password": PASSWORD}),
    )
    .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = post(
        &app,
        "/auth/login",
        json!({"email": first.email, "password": new_password}),
    )
    .await;
    assert_eq!(new.status(), StatusCode::OK);
    let access = new.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    // The mailbox was proven, so the address is verified too.
    assert_eq!(me(&app, &access).await.1["email_verified"], true);

    let reused = post(
        &app,
        "/auth/password/reset",
        json!({"token": token, "new_password": "yet another passphrase"}),
    )
    .await;
    assert_problem(reused, StatusCode::BAD_REQUEST, "invalid_token").await;

    let events: Vec<String> = lovedcrm::db::fetch_all::<Action, _>(
        app.state.store.connection(),
        "SELECT action FROM security_events WHERE user_id = $1 ORDER BY created_at",
        vec![first.user_id.into()],
    )
    .await
    .unwrap()
    .into_iter()
    .map(|a| a.action)
    .collect();
    assert!(events.contains(&"password_reset".to_string()), "{events:?}");
}

#[derive(sea_orm::FromQueryResult)]
struct Action {
    action: String,
}

async fn reset_links_expire_after_an_hour(app: TestApp, sink: SmtpSink) {
    let user = app.register(&email("expire")).await;
    let res = post(&app, "/auth/password/forgot", json!({"email": user.email})).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let mail = sink
        .wait_for_link(&user.email, "/reset-password", WAIT)
        .await;
    let token = mail.token("/reset-password");
    let (created, expires): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) = {
        #[derive(sea_orm::FromQueryResult)]
        struct Times {
            created_at: chrono::DateTime<chrono::Utc>,
            expires_at: chrono::DateTime<chrono::Utc>,
        }
        let t: Times = lovedcrm::db::fetch_one(
            app.state.store.connection(),
            "SELECT created_at, expires_at FROM user_tokens WHERE user_id = $1 AND purpose = 'password_reset'",
            vec![user.user_id.into()],
        )
        .await
        .unwrap()
        .unwrap();
        (t.created_at, t.expires_at)
    };
    assert_eq!(expires - created, chrono::Duration::hours(1));
    // An hour later (moved back in time rather than waited for).
    lovedcrm::db::exec(
        app.state.store.connection(),
        "UPDATE user_tokens SET expires_at = $2 WHERE user_id = $1",
        vec![
            user.user_id.into(),
            (lovedcrm::db::now() - chrono::Duration::seconds(1)).into(),
        ],
    )
    .await
    .unwrap();
    let res = post(
        &app,
        "/auth/password/reset",
        json!({"token": token, "new_password": "a brand new passphrase"}),
    )
    .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_token").await;
    assert_eq!(
        me(&app, &user.access).await.0,
        StatusCode::OK,
        "nothing changed"
    );
}

async fn without_smtp_mail_goes_to_the_outbox(app: TestApp) {
    let user = app.register(&email("outbox")).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    let message = loop {
        let latest = lovedcrm::email::outbox::latest(&app.state.store, 50)
            .await
            .unwrap();
        if let Some(m) = latest.into_iter().find(|m| m.to_address == user.email) {
            break m;
        }
        assert!(tokio::time::Instant::now() < deadline, "no outbox message");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(message.subject, "Confirm your email address");
    let link = message.links()[0].to_string();
    assert!(link.starts_with("http://127.0.0.1:8080/verify-email?token=lcv_"));

    // `lovedcrm outbox` shows it, link included.
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(crate::helpers::lovedcrm_bin())
        .args(["outbox", "--limit", "50"])
        .current_dir(dir.path())
        .env("DATABASE_URL", &app.database_url)
        .env("LOVEDCRM_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains(&format!("To:      {}", user.email)),
        "{printed}"
    );
    assert!(printed.contains(&format!("Link:    {link}")), "{printed}");

    // The link works.
    let token = link.rsplit_once("token=").unwrap().1;
    let ok = post(&app, "/auth/verify-email", json!({"token": token})).await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
}

#[derive(Debug, lovedcrm::db::Row)]
struct MailJob {
    status: String,
    attempts: i32,
    last_error: Option<String>,
}

/// The `email.send` job of the one mail to `to`.
async fn mail_job(app: &TestApp, to: &str) -> MailJob {
    lovedcrm::db::fetch_one(
        app.state.store.connection(),
        "SELECT status, attempts, last_error FROM jobs \
         WHERE kind = 'email.send' AND CAST(payload AS TEXT) LIKE $1",
        vec![format!("%{to}%").into()],
    )
    .await
    .unwrap()
    .unwrap()
}

async fn smtp_refusals_are_retried_when_temporary_and_not_when_permanent(
    app: TestApp,
    sink: SmtpSink,
) {
    let later = email("greylisted");
    let never = email("no-such-user");
    sink.refuse(
        &later,
        &[
            "451 4.7.1 greylisted, try again later",
            "452 4.2.2 mailbox full",
        ],
    );
    sink.refuse(&never, &["550 5.1.1 no such user"; 5]);
    app.register(&later).await;
    app.register(&never).await;

    // Temporary refusals (4xx) are retried until the mail goes through.
    sink.wait_for(&later, WAIT).await;
    assert_eq!(sink.refused(&later).len(), 2);
    let deadline = tokio::time::Instant::now() + WAIT;
    let job = loop {
        let job = mail_job(&app, &later).await;
        if job.status == "done" {
            break job;
        }
        assert!(tokio::time::Instant::now() < deadline, "{job:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(job.attempts, 3, "two refusals, then delivered: {job:?}");

    // A permanent one (5xx) is not retried: the job is dead at once, with the
    // server's reply as the reason, and nothing is delivered.
    let job = loop {
        let job = mail_job(&app, &never).await;
        if job.status == "dead" {
            break job;
        }
        assert!(tokio::time::Instant::now() < deadline, "{job:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(job.attempts, 1, "{job:?}");
    assert!(
        job.last_error.as_deref().unwrap_or("").contains("550"),
        "{job:?}"
    );
    assert_eq!(sink.refused(&never).len(), 1, "tried once");
    assert!(
        sink.mails().iter().all(|m| !m.to.contains(&never)),
        "nothing delivered"
    );
}
