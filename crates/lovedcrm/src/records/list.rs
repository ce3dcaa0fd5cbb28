//! The list endpoint every record type shares: filters, sort and keyset
//! cursor from `lists`, plus full-text `q`, `tags` and role visibility.

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{search, visibility};
use crate::actor::Actor;
use crate::db::{Row, TenantTx};
use crate::error::DomainError;
use crate::lists::{self, ListQuery, ListSpec};

/// The query parameters every list accepts (documentation only: lists parse
/// the raw query string so they can accept `field[op]=value` filters).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParams {
    /// 1 to 200, default 50.
    limit: Option<u64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated fields, `-` for descending: `sort=name,-created_at`.
    sort: Option<String>,
    /// Also return `total`.
    count: Option<bool>,
    /// Full-text search, ignoring case and accents.
    q: Option<String>,
    /// Records with any of these comma-separated tags.
    tags: Option<String>,
}

/// The paging parameters of lists without search or tags (documentation
/// only, like [`ListParams`]).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageParams {
    /// 1 to 200, default 50.
    limit: Option<u64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated fields, `-` for descending: `sort=-created_at`.
    sort: Option<String>,
    /// Also return `total`.
    count: Option<bool>,
}

/// `tags` alone, for lists that filter by tag but have no search.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TagParams {
    /// Records with any of these comma-separated tags.
    tags: Option<String>,
}

/// How one record type is listed.
pub struct Listing {
    pub spec: &'static ListSpec,
    /// The `SELECT` column list, qualified with the table name.
    pub columns: &'static str,
    pub entity_type: &'static str,
    /// Member columns that make a record visible to a `sales` member.
    pub people: &'static [&'static str],
    pub searchable: bool,
}

/// Parameters a listing accepts besides the standard ones.
pub const EXTRA_PARAMS: &[&str] = &["tags"];

impl Listing {
    /// Parses the query string, accepting `tags` plus `extra`.
    pub fn parse(&self, raw: Option<&str>, extra: &[&str]) -> Result<ListQuery, DomainError> {
        let mut accepted: Vec<&str> = EXTRA_PARAMS.to_vec();
        accepted.extend_from_slice(extra);
        lists::parse_with_extra(self.spec, &lists::query_pairs(raw), &accepted)
    }

    /// Like [`Listing::parse`], also accepting filters and sorts on the
    /// organization's custom fields of this record type:
    /// `custom_fields.<key>[op]=value` and `sort=-custom_fields.<key>`.
    /// Rows must then set `CursorKey::with_json("custom_fields", …)`.
    pub async fn parse_with_custom_fields(
        &self,
        tx: &TenantTx,
        raw: Option<&str>,
        extra: &[&str],
    ) -> Result<ListQuery, DomainError> {
        parse_with_custom_fields(tx, self.spec, self.entity_type, raw, extra).await
    }

    pub(crate) fn conditions(
        &self,
        tx: &TenantTx,
        ctx: &Actor,
        query: &ListQuery,
    ) -> Result<Vec<SimpleExpr>, DomainError> {
        let backend = tx.get_database_backend();
        let table = self.spec.table;
        let mut out = Vec::new();
        if let Some(v) = visibility::condition(ctx, backend, table, self.entity_type, self.people) {
            out.push(v);
        }
        if let Some(q) = &query.q {
            if !self.searchable {
                return Err(DomainError::bad_request(
                    "invalid_query",
                    "q is not supported on this list",
                ));
            }
            match search::condition(backend, table, tx.org_id(), q) {
                Some(c) => out.push(c),
                // A query of punctuation only matches nothing rather than everything.
                None => out.push(Expr::cust("1 = 0")),
            }
        }
        for (key, value) in &query.extra {
            if key == "tags" {
                out.push(crate::tags::store::filter(
                    backend,
                    table,
                    self.entity_type,
                    value,
                )?);
            }
        }
        Ok(out)
    }

    /// One page of rows (with the look-ahead row `lists::page` trims) and,
    /// for `count=true`, the total. `more` adds resource-specific conditions.
    pub async fn fetch<T: FromQueryResult>(
        &self,
        tx: &TenantTx,
        ctx: &Actor,
        query: &ListQuery,
        more: Vec<SimpleExpr>,
    ) -> Result<(Vec<T>, Option<u64>), DomainError> {
        let backend = tx.get_database_backend();
        let mut conditions = self.conditions(tx, ctx, query)?;
        if query.q.is_some() {
            tx.plan_for_parameters().await?;
        }
        conditions.extend(more);
        let mut select = query.select(self.spec, tx.org_id());
        select.expr(Expr::cust(self.columns));
        for c in &conditions {
            select.and_where(c.clone());
        }
        let rows = T::find_by_statement(lists::build(&select, backend))
            .all(&**tx)
            .await?;
        let total = if query.count {
            let mut count = query.count_select(self.spec, tx.org_id());
            for c in conditions {
                count.and_where(c);
            }
            let row: Option<Total> = Total::find_by_statement(lists::build(&count, backend))
                .one(&**tx)
                .await?;
            Some(row.map_or(0, |r| r.total.max(0) as u64))
        } else {
            None
        };
        Ok((rows, total))
    }
}

/// Parses a list request of `entity_type` records described by `spec`,
/// accepting `tags`, `extra` and the organization's custom fields.
pub async fn parse_with_custom_fields(
    tx: &TenantTx,
    spec: &ListSpec,
    entity_type: &str,
    raw: Option<&str>,
    extra: &[&str],
) -> Result<ListQuery, DomainError> {
    let pairs = lists::query_pairs(raw);
    // The definitions are only needed when a filter or the sort names a
    // custom field: most list requests are spared the query.
    let column = crate::custom_fields::listing::COLUMN;
    let json = if pairs
        .iter()
        .any(|(k, v)| k.contains(column) || v.contains(column))
    {
        Some(crate::custom_fields::list_fields(tx, spec, entity_type).await?)
    } else {
        None
    };
    let mut accepted: Vec<&str> = EXTRA_PARAMS.to_vec();
    accepted.extend_from_slice(extra);
    let options = lists::Options {
        extra: &accepted,
        json: json.as_ref(),
    };
    lists::parse_with(spec, &pairs, options)
}

#[derive(Row)]
struct Total {
    total: i64,
}
