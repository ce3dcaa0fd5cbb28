//! Bulk edit: one change applied to many records, each in its own
//! transaction through the kernel (checked, versioned, audited, announced),
//! so one record's refusal never undoes or hides another's success. When no
//! record changes, the request failed and answers with the first refusal.

use std::collections::HashSet;

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::kernel::{self, Resource};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::organizations::permissions::Permission;

/// The most records one bulk request changes.
pub const MAX_ITEMS: usize = 500;

/// A record to change and, optionally, the version the caller saw.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkItem {
    pub id: Uuid,
    /// The version read: that record answers 412 if someone saved it since.
    #[serde(default)]
    pub version: Option<i64>,
}

/// What became of one record.
pub type RowOutcome = (Uuid, DomainResult<i64>);

/// Checks the list of records: 1 to [`MAX_ITEMS`], none twice.
pub fn check_items(items: &[BulkItem]) -> DomainResult<()> {
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(DomainError::field(
            "items",
            format!("must list 1 to {MAX_ITEMS} records"),
        ));
    }
    let mut seen = HashSet::with_capacity(items.len());
    if let Some(twice) = items.iter().find(|i| !seen.insert(i.id)) {
        return Err(DomainError::field(
            "items",
            format!("lists {} more than once", twice.id),
        ));
    }
    Ok(())
}

/// Refuses the whole request, naming each, when it lists records the actor
/// cannot see: an id from elsewhere is a mistake to show, not a row to skip.
pub async fn check_visible<R: Resource>(
    app: &SharedState,
    actor: &Actor,
    items: &[BulkItem],
) -> DomainResult<()> {
    let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let missing = kernel::unseen::<R>(app, actor, &ids).await?;
    if missing.is_empty() {
        return Ok(());
    }
    Err(DomainError::Validation(
        missing
            .into_iter()
            .map(|i| {
                FieldError::new(
                    format!("items[{i}].id"),
                    format!("no {} with this id is yours to change", R::ENTITY),
                )
            })
            .collect(),
    ))
}

/// Applies `patch` to each record in turn; the answer keeps the order asked.
pub async fn patch_each<R: Resource>(
    app: &SharedState,
    actor: &Actor,
    items: &[BulkItem],
    patch: &R::Patch,
) -> DomainResult<Vec<RowOutcome>>
where
    R::Patch: Clone,
{
    check_items(items)?;
    actor.require_on(Permission::Update, R::RESOURCE)?;
    check_visible::<R>(app, actor, items).await?;
    let mut outcomes = Vec::with_capacity(items.len());
    for item in items {
        let done = kernel::patch::<R>(app, actor, item.id, item.version, patch.clone())
            .await
            .map(|out| R::version(&out));
        outcomes.push((item.id, done));
    }
    settle(outcomes)
}

/// The answer once every record was tried: when none changed, the request
/// failed, and its answer is the first record's error (what its own PATCH
/// would answer; for one record, bulk and PATCH answer alike).
pub fn settle(outcomes: Vec<RowOutcome>) -> DomainResult<Vec<RowOutcome>> {
    if outcomes.iter().any(|(_, done)| done.is_ok()) {
        return Ok(outcomes);
    }
    match outcomes.into_iter().next() {
        Some((_, Err(e))) => Err(e),
        _ => Err(DomainError::field("items", "must list 1 to 500 records")),
    }
}
