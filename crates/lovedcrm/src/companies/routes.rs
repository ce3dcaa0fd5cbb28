use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::ENTITY;
use super::domain;
use super::model::{Company, CompanyOut, CreateCompany, PatchCompany, SPEC};
use super::store;
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
use crate::records::fields::{self, Problems};
use crate::records::idempotency::Idempotency;
use crate::records::list::Listing;
use crate::records::{audit_change, visibility};
use crate::tags::store as tags;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, patch, delete))
}

pub(super) const PEOPLE: &[&str] = &["owner_id", "created_by"];

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: super::model::COLUMNS,
    entity_type: ENTITY,
    people: PEOPLE,
    searchable: true,
};

pub(super) async fn with_tags(
    tx: &TenantTx,
    companies: Vec<Company>,
) -> Result<Vec<CompanyOut>, DomainError> {
    let ids: Vec<Uuid> = companies.iter().map(|c| c.id).collect();
    let mut names = tags::names_for(tx, ENTITY, &ids).await?;
    Ok(companies
        .into_iter()
        .map(|c| CompanyOut {
            tags: names.remove(&c.id).unwrap_or_default(),
            company: c,
            contact_count: None,
            open_lead_count: None,
        })
        .collect())
}

async fn load(tx: &TenantTx, ctx: &OrgContext, id: Uuid) -> Result<CompanyOut, DomainError> {
    fetch_one(tx, id, visibility::sql(ctx, "companies", ENTITY, PEOPLE, 3)).await
}

/// The company after a write the caller was allowed to make, even if the
/// write took it out of their sight (e.g. handing it to another owner).
pub(super) async fn reload(tx: &TenantTx, id: Uuid) -> Result<CompanyOut, DomainError> {
    fetch_one(tx, id, ("TRUE".into(), Vec::new())).await
}

pub(super) async fn fetch_one(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<CompanyOut, DomainError> {
    let company = store::get(tx, id, visible)
        .await?
        .ok_or(DomainError::NotFound("company"))?;
    with_tags(tx, vec![company])
        .await?
        .pop()
        .ok_or(DomainError::NotFound("company"))
}

/// Companies, filtered (`field[op]=value`, also `custom_fields.<key>[op]=value`),
/// sorted (`sort=name,-custom_fields.<key>`),
/// searched (`q`, accent-insensitive), by tag (`tags=vip,hot`), keyset-paged.
#[utoipa::path(get, path = "/companies", tag = "companies", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::ListParams),
    responses((status = 200, body = Page<CompanyOut>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<CompanyOut>>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let query = LISTING
        .parse_with_custom_fields(&tx, raw.as_deref(), &[])
        .await?;
    let (rows, total) = LISTING
        .fetch::<Company>(&tx, &ctx, &query, Vec::new())
        .await?;
    let mut result = page(rows, &query, |c: &Company| {
        CursorKey::new(c.id)
            .with("name", c.name.clone())
            .with("industry", c.industry.clone())
            .with("domain", c.domain.clone())
            .with("size", c.size.clone())
            .with("created_at", c.created_at)
            .with("updated_at", c.updated_at)
            .with_json(crate::custom_fields::listing::COLUMN, &c.custom_fields)
    })?;
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

/// Validates and normalizes everything but custom fields and tags.
pub(super) async fn check(
    tx: &TenantTx,
    c: &mut Company,
    problems: &mut Problems,
) -> Result<(), DomainError> {
    match problems.take(fields::text("name", Some(std::mem::take(&mut c.name)), 200)) {
        Some(Some(name)) => c.name = name,
        Some(None) => problems.push("name", "is required"),
        None => {}
    }
    c.description = problems
        .take(fields::text("description", c.description.take(), 5000))
        .flatten();
    c.industry = problems
        .take(fields::text("industry", c.industry.take(), 100))
        .flatten();
    c.domain = problems
        .take(domain::normalize("domain", c.domain.take()))
        .flatten();
    c.size = problems
        .take(fields::text("size", c.size.take(), 50))
        .flatten();
    c.address = problems
        .take(fields::text("address", c.address.take(), 500))
        .flatten();
    fields::member(tx, problems, "owner_id", c.owner_id).await?;
    Ok(())
}

/// Create a company. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/companies", tag = "companies", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateCompany,
    responses((status = 201, body = CompanyOut), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateCompany>,
) -> DomainResult<Response> {
    visibility::require_write(&ctx)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &body)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let now = db::now();
    let mut company = Company {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        name: body.name.clone().unwrap_or_default(),
        description: body.description.clone(),
        industry: body.industry.clone(),
        domain: body.domain.clone(),
        size: body.size.clone(),
        address: body.address.clone(),
        owner_id: Some(body.owner_id.unwrap_or(ctx.user_id())),
        custom_fields: serde_json::json!({}),
        created_by: Some(ctx.user_id()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let mut problems = Problems::default();
    check(&tx, &mut company, &mut problems).await?;
    let tag_names = problems.take(tags::parse_names("tags", &body.tags));
    problems.finish()?;
    let values = body
        .custom_fields
        .clone()
        .unwrap_or_else(|| serde_json::json!({}));
    company.custom_fields = custom_fields::validate(&tx, ENTITY, &values).await?;
    store::insert(&tx, &company).await?;
    tags::set_for_record(&tx, ENTITY, company.id, &tag_names.unwrap_or_default()).await?;
    let out = reload(&tx, company.id).await?;
    audit_change(
        &tx,
        &ctx,
        "company.created",
        ENTITY,
        company.id,
        None,
        Some(&out),
    )
    .await?;
    idempotency.remember(&tx, StatusCode::CREATED, &out).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Versioned(out.company.version, ApiJson(out)),
    )
        .into_response())
}

/// One company, with how many contacts and open leads it has.
#[utoipa::path(get, path = "/companies/{id}", tag = "companies", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = CompanyOut), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<CompanyOut>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let mut out = load(&tx, &ctx, id).await?;
    if let Some(counts) = store::counts(&tx, id).await? {
        out.contact_count = Some(counts.contact_count);
        out.open_lead_count = Some(counts.open_lead_count);
    }
    tx.commit().await?;
    Ok(Versioned(out.company.version, ApiJson(out)))
}

/// Change a company (merge semantics). `If-Match` with the version read
/// answers 412 if someone else saved first.
#[utoipa::path(patch, path = "/companies/{id}", tag = "companies", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchCompany,
    responses((status = 200, body = CompanyOut), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchCompany>,
) -> DomainResult<Versioned<CompanyOut>> {
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, &ctx, id).await?;
    crate::http::check_version(expected, before.company.version)?;
    let mut c = before.company.clone();
    if let Some(v) = body.name {
        c.name = v.unwrap_or_default();
    }
    if let Some(v) = body.description {
        c.description = v;
    }
    if let Some(v) = body.industry {
        c.industry = v;
    }
    if let Some(v) = body.domain {
        c.domain = v;
    }
    if let Some(v) = body.size {
        c.size = v;
    }
    if let Some(v) = body.address {
        c.address = v;
    }
    if let Some(v) = body.owner_id {
        c.owner_id = v;
    }
    let mut problems = Problems::default();
    check(&tx, &mut c, &mut problems).await?;
    let tag_names = match &body.tags {
        Some(t) => problems.take(tags::parse_names("tags", t)),
        None => None,
    };
    problems.finish()?;
    if let Some(patch) = &body.custom_fields {
        c.custom_fields =
            custom_fields::validate_patch(&tx, ENTITY, &c.custom_fields, patch).await?;
    }
    if !store::update(&tx, &c).await? {
        let current = reload(&tx, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: current.company.version,
        });
    }
    if let Some(names) = tag_names {
        tags::set_for_record(&tx, ENTITY, id, &names).await?;
    }
    let after = reload(&tx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "company.updated",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Versioned(after.company.version, ApiJson(after)))
}

/// Delete a company. Its contacts, leads and projects stay, without the
/// link; its own tasks, notes and activities go. `If-Match` is honored.
#[utoipa::path(delete, path = "/companies/{id}", tag = "companies", security(("bearer" = [])),
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
    crate::http::check_version(expected, before.company.version)?;
    store::delete(&tx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "company.deleted",
        ENTITY,
        id,
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
