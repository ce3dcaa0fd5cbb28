//! Checking and normalizing a lead's own fields.

use super::model::{Lead, SOURCES};
use uuid::Uuid;

use crate::actor::Actor;
use crate::db::{self, TenantTx};
use crate::error::DomainError;
use crate::notes::target::Kind;
use crate::records::fields::{self, Problems};

fn money(problems: &mut Problems, value: Option<f64>) -> Option<f64> {
    let v = value?;
    if !v.is_finite() || !(0.0..1e13).contains(&v) {
        problems.push(
            "estimated_value",
            "must be a non-negative amount below 10^13",
        );
        return None;
    }
    Some((v * 100.0).round() / 100.0)
}

fn currency(problems: &mut Problems, raw: &str) -> String {
    let c = raw.trim().to_ascii_uppercase();
    if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_alphabetic()) {
        problems.push("currency", "must be a 3-letter ISO 4217 code, e.g. BRL");
    }
    c
}

fn percent(problems: &mut Problems, field: &str, v: Option<i32>) -> Option<i32> {
    if v.is_some_and(|p| !(0..=100).contains(&p)) {
        problems.push(field, "must be between 0 and 100");
    }
    v
}

/// Validates and normalizes a lead's own fields (not stage, tags or custom fields).
pub(super) async fn check(
    tx: &TenantTx,
    actor: &Actor,
    l: &mut Lead,
    before: Option<&Lead>,
    problems: &mut Problems,
) -> Result<(), DomainError> {
    l.title = problems
        .take(crate::users::fields::display_name(
            "full_name",
            &l.title,
            200,
        ))
        .unwrap_or_default();
    l.email = problems
        .take(fields::email("email", l.email.take()))
        .flatten();
    l.phone = problems
        .take(fields::phone("phone", l.phone.take()))
        .flatten();
    l.company_name = problems
        .take(fields::text("company_name", l.company_name.take(), 200))
        .flatten();
    l.estimated_value = money(problems, l.estimated_value);
    l.expected_close_date = problems
        .take(fields::date("expected_close_date", l.expected_close_date))
        .flatten();
    l.currency = currency(problems, &l.currency);
    l.probability = percent(problems, "probability", l.probability);
    l.score = percent(problems, "score", l.score);
    if !SOURCES.contains(&l.source.as_str()) {
        problems.push("source", format!("must be one of: {}", SOURCES.join(", ")));
    }
    l.lost_reason = problems
        .take(fields::text("lost_reason", l.lost_reason.take(), 500))
        .flatten();
    let had = |f: fn(&Lead) -> Option<Uuid>| before.and_then(f);
    fields::reference(
        tx,
        actor,
        problems,
        "company_id",
        Kind::Company,
        l.company_id,
        had(|b| b.company_id),
    )
    .await?;
    fields::reference(
        tx,
        actor,
        problems,
        "contact_id",
        Kind::Contact,
        l.contact_id,
        had(|b| b.contact_id),
    )
    .await?;
    fields::member(tx, problems, "assigned_to", l.assigned_to).await?;
    if let Some(company_id) = l.company_id
        && l.company_name.is_none()
    {
        #[derive(db::Row)]
        struct Name {
            name: String,
        }
        let name: Option<Name> = db::fetch_one(
            &**tx,
            "SELECT name FROM companies WHERE organization_id = $1 AND id = $2",
            vec![tx.org_id().into(), company_id.into()],
        )
        .await?;
        l.company_name = name.map(|n| n.name);
    }
    Ok(())
}
