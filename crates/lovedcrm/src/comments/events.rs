//! Domain events of comments, recorded in the transaction of the change.

use uuid::Uuid;

use super::model::{Comment, ENTITY};
use crate::db::{self, Row, TenantTx};
use crate::error::DomainError;
use crate::notes::target::{Kind, Seen, Target};
use crate::notifications::{self, Notification};
use crate::realtime::{Event, to_payload};

#[derive(Row)]
struct Assignee {
    user_id: Uuid,
}

/// `comment.created`, seen by whoever sees the comment's target: its
/// people, the members it is shared with, and the roles that see everything.
pub async fn created(
    tx: &TenantTx,
    comment: &Comment,
    target: Target,
    seen: &Seen,
) -> Result<Event, DomainError> {
    about_target(
        tx,
        "comment.created",
        ENTITY,
        comment.id,
        to_payload(comment),
        target,
        seen,
    )
    .await
}

/// An event about a note or comment (`entity_type` `id`) on `target`,
/// seen by whoever sees the target.
pub async fn about_target(
    tx: &TenantTx,
    kind: &str,
    entity_type: &str,
    id: Uuid,
    payload: serde_json::Value,
    target: Target,
    seen: &Seen,
) -> Result<Event, DomainError> {
    let mut event = Event::new(tx.org_id(), kind, entity_type, id, payload)
        .people([seen.responsible, seen.created_by])
        .shared_via(target.kind.entity(), target.id);
    if target.kind == Kind::Project {
        let assignees: Vec<Assignee> = db::fetch_all(
            &**tx,
            "SELECT user_id FROM project_assignees WHERE organization_id = $1 AND project_id = $2",
            vec![tx.org_id().into(), target.id.into()],
        )
        .await?;
        event = event.people(assignees.into_iter().map(|a| a.user_id));
    }
    Ok(event)
}

/// `notification.created` for each notification, to its recipient only.
pub fn notified(sent: &[Notification]) -> Vec<Event> {
    sent.iter().map(notifications::event).collect()
}

/// Records `events` in `tx`, by `actor`.
pub async fn record(
    tx: &TenantTx,
    actor: Option<Uuid>,
    events: Vec<Event>,
) -> Result<(), DomainError> {
    for event in events {
        crate::events::record(tx, actor, &event).await?;
    }
    Ok(())
}
