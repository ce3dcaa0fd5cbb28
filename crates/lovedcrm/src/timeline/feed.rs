//! The timeline of a lead, a contact or a company: communications and
//! activities merged, newest first, as far as the actor may see them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::{CHANNELS, TimelineItem};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{self, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::records::visibility;

/// Which page of a timeline, and which of its entries.
#[derive(Debug)]
pub struct PageQuery {
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
    /// Where the previous page ended (its `next_cursor`).
    pub cursor: Option<String>,
    /// Comma-separated channels, plus `activity`; every entry when absent.
    pub channel: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelinePage {
    pub data: Vec<TimelineItem>,
    pub next_cursor: Option<String>,
    pub has_more: bool,
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    at: DateTime<Utc>,
    id: Uuid,
}

fn bad(field: &str, message: &str) -> DomainError {
    DomainError::BadRequest {
        code: "invalid_query",
        detail: format!("{field}: {message}"),
        errors: vec![FieldError::new(field, message)],
    }
}

/// Which record's timeline.
#[derive(Clone, Copy)]
pub enum Owner {
    Lead(Uuid),
    Contact(Uuid),
    /// The company's own activities plus everything on its contacts and
    /// leads that the caller may see.
    Company(Uuid),
}

impl Owner {
    /// The record's table, entity type, the columns naming the people who
    /// see it (for `visibility::sql`) and what a 404 calls it.
    fn record(
        self,
    ) -> (
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static str,
    ) {
        match self {
            Owner::Lead(_) => ("leads", "lead", &["assigned_to", "created_by"], "lead"),
            Owner::Contact(_) => (
                "contacts",
                "contact",
                &["owner_id", "created_by"],
                "contact",
            ),
            Owner::Company(_) => (
                "companies",
                "company",
                &["owner_id", "created_by"],
                "company",
            ),
        }
    }

    fn id(self) -> Uuid {
        match self {
            Owner::Lead(id) | Owner::Contact(id) | Owner::Company(id) => id,
        }
    }
}

/// 404 unless the actor may see the record; then its timeline page.
pub async fn page(
    app: &SharedState,
    actor: &Actor,
    owner: Owner,
    query: &PageQuery,
) -> DomainResult<TimelinePage> {
    let (table, entity, people, what) = owner.record();
    let tx = actor.begin(app, TxMode::Read).await?;
    let visible = visibility::sql(actor, table, entity, people, 3);
    require_visible(&tx, table, owner.id(), visible, what).await?;
    let page = timeline(&tx, actor, owner, query).await?;
    tx.commit().await?;
    Ok(page)
}

/// 404 unless the record exists and `visible` (parameters from `$3`) holds.
async fn require_visible(
    tx: &TenantTx,
    table: &str,
    id: Uuid,
    (condition, mut extra): (String, Vec<sea_orm::Value>),
    what: &'static str,
) -> Result<(), DomainError> {
    #[derive(db::Row)]
    struct One {
        #[allow(dead_code)]
        n: i64,
    }
    let mut values = vec![tx.org_id().into(), id.into()];
    values.append(&mut extra);
    let found: Option<One> = db::fetch_one(
        &**tx,
        &format!(
            "SELECT CAST(1 AS BIGINT) AS n FROM {table} WHERE organization_id = $1 AND id = $2 AND {condition}"
        ),
        values,
    )
    .await?;
    found.map(|_| ()).ok_or(DomainError::NotFound(what))
}

async fn timeline(
    tx: &TenantTx,
    actor: &Actor,
    owner: Owner,
    query: &PageQuery,
) -> Result<TimelinePage, DomainError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(bad("limit", "must be between 1 and 200"));
    }
    let cursor: Option<Cursor> = match &query.cursor {
        None => None,
        Some(raw) => Some(
            URL_SAFE_NO_PAD
                .decode(raw)
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .ok_or_else(|| bad("cursor", "is not a cursor of this timeline"))?,
        ),
    };
    let (channels, activities) = match &query.channel {
        None => (
            CHANNELS
                .iter()
                .map(|c| (*c).to_string())
                .collect::<Vec<_>>(),
            true,
        ),
        Some(raw) => {
            let mut channels = Vec::new();
            let mut activities = false;
            for c in raw.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                if c == "activity" {
                    activities = true;
                } else if CHANNELS.contains(&c) {
                    channels.push(c.to_string());
                } else {
                    return Err(bad(
                        "channel",
                        &format!("must be among: {}, activity", CHANNELS.join(", ")),
                    ));
                }
            }
            (channels, activities)
        }
    };
    // $1 org, $2 record, $3/$4 keyset position, $5 limit, $6.. channels,
    // then the visibility values of a company's contacts and leads.
    let (record, whose_communications, whose_activities, mut visibility_values) =
        owned_by(actor, owner, 6 + channels.len());
    // Without a cursor the position is "after the end of time", so the
    // query has one shape and each branch walks its index backwards.
    // Untyped NULLs in a UNION branch become text on PostgreSQL; say what they are.
    let (json_type, uuid_type) = match sea_orm::ConnectionTrait::get_database_backend(&**tx) {
        sea_orm::DbBackend::Postgres => ("JSONB", "UUID"),
        _ => ("TEXT", "BLOB"),
    };
    let keyset = |col: &str| format!("AND ({col} < $3 OR ({col} = $3 AND id < $4))");
    let mut branches = Vec::new();
    if !channels.is_empty() {
        let marks: Vec<String> = (0..channels.len()).map(|i| format!("${}", i + 6)).collect();
        branches.push(format!(
            "SELECT * FROM (SELECT 'communication' AS item_type, id, sent_at AS at, channel, direction, subject, \
             content, status, CAST(NULL AS TEXT) AS kind, created_by AS actor_id, contact_id, lead_id, \
             metadata AS data, attachments \
             FROM communications WHERE organization_id = $1 AND {whose_communications} AND channel IN ({}) {} \
             ORDER BY sent_at DESC, id DESC LIMIT $5) c",
            marks.join(", "),
            keyset("sent_at")
        ));
    }
    if activities {
        branches.push(format!(
            "SELECT * FROM (SELECT 'activity' AS item_type, id, occurred_at AS at, CAST(NULL AS TEXT) AS channel, \
             CAST(NULL AS TEXT) AS direction, CAST(NULL AS TEXT) AS subject, CAST(NULL AS TEXT) AS content, \
             CAST(NULL AS TEXT) AS status, kind, actor_id, CAST(NULL AS {uuid}) AS contact_id, \
             CAST(NULL AS {uuid}) AS lead_id, data, CAST(NULL AS {json}) AS attachments \
             FROM activities WHERE organization_id = $1 AND {whose_activities} {} \
             ORDER BY occurred_at DESC, id DESC LIMIT $5) a",
            keyset("occurred_at"),
            json = json_type,
            uuid = uuid_type
        ));
    }
    if branches.is_empty() {
        return Ok(TimelinePage {
            data: Vec::new(),
            next_cursor: None,
            has_more: false,
        });
    }
    let sql = format!(
        "SELECT * FROM ({}) t ORDER BY at DESC, id DESC LIMIT $5",
        branches.join(" UNION ALL ")
    );
    let mut values: Vec<sea_orm::Value> = vec![
        tx.org_id().into(),
        record.into(),
        cursor.as_ref().map_or_else(end_of_time, |c| c.at).into(),
        cursor.as_ref().map_or(Uuid::max(), |c| c.id).into(),
        i64::from(limit + 1).into(),
    ];
    values.extend(channels.into_iter().map(Into::into));
    values.append(&mut visibility_values);
    let mut rows: Vec<TimelineItem> = db::fetch_all(&**tx, &sql, values).await?;
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    super::authors::credit(tx, &mut rows).await?;
    let next_cursor = match rows.last() {
        Some(last) if has_more => {
            let json = serde_json::to_vec(&Cursor {
                at: last.at,
                id: last.id,
            })
            .map_err(DomainError::internal)?;
            Some(URL_SAFE_NO_PAD.encode(json))
        }
        _ => None,
    };
    Ok(TimelinePage {
        data: rows,
        next_cursor,
        has_more,
    })
}

/// The record's id and the conditions picking its communications and its
/// activities; placeholders of the visibility values start at `first_param`.
fn owned_by(
    actor: &Actor,
    owner: Owner,
    first_param: usize,
) -> (Uuid, String, String, Vec<sea_orm::Value>) {
    match owner {
        Owner::Lead(id) => (id, "lead_id = $2".into(), "lead_id = $2".into(), Vec::new()),
        Owner::Contact(id) => (
            id,
            "contact_id = $2".into(),
            "contact_id = $2".into(),
            Vec::new(),
        ),
        Owner::Company(id) => {
            let (contacts_seen, mut values) = visibility::sql(
                actor,
                "contacts",
                "contact",
                &["owner_id", "created_by"],
                first_param,
            );
            let (leads_seen, mut more) = visibility::sql(
                actor,
                "leads",
                "lead",
                &["assigned_to", "created_by"],
                first_param + values.len(),
            );
            values.append(&mut more);
            let people = format!(
                "(contact_id IN (SELECT contacts.id FROM contacts WHERE contacts.organization_id = $1 \
                 AND contacts.company_id = $2 AND {contacts_seen}) \
                 OR lead_id IN (SELECT leads.id FROM leads WHERE leads.organization_id = $1 \
                 AND leads.company_id = $2 AND {leads_seen}))"
            );
            let activities = format!("(company_id = $2 OR {people})");
            (id, people, activities, values)
        }
    }
}

fn end_of_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("9999-12-31T23:59:59Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now())
}
