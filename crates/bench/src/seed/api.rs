//! Organizations, members and pipelines are made through the real API,
//! called in-process (the router of `lovedcrm`, as `lovedcrm seed --demo`
//! does), so they are validated, audited and complete exactly as in use.

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;

#[derive(Clone)]
pub struct Api {
    router: Router,
    state: lovedcrm::app::SharedState,
}

/// A registered user acting in the organization they own.
#[derive(Debug, Clone)]
pub struct Account {
    pub email: String,
    pub user: Uuid,
    pub org: Uuid,
    token: String,
}

#[derive(Debug, Clone)]
pub struct StageInfo {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub probability: i32,
}

#[derive(Debug, Clone)]
pub struct PipelineInfo {
    pub id: Uuid,
    pub is_default: bool,
    pub stages: Vec<StageInfo>,
}

impl PipelineInfo {
    pub fn open_stages(&self) -> Vec<&StageInfo> {
        self.stages.iter().filter(|s| s.kind == "open").collect()
    }
}

fn uuid_at(v: &Value, pointer: &str) -> Result<Uuid> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no {pointer} in {v}"))
}

impl Api {
    pub fn new(state: lovedcrm::app::SharedState) -> Api {
        Api {
            router: lovedcrm::http::build_router(state.clone()),
            state,
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        auth: Option<&Account>,
    ) -> Result<Value> {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(format!("/api/v1{path}"))
            .header("content-type", "application/json");
        if let Some(a) = auth {
            request = request
                .header("authorization", format!("Bearer {}", a.token))
                .header("x-org-id", a.org.to_string());
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let response = self.router.clone().oneshot(request.body(body)?).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        if !status.is_success() {
            bail!(
                "{method} {path} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    pub async fn register(
        &self,
        email: &str,
        password: &str,
        name: &str,
        organization: &str,
    ) -> Result<Account> {
        let body = json!({"email": email, "password": password, "name": name,
                          "organization_name": organization});
        let v = self
            .send(Method::POST, "/auth/register", Some(body), None)
            .await?;
        Ok(Account {
            email: email.to_string(),
            user: uuid_at(&v, "/user/id")?,
            org: uuid_at(&v, "/organization/id")?,
            token: v["access_token"]
                .as_str()
                .context("no access_token")?
                .to_string(),
        })
    }

    /// Makes `member` part of `owner`'s organization. People join real
    /// organizations by accepting an emailed invitation; the operator who
    /// seeds a benchmark places its team directly, as `seed --demo` does.
    pub async fn add_member(&self, owner: &Account, member: &Account, role: &str) -> Result<()> {
        let role = lovedcrm::organizations::Role::parse(role).context("unknown role")?;
        let tx = lovedcrm::actor::Actor::system(owner.org, "bench seed")
            .begin(&self.state, lovedcrm::db::TxMode::Write)
            .await?;
        lovedcrm::organizations::store::add_member(&tx, member.user, role).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a pipeline with `stages` as `(name, kind, probability)`.
    pub async fn create_pipeline(
        &self,
        owner: &Account,
        name: &str,
        stages: &[(&str, &str, i32)],
    ) -> Result<()> {
        let stages: Vec<Value> = stages
            .iter()
            .map(|(name, kind, p)| json!({"name": name, "kind": kind, "probability": p}))
            .collect();
        let body = json!({"name": name, "stages": stages});
        self.send(Method::POST, "/pipelines", Some(body), Some(owner))
            .await?;
        Ok(())
    }

    pub async fn pipelines(&self, account: &Account) -> Result<Vec<PipelineInfo>> {
        let v = self
            .send(Method::GET, "/pipelines", None, Some(account))
            .await?;
        let mut out = Vec::new();
        for p in v["data"].as_array().context("no pipelines")? {
            let mut stages = Vec::new();
            for s in p["stages"].as_array().context("no stages")? {
                stages.push(StageInfo {
                    id: uuid_at(s, "/id")?,
                    name: s["name"].as_str().unwrap_or_default().to_string(),
                    kind: s["kind"].as_str().unwrap_or_default().to_string(),
                    probability: s["probability"].as_i64().unwrap_or_default() as i32,
                });
            }
            out.push(PipelineInfo {
                id: uuid_at(p, "/id")?,
                is_default: p["is_default"].as_bool().unwrap_or(false),
                stages,
            });
        }
        Ok(out)
    }
}
