//! Contacts made or found by other flows (a lead's conversion), with the
//! same rules as `POST /contacts`.

use serde_json::json;
use uuid::Uuid;

use super::ENTITY;
use super::model::{Contact, ContactOut};
use super::resource::{Contacts, PEOPLE, check, with_tags};
use super::store;
use crate::actor::Actor;
use crate::custom_fields;
use crate::db::{self, Row, TenantTx};
use crate::error::DomainError;
use crate::records::audit_change;
use crate::records::fields::Problems;
use crate::records::visibility;

/// Validates, stores and audits `contact` as `POST /contacts` would a body
/// without tags or custom fields (so required custom fields are a 422), and
/// returns it as the API shows it.
pub async fn create(
    tx: &TenantTx,
    ctx: &Actor,
    mut contact: Contact,
) -> Result<ContactOut, DomainError> {
    let mut problems = Problems::default();
    // Its references were checked by the flow that made it (the lead's).
    let vetted = contact.clone();
    check(tx, ctx, &mut contact, Some(&vetted), &mut problems).await?;
    problems.finish()?;
    contact.custom_fields = custom_fields::validate(tx, ENTITY, &json!({})).await?;
    store::insert(tx, &contact).await?;
    let out = fetch(tx, contact.id, ("TRUE".into(), Vec::new()))
        .await?
        .ok_or(DomainError::NotFound("contact"))?;
    audit_change(
        tx,
        ctx,
        "contact.created",
        ENTITY,
        contact.id,
        None,
        Some(&out),
    )
    .await?;
    crate::records::kernel::record_event::<Contacts>(tx, ctx, "created", &out).await?;
    Ok(out)
}

/// Contact `id` as the API shows it, if the caller may see it.
pub async fn visible(
    tx: &TenantTx,
    ctx: &Actor,
    id: Uuid,
) -> Result<Option<ContactOut>, DomainError> {
    fetch(tx, id, visibility::sql(ctx, "contacts", ENTITY, PEOPLE, 3)).await
}

async fn fetch(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<Option<ContactOut>, DomainError> {
    let Some(contact) = store::get(tx, id, visible).await? else {
        return Ok(None);
    };
    Ok(with_tags(tx, vec![contact]).await?.pop())
}

#[derive(Row)]
struct Id {
    id: Uuid,
}

/// The oldest contact of the organization with this (normalized) email.
pub async fn find_by_email(tx: &TenantTx, email: &str) -> Result<Option<Uuid>, DomainError> {
    let found: Option<Id> = db::fetch_one(
        &**tx,
        "SELECT id FROM contacts WHERE organization_id = $1 AND email = $2 \
         ORDER BY created_at, id LIMIT 1",
        vec![tx.org_id().into(), email.into()],
    )
    .await?;
    Ok(found.map(|f| f.id))
}

#[derive(Row)]
struct CompanyId {
    company_id: Option<Uuid>,
}

/// The company contact `id` works at, if any.
pub async fn company_of(tx: &TenantTx, id: Uuid) -> Result<Option<Uuid>, DomainError> {
    let found: Option<CompanyId> = db::fetch_one(
        &**tx,
        "SELECT company_id FROM contacts WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(found.and_then(|f| f.company_id))
}
