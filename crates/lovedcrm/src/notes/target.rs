//! The record a note, comment or share is about, and whether the caller may
//! see it (SPEC §2): `sales` see what they own, are assigned to or was shared
//! with them; every other role sees everything.
//!
//! The rules are written against the tables themselves (not the modules of
//! each record type) so notes, comments and shares work the same for every
//! record that has them.

use sea_orm::DbBackend;
use sea_orm::sea_query::SimpleExpr;
use serde_json::Value as Json;
use uuid::Uuid;

use crate::actor::Actor;
use crate::db::{self, DbErr, Row, TenantTx};
use crate::error::{DomainError, FieldError};
use crate::organizations::Role;
use crate::records::fields::{self, Problems};
use crate::timeline::activities::On;

/// A kind of record notes, comments and shares can be attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Lead,
    Contact,
    Company,
    Project,
    Task,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Lead,
        Kind::Contact,
        Kind::Company,
        Kind::Project,
        Kind::Task,
    ];

    /// The `entity_type` used in shares, tags, audit and notifications.
    pub fn entity(self) -> &'static str {
        match self {
            Kind::Lead => "lead",
            Kind::Contact => "contact",
            Kind::Company => "company",
            Kind::Project => "project",
            Kind::Task => "task",
        }
    }

    pub fn parse(entity: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.entity() == entity)
    }

    /// The entity types, comma-separated, for error messages.
    pub fn names() -> String {
        Kind::ALL.map(Kind::entity).join(", ")
    }

    pub fn table(self) -> &'static str {
        match self {
            Kind::Lead => "leads",
            Kind::Contact => "contacts",
            Kind::Company => "companies",
            Kind::Project => "projects",
            Kind::Task => "tasks",
        }
    }

    /// The column naming a record of this kind on notes and comments.
    pub fn column(self) -> &'static str {
        match self {
            Kind::Lead => "lead_id",
            Kind::Contact => "contact_id",
            Kind::Company => "company_id",
            Kind::Project => "project_id",
            Kind::Task => "task_id",
        }
    }

    /// The columns of a member the record belongs to, which make it visible
    /// to a `sales` member.
    fn people(self) -> &'static [&'static str] {
        match self {
            Kind::Lead => &["assigned_to", "created_by"],
            Kind::Task => &["assignee_id", "created_by"],
            _ => &["owner_id", "created_by"],
        }
    }

    /// The column of the member responsible for the record (owner or assignee).
    fn responsible(self) -> &'static str {
        match self {
            Kind::Lead => "assigned_to",
            Kind::Task => "assignee_id",
            _ => "owner_id",
        }
    }

    fn label_column(self) -> &'static str {
        if self == Kind::Lead { "title" } else { "name" }
    }

    /// "Lead", "Contact"… for notification titles.
    pub fn display(self) -> &'static str {
        match self {
            Kind::Lead => "Lead",
            Kind::Contact => "Contact",
            Kind::Company => "Company",
            Kind::Project => "Project",
            Kind::Task => "Task",
        }
    }

    /// The condition (on this kind's table) a `sales` member must meet, with
    /// every placeholder taken from `next` and bound to the caller's id.
    fn clause(self, next: &mut dyn FnMut() -> String) -> String {
        let t = self.table();
        let mut parts: Vec<String> = self
            .people()
            .iter()
            .map(|c| format!("{t}.{c} = {}", next()))
            .collect();
        parts.push(format!(
            "{t}.id IN (SELECT s.record_id FROM record_shares s WHERE s.organization_id = {t}.organization_id \
             AND s.entity_type = '{}' AND s.user_id = {})",
            self.entity(),
            next()
        ));
        if self == Kind::Project {
            parts.push(format!(
                "EXISTS (SELECT 1 FROM project_assignees pa WHERE pa.organization_id = projects.organization_id \
                 AND pa.project_id = projects.id AND pa.user_id = {})",
                next()
            ));
        }
        format!("({})", parts.join(" OR "))
    }
}

/// One record of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub kind: Kind,
    pub id: Uuid,
}

/// What the caller may know of a visible target.
#[derive(Debug, Row)]
pub struct Seen {
    /// The display label ("Acme deal").
    pub label: String,
    /// The member responsible for it (owner or assignee).
    pub responsible: Option<Uuid>,
    pub created_by: Option<Uuid>,
}

#[derive(Row)]
struct Name {
    name: String,
}

impl Target {
    /// The one target of a request's `lead_id, contact_id, company_id,
    /// project_id, task_id` (in [`Kind::ALL`] order): exactly one is
    /// required, otherwise the problem is added to `problems`.
    pub fn from_ids(ids: [Option<Uuid>; 5], problems: &mut Problems) -> Option<Target> {
        let given: Vec<Target> = Kind::ALL
            .into_iter()
            .zip(ids)
            .filter_map(|(kind, id)| id.map(|id| Target { kind, id }))
            .collect();
        let fields = Kind::ALL.map(Kind::column).join(", ");
        match given.as_slice() {
            [one] => return Some(*one),
            [] => problems.push("target", format!("give exactly one of {fields}")),
            many => {
                for t in many {
                    problems.push(t.kind.column(), format!("give only one of {fields}"));
                }
            }
        }
        None
    }

    /// The target of a stored note or comment row.
    pub fn from_row(ids: [Option<Uuid>; 5]) -> Option<Target> {
        Kind::ALL
            .into_iter()
            .zip(ids)
            .find_map(|(kind, id)| id.map(|id| Target { kind, id }))
    }

    /// The five target columns of a row, in [`Kind::ALL`] order.
    pub fn ids(self) -> [Option<Uuid>; 5] {
        Kind::ALL.map(|k| (k == self.kind).then_some(self.id))
    }

    /// Where a timeline activity about the target shows up, if it has a timeline.
    pub fn on(self) -> Option<On> {
        let mut on = On::default();
        match self.kind {
            Kind::Lead => on.lead_id = Some(self.id),
            Kind::Contact => on.contact_id = Some(self.id),
            Kind::Company => on.company_id = Some(self.id),
            Kind::Project | Kind::Task => return None,
        }
        Some(on)
    }

    async fn find(self, tx: &TenantTx, ctx: &Actor) -> Result<Option<Seen>, DbErr> {
        let k = self.kind;
        let t = k.table();
        let mut values: Vec<sea_orm::Value> = vec![tx.org_id().into(), self.id.into()];
        let condition = if ctx.role() == Role::Sales {
            let mut n = 2;
            let clause = k.clause(&mut || {
                n += 1;
                format!("${n}")
            });
            values.extend(std::iter::repeat_n(ctx.user_id().into(), n - 2));
            clause
        } else {
            "TRUE".into()
        };
        db::fetch_one(
            &**tx,
            &format!(
                "SELECT {t}.{} AS label, {t}.{} AS responsible, {t}.created_by FROM {t} \
                 WHERE {t}.organization_id = $1 AND {t}.id = $2 AND {condition}",
                k.label_column(),
                k.responsible()
            ),
            values,
        )
        .await
    }

    /// The target's display label ("Acme deal"); 404 when it does not exist
    /// in this organization or the caller may not see it.
    pub async fn require_visible(
        self,
        tx: &TenantTx,
        actor: &Actor,
    ) -> Result<String, DomainError> {
        Ok(self.require(tx, actor).await?.label)
    }

    /// Whether `actor` may see the target, for checks that report through
    /// `Problems` (database errors only).
    pub async fn seen_by(self, tx: &TenantTx, actor: &Actor) -> Result<bool, DbErr> {
        Ok(self.find(tx, actor).await?.is_some())
    }

    /// Whether `actor` (the caller, or a member about to be told of it) may
    /// see the target.
    pub async fn visible(self, tx: &TenantTx, ctx: &Actor) -> Result<bool, DomainError> {
        Ok(self.find(tx, ctx).await?.is_some())
    }

    /// The target as the caller sees it, with 404 when it does not exist
    /// in this organization or the caller may not see it.
    pub async fn require(self, tx: &TenantTx, actor: &Actor) -> Result<Seen, DomainError> {
        self.find(tx, actor)
            .await?
            .ok_or(DomainError::NotFound(self.kind.entity()))
    }
}

/// For `sales` callers, the condition limiting rows of `table` (notes,
/// comments: one nullable column per kind) to those whose target they may
/// see; `None` for roles that see everything.
pub fn list_condition(actor: &Actor, backend: DbBackend, table: &str) -> Option<SimpleExpr> {
    if actor.role() != Role::Sales {
        return None;
    }
    let mut count = 0;
    let parts: Vec<String> = Kind::ALL
        .into_iter()
        .map(|k| {
            let t = k.table();
            let clause = k.clause(&mut || {
                count += 1;
                "?".to_string()
            });
            format!(
                "{table}.{} IN (SELECT {t}.id FROM {t} WHERE {t}.organization_id = {table}.organization_id AND {clause})",
                k.column()
            )
        })
        .collect();
    let values = vec![actor.user_id().into(); count];
    Some(crate::records::custom(
        backend,
        &format!("({})", parts.join(" OR ")),
        values,
    ))
}

/// A member's display name (for notification titles).
pub async fn user_name(tx: &TenantTx, user_id: Uuid) -> Result<String, DbErr> {
    let row: Option<Name> = db::fetch_one(
        &**tx,
        "SELECT name FROM users WHERE id = $1",
        vec![user_id.into()],
    )
    .await?;
    Ok(row.map(|r| r.name).unwrap_or_else(|| "Someone".into()))
}

/// Required text such as a note's body: trimmed, not empty, at most `max` characters.
pub fn body_text(field: &str, value: String, max: usize) -> Result<String, FieldError> {
    fields::text(field, Some(value), max)?
        .ok_or_else(|| FieldError::new(field, "must not be empty"))
}

/// Fails with 403 unless the caller wrote the record (`author`) or is a
/// manager or above.
pub fn author_or_manager(
    actor: &Actor,
    author: Option<Uuid>,
    action: &str,
) -> Result<(), DomainError> {
    if author.is_some_and(|a| actor.is(a)) || actor.role().at_least(Role::Manager) {
        return Ok(());
    }
    Err(DomainError::Forbidden(format!(
        "only the author or a manager may {action}"
    )))
}

/// The first 200 characters of a text, for timelines and notifications.
pub fn excerpt(body: &str) -> String {
    body.chars().take(200).collect()
}

/// Rewrites (`Some`) or removes (`None`) the timeline activity of `kind`
/// whose data names `key` = `id` (e.g. the `note_added` of a note).
pub async fn sync_activity(
    tx: &TenantTx,
    target: Target,
    kind: &str,
    key: &str,
    id: Uuid,
    data: Option<Json>,
) -> Result<(), DbErr> {
    if target.on().is_none() {
        return Ok(());
    }
    let column = target.kind.column();
    let filter = format!(
        "WHERE organization_id = $1 AND {column} = $2 AND kind = $3 AND data ->> '{key}' = $4"
    );
    let mut values: Vec<sea_orm::Value> = vec![
        tx.org_id().into(),
        target.id.into(),
        kind.into(),
        id.to_string().into(),
    ];
    let sql = match data {
        Some(data) => {
            values.push(data.into());
            format!("UPDATE activities SET data = $5 {filter}")
        }
        None => format!("DELETE FROM activities {filter}"),
    };
    db::exec(&**tx, &sql, values).await?;
    Ok(())
}
