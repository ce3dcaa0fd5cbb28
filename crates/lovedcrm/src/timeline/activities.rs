//! Activities: what happened to a record besides conversations (stage
//! changes, tasks done, notes, comments). They share the timeline with
//! communications.

use serde_json::Value as Json;
use uuid::Uuid;

use crate::db::{self, DbErr, TenantTx};

/// The records an activity shows up on.
#[derive(Debug, Clone, Copy, Default)]
pub struct On {
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
}

pub async fn record(
    tx: &TenantTx,
    on: On,
    kind: &str,
    actor: Option<Uuid>,
    data: Json,
) -> Result<Uuid, DbErr> {
    let id = Uuid::now_v7();
    db::exec(
        &**tx,
        "INSERT INTO activities (organization_id, id, lead_id, contact_id, company_id, kind, actor_id, \
         data, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            tx.org_id().into(),
            id.into(),
            on.lead_id.into(),
            on.contact_id.into(),
            on.company_id.into(),
            kind.into(),
            actor.into(),
            data.into(),
            db::now().into(),
        ],
    )
    .await?;
    Ok(id)
}
