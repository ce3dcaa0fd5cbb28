//! API keys (SPEC §3): long-lived bearer credentials bound to one
//! organization, acting as the member who created them, limited to scopes.
//!
//! A key is `lcrm_<prefix>_<secret>`; only its SHA-256 is stored (the secret
//! has 256 bits of entropy, so a slow hash adds nothing), the prefix is kept
//! in clear so people can tell their keys apart.

mod routes;

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use routes::router;

use crate::app::SharedState;
use crate::db::{self, GlobalTx, Row, TxMode};
use crate::error::DomainError;

pub const KEY_PREFIX: &str = "lcrm_";

/// The API resources a key can be scoped to (the first path segment after
/// `/api/v1/`). Accounts, members, keys and audit stay with people.
pub const RESOURCES: &[&str] = &[
    "contacts",
    "companies",
    "leads",
    "pipelines",
    "communications",
    "projects",
    "tasks",
    "events",
    "notes",
    "comments",
    "tags",
    "custom-fields",
    "shares",
    "search",
    "dashboard",
    "views",
];

pub fn hash(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new key and its prefix.
pub fn generate() -> (String, String) {
    let mut prefix = [0u8; 4];
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut prefix);
    rand::rng().fill_bytes(&mut secret);
    let prefix = hex(&prefix);
    (format!("{KEY_PREFIX}{prefix}_{}", hex(&secret)), prefix)
}

/// Checks scope strings: `<resource>:read`, `<resource>:write` or `*:read|write`.
pub fn validate_scopes(scopes: &[String]) -> Result<(), String> {
    if scopes.is_empty() {
        return Err("give at least one scope".into());
    }
    for scope in scopes {
        let ok = scope.split_once(':').is_some_and(|(resource, access)| {
            (resource == "*" || RESOURCES.contains(&resource)) && matches!(access, "read" | "write")
        });
        if !ok {
            return Err(format!(
                "`{scope}` is not a scope; use <resource>:read or <resource>:write with a resource among *, {}",
                RESOURCES.join(", ")
            ));
        }
    }
    Ok(())
}

/// Whether `scopes` let a request of `method` reach `resource` (write implies read).
pub fn scopes_allow(scopes: &[String], resource: &str, write: bool) -> bool {
    RESOURCES.contains(&resource)
        && scopes.iter().any(|s| {
            let Some((r, access)) = s.split_once(':') else {
                return false;
            };
            (r == "*" || r == resource) && (access == "write" || !write)
        })
}

/// A live key, as the organization context needs it.
pub struct Grant {
    pub key_id: Uuid,
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub scopes: Vec<String>,
}

#[derive(Row)]
struct KeyRow {
    organization_id: Uuid,
    id: Uuid,
    scopes: Json,
    created_by: Uuid,
    last_used_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

/// Finds the live key `token`: 401 when unknown, revoked or expired.
pub async fn authenticate(state: &SharedState, token: &str) -> Result<Grant, DomainError> {
    let key_hash = hash(token);
    let tx = GlobalTx::begin_credential_lookup(&state.store, &key_hash, TxMode::Read).await?;
    // The key is what says which organization it belongs to.
    let row: Option<KeyRow> = db::fetch_one(
        &*tx,
        "SELECT organization_id, id, scopes, created_by, last_used_at, expires_at, revoked_at \
         FROM api_keys WHERE key_hash = $1 /* all organizations */",
        vec![key_hash.into()],
    )
    .await?;
    tx.commit().await?;
    let now = Utc::now();
    let row = row
        .filter(|r| r.revoked_at.is_none() && r.expires_at.is_none_or(|e| e > now))
        .ok_or_else(|| DomainError::Unauthorized("invalid, revoked or expired API key".into()))?;
    // Last use is shown to people, not billed: minute precision spares a
    // write on every request.
    if row
        .last_used_at
        .is_none_or(|t| now - t > Duration::minutes(1))
    {
        let tx = crate::db::TenantTx::begin(
            &state.store,
            row.organization_id,
            Some(row.created_by),
            TxMode::Write,
        )
        .await?;
        db::exec(
            &*tx,
            "UPDATE api_keys SET last_used_at = $3 WHERE organization_id = $1 AND id = $2",
            vec![row.organization_id.into(), row.id.into(), db::now().into()],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(Grant {
        key_id: row.id,
        organization_id: row.organization_id,
        user_id: row.created_by,
        scopes: serde_json::from_value(row.scopes).unwrap_or_default(),
    })
}

/// Revokes every live key `user_id` created, in each organization they
/// belong to: a key acts as its creator, so when the creator's password is
/// changed or reset (perhaps because it leaked) their keys end with their
/// sessions. Returns how many were revoked.
pub async fn revoke_all_of(
    state: &SharedState,
    user_id: Uuid,
    meta: &crate::audit::ClientMeta,
    reason: &str,
) -> Result<u64, DomainError> {
    let tx = GlobalTx::begin(&state.store, Some(user_id), TxMode::Read).await?;
    let orgs = crate::organizations::store::list_mine(&tx, user_id).await?;
    tx.commit().await?;
    let mut revoked = 0;
    for org in orgs {
        let tx =
            crate::db::TenantTx::begin(&state.store, org.id, Some(user_id), TxMode::Write).await?;
        let n = db::exec(
            &*tx,
            "UPDATE api_keys SET revoked_at = $3 \
             WHERE organization_id = $1 AND created_by = $2 AND revoked_at IS NULL",
            vec![org.id.into(), user_id.into(), db::now().into()],
        )
        .await?;
        if n > 0 {
            crate::audit::record(
                &tx,
                meta,
                crate::audit::Change {
                    actor: Some(user_id),
                    action: "api_key.revoked",
                    entity_type: "api_key",
                    entity_id: None,
                    before: None,
                    after: Some(serde_json::json!({ "keys": n, "reason": reason })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        revoked += n;
    }
    Ok(revoked)
}
