//! Builders for the events of the records this module knows about.

use serde::Serialize;
use uuid::Uuid;

use super::hub::{Event, to_payload};
use crate::db::{self, TenantTx};
use crate::error::DomainError;
use crate::leads::Lead;
use crate::timeline::Communication;

/// An event about `lead`: visible to the members it is assigned to or was
/// created by, and to those it is shared with (the same rule as
/// `GET /leads`). `payload` becomes the event's `data`.
///
/// ```ignore
/// tx.commit().await?;
/// app.realtime.publish(realtime::lead_event("lead.updated", &after.lead, &after));
/// ```
pub fn lead_event(kind: &'static str, lead: &Lead, payload: &impl Serialize) -> Event {
    Event::new(
        lead.organization_id,
        kind,
        crate::leads::ENTITY,
        lead.id,
        to_payload(payload),
    )
    .people([lead.assigned_to, lead.created_by])
}

#[derive(db::Row)]
struct People {
    a: Option<Uuid>,
    b: Option<Uuid>,
}

/// An event about communication `c`: visible to `sales` members who see its
/// lead or its contact (owner, assignee, creator, or shared with them).
///
/// Reads the people of the lead and contact, so call it inside the
/// transaction, before `commit`, and publish the event after:
///
/// ```ignore
/// let event = realtime::communication_event(&tx, "communication.created", &c, &c).await?;
/// tx.commit().await?;
/// app.realtime.publish(event);
/// ```
pub async fn communication_event(
    tx: &TenantTx,
    kind: &str,
    c: &Communication,
    payload: &impl Serialize,
) -> Result<Event, DomainError> {
    let mut event = Event::new(
        c.organization_id,
        kind,
        "communication",
        c.id,
        to_payload(payload),
    )
    .shared_via(crate::leads::ENTITY, c.lead_id)
    .shared_via("contact", c.contact_id);
    let lookups = [
        (
            "SELECT assigned_to AS a, created_by AS b FROM leads WHERE organization_id = $1 AND id = $2",
            c.lead_id,
        ),
        (
            "SELECT owner_id AS a, created_by AS b FROM contacts WHERE organization_id = $1 AND id = $2",
            c.contact_id,
        ),
    ];
    for (sql, id) in lookups {
        let Some(id) = id else { continue };
        let row: Option<People> =
            db::fetch_one(&**tx, sql, vec![tx.org_id().into(), id.into()]).await?;
        if let Some(row) = row {
            event = event.people([row.a, row.b]);
        }
    }
    Ok(event)
}
