//! What is a communication's own in the record kernel. A communication is
//! seen through its lead or its contact, has no owner of its own, and tells
//! the people of its lead and contact about itself.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::SimpleExpr;
use serde_json::{Value as Json, json};
use uuid::Uuid;

use super::ENTITY;
use super::model::{
    CHANNELS, COLUMNS, Communication, CreateCommunication, DIRECTIONS, PatchCommunication, SPEC,
    STATUSES,
};
use crate::actor::Actor;
use crate::db::{self, TenantTx};
use crate::error::{DomainError, DomainResult};
use crate::lists::{CursorKey, ListQuery};
use crate::organizations::Role;
use crate::realtime::{Event, communication_event};
use crate::records::fields::{self, Problems};
use crate::records::kernel::{Change, Resource};
use crate::records::list::Listing;
use crate::records::{custom, visibility};

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: COLUMNS,
    entity_type: ENTITY,
    people: &[],
    searchable: false,
};

const LEAD_PEOPLE: &[&str] = &["assigned_to", "created_by"];
const CONTACT_PEOPLE: &[&str] = &["owner_id", "created_by"];

/// Communications in the record kernel.
pub struct Communications;

/// A `sales` member sees the communications of the leads and contacts they see.
fn visible(actor: &Actor, backend: sea_orm::DbBackend) -> Option<SimpleExpr> {
    let me: sea_orm::Value = actor.user_id()?.into();
    if actor.role() != Role::Sales {
        return None;
    }
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

/// The lead `id` if the actor sees it: its contact, if it has one.
async fn seen_lead(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<Option<Uuid>>> {
    let sight = visibility::sql(actor, "leads", "lead", LEAD_PEOPLE, 3);
    let lead = crate::leads::store::get(tx, id, sight).await?;
    Ok(lead.map(|l| l.contact_id))
}

async fn contact_visible(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<bool> {
    let (condition, mut extra) = visibility::sql(actor, "contacts", "contact", CONTACT_PEOPLE, 3);
    let mut values = vec![tx.org_id().into(), id.into()];
    values.append(&mut extra);
    #[derive(db::Row)]
    struct One {
        #[allow(dead_code)]
        n: i64,
    }
    let row: Option<One> = db::fetch_one(
        &**tx,
        &format!(
            "SELECT CAST(1 AS BIGINT) AS n FROM contacts \
             WHERE organization_id = $1 AND id = $2 AND {condition}"
        ),
        values,
    )
    .await?;
    Ok(row.is_some())
}

fn one_of(problems: &mut Problems, field: &str, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        problems.push(field, format!("must be one of: {}", allowed.join(", ")));
    }
}

/// A new communication from `input`, validated; its lead and contact are
/// checked by the caller.
fn validate(
    tx: &TenantTx,
    actor: &Actor,
    input: CreateCommunication,
) -> DomainResult<Communication> {
    let mut problems = Problems::default();
    one_of(&mut problems, "channel", &input.channel, CHANNELS);
    let direction = input.direction.unwrap_or_else(|| {
        if input.channel == "note" {
            "internal"
        } else {
            "outbound"
        }
        .into()
    });
    one_of(&mut problems, "direction", &direction, DIRECTIONS);
    let status = input.status.unwrap_or_else(|| {
        if direction == "inbound" {
            "delivered"
        } else {
            "sent"
        }
        .into()
    });
    one_of(&mut problems, "status", &status, STATUSES);
    let subject = problems
        .take(fields::text("subject", input.subject, 500))
        .flatten();
    let content = problems
        .take(fields::text("content", input.content, 100_000))
        .flatten();
    let provider = problems
        .take(fields::text("provider", input.provider, 50))
        .flatten()
        .unwrap_or_else(|| "manual".into());
    let external_id = problems
        .take(fields::text("external_id", input.external_id, 500))
        .flatten();
    let metadata = input.metadata.unwrap_or_else(|| json!({}));
    if !metadata.is_object() {
        problems.push("metadata", "must be an object");
    }
    let attachments = input.attachments.unwrap_or_else(|| json!([]));
    if !attachments
        .as_array()
        .is_some_and(|a| a.iter().all(Json::is_object))
    {
        problems.push("attachments", "must be a list of objects");
    }
    if input.lead_id.is_none() && input.contact_id.is_none() {
        problems.push("lead_id", "give a lead_id or a contact_id");
    }
    problems.finish()?;
    let now = db::now();
    Ok(Communication {
        id: Uuid::now_v7(),
        organization_id: tx.org_id(),
        lead_id: input.lead_id,
        contact_id: input.contact_id,
        channel: input.channel,
        direction,
        subject,
        content,
        metadata,
        attachments,
        provider,
        external_id,
        status,
        sent_at: chrono::SubsecRound::trunc_subsecs(input.sent_at.unwrap_or(now), 6),
        created_by: actor.user_id(),
        created_at: now,
        updated_at: now,
        version: 1,
    })
}

async fn store(tx: &TenantTx, c: &Communication) -> DomainResult<()> {
    let inserted = db::exec(
        &**tx,
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
        Err(e) if db::is_unique_violation(&e) => Err(DomainError::Conflict {
            code: "duplicate_communication",
            detail: "a communication with this provider and external_id is already logged".into(),
        }),
        other => other.map(|_| ()).map_err(Into::into),
    }
}

impl Resource for Communications {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "communications";
    type Row = Communication;
    type Out = Communication;
    type Create = CreateCommunication;
    type Patch = PatchCommunication;

    fn listing() -> &'static Listing {
        &LISTING
    }

    async fn fetch(
        tx: &TenantTx,
        actor: &Actor,
        query: &ListQuery,
    ) -> DomainResult<(Vec<Communication>, Option<u64>)> {
        let more: Vec<SimpleExpr> = visible(actor, tx.get_database_backend())
            .into_iter()
            .collect();
        // A communication is seen through its lead or contact (`visible`),
        // never shared itself: the listing's own share rule would hide them
        // all from sales, so it runs without it and `more` carries the real one.
        let everyone = Actor::system(tx.org_id(), "communications");
        LISTING
            .fetch::<Communication>(tx, &everyone, query, more)
            .await
    }

    fn cursor(c: &Communication) -> CursorKey {
        CursorKey::new(c.id)
            .with("channel", c.channel.clone())
            .with("direction", c.direction.clone())
            .with("subject", c.subject.clone())
            .with("status", c.status.clone())
            .with("sent_at", c.sent_at)
            .with("created_at", c.created_at)
    }

    async fn present(_tx: &TenantTx, rows: Vec<Communication>) -> DomainResult<Vec<Communication>> {
        Ok(rows)
    }

    fn id(c: &Communication) -> Uuid {
        c.id
    }

    fn version(c: &Communication) -> i64 {
        c.version
    }

    fn people(c: &Communication) -> Vec<Option<Uuid>> {
        vec![c.created_by]
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<Communication>> {
        let row: Option<Communication> = db::fetch_one(
            &**tx,
            &format!("SELECT {COLUMNS} FROM communications WHERE organization_id = $1 AND id = $2"),
            vec![tx.org_id().into(), id.into()],
        )
        .await?;
        let Some(row) = row else { return Ok(None) };
        let through_lead = match row.lead_id {
            Some(lead) => seen_lead(tx, actor, lead).await?.is_some(),
            None => false,
        };
        let seen = through_lead
            || match row.contact_id {
                Some(contact) => contact_visible(tx, actor, contact).await?,
                None => false,
            };
        Ok(seen.then_some(row))
    }

    async fn insert(
        tx: &TenantTx,
        actor: &Actor,
        input: CreateCommunication,
    ) -> DomainResult<Uuid> {
        let given_contact = input.contact_id;
        let mut c = validate(tx, actor, input)?;
        // The caller must see the records it logs on.
        if let Some(lead_id) = c.lead_id {
            let lead_contact = seen_lead(tx, actor, lead_id).await?.ok_or_else(|| {
                DomainError::field("lead_id", "does not exist in this organization")
            })?;
            c.contact_id = c.contact_id.or(lead_contact);
        }
        if let Some(contact) = given_contact
            && !contact_visible(tx, actor, contact).await?
        {
            return Err(DomainError::field(
                "contact_id",
                "does not exist in this organization",
            ));
        }
        store(tx, &c).await?;
        if let Some(lead_id) = c.lead_id
            && c.channel != "note"
        {
            // Only a newer interaction moves the lead's "last contact".
            db::exec(
                &**tx,
                "UPDATE leads SET last_contact_at = $3, last_contact_channel = $4, updated_at = $5, \
                 version = version + 1 WHERE organization_id = $1 AND id = $2 \
                 AND (last_contact_at IS NULL OR last_contact_at <= $3)",
                vec![tx.org_id().into(), lead_id.into(), c.sent_at.into(), c.channel.clone().into(), db::now().into()],
            )
            .await?;
        }
        Ok(c.id)
    }

    async fn update(
        tx: &TenantTx,
        _actor: &Actor,
        before: &Communication,
        patch: PatchCommunication,
    ) -> DomainResult<bool> {
        let mut problems = Problems::default();
        let mut after = before.clone();
        if let Some(s) = patch.subject {
            after.subject = problems
                .take(fields::text("subject", Some(s), 500))
                .flatten();
        }
        if let Some(s) = patch.content {
            after.content = problems
                .take(fields::text("content", Some(s), 100_000))
                .flatten();
        }
        if let Some(s) = patch.status {
            one_of(&mut problems, "status", &s, STATUSES);
            after.status = s;
        }
        if let Some(m) = &patch.metadata {
            if m.is_object() {
                after.metadata = crate::custom_fields::merge(&before.metadata, m);
            } else {
                problems.push("metadata", "must be an object");
            }
        }
        problems.finish()?;
        let n = db::exec(
            &**tx,
            "UPDATE communications SET subject = $3, content = $4, status = $5, metadata = $6, \
             updated_at = $7, version = version + 1 \
             WHERE organization_id = $1 AND id = $2 AND version = $8",
            vec![
                tx.org_id().into(),
                before.id.into(),
                after.subject.into(),
                after.content.into(),
                after.status.into(),
                after.metadata.into(),
                db::now().into(),
                before.version.into(),
            ],
        )
        .await?;
        Ok(n == 1)
    }

    async fn remove(tx: &TenantTx, _actor: &Actor, before: &Communication) -> DomainResult<()> {
        db::exec(
            &**tx,
            "DELETE FROM communications WHERE organization_id = $1 AND id = $2",
            vec![tx.org_id().into(), before.id.into()],
        )
        .await?;
        Ok(())
    }

    /// Seen through its lead or contact, it has no people of its own:
    /// whoever may write and sees it may change it.
    fn change_rule(
        _actor: &Actor,
        _c: &Communication,
        _change: Change,
    ) -> Option<DomainResult<()>> {
        Some(Ok(()))
    }

    async fn event(
        tx: &TenantTx,
        _actor: &Actor,
        what: &str,
        c: &Communication,
    ) -> DomainResult<Event> {
        communication_event(tx, &format!("{ENTITY}.{what}"), c, c).await
    }

    /// A delivery status that changed is its own event (`communication.status`).
    async fn change_events(
        tx: &TenantTx,
        before: &Communication,
        after: &Communication,
    ) -> DomainResult<Vec<Event>> {
        if after.status == before.status {
            return Ok(Vec::new());
        }
        let status = json!({"id": after.id, "lead_id": after.lead_id, "contact_id": after.contact_id,
            "status": after.status, "previous_status": before.status, "version": after.version});
        Ok(vec![
            communication_event(tx, "communication.status", after, &status).await?,
        ])
    }
}
