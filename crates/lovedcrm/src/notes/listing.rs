//! The list engine over a table whose visibility is not the usual
//! owner/assignee rule (notes and comments follow their target,
//! notifications their recipient).

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::db::{Row, TenantTx};
use crate::error::DomainError;
use crate::lists::{self, ListQuery, ListSpec};

#[derive(Row)]
struct Total {
    total: i64,
}

/// One page of rows (plus the look-ahead row `lists::page` trims) of
/// `spec.table` meeting `conditions`, and the total for `count=true`.
pub async fn fetch<T: FromQueryResult>(
    tx: &TenantTx,
    spec: &ListSpec,
    columns: &'static str,
    query: &ListQuery,
    conditions: Vec<SimpleExpr>,
) -> Result<(Vec<T>, Option<u64>), DomainError> {
    let backend = tx.get_database_backend();
    let mut select = query.select(spec, tx.org_id());
    select.expr(Expr::cust(columns));
    for c in &conditions {
        select.and_where(c.clone());
    }
    let rows = T::find_by_statement(lists::build(&select, backend))
        .all(&**tx)
        .await?;
    let total = if query.count {
        let mut count = query.count_select(spec, tx.org_id());
        for c in conditions {
            count.and_where(c);
        }
        let row = Total::find_by_statement(lists::build(&count, backend))
            .one(&**tx)
            .await?;
        Some(row.map_or(0, |r| u64::try_from(r.total).unwrap_or(0)))
    } else {
        None
    };
    Ok((rows, total))
}
