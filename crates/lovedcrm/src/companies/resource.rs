//! What is a company's own in the record kernel.

use uuid::Uuid;

use super::ENTITY;
use super::domain;
use super::model::{Company, CompanyOut, CreateCompany, PatchCompany, SPEC};
use super::store;
use crate::actor::Actor;
use crate::custom_fields;
use crate::db::{self, TenantTx};
use crate::error::{DomainError, DomainResult};
use crate::lists::CursorKey;
use crate::records::fields::{self, Problems};
use crate::records::kernel::Resource;
use crate::records::list::Listing;
use crate::records::visibility;
use crate::tags::store as tags;

pub(super) const PEOPLE: &[&str] = &["owner_id", "created_by"];

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: super::model::COLUMNS,
    entity_type: ENTITY,
    people: PEOPLE,
    searchable: true,
};

/// Companies in the record kernel.
pub struct Companies;

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

/// Validates and normalizes everything but custom fields and tags.
pub(super) async fn check(
    tx: &TenantTx,
    c: &mut Company,
    problems: &mut Problems,
) -> DomainResult<()> {
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

/// The company if it exists: `Ok(None)` for a missing one.
async fn found(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> DomainResult<Option<CompanyOut>> {
    match fetch_one(tx, id, visible).await {
        Ok(out) => Ok(Some(out)),
        Err(DomainError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

impl Resource for Companies {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "companies";
    type Row = Company;
    type Out = CompanyOut;
    type Create = CreateCompany;
    type Patch = PatchCompany;

    fn listing() -> &'static Listing {
        &LISTING
    }

    fn cursor(c: &Company) -> CursorKey {
        CursorKey::new(c.id)
            .with("name", c.name.clone())
            .with("industry", c.industry.clone())
            .with("domain", c.domain.clone())
            .with("size", c.size.clone())
            .with("created_at", c.created_at)
            .with("updated_at", c.updated_at)
            .with_json(custom_fields::listing::COLUMN, &c.custom_fields)
    }

    async fn present(tx: &TenantTx, rows: Vec<Company>) -> DomainResult<Vec<CompanyOut>> {
        with_tags(tx, rows).await
    }

    fn id(out: &CompanyOut) -> Uuid {
        out.company.id
    }

    fn version(out: &CompanyOut) -> i64 {
        out.company.version
    }

    fn assignees(out: &CompanyOut) -> Vec<Uuid> {
        out.company.owner_id.into_iter().collect()
    }

    fn label(out: &CompanyOut) -> String {
        out.company.name.clone()
    }

    fn people(out: &CompanyOut) -> Vec<Option<Uuid>> {
        vec![out.company.owner_id, out.company.created_by]
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<CompanyOut>> {
        found(
            tx,
            id,
            visibility::sql(actor, "companies", ENTITY, PEOPLE, 3),
        )
        .await
    }

    async fn reload(tx: &TenantTx, _actor: &Actor, id: Uuid) -> DomainResult<Option<CompanyOut>> {
        found(tx, id, ("TRUE".into(), Vec::new())).await
    }

    /// With how many contacts and open leads it has.
    async fn detail(tx: &TenantTx, mut out: CompanyOut) -> DomainResult<CompanyOut> {
        if let Some(counts) = store::counts(tx, out.company.id).await? {
            out.contact_count = Some(counts.contact_count);
            out.open_lead_count = Some(counts.open_lead_count);
        }
        Ok(out)
    }

    async fn insert(tx: &TenantTx, actor: &Actor, body: CreateCompany) -> DomainResult<Uuid> {
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
            owner_id: body.owner_id.or(actor.user_id()),
            custom_fields: serde_json::json!({}),
            created_by: actor.user_id(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut problems = Problems::default();
        check(tx, &mut company, &mut problems).await?;
        let tag_names = problems.take(tags::parse_names("tags", &body.tags));
        problems.finish()?;
        let values = body
            .custom_fields
            .clone()
            .unwrap_or_else(|| serde_json::json!({}));
        company.custom_fields = custom_fields::validate(tx, ENTITY, &values).await?;
        store::insert(tx, &company).await?;
        tags::set_for_record(tx, ENTITY, company.id, &tag_names.unwrap_or_default()).await?;
        Ok(company.id)
    }

    async fn update(
        tx: &TenantTx,
        _actor: &Actor,
        before: &CompanyOut,
        body: PatchCompany,
    ) -> DomainResult<bool> {
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
        check(tx, &mut c, &mut problems).await?;
        let tag_names = match &body.tags {
            Some(t) => problems.take(tags::parse_names("tags", t)),
            None => None,
        };
        problems.finish()?;
        if let Some(patch) = &body.custom_fields {
            c.custom_fields =
                custom_fields::validate_patch(tx, ENTITY, &c.custom_fields, patch).await?;
        }
        if !store::update(tx, &c).await? {
            return Ok(false);
        }
        if let Some(names) = tag_names {
            tags::set_for_record(tx, ENTITY, c.id, &names).await?;
        }
        Ok(true)
    }

    async fn remove(tx: &TenantTx, _actor: &Actor, before: &CompanyOut) -> DomainResult<()> {
        Ok(store::delete(tx, before.company.id).await?)
    }
}
