//! What the seeder hands to the load runner: accounts to log in with and
//! the ids the scenarios use.

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::seed::shape::{Scale, Shape};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub scale: Scale,
    pub database: String,
    pub seed: u64,
    /// Every seeded account's password.
    pub password: String,
    pub shape: Shape,
    pub stats: SeedStats,
    pub big: BigOrg,
    /// The small organizations the mixed workload acts in.
    pub small: Vec<SmallOrg>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedStats {
    /// Accounts registered through the API (argon2 hashing dominates).
    pub accounts: usize,
    pub accounts_seconds: f64,
    /// Rows written by the bulk phase (table rows; FTS entries not counted).
    pub rows: u64,
    pub bulk_seconds: f64,
    pub rows_per_second: f64,
    pub phases: Vec<Phase>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Phase {
    pub name: String,
    pub rows: u64,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BigOrg {
    pub org: Uuid,
    pub email: String,
    pub board_pipeline: Uuid,
    pub open_stages: Vec<Uuid>,
    /// The lead holding `hot_communications`.
    pub hot_lead: Uuid,
    /// Open leads of the board pipeline (not the hot lead), for stage moves.
    pub board_leads: Vec<Uuid>,
    /// Random contacts for `GET /contacts/{id}`.
    pub contacts: Vec<Uuid>,
    /// Disjoint sets of untouched contacts (version 1) for `If-Match` updates.
    pub update_pools: Vec<Vec<Uuid>>,
    /// What people type in the search box, from seeded names.
    pub search_terms: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SmallOrg {
    pub org: Uuid,
    pub email: String,
    pub pipeline: Uuid,
    pub open_stages: Vec<Uuid>,
    pub contacts: Vec<Uuid>,
    pub leads: Vec<Uuid>,
}

impl Manifest {
    pub fn load(path: &Path) -> Result<Manifest> {
        let raw =
            std::fs::read(path).with_context(|| format!("reading manifest {}", path.display()))?;
        Ok(serde_json::from_slice(&raw)?)
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        std::fs::write(path, serde_json::to_vec(self)?)
            .with_context(|| format!("writing manifest {}", path.display()))
    }
}
