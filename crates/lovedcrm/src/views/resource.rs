//! What is a saved view's own in the record kernel.

use uuid::Uuid;

use super::model::{COLUMNS, CreateView, ENTITY, LISTS, PatchView, SPEC, View};
use crate::actor::Actor;
use crate::db::{self, TenantTx};
use crate::error::{DomainError, DomainResult};
use crate::lists::{CursorKey, ListQuery};
use crate::organizations::Role;
use crate::records::fields::{self, Problems};
use crate::records::kernel::Resource;
use crate::records::list::Listing;

static LISTING: Listing = Listing {
    spec: &SPEC,
    columns: COLUMNS,
    entity_type: ENTITY,
    people: &["created_by"],
    searchable: false,
};

/// Saved views in the record kernel: shared ones are everyone's, personal
/// ones their creator's.
pub struct Views;

const MINE_OR_SHARED: &str = "(saved_views.shared OR saved_views.created_by = ?)";

/// Checks what a view holds: its name, its list, a query that list accepts.
async fn check(tx: &TenantTx, v: &mut View, columns: &[String]) -> DomainResult<()> {
    let mut problems = Problems::default();
    match problems.take(fields::text("name", Some(std::mem::take(&mut v.name)), 100)) {
        Some(Some(name)) => v.name = name,
        Some(None) => problems.push("name", "is required"),
        None => {}
    }
    if !LISTS.contains(&v.entity_type.as_str()) {
        problems.push(
            "entity_type",
            format!("must be one of {}", LISTS.join(", ")),
        );
    } else if v.query.len() > 2000 {
        problems.push("query", "at most 2000 characters");
    } else if let Err(e) = parse_for(tx, &v.entity_type, &v.query).await {
        problems.push("query", e.to_string());
    }
    if columns.len() > 50 || columns.iter().any(|c| c.is_empty() || c.len() > 100) {
        problems.push("columns", "at most 50 names of 1 to 100 characters");
    }
    v.columns = serde_json::json!(columns);
    problems.finish()
}

/// The query parsed as its list would: a view never saves what it refuses.
async fn parse_for(tx: &TenantTx, list: &str, query: &str) -> DomainResult<ListQuery> {
    let raw = Some(query);
    match list {
        "contacts" => {
            crate::contacts::Contacts::listing()
                .parse_with_custom_fields(tx, raw, &[])
                .await
        }
        "companies" => {
            crate::companies::Companies::listing()
                .parse_with_custom_fields(tx, raw, &[])
                .await
        }
        "leads" => {
            crate::leads::Leads::listing()
                .parse_with_custom_fields(tx, raw, &[])
                .await
        }
        "tasks" => {
            crate::tasks::Tasks::listing()
                .parse_with_custom_fields(tx, raw, &[])
                .await
        }
        _ => {
            crate::projects::Projects::listing()
                .parse_with_custom_fields(tx, raw, &[])
                .await
        }
    }
}

/// Only its creator changes a view; admins also change shared ones.
fn may_change(actor: &Actor, v: &View) -> DomainResult<()> {
    if v.created_by.is_some_and(|c| actor.is(c)) || (v.shared && actor.role().at_least(Role::Admin))
    {
        return Ok(());
    }
    Err(DomainError::Forbidden(
        "only its creator may change this view".into(),
    ))
}

impl Resource for Views {
    const ENTITY: &'static str = ENTITY;
    const RESOURCE: &'static str = "views";
    type Row = View;
    type Out = View;
    type Create = CreateView;
    type Patch = PatchView;

    fn listing() -> &'static Listing {
        &LISTING
    }

    async fn fetch(
        tx: &TenantTx,
        actor: &Actor,
        query: &ListQuery,
    ) -> DomainResult<(Vec<View>, Option<u64>)> {
        let backend = sea_orm::ConnectionTrait::get_database_backend(&**tx);
        let mine = crate::records::custom(backend, MINE_OR_SHARED, vec![actor.user_id().into()]);
        LISTING
            .fetch(tx, &Actor::system(tx.org_id(), "views"), query, vec![mine])
            .await
    }

    fn cursor(v: &View) -> CursorKey {
        CursorKey::new(v.id)
            .with("name", v.name.clone())
            .with("created_at", v.created_at)
            .with("updated_at", v.updated_at)
    }

    async fn present(_tx: &TenantTx, rows: Vec<View>) -> DomainResult<Vec<View>> {
        Ok(rows)
    }

    fn id(v: &View) -> Uuid {
        v.id
    }

    fn version(v: &View) -> i64 {
        v.version
    }

    fn people(v: &View) -> Vec<Option<Uuid>> {
        vec![v.created_by]
    }

    async fn load(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<Option<View>> {
        Ok(db::fetch_one(
            &**tx,
            &format!(
                "SELECT {COLUMNS} FROM saved_views WHERE organization_id = $1 AND id = $2 \
                 AND (shared OR created_by = $3)"
            ),
            vec![tx.org_id().into(), id.into(), actor.user_id().into()],
        )
        .await?)
    }

    async fn insert(tx: &TenantTx, actor: &Actor, body: CreateView) -> DomainResult<Uuid> {
        let now = db::now();
        let mut v = View {
            id: Uuid::now_v7(),
            organization_id: tx.org_id(),
            name: body.name,
            entity_type: body.entity_type,
            query: body.query,
            columns: serde_json::Value::Null,
            shared: body.shared,
            created_by: Some(actor.member()?),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        check(tx, &mut v, &body.columns).await?;
        db::exec(
            &**tx,
            "INSERT INTO saved_views (organization_id, id, name, entity_type, query, columns, shared, \
             created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1)",
            vec![
                v.organization_id.into(),
                v.id.into(),
                v.name.clone().into(),
                v.entity_type.clone().into(),
                v.query.clone().into(),
                v.columns.clone().into(),
                v.shared.into(),
                v.created_by.into(),
                now.into(),
            ],
        )
        .await?;
        Ok(v.id)
    }

    async fn update(
        tx: &TenantTx,
        actor: &Actor,
        before: &View,
        body: PatchView,
    ) -> DomainResult<bool> {
        may_change(actor, before)?;
        let mut v = before.clone();
        let columns = body
            .columns
            .unwrap_or_else(|| serde_json::from_value(before.columns.clone()).unwrap_or_default());
        v.name = body.name.unwrap_or(v.name);
        v.query = body.query.unwrap_or(v.query);
        v.shared = body.shared.unwrap_or(v.shared);
        check(tx, &mut v, &columns).await?;
        let changed = db::exec(
            &**tx,
            "UPDATE saved_views SET name = $3, query = $4, columns = $5, shared = $6, updated_at = $7, \
             version = version + 1 WHERE organization_id = $1 AND id = $2 AND version = $8",
            vec![
                tx.org_id().into(),
                v.id.into(),
                v.name.into(),
                v.query.into(),
                v.columns.into(),
                v.shared.into(),
                db::now().into(),
                v.version.into(),
            ],
        )
        .await?;
        Ok(changed == 1)
    }

    async fn remove(tx: &TenantTx, actor: &Actor, before: &View) -> DomainResult<()> {
        may_change(actor, before)?;
        db::exec(
            &**tx,
            "DELETE FROM saved_views WHERE organization_id = $1 AND id = $2",
            vec![tx.org_id().into(), before.id.into()],
        )
        .await?;
        Ok(())
    }
}
