//! An in-memory SQLite table of items, and paging through it the way a
//! handler would.

use std::cmp::Ordering;

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, QueryResult, Statement, Value,
};
use uuid::Uuid;

use super::{ITEMS, pairs};
use crate::lists::{CursorKey, Page, build, page, parse};

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Item {
    pub(super) id: Uuid,
    pub(super) name: Option<String>,
    pub(super) amount: Option<i64>,
    pub(super) created_at: DateTime<Utc>,
}

impl Item {
    pub(super) fn from_row(row: &QueryResult) -> Item {
        Item {
            id: row.try_get("", "id").unwrap(),
            name: row.try_get("", "name").unwrap(),
            amount: row.try_get("", "amount").unwrap(),
            created_at: row.try_get("", "created_at").unwrap(),
        }
    }

    pub(super) fn key(&self) -> CursorKey {
        CursorKey::new(self.id)
            .with("name", self.name.clone())
            .with("amount", self.amount)
            .with("created_at", self.created_at)
    }
}

/// Deterministic pseudo-random numbers (splitmix64).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Few distinct values, so every sort key has many duplicates and NULLs.
    pub(super) fn item(&mut self) -> Item {
        const NAMES: [&str; 8] = ["alice", "Bob", "bob", "carol", "Émile", "_x", "a%b", "dave"];
        let base = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        // Whole, milli- and microsecond times: their text forms differ in
        // length, which must not disturb SQLite's text ordering.
        let frac = [0, 100_000, 123_456][self.below(3) as usize];
        let created_at =
            base + Duration::seconds(self.below(23) as i64) + Duration::microseconds(frac);
        Item {
            id: Uuid::from_u128(u128::from(self.next()) << 64 | u128::from(self.next())),
            name: (self.below(6) != 0).then(|| NAMES[self.below(8) as usize].to_string()),
            amount: (self.below(4) != 0).then(|| self.below(9) as i64 - 4),
            created_at,
        }
    }
}

pub(super) async fn setup(
    rng: &mut Rng,
    org: Uuid,
    other_org: Uuid,
) -> (DatabaseConnection, Vec<Item>) {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    db.execute_unprepared(
        "CREATE TABLE items (organization_id BLOB NOT NULL, id BLOB NOT NULL PRIMARY KEY, \
         name TEXT, amount INTEGER NULL, created_at TEXT NOT NULL)",
    )
    .await
    .unwrap();
    let items: Vec<Item> = (0..200).map(|_| rng.item()).collect();
    for item in &items {
        insert(&db, org, item).await;
    }
    // Same values in another organization: must never show up.
    for _ in 0..30 {
        insert(&db, other_org, &rng.item()).await;
    }
    (db, items)
}

pub(super) async fn insert(db: &DatabaseConnection, org: Uuid, item: &Item) {
    let values: Vec<Value> = vec![
        org.into(),
        item.id.into(),
        item.name.clone().into(),
        item.amount.into(),
        item.created_at.into(),
    ];
    let sql = "INSERT INTO items (organization_id, id, name, amount, created_at) \
               VALUES ($1, $2, $3, $4, $5)";
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        sql,
        values,
    ))
    .await
    .unwrap();
}

/// One request: parse the query string, run the SELECT, build the page.
pub(super) async fn fetch(db: &DatabaseConnection, org: Uuid, list: &[(&str, &str)]) -> Page<Item> {
    let query = parse(&ITEMS, &pairs(list)).unwrap();
    let mut select = query.select(&ITEMS, org);
    for column in ["id", "name", "amount", "created_at"] {
        select.expr(Expr::col((Alias::new("items"), Alias::new(column))));
    }
    let rows = db
        .query_all_raw(build(&select, db.get_database_backend()))
        .await
        .unwrap();
    let items = rows.iter().map(Item::from_row).collect();
    page(items, &query, Item::key).unwrap()
}

/// Follows `next_cursor` to the end, calling `between` after each page.
pub(super) async fn fetch_all(
    db: &DatabaseConnection,
    org: Uuid,
    list: &[(&str, &str)],
    limit: &str,
    mut between: impl AsyncFnMut(&Item),
) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..500 {
        let mut params = list.to_vec();
        params.push(("limit", limit));
        if let Some(c) = &cursor {
            params.push(("cursor", c));
        }
        let p = fetch(db, org, &params).await;
        assert_eq!(p.has_more, p.next_cursor.is_some());
        out.extend(p.data);
        match p.next_cursor {
            Some(c) => {
                between(out.last().unwrap()).await;
                cursor = Some(c);
            }
            None => return out,
        }
    }
    panic!("paging did not end: {} rows for {list:?}", out.len());
}

/// The documented order in Rust: keys with NULLs last in either direction,
/// then id in the direction of the last key.
pub(super) fn expected(items: &[Item], sort: &str) -> Vec<Item> {
    fn cmp<T: Ord>(a: Option<&T>, b: Option<&T>, desc: bool) -> Ordering {
        match (a, b) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) if desc => y.cmp(x),
            (Some(x), Some(y)) => x.cmp(y),
        }
    }
    let keys: Vec<(&str, bool)> = sort
        .split(',')
        .map(|k| k.strip_prefix('-').map_or((k, false), |name| (name, true)))
        .collect();
    let mut sorted = items.to_vec();
    sorted.sort_by(|a, b| {
        let by_keys = keys.iter().map(|&(name, desc)| match name {
            "name" => cmp(a.name.as_ref(), b.name.as_ref(), desc),
            "amount" => cmp(a.amount.as_ref(), b.amount.as_ref(), desc),
            "created_at" => cmp(Some(&a.created_at), Some(&b.created_at), desc),
            other => panic!("no field {other}"),
        });
        let last_desc = keys.last().is_some_and(|k| k.1);
        by_keys
            .chain(std::iter::once(cmp(Some(&a.id), Some(&b.id), last_desc)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    sorted
}

pub(super) fn ids(items: &[Item]) -> Vec<Uuid> {
    items.iter().map(|i| i.id).collect()
}
