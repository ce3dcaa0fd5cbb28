//! Paging a real SQLite table: every sort must return each row exactly once
//! and in the documented order, even when rows are inserted mid-way.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, DbBackend};
use uuid::Uuid;

use super::fixture::{Item, Rng, expected, fetch, fetch_all, ids, insert, setup};
use super::{ITEMS, pairs};
use crate::lists::{build, parse};

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
        assert_eq!(
            ids(&fetch(&db, org, &list_with(&list, "200")).await.data),
            ids(&want)
        );
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
        assert_eq!(
            unique.len(),
            got_ids.len(),
            "a row repeated under sort {expect}"
        );
        let originals: Vec<Uuid> = got_ids
            .into_iter()
            .filter(|i| original.contains(i))
            .collect();
        assert_eq!(
            originals, want,
            "original rows skipped or reordered under sort {expect}"
        );
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
        (
            vec![("name[neq]", "bob")],
            Box::new(|i: &Item| !name_is("bob")(i)),
        ),
        (
            vec![("amount[gte]", "0")],
            Box::new(|i: &Item| i.amount.is_some_and(|a| a >= 0)),
        ),
        (
            vec![("amount[lt]", "-2")],
            Box::new(|i: &Item| i.amount.is_some_and(|a| a < -2)),
        ),
        (
            vec![("amount[neq]", "3")],
            Box::new(|i: &Item| i.amount != Some(3)),
        ),
        (
            vec![("amount[in]", "1,2,3")],
            Box::new(|i: &Item| matches!(i.amount, Some(1..=3))),
        ),
        (
            vec![("amount[is_null]", "true")],
            Box::new(|i: &Item| i.amount.is_none()),
        ),
        (
            vec![("name[is_null]", "false")],
            Box::new(|i: &Item| i.name.is_some()),
        ),
        (
            vec![("created_at[lte]", &t0)],
            Box::new(|i: &Item| i.created_at <= items[0].created_at),
        ),
        (
            vec![("created_at[gt]", &t0)],
            Box::new(|i: &Item| i.created_at > items[0].created_at),
        ),
        (
            vec![("id[in]", &some_ids)],
            Box::new(|i: &Item| items[1..4].iter().any(|x| x.id == i.id)),
        ),
        // Case-insensitive (ASCII on SQLite), wildcards in the value literal.
        (
            vec![("name[contains]", "B")],
            Box::new(move |i: &Item| ascii_lower(i).is_some_and(|n| n.contains('b'))),
        ),
        (vec![("name[contains]", "%")], Box::new(name_is("a%b"))),
        (vec![("name[starts_with]", "_")], Box::new(name_is("_x"))),
        (
            vec![("name[starts_with]", "a")],
            Box::new(|i: &Item| name_is("alice")(i) || name_is("a%b")(i)),
        ),
        (
            vec![
                ("name[in]", "alice,dave"),
                ("amount[gte]", "0"),
                ("sort", "-amount"),
            ],
            Box::new(|i: &Item| {
                (name_is("alice")(i) || name_is("dave")(i)) && i.amount.is_some_and(|a| a >= 0)
            }),
        ),
    ];
    for (list, keep) in &cases {
        let sort = list
            .iter()
            .find(|(k, _)| *k == "sort")
            .map_or("-created_at", |p| p.1);
        let mut kept: Vec<Item> = items.iter().filter(|i| keep(i)).cloned().collect();
        kept = expected(&kept, sort);
        assert!(
            !kept.is_empty() && kept.len() < items.len(),
            "weak case {list:?}"
        );
        let got = fetch_all(&db, org, list, "13", async |_| {}).await;
        assert_eq!(ids(&got), ids(&kept), "filter {list:?}");
        // count=true: the total ignores the cursor and the limit.
        let query = parse(&ITEMS, &pairs(list)).unwrap();
        let count = query.count_select(&ITEMS, org);
        let row = db
            .query_one_raw(build(&count, DbBackend::Sqlite))
            .await
            .unwrap()
            .unwrap();
        let total: i64 = row.try_get("", "total").unwrap();
        assert_eq!(total as usize, kept.len(), "count {list:?}");
    }
}
