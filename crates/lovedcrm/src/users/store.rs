//! Queries on users.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::db::{self, DbErr, Row};

#[derive(Debug, Clone, Row)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub last_organization_id: Option<Uuid>,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

const COLUMNS: &str = "SELECT id, email, name, password_hash, email_verified_at, last_organization_id, \
     is_active, created_at, version FROM users";

pub async fn find_by_email<C: ConnectionTrait>(
    conn: &C,
    email: &str,
) -> Result<Option<User>, DbErr> {
    db::fetch_one(
        conn,
        &format!("{COLUMNS} WHERE email = $1"),
        vec![email.into()],
    )
    .await
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<Option<User>, DbErr> {
    db::fetch_one(conn, &format!("{COLUMNS} WHERE id = $1"), vec![id.into()]).await
}

pub struct NewUser<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub verified: bool,
    pub last_organization_id: Option<Uuid>,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, user: NewUser<'_>) -> Result<(), DbErr> {
    let now = db::now();
    db::exec(
        conn,
        "INSERT INTO users (id, email, name, password_hash, email_verified_at, last_organization_id, \
         is_active, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1)",
        vec![
            user.id.into(),
            user.email.into(),
            user.name.into(),
            user.password_hash.into(),
            user.verified.then_some(now).into(),
            user.last_organization_id.into(),
            true.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Renames the user, when `expected` (if any) is the current version.
/// `None` means the version did not match.
pub async fn rename<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    name: &str,
    expected: Option<i64>,
) -> Result<Option<User>, DbErr> {
    let changed = db::exec(
        conn,
        "UPDATE users SET name = $2, updated_at = $3, version = version + 1 \
         WHERE id = $1 AND ($4 IS NULL OR version = $4)",
        vec![id.into(), name.into(), db::now().into(), expected.into()],
    )
    .await?;
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id).await
}

/// Records that `id`'s address was shown to be theirs (a link mailed to it
/// was followed).
pub async fn mark_verified<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<(), DbErr> {
    let now = db::now();
    db::exec(
        conn,
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE id = $1",
        vec![id.into(), now.into()],
    )
    .await?;
    Ok(())
}
