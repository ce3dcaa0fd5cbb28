//! What is a task's own in the record kernel, and the tasks of a project.

use chrono::SubsecRound;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::ENTITY;
use super::effects::{announce_completion, settle_completion, touch_projects};
use super::model::{CreateTask, PatchTask, SPEC, Task, TaskOut, TaskPriority, TaskStatus};
use super::store;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::calendar;
use crate::custom_fields;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::lists::{CursorKey, Page, page};
use crate::notes::target::Kind;
use crate::organizations::permissions::Permission;
use crate::records::fields::{self, Problems};
use crate::records::kernel::{self, Resource};
use crate::records::list::Listing;
use crate::records::visibility;
use crate::tags::store as tags;

const PEOPLE: &[&str] = &["assignee_id", "created_by"];

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: super::model::COLUMNS,
    entity_type: ENTITY,
    people: PEOPLE,
    searchable: true,
};

/// Tasks in the record kernel.
pub struct Tasks;

async fn with_tags(tx: &TenantTx, tasks: Vec<Task>) -> DomainResult<Vec<TaskOut>> {
    let ids: Vec<Uuid> = tasks.iter().map(|t| t.id).collect();
    let mut names = tags::names_for(tx, ENTITY, &ids).await?;
    Ok(tasks
        .into_iter()
        .map(|t| TaskOut {
            tags: names.remove(&t.id).unwrap_or_default(),
            task: t,
        })
        .collect())
}

async fn fetch_one(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> DomainResult<Option<TaskOut>> {
    let Some(task) = store::get(tx, id, visible).await? else {
        return Ok(None);
    };
    Ok(with_tags(tx, vec![task]).await?.pop())
}

/// Validates and normalizes everything but custom fields and tags.
async fn check(
    tx: &TenantTx,
    actor: &Actor,
    t: &mut Task,
    before: Option<&Task>,
    problems: &mut Problems,
) -> DomainResult<()> {
    match problems.take(fields::text("name", Some(std::mem::take(&mut t.name)), 300)) {
        Some(Some(name)) => t.name = name,
        Some(None) => problems.push("name", "is required"),
        None => {}
    }
    t.description = problems
        .take(fields::text("description", t.description.take(), 10_000))
        .flatten();
    // Both databases keep microseconds; finer input would not read back equal.
    t.due_date = t.due_date.map(|d| d.trunc_subsecs(6));
    fields::member(tx, problems, "assignee_id", t.assignee_id).await?;
    let had = |f: fn(&Task) -> Option<Uuid>| before.and_then(f);
    for (field, kind, id, kept) in [
        (
            "project_id",
            Kind::Project,
            t.project_id,
            had(|b| b.project_id),
        ),
        ("lead_id", Kind::Lead, t.lead_id, had(|b| b.lead_id)),
        (
            "contact_id",
            Kind::Contact,
            t.contact_id,
            had(|b| b.contact_id),
        ),
        (
            "company_id",
            Kind::Company,
            t.company_id,
            had(|b| b.company_id),
        ),
    ] {
        fields::reference(tx, actor, problems, field, kind, id, kept).await?;
    }
    Ok(())
}

/// Schedules the reminders of `t` before its due time (a job that finds
/// the task since moved or done does nothing).
async fn schedule(tx: &TenantTx, t: &Task) -> DomainResult<()> {
    if t.status == TaskStatus::Done.as_str() {
        return Ok(());
    }
    let minutes: Vec<i64> =
        serde_json::from_value::<Vec<calendar::model::Reminder>>(t.reminders.clone())
            .unwrap_or_default()
            .iter()
            .map(|r| r.minutes_before)
            .collect();
    calendar::schedule_task(tx, t.id, t.due_date, &minutes, db::now()).await?;
    Ok(())
}

/// Records `task.completed` when a change made the task done.
async fn completed(tx: &TenantTx, actor: &Actor, t: &Task) -> DomainResult<()> {
    announce_completion(tx, actor, t).await?;
    let out = TaskOut {
        task: t.clone(),
        tags: Vec::new(),
    };
    kernel::record_event::<Tasks>(tx, actor, "completed", &out).await
}

/// The tasks of a project the actor may see, with the same filters, sort
/// and paging as every task list.
pub async fn in_project(
    app: &SharedState,
    actor: &Actor,
    project: Uuid,
    query: Option<&str>,
) -> DomainResult<Page<TaskOut>> {
    actor.require_on(Permission::Read, Tasks::RESOURCE)?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let query = LISTING.parse_with_custom_fields(&tx, query, &[]).await?;
    if !crate::projects::visible(&tx, actor, project).await? {
        return Err(DomainError::NotFound("project"));
    }
    let backend = tx.get_database_backend();
    let in_project = crate::records::custom(backend, "tasks.project_id = ?", vec![project.into()]);
    let (rows, total) = LISTING
        .fetch::<Task>(&tx, actor, &query, vec![in_project])
        .await?;
    let result = page(rows, &query, Tasks::cursor)?;
    let data = with_tags(&tx, result.data).await?;
    tx.commit().await?;
    Ok(Page {
        data,
        next_cursor: result.next_cursor,
        has_more: result.has_more,
        total,
    })
}

impl Resource for Tasks {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "tasks";
    type Row = Task;
    type Out = TaskOut;
    type Create = CreateTask;
    type Patch = PatchTask;

    fn listing() -> &'static Listing {
        &LISTING
    }

    fn cursor(t: &Task) -> CursorKey {
        CursorKey::new(t.id)
            .with("name", t.name.clone())
            .with("due_date", t.due_date)
            .with("completed_at", t.completed_at)
            .with("created_at", t.created_at)
            .with("updated_at", t.updated_at)
            .with_json(custom_fields::listing::COLUMN, &t.custom_fields)
    }

    async fn present(tx: &TenantTx, rows: Vec<Task>) -> DomainResult<Vec<TaskOut>> {
        with_tags(tx, rows).await
    }

    fn id(out: &TaskOut) -> Uuid {
        out.task.id
    }

    fn version(out: &TaskOut) -> i64 {
        out.task.version
    }

    fn assignees(out: &TaskOut) -> Vec<Uuid> {
        out.task.assignee_id.into_iter().collect()
    }

    fn label(out: &TaskOut) -> String {
        out.task.name.clone()
    }

    fn people(out: &TaskOut) -> Vec<Option<Uuid>> {
        vec![out.task.assignee_id, out.task.created_by]
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<TaskOut>> {
        fetch_one(tx, id, visibility::sql(actor, "tasks", ENTITY, PEOPLE, 3)).await
    }

    /// Unfiltered: a write may take the task out of its writer's sight
    /// (assigning it to someone else).
    async fn reload(tx: &TenantTx, _actor: &Actor, id: Uuid) -> DomainResult<Option<TaskOut>> {
        fetch_one(tx, id, ("TRUE".into(), Vec::new())).await
    }

    async fn insert(tx: &TenantTx, actor: &Actor, body: CreateTask) -> DomainResult<Uuid> {
        let now = db::now();
        let mut task = Task {
            id: Uuid::now_v7(),
            organization_id: tx.org_id(),
            name: body.name.clone().unwrap_or_default(),
            description: body.description.clone(),
            status: body.status.unwrap_or(TaskStatus::Todo).as_str().to_string(),
            priority: body
                .priority
                .unwrap_or(TaskPriority::Medium)
                .as_str()
                .to_string(),
            assignee_id: body.assignee_id.unwrap_or(actor.user_id()),
            project_id: body.project_id,
            lead_id: body.lead_id,
            contact_id: body.contact_id,
            company_id: body.company_id,
            due_date: body.due_date,
            completed_at: None,
            custom_fields: serde_json::json!({}),
            reminders: serde_json::json!([]),
            created_by: actor.user_id(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let mut problems = Problems::default();
        check(tx, actor, &mut task, None, &mut problems).await?;
        let tag_names = problems.take(tags::parse_names("tags", &body.tags));
        task.reminders = serde_json::json!(calendar::validate_reminders(
            body.reminders.clone(),
            &mut problems
        ));
        problems.finish()?;
        let values = body
            .custom_fields
            .clone()
            .unwrap_or_else(|| serde_json::json!({}));
        task.custom_fields = custom_fields::validate(tx, ENTITY, &values).await?;
        let done = settle_completion(&mut task, false);
        store::insert(tx, &task).await?;
        schedule(tx, &task).await?;
        if done {
            completed(tx, actor, &task).await?;
        }
        tags::set_for_record(tx, ENTITY, task.id, &tag_names.unwrap_or_default()).await?;
        touch_projects(tx, [task.project_id, None]).await?;
        Ok(task.id)
    }

    async fn update(
        tx: &TenantTx,
        actor: &Actor,
        before: &TaskOut,
        body: PatchTask,
    ) -> DomainResult<bool> {
        let mut t = before.task.clone();
        let mut problems = Problems::default();
        if let Some(v) = body.name {
            t.name = v.unwrap_or_default();
        }
        if let Some(v) = body.description {
            t.description = v;
        }
        match body.status {
            Some(Some(status)) => t.status = status.as_str().to_string(),
            Some(None) => problems.push("status", "cannot be null"),
            None => {}
        }
        match body.priority {
            Some(Some(priority)) => t.priority = priority.as_str().to_string(),
            Some(None) => problems.push("priority", "cannot be null"),
            None => {}
        }
        if let Some(v) = body.assignee_id {
            t.assignee_id = v;
        }
        if let Some(v) = body.project_id {
            t.project_id = v;
        }
        if let Some(v) = body.lead_id {
            t.lead_id = v;
        }
        if let Some(v) = body.contact_id {
            t.contact_id = v;
        }
        if let Some(v) = body.company_id {
            t.company_id = v;
        }
        if let Some(v) = body.due_date {
            t.due_date = v;
        }
        check(tx, actor, &mut t, Some(&before.task), &mut problems).await?;
        let tag_names = match &body.tags {
            Some(names) => problems.take(tags::parse_names("tags", names)),
            None => None,
        };
        if let Some(list) = body.reminders {
            t.reminders = serde_json::json!(calendar::validate_reminders(list, &mut problems));
        }
        problems.finish()?;
        if let Some(patch) = &body.custom_fields {
            t.custom_fields =
                custom_fields::validate_patch(tx, ENTITY, &t.custom_fields, patch).await?;
        }
        let done = settle_completion(&mut t, before.task.status == TaskStatus::Done.as_str());
        if !store::update(tx, &t).await? {
            return Ok(false);
        }
        schedule(tx, &t).await?;
        if done {
            completed(tx, actor, &t).await?;
        }
        if let Some(names) = tag_names {
            tags::set_for_record(tx, ENTITY, t.id, &names).await?;
        }
        touch_projects(tx, [before.task.project_id, t.project_id]).await?;
        Ok(true)
    }

    async fn remove(tx: &TenantTx, _actor: &Actor, before: &TaskOut) -> DomainResult<()> {
        store::delete(tx, before.task.id).await?;
        touch_projects(tx, [before.task.project_id, None]).await
    }
}
