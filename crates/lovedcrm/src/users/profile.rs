//! The signed-in user's own profile.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::fields::display_name;
use super::store;
use crate::app::SharedState;
use crate::audit::{self, ClientMeta, SecurityEvent};
use crate::db::{GlobalTx, TxMode};
use crate::error::{DomainError, DomainResult};

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    pub last_organization_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    /// `false` when the server runs with `SAAS_MODE=B2C`: no invites,
    /// members, sharing or further organizations.
    pub teams_enabled: bool,
}

impl Me {
    pub fn new(found: store::User, teams_enabled: bool) -> Self {
        Me {
            id: found.id,
            email: found.email,
            name: found.name,
            email_verified: found.email_verified_at.is_some(),
            last_organization_id: found.last_organization_id,
            created_at: found.created_at,
            version: found.version,
            teams_enabled,
        }
    }
}

/// The profile fields a user may change. The email changes only through a
/// verified flow, so it is not here.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMe {
    pub name: Option<String>,
}

/// The user `user_id` as they see themselves.
pub async fn me(app: &SharedState, user_id: Uuid) -> DomainResult<Me> {
    let found = store::find(app.store.connection(), user_id)
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    Ok(Me::new(found, !app.config.is_b2c()))
}

/// Changes `user_id`'s name if their profile is still at `expected` (any
/// version when `None`).
pub async fn patch_me(
    app: &SharedState,
    user_id: Uuid,
    meta: &ClientMeta,
    expected: Option<i64>,
    body: PatchMe,
) -> DomainResult<Me> {
    let tx = GlobalTx::begin(&app.store, Some(user_id), TxMode::Write).await?;
    let before = store::find(&*tx, user_id)
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    let name = match &body.name {
        Some(n) => display_name("name", n, 200).map_err(|e| DomainError::Validation(vec![e]))?,
        None => before.name.clone(),
    };
    let after = store::rename(&*tx, user_id, &name, expected).await?.ok_or(
        DomainError::PreconditionFailed {
            current_version: before.version,
        },
    )?;
    tx.commit().await?;
    audit::security(
        &app.store,
        meta,
        SecurityEvent {
            action: "profile_updated",
            user_id: Some(user_id),
            email: Some(&after.email),
            target_organization_id: None,
            detail: Some(serde_json::json!({ "before": { "name": before.name }, "after": { "name": after.name } })),
        },
    )
    .await;
    Ok(Me::new(after, !app.config.is_b2c()))
}
