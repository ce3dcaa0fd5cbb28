//! What is a note's own in the record kernel: it is seen through its target
//! (a lead, contact, company, project or task), changed by its author or a
//! manager, and mirrored on its target's timeline.

use serde_json::json;
use uuid::Uuid;

use super::model::{COLUMNS, CreateNote, ENTITY, MAX_BODY, Note, PatchNote, SPEC};
use super::target::{self, Target};
use super::{listing, store};
use crate::actor::Actor;
use crate::db::{self, TenantTx};
use crate::error::{DomainError, DomainResult};
use crate::lists::{CursorKey, ListQuery};
use crate::realtime::Event;
use crate::records::fields::Problems;
use crate::records::kernel::{Change, Resource};
use crate::records::list::Listing;
use crate::timeline::activities;

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: COLUMNS,
    entity_type: ENTITY,
    people: &[],
    searchable: false,
};

/// The timeline activity a note on a lead, contact or company shows as.
const ACTIVITY: &str = "note_added";

/// Notes in the record kernel.
pub struct Notes;

fn activity_data(note: &Note) -> serde_json::Value {
    json!({"note_id": note.id, "excerpt": target::excerpt(&note.body)})
}

fn target_of(note: &Note) -> DomainResult<Target> {
    note.target().ok_or(DomainError::NotFound(ENTITY))
}

impl Resource for Notes {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "notes";
    type Row = Note;
    type Out = Note;
    type Create = CreateNote;
    type Patch = PatchNote;

    fn listing() -> &'static Listing {
        &LISTING
    }

    /// A `sales` member sees the notes of the records they see.
    async fn fetch(
        tx: &TenantTx,
        actor: &Actor,
        query: &ListQuery,
    ) -> DomainResult<(Vec<Note>, Option<u64>)> {
        let backend = sea_orm::ConnectionTrait::get_database_backend(&**tx);
        let visible = target::list_condition(actor, backend, "notes");
        listing::fetch::<Note>(tx, &SPEC, COLUMNS, query, visible.into_iter().collect()).await
    }

    fn cursor(n: &Note) -> CursorKey {
        CursorKey::new(n.id)
            .with("created_at", n.created_at)
            .with("updated_at", n.updated_at)
    }

    async fn present(_tx: &TenantTx, rows: Vec<Note>) -> DomainResult<Vec<Note>> {
        Ok(rows)
    }

    fn id(n: &Note) -> Uuid {
        n.id
    }

    fn version(n: &Note) -> i64 {
        n.version
    }

    fn people(n: &Note) -> Vec<Option<Uuid>> {
        vec![n.created_by]
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<Note>> {
        let Some(note) = store::get(tx, id).await? else {
            return Ok(None);
        };
        let Some(target) = note.target() else {
            return Ok(None);
        };
        Ok(target.visible(tx, actor).await?.then_some(note))
    }

    async fn insert(tx: &TenantTx, actor: &Actor, input: CreateNote) -> DomainResult<Uuid> {
        let mut problems = Problems::default();
        let ids = [
            input.lead_id,
            input.contact_id,
            input.company_id,
            input.project_id,
            input.task_id,
        ];
        let target = Target::from_ids(ids, &mut problems);
        let text = problems.take(target::body_text("body", input.body, MAX_BODY));
        problems.finish()?;
        let (Some(target), Some(text)) = (target, text) else {
            return Err(DomainError::internal(
                "validated note without a target or body",
            ));
        };
        target.require_visible(tx, actor).await?;
        let now = db::now();
        let [lead_id, contact_id, company_id, project_id, task_id] = target.ids();
        let note = Note {
            id: Uuid::now_v7(),
            organization_id: tx.org_id(),
            lead_id,
            contact_id,
            company_id,
            project_id,
            task_id,
            body: text,
            created_by: actor.user_id(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        store::insert(tx, &note).await?;
        if let Some(on) = target.on() {
            activities::record(tx, on, ACTIVITY, actor.user_id(), activity_data(&note)).await?;
        }
        Ok(note.id)
    }

    async fn update(
        tx: &TenantTx,
        _actor: &Actor,
        before: &Note,
        patch: PatchNote,
    ) -> DomainResult<bool> {
        let mut note = before.clone();
        if let Some(body) = patch.body {
            note.body = target::body_text("body", body, MAX_BODY)
                .map_err(|e| DomainError::Validation(vec![e]))?;
        }
        if !store::update(tx, &note).await? {
            return Ok(false);
        }
        let data = activity_data(&note);
        target::sync_activity(
            tx,
            target_of(before)?,
            ACTIVITY,
            "note_id",
            note.id,
            Some(data),
        )
        .await?;
        Ok(true)
    }

    async fn remove(tx: &TenantTx, _actor: &Actor, before: &Note) -> DomainResult<()> {
        store::delete(tx, before.id).await?;
        target::sync_activity(tx, target_of(before)?, ACTIVITY, "note_id", before.id, None).await?;
        Ok(())
    }

    /// Its author or a manager and above, whoever else sees it.
    fn change_rule(actor: &Actor, n: &Note, change: Change) -> Option<DomainResult<()>> {
        let action = match change {
            Change::Update => "change this note",
            Change::Delete => "delete this note",
        };
        Some(target::author_or_manager(actor, n.created_by, action))
    }

    /// Heard of by whoever is responsible for its target or created it, and
    /// whoever the target is shared with.
    async fn event(tx: &TenantTx, actor: &Actor, what: &str, n: &Note) -> DomainResult<Event> {
        let target = target_of(n)?;
        let seen = target.require(tx, actor).await?;
        crate::comments::events::about_target(
            tx,
            &format!("{ENTITY}.{what}"),
            ENTITY,
            n.id,
            crate::realtime::to_payload(n),
            target,
            &seen,
        )
        .await
    }
}
