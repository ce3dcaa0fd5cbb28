//! Invitations by email (SPEC §2): an admin invites an address with a role;
//! the emailed link lets the person join as an existing or a new user.
//!
//! Only the SHA-256 of an invite's token is stored. The public endpoints find
//! an invite by that hash before any organization is known, through the
//! credential lookup that row-level security allows for exactly that row.

mod accept;
mod manage;
mod routes;

pub(crate) use routes::invite;
pub use routes::router;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::SharedState;
use crate::auth::tokens::{hash_refresh_token as hash, new_refresh_token as new_token};
use crate::db::{self, DbErr, Row, TenantTx};

/// How long an invite's link works.
pub const VALID_FOR_DAYS: i64 = 7;

#[derive(Debug, Clone, Serialize, ToSchema, Row)]
pub struct InviteRow {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub invited_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An invite as admins see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Invite {
    #[serde(flatten)]
    pub row: InviteRow,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub status: &'static str,
}

impl From<InviteRow> for Invite {
    fn from(row: InviteRow) -> Self {
        let status = if row.accepted_at.is_some() {
            "accepted"
        } else if row.revoked_at.is_some() {
            "revoked"
        } else if row.expires_at <= Utc::now() {
            "expired"
        } else {
            "pending"
        };
        Invite { row, status }
    }
}

const COLUMNS: &str = "SELECT id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at \
     FROM invites WHERE organization_id = $1";

pub async fn find(tx: &TenantTx, id: Uuid) -> Result<Option<Invite>, DbErr> {
    let row: Option<InviteRow> = db::fetch_one(
        &**tx,
        &format!("{COLUMNS} AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(row.map(Invite::from))
}

pub async fn list(tx: &TenantTx) -> Result<Vec<Invite>, DbErr> {
    let rows: Vec<InviteRow> = db::fetch_all(
        &**tx,
        &format!("{COLUMNS} ORDER BY created_at DESC, id DESC"),
        vec![tx.org_id().into()],
    )
    .await?;
    Ok(rows.into_iter().map(Invite::from).collect())
}

/// Gives the invite a fresh token and expiry; returns the token for the link.
pub async fn renew_token(tx: &TenantTx, id: Uuid) -> Result<String, DbErr> {
    let token = new_token();
    db::exec(
        &**tx,
        "UPDATE invites SET token_hash = $3, expires_at = $4 WHERE organization_id = $1 AND id = $2",
        vec![
            tx.org_id().into(),
            id.into(),
            hash(&token).into(),
            (db::now() + Duration::days(VALID_FOR_DAYS)).into(),
        ],
    )
    .await?;
    Ok(token)
}

/// Creates a pending invite; returns it and the token for the link.
pub async fn create(
    tx: &TenantTx,
    email: &str,
    role: &str,
    invited_by: Uuid,
) -> Result<(Uuid, String), DbErr> {
    let id = Uuid::now_v7();
    let token = new_token();
    let now = db::now();
    db::exec(
        &**tx,
        "INSERT INTO invites (organization_id, id, email, role, token_hash, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vec![
            tx.org_id().into(),
            id.into(),
            email.into(),
            role.into(),
            hash(&token).into(),
            invited_by.into(),
            now.into(),
            (now + Duration::days(VALID_FOR_DAYS)).into(),
        ],
    )
    .await?;
    Ok((id, token))
}

/// The link the email carries.
pub fn link(app: &SharedState, token: &str) -> String {
    format!("{}/invite/{token}", app.config.public_base())
}
