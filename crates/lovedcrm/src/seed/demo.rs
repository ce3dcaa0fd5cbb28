use axum::http::Method;
use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use uuid::Uuid;

use super::client::{Client, send};
use super::data::*;
use crate::config::Config;
use crate::http::build_router;
use crate::startup::Application;

pub const DEMO_EMAIL: &str = "demo@lovedcrm.local";
pub const DEMO_PASSWORD: &str = "lovedcrm-demo";

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Startup(#[from] crate::startup::StartupError),
    #[error("the API refused a demo record: {0}")]
    Api(String),
}

/// What was created, for the command to print.
pub struct Seeded {
    pub organization: String,
    pub skipped: bool,
}

fn id(v: &Value) -> Result<Uuid, SeedError> {
    v["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| SeedError::Api(format!("no id in {v}")))
}

fn phone(rng: &mut StdRng) -> String {
    format!(
        "+55 11 9{}{:07}",
        rng.random_range(1..10),
        rng.random_range(0..10_000_000)
    )
}

fn slug(s: &str) -> String {
    crate::records::search::fold(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Makes `user_id` a member of `org` with `role`.
async fn join(
    state: &crate::app::SharedState,
    org: Uuid,
    user_id: Uuid,
    role: &str,
) -> Result<(), SeedError> {
    let api = |e: String| SeedError::Api(e);
    let role = crate::organizations::Role::parse(role)
        .ok_or_else(|| api(format!("unknown role {role}")))?;
    let tx = crate::actor::Actor::system(org, "seed")
        .begin(state, crate::db::TxMode::Write)
        .await
        .map_err(|e| api(e.to_string()))?;
    crate::organizations::store::add_member(&tx, user_id, role)
        .await
        .map_err(|e| api(e.to_string()))?;
    tx.commit().await.map_err(|e| api(e.to_string()))
}

/// Creates the demo organization, unless the demo account exists already
/// (with `if_empty`, unless any account exists).
pub async fn demo(config: Config, if_empty: bool) -> Result<Seeded, SeedError> {
    // The seed registers several people from one "address".
    let mut config = config;
    config.auth_rate_per_ip_per_minute = config.auth_rate_per_ip_per_minute.max(100);
    // One operator command making a few thousand calls as the demo owner.
    config.api_rate_per_user_per_minute = config.api_rate_per_user_per_minute.max(100_000);
    config.api_rate_per_org_per_minute = config.api_rate_per_org_per_minute.max(100_000);
    let state = Application::prepare(config).await?;
    #[derive(crate::db::Row)]
    struct Count {
        n: i64,
    }
    let users: Option<Count> = crate::db::fetch_one(
        state.store.connection(),
        "SELECT COUNT(*) AS n FROM users",
        vec![],
    )
    .await
    .map_err(|e| SeedError::Api(e.to_string()))?;
    let existing = users.map_or(0, |c| c.n);
    let demo_exists = crate::users::store::find_by_email(state.store.connection(), DEMO_EMAIL)
        .await
        .map_err(|e| SeedError::Api(e.to_string()))?
        .is_some();
    if demo_exists || (if_empty && existing > 0) {
        return Ok(Seeded {
            organization: String::new(),
            skipped: true,
        });
    }
    let shared = state.clone();
    let router = build_router(state);
    let mut rng = StdRng::seed_from_u64(20261123);

    let owner = register(&router, DEMO_EMAIL, "Ana Souza").await?;
    let org = owner.org;
    let mut team = vec![];
    for (email, name, role) in [
        ("joao@lovedcrm.local", "João Pereira", "sales"),
        ("emily@lovedcrm.local", "Emily Johnson", "sales"),
        ("carla@lovedcrm.local", "Carla Mendes", "manager"),
    ] {
        let member = register(&router, email, name).await?;
        let user_id = owner_id(&member).await?;
        // The operator seeds the team directly: people join real
        // organizations by accepting an emailed invitation.
        join(&shared, org, user_id, role).await?;
        team.push((user_id, Client { org, ..member }));
    }
    owner
        .call(
            Method::PATCH,
            "/organizations/current",
            Some(json!({"name": "Loved Agency (demo)", "default_currency": "BRL"})),
        )
        .await?;
    let people: Vec<Uuid> = std::iter::once(owner_id(&owner).await?)
        .chain(team.iter().map(|(u, _)| *u))
        .collect();

    owner
        .post(
            "/custom-fields",
            json!({"entity_type": "lead", "key": "budget_range", "label": "Budget range",
        "kind": "select", "options": ["< R$5k", "R$5k–20k", "R$20k+"]}),
        )
        .await?;

    let mut companies = Vec::new();
    for i in 0..50 {
        let name = format!(
            "{} {}",
            COMPANY_FIRST[i % COMPANY_FIRST.len()],
            COMPANY_SECOND[(i * 7) % COMPANY_SECOND.len()]
        );
        let c = owner.post("/companies", json!({
            "name": name, "industry": INDUSTRIES.choose(&mut rng), "domain": format!("{}.com.br", slug(&name)),
            "description": "Client of the agency since 2024.", "owner_id": people.choose(&mut rng),
        })).await?;
        companies.push((id(&c)?, name));
    }

    let mut contacts = Vec::new();
    for i in 0..200 {
        let first = FIRST_NAMES.choose(&mut rng).copied().unwrap_or("Ana");
        let last = LAST_NAMES.choose(&mut rng).copied().unwrap_or("Silva");
        let (company_id, company) = companies
            .choose(&mut rng)
            .cloned()
            .unwrap_or((Uuid::nil(), String::new()));
        let tags: Vec<&str> = ["VIP", "Newsletter", "Decision maker"]
            .iter()
            .copied()
            .filter(|_| rng.random_bool(0.15))
            .collect();
        let c = owner.post("/contacts", json!({
            "first_name": first, "last_name": last,
            "email": format!("{}.{}{}@{}.com.br", slug(first), slug(last), i, slug(&company)),
            "phone": phone(&mut rng), "job_position": JOBS.choose(&mut rng), "company_id": company_id,
            "source": SOURCES.choose(&mut rng), "owner_id": people.choose(&mut rng), "tags": tags,
        })).await?;
        contacts.push((id(&c)?, format!("{first} {last}"), company_id, company));
    }

    let pipeline = owner.call(Method::GET, "/pipelines", None).await?;
    let stages: Vec<Value> = pipeline["data"][0]["stages"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let now = Utc::now();
    for i in 0..120 {
        let (contact_id, name, company_id, company) = contacts[(i * 3) % contacts.len()].clone();
        let deal = DEALS[i % DEALS.len()];
        let assignee = people[i % people.len()];
        let lead = owner.post("/leads", json!({
            "full_name": format!("{deal} — {company}"), "contact_id": contact_id, "company_id": company_id,
            "estimated_value": f64::from(rng.random_range(15..400) * 100), "source": SOURCES.choose(&mut rng),
            "assigned_to": assignee, "expected_close_date": (now + Duration::days(rng.random_range(5..90))).date_naive(),
            "tags": if rng.random_bool(0.2) { vec!["Hot"] } else { vec![] },
            "custom_fields": {"budget_range": (["< R$5k", "R$5k–20k", "R$20k+"]).choose(&mut rng)},
        })).await?;
        let lead_id = id(&lead)?;
        for m in 0..rng.random_range(1..7) {
            let (channel, direction, text) =
                MESSAGES.choose(&mut rng).copied().unwrap_or(MESSAGES[0]);
            let at = now
                - Duration::hours(i64::from(rng.random_range(2..24 * 60)))
                - Duration::minutes(m);
            owner.post("/communications", json!({
                "lead_id": lead_id, "channel": channel, "direction": direction, "content": text,
                "subject": if channel == "email" { Some(format!("{deal} — {name}")) } else { None },
                "sent_at": at, "metadata": if channel == "call" { json!({"duration_seconds": rng.random_range(60..1800)}) } else { json!({}) },
            })).await?;
        }
        // Spread leads over the stages the way a real funnel narrows.
        let target = match i % 10 {
            0..=2 => 0,
            3..=4 => 1,
            5..=6 => 2,
            7 => 3,
            _ => 4,
        };
        if target > 0
            && let Some(stage) = stages.get(target)
        {
            let mut body = json!({"stage_id": stage["id"]});
            if stage["kind"] == "closed" {
                if i % 20 < 10 {
                    body["outcome"] = json!("won");
                } else {
                    body["outcome"] = json!("lost");
                    body["lost_reason"] = json!(
                        (["Price", "Chose a competitor", "No budget this year"]).choose(&mut rng)
                    );
                }
            }
            owner
                .call(
                    Method::PATCH,
                    &format!("/leads/{lead_id}/stage"),
                    Some(body),
                )
                .await?;
        }
    }

    for (p, (name, status)) in PROJECTS.iter().enumerate() {
        let (company_id, company) = companies[p * 5].clone();
        let assignees: Vec<Uuid> = people
            .iter()
            .copied()
            .filter(|_| rng.random_bool(0.5))
            .collect();
        let project = owner.post("/projects", json!({
            "name": format!("{name} — {company}"), "status": status, "company_id": company_id,
            "assignee_ids": assignees, "due_date": (now + Duration::days(rng.random_range(10..120))).date_naive(),
            "description": "Scope agreed in the proposal.",
        })).await?;
        let project_id = id(&project)?;
        for t in 0..rng.random_range(5..11) {
            let status = ["todo", "in_progress", "done"]
                .choose(&mut rng)
                .copied()
                .unwrap_or("todo");
            owner.post("/tasks", json!({
                "name": TASKS[(t + p) % TASKS.len()], "project_id": project_id, "status": status,
                "priority": (["low", "medium", "high", "urgent"]).choose(&mut rng),
                "assignee_id": people.choose(&mut rng), "due_date": now + Duration::days(rng.random_range(-5..30)),
            })).await?;
        }
    }
    // Nobody reads the demo team's mail: their addresses count as confirmed,
    // so the app does not ask the visitor to verify one.
    crate::db::exec(
        shared.store.connection(),
        "UPDATE users SET email_verified_at = $1 WHERE email_verified_at IS NULL AND email LIKE $2",
        vec![crate::db::now().into(), "%@lovedcrm.local".into()],
    )
    .await
    .map_err(|e| SeedError::Api(e.to_string()))?;
    Ok(Seeded {
        organization: "Loved Agency (demo)".into(),
        skipped: false,
    })
}

async fn owner_id(c: &Client) -> Result<Uuid, SeedError> {
    id(&c.call(Method::GET, "/users/me", None).await?)
}

async fn register(router: &axum::Router, email: &str, name: &str) -> Result<Client, SeedError> {
    let body = json!({"email": email, "password": DEMO_PASSWORD, "name": name});
    let res = send(router, Method::POST, "/auth/register", Some(body), None).await?;
    Ok(Client {
        router: router.clone(),
        token: res["access_token"].as_str().unwrap_or_default().to_string(),
        org: res["organization"]["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_default(),
    })
}
