//! The audit trail: every tenant mutation (inside the transaction that makes
//! it) and every security event.

use serde_json::Value as Json;
use uuid::Uuid;

use crate::db::{self, DbErr, Store, TenantTx, TxMode};

mod routes;
pub use routes::router;

/// Where a request came from, for audit rows and rate limits.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

impl ClientMeta {
    /// The key per-IP limits count under; clients without a known address share one bucket.
    pub fn rate_key(&self) -> &str {
        self.ip.as_deref().unwrap_or("unknown")
    }
}

/// One change to tenant data.
pub struct Change<'a> {
    pub actor: Option<Uuid>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

/// Writes `change` in the same transaction as the mutation it describes.
pub async fn record(tx: &TenantTx, meta: &ClientMeta, change: Change<'_>) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "INSERT INTO audit_log (organization_id, id, actor_user_id, action, entity_type, entity_id, \
         before_data, after_data, ip, user_agent, request_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        vec![
            tx.org_id().into(),
            Uuid::now_v7().into(),
            change.actor.into(),
            change.action.into(),
            change.entity_type.into(),
            change.entity_id.into(),
            change.before.into(),
            change.after.into(),
            meta.ip.clone().into(),
            meta.user_agent.clone().into(),
            meta.request_id.clone().into(),
            db::now().into(),
        ],
    )
    .await?;
    Ok(())
}

/// A security event that belongs to no organization (login, refresh reuse…).
pub struct SecurityEvent<'a> {
    pub action: &'a str,
    pub user_id: Option<Uuid>,
    pub email: Option<&'a str>,
    pub target_organization_id: Option<Uuid>,
    pub detail: Option<Json>,
}

/// Records a security event. Failing to audit must not turn a refused
/// login into a 500, so errors are logged rather than returned.
pub async fn security(store: &Store, meta: &ClientMeta, event: SecurityEvent<'_>) {
    let result = db::exec(
        store.connection(),
        "INSERT INTO security_events (id, user_id, target_organization_id, action, email, ip, \
         user_agent, request_id, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        vec![
            Uuid::now_v7().into(),
            event.user_id.into(),
            event.target_organization_id.into(),
            event.action.into(),
            event.email.map(str::to_string).into(),
            meta.ip.clone().into(),
            meta.user_agent.clone().into(),
            meta.request_id.clone().into(),
            event.detail.into(),
            db::now().into(),
        ],
    )
    .await;
    if let Err(err) = result {
        tracing::error!(error = %err, action = event.action, "could not record security event");
    }
}

/// A user tried to act in an organization they do not belong to: recorded as
/// a security event and, when that organization exists, in its own audit log
/// so its admins see it.
pub async fn cross_organization_attempt(
    store: &Store,
    user_id: Uuid,
    org_id: Uuid,
    meta: &ClientMeta,
) {
    tracing::warn!(%user_id, target_org = %org_id, "cross-organization attempt");
    // Anyone signed in can knock on any organization's door on every
    // request: its audit log hears of one knock per member per window,
    // counted in the database so every node keeps the same count (the
    // operators' security log keeps each).
    let knocked = recently_knocked(store, user_id, org_id)
        .await
        .unwrap_or_else(|err| {
            tracing::error!(error = %err, "could not read recent cross-organization attempts");
            false
        });
    security(
        store,
        meta,
        SecurityEvent {
            action: "cross_organization_attempt",
            user_id: Some(user_id),
            email: None,
            target_organization_id: Some(org_id),
            detail: None,
        },
    )
    .await;
    let result: Result<(), DbErr> = async {
        if knocked {
            return Ok(());
        }
        // Scoped to the organization: row-level security shows its row then.
        let tx = TenantTx::begin(store, org_id, None, TxMode::Write).await?;
        let exists: Option<Exists> = db::fetch_one(
            &*tx,
            "SELECT id FROM organizations WHERE id = $1",
            vec![org_id.into()],
        )
        .await?;
        if exists.is_none() {
            return Ok(());
        }
        record(
            &tx,
            meta,
            Change {
                actor: Some(user_id),
                action: "security.cross_organization_attempt",
                entity_type: "organization",
                entity_id: Some(org_id.to_string()),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await
    }
    .await;
    if let Err(err) = result {
        tracing::error!(error = %err, "could not audit a cross-organization attempt");
    }
}

/// How long one member's tries on one organization count as one.
const KNOCK_WINDOW: chrono::Duration = chrono::Duration::minutes(10);

async fn recently_knocked(store: &Store, user_id: Uuid, org_id: Uuid) -> Result<bool, DbErr> {
    let found: Option<Exists> = db::fetch_one(
        store.connection(),
        "SELECT id FROM security_events WHERE user_id = $1 AND created_at > $2 \
         AND action = 'cross_organization_attempt' AND target_organization_id = $3 LIMIT 1",
        vec![
            user_id.into(),
            (db::now() - KNOCK_WINDOW).into(),
            org_id.into(),
        ],
    )
    .await?;
    Ok(found.is_some())
}

#[derive(db::Row)]
struct Exists {
    #[allow(dead_code)]
    id: Uuid,
}
