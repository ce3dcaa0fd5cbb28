//! What is a lead's own in the record kernel (moves, conversion and the
//! board are services of their own beside it).

use uuid::Uuid;

use super::model::{CreateLead, Lead, LeadOut, PatchLead, SPEC};
use super::validate::check;
use super::{ENTITY, moves, store};
use crate::actor::Actor;
use crate::custom_fields;
use crate::db::{self, TenantTx};
use crate::error::{DomainError, DomainResult};
use crate::lists::CursorKey;
use crate::records::fields::Problems;
use crate::records::kernel::Resource;
use crate::records::list::Listing;
use crate::records::visibility;
use crate::tags::store as tags;

/// Leads in the record kernel.
pub struct Leads;

pub(super) const PEOPLE: &[&str] = &["assigned_to", "created_by"];

pub(super) static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: super::model::COLUMNS,
    entity_type: ENTITY,
    people: PEOPLE,
    searchable: true,
};

pub(super) async fn with_tags(tx: &TenantTx, leads: Vec<Lead>) -> DomainResult<Vec<LeadOut>> {
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

pub(super) async fn load(tx: &TenantTx, ctx: &Actor, id: Uuid) -> DomainResult<LeadOut> {
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

impl Resource for Leads {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "leads";
    type Row = Lead;
    type Out = LeadOut;
    type Create = CreateLead;
    type Patch = PatchLead;

    fn listing() -> &'static Listing {
        &LISTING
    }

    fn cursor(l: &Lead) -> CursorKey {
        cursor_key(l)
    }

    async fn present(tx: &TenantTx, rows: Vec<Lead>) -> DomainResult<Vec<LeadOut>> {
        with_tags(tx, rows).await
    }

    fn id(out: &LeadOut) -> Uuid {
        out.lead.id
    }

    fn version(out: &LeadOut) -> i64 {
        out.lead.version
    }

    fn assignees(out: &LeadOut) -> Vec<Uuid> {
        out.lead.assigned_to.into_iter().collect()
    }

    fn label(out: &LeadOut) -> String {
        out.lead.title.clone()
    }

    fn people(out: &LeadOut) -> Vec<Option<Uuid>> {
        vec![out.lead.assigned_to, out.lead.created_by]
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<LeadOut>> {
        match load(tx, actor, id).await {
            Ok(out) => Ok(Some(out)),
            Err(DomainError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// It lands at the end of its stage's column.
    async fn insert(tx: &TenantTx, actor: &Actor, body: CreateLead) -> DomainResult<Uuid> {
        let stage = moves::initial_stage(tx, body.pipeline_id, body.stage_id).await?;
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
            position: store::end_of_column(tx, stage.id).await?,
            status: "open".into(),
            lost_reason: body.lost_reason.clone(),
            estimated_value: body.estimated_value,
            currency: match body.currency.clone() {
                Some(c) => c,
                None => crate::organizations::store::default_currency(tx).await?,
            },
            probability: body.probability.or(Some(stage.probability)),
            expected_close_date: body.expected_close_date,
            source: body.source.clone().unwrap_or_else(|| "manual".into()),
            score: body.score,
            assigned_to: body.assigned_to.or(actor.user_id()),
            last_contact_at: None,
            last_contact_channel: None,
            closed_at: None,
            converted_at: None,
            custom_fields: serde_json::json!({}),
            created_by: actor.user_id(),
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
        check(tx, actor, &mut lead, None, &mut problems).await?;
        let tag_names = problems.take(tags::parse_names("tags", &body.tags));
        problems.finish()?;
        let values = body
            .custom_fields
            .clone()
            .unwrap_or_else(|| serde_json::json!({}));
        lead.custom_fields = custom_fields::validate(tx, ENTITY, &values).await?;
        store::insert(tx, &lead).await?;
        tags::set_for_record(tx, ENTITY, lead.id, &tag_names.unwrap_or_default()).await?;
        Ok(lead.id)
    }

    async fn update(
        tx: &TenantTx,
        actor: &Actor,
        before: &LeadOut,
        body: PatchLead,
    ) -> DomainResult<bool> {
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
        check(tx, actor, &mut l, Some(&before.lead), &mut problems).await?;
        let tag_names = match &body.tags {
            Some(t) => problems.take(tags::parse_names("tags", t)),
            None => None,
        };
        problems.finish()?;
        if let Some(p) = &body.custom_fields {
            l.custom_fields =
                custom_fields::validate_patch(tx, ENTITY, &l.custom_fields, p).await?;
        }
        if !store::update(tx, &l).await? {
            return Ok(false);
        }
        if let Some(names) = tag_names {
            tags::set_for_record(tx, ENTITY, l.id, &names).await?;
        }
        Ok(true)
    }

    async fn remove(tx: &TenantTx, _actor: &Actor, before: &LeadOut) -> DomainResult<()> {
        Ok(store::delete(tx, before.lead.id).await?)
    }
}
