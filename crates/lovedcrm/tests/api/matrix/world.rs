//! An organization with one record of every kind, and the tables that map
//! the document's path parameters and request bodies onto those records.
//!
//! A new endpoint under a new path prefix (or with a new path parameter)
//! makes the matrices fail until it is added to `ID_BY_PREFIX` or
//! `OTHER_PARAMS`; a new body-taking operation gets `{}` until it is given a
//! minimal valid body in `body`.

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use super::spec::Operation;
use super::{Payload, send};
use crate::helpers::{Session, TestApp, email};

/// A 1×1 PNG, for the feedback's screenshot.
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/// `{id}` by the first segment of the path: which record it names.
const ID_BY_PREFIX: &[(&str, &str)] = &[
    ("contacts", "contact"),
    ("companies", "company"),
    ("leads", "lead"),
    ("pipelines", "pipeline"),
    ("projects", "project"),
    ("tasks", "task"),
    ("events", "event"),
    ("notes", "note"),
    ("comments", "comment"),
    ("communications", "communication"),
    ("tags", "tag"),
    ("custom-fields", "custom_field"),
    ("shares", "share"),
    ("notifications", "notification"),
    ("api-keys", "api_key"),
    ("views", "view"),
    ("feedback", "feedback"),
    // The only `{id}` under /organizations is an invite's.
    ("organizations", "invite"),
    // `DELETE /auth/sessions/{id}`: a spare session of the owner.
    ("auth", "session"),
];

/// Other path parameters by (first segment, name).
const OTHER_PARAMS: &[(&str, &str, &str)] = &[
    ("pipelines", "stage_id", "stage"),
    ("leads", "user_id", "member"),
    ("organizations", "user_id", "member"),
    ("invites", "token", "invite_token"),
];

/// Query strings by operation (`&`-joined, `{key}` replaced by that id).
const QUERIES: &[(&str, &str)] = &[
    ("GET /shares", "entity_type=lead&record_id={lead}"),
    ("GET /search", "q={marker}"),
    (
        "GET /events/occurrences",
        "from=2026-12-01T00%3A00%3A00Z&to=2026-12-31T00%3A00%3A00Z",
    ),
    ("GET /events/calendar.ics", "token=ics_not-a-real-token"),
    (
        "DELETE /users/me/push-subscriptions",
        "endpoint=https%3A%2F%2Fpush.example.com%2Fnone",
    ),
    ("GET /custom-fields", "entity_type=contact"),
    (
        "DELETE /pipelines/{id}/stages/{stage_id}",
        "target_stage_id={stage2}",
    ),
];

/// A minimal valid body for `key` (`METHOD /template`) inside `w`,
/// naming `w`'s records wherever the body takes ids; `grantee` is the user a
/// share is granted to. `None`: send `{}`.
pub fn body(key: &str, w: &World, grantee: Uuid) -> Option<Value> {
    let id = |k: &str| w.id(k).to_string();
    let member = id("member");
    Some(match key {
        "POST /comments" => json!({"body": format!("hi @[M](user:{member})"),
            "lead_id": id("lead"), "mentions": [member]}),
        "PATCH /comments/{id}" => {
            json!({"body": format!("hey @[M](user:{member})"), "mentions": [member]})
        }
        "POST /communications" => {
            json!({"channel": "call", "lead_id": id("lead"), "contact_id": id("contact"), "content": "x"})
        }
        "PATCH /communications/{id}" => json!({"subject": "changed"}),
        "POST /companies" => json!({"name": "Matrix Co", "owner_id": member}),
        "PATCH /companies/{id}" => json!({"name": "changed", "owner_id": member}),
        "POST /contacts" => {
            json!({"name": "Matrix Person", "company_id": id("company"), "owner_id": member})
        }
        "PATCH /contacts/{id}" => json!({"company_id": id("company")}),
        "POST /custom-fields" => {
            json!({"entity_type": "lead", "key": "matrix_other", "label": "Other", "kind": "text"})
        }
        "PATCH /custom-fields/{id}" => json!({"label": "changed"}),
        "POST /leads" => json!({"full_name": "Matrix Deal", "contact_id": id("contact"),
            "company_id": id("company"), "pipeline_id": id("pipeline"), "stage_id": id("stage"),
            "assigned_to": member}),
        "PATCH /leads/{id}" => json!({"full_name": "changed", "contact_id": id("contact")}),
        "POST /leads/{id}/convert" => {
            json!({"contact_id": id("contact"), "company_id": id("company")})
        }
        "PATCH /leads/{id}/stage" => json!({"stage_id": id("stage2")}),
        "POST /notes" => json!({"body": "matrix note", "lead_id": id("lead")}),
        "PATCH /notes/{id}" => json!({"body": "changed"}),
        "PATCH /organizations/current" => json!({"name": "Hijacked"}),
        "POST /organizations/current/members" => {
            json!({"email": "nobody-matrix@example.com", "role": "viewer"})
        }
        "PATCH /organizations/current/members/{user_id}" => json!({"role": "viewer"}),
        "POST /organizations" => json!({"name": "Matrix Org"}),
        "POST /pipelines" => json!({"name": "Matrix Pipeline"}),
        "PATCH /pipelines/{id}" => json!({"name": "changed"}),
        "POST /pipelines/{id}/stages" => json!({"name": "Matrix Stage"}),
        "PUT /pipelines/{id}/stages/order" => {
            json!({"stage_ids": w.stages.iter().rev().collect::<Vec<_>>()})
        }
        "PATCH /pipelines/{id}/stages/{stage_id}" => json!({"name": "changed"}),
        "POST /projects" => json!({"name": "Matrix Project", "company_id": id("company"),
            "assignee_ids": [member]}),
        "PATCH /projects/{id}" => json!({"company_id": id("company"), "assignee_ids": [member]}),
        "POST /shares" => {
            json!({"entity_type": "lead", "record_id": id("lead"), "user_id": grantee})
        }
        "POST /tags" => json!({"name": "matrix-other", "color": "#112233"}),
        "POST /organizations/current/invites" => {
            json!({"email": "matrix-invite@example.com", "role": "sales"})
        }
        "POST /invites/{token}/accept" => {
            json!({"name": "Matrix Invitee", "password": "correct horse battery"})
        }
        "POST /api-keys" => json!({"name": "Matrix key", "scopes": ["contacts:read"]}),
        "PUT /organizations/current/permissions" => {
            json!({"roles": crate::matrix::world::default_matrix()})
        }
        "POST /organizations/current/transfer-ownership" => json!({"user_id": member}),
        "PATCH /tags/{id}" => json!({"name": "changed"}),
        "POST /tasks" => json!({"name": "Matrix Task", "project_id": id("project"),
            "lead_id": id("lead"), "contact_id": id("contact"), "company_id": id("company"),
            "assignee_id": member}),
        "PATCH /tasks/{id}" => json!({"project_id": id("project"), "lead_id": id("lead")}),
        "POST /events" => json!({"title": "Matrix Event", "starts_at": "2026-12-15T10:00:00Z",
            "lead_id": id("lead"), "contact_id": id("contact"), "company_id": id("company"),
            "project_id": id("project"), "attendees": [{"user_id": member}],
            "reminders": [{"minutes_before": 10}]}),
        "PATCH /events/{id}" => json!({"location": "Matrix room", "lead_id": id("lead")}),
        "POST /users/me/push-subscriptions" => {
            use base64::Engine;
            use p256::elliptic_curve::sec1::ToEncodedPoint;
            let key = p256::SecretKey::from_slice(&[7u8; 32]).expect("a P-256 scalar");
            let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            json!({"endpoint": "https://push.example.com/matrix", "keys": {
                "p256dh": b64.encode(key.public_key().to_encoded_point(false).as_bytes()),
                "auth": b64.encode([9u8; 16])}})
        }
        "POST /views" => {
            json!({"name": "Matrix view", "entity_type": "contacts", "query": "sort=name"})
        }
        "PATCH /views/{id}" => json!({"name": "changed"}),
        "POST /feedback" => json!({"category": "idea", "message": "matrix feedback"}),
        "POST /contacts/bulk" => {
            json!({"items": [{"id": id("contact")}], "patch": {"owner_id": member}})
        }
        "POST /companies/bulk" => {
            json!({"items": [{"id": id("company")}], "patch": {"owner_id": member}})
        }
        "POST /tasks/bulk" => {
            json!({"items": [{"id": id("task")}], "patch": {"assignee_id": member}})
        }
        "POST /leads/bulk" => json!({"items": [{"id": id("lead")}], "stage_id": id("stage2"),
            "patch": {"assigned_to": member}}),
        "POST /auth/login" => json!({"email": w.owner.email, "password": crate::helpers::PASSWORD}),
        "POST /auth/password/forgot" => json!({"email": w.owner.email}),
        "POST /auth/password/reset" => {
            json!({"token": "lcp_not-a-real-token", "new_password": "a long enough passphrase"})
        }
        "POST /auth/verify-email" => json!({"token": "lcv_not-a-real-token"}),
        _ => return None,
    })
}

/// The request for `op` inside `w`: its path with query string, and its
/// body (the table's, else `{}`, when the operation takes a JSON body).
pub fn request(op: &Operation, w: &World, grantee: Uuid) -> Result<(String, Payload), String> {
    let key = op.key();
    let target = w.target(&key, &op.template)?;
    let payload = match &op.body {
        Some(_) => Payload::Json(body(&key, w, grantee).unwrap_or_else(|| json!({}))),
        None => Payload::None,
    };
    Ok((target, payload))
}

/// An organization (owner + a `sales` member) with one record of every kind.
pub struct World {
    pub owner: Session,
    pub member: Session,
    /// Record ids by kind (see `ID_BY_PREFIX`), and `member`'s user id.
    pub ids: BTreeMap<&'static str, String>,
    /// The pipeline's stage ids in order.
    pub stages: Vec<String>,
    /// A string in every name and text of the organization's records.
    pub marker: String,
}

impl World {
    pub async fn build(app: &TestApp, prefix: &str) -> World {
        let owner = app.register(&email(prefix)).await;
        let member = app.register(&email(&format!("{prefix}-member"))).await;
        let member = app.add_member(&owner, &member, "sales").await;
        let marker = format!("{prefix}{}", &Uuid::now_v7().simple().to_string()[20..]);
        let mut w = World {
            owner,
            member,
            ids: BTreeMap::new(),
            stages: Vec::new(),
            marker,
        };
        let m = w.marker.clone();
        w.ids.insert("member", w.member.user_id.to_string());
        w.create(
            app,
            "company",
            "/companies",
            json!({"name": format!("{m} Co"), "tags": [m]}),
        )
        .await;
        let body = json!({"name": format!("{m} Person"), "company_id": w.id("company")});
        w.create(app, "contact", "/contacts", body).await;
        // Second ones, so that every list has a second page at limit=1
        // (the cursor sweep tampers with its cursor).
        w.call(
            app,
            Method::POST,
            "/companies",
            Some(json!({"name": format!("{m} Second Co"), "tags": [m]})),
            StatusCode::CREATED,
        )
        .await;
        w.call(
            app,
            Method::POST,
            "/contacts",
            Some(json!({"name": format!("{m} Second Person")})),
            StatusCode::CREATED,
        )
        .await;

        let pipelines = w
            .call(app, Method::GET, "/pipelines", None, StatusCode::OK)
            .await;
        let pipeline = &pipelines["data"][0];
        w.ids.insert("pipeline", str_of(&pipeline["id"]));
        w.stages = pipeline["stages"]
            .as_array()
            .expect("the default pipeline has stages")
            .iter()
            .map(|s| str_of(&s["id"]))
            .collect();
        w.ids.insert("stage", w.stages[0].clone());
        w.ids.insert("stage2", w.stages[1].clone());

        let body = json!({"full_name": format!("{m} Deal"), "contact_id": w.id("contact"),
            "company_id": w.id("company"), "tags": [m]});
        w.create(app, "lead", "/leads", body).await;
        let body = json!({"name": format!("{m} Project"), "company_id": w.id("company"),
            "assignee_ids": [w.id("member")]});
        w.create(app, "project", "/projects", body).await;
        let body = json!({"name": format!("{m} Task"), "project_id": w.id("project"),
            "lead_id": w.id("lead")});
        w.create(app, "task", "/tasks", body).await;
        let body = json!({"title": format!("{m} Meeting"), "starts_at": "2026-12-14T10:00:00Z",
            "lead_id": w.id("lead"), "rrule": "FREQ=WEEKLY;COUNT=4"});
        w.create(app, "event", "/events", body).await;
        w.call(
            app,
            Method::POST,
            "/events",
            Some(json!({"title": format!("{m} Second meeting"), "starts_at": "2026-12-15T10:00:00Z"})),
            StatusCode::CREATED,
        )
        .await;
        let body = json!({"body": format!("{m} note"), "lead_id": w.id("lead")});
        w.create(app, "note", "/notes", body).await;
        let body = json!({"body": format!("{m} comment"), "lead_id": w.id("lead")});
        w.create(app, "comment", "/comments", body).await;
        let body = json!({"channel": "call", "lead_id": w.id("lead"),
            "content": format!("{m} call")});
        w.create(app, "communication", "/communications", body)
            .await;
        w.create(
            app,
            "tag",
            "/tags",
            json!({"name": format!("{m}-label"), "color": "#336699"}),
        )
        .await;
        let body = json!({"entity_type": "contact", "key": "matrix_field",
            "label": format!("{m} field"), "kind": "text"});
        w.create(app, "custom_field", "/custom-fields", body).await;
        let body = json!({"email": format!("invitee-{m}@example.com"), "role": "viewer"});
        w.create(app, "invite", "/organizations/current/invites", body)
            .await;
        // Tokens travel only by email: an unknown one must be a clean 404.
        w.ids
            .insert("invite_token", "matrix-unknown-invite-token".into());
        let body = json!({"name": format!("{m} key"), "scopes": ["*:read"]});
        w.create(app, "api_key", "/api-keys", body).await;
        let body = json!({"entity_type": "lead", "record_id": w.id("lead"),
            "user_id": w.id("member")});
        let share = w
            .call(
                app,
                Method::POST,
                "/shares",
                Some(body),
                StatusCode::CREATED,
            )
            .await;
        w.ids.insert("share", str_of(&share["id"]));

        // Notifications: the member is mentioned in two more comments.
        for n in 0..2 {
            let body = json!({"body": format!("@[Member](user:{}) {m} look {n}", w.id("member")),
                "lead_id": w.id("lead")});
            w.call(
                app,
                Method::POST,
                "/comments",
                Some(body),
                StatusCode::CREATED,
            )
            .await;
        }
        // And the owner (whom the sweeps act as) is mentioned twice by the member.
        for n in 0..2 {
            let body = json!({"body": format!("@[Owner](user:{}) {m} see {n}", w.owner.user_id),
                "lead_id": w.id("lead")});
            let r = send(
                app,
                &Method::POST,
                "/comments",
                Some(&w.member.access),
                Some(w.member.org_id),
                &Payload::Json(body),
            )
            .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.summary());
        }
        let inbox = send(
            app,
            &Method::GET,
            "/notifications",
            Some(&w.member.access),
            Some(w.member.org_id),
            &Payload::None,
        )
        .await;
        assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.summary());
        w.ids
            .insert("notification", str_of(&inbox.json()["data"][0]["id"]));

        // Views and feedback, two of each (every list pages at limit=1).
        for n in 0..2 {
            let body = json!({"name": format!("{m} view {n}"), "entity_type": "leads",
                "query": format!("tags={m}"), "columns": ["title"], "shared": true});
            w.create(app, "view", "/views", body).await;
            let body = json!({"category": "bug", "message": format!("{m} feedback {n}"),
                "page": "/contacts", "screenshot": PNG});
            w.create(app, "feedback", "/feedback", body).await;
        }

        // A spare session of the owner, so that ending it harms no request.
        let spare = app.login(&w.owner.email).await;
        let sessions = send(
            app,
            &Method::GET,
            "/auth/sessions",
            Some(&spare.access),
            None,
            &Payload::None,
        )
        .await;
        assert_eq!(sessions.status, StatusCode::OK, "{}", sessions.summary());
        let current = sessions
            .json()
            .as_array()
            .and_then(|all| all.iter().find(|s| s["current"] == true).cloned())
            .expect("the spare session is listed as current");
        w.ids.insert("session", str_of(&current["id"]));
        w
    }

    pub fn id(&self, key: &str) -> &str {
        self.ids
            .get(key)
            .unwrap_or_else(|| panic!("the world has no `{key}` (yet)"))
    }

    /// Every id of this organization a request may name: its records and
    /// its second member.
    pub fn all_ids(&self) -> Vec<&str> {
        self.ids.values().map(String::as_str).collect()
    }

    /// `template` with its path parameters replaced by this world's records;
    /// `bad` replaces the parameter of that name with another value.
    pub fn fill(&self, template: &str, bad: Option<(&str, &str)>) -> Result<String, String> {
        let prefix = template
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("");
        let mut out = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or("unclosed {")?;
            let name = &rest[open + 1..close];
            out.push_str(&rest[..open]);
            let value = match bad {
                Some((param, value)) if param == name => value.to_string(),
                _ => self.id(param_key(prefix, name, template)?).to_string(),
            };
            out.push_str(&value);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// `fill`, then the operation's query string from `QUERIES`.
    pub fn target(&self, key: &str, template: &str) -> Result<String, String> {
        let path = self.fill(template, None)?;
        let Some((_, query)) = QUERIES.iter().find(|(k, _)| *k == key) else {
            return Ok(path);
        };
        let mut query = query.replace("{marker}", &self.marker);
        for (k, v) in &self.ids {
            query = query.replace(&format!("{{{k}}}"), v);
        }
        Ok(format!("{path}?{query}"))
    }

    /// `POST path` as the owner (201 expected); records the id as `key`.
    async fn create(&mut self, app: &TestApp, key: &'static str, path: &str, body: Value) {
        let created = self
            .call(app, Method::POST, path, Some(body), StatusCode::CREATED)
            .await;
        self.ids.insert(key, str_of(&created["id"]));
    }

    /// A request as the owner that must answer `expect`; its JSON body.
    async fn call(
        &self,
        app: &TestApp,
        method: Method,
        path: &str,
        body: Option<Value>,
        expect: StatusCode,
    ) -> Value {
        let payload = body.map_or(Payload::None, Payload::Json);
        let o = &self.owner;
        let reply = send(
            app,
            &method,
            path,
            Some(&o.access),
            Some(o.org_id),
            &payload,
        )
        .await;
        assert_eq!(reply.status, expect, "{method} {path}: {}", reply.summary());
        reply.json()
    }
}

/// The world key a path parameter names, or a message asking to extend the
/// tables.
fn param_key(prefix: &str, name: &str, template: &str) -> Result<&'static str, String> {
    let found = if name == "id" {
        ID_BY_PREFIX
            .iter()
            .find(|(p, _)| *p == prefix)
            .map(|(_, k)| *k)
    } else {
        OTHER_PARAMS
            .iter()
            .find(|(p, n, _)| *p == prefix && *n == name)
            .map(|(_, _, k)| *k)
    };
    found.ok_or_else(|| {
        format!(
            "cannot map `{{{name}}}` in `{template}`: add `/{prefix}` to ID_BY_PREFIX or \
             (\"{prefix}\", \"{name}\", ..) to OTHER_PARAMS in tests/api/matrix/world.rs, \
             and create such a record in World::build"
        )
    })
}

fn str_of(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string id, got {v}"))
        .to_string()
}

/// The default permission matrix, as a valid body for PUT /permissions.
pub fn default_matrix() -> Value {
    let all = json!({"create": true, "read": true, "update": true, "delete": true, "export": true,
        "manage_members": true, "manage_billing": true, "manage_integrations": true});
    json!({"owner": all, "admin": all, "manager": all, "sales": all, "viewer": all})
}
