use std::ops::Deref;

use lovedcrm_migration::rls::{ORG_SETTING, USER_SETTING};
use sea_orm::{
    AccessMode, DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use uuid::Uuid;

use super::Store;
use super::sql::exec;

/// Whether a transaction may write.
///
/// On SQLite a writing transaction starts `IMMEDIATE`: a deferred one that
/// reads first fails with "database is locked" when another writer commits
/// in between, instead of waiting on the busy timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxMode {
    Read,
    Write,
}

async fn begin(store: &Store, mode: TxMode) -> Result<DatabaseTransaction, DbErr> {
    let options = match (store.backend(), mode) {
        (DbBackend::Sqlite, TxMode::Write) => TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        },
        (DbBackend::Postgres, TxMode::Read) => TransactionOptions {
            access_mode: Some(AccessMode::ReadOnly),
            ..Default::default()
        },
        _ => TransactionOptions::default(),
    };
    store.connection().begin_with_options(options).await
}

/// Sets the row-level-security settings for the rest of the transaction.
async fn arm_rls(
    tx: &DatabaseTransaction,
    org: Option<Uuid>,
    user: Option<Uuid>,
) -> Result<(), DbErr> {
    if tx.get_database_backend_ext() != DbBackend::Postgres {
        return Ok(());
    }
    let org = org.map(|o| o.to_string()).unwrap_or_default();
    let user = user.map(|u| u.to_string()).unwrap_or_default();
    exec(
        tx,
        &format!(
            "SELECT set_config('{ORG_SETTING}', $1, true), set_config('{USER_SETTING}', $2, true)"
        ),
        vec![org.into(), user.into()],
    )
    .await?;
    Ok(())
}

trait BackendExt {
    fn get_database_backend_ext(&self) -> DbBackend;
}

impl BackendExt for DatabaseTransaction {
    fn get_database_backend_ext(&self) -> DbBackend {
        sea_orm::ConnectionTrait::get_database_backend(self)
    }
}

/// A transaction scoped to one organization.
///
/// Every query on a tenant table runs inside one of these and filters on
/// [`TenantTx::org_id`]; on PostgreSQL row-level security enforces the same
/// scope a second time. Handlers get one from `OrgContext`.
pub struct TenantTx {
    tx: DatabaseTransaction,
    org_id: Uuid,
}

impl TenantTx {
    /// Opens a transaction for `org_id` acting as `user_id`.
    ///
    /// Only the organization context (after its membership check) and the
    /// flows that create an organization may call this.
    pub(crate) async fn begin(
        store: &Store,
        org_id: Uuid,
        user_id: Option<Uuid>,
        mode: TxMode,
    ) -> Result<Self, DbErr> {
        let tx = begin(store, mode).await?;
        arm_rls(&tx, Some(org_id), user_id).await?;
        Ok(Self { tx, org_id })
    }

    pub fn org_id(&self) -> Uuid {
        self.org_id
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        self.tx.commit().await
    }
}

impl Deref for TenantTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

/// A transaction outside any organization: users, sessions, security events,
/// and (for `user_id`) the caller's own memberships across organizations.
pub struct GlobalTx {
    tx: DatabaseTransaction,
}

impl GlobalTx {
    pub async fn begin(store: &Store, user_id: Option<Uuid>, mode: TxMode) -> Result<Self, DbErr> {
        let tx = begin(store, mode).await?;
        arm_rls(&tx, None, user_id).await?;
        Ok(Self { tx })
    }

    /// A transaction that may read the one API key or invite whose hash is
    /// `credential_hash` in whatever organization it lives (see migration
    /// m0007); nothing else of any organization is visible.
    pub async fn begin_credential_lookup(
        store: &Store,
        credential_hash: &str,
        mode: TxMode,
    ) -> Result<Self, DbErr> {
        let tx = begin(store, mode).await?;
        arm_rls(&tx, None, None).await?;
        if tx.get_database_backend_ext() == DbBackend::Postgres {
            exec(
                &tx,
                "SELECT set_config('lovedcrm.credential', $1, true)",
                vec![credential_hash.into()],
            )
            .await?;
        }
        Ok(Self { tx })
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        self.tx.commit().await
    }
}

impl Deref for GlobalTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}
