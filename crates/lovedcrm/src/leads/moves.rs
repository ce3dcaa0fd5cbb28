//! Moving a lead between and within stages.

use uuid::Uuid;

use super::Leads;
use super::model::{LeadOut, MoveLead};
use super::resource::load;
use super::{ENTITY, store};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::organizations::permissions::Permission;
use crate::pipelines::store as pipelines;
use crate::pipelines::{Stage, StageKind};
use crate::realtime;
use crate::records::audit_change;
use crate::records::fields::Problems;
use crate::records::kernel::{Change, check_version, commit, may_change};

/// The stage a new lead starts in: the given one, or the first stage of the
/// given (or default) pipeline.
pub async fn initial_stage(
    tx: &TenantTx,
    pipeline_id: Option<Uuid>,
    stage_id: Option<Uuid>,
) -> Result<Stage, DomainError> {
    if let Some(stage_id) = stage_id {
        let stage = pipelines::stage(tx, stage_id)
            .await?
            .ok_or_else(|| DomainError::field("stage_id", "does not exist in this organization"))?;
        if pipeline_id.is_some_and(|p| p != stage.pipeline_id) {
            return Err(DomainError::field(
                "stage_id",
                "belongs to another pipeline",
            ));
        }
        return Ok(stage);
    }
    let pipeline = match pipeline_id {
        Some(id) => pipelines::get(tx, id).await?.ok_or_else(|| {
            DomainError::field("pipeline_id", "does not exist in this organization")
        })?,
        None => pipelines::default_pipeline(tx)
            .await?
            .ok_or_else(|| DomainError::internal("organization without a pipeline"))?,
    };
    pipeline
        .stages
        .into_iter()
        .next()
        .ok_or_else(|| DomainError::field("pipeline_id", "has no stages"))
}

/// The won/lost outcome a move into `stage` needs, checked.
pub fn outcome(
    problems: &mut Problems,
    stage: &Stage,
    given: Option<&str>,
    lost_reason: Option<&str>,
) -> Option<String> {
    let outcome = match stage.kind() {
        StageKind::Closed => match given {
            Some(o @ ("won" | "lost")) => Some(o.to_string()),
            Some(_) => {
                problems.push("outcome", "must be won or lost");
                None
            }
            None => {
                problems.push(
                    "outcome",
                    "this stage closes the lead: say whether it was won or lost",
                );
                None
            }
        },
        StageKind::Lost => Some("lost".into()),
        StageKind::Won => Some("won".into()),
        StageKind::Open => None,
    };
    if outcome.as_deref() == Some("lost") && lost_reason.is_none_or(|r| r.trim().is_empty()) {
        problems.push("lost_reason", "say why the lead was lost");
    }
    outcome
}

/// Moves a lead to a stage (of any pipeline) and a place in its column.
///
/// A closing stage needs `outcome` (`won`/`lost`, with `lost_reason` when
/// lost). Changing stage writes a stage-change activity on the timeline.
/// `expected` is the version the caller read: 412 with the current version
/// when someone else moved or edited it first.
pub async fn move_stage(
    app: &SharedState,
    ctx: &Actor,
    id: Uuid,
    expected: Option<i64>,
    body: MoveLead,
) -> DomainResult<LeadOut> {
    ctx.require_on(Permission::Update, "leads")?;
    let tx = ctx.begin(app, TxMode::Write).await?;
    // The lead first: another organization's lead is a 404 whatever the body says.
    let current = load(&tx, ctx, id).await?;
    may_change::<Leads>(&tx, ctx, &current, Change::Update).await?;
    let target = pipelines::stage(&tx, body.stage_id)
        .await?
        .ok_or_else(|| DomainError::field("stage_id", "does not exist in this organization"))?;
    // Lock, then read again: a move that waited for another one sees its result.
    store::lock_pipelines(&tx, &[current.lead.pipeline_id, target.pipeline_id]).await?;
    let before = load(&tx, ctx, id).await?;
    if before.lead.pipeline_id != current.lead.pipeline_id {
        store::lock_pipelines(&tx, &[before.lead.pipeline_id]).await?;
    }
    check_version(expected, before.lead.version)?;
    let from = pipelines::stage(&tx, before.lead.stage_id)
        .await?
        .ok_or_else(|| DomainError::internal("lead in a missing stage"))?;
    let changes_stage = target.id != from.id;
    let mut problems = Problems::default();
    let outcome = if changes_stage || target.kind() == StageKind::Closed {
        outcome(
            &mut problems,
            &target,
            body.outcome.as_deref(),
            body.lost_reason.as_deref(),
        )
    } else {
        None
    };
    problems.finish()?;
    let mut lead = before.lead.clone();
    if changes_stage || outcome.is_some() {
        store::apply_stage(
            &mut lead,
            &target,
            outcome.as_deref(),
            body.lost_reason.clone(),
        );
        if changes_stage {
            lead.probability = Some(target.probability);
        }
    }
    lead.position = match body.position {
        Some(index) => store::position_at(&tx, target.id, id, index).await?,
        None if changes_stage => store::end_of_column(&tx, target.id).await?,
        None => lead.position,
    };
    if !store::update(&tx, &lead).await? {
        let current = load(&tx, ctx, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: current.lead.version,
        });
    }
    if changes_stage || before.lead.status != lead.status {
        store::record_move(&tx, &lead, &from, &target, ctx.user_id()).await?;
    }
    let after = load(&tx, ctx, id).await?;
    audit_change(
        &tx,
        ctx,
        "lead.moved",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    let moved =
        serde_json::json!({"lead": &after, "from_stage_id": from.id, "to_stage_id": target.id});
    let event = realtime::lead_event("lead.moved", &after.lead, &moved);
    crate::events::record(&tx, ctx.user_id(), &event).await?;
    if changes_stage || before.lead.status != after.lead.status {
        let what = match after.lead.status.as_str() {
            "won" => format!("marked the lead {} won", after.lead.title),
            "lost" => format!("marked the lead {} lost", after.lead.title),
            _ => format!("moved the lead {} to {}", after.lead.title, target.name),
        };
        crate::followers::notify(&tx, ctx, id, &what, &[]).await?;
    }
    commit(app, tx).await?;
    Ok(after)
}
