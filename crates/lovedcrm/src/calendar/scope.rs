//! Changing one occurrence of a series ("this event"), or the series from
//! one occurrence on ("this and following"), besides the whole series (the
//! kernel's patch and delete).
//!
//! "This" makes an exception: a row of its own with the series' id and the
//! occurrence's original start, which expansion shows instead of the
//! original. "This and following" cuts the series with an UNTIL just before
//! the occurrence and starts a new series there (the remaining COUNT, the
//! later exceptions moved to it).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::model::{CalendarEvent, ENTITY, PatchEvent};
use super::recurrence;
use super::resource::{self, Events, apply, save, store_new};
use super::store;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::organizations::permissions::Permission;
use crate::records::audit_change;
use crate::records::kernel::{self, Change, Resource};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    #[default]
    All,
    This,
    Following,
}

/// Which occurrences a change to a recurring event reaches.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ScopeParams {
    /// `all` (default), `this` or `following`.
    #[serde(default)]
    #[param(inline)]
    pub scope: Scope,
    /// The original start of the occurrence (`occurrence_start` in
    /// `/events/occurrences`); required for `this` and `following`.
    pub occurrence: Option<DateTime<Utc>>,
}

fn bad_occurrence(message: &str) -> DomainError {
    DomainError::Validation(vec![FieldError::new("occurrence", message)])
}

struct Opened {
    tx: TenantTx,
    series: CalendarEvent,
    at: DateTime<Utc>,
}

async fn open(
    app: &SharedState,
    actor: &Actor,
    id: Uuid,
    expected: Option<i64>,
    occurrence: Option<DateTime<Utc>>,
    change: Change,
) -> DomainResult<Opened> {
    let at =
        occurrence.ok_or_else(|| bad_occurrence("is required with scope this or following"))?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let series = Events::load(&tx, actor, id)
        .await?
        .ok_or(DomainError::NotFound(ENTITY))?;
    kernel::may_change::<Events>(&tx, actor, &series, change).await?;
    kernel::check_version(expected, series.version)?;
    if !resource::is_occurrence(&series, at) {
        return Err(bad_occurrence("is not an occurrence of this event"));
    }
    Ok(Opened { tx, series, at })
}

async fn exception(
    tx: &TenantTx,
    series: Uuid,
    at: DateTime<Utc>,
) -> DomainResult<Option<CalendarEvent>> {
    let all = store::exceptions_of(tx, &[series]).await?;
    Ok(all.into_iter().find(|x| x.original_start == Some(at)))
}

async fn changed(
    tx: &TenantTx,
    actor: &Actor,
    before: Option<&CalendarEvent>,
    after: &CalendarEvent,
) -> DomainResult<()> {
    let (action, what) = match before {
        Some(_) => ("event.updated", "updated"),
        None => ("event.created", "created"),
    };
    audit_change(tx, actor, action, ENTITY, after.id, before, Some(after)).await?;
    kernel::record_event::<Events>(tx, actor, what, after).await
}

async fn reloaded(tx: &TenantTx, id: Uuid) -> DomainResult<CalendarEvent> {
    resource::fetch_one(tx, None, id)
        .await?
        .ok_or(DomainError::NotFound(ENTITY))
}

/// `e` with a patch the caller did not send (a rule cut, an exdate).
async fn save_internal(
    tx: &TenantTx,
    actor: &Actor,
    e: &CalendarEvent,
    patch: PatchEvent,
) -> DomainResult<CalendarEvent> {
    let after = apply(tx, actor, Some(e), e.clone(), patch).await?;
    if !save(tx, &after).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: reloaded(tx, e.id).await?.version,
        });
    }
    let after = reloaded(tx, e.id).await?;
    changed(tx, actor, Some(e), &after).await?;
    Ok(after)
}

/// A copy of `series` starting at `at`, as a new row (not stored).
fn copy_at(series: &CalendarEvent, at: DateTime<Utc>) -> CalendarEvent {
    let now = db::now();
    CalendarEvent {
        id: Uuid::now_v7(),
        starts_at: at,
        ends_at: at + (series.ends_at - series.starts_at),
        created_at: now,
        updated_at: now,
        version: 1,
        external: serde_json::json!({}),
        ..series.clone()
    }
}

fn remaining_count(series: &CalendarEvent, rule: &str, at: DateTime<Utc>) -> String {
    let count = rule.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.eq_ignore_ascii_case("COUNT")
            .then(|| v.parse::<usize>().ok())
            .flatten()
    });
    let (Some(count), Some(tz)) = (count, recurrence::timezone(&series.timezone)) else {
        return rule.to_string();
    };
    let before = recurrence::starts_between(
        rule,
        series.starts_at,
        series.ends_at - series.starts_at,
        tz,
        &[],
        series.starts_at,
        at,
    )
    .len();
    let left = count.saturating_sub(before).max(1);
    rule.split(';')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("COUNT") => format!("COUNT={left}"),
            _ => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Moves the exceptions of `from` at or after `at` to series `to` (or
/// deletes them when `to` is `None`).
async fn move_exceptions(
    tx: &TenantTx,
    from: Uuid,
    at: DateTime<Utc>,
    to: Option<Uuid>,
) -> DomainResult<()> {
    let sql = match to {
        Some(_) => {
            "UPDATE calendar_events SET series_id = $4, version = version + 1 \
                    WHERE organization_id = $1 AND series_id = $2 AND original_start >= $3"
        }
        None => {
            "DELETE FROM calendar_events WHERE organization_id = $1 AND series_id = $2 AND original_start >= $3"
        }
    };
    let mut values: Vec<sea_orm::Value> = vec![tx.org_id().into(), from.into(), at.into()];
    if let Some(to) = to {
        values.push(to.into());
    }
    db::exec(&**tx, sql, values).await?;
    Ok(())
}

/// Changes occurrence(s) of event `id` per `scope`; answers the event that
/// now holds the change (the series, the exception or the new series).
pub async fn patch(
    app: &SharedState,
    actor: &Actor,
    id: Uuid,
    expected: Option<i64>,
    params: ScopeParams,
    body: PatchEvent,
) -> DomainResult<CalendarEvent> {
    actor.require_on(Permission::Update, Events::RESOURCE)?;
    if params.scope == Scope::All {
        return kernel::patch::<Events>(app, actor, id, expected, body).await;
    }
    let Opened { tx, series, at } =
        open(app, actor, id, expected, params.occurrence, Change::Update).await?;
    let Some(rule) = series.rrule.clone() else {
        // Not a series (a single event or an exception): the change is the event's.
        drop(tx);
        return kernel::patch::<Events>(app, actor, id, expected, body).await;
    };
    let out = if params.scope == Scope::This {
        match exception(&tx, series.id, at).await? {
            Some(x) => save_internal(&tx, actor, &x, body).await?,
            None => {
                let mut x = copy_at(&series, at);
                x.series_id = Some(series.id);
                x.original_start = Some(at);
                x.rrule = None;
                x.exdates = serde_json::json!([]);
                let x = apply(&tx, actor, None, x, body).await?;
                store_new(&tx, actor, &x).await?;
                let x = reloaded(&tx, x.id).await?;
                changed(&tx, actor, None, &x).await?;
                x
            }
        }
    } else if at == series.starts_at {
        drop(tx);
        return kernel::patch::<Events>(app, actor, id, expected, body).await;
    } else {
        let mut next = copy_at(&series, at);
        next.rrule = Some(remaining_count(&series, &rule, at));
        next.exdates = serde_json::json!(
            series
                .exdate_list()
                .into_iter()
                .filter(|d| *d >= at)
                .collect::<Vec<_>>()
        );
        let next = apply(&tx, actor, None, next, body).await?;
        store_new(&tx, actor, &next).await?;
        move_exceptions(&tx, series.id, at, Some(next.id)).await?;
        let cut = PatchEvent {
            rrule: Some(Some(recurrence::ending_before(&rule, at))),
            ..PatchEvent::default()
        };
        save_internal(&tx, actor, &series, cut).await?;
        let next = reloaded(&tx, next.id).await?;
        changed(&tx, actor, None, &next).await?;
        next
    };
    kernel::commit(app, tx).await?;
    Ok(out)
}

/// Deletes occurrence(s) of event `id` per `scope`.
pub async fn delete(
    app: &SharedState,
    actor: &Actor,
    id: Uuid,
    expected: Option<i64>,
    params: ScopeParams,
) -> DomainResult<()> {
    actor.require_on(Permission::Delete, Events::RESOURCE)?;
    if params.scope == Scope::All {
        return kernel::delete::<Events>(app, actor, id, expected).await;
    }
    let Opened { tx, series, at } =
        open(app, actor, id, expected, params.occurrence, Change::Delete).await?;
    let Some(rule) = series.rrule.clone() else {
        drop(tx);
        return kernel::delete::<Events>(app, actor, id, expected).await;
    };
    if params.scope == Scope::Following && at == series.starts_at {
        drop(tx);
        return kernel::delete::<Events>(app, actor, id, expected).await;
    }
    if params.scope == Scope::This {
        if let Some(x) = exception(&tx, series.id, at).await? {
            store::delete(&tx, x.id).await?;
            audit_change(&tx, actor, "event.deleted", ENTITY, x.id, Some(&x), None).await?;
            kernel::record_event::<Events>(&tx, actor, "deleted", &x).await?;
        }
        let mut exdates = series.exdate_list();
        exdates.push(at);
        let patch = PatchEvent {
            exdates: Some(exdates),
            ..PatchEvent::default()
        };
        save_internal(&tx, actor, &series, patch).await?;
    } else {
        move_exceptions(&tx, series.id, at, None).await?;
        let cut = PatchEvent {
            rrule: Some(Some(recurrence::ending_before(&rule, at))),
            ..PatchEvent::default()
        };
        save_internal(&tx, actor, &series, cut).await?;
    }
    kernel::commit(app, tx).await
}
