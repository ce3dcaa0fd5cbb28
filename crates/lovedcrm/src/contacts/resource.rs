//! What is a contact's own in the record kernel: how one is validated,
//! stored, changed, deleted, listed and shown.

use uuid::Uuid;

use super::ENTITY;
use super::model::{Contact, ContactOut, CreateContact, PatchContact, SPEC};
use super::store;
use crate::actor::Actor;
use crate::custom_fields;
use crate::db::{self, TenantTx};
use crate::error::DomainResult;
use crate::lists::CursorKey;
use crate::notes::target::Kind;
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

/// Contacts in the record kernel.
pub struct Contacts;

pub(super) async fn with_tags(
    tx: &TenantTx,
    contacts: Vec<Contact>,
) -> DomainResult<Vec<ContactOut>> {
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

/// Validates and normalizes everything but custom fields and tags.
pub(super) async fn check(
    tx: &TenantTx,
    actor: &Actor,
    c: &mut Contact,
    before: Option<&Contact>,
    problems: &mut Problems,
) -> DomainResult<()> {
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
    let had = before.and_then(|b| b.company_id);
    fields::reference(
        tx,
        actor,
        problems,
        "company_id",
        Kind::Company,
        c.company_id,
        had,
    )
    .await?;
    fields::member(tx, problems, "owner_id", c.owner_id).await?;
    Ok(())
}

impl Resource for Contacts {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "contacts";
    type Row = Contact;
    type Out = ContactOut;
    type Create = CreateContact;
    type Patch = PatchContact;

    fn listing() -> &'static Listing {
        &LISTING
    }

    fn cursor(c: &Contact) -> CursorKey {
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
    }

    async fn present(tx: &TenantTx, rows: Vec<Contact>) -> DomainResult<Vec<ContactOut>> {
        with_tags(tx, rows).await
    }

    fn id(out: &ContactOut) -> Uuid {
        out.contact.id
    }

    fn version(out: &ContactOut) -> i64 {
        out.contact.version
    }

    fn assignees(out: &ContactOut) -> Vec<Uuid> {
        out.contact.owner_id.into_iter().collect()
    }

    fn label(out: &ContactOut) -> String {
        out.contact.name.clone()
    }

    fn people(out: &ContactOut) -> Vec<Option<Uuid>> {
        vec![out.contact.owner_id, out.contact.created_by]
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<ContactOut>> {
        let visible = visibility::sql(actor, "contacts", ENTITY, PEOPLE, 3);
        let Some(contact) = store::get(tx, id, visible).await? else {
            return Ok(None);
        };
        Ok(with_tags(tx, vec![contact]).await?.pop())
    }

    async fn insert(tx: &TenantTx, actor: &Actor, body: CreateContact) -> DomainResult<Uuid> {
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
            owner_id: body.owner_id.or(actor.user_id()),
            custom_fields: serde_json::json!({}),
            created_by: actor.user_id(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut problems = Problems::default();
        check(tx, actor, &mut contact, None, &mut problems).await?;
        let tag_names = problems.take(tags::parse_names("tags", &body.tags));
        problems.finish()?;
        let values = body
            .custom_fields
            .clone()
            .unwrap_or_else(|| serde_json::json!({}));
        contact.custom_fields = custom_fields::validate(tx, ENTITY, &values).await?;
        store::insert(tx, &contact).await?;
        tags::set_for_record(tx, ENTITY, contact.id, &tag_names.unwrap_or_default()).await?;
        Ok(contact.id)
    }

    async fn update(
        tx: &TenantTx,
        actor: &Actor,
        before: &ContactOut,
        body: PatchContact,
    ) -> DomainResult<bool> {
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
        check(tx, actor, &mut c, Some(&before.contact), &mut problems).await?;
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

    async fn remove(tx: &TenantTx, _actor: &Actor, before: &ContactOut) -> DomainResult<()> {
        Ok(store::delete(tx, before.contact.id).await?)
    }
}
