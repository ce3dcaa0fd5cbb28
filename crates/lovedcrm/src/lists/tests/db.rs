//! Paging a real SQLite table: every sort must return each row exactly once
//! and in the documented order, even when rows are inserted mid-way.

use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, QueryResult, Statement, Value,
};
use uuid::Uuid;

use super::{ITEMS, pairs};
use crate::lists::{CursorKey, Page, build, page, parse};

#[derive(Debug, Clone, PartialEq)]
struct Item {
    id: Uuid,
    name: Option<String>,
    amount: Option<i64>,
    created_at: DateTime<Utc>,
}

impl Item {
    fn from_row(row: &QueryResult) -> Item {
        Item {
            id: row.try_get("", "id").unwrap(),
            name: row.try_get("", "name").unwrap(),
            amount: row.try_get("", "amount").unwrap(),
            created_at: row.try_get("", "created_at").unwrap(),
        }
    }

    fn key(&self) -> CursorKey {
        CursorKey::new(self.id)
            .with("name", self.name.clone())
            .with("amount", self.amount)
            .with("created_at", self.created_at)
    }
}

/// Deterministic pseudo-random numbers (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Few distinct values, so every sort key has many duplicates and NULLs.
    fn item(&mut self) -> Item {
        const NAMES: [&str; 8] = ["alice", "Bob", "bob", "carol", "Émile", "_x", "a%b", "dave"];
        let base = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        // Whole, milli- and microsecond times: their text forms differ in
        // length, which must not disturb SQLite's text ordering.
        let frac = [0, 100_000, 123_456][self.below(3) as usize];
        let created_at = base
            + Duration::seconds(self.below(23) as i64)
            + Duration::microseconds(frac);
        Item {
            id: Uuid::from_u128(u128::from(self.next()) << 64 | u128::from(self.next())),
            name: (self.below(6) != 0).then(|| NAMES[self.below(8) as usize].to_string()),
            amount: (self.below(4) != 0).then(|| self.below(9) as i64 - 4),
            created_at,
        }
    }
}

async fn setup(rng: &mut Rng, org: Uuid, other_org: Uuid) -> (DatabaseConnection, Vec<Item>) {
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

async fn insert(db: &DatabaseConnection, org: Uuid, item: &Item) {
    let values: Vec<Value> = vec![
        org.into(),
        item.id.into(),
        item.name.clone().into(),
        item.amount.into(),
        item.created_at.into(),
    ];
    let sql = "INSERT INTO items (organization_id, id, name, amount, created_at) \
               VALUES ($1, $2, $3, $4, $5)";
    db.execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, sql, values))
        .await
        .unwrap();
}

/// One request: parse the query string, run the SELECT, build the page.
async fn fetch(db: &DatabaseConnection, org: Uuid, list: &[(&str, &str)]) -> Page<Item> {
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
async fn fetch_all(
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
fn expected(items: &[Item], sort: &str) -> Vec<Item> {
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

fn ids(items: &[Item]) -> Vec<Uuid> {
    items.iter().map(|i| i.id).collect()
}

const SORTS: [(Option<&str>, &str); 6] = [
    (Some("name"), "name"),
    (Some("-amount"), "-amount"),
    (Some("amount,-name"), "amount,-name"),
    (None, "-created_at"),
    (Some("-name,created_at"), "-name,created_at"),
    (Some("created_at,amount,name"), "created_at,amount,name"),
];

#[tokio::test]
async fn pages_cover_every_row_once_in_order() {
    let (org, other) = (Uuid::now_v7(), Uuid::now_v7());
    let mut rng = Rng(7);
    let (db, items) = setup(&mut rng, org, other).await;
    assert!(items.iter().filter(|i| i.amount.is_none()).count() > 20);
    assert!(items.iter().filter(|i| i.name.is_none()).count() > 20);
    for (sort, expect) in SORTS {
        let list: Vec<(&str, &str)> = sort.map(|s| ("sort", s)).into_iter().collect();
        let want = expected(&items, expect);
        let got = fetch_all(&db, org, &list, "7", async |_| {}).await;
        assert_eq!(ids(&got), ids(&want), "sort {expect}");
        assert_eq!(got, want, "values round-trip for sort {expect}");
        // One page holding everything agrees (no cursor involved).
        assert_eq!(ids(&fetch(&db, org, &list_with(&list, "200")).await.data), ids(&want));
    }
}

fn list_with<'a>(list: &[(&'a str, &'a str)], limit: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut v = list.to_vec();
    v.push(("limit", limit));
    v
}

#[tokio::test]
async fn inserts_between_pages_neither_skip_nor_repeat() {
    let (org, other) = (Uuid::now_v7(), Uuid::now_v7());
    for (sort, expect) in SORTS {
        // A fresh table per sort: the inserts below roughly double it.
        let (db, items) = setup(&mut Rng(11), org, other).await;
        let list: Vec<(&str, &str)> = sort.map(|s| ("sort", s)).into_iter().collect();
        let want = ids(&expected(&items, expect));
        let original: HashSet<Uuid> = want.iter().copied().collect();
        let mut rng = Rng(1000 + expect.len() as u64);
        let got = fetch_all(&db, org, &list, "7", async |last: &Item| {
            // Random rows, plus twins of the last row (same keys, other id)
            // that land right before or right after the cursor.
            let mut new = vec![rng.item(), rng.item()];
            for _ in 0..2 {
                let twin = rng.item();
                new.push(Item {
                    id: twin.id,
                    ..last.clone()
                });
            }
            for item in &new {
                insert(&db, org, item).await;
            }
        })
        .await;
        let got_ids = ids(&got);
        let unique: HashSet<Uuid> = got_ids.iter().copied().collect();
        assert_eq!(unique.len(), got_ids.len(), "a row repeated under sort {expect}");
        let originals: Vec<Uuid> = got_ids.into_iter().filter(|i| original.contains(i)).collect();
        assert_eq!(originals, want, "original rows skipped or reordered under sort {expect}");
    }
}

#[tokio::test]
async fn filters_agree_with_rust_and_count() {
    let (org, other) = (Uuid::now_v7(), Uuid::now_v7());
    let mut rng = Rng(3);
    let (db, items) = setup(&mut rng, org, other).await;
    let t0 = items[0].created_at.to_rfc3339();
    let some_ids = format!("{},{},{}", items[1].id, items[2].id, items[3].id);
    let name_is = |n: &'static str| move |i: &Item| i.name.as_deref() == Some(n);
    let ascii_lower = |i: &Item| i.name.as_ref().map(|n| n.to_ascii_lowercase());
    type Case<'a> = (Vec<(&'a str, &'a str)>, Box<dyn Fn(&Item) -> bool + 'a>);
    let cases: Vec<Case> = vec![
        (vec![("name", "bob")], Box::new(name_is("bob"))),
        (vec![("name[neq]", "bob")], Box::new(|i: &Item| !name_is("bob")(i))),
        (vec![("amount[gte]", "0")], Box::new(|i: &Item| i.amount.is_some_and(|a| a >= 0))),
        (vec![("amount[lt]", "-2")], Box::new(|i: &Item| i.amount.is_some_and(|a| a < -2))),
        (vec![("amount[neq]", "3")], Box::new(|i: &Item| i.amount != Some(3))),
        (vec![("amount[in]", "1,2,3")], Box::new(|i: &Item| matches!(i.amount, Some(1..=3)))),
        (vec![("amount[is_null]", "true")], Box::new(|i: &Item| i.amount.is_none())),
        (vec![("name[is_null]", "false")], Box::new(|i: &Item| i.name.is_some())),
        (vec![("created_at[lte]", &t0)], Box::new(|i: &Item| i.created_at <= items[0].created_at)),
        (vec![("created_at[gt]", &t0)], Box::new(|i: &Item| i.created_at > items[0].created_at)),
        (vec![("id[in]", &some_ids)], Box::new(|i: &Item| items[1..4].iter().any(|x| x.id == i.id))),
        // Case-insensitive (ASCII on SQLite), wildcards in the value literal.
        (
            vec![("name[contains]", "B")],
            Box::new(move |i: &Item| ascii_lower(i).is_some_and(|n| n.contains('b'))),
        ),
        (vec![("name[contains]", "%")], Box::new(name_is("a%b"))),
        (vec![("name[starts_with]", "_")], Box::new(name_is("_x"))),
        (vec![("name[starts_with]", "a")], Box::new(|i: &Item| name_is("alice")(i) || name_is("a%b")(i))),
        (
            vec![("name[in]", "alice,dave"), ("amount[gte]", "0"), ("sort", "-amount")],
            Box::new(|i: &Item| {
                (name_is("alice")(i) || name_is("dave")(i)) && i.amount.is_some_and(|a| a >= 0)
            }),
        ),
    ];
    for (list, keep) in &cases {
        let sort = list.iter().find(|(k, _)| *k == "sort").map_or("-created_at", |p| p.1);
        let mut kept: Vec<Item> = items.iter().filter(|i| keep(i)).cloned().collect();
        kept = expected(&kept, sort);
        assert!(!kept.is_empty() && kept.len() < items.len(), "weak case {list:?}");
        let got = fetch_all(&db, org, list, "13", async |_| {}).await;
        assert_eq!(ids(&got), ids(&kept), "filter {list:?}");
        // count=true: the total ignores the cursor and the limit.
        let query = parse(&ITEMS, &pairs(list)).unwrap();
        let count = query.count_select(&ITEMS, org);
        let row = db.query_one_raw(build(&count, DbBackend::Sqlite)).await.unwrap().unwrap();
        let total: i64 = row.try_get("", "total").unwrap();
        assert_eq!(total as usize, kept.len(), "count {list:?}");
    }
}
