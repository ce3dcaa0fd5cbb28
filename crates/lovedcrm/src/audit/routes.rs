use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::app::SharedState;
use crate::db::{self, Row, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiQuery;
use crate::organizations::Role;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    pub actor: Option<Uuid>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema, Row)]
pub struct AuditEntry {
    pub id: Uuid,
    pub actor_user_id: Option<Uuid>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub before_data: Option<Json>,
    pub after_data: Option<Json>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub data: Vec<AuditEntry>,
    pub next_cursor: Option<Uuid>,
    pub has_more: bool,
}

/// The organization's audit trail, newest first (owner and admin).
#[utoipa::path(get, path = "/audit", tag = "audit", security(("bearer" = [])),
    params(crate::http::OrgHeader, AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> DomainResult<ApiJson<AuditPage>> {
    ctx.require(Role::Admin, "read the audit log")?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(DomainError::BadRequest {
            code: "invalid_query",
            detail: "limit must be between 1 and 200".into(),
            errors: vec![crate::error::FieldError::new(
                "limit",
                "must be between 1 and 200",
            )],
        });
    }
    let tx = ctx.begin(&app, TxMode::Read).await?;
    // Ids are UUID v7, so ordering by id is ordering by time and the id
    // alone is a stable keyset cursor.
    let mut rows: Vec<AuditEntry> = db::fetch_all(
        &*tx,
        "SELECT id, actor_user_id, action, entity_type, entity_id, before_data, after_data, ip, \
         user_agent, request_id, created_at FROM audit_log \
         WHERE organization_id = $1 \
           AND ($2 IS NULL OR id < $2) \
           AND ($3 IS NULL OR actor_user_id = $3) \
           AND ($4 IS NULL OR action = $4) \
           AND ($5 IS NULL OR entity_type = $5) \
           AND ($6 IS NULL OR created_at >= $6) \
           AND ($7 IS NULL OR created_at < $7) \
         ORDER BY id DESC LIMIT $8",
        vec![
            tx.org_id().into(),
            q.cursor.into(),
            q.actor.into(),
            q.action.into(),
            q.entity_type.into(),
            q.since.into(),
            q.until.into(),
            i64::from(limit + 1).into(),
        ],
    )
    .await?;
    tx.commit().await?;
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if has_more {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok(ApiJson(AuditPage {
        data: rows,
        next_cursor,
        has_more,
    }))
}
