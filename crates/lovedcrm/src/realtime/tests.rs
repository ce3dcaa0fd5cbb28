#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use uuid::Uuid;

use super::{Event, Hub, Received};

fn event(org: Uuid, n: i64) -> Event {
    Event::new(org, "lead.updated", "lead", Uuid::now_v7(), json!({"n": n}))
}

fn frame(received: Option<Received>) -> Value {
    match received {
        Some(Received::Event(p)) => serde_json::from_str(p.text.as_str()).unwrap(),
        other => panic!("expected an event, got {other:?}"),
    }
}

#[tokio::test]
async fn events_reach_subscribers_of_their_organization_only() {
    let hub = Hub::new();
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let mut sub_a = hub.subscribe(a);
    let mut sub_b = hub.subscribe(b);
    assert_eq!(hub.publish(event(a, 1)), 1);
    let got = frame(sub_a.recv().await);
    assert_eq!(got["type"], "lead.updated");
    assert_eq!(got["entity_type"], "lead");
    assert_eq!(got["data"], json!({"n": 1}));
    assert!(got["at"].as_str().unwrap().ends_with('Z'));
    let nothing = tokio::time::timeout(std::time::Duration::from_millis(50), sub_b.recv()).await;
    assert!(nothing.is_err(), "the other organization got an event");
}

#[tokio::test]
async fn a_lagging_reader_is_told_how_many_events_it_missed() {
    let hub = Hub::with_capacity(2);
    let org = Uuid::now_v7();
    let mut sub = hub.subscribe(org);
    for n in 0..5 {
        hub.publish(event(org, n));
    }
    match sub.recv().await {
        Some(Received::Missed(n)) => assert_eq!(n, 3),
        other => panic!("expected a lag, got {other:?}"),
    }
    assert_eq!(frame(sub.recv().await)["data"]["n"], 3);
    assert_eq!(frame(sub.recv().await)["data"]["n"], 4);
}

#[test]
fn channels_are_dropped_with_their_last_subscriber() {
    let hub = Hub::new();
    let org = Uuid::now_v7();
    assert_eq!(hub.publish(event(org, 0)), 0, "nobody listens");
    assert_eq!(hub.organizations(), 0);
    let one = hub.subscribe(org);
    let two = hub.subscribe(org);
    assert_eq!(hub.subscribers(org), 2);
    drop(one);
    assert_eq!(hub.organizations(), 1);
    drop(two);
    assert_eq!(hub.organizations(), 0);
    assert_eq!(hub.subscribers(org), 0);
}

#[test]
fn builders_skip_missing_people_and_default_shares_to_the_record() {
    let org = Uuid::now_v7();
    let (u, v) = (Uuid::now_v7(), Uuid::now_v7());
    let e = event(org, 0).people([Some(u), None, Some(u), Some(v)]);
    assert_eq!(e.people, vec![u, v]);
    assert_eq!(e.share_targets(), vec![("lead".to_string(), e.entity_id)]);
    let lead = Uuid::now_v7();
    let e = e.shared_via("lead", lead).shared_via("contact", None);
    assert_eq!(e.share_targets(), vec![("lead".to_string(), lead)]);
    assert_eq!(e.only_user(u).only_user, Some(u));
}
