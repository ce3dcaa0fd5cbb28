//! Companies made or found by other flows (a lead's conversion), with the
//! same rules as `POST /companies`.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde_json::json;
use uuid::Uuid;

use super::ENTITY;
use super::model::{Company, CompanyOut};
use super::resource::{Companies, PEOPLE, check, fetch_one, reload};
use super::store;
use crate::actor::Actor;
use crate::custom_fields;
use crate::db::{Row, TenantTx};
use crate::error::DomainError;
use crate::lists;
use crate::records::fields::Problems;
use crate::records::{audit_change, search, visibility};

/// Validates, stores and audits `company` as `POST /companies` would a body
/// without tags or custom fields, and returns it as the API shows it.
pub async fn create(
    tx: &TenantTx,
    ctx: &Actor,
    mut company: Company,
) -> Result<CompanyOut, DomainError> {
    let mut problems = Problems::default();
    check(tx, &mut company, &mut problems).await?;
    problems.finish()?;
    company.custom_fields = custom_fields::validate(tx, ENTITY, &json!({})).await?;
    store::insert(tx, &company).await?;
    let out = reload(tx, company.id).await?;
    audit_change(
        tx,
        ctx,
        "company.created",
        ENTITY,
        company.id,
        None,
        Some(&out),
    )
    .await?;
    crate::records::kernel::record_event::<Companies>(tx, ctx, "created", &out).await?;
    Ok(out)
}

/// Company `id` as the API shows it, if the caller may see it.
pub async fn visible(
    tx: &TenantTx,
    ctx: &Actor,
    id: Uuid,
) -> Result<Option<CompanyOut>, DomainError> {
    let visible = visibility::sql(ctx, "companies", ENTITY, PEOPLE, 3);
    match fetch_one(tx, id, visible).await {
        Ok(out) => Ok(Some(out)),
        Err(DomainError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

#[derive(Row)]
struct Named {
    id: Uuid,
    name: String,
}

/// How names compare: case, accents and runs of spaces ignored.
fn key(name: &str) -> String {
    search::fold(name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The oldest company of the organization named `name`, ignoring case,
/// accents and spacing. Candidates come from the search index (every word
/// of the name as a prefix), so this stays cheap on large organizations.
pub async fn find_by_name(tx: &TenantTx, name: &str) -> Result<Option<Uuid>, DomainError> {
    let wanted = key(name);
    let backend = tx.get_database_backend();
    let Some(matches) = search::condition(backend, "companies", tx.org_id(), name) else {
        return Ok(None);
    };
    let table = Alias::new("companies");
    let mut select = Query::select();
    select
        .expr(Expr::cust("companies.id, companies.name"))
        .from(table.clone())
        .and_where(Expr::col((table.clone(), Alias::new("organization_id"))).eq(tx.org_id()))
        .and_where(matches)
        .order_by((table.clone(), Alias::new("created_at")), Order::Asc)
        .order_by((table, Alias::new("id")), Order::Asc)
        .limit(500);
    let candidates = Named::find_by_statement(lists::build(&select, backend))
        .all(&**tx)
        .await?;
    Ok(candidates
        .into_iter()
        .find(|c| key(&c.name) == wanted)
        .map(|c| c.id))
}
