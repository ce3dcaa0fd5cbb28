//! Converting a lead: linking it to (or creating) its contact and company,
//! without making duplicates of the ones the organization already has.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Leads;
use super::model::{Lead, LeadOut};
use super::resource::load;
use super::{ENTITY, store};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::companies::{self, Company, CompanyOut};
use crate::contacts::{self, Contact, ContactOut};
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::notes::target::Kind;
use crate::organizations::permissions::Permission;
use crate::realtime;
use crate::records::audit_change;
use crate::records::fields::{self, Problems};
use crate::records::idempotency::Idempotency;
use crate::records::kernel::{Change, Created, check_version, commit, may_change};
use crate::timeline::activities::{self, On};

/// `POST /leads/{id}/convert`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertLead {
    /// Create a contact from the lead when none is given, already linked or
    /// found by the lead's email (default true).
    pub create_contact: Option<bool>,
    /// Create a company from `company_name` when none is given, already
    /// linked or found by name (default true).
    pub create_company: Option<bool>,
    /// Link this contact of the organization.
    pub contact_id: Option<Uuid>,
    /// Link this company of the organization.
    pub company_id: Option<Uuid>,
}

/// The converted lead with its contact and company. Either is `null` when
/// there is none, or when it is linked but the caller may not see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Conversion {
    pub lead: LeadOut,
    pub contact: Option<ContactOut>,
    pub company: Option<CompanyOut>,
}

/// A record the lead ends up linked to, and whether this conversion made it.
type Linked = Option<(Uuid, bool)>;

/// Convert a lead (a won lead, typically): link the contact and company
/// given, or already linked; otherwise find the organization's contact with
/// the lead's email and its company with the lead's `company_name` (ignoring
/// case and accents), and create them only when there is none. Sets
/// `converted_at`, writes a `lead_converted` activity on the lead's (and the
/// contact's) timeline and publishes `lead.updated`.
///
/// A lead converts once: again is 409 `already_converted`. Honors `If-Match`
/// (the lead's version) and `Idempotency-Key`.
pub async fn convert(
    app: &SharedState,
    ctx: &Actor,
    id: Uuid,
    expected: Option<i64>,
    key: Option<&str>,
    body: ConvertLead,
) -> DomainResult<Created<Conversion>> {
    ctx.require_on(Permission::Update, "leads")?;
    let idempotency = match ctx.user_id() {
        Some(user) => Some(Idempotency::new(key, user, &(id, &body))?),
        None => None,
    };
    let tx = ctx.begin(app, TxMode::Write).await?;
    if let Some(idempotency) = &idempotency
        && let Some(value) = idempotency.replayed_value::<Conversion>(&tx).await?
    {
        return Ok(Created {
            value,
            replayed: true,
        });
    }
    let before = load(&tx, ctx, id).await?;
    may_change::<Leads>(&tx, ctx, &before, Change::Update).await?;
    check_version(expected, before.lead.version)?;
    if before.lead.converted_at.is_some() {
        return Err(DomainError::Conflict {
            code: "already_converted",
            detail: "this lead was already converted".into(),
        });
    }
    let mut problems = Problems::default();
    fields::reference(
        &tx,
        ctx,
        &mut problems,
        "contact_id",
        Kind::Contact,
        body.contact_id,
        before.lead.contact_id,
    )
    .await?;
    fields::reference(
        &tx,
        ctx,
        &mut problems,
        "company_id",
        Kind::Company,
        body.company_id,
        before.lead.company_id,
    )
    .await?;
    problems.finish()?;

    let mut lead = before.lead.clone();
    let owner = owner(&tx, ctx, &lead).await?;
    let existing_contact = match (body.contact_id, lead.contact_id, &lead.email) {
        (Some(id), _, _) | (None, Some(id), _) => Some(id),
        (None, None, Some(email)) if body.create_contact != Some(false) => {
            contacts::linked::find_by_email(&tx, email).await?
        }
        _ => None,
    };
    let company = company(&tx, ctx, &lead, &body, existing_contact, owner).await?;
    let contact = match existing_contact {
        Some(id) => Some((id, false)),
        None if body.create_contact != Some(false) => {
            let new = new_contact(&lead, ctx, owner, company.map(|c| c.0));
            let out = contacts::linked::create(&tx, ctx, new)
                .await
                .map_err(|e| nested("contact", e))?;
            Some((out.contact.id, true))
        }
        None => None,
    };
    lead.contact_id = contact.map(|c| c.0);
    lead.company_id = company.map(|c| c.0);
    lead.converted_at = Some(db::now());
    if !store::update(&tx, &lead).await? {
        let current = load(&tx, ctx, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: current.lead.version,
        });
    }
    let on = On {
        lead_id: Some(id),
        contact_id: lead.contact_id,
        company_id: lead.company_id,
    };
    let data = json!({
        "contact_id": lead.contact_id, "created_contact": contact.is_some_and(|c| c.1),
        "company_id": lead.company_id, "created_company": company.is_some_and(|c| c.1),
    });
    activities::record(&tx, on, "lead_converted", ctx.user_id(), data).await?;
    let after = load(&tx, ctx, id).await?;
    audit_change(
        &tx,
        ctx,
        "lead.converted",
        ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    let out = Conversion {
        contact: match lead.contact_id {
            Some(id) => contacts::linked::visible(&tx, ctx, id).await?,
            None => None,
        },
        company: match lead.company_id {
            Some(id) => companies::linked::visible(&tx, ctx, id).await?,
            None => None,
        },
        lead: after,
    };
    if let Some(idempotency) = &idempotency {
        idempotency.remember(&tx, StatusCode::OK, &out).await?;
    }
    let event = realtime::lead_event("lead.updated", &out.lead.lead, &out.lead);
    crate::events::record(&tx, ctx.user_id(), &event).await?;
    commit(app, tx).await?;
    Ok(Created {
        value: out,
        replayed: false,
    })
}

/// The company the converted lead links to: the one given or linked, else
/// one named like `company_name`, else a new one (unless asked not to),
/// else the existing contact's company.
async fn company(
    tx: &TenantTx,
    ctx: &Actor,
    lead: &Lead,
    body: &ConvertLead,
    contact_id: Option<Uuid>,
    owner: Uuid,
) -> Result<Linked, DomainError> {
    if let Some(id) = body.company_id.or(lead.company_id) {
        return Ok(Some((id, false)));
    }
    let name = lead.company_name.as_deref().map(str::trim).unwrap_or("");
    if !name.is_empty() {
        if let Some(id) = companies::linked::find_by_name(tx, name).await? {
            return Ok(Some((id, false)));
        }
        if body.create_company != Some(false) {
            let now = db::now();
            let new = Company {
                id: Uuid::now_v7(),
                organization_id: tx.org_id(),
                name: name.to_string(),
                description: None,
                industry: None,
                domain: None,
                size: None,
                address: None,
                owner_id: Some(owner),
                custom_fields: json!({}),
                created_by: ctx.user_id(),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let out = companies::linked::create(tx, ctx, new)
                .await
                .map_err(|e| nested("company", e))?;
            return Ok(Some((out.company.id, true)));
        }
    }
    match contact_id {
        Some(id) => Ok(contacts::linked::company_of(tx, id)
            .await?
            .map(|c| (c, false))),
        None => Ok(None),
    }
}

/// Who owns what the conversion creates: the lead's assignee, or the caller
/// when the lead has none (or it is no longer a member).
async fn owner(tx: &TenantTx, ctx: &Actor, lead: &Lead) -> Result<Uuid, DomainError> {
    let mut problems = Problems::default();
    fields::member(tx, &mut problems, "assigned_to", lead.assigned_to).await?;
    Ok(match lead.assigned_to {
        Some(id) if problems.finish().is_ok() => id,
        _ => ctx.member()?,
    })
}

/// A contact made from the lead: its name split in two, email, phone and
/// source, owned by `owner`.
fn new_contact(lead: &Lead, ctx: &Actor, owner: Uuid, company_id: Option<Uuid>) -> Contact {
    let (first_name, last_name) = fields::split_name(&lead.title);
    let now = db::now();
    Contact {
        id: Uuid::now_v7(),
        organization_id: lead.organization_id,
        first_name,
        last_name,
        name: lead.title.clone(),
        email: lead.email.clone(),
        phone: lead.phone.clone(),
        job_position: None,
        company_id,
        address: None,
        source: Some(lead.source.clone()),
        owner_id: Some(owner),
        custom_fields: json!({}),
        created_by: ctx.user_id(),
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

/// Names the record a validation problem is about: `contact.custom_fields.x`.
fn nested(record: &str, e: DomainError) -> DomainError {
    match e {
        DomainError::Validation(errors) => DomainError::Validation(
            errors
                .into_iter()
                .map(|f| FieldError::new(format!("{record}.{}", f.field), f.message))
                .collect(),
        ),
        other => other,
    }
}
