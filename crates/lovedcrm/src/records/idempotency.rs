//! `Idempotency-Key` on creates: the same key from the same user within 24 h
//! answers with the first response instead of creating twice.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use sea_orm::{ConnectionTrait, DbBackend};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::{self, Row, TenantTx};
use crate::error::DomainError;

const HEADER: &str = "idempotency-key";
const RETENTION_HOURS: i64 = 24;

/// The HTTP answer replaying a stored one.
fn replayed(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(
        "idempotent-replayed",
        axum::http::HeaderValue::from_static("true"),
    );
    response
}

/// The key of a create request, with a fingerprint of what it asked for.
pub struct Idempotency {
    key: Option<String>,
    fingerprint: String,
    user_id: Uuid,
}

/// Where an earlier answer to a key is looked for.
#[derive(Clone, Copy)]
enum Scope {
    /// The transaction's organization (every create inside one).
    Organization,
    /// Every organization the user has keys in.
    User,
}

#[derive(Row)]
struct Stored {
    request_hash: String,
    status_code: i32,
    response_body: String,
}

impl Idempotency {
    /// Reads the header; `request` (the parsed body) identifies what was asked,
    /// so reusing a key for a different request is refused.
    pub fn from_headers(
        headers: &HeaderMap,
        user_id: Uuid,
        request: &impl std::fmt::Debug,
    ) -> Result<Self, DomainError> {
        let key = headers
            .get(HEADER)
            .map(|raw| raw.to_str().unwrap_or("").to_string());
        Self::new(key.as_deref(), user_id, request)
    }

    /// A create's `key` (none: not idempotent) by `user_id`; `request`
    /// identifies what was asked, so reusing a key for a different request
    /// is refused.
    pub fn new(
        key: Option<&str>,
        user_id: Uuid,
        request: &impl std::fmt::Debug,
    ) -> Result<Self, DomainError> {
        let key = match key {
            None => None,
            Some(raw) => {
                let key = raw.trim().to_string();
                if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
                    return Err(DomainError::bad_request(
                        "invalid_idempotency_key",
                        "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    ));
                }
                Some(key)
            }
        };
        // Debug output of the parsed body is deterministic for our request
        // types and ignores formatting differences in the raw JSON.
        let digest = Sha256::digest(format!("{request:?}").as_bytes());
        let fingerprint = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self {
            key,
            fingerprint,
            user_id,
        })
    }

    /// The stored response of an earlier request with this key, if any.
    pub async fn replay(&self, tx: &TenantTx) -> Result<Option<Response>, DomainError> {
        Ok(self
            .find(tx, Scope::Organization)
            .await?
            .map(|(status, body)| replayed(status, body)))
    }

    /// The answer stored for an earlier request with this key, if any.
    pub async fn replayed_value<T: serde::de::DeserializeOwned>(
        &self,
        tx: &TenantTx,
    ) -> Result<Option<T>, DomainError> {
        match self.find(tx, Scope::Organization).await? {
            Some((_, body)) => Ok(Some(
                serde_json::from_value(body).map_err(DomainError::internal)?,
            )),
            None => Ok(None),
        }
    }

    /// For a create that makes a new organization (`POST /organizations`,
    /// with `tx` scoped to the new one): the stored response of an earlier
    /// request with this key by the same user, in any organization.
    ///
    /// Requests with the same key wait for each other here until commit, so
    /// only the first creates (SQLite serializes writers already; PostgreSQL
    /// takes a transaction-scoped advisory lock on the user and key).
    pub async fn replay_any_organization(
        &self,
        tx: &TenantTx,
    ) -> Result<Option<Response>, DomainError> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        if tx.get_database_backend() == DbBackend::Postgres {
            db::exec(
                &**tx,
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                vec![format!("idempotency:{}:{key}", self.user_id).into()],
            )
            .await?;
        }
        Ok(self
            .find(tx, Scope::User)
            .await?
            .map(|(status, body)| replayed(status, body)))
    }

    async fn find(
        &self,
        tx: &TenantTx,
        scope: Scope,
    ) -> Result<Option<(StatusCode, serde_json::Value)>, DomainError> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        let since = db::now() - Duration::hours(RETENTION_HOURS);
        let stored: Option<Stored> = match scope {
            Scope::Organization => {
                db::fetch_one(
                    &**tx,
                    "SELECT request_hash, status_code, response_body FROM idempotency_keys \
                     WHERE organization_id = $1 AND user_id = $2 AND idempotency_key = $3 \
                     AND created_at > $4",
                    vec![
                        tx.org_id().into(),
                        self.user_id.into(),
                        key.clone().into(),
                        since.into(),
                    ],
                )
                .await?
            }
            Scope::User => {
                db::fetch_one(
                    &**tx,
                    "SELECT request_hash, status_code, response_body FROM idempotency_keys \
                     WHERE user_id = $1 AND idempotency_key = $2 AND created_at > $3 \
                     ORDER BY created_at DESC LIMIT 1 /* all organizations */",
                    vec![self.user_id.into(), key.clone().into(), since.into()],
                )
                .await?
            }
        };
        let Some(stored) = stored else {
            return Ok(None);
        };
        if stored.request_hash != self.fingerprint {
            return Err(DomainError::Conflict {
                code: "idempotency_key_reused",
                detail: "this Idempotency-Key was already used for a different request".into(),
            });
        }
        let status = StatusCode::from_u16(stored.status_code as u16).unwrap_or(StatusCode::OK);
        let body: serde_json::Value =
            serde_json::from_str(&stored.response_body).map_err(DomainError::internal)?;
        Ok(Some((status, body)))
    }

    /// Stores the response in the same transaction as the create it answers.
    pub async fn remember(
        &self,
        tx: &TenantTx,
        status: StatusCode,
        body: &impl Serialize,
    ) -> Result<(), DomainError> {
        let Some(key) = &self.key else {
            return Ok(());
        };
        // An expired entry with the same key gives way to the new one.
        db::exec(
            &**tx,
            "DELETE FROM idempotency_keys WHERE organization_id = $1 AND user_id = $2 \
             AND idempotency_key = $3",
            vec![tx.org_id().into(), self.user_id.into(), key.clone().into()],
        )
        .await?;
        let body = serde_json::to_string(body).map_err(DomainError::internal)?;
        let inserted = db::exec(
            &**tx,
            "INSERT INTO idempotency_keys (organization_id, id, user_id, idempotency_key, \
             request_hash, status_code, response_body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                tx.org_id().into(),
                Uuid::now_v7().into(),
                self.user_id.into(),
                key.clone().into(),
                self.fingerprint.clone().into(),
                i32::from(status.as_u16()).into(),
                body.into(),
                db::now().into(),
            ],
        )
        .await;
        match inserted {
            // A concurrent request with the same key won the race: this one
            // rolls back and the client's retry gets the stored answer.
            Err(e) if db::is_unique_violation(&e) => Err(DomainError::Conflict {
                code: "idempotency_key_in_use",
                detail: "a request with this Idempotency-Key is in progress; retry".into(),
            }),
            other => other.map(|_| ()).map_err(DomainError::from),
        }
    }
}
