//! [`ListQuery`] → sea-query conditions, order and limit.
//!
//! The order is total: the sort keys, then `id` in the direction of the last
//! key. Nullable keys sort NULLs last in both directions on both databases,
//! and the keyset condition below follows exactly that order.

use sea_orm::sea_query::{
    Alias, BinOper, Condition, Expr, ExprTrait, Func, NullOrdering, Order, Query, SelectStatement,
    Value,
};
use sea_orm::{DbBackend, Statement};
use uuid::Uuid;

use super::filter::{Filter, FilterValue};
use super::json::JsonKind;
use super::parse::ListQuery;
use super::spec::{Dir, FieldRef, ListSpec, Op};

/// The column every table has, used as the final tie-breaker.
const ID: &str = "id";
const ORG: &str = "organization_id";

/// Renders `select` for `backend` with bound values, ready for
/// `query_all_raw`.
pub fn build(select: &SelectStatement, backend: DbBackend) -> Statement {
    backend.build(select)
}

fn col(spec: &ListSpec, column: &'static str) -> Expr {
    Expr::col((Alias::new(spec.table), Alias::new(column)))
}

impl ListQuery {
    /// Filters AND the keyset condition of the cursor (if any). Does not
    /// include the organization; see [`ListQuery::select`].
    pub fn conditions(&self, spec: &ListSpec) -> Condition {
        self.filter_conditions(spec).add(self.keyset(spec))
    }

    /// The filters alone (all must hold), e.g. for a `total` count.
    pub fn filter_conditions(&self, spec: &ListSpec) -> Condition {
        self.filters
            .iter()
            .fold(Condition::all(), |all, f| all.add(filter(spec, f)))
    }

    /// Rows strictly after the cursor in the query's order; always true
    /// without a cursor.
    pub fn keyset(&self, spec: &ListSpec) -> Condition {
        let Some(cursor) = &self.cursor else {
            return Condition::all();
        };
        let mut any = Condition::any();
        // Equalities on the keys before the current one.
        let mut prefix: Vec<Expr> = Vec::new();
        let keys = self.keys(spec);
        // The OR of the expansion hides the range from the planner, so a
        // non-NULL first key also gets a plain bound (`k1 >= v1`, or `<=`
        // descending) that an index scan can start from: deep pages then
        // cost what the first page costs.
        let bound = match (keys.first(), cursor.values.first().cloned().flatten()) {
            (Some((c, dir, false)), Some(v)) => Some(match dir {
                Dir::Asc => c.clone().gte(v),
                Dir::Desc => c.clone().lte(v),
            }),
            (Some((c, dir, false)), None) if cursor.values.is_empty() => Some(match dir {
                Dir::Asc => c.clone().gte(Value::Uuid(Some(cursor.id))),
                Dir::Desc => c.clone().lte(Value::Uuid(Some(cursor.id))),
            }),
            _ => None,
        };
        let values = cursor
            .values
            .iter()
            .cloned()
            .chain(std::iter::once(Some(Value::Uuid(Some(cursor.id)))));
        for ((c, dir, nullable), value) in keys.into_iter().zip(values) {
            let Some(v) = value else {
                // NULLs sort last: after a NULL only rows with NULL here and
                // a greater tail can come, which the next keys handle.
                prefix.push(c.is_null());
                continue;
            };
            let after = match dir {
                Dir::Asc => c.clone().gt(v.clone()),
                Dir::Desc => c.clone().lt(v.clone()),
            };
            let mut term = prefix
                .iter()
                .cloned()
                .fold(Condition::all(), Condition::add);
            term = if nullable {
                // Any NULL comes after every non-NULL value.
                term.add(Condition::any().add(after).add(c.clone().is_null()))
            } else {
                term.add(after)
            };
            any = any.add(term);
            prefix.push(c.eq(v));
        }
        let all = Condition::all().add(any);
        match bound {
            Some(b) => all.add(b),
            None => all,
        }
    }

    /// Adds the ORDER BY that [`ListQuery::keyset`] follows.
    pub fn order_by(&self, select: &mut SelectStatement, spec: &ListSpec) {
        for (c, dir, nullable) in self.keys(spec) {
            let order = match dir {
                Dir::Asc => Order::Asc,
                Dir::Desc => Order::Desc,
            };
            if nullable {
                select.order_by_expr_with_nulls(c, order, NullOrdering::Last);
            } else {
                select.order_by_expr(c, order);
            }
        }
    }

    /// One more than the page size: the extra row tells whether there is a
    /// next page (see [`super::page`]).
    pub fn limit_plus_one(&self) -> u64 {
        self.limit + 1
    }

    /// `FROM table WHERE organization_id = org AND filters AND keyset
    /// ORDER BY … LIMIT limit+1`, without columns: add them (and any extra
    /// condition such as the `q` search) before building.
    pub fn select(&self, spec: &ListSpec, org_id: Uuid) -> SelectStatement {
        let mut select = Query::select();
        select.from(Alias::new(spec.table)).cond_where(
            Condition::all()
                .add(col(spec, ORG).eq(org_id))
                .add(self.conditions(spec)),
        );
        self.order_by(&mut select, spec);
        select.limit(self.limit_plus_one());
        select
    }

    /// `SELECT COUNT(*) AS total FROM table WHERE organization_id = org AND
    /// filters`, for `?count=true`; add the same extra conditions as to
    /// [`ListQuery::select`].
    pub fn count_select(&self, spec: &ListSpec, org_id: Uuid) -> SelectStatement {
        let mut select = Query::select();
        select
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("total"))
            .from(Alias::new(spec.table))
            .cond_where(
                Condition::all()
                    .add(col(spec, ORG).eq(org_id))
                    .add(self.filter_conditions(spec)),
            );
        select
    }

    /// `(expression, direction, nullable)` of every key of the total order.
    fn keys(&self, spec: &ListSpec) -> Vec<(Expr, Dir, bool)> {
        let mut keys: Vec<_> = self
            .sort
            .iter()
            .map(|k| (k.field.expr(spec), k.dir, k.field.nullable()))
            .collect();
        // Sorting on id itself already makes the order total.
        if !self.sort.iter().any(|k| k.field.is_id()) {
            let dir = keys.last().map_or(Dir::Asc, |k| k.1);
            keys.push((col(spec, ID), dir, false));
        }
        keys
    }
}

fn filter(spec: &ListSpec, f: &Filter) -> Expr {
    let field = &f.field;
    let c = field.expr(spec);
    match (&f.op, &f.value) {
        // An array of choices holding the value.
        (Op::Contains, FilterValue::One(v)) => match field {
            FieldRef::Json(j) if matches!(j.kind(), JsonKind::Choices(_)) => j.has_item(v.clone()),
            _ => Expr::cust("FALSE"),
        },
        (Op::Eq, FilterValue::One(v)) => c.eq(v.clone()),
        // "Not equal to x" includes rows with no value, as people expect.
        (Op::Neq, FilterValue::One(v)) if field.nullable() => {
            c.clone().ne(v.clone()).or(c.is_null())
        }
        (Op::Neq, FilterValue::One(v)) => c.ne(v.clone()),
        (Op::Lt, FilterValue::One(v)) => c.lt(v.clone()),
        (Op::Lte, FilterValue::One(v)) => c.lte(v.clone()),
        (Op::Gt, FilterValue::One(v)) => c.gt(v.clone()),
        (Op::Gte, FilterValue::One(v)) => c.gte(v.clone()),
        (Op::In, FilterValue::Many(values)) => c.is_in(values.iter().cloned()),
        (Op::Contains | Op::StartsWith, FilterValue::Pattern(p)) => {
            // LOWER on both sides: SQLite's LIKE folds only ASCII and
            // PostgreSQL's not at all; this is the same on both.
            let pattern = Expr::Binary(
                Box::new(Func::lower(Expr::val(p.clone())).into()),
                BinOper::Escape,
                Box::new(Expr::Constant(Value::Char(Some('\\')))),
            );
            Expr::from(Func::lower(c)).binary(BinOper::Like, pattern)
        }
        (Op::IsNull, FilterValue::Null(true)) => c.is_null(),
        (Op::IsNull, FilterValue::Null(false)) => c.is_not_null(),
        // parse() never pairs an operator with another value shape.
        _ => Expr::cust("FALSE"),
    }
}
