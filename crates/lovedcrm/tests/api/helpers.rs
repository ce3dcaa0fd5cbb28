//! `TestApp`: the real application on port 0 over a fresh database.

use std::sync::atomic::{AtomicU32, Ordering};

use lovedcrm::Application;
use lovedcrm::config::Config;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sea_orm::sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use serde_json::{Value, json};
use uuid::Uuid;

pub const TOKEN_KEY: &str = "test-token-key-that-is-long-enough-0123456789";
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    /// The URL the app uses (on PostgreSQL: the non-owner application role).
    pub database_url: String,
    /// On PostgreSQL, a superuser URL to the same database.
    pub admin_database_url: Option<String>,
    /// The running application's state (its database, configuration, mailer).
    pub state: lovedcrm::app::SharedState,
    _dir: tempfile::TempDir,
}

/// A signed-in user and the organization they act in.
#[derive(Debug, Clone)]
pub struct Session {
    pub access: String,
    pub refresh: String,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub email: String,
}

/// Runs a test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await;
                super::$name(app).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(app) = $crate::helpers::TestApp::spawn_postgres(|_| {}).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// A new database with nothing in it, for tests that run the binary's own
/// migrations: its owner's URL (migrations) and the application's.
pub struct NewDatabase {
    pub admin_url: String,
    pub app_url: String,
    _dir: tempfile::TempDir,
}

/// An empty SQLite file, or an empty PostgreSQL database whose future tables
/// the application role (which owns nothing) may use; `None` only when
/// PostgreSQL was explicitly skipped for a local run.
pub async fn new_database(backend: Backend) -> Option<NewDatabase> {
    let dir = tempfile::tempdir().unwrap();
    if backend == Backend::Sqlite {
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("new.db").display());
        note_run("ran sqlite");
        return Some(NewDatabase {
            admin_url: url.clone(),
            app_url: url,
            _dir: dir,
        });
    }
    if postgres_skipped() {
        return None;
    }
    note_run("ran postgres");
    let admin = std::env::var("LOVEDCRM_TEST_PG_ADMIN_URL")
        .expect("LOVEDCRM_TEST_PG_ADMIN_URL is not set: run the tests with `make test`");
    let user = std::env::var("LOVEDCRM_TEST_PG_APP_USER").unwrap();
    let password = std::env::var("LOVEDCRM_TEST_PG_APP_PASSWORD").unwrap();
    let name = format!(
        "e_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let mut conn = PgConnection::connect(&admin).await.unwrap();
    conn.execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap();
    conn.close().await.unwrap();
    let (scheme_host, _) = admin.rsplit_once('/').unwrap();
    let admin_url = format!("{scheme_host}/{name}");
    let mut conn = PgConnection::connect(&admin_url).await.unwrap();
    conn.execute(AssertSqlSafe(format!(
        "GRANT USAGE ON SCHEMA public TO {user}; \
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {user}; \
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {user}"
    )))
    .await
    .unwrap();
    conn.close().await.unwrap();
    let host = scheme_host.rsplit_once('@').unwrap().1;
    Some(NewDatabase {
        app_url: format!("postgres://{user}:{password}@{host}/{name}"),
        admin_url,
        _dir: dir,
    })
}

pub fn test_config() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        token_key: Some(TOKEN_KEY.into()),
        encryption_key: Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into()),
        auth_rate_per_ip_per_minute: 10_000,
        login_rate_per_account_per_minute: 10_000,
        // The sweeps send thousands of requests as one member; the limits
        // have tests of their own (rate_limits.rs) with tight values.
        api_rate_per_user_per_minute: 1_000_000,
        api_rate_per_org_per_minute: 1_000_000,
        feedback_per_member_per_hour: 1_000_000,
        db_max_connections: 8,
        ..Config::default()
    }
}

/// The `lovedcrm` binary under test: `LOVEDCRM_TEST_BIN` when set (a private
/// copy, for worktrees sharing one target dir), else cargo's.
pub fn lovedcrm_bin() -> String {
    std::env::var("LOVEDCRM_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_lovedcrm").into())
}

/// True when PostgreSQL tests were explicitly disabled for a local run; the
/// skip is written down for the run's summary. Under CI no skip is allowed.
fn postgres_skipped() -> bool {
    if !std::env::var("LOVEDCRM_TEST_SKIP_PG").is_ok_and(|v| v == "1") {
        return false;
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v.is_empty()),
        "LOVEDCRM_TEST_SKIP_PG=1 under CI: every PostgreSQL half must run"
    );
    note_run("skipped postgres");
    true
}

/// Appends `what` and the running test's name to the file named by
/// `LOVEDCRM_TEST_RUN_LOG` (the test command counts them for its summary).
fn note_run(what: &str) {
    use std::io::Write;
    let Ok(path) = std::env::var("LOVEDCRM_TEST_RUN_LOG") else {
        return;
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_string();
    // One write per line on a file opened for appending: lines from
    // concurrent tests do not interleave.
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = file.write_all(format!("{what} {test}\n").as_bytes());
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        match backend {
            Backend::Sqlite => Self::spawn_sqlite(|_| {}).await,
            Backend::Postgres => Self::spawn_postgres(|_| {})
                .await
                .expect("PostgreSQL tests are disabled"),
        }
    }

    pub async fn spawn_sqlite(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config();
        config.data_dir = dir.path().to_path_buf();
        config.database_url = Some(format!("sqlite://{}", dir.path().join("test.db").display()));
        tweak(&mut config);
        let url = config.effective_database_url();
        Self::start(config, Backend::Sqlite, url, None, dir).await
    }

    /// A fresh database cloned from the migrated template, used through the
    /// application role that owns nothing (so row-level security applies).
    /// `None` only when PostgreSQL was explicitly skipped for a local run.
    pub async fn spawn_postgres(tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
        if postgres_skipped() {
            return None;
        }
        let admin = std::env::var("LOVEDCRM_TEST_PG_ADMIN_URL")
            .expect("LOVEDCRM_TEST_PG_ADMIN_URL is not set: run the tests with `make test`");
        let template = std::env::var("LOVEDCRM_TEST_PG_TEMPLATE").unwrap();
        let user = std::env::var("LOVEDCRM_TEST_PG_APP_USER").unwrap();
        let password = std::env::var("LOVEDCRM_TEST_PG_APP_PASSWORD").unwrap();
        let name = format!(
            "t_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        let mut conn = PgConnection::connect(&admin).await.unwrap();
        conn.execute(AssertSqlSafe(format!(
            "CREATE DATABASE {name} TEMPLATE {template}"
        )))
        .await
        .unwrap();
        conn.close().await.unwrap();
        let (scheme_host, _) = admin.rsplit_once('/').unwrap();
        let host = scheme_host.rsplit_once('@').unwrap().1;
        let app_url = format!("postgres://{user}:{password}@{host}/{name}");
        let admin_url = format!("{scheme_host}/{name}");

        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config();
        config.data_dir = dir.path().to_path_buf();
        config.database_url = Some(app_url.clone());
        config.migrate_on_start = false;
        tweak(&mut config);
        Some(Self::start(config, Backend::Postgres, app_url, Some(admin_url), dir).await)
    }

    /// A second server on this one's database (another node of a
    /// deployment): same configuration, its own process state.
    pub async fn another_node(&self) -> TestApp {
        let mut config = self.state.config.clone();
        config.listen = "127.0.0.1:0".parse().unwrap();
        config.migrate_on_start = false;
        Self::start(
            config,
            self.backend,
            self.database_url.clone(),
            self.admin_database_url.clone(),
            tempfile::tempdir().unwrap(),
        )
        .await
    }

    async fn start(
        config: Config,
        backend: Backend,
        database_url: String,
        admin_database_url: Option<String>,
        dir: tempfile::TempDir,
    ) -> TestApp {
        note_run(match backend {
            Backend::Sqlite => "ran sqlite",
            Backend::Postgres => "ran postgres",
        });
        let app = Application::build(config)
            .await
            .expect("application starts");
        let base = format!("http://{}", app.local_addr());
        let state = app.state();
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        TestApp {
            base,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            backend,
            database_url,
            admin_database_url,
            state,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A request to `/api/v1{path}`, signed in as `session` in its organization.
    pub fn api(&self, method: Method, path: &str, session: Option<&Session>) -> RequestBuilder {
        let mut req = self
            .client
            .request(method, self.url(&format!("/api/v1{path}")));
        if let Some(s) = session {
            req = req
                .bearer_auth(&s.access)
                .header("x-org-id", s.org_id.to_string());
        }
        req
    }

    /// Runs `sql` straight on the database (as a superuser on PostgreSQL):
    /// for moving timestamps that the API never lets a client set.
    pub async fn exec_sql(&self, sql: &str, values: Vec<sea_orm::Value>) -> u64 {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let url = self
            .admin_database_url
            .clone()
            .unwrap_or_else(|| self.database_url.clone());
        let db = Database::connect(&url).await.unwrap();
        let n = db
            .execute_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                sql,
                values,
            ))
            .await
            .unwrap()
            .rows_affected();
        db.close().await.unwrap();
        n
    }

    /// Waits until every job of `kind` has finished (done or dead), for
    /// effects the API leaves to the job queue.
    pub async fn settle_jobs(&self, kind: &str) {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let url = self
            .admin_database_url
            .clone()
            .unwrap_or_else(|| self.database_url.clone());
        let db = Database::connect(&url).await.unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let row = db
                .query_one_raw(Statement::from_sql_and_values(
                    db.get_database_backend(),
                    "SELECT COUNT(*) AS n FROM jobs WHERE kind = $1 AND status NOT IN ('done', 'dead')",
                    vec![kind.into()],
                ))
                .await
                .unwrap()
                .unwrap();
            if row.try_get::<i64>("", "n").unwrap() == 0 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{kind} jobs still pending"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        db.close().await.unwrap();
    }

    pub async fn register(&self, email: &str) -> Session {
        let res = self
            .api(Method::POST, "/auth/register", None)
            .json(&json!({"email": email, "password": PASSWORD, "name": "Test User"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "register {email}");
        session_from(&res.json::<Value>().await.unwrap())
    }

    pub async fn login(&self, email: &str) -> Session {
        let res = self
            .api(Method::POST, "/auth/login", None)
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "login {email}");
        session_from(&res.json::<Value>().await.unwrap())
    }

    /// A single-use ticket that opens one WebSocket as `s` (`POST /ws/ticket`).
    pub async fn ws_ticket(&self, s: &Session) -> String {
        let res = self
            .api(Method::POST, "/ws/ticket", Some(s))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "ws ticket");
        res.json::<Value>().await.unwrap()["ticket"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// `ws://…/api/v1/ws?ticket=…&org_id=…` for `s` in its organization.
    pub async fn ws_url_for(&self, s: &Session) -> String {
        format!(
            "{}/api/v1/ws?ticket={}&org_id={}",
            self.base.replacen("http://", "ws://", 1),
            self.ws_ticket(s).await,
            s.org_id
        )
    }

    /// Makes `member` (an existing account) a member of `owner`'s
    /// organization with `role`, and returns `member` acting in it.
    ///
    /// Arrangement, not the thing under test: people join by accepting an
    /// emailed invitation (invites.rs drives that through HTTP and mail);
    /// the hundreds of tests that need a teammate start from the membership.
    pub async fn add_member(&self, owner: &Session, member: &Session, role: &str) -> Session {
        let role = lovedcrm::organizations::Role::parse(role).expect("a role");
        let tx = lovedcrm::actor::Actor::system(owner.org_id, "tests")
            .begin(&self.state, lovedcrm::db::TxMode::Write)
            .await
            .unwrap();
        lovedcrm::organizations::store::add_member(&tx, member.user_id, role)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        Session {
            org_id: owner.org_id,
            ..member.clone()
        }
    }
}

pub fn session_from(body: &Value) -> Session {
    Session {
        access: body["access_token"].as_str().unwrap().into(),
        refresh: body["refresh_token"].as_str().unwrap().into(),
        user_id: body["user"]["id"].as_str().unwrap().parse().unwrap(),
        org_id: body["organization"]["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
        email: body["user"]["email"].as_str().unwrap().into(),
    }
}

/// Asserts a problem+json answer with `status` and `code`; returns the body.
pub async fn assert_problem(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "unexpected status");
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], code, "problem body: {body}");
    assert_eq!(body["status"], status.as_u16());
    assert!(body["type"].as_str().unwrap().ends_with(code));
    body
}

/// A unique email for this test run.
pub fn email(prefix: &str) -> String {
    format!("{prefix}-{}@example.com", Uuid::now_v7().simple())
}
