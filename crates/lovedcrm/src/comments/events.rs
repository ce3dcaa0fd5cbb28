//! Real-time events of comments: built inside the transaction, published
//! after the commit.

use uuid::Uuid;

use super::model::{Comment, ENTITY};
use crate::app::SharedState;
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
    let mut event = Event::new(
        comment.organization_id,
        "comment.created",
        ENTITY,
        comment.id,
        to_payload(comment),
    )
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

/// Publishes events once the transaction that produced them committed.
pub fn publish(app: &SharedState, events: Vec<Event>) {
    for event in events {
        app.realtime.publish(event);
    }
}
