//! Logging and reading communications.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::SimpleExpr;
use serde_json::{Value as Json, json};
use uuid::Uuid;

use super::model::{
    CHANNELS, COLUMNS, Communication, CreateCommunication, DIRECTIONS, PatchCommunication, SPEC,
    STATUSES,
};
use crate::app::SharedState;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::lists::{CursorKey, Page, page};
use crate::organizations::Role;
use crate::realtime;
use crate::records::fields::{self, Problems};
use crate::records::idempotency::Idempotency;
use crate::records::list::Listing;
use crate::records::{audit_change, custom, visibility};

const ENTITY: &str = "communication";

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: COLUMNS,
    entity_type: ENTITY,
    people: &[],
    searchable: false,
};

/// A `sales` member sees the communications of the leads and contacts they see.
fn visible(ctx: &OrgContext, backend: sea_orm::DbBackend) -> Option<SimpleExpr> {
    if ctx.role() != Role::Sales {
        return None;
    }
    let me: sea_orm::Value = ctx.user_id().into();
    Some(custom(
        backend,
        "(communications.lead_id IN (SELECT l.id FROM leads l WHERE l.organization_id = communications.organization_id \
           AND (l.assigned_to = ? OR l.created_by = ? OR l.id IN (SELECT s.record_id FROM record_shares s \
           WHERE s.organization_id = l.organization_id AND s.entity_type = 'lead' AND s.user_id = ?))) \
         OR communications.contact_id IN (SELECT c.id FROM contacts c WHERE c.organization_id = communications.organization_id \
           AND (c.owner_id = ? OR c.created_by = ? OR c.id IN (SELECT s.record_id FROM record_shares s \
           WHERE s.organization_id = c.organization_id AND s.entity_type = 'contact' AND s.user_id = ?))))",
        vec![
            me.clone(),
            me.clone(),
            me.clone(),
            me.clone(),
            me.clone(),
            me,
        ],
    ))
}

async fn find(tx: &TenantTx, ctx: &OrgContext, id: Uuid) -> Result<Communication, DomainError> {
    let row: Option<Communication> = db::fetch_one(
        &**tx,
        &format!("SELECT {COLUMNS} FROM communications WHERE organization_id = $1 AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    let row = row.ok_or(DomainError::NotFound("communication"))?;
    // Visible when its lead or its contact is visible to the caller.
    let lead_ok = match row.lead_id {
        Some(l) => crate::leads::store::get(
            tx,
            l,
            visibility::sql(ctx, "leads", "lead", &["assigned_to", "created_by"], 3),
        )
        .await?
        .is_some(),
        None => false,
    };
    let contact_ok = match (lead_ok, row.contact_id) {
        (false, Some(c)) => contact_visible(tx, ctx, c).await?,
        _ => false,
    };
    if lead_ok || contact_ok {
        Ok(row)
    } else {
        Err(DomainError::NotFound("communication"))
    }
}

async fn contact_visible(tx: &TenantTx, ctx: &OrgContext, id: Uuid) -> Result<bool, DomainError> {
    let visible = visibility::sql(ctx, "contacts", "contact", &["owner_id", "created_by"], 3);
    let (condition, mut extra) = visible;
    let mut values = vec![tx.org_id().into(), id.into()];
    values.append(&mut extra);
    #[derive(db::Row)]
    struct One {
        #[allow(dead_code)]
        n: i64,
    }
    let row: Option<One> = db::fetch_one(
        &**tx,
        &format!("SELECT CAST(1 AS BIGINT) AS n FROM contacts WHERE organization_id = $1 AND id = $2 AND {condition}"),
        values,
    )
    .await?;
    Ok(row.is_some())
}

/// Communications of the organization (filter by `lead_id`, `contact_id`, `channel`…).
#[utoipa::path(get, path = "/communications", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::PageParams, crate::records::list::TagParams),
    responses((status = 200, body = Page<Communication>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<Communication>>> {
    let query = LISTING.parse(raw.as_deref(), &[])?;
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let more: Vec<SimpleExpr> = visible(&ctx, tx.get_database_backend())
        .into_iter()
        .collect();
    // A communication is seen through its lead or contact (`visible`), never
    // shared itself: the listing's own share rule would hide them all from
    // sales, so it runs without it and `more` carries the real one.
    let everyone = crate::actor::Actor::system(tx.org_id(), "communications");
    let (rows, total) = LISTING
        .fetch::<Communication>(&tx, &everyone, &query, more)
        .await?;
    tx.commit().await?;
    let mut result = page(rows, &query, |c: &Communication| {
        CursorKey::new(c.id)
            .with("channel", c.channel.clone())
            .with("direction", c.direction.clone())
            .with("subject", c.subject.clone())
            .with("status", c.status.clone())
            .with("sent_at", c.sent_at)
            .with("created_at", c.created_at)
    })?;
    if let Some(total) = total {
        result = result.with_total(total);
    }
    Ok(ApiJson(result))
}

fn one_of(problems: &mut Problems, field: &str, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        problems.push(field, format!("must be one of: {}", allowed.join(", ")));
    }
}

/// Log a communication on a lead and/or contact. A provider retry with the
/// same `provider` + `external_id` is refused (409) instead of duplicated.
#[utoipa::path(post, path = "/communications", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateCommunication,
    responses((status = 201, body = Communication), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateCommunication>,
) -> DomainResult<Response> {
    visibility::require_write(&ctx)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &body)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let mut problems = Problems::default();
    one_of(&mut problems, "channel", &body.channel, CHANNELS);
    let direction = body.direction.clone().unwrap_or_else(|| {
        if body.channel == "note" {
            "internal"
        } else {
            "outbound"
        }
        .into()
    });
    one_of(&mut problems, "direction", &direction, DIRECTIONS);
    let status = body.status.clone().unwrap_or_else(|| {
        if direction == "inbound" {
            "delivered"
        } else {
            "sent"
        }
        .into()
    });
    one_of(&mut problems, "status", &status, STATUSES);
    let subject = problems
        .take(fields::text("subject", body.subject.clone(), 500))
        .flatten();
    let content = problems
        .take(fields::text("content", body.content.clone(), 100_000))
        .flatten();
    let provider = problems
        .take(fields::text("provider", body.provider.clone(), 50))
        .flatten()
        .unwrap_or_else(|| "manual".into());
    let external_id = problems
        .take(fields::text("external_id", body.external_id.clone(), 500))
        .flatten();
    let metadata = body.metadata.clone().unwrap_or_else(|| json!({}));
    if !metadata.is_object() {
        problems.push("metadata", "must be an object");
    }
    let attachments = body.attachments.clone().unwrap_or_else(|| json!([]));
    if !attachments
        .as_array()
        .is_some_and(|a| a.iter().all(Json::is_object))
    {
        problems.push("attachments", "must be a list of objects");
    }
    if body.lead_id.is_none() && body.contact_id.is_none() {
        problems.push("lead_id", "give a lead_id or a contact_id");
    }
    problems.finish()?;

    // The caller must see the records it logs on.
    let mut contact_id = body.contact_id;
    if let Some(lead_id) = body.lead_id {
        let lead = crate::leads::store::get(
            &tx,
            lead_id,
            visibility::sql(&ctx, "leads", "lead", &["assigned_to", "created_by"], 3),
        )
        .await?
        .ok_or_else(|| DomainError::field("lead_id", "does not exist in this organization"))?;
        contact_id = contact_id.or(lead.contact_id);
    }
    if let Some(c) = body.contact_id
        && !contact_visible(&tx, &ctx, c).await?
    {
        return Err(DomainError::field(
            "contact_id",
            "does not exist in this organization",
        ));
    }
    let now = db::now();
    let sent_at = body.sent_at.unwrap_or(now);
    let c = Communication {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        lead_id: body.lead_id,
        contact_id,
        channel: body.channel.clone(),
        direction,
        subject,
        content,
        metadata,
        attachments,
        provider,
        external_id,
        status,
        sent_at: chrono::SubsecRound::trunc_subsecs(sent_at, 6),
        created_by: Some(ctx.user_id()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let inserted = db::exec(
        &*tx,
        "INSERT INTO communications (organization_id, id, lead_id, contact_id, channel, direction, subject, \
         content, metadata, attachments, provider, external_id, status, sent_at, created_by, created_at, \
         updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, 1)",
        vec![
            c.organization_id.into(), c.id.into(), c.lead_id.into(), c.contact_id.into(), c.channel.clone().into(),
            c.direction.clone().into(), c.subject.clone().into(), c.content.clone().into(), c.metadata.clone().into(),
            c.attachments.clone().into(), c.provider.clone().into(), c.external_id.clone().into(), c.status.clone().into(),
            c.sent_at.into(), c.created_by.into(), c.created_at.into(),
        ],
    )
    .await;
    match inserted {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(DomainError::Conflict {
                code: "duplicate_communication",
                detail: "a communication with this provider and external_id is already logged"
                    .into(),
            });
        }
        other => other?,
    };
    if let Some(lead_id) = c.lead_id
        && c.channel != "note"
    {
        // Only a newer interaction moves the lead's "last contact".
        db::exec(
            &*tx,
            "UPDATE leads SET last_contact_at = $3, last_contact_channel = $4, updated_at = $5, version = version + 1 \
             WHERE organization_id = $1 AND id = $2 AND (last_contact_at IS NULL OR last_contact_at <= $3)",
            vec![tx.org_id().into(), lead_id.into(), c.sent_at.into(), c.channel.clone().into(), now.into()],
        )
        .await?;
    }
    audit_change(
        &tx,
        &ctx,
        "communication.created",
        ENTITY,
        c.id,
        None,
        Some(&c),
    )
    .await?;
    idempotency.remember(&tx, StatusCode::CREATED, &c).await?;
    let event = realtime::communication_event(&tx, "communication.created", &c, &c).await?;
    crate::events::record(&tx, Some(ctx.user_id()), &event).await?;
    crate::records::kernel::commit(&app, tx).await?;
    Ok((StatusCode::CREATED, Versioned(c.version, ApiJson(c))).into_response())
}

/// One communication.
#[utoipa::path(get, path = "/communications/{id}", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = Communication), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<Communication>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let c = find(&tx, &ctx, id).await?;
    tx.commit().await?;
    Ok(Versioned(c.version, ApiJson(c)))
}

/// Correct a communication, or record its delivery status.
#[utoipa::path(patch, path = "/communications/{id}", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchCommunication,
    responses((status = 200, body = Communication), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchCommunication>,
) -> DomainResult<Versioned<Communication>> {
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = find(&tx, &ctx, id).await?;
    crate::http::check_version(expected, before.version)?;
    let mut problems = Problems::default();
    let mut after = before.clone();
    if let Some(s) = &body.subject {
        after.subject = problems
            .take(fields::text("subject", Some(s.clone()), 500))
            .flatten();
    }
    if let Some(s) = &body.content {
        after.content = problems
            .take(fields::text("content", Some(s.clone()), 100_000))
            .flatten();
    }
    if let Some(s) = &body.status {
        one_of(&mut problems, "status", s, STATUSES);
        after.status = s.clone();
    }
    if let Some(m) = &body.metadata {
        if m.is_object() {
            after.metadata = crate::custom_fields::merge(&before.metadata, m);
        } else {
            problems.push("metadata", "must be an object");
        }
    }
    problems.finish()?;
    let n = db::exec(
        &*tx,
        "UPDATE communications SET subject = $3, content = $4, status = $5, metadata = $6, updated_at = $7, \
         version = version + 1 WHERE organization_id = $1 AND id = $2 AND version = $8",
        vec![tx.org_id().into(), id.into(), after.subject.clone().into(), after.content.clone().into(),
             after.status.clone().into(), after.metadata.clone().into(), db::now().into(), before.version.into()],
    )
    .await?;
    if n != 1 {
        return Err(DomainError::PreconditionFailed {
            current_version: before.version + 1,
        });
    }
    let after = find(&tx, &ctx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "communication.updated",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    let status = json!({"id": id, "lead_id": after.lead_id, "contact_id": after.contact_id, "status": after.status,
        "previous_status": before.status, "version": after.version});
    let updated =
        realtime::communication_event(&tx, "communication.updated", &after, &after).await?;
    crate::events::record(&tx, Some(ctx.user_id()), &updated).await?;
    if after.status != before.status {
        let event =
            realtime::communication_event(&tx, "communication.status", &after, &status).await?;
        crate::events::record(&tx, Some(ctx.user_id()), &event).await?;
    }
    crate::records::kernel::commit(&app, tx).await?;
    Ok(Versioned(after.version, ApiJson(after)))
}

/// Delete a communication.
#[utoipa::path(delete, path = "/communications/{id}", tag = "timeline", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 412, body = Problem)))]
pub async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = find(&tx, &ctx, id).await?;
    crate::http::check_version(expected, before.version)?;
    db::exec(
        &*tx,
        "DELETE FROM communications WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    audit_change(
        &tx,
        &ctx,
        "communication.deleted",
        ENTITY,
        id,
        Some(&before),
        None,
    )
    .await?;
    let gone =
        realtime::communication_event(&tx, "communication.deleted", &before, &before).await?;
    crate::events::record(&tx, Some(ctx.user_id()), &gone).await?;
    crate::records::kernel::commit(&app, tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
