use std::ops::Deref;

use lovedcrm_migration::rls::{ORG_SETTING, USER_SETTING};
use sea_orm::{
    DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use uuid::Uuid;

use tokio::sync::OwnedMutexGuard;

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

/// A transaction and, when it writes on SQLite, this process's turn to write
/// (see [`Store::write_turn`]), held until it ends.
struct Begun {
    tx: DatabaseTransaction,
    turn: Option<OwnedMutexGuard<()>>,
}

async fn begin(store: &Store, mode: TxMode) -> Result<Begun, DbErr> {
    let turn = match mode {
        TxMode::Write => store.write_turn().await?,
        TxMode::Read => None,
    };
    let options = match (store.backend(), mode) {
        (DbBackend::Sqlite, TxMode::Write) => TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        },
        // PostgreSQL's read-only mode is set with the row-level-security
        // settings in `arm`: `SET TRANSACTION READ ONLY` would cost a round
        // trip of its own.
        _ => TransactionOptions::default(),
    };
    let tx = store.connection().begin_with_options(options).await?;
    Ok(Begun { tx, turn })
}

/// Sets the row-level-security settings for the rest of the transaction and,
/// for reads, makes it read-only, in one statement.
async fn arm(
    tx: &DatabaseTransaction,
    org: Option<Uuid>,
    user: Option<Uuid>,
    mode: TxMode,
) -> Result<(), DbErr> {
    if tx.get_database_backend_ext() != DbBackend::Postgres {
        return Ok(());
    }
    let org = org.map(|o| o.to_string()).unwrap_or_default();
    let user = user.map(|u| u.to_string()).unwrap_or_default();
    let read_only = match mode {
        TxMode::Read => ", set_config('transaction_read_only', 'on', true)",
        TxMode::Write => "",
    };
    exec(
        tx,
        &format!(
            "SELECT set_config('{ORG_SETTING}', $1, true), set_config('{USER_SETTING}', $2, true){read_only}"
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
    // Dropped before `_turn`: a transaction that was not committed has
    // started its rollback before the next writer is let in.
    tx: DatabaseTransaction,
    org_id: Uuid,
    _turn: Option<OwnedMutexGuard<()>>,
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
        let Begun { tx, turn } = begin(store, mode).await?;
        arm(&tx, Some(org_id), user_id, mode).await?;
        Ok(Self {
            tx,
            org_id,
            _turn: turn,
        })
    }

    pub fn org_id(&self) -> Uuid {
        self.org_id
    }

    /// Plans the transaction's further statements for their actual
    /// parameters (PostgreSQL). How many rows a full-text condition matches
    /// swings from a handful to a tenth of the table with the words searched,
    /// and a cached generic plan fitted to one is ruinous for the other: on a
    /// million contacts "benjamin moreira" took 457 ms on the generic plan
    /// (walking the newest-first index) and 18 ms on its own plan.
    pub async fn plan_for_parameters(&self) -> Result<(), DbErr> {
        if self.tx.get_database_backend_ext() != DbBackend::Postgres {
            return Ok(());
        }
        exec(
            &self.tx,
            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)",
            Vec::new(),
        )
        .await?;
        Ok(())
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
    _turn: Option<OwnedMutexGuard<()>>,
}

impl GlobalTx {
    pub async fn begin(store: &Store, user_id: Option<Uuid>, mode: TxMode) -> Result<Self, DbErr> {
        let Begun { tx, turn } = begin(store, mode).await?;
        arm(&tx, None, user_id, mode).await?;
        Ok(Self { tx, _turn: turn })
    }

    /// A transaction that may read the one API key or invite whose hash is
    /// `credential_hash` in whatever organization it lives (see migration
    /// m0007); nothing else of any organization is visible.
    pub async fn begin_credential_lookup(
        store: &Store,
        credential_hash: &str,
        mode: TxMode,
    ) -> Result<Self, DbErr> {
        let Begun { tx, turn } = begin(store, mode).await?;
        arm(&tx, None, None, mode).await?;
        if tx.get_database_backend_ext() == DbBackend::Postgres {
            exec(
                &tx,
                "SELECT set_config('lovedcrm.credential', $1, true)",
                vec![credential_hash.into()],
            )
            .await?;
        }
        Ok(Self { tx, _turn: turn })
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
