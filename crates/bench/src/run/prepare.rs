//! Before the load: log the seeded accounts in, check the server sees the
//! seeded data as expected, and write the files the Lua scripts read.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::manifest::Manifest;

/// A logged-in account acting in one organization.
pub struct Session {
    pub org: Uuid,
    pub token: String,
    refresh: String,
}

pub struct Prep {
    client: reqwest::Client,
    base: String,
    pub manifest: Manifest,
    pub data: PathBuf,
    pub big: Session,
    small: Vec<Session>,
    deep: String,
}

/// The filtered, sorted list the deep-page scenario pages through.
pub const DEEP_LIST: &str = "/api/v1/contacts?source=referral&sort=name&limit=50";

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl Prep {
    pub async fn new(
        client: reqwest::Client,
        base: String,
        manifest: Manifest,
        data: PathBuf,
    ) -> Result<Prep> {
        std::fs::create_dir_all(&data)?;
        let big = login(
            &client,
            &base,
            &manifest.big.email,
            &manifest.password,
            manifest.big.org,
        )
        .await?;
        let mut small = Vec::new();
        for s in &manifest.small {
            small.push(login(&client, &base, &s.email, &manifest.password, s.org).await?);
        }
        Ok(Prep {
            client,
            base,
            manifest,
            data,
            big,
            small,
            deep: String::new(),
        })
    }

    /// New access tokens for everyone (refresh tokens rotate), so none
    /// expires during a scenario; then the files that carry them.
    pub async fn refresh(&mut self) -> Result<()> {
        let (client, base) = (&self.client, &self.base);
        for s in std::iter::once(&mut self.big).chain(self.small.iter_mut()) {
            let v = post(
                client,
                base,
                "/auth/refresh",
                json!({"refresh_token": s.refresh}),
            )
            .await?;
            s.token = text(&v, "access_token")?;
            s.refresh = text(&v, "refresh_token")?;
        }
        self.write_files()
    }

    /// GET as the big organization's owner.
    pub async fn get(&self, path: &str) -> Result<Value> {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.big.token)
            .header("x-org-id", self.big.org.to_string())
            .send()
            .await?;
        let status = r.status();
        let body = r.text().await?;
        ensure!(status.is_success(), "GET {path} answered {status}: {body}");
        Ok(serde_json::from_str(&body)?)
    }

    /// The seeded data as the API shows it: counts, search hits, the board,
    /// the long timeline. A seeder that wrote something the server does not
    /// read like API-made data fails here.
    pub async fn check(&self) -> Result<()> {
        let shape = &self.manifest.shape;
        let big = &self.manifest.big;
        let total = self.get("/api/v1/contacts?limit=1&count=true").await?["total"]
            .as_u64()
            .unwrap_or(0);
        ensure!(
            total >= shape.contacts as u64,
            "{total} contacts, expected {}",
            shape.contacts
        );
        for term in big.search_terms.iter().take(8) {
            let hits = self
                .get(&format!("/api/v1/contacts?q={}", encode(term)))
                .await?;
            ensure!(
                hits["data"].as_array().is_some_and(|d| !d.is_empty()),
                "searching contacts for {term:?} finds nothing"
            );
            let all = self
                .get(&format!("/api/v1/search?q={}", encode(term)))
                .await?;
            ensure!(
                all["contacts"].as_array().is_some_and(|d| !d.is_empty()),
                "/search for {term:?} finds no contact"
            );
        }
        let board = self
            .get(&format!("/api/v1/pipelines/{}/board", big.board_pipeline))
            .await?;
        let open: i64 = board["columns"]
            .as_array()
            .context("board without columns")?
            .iter()
            .filter(|c| c["stage"]["kind"] == "open")
            .map(|c| c["count"].as_i64().unwrap_or(0))
            .sum();
        ensure!(
            open >= shape.board_open as i64,
            "the board has {open} open leads, expected {}",
            shape.board_open
        );
        let timeline = self
            .get(&format!("/api/v1/leads/{}/timeline", big.hot_lead))
            .await?;
        ensure!(
            timeline["data"].as_array().is_some_and(|d| d.len() == 50)
                && timeline["has_more"] == true,
            "the hot lead's timeline is not full: {timeline}"
        );
        Ok(())
    }

    /// Walks `pages` pages of [`DEEP_LIST`]; the next page's path is the
    /// deep-page scenario's request.
    pub async fn walk_deep(&mut self, pages: usize) -> Result<()> {
        let mut path = DEEP_LIST.to_string();
        for _ in 0..pages {
            let page = self.get(&path).await?;
            let Some(cursor) = page["next_cursor"].as_str() else {
                bail!("{DEEP_LIST} ends before {pages} pages");
            };
            path = format!("{DEEP_LIST}&cursor={}", encode(cursor));
        }
        self.deep = path;
        Ok(())
    }

    fn write(&self, name: &str, lines: impl IntoIterator<Item = String>) -> Result<()> {
        let mut text = String::new();
        for l in lines {
            let _ = writeln!(text, "{l}");
        }
        std::fs::write(self.data.join(name), text).with_context(|| format!("writing {name}"))
    }

    fn write_files(&self) -> Result<()> {
        let m = &self.manifest;
        let ids = |v: &[Uuid]| v.iter().map(Uuid::to_string).collect::<Vec<_>>();
        self.write("contacts.txt", ids(&m.big.contacts))?;
        self.write("leads.txt", ids(&m.big.board_leads))?;
        self.write("stages.txt", ids(&m.big.open_stages))?;
        self.write("search.txt", m.big.search_terms.iter().map(|t| encode(t)))?;
        let mixed = self.small.iter().zip(&m.small).map(|(s, o)| {
            format!(
                "{} {} {} {} {} {}",
                s.token,
                o.org,
                o.pipeline,
                ids(&o.open_stages).join(","),
                ids(&o.contacts).join(","),
                ids(&o.leads).join(",")
            )
        });
        self.write("mixed.txt", mixed)
    }

    /// The contacts the next update run changes (all at version 1).
    pub fn write_update_pool(&self, pool: usize) -> Result<()> {
        let pools = &self.manifest.big.update_pools;
        let ids = pools
            .get(pool)
            .with_context(|| format!("the manifest has {} update pools", pools.len()))?;
        self.write("update.txt", ids.iter().map(Uuid::to_string))
    }

    /// The environment the Lua scripts read.
    pub fn env(&self) -> Vec<(String, String)> {
        let m = &self.manifest.big;
        [
            ("BENCH_DATA", self.data.display().to_string()),
            ("BENCH_TOKEN", self.big.token.clone()),
            ("BENCH_ORG", self.big.org.to_string()),
            ("BENCH_PIPELINE", m.board_pipeline.to_string()),
            ("BENCH_LEAD", m.hot_lead.to_string()),
            ("BENCH_DEEP", self.deep.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

fn text(v: &Value, key: &str) -> Result<String> {
    Ok(v[key]
        .as_str()
        .with_context(|| format!("no {key} in {v}"))?
        .to_string())
}

async fn post(client: &reqwest::Client, base: &str, path: &str, body: Value) -> Result<Value> {
    let r = client
        .post(format!("{base}/api/v1{path}"))
        .json(&body)
        .send()
        .await?;
    let status = r.status();
    let body = r.text().await?;
    ensure!(status.is_success(), "POST {path} answered {status}: {body}");
    Ok(serde_json::from_str(&body)?)
}

async fn login(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
    org: Uuid,
) -> Result<Session> {
    let v = post(
        client,
        base,
        "/auth/login",
        json!({"email": email, "password": password}),
    )
    .await?;
    Ok(Session {
        org,
        token: text(&v, "access_token")?,
        refresh: text(&v, "refresh_token")?,
    })
}
