//! The record kernel: list, get, create, change and delete of a CRM record
//! type, written once. Every operation checks the actor's permission (and an
//! API key's scope), runs in one tenant transaction, honors `If-Match`
//! versions and `Idempotency-Key`s, writes the audit row with the record
//! before and after, and records the domain event (`contact.created`,
//! `lead.updated`, …) in the same transaction.
//!
//! A record type says what is its own with [`Resource`]: how a record is
//! loaded as the actor may see it, validated and stored, changed, deleted,
//! listed and shown. Callers are the HTTP adapters, the assistant, MCP
//! tools, imports and jobs alike; they pass an [`Actor`], never a request.

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::audit_change;
use super::idempotency::Idempotency;
use super::list::Listing;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{Row, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::lists::{CursorKey, ListQuery, Page, page};
use crate::notifications::{self, NewNotification};
use crate::organizations::Role;
use crate::organizations::permissions::Permission;
use crate::realtime::{Event, to_payload};

/// A record type the kernel serves.
pub trait Resource: Send + Sync + 'static {
    /// `contact`: the audit and event entity type, the share and tag type.
    const ENTITY: &'static str;
    /// `contacts`: what an API key's scopes name.
    const RESOURCE: &'static str;
    /// Query parameters its list takes besides the standard ones and `tags`.
    const LIST_EXTRA: &'static [&'static str] = &[];
    /// How an assignment notification reads: "Ana {ASSIGNED} {entity} {label}".
    const ASSIGNED: &'static str = "assigned you the";

    /// A row as its list query selects it.
    type Row: Row + Send + Sync;
    /// The record as callers get it (with its tags and whatever is joined).
    type Out: Serialize + DeserializeOwned + Clone + Send + Sync;
    type Create: std::fmt::Debug + Send + Sync;
    type Patch: std::fmt::Debug + Send + Sync;

    fn listing() -> &'static Listing;
    /// The rows of one list page (the look-ahead row included) and, when
    /// asked, the total; by default as the listing selects them.
    fn fetch(
        tx: &TenantTx,
        actor: &Actor,
        query: &ListQuery,
    ) -> impl Future<Output = DomainResult<(Vec<Self::Row>, Option<u64>)>> + Send {
        Self::listing().fetch::<Self::Row>(tx, actor, query, Vec::new())
    }
    /// The values of `row` a list cursor may be sorted by.
    fn cursor(row: &Self::Row) -> CursorKey;
    /// List rows as callers get them, in order.
    fn present(
        tx: &TenantTx,
        rows: Vec<Self::Row>,
    ) -> impl Future<Output = DomainResult<Vec<Self::Out>>> + Send;

    fn id(out: &Self::Out) -> Uuid;
    fn version(out: &Self::Out) -> i64;
    /// The members the record belongs to (owner, assignee, creator): a
    /// `sales` member among them is told of its events.
    fn people(out: &Self::Out) -> Vec<Option<Uuid>>;
    /// The members the record is assigned to (its owner, assignee,
    /// assignees): each is notified on becoming one, unless they did it.
    fn assignees(_out: &Self::Out) -> Vec<Uuid> {
        Vec::new()
    }
    /// The record's name in a notification, e.g. "Acme website".
    fn label(_out: &Self::Out) -> String {
        String::new()
    }

    /// The record if it exists and the actor may see it.
    fn load(
        tx: &TenantTx,
        actor: &Actor,
        id: Uuid,
    ) -> impl Future<Output = DomainResult<Option<Self::Out>>> + Send;
    /// The record right after the actor wrote it; by default as [`load`]
    /// sees it (a type whose writes may take a record out of its writer's
    /// sight, by handing it to another owner, loads it unfiltered).
    ///
    /// [`load`]: Resource::load
    fn reload(
        tx: &TenantTx,
        actor: &Actor,
        id: Uuid,
    ) -> impl Future<Output = DomainResult<Option<Self::Out>>> + Send {
        Self::load(tx, actor, id)
    }
    /// What a single record shows beyond a list row (counts…); as it is by default.
    fn detail(
        _tx: &TenantTx,
        out: Self::Out,
    ) -> impl Future<Output = DomainResult<Self::Out>> + Send {
        async move { Ok(out) }
    }
    /// Validates `input` and stores a new record; its id.
    fn insert(
        tx: &TenantTx,
        actor: &Actor,
        input: Self::Create,
    ) -> impl Future<Output = DomainResult<Uuid>> + Send;
    /// Validates `patch` applied to `before` and stores it if the record is
    /// still at `before`'s version; false when someone saved first.
    fn update(
        tx: &TenantTx,
        actor: &Actor,
        before: &Self::Out,
        patch: Self::Patch,
    ) -> impl Future<Output = DomainResult<bool>> + Send;
    /// Who, seeing `out`, may make `change` to it, when the type's rule is
    /// not the kernel's (its people or a write share, and managers): `None`
    /// keeps the kernel's.
    fn change_rule(_actor: &Actor, _out: &Self::Out, _change: Change) -> Option<DomainResult<()>> {
        None
    }
    /// The event `<entity>.<what>` about `out`, addressed to those who may
    /// hear of it; by default its people and whoever it is shared with.
    fn event(
        tx: &TenantTx,
        _actor: &Actor,
        what: &str,
        out: &Self::Out,
    ) -> impl Future<Output = DomainResult<Event>> + Send {
        let event = Event::new(
            tx.org_id(),
            format!("{}.{what}", Self::ENTITY),
            Self::ENTITY,
            Self::id(out),
            to_payload(out),
        )
        .people(Self::people(out));
        async move { Ok(event) }
    }
    /// Events a change makes besides `<entity>.updated` (a delivery status…).
    fn change_events(
        _tx: &TenantTx,
        _before: &Self::Out,
        _after: &Self::Out,
    ) -> impl Future<Output = DomainResult<Vec<Event>>> + Send {
        async { Ok(Vec::new()) }
    }
    /// Deletes the record and what only it holds.
    fn remove(
        tx: &TenantTx,
        actor: &Actor,
        before: &Self::Out,
    ) -> impl Future<Output = DomainResult<()>> + Send;
}

/// A created record, or the one an earlier request with the same
/// `Idempotency-Key` created.
pub struct Created<T> {
    pub value: T,
    pub replayed: bool,
}

/// 412 with the current version when the caller expected another one.
pub fn check_version(expected: Option<i64>, current: i64) -> DomainResult<()> {
    match expected {
        Some(v) if v != current => Err(DomainError::PreconditionFailed {
            current_version: current,
        }),
        _ => Ok(()),
    }
}

/// Records the event `<entity>.<what>` about `out`, in `tx`.
pub async fn record_event<R: Resource>(
    tx: &TenantTx,
    actor: &Actor,
    what: &str,
    out: &R::Out,
) -> DomainResult<()> {
    let event = R::event(tx, actor, what, out).await?;
    crate::events::record(tx, actor.user_id(), &event).await?;
    Ok(())
}

/// Notifies the members `after` is assigned to that `before` was not (all
/// of them for a new record), except the actor, and records their
/// `notification.created` events: in the change's transaction, so a rolled
/// back change notifies nobody.
pub async fn notify_assigned<R: Resource>(
    tx: &TenantTx,
    actor: &Actor,
    before: Option<&R::Out>,
    after: &R::Out,
) -> DomainResult<()> {
    let had = before.map(R::assignees).unwrap_or_default();
    let new: Vec<Uuid> = R::assignees(after)
        .into_iter()
        .filter(|u| !had.contains(u) && !actor.is(*u))
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    let by = match actor.user_id() {
        Some(u) => crate::notes::target::user_name(tx, u).await?,
        None => "Loved CRM".into(),
    };
    let label: String = R::label(after).chars().take(120).collect();
    for user_id in new {
        let n = notifications::create(
            tx,
            NewNotification {
                user_id,
                kind: ASSIGNMENT,
                title: format!("{by} {} {} {label}", R::ASSIGNED, R::ENTITY),
                entity_type: Some(R::ENTITY),
                entity_id: Some(R::id(after)),
                data: serde_json::json!({"assigned_by": actor.user_id()}),
            },
        )
        .await?;
        crate::events::record(tx, actor.user_id(), &notifications::event(&n)).await?;
    }
    Ok(())
}

/// The notification kind of [`notify_assigned`].
pub const ASSIGNMENT: &str = "assignment";

/// Commits and wakes this node's event dispatcher.
pub async fn commit(app: &SharedState, tx: TenantTx) -> DomainResult<()> {
    let org = tx.org_id();
    tx.commit().await?;
    app.events.committed(org);
    Ok(())
}

async fn load_visible<R: Resource>(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<R::Out> {
    R::load(tx, actor, id)
        .await?
        .ok_or(DomainError::NotFound(R::ENTITY))
}

/// The positions in `ids` of the records the actor cannot see (unknown,
/// another organization's, or not theirs to see), read in one transaction.
pub async fn unseen<R: Resource>(
    app: &SharedState,
    actor: &Actor,
    ids: &[Uuid],
) -> DomainResult<Vec<usize>> {
    actor.require_on(Permission::Read, R::RESOURCE)?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let mut missing = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if R::load(&tx, actor, *id).await?.is_none() {
            missing.push(i);
        }
    }
    tx.commit().await?;
    Ok(missing)
}

/// What a change needs beyond seeing the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Update,
    Delete,
}

/// Whether `actor` may make `change` to `out`, which they can see. Managers
/// and above may (their role's permissions were checked already); a `sales`
/// member may change what is theirs (owner, assignee, creator), may update
/// what was shared with them for writing, and may not delete what they only
/// see through a share.
pub async fn may_change<R: Resource>(
    tx: &TenantTx,
    actor: &Actor,
    out: &R::Out,
    change: Change,
) -> DomainResult<()> {
    if let Some(rule) = R::change_rule(actor, out, change) {
        return rule;
    }
    let Some(me) = actor.user_id() else {
        return Ok(());
    };
    if actor.role() != Role::Sales || R::people(out).contains(&Some(me)) {
        return Ok(());
    }
    let allowed = change == Change::Update
        && crate::shares::store::writable_by(tx, R::ENTITY, R::id(out), me).await?;
    if allowed {
        return Ok(());
    }
    Err(DomainError::Forbidden(match change {
        Change::Update => format!(
            "this {} is shared with you to read; ask its owner for write access",
            R::ENTITY
        ),
        Change::Delete => format!("only the {}'s owner or a manager may delete it", R::ENTITY),
    }))
}

async fn reload<R: Resource>(tx: &TenantTx, actor: &Actor, id: Uuid) -> DomainResult<R::Out> {
    R::reload(tx, actor, id)
        .await?
        .ok_or(DomainError::NotFound(R::ENTITY))
}

/// One page of the records `query` (the list query string: filters, sort,
/// cursor, `q`, `tags`, `count`) selects among those the actor may see.
pub async fn list<R: Resource>(
    app: &SharedState,
    actor: &Actor,
    query: Option<&str>,
) -> DomainResult<Page<R::Out>> {
    actor.require_on(Permission::Read, R::RESOURCE)?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let listing = R::listing();
    let query = listing
        .parse_with_custom_fields(&tx, query, R::LIST_EXTRA)
        .await?;
    let (rows, total) = R::fetch(&tx, actor, &query).await?;
    let result = page(rows, &query, R::cursor)?;
    let data = R::present(&tx, result.data).await?;
    tx.commit().await?;
    Ok(Page {
        data,
        next_cursor: result.next_cursor,
        has_more: result.has_more,
        total,
    })
}

/// One record the actor may see (404 otherwise, whether or not it exists).
pub async fn get<R: Resource>(app: &SharedState, actor: &Actor, id: Uuid) -> DomainResult<R::Out> {
    actor.require_on(Permission::Read, R::RESOURCE)?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let out = load_visible::<R>(&tx, actor, id).await?;
    let out = R::detail(&tx, out).await?;
    tx.commit().await?;
    Ok(out)
}

/// Creates a record; with a `key`, the same key and request again within
/// 24 hours answers with the first record instead.
pub async fn create<R: Resource>(
    app: &SharedState,
    actor: &Actor,
    input: R::Create,
    key: Option<&str>,
) -> DomainResult<Created<R::Out>> {
    actor.require_on(Permission::Create, R::RESOURCE)?;
    let idempotency = match (key, actor.user_id()) {
        (Some(_), Some(user)) => Some(Idempotency::new(key, user, &input)?),
        _ => None,
    };
    let tx = actor.begin(app, TxMode::Write).await?;
    if let Some(idempotency) = &idempotency
        && let Some(value) = idempotency.replayed_value::<R::Out>(&tx).await?
    {
        return Ok(Created {
            value,
            replayed: true,
        });
    }
    let id = R::insert(&tx, actor, input).await?;
    let out = reload::<R>(&tx, actor, id).await?;
    let action = format!("{}.created", R::ENTITY);
    audit_change(&tx, actor, &action, R::ENTITY, id, None, Some(&out)).await?;
    record_event::<R>(&tx, actor, "created", &out).await?;
    notify_assigned::<R>(&tx, actor, None, &out).await?;
    if let Some(idempotency) = &idempotency {
        idempotency
            .remember(&tx, axum::http::StatusCode::CREATED, &out)
            .await?;
    }
    commit(app, tx).await?;
    Ok(Created {
        value: out,
        replayed: false,
    })
}

/// Changes a record (merge semantics); `expected` is the version the caller
/// read (`If-Match`): 412 when someone saved since.
pub async fn patch<R: Resource>(
    app: &SharedState,
    actor: &Actor,
    id: Uuid,
    expected: Option<i64>,
    patch: R::Patch,
) -> DomainResult<R::Out> {
    actor.require_on(Permission::Update, R::RESOURCE)?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let before = load_visible::<R>(&tx, actor, id).await?;
    may_change::<R>(&tx, actor, &before, Change::Update).await?;
    check_version(expected, R::version(&before))?;
    if !R::update(&tx, actor, &before, patch).await? {
        let current = reload::<R>(&tx, actor, id).await?;
        return Err(DomainError::PreconditionFailed {
            current_version: R::version(&current),
        });
    }
    let after = reload::<R>(&tx, actor, id).await?;
    let action = format!("{}.updated", R::ENTITY);
    audit_change(
        &tx,
        actor,
        &action,
        R::ENTITY,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    record_event::<R>(&tx, actor, "updated", &after).await?;
    for event in R::change_events(&tx, &before, &after).await? {
        crate::events::record(&tx, actor.user_id(), &event).await?;
    }
    notify_assigned::<R>(&tx, actor, Some(&before), &after).await?;
    commit(app, tx).await?;
    Ok(after)
}

/// Deletes a record; `expected` as for [`patch`].
pub async fn delete<R: Resource>(
    app: &SharedState,
    actor: &Actor,
    id: Uuid,
    expected: Option<i64>,
) -> DomainResult<()> {
    actor.require_on(Permission::Delete, R::RESOURCE)?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let before = load_visible::<R>(&tx, actor, id).await?;
    may_change::<R>(&tx, actor, &before, Change::Delete).await?;
    check_version(expected, R::version(&before))?;
    R::remove(&tx, actor, &before).await?;
    let action = format!("{}.deleted", R::ENTITY);
    audit_change(&tx, actor, &action, R::ENTITY, id, Some(&before), None).await?;
    record_event::<R>(&tx, actor, "deleted", &before).await?;
    commit(app, tx).await?;
    Ok(())
}
