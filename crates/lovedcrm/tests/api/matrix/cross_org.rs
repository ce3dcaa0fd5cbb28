//! The cross-organization matrix over every documented tenant operation:
//! the owner of B, (1) with A's `X-Org-Id` and (2) with B's own header but
//! A's record ids, reaches nothing of A, and A's audit log shows (1).

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::spec::{self, Operation};
use super::world::{self, World};
use super::{Payload, Reply, assert_none, send, short};
use crate::helpers::{Session, TestApp};
use crate::on_both;

on_both!(a_member_of_b_reaches_nothing_of_a_through_any_operation);

const ATTEMPT: &str = "security.cross_organization_attempt";

async fn a_member_of_b_reaches_nothing_of_a_through_any_operation(app: TestApp) {
    let a = World::build(&app, "alpha").await;
    let b = World::build(&app, "bravo").await;
    let (_, ops) = spec::load(&app).await;
    let tenant: Vec<&Operation> = ops.iter().filter(|o| o.org_header).collect();
    assert!(
        tenant.len() >= 40,
        "only {} tenant operations",
        tenant.len()
    );

    // Every path parameter must map onto a record before anything is sent.
    let unmapped: Vec<String> = tenant
        .iter()
        .filter_map(|op| a.target(&op.key(), &op.template).err())
        .collect();
    assert_none("path parameters the matrix cannot map", &unmapped);

    let before = snapshot(&app, &a, &tenant).await;
    let a_ids = a.all_ids();
    let mut violations = Vec::new();
    let mut swapped = 0;
    for op in &tenant {
        let key = op.key();
        let (target, payload) = world::request(op, &a, b.owner.user_id).unwrap();
        let body_text = match &payload {
            Payload::Json(v) => v.to_string(),
            _ => String::new(),
        };
        let what = |phase: &str| {
            format!(
                "{key} as B's owner {phase}: {} {target} {body_text}",
                op.method
            )
        };

        // (1) A's header: not a member of A.
        let r = send(
            &app,
            &op.method,
            &target,
            Some(&b.owner.access),
            Some(a.owner.org_id),
            &payload,
        )
        .await;
        if r.status != StatusCode::FORBIDDEN || r.code() != "forbidden" {
            violations.push(format!(
                "{}\n      expected 403 forbidden, got {}",
                what("with A's X-Org-Id"),
                r.summary()
            ));
        } else if let Some(defect) = r.problem_defect() {
            violations.push(format!("{}\n      {defect}", what("with A's X-Org-Id")));
        }
        check_leak(&r, &a, &[], &what("with A's X-Org-Id"), &mut violations);

        // (2) B's header, A's ids.
        let r = send(
            &app,
            &op.method,
            &target,
            Some(&b.owner.access),
            Some(b.owner.org_id),
            &payload,
        )
        .await;
        let path = target.split('?').next().unwrap_or_default();
        let in_path = a_ids.iter().any(|id| path.contains(id));
        let named = a_ids
            .iter()
            .any(|id| target.contains(id) || body_text.contains(id));
        let phase = what("with B's X-Org-Id and A's ids");
        if r.status.is_server_error() {
            violations.push(format!("{phase}\n      server error {}", r.summary()));
        } else if in_path && r.status != StatusCode::NOT_FOUND {
            violations.push(format!(
                "{phase}\n      A's id in the path: expected 404, got {}",
                r.summary()
            ));
        } else if named && !r.status.is_client_error() {
            violations.push(format!(
                "{phase}\n      A's id in the request: expected a 4xx, got {}",
                r.summary()
            ));
        } else if r.status.is_client_error()
            && let Some(defect) = r.problem_defect()
        {
            violations.push(format!("{phase}\n      {defect}"));
        }
        let echoed: Vec<&str> = a_ids
            .iter()
            .copied()
            .filter(|id| !r.status.is_success() && (target.contains(id) || body_text.contains(id)))
            .collect();
        check_leak(&r, &a, &echoed, &phase, &mut violations);

        // (3) B's header, B's records, one body field at a time naming A's
        // (here a share goes to A's member, not to B's owner).
        if let (_, Payload::Json(a_body)) = world::request(op, &a, a.member.user_id).unwrap() {
            swapped += foreign_fields(&app, op, &a, &b, &a_body, &mut violations).await;
        }
    }

    // Nothing of A changed.
    let after = snapshot(&app, &a, &tenant).await;
    for (what, old) in &before.records {
        let new = after.records.get(what).map_or("(missing)", String::as_str);
        if new != old {
            violations.push(format!(
                "A's data changed: {what}\n      before: {}\n      after:  {}",
                short(old),
                short(new)
            ));
        }
    }
    if before.audit != after.audit {
        violations.push(format!(
            "A's audit log changed beyond {ATTEMPT}:\n      before: {}\n      after:  {}",
            short(&before.audit.join(" | ")),
            short(&after.audit.join(" | "))
        ));
    }

    // A's audit log heard of the attempts with its header, by B's owner:
    // once for the whole run (one entry per member per ten minutes, so a
    // stranger cannot flood it).
    let attempts = after.attempts;
    if attempts.len() != 1 {
        violations.push(format!(
            "A's audit log has {} {ATTEMPT} entries for {} attempts (expected one)",
            attempts.len(),
            tenant.len()
        ));
    }
    let b_id = b.owner.user_id.to_string();
    if let Some(other) = attempts
        .iter()
        .find(|e| e["actor_user_id"] != b_id.as_str())
    {
        violations.push(format!("an {ATTEMPT} entry not by B's owner: {other}"));
    }
    if attempts
        .iter()
        .any(|e| e["entity_id"] != a.owner.org_id.to_string().as_str())
    {
        violations.push(format!("an {ATTEMPT} entry does not name A"));
    }
    eprintln!(
        "cross-organization matrix: {} tenant operations, {swapped} foreign body fields",
        tenant.len()
    );
    assert!(
        tenant.len() >= 60,
        "only {} tenant operations were tried",
        tenant.len()
    );
    assert!(
        swapped >= 20,
        "only {swapped} foreign body fields were swapped in"
    );
    assert_none("cross-organization matrix", &violations);
}

/// With B's own path and a body that is valid in B (checked last), each
/// field that names an A record is swapped in alone: the answer must be a
/// 4xx, so no foreign key can point from B into A.
async fn foreign_fields(
    app: &TestApp,
    op: &Operation,
    a: &World,
    b: &World,
    a_body: &Value,
    violations: &mut Vec<String>,
) -> usize {
    let a_ids = a.all_ids();
    let fields: Vec<(&String, &Value)> = a_body
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| a_ids.iter().any(|id| v.to_string().contains(id)))
        .collect();
    if fields.is_empty() {
        return 0;
    }
    let (target, Payload::Json(b_body)) = world::request(op, b, b.member.user_id).unwrap() else {
        return 0;
    };
    let o = &b.owner;
    let key = op.key();
    let count = fields.len();
    for (field, value) in fields {
        let mut body = b_body.clone();
        body[field.as_str()] = value.clone();
        let what = format!("{key} as B's owner {target} with A's `{field}` only: {body}");
        let r = send(
            app,
            &op.method,
            &target,
            Some(&o.access),
            Some(o.org_id),
            &Payload::Json(body),
        )
        .await;
        if !r.status.is_client_error() {
            violations.push(format!("{what}\n      expected a 4xx, got {}", r.summary()));
        } else if let Some(defect) = r.problem_defect() {
            violations.push(format!("{what}\n      {defect}"));
        }
        let sent: Vec<&str> = a_ids
            .iter()
            .copied()
            .filter(|id| value.to_string().contains(id))
            .collect();
        let echoed = if r.status.is_success() { vec![] } else { sent };
        check_leak(&r, a, &echoed, &what, violations);
    }
    // Last, as a one-shot operation (a conversion) refuses a second time.
    let control = Payload::Json(b_body.clone());
    let r = send(
        app,
        &op.method,
        &target,
        Some(&o.access),
        Some(o.org_id),
        &control,
    )
    .await;
    if !r.status.is_success() {
        violations.push(format!(
            "{key} as B's owner with B's own records {target} {b_body}\n      \
             the control request must succeed (fix the body table?), got {}",
            r.summary()
        ));
    }
    count
}

/// A reply to B must not carry A's data: never A's marker (every name and
/// text of A's records carries it), and no A id unless the request sent it
/// and `echoed` allows it (a 404 may repeat the id it was asked for).
fn check_leak(r: &Reply, a: &World, echoed: &[&str], what: &str, violations: &mut Vec<String>) {
    if r.text.contains(&a.marker) {
        violations.push(format!("{what}\n      LEAK of A's data: {}", r.summary()));
        return;
    }
    if let Some(id) = a
        .all_ids()
        .into_iter()
        .find(|id| r.text.contains(id) && !echoed.contains(id))
    {
        violations.push(format!(
            "{what}\n      LEAK of A's id {id}: {}",
            r.summary()
        ));
    }
}

/// What A's members can read, before and after the matrix.
struct Snapshot {
    /// `who METHOD target` → `status body`, for every GET tenant operation.
    records: BTreeMap<String, String>,
    /// A's audit log without the cross-organization attempts.
    audit: Vec<String>,
    attempts: Vec<Value>,
}

async fn snapshot(app: &TestApp, a: &World, ops: &[&Operation]) -> Snapshot {
    let mut records = BTreeMap::new();
    let mut unreadable = Vec::new();
    let who: [(&str, &Session); 2] = [("owner", &a.owner), ("member", &a.member)];
    for op in ops
        .iter()
        .filter(|o| o.method == Method::GET && o.template != "/audit")
    {
        let (target, _) = world::request(op, a, a.member.user_id).unwrap();
        let mut readable = false;
        for (name, s) in who {
            let r = send(
                app,
                &Method::GET,
                &target,
                Some(&s.access),
                Some(s.org_id),
                &Payload::None,
            )
            .await;
            readable |= r.status.is_success();
            records.insert(
                format!("{name} GET {target}"),
                format!("{} {}", r.status, r.text),
            );
        }
        if !readable {
            unreadable.push(format!(
                "{}: neither A's owner nor member can GET {target}",
                op.key()
            ));
        }
    }
    // The mapping must name real records, or a 404 in phase (2) proves nothing.
    assert_none("the world's records as A reads them", &unreadable);

    let mut audit = Vec::new();
    let mut attempts = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = format!("/audit?limit=200{cursor}");
        let o = &a.owner;
        let r = send(
            app,
            &Method::GET,
            &path,
            Some(&o.access),
            Some(o.org_id),
            &Payload::None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "GET {path}: {}", r.summary());
        let page = r.json();
        for entry in page["data"].as_array().unwrap() {
            if entry["action"] == ATTEMPT {
                attempts.push(entry.clone());
            } else {
                audit.push(entry.to_string());
            }
        }
        match page["next_cursor"].as_str() {
            Some(next) if page["has_more"] == true => cursor = format!("&cursor={next}"),
            _ => break,
        }
    }
    Snapshot {
        records,
        audit,
        attempts,
    }
}
