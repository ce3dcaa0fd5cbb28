//! What one run measured on one database (the `run` command's output and
//! the `report` command's input).

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::manifest::SeedStats;
use crate::run::pgbench::PgbenchStats;
use crate::run::wrk::WrkStats;
use crate::seed::shape::{Scale, Shape};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Read,
    Write,
    Mixed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub database: String,
    pub scale: Scale,
    /// Cargo profile of the server binary (`release` for real numbers).
    pub profile: String,
    pub connections: Vec<u32>,
    pub duration_s: u64,
    pub warmup_s: u64,
    pub wrk_threads: u32,
    pub accept_encoding: String,
    pub versions: Vec<(String, String)>,
    pub server: ServerStats,
    pub seed: SeedStats,
    pub shape: Shape,
    /// `GET /health` at each concurrency: the HTTP ceiling.
    pub health: Vec<Run>,
    pub scenarios: Vec<ScenarioResult>,
    pub failures: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ServerStats {
    pub start_to_healthy_ms: f64,
    /// Right after the first healthy answer.
    pub rss_start_kb: u64,
    /// Idle after a warm-up of every read scenario.
    pub rss_idle_kb: u64,
    /// Idle again after every scenario.
    pub rss_idle_after_kb: u64,
    pub rss_peak_kb: u64,
    pub cpu_seconds: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub name: String,
    pub title: String,
    pub kind: Kind,
    /// What wrk requested (a path, or a description).
    pub request: String,
    /// The run before the measured ones (its errors count too).
    pub warmup: Option<Run>,
    pub runs: Vec<Run>,
    /// The pgbench script of the database ceiling, if any.
    pub ceiling_sql: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    pub connections: u32,
    pub wrk: WrkStats,
    pub cpu_seconds: f64,
    pub rss_peak_kb: u64,
    pub ceiling: Option<PgbenchStats>,
}

impl Results {
    pub fn load(path: &Path) -> Result<Results> {
        let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_slice(&raw).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        std::fs::write(path, serde_json::to_vec_pretty(self)?)
            .with_context(|| format!("writing {}", path.display()))
    }

    pub fn scenario(&self, name: &str) -> Option<&ScenarioResult> {
        self.scenarios.iter().find(|s| s.name == name)
    }
}

impl ScenarioResult {
    /// The run at the highest concurrency.
    pub fn top(&self) -> Option<&Run> {
        self.runs.iter().max_by_key(|r| r.connections)
    }
}
