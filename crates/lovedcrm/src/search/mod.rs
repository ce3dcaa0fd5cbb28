//! One box that finds contacts, companies, leads, projects and tasks,
//! grouped by type, ignoring case and accents (`GET /search`).

mod routes;

pub use routes::router;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{Row, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::lists;
use crate::records::{search, visibility};

/// One hit, enough to show it in a result list and open it.
#[derive(Debug, Serialize, ToSchema, Row)]
pub struct Hit {
    pub id: Uuid,
    pub title: String,
    pub subtitle: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub contacts: Vec<Hit>,
    pub companies: Vec<Hit>,
    pub leads: Vec<Hit>,
    pub projects: Vec<Hit>,
    pub tasks: Vec<Hit>,
}

/// What to show of each searchable table.
struct Target {
    table: &'static str,
    entity_type: &'static str,
    title: &'static str,
    subtitle: &'static str,
    people: &'static [&'static str],
}

const TARGETS: [Target; 5] = [
    Target {
        table: "contacts",
        entity_type: "contact",
        title: "name",
        subtitle: "email",
        people: &["owner_id", "created_by"],
    },
    Target {
        table: "companies",
        entity_type: "company",
        title: "name",
        subtitle: "domain",
        people: &["owner_id", "created_by"],
    },
    Target {
        table: "leads",
        entity_type: "lead",
        title: "title",
        subtitle: "company_name",
        people: &["assigned_to", "created_by"],
    },
    Target {
        table: "projects",
        entity_type: "project",
        title: "name",
        subtitle: "status",
        people: &["owner_id", "created_by"],
    },
    Target {
        table: "tasks",
        entity_type: "task",
        title: "name",
        subtitle: "status",
        people: &["assignee_id", "created_by"],
    },
];

async fn find(
    tx: &TenantTx,
    actor: &Actor,
    target: &Target,
    q: &str,
    limit: u64,
) -> Result<Vec<Hit>, DomainError> {
    let backend = tx.get_database_backend();
    let Some(matches) = search::condition(backend, target.table, tx.org_id(), q) else {
        return Ok(Vec::new());
    };
    let table = Alias::new(target.table);
    let mut select = Query::select();
    select
        .expr(Expr::cust(format!(
            "{t}.id, {t}.{title} AS title, {t}.{subtitle} AS subtitle, {t}.updated_at",
            t = target.table,
            title = target.title,
            subtitle = target.subtitle
        )))
        .from(table.clone())
        .and_where(Expr::col((table.clone(), Alias::new("organization_id"))).eq(tx.org_id()))
        .and_where(matches)
        // Newest first, along the index every searchable table has: ordering
        // by `updated_at` sorted every match of a common name.
        .order_by((table.clone(), Alias::new("created_at")), Order::Desc)
        .order_by((table, Alias::new("id")), Order::Desc)
        .limit(limit);
    if let Some(v) = visibility::condition(
        actor,
        backend,
        target.table,
        target.entity_type,
        target.people,
    ) {
        select.and_where(v);
    }
    Ok(
        <Hit as sea_orm::FromQueryResult>::find_by_statement(lists::build(&select, backend))
            .all(&**tx)
            .await?,
    )
}

/// The actor's records matching `q` (1 to 200 characters), newest first,
/// at most `limit` (1 to 20, default 5) of each type.
pub async fn everything(
    app: &SharedState,
    actor: &Actor,
    q: &str,
    limit: Option<u64>,
) -> DomainResult<SearchResults> {
    let limit = limit.unwrap_or(5);
    if !(1..=20).contains(&limit) {
        return Err(DomainError::BadRequest {
            code: "invalid_query",
            detail: "limit must be between 1 and 20".into(),
            errors: vec![FieldError::new("limit", "must be between 1 and 20")],
        });
    }
    if q.trim().is_empty() || q.len() > 200 {
        return Err(DomainError::BadRequest {
            code: "invalid_query",
            detail: "q must be 1 to 200 characters".into(),
            errors: vec![FieldError::new("q", "must be 1 to 200 characters")],
        });
    }
    let tx = actor.begin(app, TxMode::Read).await?;
    tx.plan_for_parameters().await?;
    let [contacts, companies, leads, projects, tasks] = &TARGETS;
    let results = SearchResults {
        contacts: find(&tx, actor, contacts, q, limit).await?,
        companies: find(&tx, actor, companies, q, limit).await?,
        leads: find(&tx, actor, leads, q, limit).await?,
        projects: find(&tx, actor, projects, q, limit).await?,
        tasks: find(&tx, actor, tasks, q, limit).await?,
    };
    tx.commit().await?;
    Ok(results)
}
