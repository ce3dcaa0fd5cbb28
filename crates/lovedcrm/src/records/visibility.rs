//! Who sees and changes which records (SPEC §2): `sales` see what they own,
//! are assigned to or was shared with them; `manager` and above see all;
//! `viewer` reads everything and writes nothing.

use sea_orm::DbBackend;
use sea_orm::sea_query::SimpleExpr;

use crate::actor::Actor;
use crate::error::DomainError;
use crate::organizations::Role;

/// Fails with 403 for roles that may not change records (viewers, unless
/// the organization's permission matrix says otherwise).
pub fn require_write(ctx: &Actor) -> Result<(), DomainError> {
    let p = ctx.permissions();
    if !(p.create || p.update || p.delete) {
        return Err(DomainError::Forbidden(
            "viewers can read but not change records".into(),
        ));
    }
    Ok(())
}

/// A condition limiting `table` to the rows the caller may see, or `None`
/// when the role sees everything. `people` are the columns naming a member
/// the record belongs to (owner, assignee…), or `table.column` for a link
/// table naming its members (`event_attendees.event_id`: a row there with
/// this record's id and the member's `user_id`).
pub fn condition(
    ctx: &Actor,
    backend: DbBackend,
    table: &str,
    entity_type: &str,
    people: &[&str],
) -> Option<SimpleExpr> {
    let me = match ctx.user_id() {
        Some(me) if ctx.role() == Role::Sales => me,
        _ => return None,
    };
    let mut clauses: Vec<String> = people.iter().map(|c| person(table, c, "?")).collect();
    clauses.push(format!(
        "{table}.id IN (SELECT s.record_id FROM record_shares s WHERE s.organization_id = {table}.organization_id \
         AND s.entity_type = '{entity_type}' AND s.user_id = ?)"
    ));
    let values = vec![me.into(); people.len() + 1];
    Some(super::custom(
        backend,
        &format!("({})", clauses.join(" OR ")),
        values,
    ))
}

/// "`table`'s record belongs to the member bound at `mark`" through `people`
/// entry `c`.
fn person(table: &str, c: &str, mark: &str) -> String {
    match c.split_once('.') {
        Some((links, key)) => format!(
            "{table}.id IN (SELECT l.{key} FROM {links} l WHERE l.organization_id = {table}.organization_id \
             AND l.user_id = {mark})"
        ),
        None => format!("{table}.{c} = {mark}"),
    }
}

/// SQL text and values for the same condition, for hand-written queries.
/// Returns an always-true clause for roles that see everything.
pub fn sql(
    ctx: &Actor,
    table: &str,
    entity_type: &str,
    people: &[&str],
    first_param: usize,
) -> (String, Vec<sea_orm::Value>) {
    let me = match ctx.user_id() {
        Some(me) if ctx.role() == Role::Sales => me,
        _ => return ("TRUE".into(), Vec::new()),
    };
    let mut n = first_param;
    let mut clauses = Vec::new();
    for c in people {
        clauses.push(person(table, c, &format!("${n}")));
        n += 1;
    }
    clauses.push(format!(
        "{table}.id IN (SELECT s.record_id FROM record_shares s WHERE s.organization_id = {table}.organization_id \
         AND s.entity_type = '{entity_type}' AND s.user_id = ${n})"
    ));
    let values = vec![me.into(); people.len() + 1];
    (format!("({})", clauses.join(" OR ")), values)
}
