use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::ENTITY;
use super::model::{Contact, ContactOut, CreateContact, PatchContact, SPEC};
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
    contacts: Vec<Contact>,
) -> Result<Vec<ContactOut>, DomainError> {
    let ids: Vec<Uuid> = contacts.iter().map(|c| c.id).collect();
    let mut names = tags::names_for(tx, ENTITY, &ids).await?;
    Ok(contacts
        .into_iter()
        .map(|c| ContactOut {
            tags: names.remove(&c.id).unwrap_or_default(),
            contact: c,
        })
        .collect())
}

async fn load(tx: &TenantTx, ctx: &OrgContext, id: Uuid) -> Result<ContactOut, DomainError> {
    let visible = visibility::sql(ctx, "contacts", ENTITY, PEOPLE, 3);
    let contact = store::get(tx, id, visible)
        .await?
        .ok_or(DomainError::NotFound("contact"))?;
    with_tags(tx, vec![contact])
        .await?
        .pop()
        .ok_or(DomainError::NotFound("contact"))
}

/// Contacts, filtered (`field[op]=value`, also `custom_fields.<key>[op]=value`),
/// sorted (`sort=name,-custom_fields.budget`), searched (`q`, accent-insensitive),
/// by tag (`tags=vip,hot`), keyset-paged.
#[utoipa::path(get, path = "/contacts", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader, crate::records::list::ListParams),
    responses((status = 200, body = Page<ContactOut>), (status = 400, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    RawQuery(raw): RawQuery,
) -> DomainResult<ApiJson<Page<ContactOut>>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let query = LISTING
        .parse_with_custom_fields(&tx, raw.as_deref(), &[])
        .await?;
    let (rows, total) = LISTING
        .fetch::<Contact>(&tx, &ctx, &query, Vec::new())
        .await?;
    let mut result = page(rows, &query, |c: &Contact| {
        CursorKey::new(c.id)
            .with("name", c.name.clone())
            .with("first_name", c.first_name.clone())
            .with("last_name", c.last_name.clone())
            .with("email", c.email.clone())
            .with("job_position", c.job_position.clone())
            .with("source", c.source.clone())
            .with("created_at", c.created_at)
            .with("updated_at", c.updated_at)
            .with_json(custom_fields::listing::COLUMN, &c.custom_fields)
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
    c: &mut Contact,
    problems: &mut Problems,
) -> Result<(), DomainError> {
    c.first_name = problems
        .take(fields::text("first_name", c.first_name.take(), 100))
        .flatten();
    c.last_name = problems
        .take(fields::text("last_name", c.last_name.take(), 100))
        .flatten();
    c.email = problems
        .take(fields::email("email", c.email.take()))
        .flatten();
    c.phone = problems
        .take(fields::phone("phone", c.phone.take()))
        .flatten();
    c.job_position = problems
        .take(fields::text("job_position", c.job_position.take(), 200))
        .flatten();
    c.address = problems
        .take(fields::text("address", c.address.take(), 500))
        .flatten();
    c.source = problems
        .take(fields::text("source", c.source.take(), 50))
        .flatten();
    let display = [c.first_name.as_deref(), c.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = fields::text("name", Some(c.name.clone()), 200)
        .ok()
        .flatten();
    c.name = match name {
        Some(n) => n,
        None if !display.is_empty() => display,
        None => c
            .email
            .clone()
            .or_else(|| c.phone.clone())
            .unwrap_or_default(),
    };
    if c.name.is_empty() {
        problems.push("name", "give at least a name, an email or a phone");
    }
    fields::reference(tx, problems, "company_id", "companies", c.company_id).await?;
    fields::member(tx, problems, "owner_id", c.owner_id).await?;
    Ok(())
}

/// Create a contact from any subset of its fields. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/contacts", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateContact,
    responses((status = 201, body = ContactOut), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateContact>,
) -> DomainResult<Response> {
    visibility::require_write(&ctx)?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &body)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    let now = db::now();
    let (first, last) = match (&body.first_name, &body.last_name, &body.name) {
        (None, None, Some(name)) => fields::split_name(name),
        _ => (body.first_name.clone(), body.last_name.clone()),
    };
    let mut contact = Contact {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        first_name: first,
        last_name: last,
        name: body.name.clone().unwrap_or_default(),
        email: body.email.clone(),
        phone: body.phone.clone(),
        job_position: body.job_position.clone(),
        company_id: body.company_id,
        address: body.address.clone(),
        source: body.source.clone(),
        owner_id: Some(body.owner_id.unwrap_or(ctx.user_id())),
        custom_fields: serde_json::json!({}),
        created_by: Some(ctx.user_id()),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let mut problems = Problems::default();
    check(&tx, &mut contact, &mut problems).await?;
    let tag_names = problems.take(tags::parse_names("tags", &body.tags));
    problems.finish()?;
    if let Some(values) = &body.custom_fields {
        contact.custom_fields = custom_fields::validate(&tx, ENTITY, values).await?;
    } else {
        contact.custom_fields =
            custom_fields::validate(&tx, ENTITY, &serde_json::json!({})).await?;
    }
    store::insert(&tx, &contact).await?;
    tags::set_for_record(&tx, ENTITY, contact.id, &tag_names.unwrap_or_default()).await?;
    let out = load(&tx, &ctx, contact.id).await?;
    audit_change(
        &tx,
        &ctx,
        "contact.created",
        ENTITY,
        contact.id,
        None,
        Some(&out),
    )
    .await?;
    idempotency.remember(&tx, StatusCode::CREATED, &out).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Versioned(out.contact.version, ApiJson(out)),
    )
        .into_response())
}

/// One contact.
#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader, ("id" = Uuid, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = Problem)))]
async fn get(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<Versioned<ContactOut>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let out = load(&tx, &ctx, id).await?;
    tx.commit().await?;
    Ok(Versioned(out.contact.version, ApiJson(out)))
}

/// Change a contact (merge semantics). `If-Match` with the version read
/// answers 412 if someone else saved first.
#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchContact,
    responses((status = 200, body = ContactOut), (status = 404, body = Problem),
              (status = 412, body = Problem), (status = 422, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchContact>,
) -> DomainResult<Versioned<ContactOut>> {
    visibility::require_write(&ctx)?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = load(&tx, &ctx, id).await?;
    crate::http::check_version(expected, before.contact.version)?;
    let mut c = before.contact.clone();
    let names_changed = body.first_name.is_some() || body.last_name.is_some();
    if let Some(v) = body.first_name {
        c.first_name = v;
    }
    if let Some(v) = body.last_name {
        c.last_name = v;
    }
    match body.name {
        Some(n) => c.name = n,
        // The display name follows first/last unless it was set explicitly.
        None if names_changed => c.name = String::new(),
        None => {}
    }
    if let Some(v) = body.email {
        c.email = v;
    }
    if let Some(v) = body.phone {
        c.phone = v;
    }
    if let Some(v) = body.job_position {
        c.job_position = v;
    }
    if let Some(v) = body.company_id {
        c.company_id = v;
    }
    if let Some(v) = body.address {
        c.address = v;
    }
    if let Some(v) = body.source {
        c.source = v;
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
        let current = load(&tx, &ctx, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: current.contact.version,
        });
    }
    if let Some(names) = tag_names {
        tags::set_for_record(&tx, ENTITY, id, &names).await?;
    }
    let after = load(&tx, &ctx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "contact.updated",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Versioned(after.contact.version, ApiJson(after)))
}

/// Delete a contact. `If-Match` is honored.
#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", security(("bearer" = [])),
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
    crate::http::check_version(expected, before.contact.version)?;
    store::delete(&tx, id).await?;
    audit_change(
        &tx,
        &ctx,
        "contact.deleted",
        ENTITY,
        id,
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
