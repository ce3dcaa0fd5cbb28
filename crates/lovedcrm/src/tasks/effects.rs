//! What a task change does beyond its own row: completion time, the
//! timeline entry of a completed task, and its project's "last updated".

use uuid::Uuid;

use super::model::{Task, TaskStatus};
use super::store;
use crate::actor::Actor;
use crate::db::{self, TenantTx};
use crate::error::DomainError;

/// Keeps `completed_at` in step with the status; true when the task has
/// just become done.
pub fn settle_completion(t: &mut Task, was_done: bool) -> bool {
    if t.status != TaskStatus::Done.as_str() {
        t.completed_at = None;
        false
    } else if was_done {
        false
    } else {
        t.completed_at = Some(db::now());
        true
    }
}

/// Puts a task that just became done on its lead's and contact's timeline.
pub async fn announce_completion(tx: &TenantTx, ctx: &Actor, t: &Task) -> Result<(), DomainError> {
    if t.lead_id.is_some() || t.contact_id.is_some() {
        store::record_completion(tx, ctx.user_id(), t).await?;
    }
    Ok(())
}

/// Moves the "last updated" time of the projects a task change touched.
pub async fn touch_projects(tx: &TenantTx, ids: [Option<Uuid>; 2]) -> Result<(), DomainError> {
    let [first, second] = ids;
    if let Some(id) = first {
        crate::projects::touch(tx, id).await?;
    }
    if let Some(id) = second.filter(|id| Some(*id) != first) {
        crate::projects::touch(tx, id).await?;
    }
    Ok(())
}
