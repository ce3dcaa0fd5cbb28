//! One organization's records, row by row. Every row is a pure function of
//! the seed, its kind and its index (each gets its own `StdRng`), so batches
//! can be generated in any order, in parallel, and always give the same data.

use std::ops::Range;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use lovedcrm::records::search;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use uuid::Uuid;

use super::bulk::Rows;
use super::data::{self, pick};
use super::tables;

/// Seeded data ends here and spans the three years before.
pub fn end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}
const SPAN_DAYS: i64 = 3 * 365;
/// The board's spacing between cards (leads/store.rs `GAP`).
const GAP: f64 = 1024.0;

#[derive(Clone, Copy)]
#[repr(u8)]
enum Kind {
    Company = 1,
    Contact,
    Lead,
    Communication,
    Activity,
    Project,
    Task,
}

/// A run of leads in one stage.
#[derive(Debug, Clone)]
pub struct Segment {
    pub start: usize,
    pub count: usize,
    pub pipeline: Uuid,
    pub stage: Uuid,
    pub probability: i32,
    /// `open`, `won` or `lost`.
    pub status: &'static str,
    /// Cards before this run in the same stage.
    pub rank: usize,
}

/// How communications are spread: lead 0 gets `hot` (when non-zero), the
/// others share the rest evenly.
#[derive(Debug, Clone, Copy)]
pub struct CommPlan {
    pub total: usize,
    pub hot: usize,
    first_shared: usize,
    base: usize,
    rem: usize,
}

impl CommPlan {
    pub fn new(total: usize, hot: usize, leads: usize) -> CommPlan {
        let first_shared = usize::from(hot > 0);
        let shared = leads.saturating_sub(first_shared).max(1);
        let rest = total - hot.min(total);
        CommPlan {
            total,
            hot,
            first_shared,
            base: rest / shared,
            rem: rest % shared,
        }
    }

    pub fn count(&self, lead: usize) -> usize {
        if self.hot > 0 && lead == 0 {
            return self.hot;
        }
        let k = lead - self.first_shared;
        self.base + usize::from(k < self.rem)
    }

    /// The lead and the index on it of communication `g`.
    fn locate(&self, g: usize) -> (usize, usize) {
        if self.hot > 0 && g < self.hot {
            return (0, g);
        }
        let g = if self.hot > 0 { g - self.hot } else { g };
        let big = self.base + 1;
        if g < self.rem * big {
            (self.first_shared + g / big, g % big)
        } else {
            let g = g - self.rem * big;
            (self.first_shared + self.rem + g / self.base, g % self.base)
        }
    }
}

/// One organization to fill.
pub struct OrgPlan {
    seed: u64,
    pub org: Uuid,
    /// Members who own and are assigned records; the first is the owner.
    pub people: Vec<Uuid>,
    pub companies: Vec<Uuid>,
    pub contacts: Vec<Uuid>,
    pub leads: Vec<Uuid>,
    pub projects: Vec<Uuid>,
    pub segments: Vec<Segment>,
    pub comms: CommPlan,
    /// Stage changes on lead 0's timeline.
    pub activities: usize,
    pub tasks: usize,
}

/// Counts for [`OrgPlan::new`].
pub struct Counts {
    pub companies: usize,
    pub contacts: usize,
    pub leads: usize,
    pub communications: usize,
    pub hot_communications: usize,
    pub activities: usize,
    pub projects: usize,
    pub tasks: usize,
}

fn millis(t: DateTime<Utc>) -> u64 {
    u64::try_from(t.timestamp_millis()).unwrap_or_default()
}

fn date(t: DateTime<Utc>) -> NaiveDate {
    t.date_naive()
}

impl OrgPlan {
    pub fn new(
        seed: u64,
        org: Uuid,
        people: Vec<Uuid>,
        counts: &Counts,
        segments: Vec<Segment>,
    ) -> OrgPlan {
        let mut plan = OrgPlan {
            seed,
            org,
            people,
            companies: Vec::new(),
            contacts: Vec::new(),
            leads: Vec::new(),
            projects: Vec::new(),
            segments,
            comms: CommPlan::new(
                counts.communications,
                counts.hot_communications,
                counts.leads,
            ),
            activities: counts.activities,
            tasks: counts.tasks,
        };
        plan.companies = plan.ids(Kind::Company, counts.companies);
        plan.contacts = plan.ids(Kind::Contact, counts.contacts);
        plan.leads = plan.ids(Kind::Lead, counts.leads);
        plan.projects = plan.ids(Kind::Project, counts.projects);
        plan
    }

    fn rng(&self, kind: Kind, i: usize) -> StdRng {
        StdRng::seed_from_u64(self.seed ^ ((kind as u64) << 56) ^ i as u64)
    }

    /// When record `i` of `n` was created: evenly over the span.
    fn created(i: usize, n: usize) -> DateTime<Utc> {
        let span = Duration::days(SPAN_DAYS).num_milliseconds();
        let offset = span * i as i64 / n.max(1) as i64;
        end() - Duration::days(SPAN_DAYS) + Duration::milliseconds(offset)
    }

    /// A UUID v7 at `at` with random bits from `rng` (what `Uuid::now_v7` makes).
    fn id(rng: &mut StdRng, at: DateTime<Utc>) -> Uuid {
        uuid::Builder::from_unix_timestamp_millis(millis(at), &rng.random()).into_uuid()
    }

    /// The rng, id and creation time of record `i` of `n`.
    fn start(&self, kind: Kind, i: usize, n: usize) -> (StdRng, Uuid, DateTime<Utc>) {
        let mut rng = self.rng(kind, i);
        let at = Self::created(i, n);
        let id = Self::id(&mut rng, at);
        (rng, id, at)
    }

    fn ids(&self, kind: Kind, n: usize) -> Vec<Uuid> {
        (0..n).map(|i| self.start(kind, i, n).1).collect()
    }

    fn person_of(&self, rng: &mut StdRng) -> Uuid {
        self.people[rng.random_range(0..self.people.len())]
    }

    /// The name, domain and industry of company `k`.
    fn company_of(&self, k: usize) -> (String, String, &'static str) {
        let (mut rng, _, _) = self.start(Kind::Company, k, self.companies.len());
        data::company(&mut rng)
    }

    pub fn companies(&self, range: Range<usize>) -> Rows {
        let mut rows = Rows::new(&tables::COMPANIES);
        let n = self.companies.len();
        for i in range {
            let (mut rng, id, at) = self.start(Kind::Company, i, n);
            let (name, domain, industry) = data::company(&mut rng);
            let owner = self.person_of(&mut rng);
            let size = pick(&mut rng, &["1-10", "11-50", "51-200", "201-1000"]);
            let city = pick(&mut rng, data::CITIES);
            let text = search::text([Some(name.as_str()), Some(domain.as_str()), Some(industry)]);
            rows.index(search::rowid(id), text.clone());
            rows.push(vec![
                self.org.into(),
                id.into(),
                name.into(),
                Some(format!("{industry} client based in {city}.")).into(),
                Some(industry.to_string()).into(),
                Some(domain).into(),
                Some(size.to_string()).into(),
                Some(city.to_string()).into(),
                Some(owner).into(),
                json!({}).into(),
                text.into(),
                search::rowid(id).into(),
                Some(owner).into(),
                at.into(),
                at.into(),
                1i64.into(),
            ]);
        }
        rows
    }

    pub fn contacts(&self, range: Range<usize>) -> Rows {
        let mut rows = Rows::new(&tables::CONTACTS);
        let n = self.contacts.len();
        for i in range {
            let (mut rng, id, at) = self.start(Kind::Contact, i, n);
            let company = (!self.companies.is_empty() && rng.random_bool(0.7))
                .then(|| rng.random_range(0..self.companies.len()));
            let domain = company.map(|k| self.company_of(k).1);
            let p = data::person(&mut rng, i, domain.as_deref());
            let name = format!("{} {}", p.first, p.last);
            let owner = self.person_of(&mut rng);
            let source = pick(&mut rng, data::CONTACT_SOURCES);
            let address = rng
                .random_bool(0.3)
                .then(|| pick(&mut rng, data::CITIES).to_string());
            let text = search::text([
                Some(name.as_str()),
                Some(p.email.as_str()),
                Some(p.phone.as_str()),
                Some(p.job),
            ]);
            rows.index(search::rowid(id), text.clone());
            rows.push(vec![
                self.org.into(),
                id.into(),
                Some(p.first.to_string()).into(),
                Some(p.last.to_string()).into(),
                name.into(),
                Some(p.email).into(),
                Some(p.phone).into(),
                Some(p.job.to_string()).into(),
                company.map(|k| self.companies[k]).into(),
                address.into(),
                Some(source.to_string()).into(),
                Some(owner).into(),
                json!({}).into(),
                text.into(),
                search::rowid(id).into(),
                Some(owner).into(),
                at.into(),
                at.into(),
                1i64.into(),
            ]);
        }
        rows
    }

    /// The name of contact `k` as seeded, for search terms.
    pub fn contact_name(&self, k: usize) -> (String, String) {
        let (mut rng, _, _) = self.start(Kind::Contact, k, self.contacts.len());
        let company = (!self.companies.is_empty() && rng.random_bool(0.7))
            .then(|| rng.random_range(0..self.companies.len()));
        let domain = company.map(|k| self.company_of(k).1);
        let p = data::person(&mut rng, k, domain.as_deref());
        (p.first.to_string(), p.last.to_string())
    }

    fn segment(&self, lead: usize) -> Option<&Segment> {
        self.segments
            .iter()
            .find(|s| (s.start..s.start + s.count).contains(&lead))
    }

    /// When communication `j` of `lead` (created at `created`) was sent:
    /// evenly between the lead's creation and the end of the data.
    fn sent_at(&self, lead: usize, j: usize, created: DateTime<Utc>) -> DateTime<Utc> {
        let count = self.comms.count(lead) as i64;
        let span = (end() - created).num_milliseconds();
        created + Duration::milliseconds(span * (j as i64 + 1) / (count + 1))
    }

    pub fn leads(&self, range: Range<usize>) -> Rows {
        let mut rows = Rows::new(&tables::LEADS);
        let n = self.leads.len();
        for i in range {
            let Some(seg) = self.segment(i) else {
                continue;
            };
            let (mut rng, id, at) = self.start(Kind::Lead, i, n);
            let company = (!self.companies.is_empty() && rng.random_bool(0.6))
                .then(|| rng.random_range(0..self.companies.len()));
            let company_name = company.map(|k| self.company_of(k).0);
            let contact = (!self.contacts.is_empty() && rng.random_bool(0.7))
                .then(|| self.contacts[rng.random_range(0..self.contacts.len())]);
            let p = data::person(&mut rng, i, None);
            let deal = pick(&mut rng, data::DEALS);
            let title = match &company_name {
                Some(c) => format!("{deal} – {c}"),
                None => format!("{deal} – {} {}", p.first, p.last),
            };
            let value = f64::from(rng.random_range(5..500)) * 100.0;
            let currency = pick(&mut rng, &["BRL", "BRL", "BRL", "BRL", "BRL", "USD", "EUR"]);
            let source = pick(&mut rng, data::LEAD_SOURCES);
            let assigned = self.person_of(&mut rng);
            let score = rng.random_range(0..100);
            let close_in = Duration::days(rng.random_range(20..200));
            let closed = (seg.status != "open").then(|| (at + close_in).min(end()));
            let lost_reason =
                (seg.status == "lost").then(|| pick(&mut rng, data::LOST_REASONS).to_string());
            let comms = self.comms.count(i);
            let last = (comms > 0).then(|| {
                let (channel, sent) = self.communication_head(i, comms - 1, at);
                (sent, channel)
            });
            let updated = [Some(at), last.map(|l| l.0), closed]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(at);
            let text = search::text([
                Some(title.as_str()),
                Some(p.email.as_str()),
                Some(p.phone.as_str()),
                company_name.as_deref(),
            ]);
            rows.index(search::rowid(id), text.clone());
            rows.push(vec![
                self.org.into(),
                id.into(),
                title.into(),
                Some(p.email).into(),
                Some(p.phone).into(),
                company_name.into(),
                company.map(|k| self.companies[k]).into(),
                contact.into(),
                seg.pipeline.into(),
                seg.stage.into(),
                ((seg.rank + i - seg.start + 1) as f64 * GAP).into(),
                seg.status.into(),
                lost_reason.into(),
                Some(value).into(),
                currency.into(),
                Some(seg.probability).into(),
                Some(date(at + close_in)).into(),
                source.into(),
                Some(score).into(),
                Some(assigned).into(),
                last.map(|l| l.0).into(),
                last.map(|l| l.1.to_string()).into(),
                closed.into(),
                None::<DateTime<Utc>>.into(),
                json!({}).into(),
                text.into(),
                search::rowid(id).into(),
                Some(self.people[0]).into(),
                at.into(),
                updated.into(),
                1i64.into(),
            ]);
        }
        rows
    }

    /// The contact of lead `i` (as [`OrgPlan::leads`] draws it).
    fn lead_contact(&self, i: usize) -> Option<Uuid> {
        let (mut rng, _, _) = self.start(Kind::Lead, i, self.leads.len());
        if !self.companies.is_empty() && rng.random_bool(0.6) {
            rng.random_range(0..self.companies.len());
        }
        (!self.contacts.is_empty() && rng.random_bool(0.7))
            .then(|| self.contacts[rng.random_range(0..self.contacts.len())])
    }

    fn comm_rng(&self, lead: usize, j: usize) -> StdRng {
        self.rng(Kind::Communication, (lead << 24) | j)
    }

    /// Channel and time of communication `j` of `lead`.
    fn communication_head(
        &self,
        lead: usize,
        j: usize,
        created: DateTime<Utc>,
    ) -> (&'static str, DateTime<Utc>) {
        let mut rng = self.comm_rng(lead, j);
        (
            pick(&mut rng, data::CHANNELS),
            self.sent_at(lead, j, created),
        )
    }

    /// Communications `range` of the organization's `comms.total`.
    pub fn communications(&self, range: Range<usize>) -> Rows {
        let mut rows = Rows::new(&tables::COMMUNICATIONS);
        let n = self.leads.len();
        let mut cached: Option<(usize, DateTime<Utc>, Option<Uuid>)> = None;
        for g in range {
            let (lead, j) = self.comms.locate(g);
            let (created, contact) = match cached {
                Some((l, created, contact)) if l == lead => (created, contact),
                _ => {
                    let found = (Self::created(lead, n), self.lead_contact(lead));
                    cached = Some((lead, found.0, found.1));
                    found
                }
            };
            let mut rng = self.comm_rng(lead, j);
            let channel = pick(&mut rng, data::CHANNELS);
            let sent = self.sent_at(lead, j, created);
            let id = Self::id(&mut rng, sent);
            let direction = pick(&mut rng, data::DIRECTIONS);
            let status = pick(&mut rng, data::COMM_STATUSES);
            let deal = pick(&mut rng, data::DEALS);
            let subject = (channel == "email").then(|| format!("Re: {deal}"));
            let metadata = match channel {
                "call" | "meeting" => json!({"duration_seconds": rng.random_range(60..3600)}),
                _ => json!({}),
            };
            let author = (direction == "outbound").then(|| self.person_of(&mut rng));
            rows.push(vec![
                self.org.into(),
                id.into(),
                Some(self.leads[lead]).into(),
                contact.into(),
                channel.into(),
                direction.into(),
                subject.into(),
                Some(pick(&mut rng, data::MESSAGES).to_string()).into(),
                metadata.into(),
                json!([]).into(),
                "manual".into(),
                None::<String>.into(),
                status.into(),
                sent.into(),
                author.into(),
                sent.into(),
                sent.into(),
                1i64.into(),
            ]);
        }
        rows
    }

    /// Stage changes on lead 0, spread over its life.
    pub fn activities(&self, stages: &[(Uuid, String)]) -> Rows {
        let mut rows = Rows::new(&tables::ACTIVITIES);
        if self.leads.is_empty() || stages.len() < 2 {
            return rows;
        }
        let created = Self::created(0, self.leads.len());
        let span = (end() - created).num_milliseconds();
        for a in 0..self.activities {
            let mut rng = self.rng(Kind::Activity, a);
            let at = created
                + Duration::milliseconds(span * (a as i64 + 1) / (self.activities as i64 + 1));
            let from = &stages[a % stages.len()];
            let to = &stages[(a + 1) % stages.len()];
            rows.push(vec![
                self.org.into(),
                Self::id(&mut rng, at).into(),
                Some(self.leads[0]).into(),
                self.lead_contact(0).into(),
                None::<Uuid>.into(),
                "stage_changed".into(),
                Some(self.person_of(&mut rng)).into(),
                json!({"from_stage_id": from.0, "from_stage": from.1, "to_stage_id": to.0,
                       "to_stage": to.1, "status": "open", "lost_reason": null})
                .into(),
                at.into(),
            ]);
        }
        rows
    }

    /// Projects `range` and their assignees.
    pub fn projects(&self, range: Range<usize>) -> Vec<Rows> {
        let mut projects = Rows::new(&tables::PROJECTS);
        let mut assignees = Rows::new(&tables::PROJECT_ASSIGNEES);
        let n = self.projects.len();
        for i in range {
            let (mut rng, id, at) = self.start(Kind::Project, i, n);
            let company =
                (!self.companies.is_empty()).then(|| rng.random_range(0..self.companies.len()));
            let client = company.map_or_else(|| "Internal".to_string(), |k| self.company_of(k).0);
            let name = format!("{} – {client}", pick(&mut rng, data::PROJECT_KINDS));
            let description = format!("Scope agreed with {client}; monthly check-ins.");
            let status = pick(
                &mut rng,
                &["planned", "in_progress", "completed", "on_hold"],
            );
            let due = Some(date(at + Duration::days(rng.random_range(30..240))));
            let owner = self.person_of(&mut rng);
            let text = search::text([Some(name.as_str()), Some(description.as_str())]);
            projects.index(search::rowid(id), text.clone());
            projects.push(vec![
                self.org.into(),
                id.into(),
                name.into(),
                Some(description).into(),
                status.into(),
                company.map(|k| self.companies[k]).into(),
                due.into(),
                Some(owner).into(),
                json!({}).into(),
                text.into(),
                search::rowid(id).into(),
                Some(owner).into(),
                at.into(),
                at.into(),
                1i64.into(),
            ]);
            let mut members = vec![owner];
            let other = self.person_of(&mut rng);
            if other != owner {
                members.push(other);
            }
            for user in members {
                assignees.push(vec![
                    self.org.into(),
                    Self::id(&mut rng, at).into(),
                    id.into(),
                    user.into(),
                    at.into(),
                ]);
            }
        }
        vec![projects, assignees]
    }

    pub fn task_rows(&self, range: Range<usize>) -> Rows {
        let mut rows = Rows::new(&tables::TASKS);
        for i in range {
            let (mut rng, id, at) = self.start(Kind::Task, i, self.tasks);
            let on_project = !self.projects.is_empty() && (self.leads.is_empty() || i % 10 < 6);
            let project =
                on_project.then(|| self.projects[rng.random_range(0..self.projects.len())]);
            let lead = (!on_project && !self.leads.is_empty())
                .then(|| self.leads[rng.random_range(0..self.leads.len())]);
            let first = pick(&mut rng, data::FIRST_NAMES);
            let name = format!("{} {first}", pick(&mut rng, data::TASKS));
            let description = rng
                .random_bool(0.5)
                .then(|| "Ver histórico no timeline.".to_string());
            let status = pick(&mut rng, &["todo", "todo", "in_progress", "done"]);
            let priority = pick(&mut rng, &["low", "medium", "medium", "high", "urgent"]);
            let due = at + Duration::days(rng.random_range(1..30));
            let completed = (status == "done").then_some(due);
            let assignee = self.person_of(&mut rng);
            let text = search::text([Some(name.as_str()), description.as_deref()]);
            rows.index(search::rowid(id), text.clone());
            rows.push(vec![
                self.org.into(),
                id.into(),
                name.into(),
                description.into(),
                status.into(),
                priority.into(),
                Some(assignee).into(),
                project.into(),
                lead.into(),
                None::<Uuid>.into(),
                None::<Uuid>.into(),
                Some(due).into(),
                completed.into(),
                json!({}).into(),
                text.into(),
                search::rowid(id).into(),
                Some(self.people[0]).into(),
                at.into(),
                completed.unwrap_or(at).into(),
                1i64.into(),
            ]);
        }
        rows
    }
}

/// Splits `n` into consecutive batches of at most `size`.
pub fn batch(i: usize, size: usize, n: usize) -> Range<usize> {
    (i * size).min(n)..((i + 1) * size).min(n)
}

pub fn batches(n: usize, size: usize) -> usize {
    n.div_ceil(size)
}

#[cfg(test)]
mod tests {
    use super::CommPlan;

    #[test]
    fn communications_cover_every_lead_exactly() {
        for (total, hot, leads) in [(1_000, 100, 20), (20, 0, 10), (7, 0, 3), (10, 10, 1)] {
            let plan = CommPlan::new(total, hot, leads);
            let mut seen = vec![0usize; leads];
            for g in 0..total {
                let (lead, j) = plan.locate(g);
                assert_eq!(j, seen[lead], "g={g}");
                seen[lead] += 1;
            }
            for (lead, n) in seen.iter().enumerate() {
                assert_eq!(*n, plan.count(lead));
            }
        }
    }
}
