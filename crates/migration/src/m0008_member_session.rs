//! One round trip to check a request's session and membership (PostgreSQL).
//!
//! Every tenant request checks that its session is live and its user a member
//! of the organization it names. Memberships are under row-level security,
//! readable once `lovedcrm.user_id` is set, so the check used to take a
//! transaction of its own: BEGIN, the setting, the query, COMMIT, after the
//! session lookup — five round trips before the handler's first query.
//! `lovedcrm_member_session` sets the user for its own statement and reads
//! both in one. It is `SECURITY INVOKER`: it sees exactly what the caller's
//! role would see after setting the same value itself.
//!
//! SQLite has no row-level security and runs the same join directly.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_member_session"
    }
}

const FUNCTION: &str = r#"
CREATE FUNCTION lovedcrm_member_session(
    p_session UUID, p_user UUID, p_org UUID, p_now TIMESTAMPTZ, p_idle_since TIMESTAMPTZ
) RETURNS TABLE (
    user_id UUID,
    last_organization_id UUID,
    last_seen_at TIMESTAMPTZ,
    role TEXT,
    permissions JSONB,
    require_two_factor BOOLEAN,
    totp_enabled_at TIMESTAMPTZ
)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
#variable_conflict use_column
BEGIN
    PERFORM set_config('lovedcrm.user_id', p_user::text, true);
    RETURN QUERY
    SELECT s.user_id, u.last_organization_id, s.last_seen_at, m.role, o.permissions,
           o.require_two_factor, u.totp_enabled_at
    FROM sessions s
    JOIN users u ON u.id = s.user_id
    LEFT JOIN memberships m ON m.organization_id = p_org AND m.user_id = s.user_id
    LEFT JOIN organizations o ON o.id = m.organization_id
    WHERE s.id = p_session AND s.user_id = p_user AND s.revoked_at IS NULL
      AND s.expires_at > p_now AND s.last_seen_at > p_idle_since AND u.is_active;
END
$$
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(FUNCTION)
            .await?;
        Ok(())
    }
}
