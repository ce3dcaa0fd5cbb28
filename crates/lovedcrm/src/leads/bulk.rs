//! Bulk edit of leads: fields, owner and tags as for every record, and a
//! move to another stage (with the outcome a closing stage needs), the move
//! first, then the change against the version the move left.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::{MoveLead, PatchLead};
use super::{Leads, moves};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::error::{DomainError, DomainResult};
use crate::organizations::permissions::Permission;
use crate::records::bulk::{BulkItem, RowOutcome, check_items, check_visible, settle};
use crate::records::kernel;

/// `POST /leads/bulk`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkLeads {
    /// 1 to 500 leads, each with the version read (optional).
    pub items: Vec<BulkItem>,
    /// The change, as `PATCH /leads/{id}` takes it.
    #[serde(default)]
    pub patch: Option<PatchLead>,
    /// Move each lead to this stage (the end of its column).
    #[serde(default)]
    pub stage_id: Option<Uuid>,
    /// `won` or `lost` when `stage_id` is a closing stage.
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub lost_reason: Option<String>,
}

pub async fn apply(
    app: &SharedState,
    actor: &Actor,
    body: BulkLeads,
) -> DomainResult<Vec<RowOutcome>> {
    check_items(&body.items)?;
    if body.patch.is_none() && body.stage_id.is_none() {
        return Err(DomainError::field(
            "patch",
            "give a patch, a stage_id or both",
        ));
    }
    actor.require_on(Permission::Update, "leads")?;
    check_visible::<Leads>(app, actor, &body.items).await?;
    let mut outcomes = Vec::with_capacity(body.items.len());
    for item in &body.items {
        let done = one(app, actor, item, &body).await;
        outcomes.push((item.id, done));
    }
    settle(outcomes)
}

async fn one(
    app: &SharedState,
    actor: &Actor,
    item: &BulkItem,
    body: &BulkLeads,
) -> DomainResult<i64> {
    let mut expected = item.version;
    let mut version = None;
    if let Some(stage_id) = body.stage_id {
        let to = MoveLead {
            stage_id,
            position: None,
            outcome: body.outcome.clone(),
            lost_reason: body.lost_reason.clone(),
        };
        let moved = moves::move_stage(app, actor, item.id, expected, to).await?;
        expected = Some(moved.lead.version);
        version = Some(moved.lead.version);
    }
    if let Some(patch) = &body.patch {
        let after = kernel::patch::<Leads>(app, actor, item.id, expected, patch.clone()).await?;
        version = Some(after.lead.version);
    }
    version.ok_or_else(|| DomainError::internal("a bulk lead edit with nothing to do"))
}
