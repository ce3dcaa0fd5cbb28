use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{CreateLead, Lead, LeadOut, PatchLead, SPEC};
use super::validate::check;
use super::{ENTITY, board, convert, moves, store};
use crate::app::SharedState;
use crate::custom_fields;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::lists::{CursorKey, Page, page};
use crate::realtime;
use crate::records::fields::Problems;
use crate::records::idempotency::Idempotency;
use crate::records::list::Listing;
use crate::records::{audit_change, visibility};
use crate::tags::store as tags;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
        .routes(routes!(moves::move_stage))
        .routes(routes!(convert::convert))
        .routes(routes!(board::board))
}

pub(super) const PEOPLE: &[&str] = &["assigned_to", "created_by"];

pub(super) static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: super::model::COLUMNS,
    entity_type: ENTITY,
    people: PEOPLE,
    searchable: true,
};

pub(super) async fn with_tags(
    tx: &TenantTx,
    leads: Vec<Lead>,
) -> Result<Vec<LeadOut>, DomainError> {
    let ids: Vec<Uuid> = leads.iter().map(|l| l.id).collect();
    let mut names = tags::names_for(tx, ENTITY, &ids).await?;
    Ok(leads
        .into_iter()
        .map(|l| LeadOut {
            tags: names.remove(&l.id).unwrap_or_default(),
            lead: l,
        })
        .collect())
}

pub(super) async fn load(
    tx: &TenantTx,
    ctx: &OrgContext,
    id: Uuid,
) -> Result<LeadOut, DomainError> {
    let visible = visibility::sql(ctx, "leads", ENTITY, PEOPLE, 3);
    let lead = store::get(tx, id, visible)
        .await?
        .ok_or(DomainError::NotFound("lead"))?;
    with_tags(tx, vec![lead])
        .await?
        .pop()
        .ok_or(DomainError::NotFound("lead"))
}

pub(super) fn cursor_key(l: &Lead) -> CursorKey {
    CursorKey::new(l.id)
        .with("full_name", l.title.clone())
        .with("title", l.title.clone())
        .with("email", l.email.clone())
        .with("company_name", l.company_name.clone())
        .with("position", l.position)
        .with("status", l.status.clone())
        .with("estimated_value", l.estimated_value)
        .with("probability", l.probability.map(i64::from))
        .with("expected_close_date", l.expected_close_date)
        .with("source", l.source.clone())
        .with("score", l.score.map(i64::from))
        .with("last_contact_at", l.last_contact_at)
        .with("closed_at", l.closed_at)
        .with("created_at", l.created_at)
        .with("updated_at", l.updated_at)
        .with_json(custom_fields::listing::COLUMN, &l.custom_fields)
}

/// Leads, filtered (`field[op]=value`, also `custom_fields.<key>[op]=value`),
/// sorted (`sort=-estimated_value`, `sort=custom_fields.<key>`), searched
/// (`q`), by tag, keyset-paged.
#[utoipa::path(get, path = "/leads", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::ListParams),
    responses((status = 200, body = Page<LeadOut>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<LeadOut>>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let query = LISTING
        .parse_with_custom_fields(&tx, raw.as_deref(), &[])
        .await?;
    let (rows, total) = LISTING.fetch::<Lead>(&tx, &ctx, &query, Vec::new()).await?;
    let mut result = page(rows, &query, cursor_key)?;
    if let Some(total) = total {
        result = result.with_total(total);
    }
    let data = with_tags(&tx, std::mem::take(&mut result.data)).await?;
    tx.commit().await?;
    Ok(ApiJson(Page {
        data,
        next_cursor: result.next_cursor,
        has_more: result.has_more,
        total: result.total,
    }))
}

/// Create a lead; it lands at the end of its stage's column. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/leads", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateLead,
    responses((status = 201, body = LeadOut), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateLead>,
) -> DomainResult<Response> {
    visibility::require_write(&ctx)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &body)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let stage = moves::initial_stage(&tx, body.pipeline_id, body.stage_id).await?;
    let now = db::now();
    let title = body
        .full_name
        .clone()
        .or_else(|| body.email.clone())
        .or_else(|| body.phone.clone())
        .or_else(|| body.company_name.clone())
        .unwrap_or_default();
    let mut lead = Lead {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        title,
        email: body.email.clone(),
        phone: body.phone.clone(),
        company_name: body.company_name.clone(),
        company_id: body.company_id,
        contact_id: body.contact_id,
        pipeline_id: stage.pipeline_id,
        stage_id: stage.id,
        position: store::end_of_column(&tx, stage.id).await?,
        status: "open".into(),
        lost_reason: body.lost_reason.clone(),
        estimated_value: body.estimated_value,
        currency: body.currency.clone().unwrap_or_else(|| "BRL".into()),
        probability: body.probability.or(Some(stage.probability)),
        expected_close_date: body.expected_close_date,
        source: body.source.clone().unwrap_or_else(|| "manual".into()),
        score: body.score,
        assigned_to: Some(body.assigned_to.unwrap_or(ctx.user_id())),
        last_contact_at: None,
        last_contact_channel: None,
        closed_at: None,
        converted_at: None,
        custom_fields: serde_json::json!({}),
        created_by: Some(ctx.user_id()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let mut problems = Problems::default();
    let outcome = moves::outcome(
        &mut problems,
        &stage,
        body.status.as_deref(),
        body.lost_reason.as_deref(),
    );
    store::apply_stage(
        &mut lead,
        &stage,
        outcome.as_deref(),
        body.lost_reason.clone(),
    );
    check(&tx, &mut lead, &mut problems).await?;
    let tag_names = problems.take(tags::parse_names("tags", &body.tags));
    problems.finish()?;
    let values = body
        .custom_fields
        .clone()
        .unwrap_or_else(|| serde_json::json!({}));
    lead.custom_fields = custom_fields::validate(&tx, ENTITY, &values).await?;
    store::insert(&tx, &lead).await?;
    tags::set_for_record(&tx, ENTITY, lead.id, &tag_names.unwrap_or_default()).await?;
    let out = load(&tx, &ctx, lead.id).await?;
    audit_change(&tx, &ctx, "lead.created", ENTITY, lead.id, None, Some(&out)).await?;
    idempotency.remember(&tx, StatusCode::CREATED, &out).await?;
    tx.commit().await?;
    app.realtime
        .publish(realtime::lead_event("lead.created", &out.lead, &out));
    Ok((
        StatusCode::CREATED,
        Versioned(out.lead.version, ApiJson(out)),
    )
        .into_response())
}

/// One lead.
#[utoipa::path(get, path = "/leads/{id}", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = LeadOut), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<LeadOut>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let out = load(&tx, &ctx, id).await?;
    tx.commit().await?;
    Ok(Versioned(out.lead.version, ApiJson(out)))
}

/// Change a lead's details (merge semantics); `If-Match` answers 412 on a stale version.
#[utoipa::path(patch, path = "/leads/{id}", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchLead,
    responses((status = 200, body = LeadOut), (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchLead>,
) -> DomainResult<Versioned<LeadOut>> {
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, &ctx, id).await?;
    crate::http::check_version(expected, before.lead.version)?;
    let mut l = before.lead.clone();
    if let Some(v) = body.full_name {
        l.title = v;
    }
    if let Some(v) = body.email {
        l.email = v;
    }
    if let Some(v) = body.phone {
        l.phone = v;
    }
    if let Some(v) = body.company_name {
        l.company_name = v;
    }
    if let Some(v) = body.company_id {
        l.company_id = v;
    }
    if let Some(v) = body.contact_id {
        l.contact_id = v;
    }
    if let Some(v) = body.estimated_value {
        l.estimated_value = v;
    }
    if let Some(v) = body.currency {
        l.currency = v;
    }
    if let Some(v) = body.probability {
        l.probability = v;
    }
    if let Some(v) = body.expected_close_date {
        l.expected_close_date = v;
    }
    if let Some(v) = body.source {
        l.source = v;
    }
    if let Some(v) = body.score {
        l.score = v;
    }
    if let Some(v) = body.assigned_to {
        l.assigned_to = v;
    }
    if let Some(v) = body.lost_reason {
        l.lost_reason = v;
    }
    let mut problems = Problems::default();
    check(&tx, &mut l, &mut problems).await?;
    let tag_names = match &body.tags {
        Some(t) => problems.take(tags::parse_names("tags", t)),
        None => None,
    };
    problems.finish()?;
    if let Some(p) = &body.custom_fields {
        l.custom_fields = custom_fields::validate_patch(&tx, ENTITY, &l.custom_fields, p).await?;
    }
    if !store::update(&tx, &l).await? {
        let current = load(&tx, &ctx, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: current.lead.version,
        });
    }
    if let Some(names) = tag_names {
        tags::set_for_record(&tx, ENTITY, id, &names).await?;
    }
    let after = load(&tx, &ctx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "lead.updated",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    app.realtime
        .publish(realtime::lead_event("lead.updated", &after.lead, &after));
    Ok(Versioned(after.lead.version, ApiJson(after)))
}

/// Delete a lead; its conversations stay on the linked contact's timeline.
#[utoipa::path(delete, path = "/leads/{id}", tag = "leads", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, &ctx, id).await?;
    crate::http::check_version(expected, before.lead.version)?;
    store::delete(&tx, id).await?;
    audit_change(&tx, &ctx, "lead.deleted", ENTITY, id, Some(&before), None).await?;
    tx.commit().await?;
    let gone = serde_json::json!({"id": id, "pipeline_id": before.lead.pipeline_id, "stage_id": before.lead.stage_id});
    app.realtime
        .publish(realtime::lead_event("lead.deleted", &before.lead, &gone));
    Ok(StatusCode::NO_CONTENT)
}
