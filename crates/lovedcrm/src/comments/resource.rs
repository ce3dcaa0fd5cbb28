//! What is a comment's own in the record kernel: like a note it is seen
//! through its target and mirrored on its timeline; its @mentions notify
//! members who can see the target, and only its author edits it.

use serde_json::json;
use uuid::Uuid;

use super::model::{COLUMNS, Comment, CreateComment, ENTITY, MAX_BODY, PatchComment, SPEC};
use super::{events, mentions, store};
use crate::actor::Actor;
use crate::db::{self, TenantTx};
use crate::error::{DomainError, DomainResult};
use crate::lists::{CursorKey, ListQuery};
use crate::notes::listing;
use crate::notes::target::{self, Target};
use crate::realtime::{Event, to_payload};
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

/// The timeline activity a comment on a lead, contact or company shows as.
const ACTIVITY: &str = "comment_added";

/// Comments in the record kernel.
pub struct Comments;

fn activity_data(c: &Comment) -> serde_json::Value {
    json!({"comment_id": c.id, "excerpt": target::excerpt(&c.body)})
}

fn target_of(c: &Comment) -> DomainResult<Target> {
    c.target().ok_or(DomainError::NotFound(ENTITY))
}

/// Tells `users` that `comment` mentions them, in the change's transaction.
async fn mention(
    tx: &TenantTx,
    actor: &Actor,
    comment: &Comment,
    target: Target,
    label: &str,
    users: &[Uuid],
) -> DomainResult<()> {
    let sent = mentions::notify(tx, comment, target, label, users).await?;
    events::record(tx, actor.user_id(), events::notified(&sent)).await
}

impl Resource for Comments {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "comments";
    type Row = Comment;
    type Out = Comment;
    type Create = CreateComment;
    type Patch = PatchComment;

    fn listing() -> &'static Listing {
        &LISTING
    }

    /// A `sales` member sees the comments on the records they see.
    async fn fetch(
        tx: &TenantTx,
        actor: &Actor,
        query: &ListQuery,
    ) -> DomainResult<(Vec<Comment>, Option<u64>)> {
        let backend = sea_orm::ConnectionTrait::get_database_backend(&**tx);
        let visible = target::list_condition(actor, backend, "comments");
        listing::fetch::<Comment>(tx, &SPEC, COLUMNS, query, visible.into_iter().collect()).await
    }

    fn cursor(c: &Comment) -> CursorKey {
        CursorKey::new(c.id)
            .with("created_at", c.created_at)
            .with("updated_at", c.updated_at)
    }

    async fn present(_tx: &TenantTx, rows: Vec<Comment>) -> DomainResult<Vec<Comment>> {
        Ok(rows)
    }

    fn id(c: &Comment) -> Uuid {
        c.id
    }

    fn version(c: &Comment) -> i64 {
        c.version
    }

    fn people(c: &Comment) -> Vec<Option<Uuid>> {
        vec![c.created_by]
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<Comment>> {
        let Some(comment) = store::get(tx, id).await? else {
            return Ok(None);
        };
        let Some(target) = comment.target() else {
            return Ok(None);
        };
        Ok(target.visible(tx, actor).await?.then_some(comment))
    }

    async fn insert(tx: &TenantTx, actor: &Actor, input: CreateComment) -> DomainResult<Uuid> {
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
                "validated comment without a target or body",
            ));
        };
        let mentioned = mentions::collect(&text, &input.mentions);
        let seen = target.require(tx, actor).await?;
        mentions::check_members(tx, &mentioned).await?;
        mentions::check_can_see(tx, target, &mentioned).await?;
        let now = db::now();
        let [lead_id, contact_id, company_id, project_id, task_id] = target.ids();
        let comment = Comment {
            id: Uuid::now_v7(),
            organization_id: tx.org_id(),
            lead_id,
            contact_id,
            company_id,
            project_id,
            task_id,
            body: text,
            mentions: json!(mentioned),
            created_by: actor.user_id(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        store::insert(tx, &comment).await?;
        if let Some(on) = target.on() {
            activities::record(tx, on, ACTIVITY, actor.user_id(), activity_data(&comment)).await?;
        }
        mention(tx, actor, &comment, target, &seen.label, &mentioned).await?;
        if let Some(lead) = comment.lead_id {
            let what = format!("commented on the lead {}", seen.label);
            crate::followers::notify(tx, actor, lead, &what, &mentioned).await?;
        }
        Ok(comment.id)
    }

    /// Mentions are recomputed from the text; only members not mentioned
    /// before are notified.
    async fn update(
        tx: &TenantTx,
        actor: &Actor,
        before: &Comment,
        patch: PatchComment,
    ) -> DomainResult<bool> {
        let mut comment = before.clone();
        if let Some(body) = patch.body {
            comment.body = target::body_text("body", body, MAX_BODY)
                .map_err(|e| DomainError::Validation(vec![e]))?;
        }
        let extra = patch.mentions.unwrap_or_default();
        let mentioned = mentions::collect(&comment.body, &extra);
        mentions::check_members(tx, &mentioned).await?;
        comment.mentions = json!(mentioned);
        if !store::update(tx, &comment).await? {
            return Ok(false);
        }
        let target = target_of(before)?;
        let already = before.mentioned();
        let new: Vec<Uuid> = mentioned
            .into_iter()
            .filter(|u| !already.contains(u))
            .collect();
        if !new.is_empty() {
            let label = target.require_visible(tx, actor).await?;
            mentions::check_can_see(tx, target, &new).await?;
            mention(tx, actor, &comment, target, &label, &new).await?;
        }
        let data = activity_data(&comment);
        target::sync_activity(tx, target, ACTIVITY, "comment_id", comment.id, Some(data)).await?;
        Ok(true)
    }

    /// With its timeline entry and the mention notifications it sent.
    async fn remove(tx: &TenantTx, _actor: &Actor, before: &Comment) -> DomainResult<()> {
        let target = target_of(before)?;
        store::delete(tx, before.id).await?;
        target::sync_activity(tx, target, ACTIVITY, "comment_id", before.id, None).await?;
        crate::notifications::delete_where_data(
            tx,
            mentions::KIND,
            target.id,
            "comment_id",
            before.id,
        )
        .await?;
        Ok(())
    }

    /// Only its author edits it; its author or a manager deletes it.
    fn change_rule(actor: &Actor, c: &Comment, change: Change) -> Option<DomainResult<()>> {
        Some(match change {
            Change::Update if c.created_by.is_some_and(|a| actor.is(a)) => Ok(()),
            Change::Update => Err(DomainError::Forbidden(
                "only the author may edit a comment".into(),
            )),
            Change::Delete => target::author_or_manager(actor, c.created_by, "delete this comment"),
        })
    }

    /// Heard of by whoever sees its target.
    async fn event(tx: &TenantTx, actor: &Actor, what: &str, c: &Comment) -> DomainResult<Event> {
        let target = target_of(c)?;
        let seen = target.require(tx, actor).await?;
        events::about_target(
            tx,
            &format!("{ENTITY}.{what}"),
            ENTITY,
            c.id,
            to_payload(c),
            target,
            &seen,
        )
        .await
    }
}
