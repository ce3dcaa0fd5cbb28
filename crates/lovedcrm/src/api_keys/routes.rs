//! `/api-keys`: create (shown once), list by prefix with last use, revoke.
//! Needs `manage_integrations` (checked by the organization context).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::{self, Row, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::OrgHeader;
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::users::fields::display_name;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list_keys, create_key))
        .routes(routes!(revoke_key))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the key, to tell keys apart (`lcrm_<prefix>_…`).
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub api_key: ApiKey,
    /// The key itself. Shown this once; only its hash is stored.
    pub key: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyList {
    pub data: Vec<ApiKey>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    pub name: String,
    /// E.g. `["contacts:read", "leads:write"]`, or `["*:read"]`.
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Row)]
struct Stored {
    id: Uuid,
    name: String,
    prefix: String,
    scopes: Json,
    created_by: Uuid,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<Stored> for ApiKey {
    fn from(s: Stored) -> Self {
        ApiKey {
            id: s.id,
            name: s.name,
            prefix: s.prefix,
            scopes: serde_json::from_value(s.scopes).unwrap_or_default(),
            created_by: s.created_by,
            created_at: s.created_at,
            last_used_at: s.last_used_at,
            expires_at: s.expires_at,
            revoked_at: s.revoked_at,
        }
    }
}

const COLUMNS: &str = "SELECT id, name, prefix, scopes, created_by, created_at, last_used_at, expires_at, \
     revoked_at FROM api_keys WHERE organization_id = $1";

async fn find(tx: &TenantTx, id: Uuid) -> Result<Option<ApiKey>, DomainError> {
    let row: Option<Stored> = db::fetch_one(
        &**tx,
        &format!("{COLUMNS} AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(row.map(ApiKey::from))
}

/// The organization's API keys, newest first (revoked ones included).
#[utoipa::path(get, path = "/api-keys", tag = "api keys", security(("bearer" = [])),
    params(OrgHeader),
    responses((status = 200, body = ApiKeyList), (status = 403, body = Problem)))]
async fn list_keys(
    State(app): State<SharedState>,
    ctx: OrgContext,
) -> DomainResult<ApiJson<ApiKeyList>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let rows: Vec<Stored> = db::fetch_all(
        &*tx,
        &format!("{COLUMNS} ORDER BY created_at DESC, id DESC"),
        vec![tx.org_id().into()],
    )
    .await?;
    tx.commit().await?;
    Ok(ApiJson(ApiKeyList {
        data: rows.into_iter().map(ApiKey::from).collect(),
    }))
}

/// Create a key. The answer carries the key itself, once.
#[utoipa::path(post, path = "/api-keys", tag = "api keys", security(("bearer" = [])),
    params(OrgHeader), request_body = CreateApiKey,
    responses((status = 201, body = CreatedApiKey), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
async fn create_key(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiJson(body): ApiJson<CreateApiKey>,
) -> DomainResult<(StatusCode, ApiJson<CreatedApiKey>)> {
    let mut errors = Vec::new();
    let name = display_name("name", &body.name, 100).map_err(|e| errors.push(e));
    if let Err(message) = super::validate_scopes(&body.scopes) {
        errors.push(crate::error::FieldError::new("scopes", message));
    }
    if body.expires_at.is_some_and(|e| e <= Utc::now()) {
        errors.push(crate::error::FieldError::new(
            "expires_at",
            "must be in the future",
        ));
    }
    let Ok(name) = name else {
        return Err(DomainError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let (key, prefix) = super::generate();
    let id = Uuid::now_v7();
    let now = db::now();
    let tx = ctx.begin(&app, TxMode::Write).await?;
    db::exec(
        &*tx,
        "INSERT INTO api_keys (organization_id, id, name, prefix, key_hash, scopes, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            tx.org_id().into(),
            id.into(),
            name.clone().into(),
            prefix.into(),
            super::hash(&key).into(),
            serde_json::json!(body.scopes).into(),
            ctx.user_id().into(),
            now.into(),
            body.expires_at.into(),
        ],
    )
    .await?;
    let created = find(&tx, id)
        .await?
        .ok_or_else(|| DomainError::internal("api key vanished"))?;
    audit::record(
        &tx,
        &ctx.meta,
        Change {
            actor: Some(ctx.user_id()),
            action: "api_key.created",
            entity_type: "api_key",
            entity_id: Some(id.to_string()),
            before: None,
            after: serde_json::to_value(&created).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(CreatedApiKey {
            api_key: created,
            key,
        }),
    ))
}

/// Revoke a key: requests with it fail at once.
#[utoipa::path(delete, path = "/api-keys/{id}", tag = "api keys", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn revoke_key(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = find(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("api key"))?;
    if before.revoked_at.is_none() {
        db::exec(
            &*tx,
            "UPDATE api_keys SET revoked_at = $3 WHERE organization_id = $1 AND id = $2",
            vec![tx.org_id().into(), id.into(), db::now().into()],
        )
        .await?;
        audit::record(
            &tx,
            &ctx.meta,
            Change {
                actor: Some(ctx.user_id()),
                action: "api_key.revoked",
                entity_type: "api_key",
                entity_id: Some(id.to_string()),
                before: serde_json::to_value(&before).ok(),
                after: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
