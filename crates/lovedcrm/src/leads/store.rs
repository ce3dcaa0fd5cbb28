//! Lead queries, including where a card sits in its column.

use serde_json::json;
use uuid::Uuid;

use super::model::{COLUMNS, Lead};
use crate::db::{self, DbErr, Row, TenantTx};
use crate::pipelines::{Stage, StageKind};
use crate::records::search;
use crate::timeline::activities::{self, On};

const TABLE: &str = "leads";
/// Space between neighbouring cards, so most moves touch one row.
pub const GAP: f64 = 1024.0;

pub async fn get(
    tx: &TenantTx,
    id: Uuid,
    visible: (String, Vec<sea_orm::Value>),
) -> Result<Option<Lead>, DbErr> {
    let (condition, mut extra) = visible;
    let mut values = vec![tx.org_id().into(), id.into()];
    values.append(&mut extra);
    db::fetch_one(
        &**tx,
        &format!(
            "SELECT {COLUMNS} FROM leads WHERE organization_id = $1 AND id = $2 AND {condition}"
        ),
        values,
    )
    .await
}

fn search_text(l: &Lead) -> String {
    search::text([
        Some(l.title.as_str()),
        l.email.as_deref(),
        l.phone.as_deref(),
        l.company_name.as_deref(),
    ])
}

fn values(tx: &TenantTx, l: &Lead, text: &str) -> Vec<sea_orm::Value> {
    vec![
        tx.org_id().into(),
        l.id.into(),
        l.title.clone().into(),
        l.email.clone().into(),
        l.phone.clone().into(),
        l.company_name.clone().into(),
        l.company_id.into(),
        l.contact_id.into(),
        l.pipeline_id.into(),
        l.stage_id.into(),
        l.position.into(),
        l.status.clone().into(),
        l.lost_reason.clone().into(),
        l.estimated_value.into(),
        l.currency.clone().into(),
        l.probability.into(),
        l.expected_close_date.into(),
        l.source.clone().into(),
        l.score.into(),
        l.assigned_to.into(),
        l.last_contact_at.into(),
        l.last_contact_channel.clone().into(),
        l.closed_at.into(),
        l.converted_at.into(),
        l.custom_fields.clone().into(),
        text.into(),
    ]
}

pub async fn insert(tx: &TenantTx, l: &Lead) -> Result<(), DbErr> {
    let text = search_text(l);
    let mut v = values(tx, l, &text);
    v.extend([
        search::rowid(l.id).into(),
        l.created_by.into(),
        l.created_at.into(),
    ]);
    db::exec(
        &**tx,
        "INSERT INTO leads (organization_id, id, title, email, phone, company_name, company_id, \
         contact_id, pipeline_id, stage_id, position, status, lost_reason, estimated_value, currency, \
         probability, expected_close_date, source, score, assigned_to, last_contact_at, \
         last_contact_channel, closed_at, converted_at, custom_fields, search_text, search_rowid, \
         created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, \
         $28, $29, $29, 1)",
        v,
    )
    .await?;
    search::index(tx, TABLE, l.id, &text).await
}

/// Saves every column if the row is still at `l.version`.
pub async fn update(tx: &TenantTx, l: &Lead) -> Result<bool, DbErr> {
    let text = search_text(l);
    let mut v = values(tx, l, &text);
    v.extend([db::now().into(), l.version.into()]);
    let n = db::exec(
        &**tx,
        "UPDATE leads SET title = $3, email = $4, phone = $5, company_name = $6, company_id = $7, \
         contact_id = $8, pipeline_id = $9, stage_id = $10, position = $11, status = $12, \
         lost_reason = $13, estimated_value = $14, currency = $15, probability = $16, \
         expected_close_date = $17, source = $18, score = $19, assigned_to = $20, \
         last_contact_at = $21, last_contact_channel = $22, closed_at = $23, converted_at = $24, \
         custom_fields = $25, search_text = $26, updated_at = $27, version = version + 1 \
         WHERE organization_id = $1 AND id = $2 AND version = $28",
        v,
    )
    .await?;
    if n == 1 {
        search::index(tx, TABLE, l.id, &text).await?;
    }
    Ok(n == 1)
}

pub async fn delete(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    // Conversations that also belong to a contact stay on the contact's timeline.
    for sql in [
        "UPDATE communications SET lead_id = NULL WHERE organization_id = $1 AND lead_id = $2 AND contact_id IS NOT NULL",
        "UPDATE activities SET lead_id = NULL WHERE organization_id = $1 AND lead_id = $2 AND contact_id IS NOT NULL",
        "DELETE FROM leads WHERE organization_id = $1 AND id = $2",
    ] {
        db::exec(&**tx, sql, vec![tx.org_id().into(), id.into()]).await?;
    }
    crate::tags::store::clear_record(tx, super::ENTITY, id).await?;
    crate::followers::clear_record(tx, super::ENTITY, id).await?;
    search::unindex(tx, TABLE, id).await
}

#[derive(Row)]
struct Position {
    position: f64,
}

/// Serializes card moves per pipeline on PostgreSQL: two moves that both
/// respace columns could otherwise lock cards in opposite orders (a
/// deadlock). Locks are taken in a fixed order, so a move between two
/// pipelines cannot deadlock either. SQLite's immediate write transactions
/// already serialize every write.
pub async fn lock_pipelines(tx: &TenantTx, pipelines: &[Uuid]) -> Result<(), DbErr> {
    if sea_orm::ConnectionTrait::get_database_backend(&**tx) != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let mut keys: Vec<i64> = pipelines.iter().map(|p| search::rowid(*p)).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        db::exec(&**tx, "SELECT pg_advisory_xact_lock($1)", vec![key.into()]).await?;
    }
    Ok(())
}

/// After the last card of `stage_id`.
pub async fn end_of_column(tx: &TenantTx, stage_id: Uuid) -> Result<f64, DbErr> {
    let last: Option<Position> = db::fetch_one(
        &**tx,
        "SELECT position FROM leads WHERE organization_id = $1 AND stage_id = $2 ORDER BY position DESC LIMIT 1",
        vec![tx.org_id().into(), stage_id.into()],
    )
    .await?;
    Ok(last.map_or(GAP, |p| p.position + GAP))
}

/// The position that puts a card at 0-based `index` of `stage_id`'s column
/// (not counting the card `moving` itself).
pub async fn position_at(
    tx: &TenantTx,
    stage_id: Uuid,
    moving: Uuid,
    index: u32,
) -> Result<f64, DbErr> {
    let neighbours = |offset: u32| {
        db::fetch_all::<Position, _>(
            &**tx,
            "SELECT position FROM leads WHERE organization_id = $1 AND stage_id = $2 AND id <> $3 \
             ORDER BY position, id LIMIT 2 OFFSET $4",
            vec![
                tx.org_id().into(),
                stage_id.into(),
                moving.into(),
                i64::from(offset).into(),
            ],
        )
    };
    let (before, after) = if index == 0 {
        let rows = neighbours(0).await?;
        (None, rows.first().map(|p| p.position))
    } else {
        let rows = neighbours(index - 1).await?;
        (
            rows.first().map(|p| p.position),
            rows.get(1).map(|p| p.position),
        )
    };
    let position = match (before, after) {
        (None, None) => GAP,
        (None, Some(a)) => a - GAP,
        (Some(b), None) => b + GAP,
        (Some(b), Some(a)) => (a + b) / 2.0,
    };
    // Midpoints halve the gap each time; when it gets too thin, respace the column.
    let too_close = matches!((before, after), (Some(b), Some(a)) if (a - b).abs() < 1e-6);
    if too_close {
        respace(tx, stage_id).await?;
        return Box::pin(position_at(tx, stage_id, moving, index)).await;
    }
    Ok(position)
}

/// Renumbers a column's cards GAP apart, keeping their order.
async fn respace(tx: &TenantTx, stage_id: Uuid) -> Result<(), DbErr> {
    #[derive(Row)]
    struct Id {
        id: Uuid,
    }
    let ids: Vec<Id> = db::fetch_all(
        &**tx,
        "SELECT id FROM leads WHERE organization_id = $1 AND stage_id = $2 ORDER BY position, id",
        vec![tx.org_id().into(), stage_id.into()],
    )
    .await?;
    for (i, row) in ids.iter().enumerate() {
        db::exec(
            &**tx,
            "UPDATE leads SET position = $3 WHERE organization_id = $1 AND id = $2",
            vec![
                tx.org_id().into(),
                row.id.into(),
                ((i + 1) as f64 * GAP).into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// What reaching `stage` does to a lead's status.
pub fn apply_stage(
    lead: &mut Lead,
    stage: &Stage,
    outcome: Option<&str>,
    lost_reason: Option<String>,
) {
    let status = match stage.kind() {
        StageKind::Open => "open",
        StageKind::Won => "won",
        StageKind::Lost => "lost",
        StageKind::Closed => outcome.unwrap_or(lead.status.as_str()),
    }
    .to_string();
    if status == "open" {
        lead.closed_at = None;
        lead.lost_reason = None;
    } else if lead.status == "open" || lead.closed_at.is_none() {
        lead.closed_at = Some(db::now());
    }
    if status == "lost" {
        lead.lost_reason = lost_reason.or(lead.lost_reason.take());
    } else {
        lead.lost_reason = None;
    }
    lead.status = status;
    lead.pipeline_id = stage.pipeline_id;
    lead.stage_id = stage.id;
}

/// Writes the stage-change activity of a move.
pub async fn record_move(
    tx: &TenantTx,
    lead: &Lead,
    from: &Stage,
    to: &Stage,
    actor: Option<Uuid>,
) -> Result<(), DbErr> {
    activities::record(
        tx,
        On {
            lead_id: Some(lead.id),
            contact_id: lead.contact_id,
            company_id: None,
        },
        "stage_changed",
        actor,
        json!({
            "from_stage_id": from.id, "from_stage": from.name,
            "to_stage_id": to.id, "to_stage": to.name,
            "status": lead.status, "lost_reason": lead.lost_reason,
        }),
    )
    .await?;
    Ok(())
}

/// Moves every lead of `from` to the end of `to` (a stage being deleted).
pub async fn move_all(
    tx: &TenantTx,
    from: &Stage,
    to: &Stage,
    actor: Option<Uuid>,
) -> Result<(), DbErr> {
    let leads: Vec<Lead> = db::fetch_all(
        &**tx,
        &format!("SELECT {COLUMNS} FROM leads WHERE organization_id = $1 AND stage_id = $2 ORDER BY position, id"),
        vec![tx.org_id().into(), from.id.into()],
    )
    .await?;
    lock_pipelines(tx, &[from.pipeline_id, to.pipeline_id]).await?;
    let mut position = end_of_column(tx, to.id).await?;
    for mut lead in leads {
        apply_stage(&mut lead, to, None, None);
        lead.position = position;
        position += GAP;
        update(tx, &lead).await?;
        record_move(tx, &lead, from, to, actor).await?;
    }
    Ok(())
}
