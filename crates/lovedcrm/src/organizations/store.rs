//! Queries on organizations and memberships.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Role;
use crate::db::{self, DbErr, GlobalTx, Row, TenantTx};
use crate::email::Locale;

#[derive(Debug, Clone, Row, Serialize, ToSchema)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    /// Members without two-factor authentication are refused (403).
    pub require_two_factor: bool,
    /// New leads' currency, and the dashboard's when it has no leads.
    pub default_currency: String,
    /// A `data:` URL, shown as the organization's badge.
    pub logo: Option<String>,
    /// `#rrggbb`.
    pub brand_color: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// An organization as one of its members sees it in a list.
#[derive(Debug, Clone, Row, Serialize, ToSchema)]
pub struct MyOrganization {
    pub id: Uuid,
    pub name: String,
    /// `owner`, `admin`, `manager`, `sales` or `viewer`
    pub role: String,
}

#[derive(Debug, Clone, Row, Serialize, ToSchema)]
pub struct Member {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: String,
    pub joined_at: DateTime<Utc>,
    pub version: i64,
}

/// Creates an organization with `owner` as its owner and the default
/// pipeline named in `locale`, in `tx` (which must be scoped to the new
/// organization's id).
pub async fn create(
    tx: &TenantTx,
    name: &str,
    owner: Uuid,
    locale: Locale,
) -> Result<Organization, DbErr> {
    let now = db::now();
    let org = Organization {
        id: tx.org_id(),
        name: name.to_string(),
        require_two_factor: false,
        default_currency: super::workspace::currency_for(locale).to_string(),
        logo: None,
        brand_color: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    db::exec(
        &**tx,
        "INSERT INTO organizations (id, name, created_by, default_currency, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $5, $4, $4, 1)",
        vec![
            org.id.into(),
            org.name.clone().into(),
            owner.into(),
            now.into(),
            org.default_currency.clone().into(),
        ],
    )
    .await?;
    add_member(tx, owner, Role::Owner).await?;
    crate::pipelines::store::create_default(tx, owner, locale).await?;
    Ok(org)
}

pub async fn add_member(tx: &TenantTx, user_id: Uuid, role: Role) -> Result<(), DbErr> {
    let now = db::now();
    db::exec(
        &**tx,
        "INSERT INTO memberships (organization_id, id, user_id, role, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $5, 1)",
        vec![
            tx.org_id().into(),
            Uuid::now_v7().into(),
            user_id.into(),
            role.as_str().into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Every organization `user_id` belongs to, oldest membership first.
pub async fn list_mine(tx: &GlobalTx, user_id: Uuid) -> Result<Vec<MyOrganization>, DbErr> {
    db::fetch_all(
        &**tx,
        "SELECT o.id, o.name, m.role FROM memberships m \
         JOIN organizations o ON o.id = m.organization_id \
         WHERE m.user_id = $1 ORDER BY m.created_at, o.id",
        vec![user_id.into()],
    )
    .await
}

/// The organizations `user_id` already belonged to at `at` (an event of their
/// account is none of the business of an organization they joined later).
pub async fn member_at(
    tx: &GlobalTx,
    user_id: Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<MyOrganization>, DbErr> {
    db::fetch_all(
        &**tx,
        "SELECT o.id, o.name, m.role FROM memberships m \
         JOIN organizations o ON o.id = m.organization_id \
         WHERE m.user_id = $1 AND m.created_at <= $2 ORDER BY m.created_at, o.id",
        vec![user_id.into(), at.into()],
    )
    .await
}

pub async fn get(tx: &TenantTx) -> Result<Option<Organization>, DbErr> {
    db::fetch_one(
        &**tx,
        "SELECT id, name, require_two_factor, default_currency, logo, brand_color, created_at, \
         updated_at, version FROM organizations WHERE id = $1",
        vec![tx.org_id().into()],
    )
    .await
}

/// Saves the organization's name, 2FA requirement, currency, logo and
/// colour from `org`, if it is still at `expected_version` (when given).
/// `None` when the version did not match.
pub async fn update(
    tx: &TenantTx,
    org: &Organization,
    expected_version: Option<i64>,
) -> Result<Option<Organization>, DbErr> {
    let changed = db::exec(
        &**tx,
        "UPDATE organizations SET name = $2, require_two_factor = $5, default_currency = $6, \
         logo = $7, brand_color = $8, updated_at = $3, \
         version = version + 1 WHERE id = $1 AND ($4 IS NULL OR version = $4)",
        vec![
            tx.org_id().into(),
            org.name.clone().into(),
            db::now().into(),
            expected_version.into(),
            org.require_two_factor.into(),
            org.default_currency.clone().into(),
            org.logo.clone().into(),
            org.brand_color.clone().into(),
        ],
    )
    .await?;
    if changed == 0 {
        return Ok(None);
    }
    get(tx).await
}

const MEMBER_COLUMNS: &str = "SELECT m.user_id, u.email, u.name, m.role, m.created_at AS joined_at, m.version \
     FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1";

pub async fn members(tx: &TenantTx) -> Result<Vec<Member>, DbErr> {
    db::fetch_all(
        &**tx,
        &format!("{MEMBER_COLUMNS} ORDER BY m.created_at, m.user_id"),
        vec![tx.org_id().into()],
    )
    .await
}

pub async fn member(tx: &TenantTx, user_id: Uuid) -> Result<Option<Member>, DbErr> {
    db::fetch_one(
        &**tx,
        &format!("{MEMBER_COLUMNS} AND m.user_id = $2"),
        vec![tx.org_id().into(), user_id.into()],
    )
    .await
}

#[derive(Row)]
struct Count {
    n: i64,
}

pub async fn owner_count(tx: &TenantTx) -> Result<i64, DbErr> {
    let row: Option<Count> = db::fetch_one(
        &**tx,
        "SELECT COUNT(*) AS n FROM memberships WHERE organization_id = $1 AND role = 'owner'",
        vec![tx.org_id().into()],
    )
    .await?;
    Ok(row.map_or(0, |c| c.n))
}

/// Sets the member's role if the membership is still at `version`; false
/// when someone else changed it first.
pub async fn set_role(
    tx: &TenantTx,
    user_id: Uuid,
    role: Role,
    version: i64,
) -> Result<bool, DbErr> {
    let n = db::exec(
        &**tx,
        "UPDATE memberships SET role = $3, updated_at = $4, version = version + 1 \
         WHERE organization_id = $1 AND user_id = $2 AND version = $5",
        vec![
            tx.org_id().into(),
            user_id.into(),
            role.as_str().into(),
            db::now().into(),
            version.into(),
        ],
    )
    .await?;
    Ok(n == 1)
}

/// Removes the member if the membership is still at `version`; false when
/// someone else changed it first.
pub async fn remove_member(tx: &TenantTx, user_id: Uuid, version: i64) -> Result<bool, DbErr> {
    let n = db::exec(
        &**tx,
        "DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2 AND version = $3",
        vec![tx.org_id().into(), user_id.into(), version.into()],
    )
    .await?;
    Ok(n == 1)
}

#[derive(Row)]
struct Currency {
    default_currency: String,
}

/// The organization's default currency.
pub async fn default_currency(tx: &TenantTx) -> Result<String, DbErr> {
    let found: Option<Currency> = db::fetch_one(
        &**tx,
        "SELECT default_currency FROM organizations WHERE id = $1",
        vec![tx.org_id().into()],
    )
    .await?;
    Ok(found.map_or_else(|| "USD".into(), |c| c.default_currency))
}
