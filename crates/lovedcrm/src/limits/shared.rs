//! Fixed one-minute windows counted in the database: a limit every node of a
//! deployment shares and a restart does not reset. For the sign-in and
//! sign-up endpoints, where a per-process bucket would give an attacker N
//! times the attempts on N nodes; the busy API keeps in-process buckets.

use sea_orm::DbErr;

use crate::db::{self, Row, Store};

const WINDOW_SECS: i64 = 60;

#[derive(Row)]
struct Hits {
    hits: i32,
}

/// Counts one request for `key`; `Some(seconds to wait)` when it goes past
/// `per_minute` in the current minute.
pub async fn hit(store: &Store, key: &str, per_minute: u32) -> Result<Option<u64>, DbErr> {
    let now = db::now().timestamp();
    let window = now - now.rem_euclid(WINDOW_SECS);
    let key_hash = crate::api_keys::hash(key);
    // One statement, so requests racing on several nodes are all counted.
    let counted: Option<Hits> = db::fetch_one(
        store.connection(),
        "INSERT INTO rate_windows (key_hash, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key_hash, window_start) DO UPDATE SET hits = rate_windows.hits + 1 \
         RETURNING hits",
        vec![key_hash.into(), window.into()],
    )
    .await?;
    let hits = counted.map_or(1, |c| c.hits);
    if hits == 1 {
        // A key's first request of a minute clears the minutes before the last.
        db::exec(
            store.connection(),
            "DELETE FROM rate_windows WHERE window_start < $1",
            vec![(window - WINDOW_SECS).into()],
        )
        .await?;
    }
    let over = u64::try_from(hits).unwrap_or(0) > u64::from(per_minute.max(1));
    Ok(over.then(|| {
        u64::try_from(window + WINDOW_SECS - now)
            .unwrap_or(1)
            .max(1)
    }))
}
