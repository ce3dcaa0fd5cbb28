//! How much data a scale seeds: the big organization's tables and the many
//! small organizations. `smoke` keeps the shapes at about 1/100.

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    Full,
    Smoke,
}

/// Row counts of one seeded data set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Shape {
    /// People besides the owner in the big organization.
    pub team: usize,
    pub companies: usize,
    pub contacts: usize,
    pub leads: usize,
    /// Open leads on the board pipeline (the default one).
    pub board_open: usize,
    /// Won or lost leads in the board pipeline's closing stage.
    pub board_closed: usize,
    pub communications: usize,
    /// Communications on the one "hot" lead (part of `communications`).
    pub hot_communications: usize,
    /// Stage changes on the hot lead's timeline.
    pub hot_activities: usize,
    pub projects: usize,
    pub tasks: usize,
    pub small_orgs: usize,
    pub small_companies: usize,
    pub small_contacts: usize,
    pub small_leads: usize,
    pub small_communications: usize,
}

impl Shape {
    pub fn of(scale: Scale) -> Shape {
        let full = Shape {
            team: 4,
            companies: 100_000,
            contacts: 1_000_000,
            leads: 200_000,
            board_open: 10_000,
            board_closed: 2_000,
            communications: 1_000_000,
            hot_communications: 100_000,
            hot_activities: 1_000,
            projects: 5_000,
            tasks: 50_000,
            small_orgs: 1_000,
            small_companies: 5,
            small_contacts: 100,
            small_leads: 10,
            small_communications: 20,
        };
        match scale {
            Scale::Full => full,
            Scale::Smoke => Shape {
                companies: full.companies / 100,
                contacts: full.contacts / 100,
                leads: full.leads / 100,
                board_open: full.board_open / 100,
                board_closed: full.board_closed / 100,
                communications: full.communications / 100,
                hot_communications: full.hot_communications / 100,
                hot_activities: full.hot_activities / 100,
                projects: full.projects / 100,
                tasks: full.tasks / 100,
                small_orgs: full.small_orgs / 100,
                ..full
            },
        }
    }

    /// Contacts the runner may fetch (`GET /contacts/{id}`).
    pub fn sample(&self) -> usize {
        (self.contacts / 100).clamp(100, 10_000)
    }

    /// Contacts per update pool; each measured update run gets a fresh pool
    /// so `If-Match` versions are known (every seeded row is at version 1).
    pub fn update_pool(&self) -> usize {
        (self.contacts / 50).clamp(200, 20_000)
    }
}

/// How many update pools the manifest offers (warm-up plus runs).
pub const UPDATE_POOLS: usize = 4;
/// How many small organizations the mixed workload acts in.
pub const MIXED_ORGS: usize = 50;
