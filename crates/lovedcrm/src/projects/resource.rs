//! What is a project's own in the record kernel.

use uuid::Uuid;

use super::ENTITY;
use super::access;
use super::model::{CreateProject, PatchProject, Project, ProjectOut, ProjectStatus, SPEC};
use super::store;
use crate::actor::Actor;
use crate::custom_fields;
use crate::db::{self, TenantTx};
use crate::error::DomainResult;
use crate::lists::{CursorKey, ListQuery};
use crate::notes::target::Kind;
use crate::records::fields::{self, Problems};
use crate::records::kernel::Resource;
use crate::records::list::Listing;
use crate::tags::store as tags;

const MAX_ASSIGNEES: usize = 100;

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: super::model::COLUMNS,
    entity_type: ENTITY,
    people: &["owner_id", "created_by"],
    searchable: true,
};

/// Projects in the record kernel. A `sales` member also sees the projects
/// they are assigned to.
pub struct Projects;

/// Adds tags, assignees and task counts (three queries for any number of projects).
async fn details(tx: &TenantTx, projects: Vec<Project>) -> DomainResult<Vec<ProjectOut>> {
    let ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
    let mut names = tags::names_for(tx, ENTITY, &ids).await?;
    let mut assignees = store::assignees_for(tx, &ids).await?;
    let counts = store::task_counts(tx, &ids).await?;
    Ok(projects
        .into_iter()
        .map(|p| ProjectOut {
            tags: names.remove(&p.id).unwrap_or_default(),
            assignee_ids: assignees.remove(&p.id).unwrap_or_default(),
            task_count: counts.get(&p.id).map_or(0, |c| c.task_count),
            open_task_count: counts.get(&p.id).map_or(0, |c| c.open_task_count),
            project: p,
        })
        .collect())
}

async fn fetch_one(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> DomainResult<Option<ProjectOut>> {
    let Some(project) = store::get(tx, id, visible).await? else {
        return Ok(None);
    };
    Ok(details(tx, vec![project]).await?.pop())
}

/// Validates and normalizes everything but assignees, custom fields and tags.
async fn check(
    tx: &TenantTx,
    actor: &Actor,
    p: &mut Project,
    before: Option<&Project>,
    problems: &mut Problems,
) -> DomainResult<()> {
    match problems.take(fields::text("name", Some(std::mem::take(&mut p.name)), 200)) {
        Some(Some(name)) => p.name = name,
        Some(None) => problems.push("name", "is required"),
        None => {}
    }
    p.description = problems
        .take(fields::text("description", p.description.take(), 10_000))
        .flatten();
    p.due_date = problems
        .take(fields::date("due_date", p.due_date))
        .flatten();
    let had = before.and_then(|b| b.company_id);
    fields::reference(
        tx,
        actor,
        problems,
        "company_id",
        Kind::Company,
        p.company_id,
        had,
    )
    .await?;
    fields::member(tx, problems, "owner_id", p.owner_id).await?;
    Ok(())
}

/// Members only, without repeats, sorted.
async fn check_assignees(
    tx: &TenantTx,
    problems: &mut Problems,
    mut ids: Vec<Uuid>,
) -> DomainResult<Vec<Uuid>> {
    ids.sort();
    ids.dedup();
    if ids.len() > MAX_ASSIGNEES {
        problems.push("assignee_ids", format!("at most {MAX_ASSIGNEES} assignees"));
        return Ok(ids);
    }
    let strangers = store::non_members(tx, &ids).await?;
    if !strangers.is_empty() {
        let list = strangers
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        problems.push(
            "assignee_ids",
            format!("not members of this organization: {list}"),
        );
    }
    Ok(ids)
}

impl Resource for Projects {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "projects";
    type Row = Project;
    type Out = ProjectOut;
    type Create = CreateProject;
    type Patch = PatchProject;

    fn listing() -> &'static Listing {
        &LISTING
    }

    async fn fetch(
        tx: &TenantTx,
        actor: &Actor,
        query: &ListQuery,
    ) -> DomainResult<(Vec<Project>, Option<u64>)> {
        access::fetch(tx, actor, query).await
    }

    fn cursor(p: &Project) -> CursorKey {
        CursorKey::new(p.id)
            .with("name", p.name.clone())
            .with("due_date", p.due_date)
            .with("created_at", p.created_at)
            .with("updated_at", p.updated_at)
            .with_json(custom_fields::listing::COLUMN, &p.custom_fields)
    }

    async fn present(tx: &TenantTx, rows: Vec<Project>) -> DomainResult<Vec<ProjectOut>> {
        details(tx, rows).await
    }

    fn id(out: &ProjectOut) -> Uuid {
        out.project.id
    }

    fn version(out: &ProjectOut) -> i64 {
        out.project.version
    }

    fn assignees(out: &ProjectOut) -> Vec<Uuid> {
        out.assignee_ids.clone()
    }

    fn label(out: &ProjectOut) -> String {
        out.project.name.clone()
    }

    fn people(out: &ProjectOut) -> Vec<Option<Uuid>> {
        let mut people = vec![out.project.owner_id, out.project.created_by];
        people.extend(out.assignee_ids.iter().copied().map(Some));
        people
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<ProjectOut>> {
        fetch_one(tx, id, access::sql(actor, 3)).await
    }

    /// Unfiltered: a write may take the project out of its writer's sight
    /// (unassigning themselves).
    async fn reload(tx: &TenantTx, _actor: &Actor, id: Uuid) -> DomainResult<Option<ProjectOut>> {
        fetch_one(tx, id, ("TRUE".into(), Vec::new())).await
    }

    async fn insert(tx: &TenantTx, actor: &Actor, body: CreateProject) -> DomainResult<Uuid> {
        let now = db::now();
        let mut project = Project {
            id: Uuid::now_v7(),
            organization_id: tx.org_id(),
            name: body.name.clone().unwrap_or_default(),
            description: body.description.clone(),
            status: body
                .status
                .unwrap_or(ProjectStatus::Planned)
                .as_str()
                .to_string(),
            company_id: body.company_id,
            due_date: body.due_date,
            owner_id: body.owner_id.or(actor.user_id()),
            custom_fields: serde_json::json!({}),
            created_by: actor.user_id(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut problems = Problems::default();
        check(tx, actor, &mut project, None, &mut problems).await?;
        let assignees = check_assignees(tx, &mut problems, body.assignee_ids.clone()).await?;
        let tag_names = problems.take(tags::parse_names("tags", &body.tags));
        problems.finish()?;
        let values = body
            .custom_fields
            .clone()
            .unwrap_or_else(|| serde_json::json!({}));
        project.custom_fields = custom_fields::validate(tx, ENTITY, &values).await?;
        store::insert(tx, &project).await?;
        store::set_assignees(tx, project.id, &assignees).await?;
        tags::set_for_record(tx, ENTITY, project.id, &tag_names.unwrap_or_default()).await?;
        Ok(project.id)
    }

    async fn update(
        tx: &TenantTx,
        actor: &Actor,
        before: &ProjectOut,
        body: PatchProject,
    ) -> DomainResult<bool> {
        let mut p = before.project.clone();
        let mut problems = Problems::default();
        if let Some(v) = body.name {
            p.name = v.unwrap_or_default();
        }
        if let Some(v) = body.description {
            p.description = v;
        }
        match body.status {
            Some(Some(status)) => p.status = status.as_str().to_string(),
            Some(None) => problems.push("status", "cannot be null"),
            None => {}
        }
        if let Some(v) = body.company_id {
            p.company_id = v;
        }
        if let Some(v) = body.due_date {
            p.due_date = v;
        }
        if let Some(v) = body.owner_id {
            p.owner_id = v;
        }
        check(tx, actor, &mut p, Some(&before.project), &mut problems).await?;
        let assignees = match body.assignee_ids {
            Some(ids) => Some(check_assignees(tx, &mut problems, ids.unwrap_or_default()).await?),
            None => None,
        };
        let tag_names = match &body.tags {
            Some(t) => problems.take(tags::parse_names("tags", t)),
            None => None,
        };
        problems.finish()?;
        if let Some(patch) = &body.custom_fields {
            p.custom_fields =
                custom_fields::validate_patch(tx, ENTITY, &p.custom_fields, patch).await?;
        }
        if !store::update(tx, &p).await? {
            return Ok(false);
        }
        if let Some(users) = assignees {
            store::set_assignees(tx, p.id, &users).await?;
        }
        if let Some(names) = tag_names {
            tags::set_for_record(tx, ENTITY, p.id, &names).await?;
        }
        Ok(true)
    }

    async fn remove(tx: &TenantTx, _actor: &Actor, before: &ProjectOut) -> DomainResult<()> {
        Ok(store::delete(tx, before.project.id).await?)
    }
}
