//! Who each timeline entry is from: an inbound message is the contact's
//! (or the lead's), whoever logged it; everything else is the member's who
//! sent, logged or did it. Names are read for a page at a time.

use std::collections::{BTreeSet, HashMap};

use uuid::Uuid;

use super::model::{Author, TimelineItem};
use crate::db::{self, DbErr, Row, TenantTx};

#[derive(Row)]
struct Named {
    id: Uuid,
    name: String,
}

/// `id → name` of the rows of `sql` (`$1` the organization, `{ids}` the list).
async fn names(
    tx: &TenantTx,
    sql: &str,
    ids: BTreeSet<Uuid>,
    org: bool,
) -> Result<HashMap<Uuid, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let first = if org { 2 } else { 1 };
    let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + first)).collect();
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(ids.len() + 1);
    if org {
        values.push(tx.org_id().into());
    }
    values.extend(ids.into_iter().map(Into::into));
    let rows: Vec<Named> =
        db::fetch_all(&**tx, &sql.replace("{ids}", &marks.join(", ")), values).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

fn inbound(item: &TimelineItem) -> bool {
    item.item_type == "communication" && item.direction.as_deref() == Some("inbound")
}

/// Fills in `author` on every item of the page.
pub async fn credit(tx: &TenantTx, items: &mut [TimelineItem]) -> Result<(), DbErr> {
    let mut contacts = BTreeSet::new();
    let mut leads = BTreeSet::new();
    let mut members = BTreeSet::new();
    for item in items.iter() {
        match (inbound(item), item.contact_id, item.lead_id) {
            (true, Some(c), _) => {
                contacts.insert(c);
            }
            (true, None, Some(l)) => {
                leads.insert(l);
            }
            _ => {
                members.extend(item.actor_id);
            }
        }
    }
    let contacts = names(
        tx,
        "SELECT id, name FROM contacts WHERE organization_id = $1 AND id IN ({ids})",
        contacts,
        true,
    )
    .await?;
    let leads = names(
        tx,
        "SELECT id, title AS name FROM leads WHERE organization_id = $1 AND id IN ({ids})",
        leads,
        true,
    )
    .await?;
    // Members' names: users are not a tenant table; only ids already on this
    // organization's records are asked for.
    let members = names(
        tx,
        "SELECT id, name FROM users WHERE id IN ({ids})",
        members,
        false,
    )
    .await?;
    for item in items.iter_mut() {
        let found = |kind: &str, id: Option<Uuid>, from: &HashMap<Uuid, String>| {
            id.and_then(|id| {
                from.get(&id).map(|name| Author {
                    kind: kind.into(),
                    id,
                    name: name.clone(),
                })
            })
        };
        item.author = if inbound(item) {
            found("contact", item.contact_id, &contacts)
                .or_else(|| found("lead", item.lead_id, &leads))
        } else {
            found("member", item.actor_id, &members)
        };
    }
    Ok(())
}
