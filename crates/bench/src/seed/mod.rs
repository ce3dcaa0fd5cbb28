//! `lovedcrm-bench seed`: fills an empty, migrated database with one big
//! organization and many small ones, deterministically.
//!
//! Accounts, organizations, members and pipelines go through the real API
//! (in-process); the records then go in bulk (see [`bulk`]), with every
//! column the application writes, so the server reads them exactly like
//! records created through the API. Audit rows are not written for bulk
//! rows, as an import would not write one per row either.

pub mod api;
mod bulk;
mod data;
mod plan;
pub mod shape;
mod tables;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use lovedcrm::config::Config;
use lovedcrm::records::search::fold;
use lovedcrm::startup::Application;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, FromQueryResult};
use uuid::Uuid;

use crate::manifest::{BigOrg, Manifest, Phase, SeedStats, SmallOrg};
use api::{Account, Api, PipelineInfo};
use bulk::Part;
use plan::{Counts, OrgPlan, Segment, batch, batches};
use shape::{MIXED_ORGS, Scale, Shape, UPDATE_POOLS};

pub const PASSWORD: &str = "bench-password-2026";
/// Small organizations per transaction.
const SMALL_BATCH: usize = 25;

pub struct SeedArgs {
    pub db: String,
    pub scale: Scale,
    pub manifest: PathBuf,
    pub writers: Option<usize>,
    /// Rows per transaction in the big organization.
    pub batch: usize,
    pub seed: u64,
}

fn config(db: &str) -> Config {
    Config {
        database_url: Some(db.to_string()),
        token_key: Some("lovedcrm-bench-seeder-token-key-0123456789".into()),
        encryption_key: Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into()),
        migrate_on_start: false,
        auth_rate_per_ip_per_minute: 1_000_000,
        login_rate_per_account_per_minute: 1_000_000,
        api_rate_per_user_per_minute: 1_000_000_000,
        api_rate_per_org_per_minute: 1_000_000_000,
        // The seeder writes its own rows; no mail to send.
        workers: 0,
        db_max_connections: 8,
        data_dir: std::env::temp_dir().join("lovedcrm-bench-seed"),
        ..Config::default()
    }
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

async fn ensure_empty(conn: &DatabaseConnection) -> Result<()> {
    let users: Option<Count> =
        lovedcrm::db::fetch_one(conn, "SELECT COUNT(*) AS n FROM users", vec![]).await?;
    if users.is_some_and(|c| c.n > 0) {
        bail!("the database already has accounts: seed needs an empty, migrated database");
    }
    Ok(())
}

/// Open leads spread over the open stages (4:3:2:1 for four), then won and
/// lost leads in the won/lost (or closing) stages.
fn segments(p: &PipelineInfo, start: usize, open: usize, won: usize, lost: usize) -> Vec<Segment> {
    let opens = p.open_stages();
    let weights: usize = (1..=opens.len()).sum();
    let mut out: Vec<Segment> = Vec::new();
    let mut at = start;
    let mut push = |stage: &api::StageInfo, count: usize, status: &'static str| {
        if count > 0 {
            let rank = out
                .iter()
                .filter(|s| s.stage == stage.id)
                .map(|s| s.count)
                .sum();
            out.push(Segment {
                start: at,
                count,
                pipeline: p.id,
                stage: stage.id,
                probability: stage.probability,
                status,
                rank,
            });
            at += count;
        }
    };
    let mut left = open;
    for (k, stage) in opens.iter().enumerate() {
        let share = if k + 1 == opens.len() {
            left
        } else {
            open * (opens.len() - k) / weights.max(1)
        };
        left -= share.min(left);
        push(stage, share, "open");
    }
    let closing = |kind: &str| {
        p.stages
            .iter()
            .find(|s| s.kind == kind)
            .or_else(|| p.stages.iter().find(|s| s.kind == "closed"))
    };
    if let Some(s) = closing("won") {
        push(s, won, "won");
    }
    if let Some(s) = closing("lost") {
        push(s, lost, "lost");
    }
    out
}

struct Accounts {
    owner: Account,
    team: Vec<Account>,
    pipelines: Vec<PipelineInfo>,
    small: Vec<(Account, PipelineInfo)>,
}

async fn accounts(api: &Api, shape: &Shape) -> Result<Accounts> {
    let owner = api
        .register(
            "owner@big.bench.lovedcrm.local",
            PASSWORD,
            "Ana Souza",
            "Loved Agency (bench)",
        )
        .await?;
    let people = [
        ("João Pereira", "manager"),
        ("Emily Johnson", "sales"),
        ("Carla Mendes", "sales"),
        ("Tomás Araújo", "admin"),
    ];
    let mut team = Vec::new();
    for (i, (name, role)) in people.iter().cycle().take(shape.team).enumerate() {
        let email = format!("team{i}@big.bench.lovedcrm.local");
        let member = api
            .register(&email, PASSWORD, name, &format!("{name} (personal)"))
            .await?;
        api.add_member(&owner, &member, role).await?;
        team.push(member);
    }
    api.create_pipeline(
        &owner,
        "Renewals",
        &[
            ("Up for renewal", "open", 20),
            ("Proposal sent", "open", 50),
            ("Negotiation", "open", 75),
            ("Renewed", "won", 100),
            ("Churned", "lost", 0),
        ],
    )
    .await?;
    api.create_pipeline(
        &owner,
        "Partnerships",
        &[
            ("Prospect", "open", 10),
            ("Qualified", "open", 30),
            ("Pilot", "open", 60),
            ("Partner", "won", 100),
            ("Declined", "lost", 0),
        ],
    )
    .await?;
    let pipelines = api.pipelines(&owner).await?;

    let mut small = Vec::with_capacity(shape.small_orgs);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..shape.small_orgs {
        if tasks.len() >= 8
            && let Some(done) = tasks.join_next().await
        {
            small.push(done??);
        }
        let api = api.clone();
        tasks.spawn(async move {
            let mut rng = StdRng::seed_from_u64(i as u64);
            let first = data::pick(&mut rng, data::FIRST_NAMES);
            let last = data::pick(&mut rng, data::LAST_NAMES);
            let (company, _, _) = data::company(&mut rng);
            let email = format!("owner{i:04}@small.bench.lovedcrm.local");
            let account = api
                .register(&email, PASSWORD, &format!("{first} {last}"), &company)
                .await?;
            let pipeline = api
                .pipelines(&account)
                .await?
                .into_iter()
                .find(|p| p.is_default)
                .context("small organization without a default pipeline")?;
            anyhow::Ok((i, account, pipeline))
        });
    }
    while let Some(done) = tasks.join_next().await {
        small.push(done??);
    }
    small.sort_by_key(|(i, _, _)| *i);
    Ok(Accounts {
        owner,
        team,
        pipelines,
        small: small.into_iter().map(|(_, a, p)| (a, p)).collect(),
    })
}

fn board_pipeline(pipelines: &[PipelineInfo]) -> Result<&PipelineInfo> {
    pipelines
        .iter()
        .find(|p| p.is_default)
        .context("no default pipeline")
}

fn big_plan(seed: u64, a: &Accounts, shape: &Shape) -> Result<OrgPlan> {
    let board = board_pipeline(&a.pipelines)?;
    let won = shape.board_closed * 3 / 5;
    let mut segs = segments(board, 0, shape.board_open, won, shape.board_closed - won);
    let mut at = shape.board_open + shape.board_closed;
    let others: Vec<&PipelineInfo> = a.pipelines.iter().filter(|p| !p.is_default).collect();
    let rest = shape.leads - at;
    for (k, p) in others.iter().enumerate() {
        let n = if k + 1 == others.len() {
            shape.leads - at
        } else {
            rest / others.len()
        };
        let (open, won) = (n / 4, n / 2);
        segs.extend(segments(p, at, open, won, n - open - won));
        at += n;
    }
    let mut people = vec![a.owner.user];
    people.extend(a.team.iter().map(|t| t.user));
    let counts = Counts {
        companies: shape.companies,
        contacts: shape.contacts,
        leads: shape.leads,
        communications: shape.communications,
        hot_communications: shape.hot_communications,
        activities: shape.hot_activities,
        projects: shape.projects,
        tasks: shape.tasks,
    };
    Ok(OrgPlan::new(seed, a.owner.org, people, &counts, segs))
}

fn small_plan(
    seed: u64,
    index: usize,
    account: &Account,
    p: &PipelineInfo,
    shape: &Shape,
) -> OrgPlan {
    let counts = Counts {
        companies: shape.small_companies,
        contacts: shape.small_contacts,
        leads: shape.small_leads,
        communications: shape.small_communications,
        hot_communications: 0,
        activities: 0,
        projects: 0,
        tasks: 0,
    };
    let seed = seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let segs = segments(p, 0, shape.small_leads, 0, 0);
    OrgPlan::new(seed, account.org, vec![account.user], &counts, segs)
}

/// Runs one bulk phase and records it.
async fn phase<F>(
    conn: &DatabaseConnection,
    phases: &mut Vec<Phase>,
    name: &str,
    writers: usize,
    batches: usize,
    make: F,
) -> Result<()>
where
    F: Fn(usize) -> Vec<Part> + Send + Sync + 'static,
{
    let started = Instant::now();
    let rows = bulk::load(conn, name, writers, batches, make).await?;
    phases.push(Phase {
        name: name.to_string(),
        rows,
        seconds: started.elapsed().as_secs_f64(),
    });
    Ok(())
}

async fn load_big(
    conn: &DatabaseConnection,
    phases: &mut Vec<Phase>,
    writers: usize,
    plan: &Arc<OrgPlan>,
    stages: Vec<(Uuid, String)>,
    size: usize,
) -> Result<()> {
    let p = plan.clone();
    let n = p.companies.len();
    phase(
        conn,
        phases,
        "companies",
        writers,
        batches(n, size),
        move |i| {
            vec![Part {
                org: p.org,
                rows: vec![p.companies(batch(i, size, n))],
            }]
        },
    )
    .await?;
    let p = plan.clone();
    let n = p.contacts.len();
    phase(
        conn,
        phases,
        "contacts",
        writers,
        batches(n, size),
        move |i| {
            vec![Part {
                org: p.org,
                rows: vec![p.contacts(batch(i, size, n))],
            }]
        },
    )
    .await?;
    let p = plan.clone();
    let n = p.leads.len();
    phase(
        conn,
        phases,
        "leads",
        writers,
        batches(n, size / 2),
        move |i| {
            vec![Part {
                org: p.org,
                rows: vec![p.leads(batch(i, size / 2, n))],
            }]
        },
    )
    .await?;
    let p = plan.clone();
    let n = p.comms.total;
    phase(
        conn,
        phases,
        "communications",
        writers,
        batches(n, size),
        move |i| {
            let mut rows = vec![p.communications(batch(i, size, n))];
            if i == 0 {
                rows.push(p.activities(&stages));
            }
            vec![Part { org: p.org, rows }]
        },
    )
    .await?;
    let p = plan.clone();
    let n = p.projects.len();
    phase(
        conn,
        phases,
        "projects",
        writers,
        batches(n, size),
        move |i| {
            vec![Part {
                org: p.org,
                rows: p.projects(batch(i, size, n)),
            }]
        },
    )
    .await?;
    let p = plan.clone();
    let n = p.tasks;
    phase(conn, phases, "tasks", writers, batches(n, size), move |i| {
        vec![Part {
            org: p.org,
            rows: vec![p.task_rows(batch(i, size, n))],
        }]
    })
    .await
}

/// What people type in the search box: names of seeded contacts, whole,
/// folded and half-typed, or a first or last name alone.
fn search_terms(plan: &OrgPlan, rng: &mut StdRng) -> Vec<String> {
    (0..200)
        .map(|k| {
            let (first, last) = plan.contact_name(rng.random_range(0..plan.contacts.len()));
            match k % 4 {
                0 => format!("{first} {last}"),
                1 => format!(
                    "{} {}",
                    fold(&first),
                    fold(&last).chars().take(3).collect::<String>()
                ),
                2 => first,
                _ => last,
            }
        })
        .collect()
}

fn big_manifest(seed: u64, plan: &OrgPlan, a: &Accounts, shape: &Shape) -> Result<BigOrg> {
    let board = board_pipeline(&a.pipelines)?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0xB0A2D);
    let n = plan.contacts.len();
    let pool = shape.update_pool();
    let stride = (n / (UPDATE_POOLS * pool)).max(1);
    let board_leads = plan
        .segments
        .iter()
        .filter(|s| s.pipeline == board.id && s.status == "open")
        .flat_map(|s| s.start..s.start + s.count)
        .filter(|i| *i != 0)
        .map(|i| plan.leads[i])
        .collect();
    Ok(BigOrg {
        org: a.owner.org,
        email: a.owner.email.clone(),
        board_pipeline: board.id,
        open_stages: board.open_stages().iter().map(|s| s.id).collect(),
        hot_lead: *plan.leads.first().context("no leads")?,
        board_leads,
        contacts: (0..shape.sample())
            .map(|_| plan.contacts[rng.random_range(0..n)])
            .collect(),
        update_pools: (0..UPDATE_POOLS)
            .map(|p| {
                (0..pool)
                    .map(|k| plan.contacts[((p * pool + k) * stride).min(n - 1)])
                    .collect()
            })
            .collect(),
        search_terms: search_terms(plan, &mut rng),
    })
}

pub async fn run(args: SeedArgs) -> Result<()> {
    let shape = Shape::of(args.scale);
    let state = Application::prepare(config(&args.db)).await?;
    let conn = state.store.connection().clone();
    let backend = conn.get_database_backend();
    ensure_empty(&conn).await?;
    let api = Api::new(state.clone());

    let started = Instant::now();
    let a = accounts(&api, &shape).await?;
    let accounts_seconds = started.elapsed().as_secs_f64();
    let account_count = 1 + a.team.len() + a.small.len();
    eprintln!("seed: {account_count} accounts through the API in {accounts_seconds:.1} s");

    let writers = args
        .writers
        .unwrap_or(if backend == DbBackend::Postgres { 2 } else { 1 });
    let plan = Arc::new(big_plan(args.seed, &a, &shape)?);
    let board = board_pipeline(&a.pipelines)?;
    let stages = board
        .stages
        .iter()
        .map(|s| (s.id, s.name.clone()))
        .collect();
    let bulk_started = Instant::now();
    let mut phases = Vec::new();
    load_big(
        &conn,
        &mut phases,
        writers,
        &plan,
        stages,
        args.batch.max(1),
    )
    .await?;

    let small = Arc::new(a.small.clone());
    let (seed, n) = (args.seed, small.len());
    let small_shape = shape.clone();
    phase(
        &conn,
        &mut phases,
        "small organizations",
        writers,
        batches(n, SMALL_BATCH),
        move |i| {
            batch(i, SMALL_BATCH, n)
                .map(|s| {
                    let (account, pipeline) = &small[s];
                    let p = small_plan(seed, s, account, pipeline, &small_shape);
                    let mut rows = vec![p.companies(0..p.companies.len())];
                    rows.push(p.contacts(0..p.contacts.len()));
                    rows.push(p.leads(0..p.leads.len()));
                    rows.push(p.communications(0..p.comms.total));
                    Part { org: p.org, rows }
                })
                .collect()
        },
    )
    .await?;
    let bulk_seconds = bulk_started.elapsed().as_secs_f64();
    let rows: u64 = phases.iter().map(|p| p.rows).sum();
    let rows_per_second = rows as f64 / bulk_seconds.max(1e-9);
    eprintln!("seed: {rows} rows in {bulk_seconds:.1} s: {rows_per_second:.0} rows/s");
    if backend == DbBackend::Sqlite {
        conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }

    let manifest = Manifest {
        scale: args.scale,
        database: if backend == DbBackend::Postgres {
            "postgres"
        } else {
            "sqlite"
        }
        .into(),
        seed: args.seed,
        password: PASSWORD.into(),
        stats: SeedStats {
            accounts: account_count,
            accounts_seconds,
            rows,
            bulk_seconds,
            rows_per_second,
            phases,
        },
        big: big_manifest(args.seed, &plan, &a, &shape)?,
        small: a
            .small
            .iter()
            .take(MIXED_ORGS)
            .enumerate()
            .map(|(s, (account, pipeline))| {
                let p = small_plan(args.seed, s, account, pipeline, &shape);
                SmallOrg {
                    org: account.org,
                    email: account.email.clone(),
                    pipeline: pipeline.id,
                    open_stages: pipeline.open_stages().iter().map(|s| s.id).collect(),
                    contacts: p.contacts.clone(),
                    leads: p.leads.clone(),
                }
            })
            .collect(),
        shape,
    };
    manifest.save(&args.manifest)?;
    state.store.clone().close().await;
    Ok(())
}
