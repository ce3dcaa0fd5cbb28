//! Following a lead, callable without HTTP: who may add whom, and telling
//! followers what happened to it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::store;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::leads::{self, Leads};
use crate::notifications::{self, NewNotification, Notification};
use crate::organizations::Role;
use crate::organizations::permissions::Permission;
use crate::records::audit_change;
use crate::records::kernel::{Resource, commit};

/// The notification kind followers get.
pub const KIND: &str = "follow";

/// A member following a record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Follower {
    pub user_id: Uuid,
    pub name: String,
    /// Who made them follow (themselves, or a manager).
    pub added_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// The lead, if `actor` may see it (404 otherwise).
async fn visible_lead(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<leads::LeadOut> {
    Leads::load(tx, actor, id)
        .await?
        .ok_or(DomainError::NotFound(leads::ENTITY))
}

async fn followers(tx: &TenantTx, id: Uuid) -> DomainResult<Vec<Follower>> {
    Ok(store::list(tx, leads::ENTITY, id)
        .await?
        .into_iter()
        .map(|f| Follower {
            user_id: f.user_id,
            name: f.name,
            added_by: f.added_by,
            created_at: f.created_at,
        })
        .collect())
}

/// The followers of a lead the actor sees.
pub async fn list(app: &SharedState, actor: &Actor, lead_id: Uuid) -> DomainResult<Vec<Follower>> {
    actor.require_on(Permission::Read, "leads")?;
    let tx = actor.begin(app, TxMode::Read).await?;
    visible_lead(&tx, actor, lead_id).await?;
    let out = followers(&tx, lead_id).await?;
    tx.commit().await?;
    Ok(out)
}

/// Whether `actor` may change who follows `lead` other than themselves:
/// managers and above, and the member the lead is assigned to.
fn may_manage(actor: &Actor, lead: &leads::LeadOut) -> DomainResult<()> {
    if actor.role().at_least(Role::Manager) || lead.lead.assigned_to.is_some_and(|a| actor.is(a)) {
        return Ok(());
    }
    Err(DomainError::Forbidden(
        "only managers and the lead's assignee add or remove other followers".into(),
    ))
}

/// Makes `user_id` follow the lead; they must be a member who can see it.
/// Answers the followers after, and whether anything changed.
pub async fn follow(
    app: &SharedState,
    actor: &Actor,
    lead_id: Uuid,
    user_id: Uuid,
) -> DomainResult<(Vec<Follower>, bool)> {
    actor.require_on(Permission::Read, "leads")?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let lead = visible_lead(&tx, actor, lead_id).await?;
    if !actor.is(user_id) {
        may_manage(actor, &lead)?;
        let them = Actor::member_in(&tx, user_id)
            .await?
            .ok_or_else(|| DomainError::field("user_id", "is not a member of this organization"))?;
        if Leads::load(&tx, &them, lead_id).await?.is_none() {
            return Err(DomainError::field(
                "user_id",
                "cannot see this lead; share it with them first",
            ));
        }
    }
    let added = store::add(&tx, leads::ENTITY, lead_id, user_id, actor.user_id()).await?;
    if added {
        let change = serde_json::json!({"user_id": user_id});
        audit_change(
            &tx,
            actor,
            "lead.follower_added",
            leads::ENTITY,
            lead_id,
            None,
            Some(&change),
        )
        .await?;
        if !actor.is(user_id) {
            let by = by_name(&tx, actor).await?;
            let title = format!(
                "{by} added you as a follower of the lead {}",
                Leads::label(&lead)
            );
            let sent = send(
                &tx,
                user_id,
                title,
                lead_id,
                serde_json::json!({"added_by": actor.user_id()}),
            )
            .await?;
            crate::events::record(&tx, actor.user_id(), &notifications::event(&sent)).await?;
        }
    }
    let out = followers(&tx, lead_id).await?;
    commit(app, tx).await?;
    Ok((out, added))
}

/// Stops `user_id` following the lead (themselves, or by a manager or the
/// assignee). Answers whether they followed.
pub async fn unfollow(
    app: &SharedState,
    actor: &Actor,
    lead_id: Uuid,
    user_id: Uuid,
) -> DomainResult<bool> {
    actor.require_on(Permission::Read, "leads")?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let lead = visible_lead(&tx, actor, lead_id).await?;
    if !actor.is(user_id) {
        may_manage(actor, &lead)?;
    }
    let gone = store::remove(&tx, leads::ENTITY, lead_id, user_id).await?;
    if gone {
        let change = serde_json::json!({"user_id": user_id});
        audit_change(
            &tx,
            actor,
            "lead.follower_removed",
            leads::ENTITY,
            lead_id,
            Some(&change),
            None,
        )
        .await?;
    }
    commit(app, tx).await?;
    Ok(gone)
}

async fn by_name(tx: &TenantTx, actor: &Actor) -> DomainResult<String> {
    Ok(match actor.user_id() {
        Some(u) => crate::notes::target::user_name(tx, u).await?,
        None => "Loved CRM".into(),
    })
}

async fn send(
    tx: &TenantTx,
    user_id: Uuid,
    title: String,
    lead_id: Uuid,
    data: serde_json::Value,
) -> DomainResult<Notification> {
    Ok(notifications::create(
        tx,
        NewNotification {
            user_id,
            kind: KIND,
            title,
            entity_type: Some(leads::ENTITY),
            entity_id: Some(lead_id),
            data,
        },
    )
    .await?)
}

/// Tells the followers of lead `lead_id` that the actor did `what` (e.g.
/// "moved the lead Acme to Proposal"), except the actor and those in `skip`
/// (already told, e.g. mentioned); records their live events.
pub async fn notify(
    tx: &TenantTx,
    actor: &Actor,
    lead_id: Uuid,
    what: &str,
    skip: &[Uuid],
) -> DomainResult<()> {
    let rows = store::list(tx, leads::ENTITY, lead_id).await?;
    let to: Vec<Uuid> = rows
        .into_iter()
        .map(|f| f.user_id)
        .filter(|u| !actor.is(*u) && !skip.contains(u))
        .collect();
    if to.is_empty() {
        return Ok(());
    }
    let by = by_name(tx, actor).await?;
    for user_id in to {
        let title = format!("{by} {what}");
        let n = send(
            tx,
            user_id,
            title,
            lead_id,
            serde_json::json!({"by": actor.user_id()}),
        )
        .await?;
        crate::events::record(tx, actor.user_id(), &notifications::event(&n)).await?;
    }
    Ok(())
}
