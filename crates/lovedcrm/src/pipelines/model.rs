use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Row;
use crate::email::Locale;

/// What reaching a stage means for a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// Work in progress.
    Open,
    /// Closing: the move must say whether the lead was won or lost.
    Closed,
    Won,
    Lost,
}

impl StageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Closed => "closed",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> StageKind {
        match s {
            "closed" => StageKind::Closed,
            "won" => StageKind::Won,
            "lost" => StageKind::Lost,
            _ => StageKind::Open,
        }
    }
}

#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct Stage {
    pub id: Uuid,
    pub pipeline_id: Uuid,
    pub name: String,
    /// `#rrggbb`
    pub color: String,
    /// 0 to 100: the default win probability of leads in this stage.
    pub probability: i32,
    /// `open`, `closed` (asks won or lost), `won` or `lost`.
    pub kind: String,
    pub position: i32,
    pub version: i64,
}

impl Stage {
    pub fn kind(&self) -> StageKind {
        StageKind::parse(&self.kind)
    }
}

#[derive(Debug, Clone, Row, Serialize, Deserialize, ToSchema)]
pub struct PipelineRow {
    pub id: Uuid,
    pub name: String,
    pub position: i32,
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A pipeline with its stages in order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Pipeline {
    #[serde(flatten)]
    pub pipeline: PipelineRow,
    pub stages: Vec<Stage>,
}

/// The stages a new organization (or a pipeline created without stages) gets,
/// named in English; `default_names` gives them in the user's language.
pub const DEFAULT_STAGES: [(&str, &str, i32, StageKind); 5] = [
    ("Lead", "#94a3b8", 10, StageKind::Open),
    ("Contact", "#60a5fa", 25, StageKind::Open),
    ("Proposal", "#a78bfa", 50, StageKind::Open),
    ("Negotiation", "#f59e0b", 75, StageKind::Open),
    ("Closed", "#10b981", 100, StageKind::Closed),
];

/// The first pipeline's name and its stages' names (in `DEFAULT_STAGES`
/// order) in the language the organization was created in: they are data
/// the team edits, so they are written once, in the team's language.
pub fn default_names(locale: Locale) -> (&'static str, [&'static str; 5]) {
    match locale {
        Locale::En => (
            "Sales pipeline",
            ["Lead", "Contact", "Proposal", "Negotiation", "Closed"],
        ),
        Locale::PtBr => (
            "Funil de vendas",
            ["Lead", "Contato", "Proposta", "Negociação", "Fechado"],
        ),
        Locale::Es => (
            "Embudo de ventas",
            ["Lead", "Contacto", "Propuesta", "Negociación", "Cerrado"],
        ),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    pub name: Option<String>,
    pub color: Option<String>,
    pub probability: Option<i32>,
    pub kind: Option<StageKind>,
    /// 0-based index among the pipeline's stages (default: last).
    pub position: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePipeline {
    pub name: String,
    /// Defaults to Lead, Contact, Proposal, Negotiation, Closed.
    pub stages: Option<Vec<StageInput>>,
    #[serde(default)]
    pub is_default: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchPipeline {
    pub name: Option<String>,
    /// Only `true` is meaningful: make this the default pipeline.
    pub is_default: Option<bool>,
    pub position: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageOrder {
    /// Every stage id of the pipeline, in the new order.
    pub stage_ids: Vec<Uuid>,
}
