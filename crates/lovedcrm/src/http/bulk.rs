//! The HTTP form of bulk edits: the request every record type's `/bulk`
//! takes and the per-record answer.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::error::Problem;
use crate::records::bulk::{BulkItem, RowOutcome};

/// `POST /{records}/bulk`: the same change to many records.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkPatch<P> {
    /// 1 to 500 records, each with the version read (optional).
    pub items: Vec<BulkItem>,
    /// The change, as the record type's PATCH takes it.
    pub patch: P,
}

/// What became of one record.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkRow {
    pub id: Uuid,
    /// 200 when changed; otherwise the status its own PATCH would answer.
    pub status: u16,
    /// The version after the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Why not, as problem+json.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
}

/// The answer to a bulk edit, in the order asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkAnswer {
    /// How many records changed.
    pub updated: usize,
    pub results: Vec<BulkRow>,
}

impl BulkAnswer {
    pub fn from_outcomes(outcomes: Vec<RowOutcome>) -> Self {
        let results: Vec<BulkRow> = outcomes
            .into_iter()
            .map(|(id, done)| match done {
                Ok(version) => BulkRow {
                    id,
                    status: 200,
                    version: Some(version),
                    error: None,
                },
                Err(e) => {
                    if matches!(e, crate::error::DomainError::Internal(_)) {
                        tracing::error!(%id, error = %e, "bulk edit of one record failed");
                    }
                    BulkRow {
                        id,
                        status: e.status().as_u16(),
                        version: None,
                        error: Some(e.to_problem()),
                    }
                }
            })
            .collect();
        Self {
            updated: results.iter().filter(|r| r.status == 200).count(),
            results,
        }
    }
}
