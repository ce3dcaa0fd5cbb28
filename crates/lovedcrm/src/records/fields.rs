//! Validation of the fields records share, collecting every problem at once.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::actor::Actor;
use crate::db::{self, DbErr, Row, TenantTx};
use crate::error::{DomainError, FieldError};
use crate::notes::target::{Kind, Target};
use crate::users::fields::Email;

/// Collects field problems so one answer names every invalid field.
#[derive(Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Validation(self.0))
        }
    }
}

/// Optional free text: trimmed, empty means absent, at most `max` characters.
pub fn text(field: &str, value: Option<String>, max: usize) -> Result<Option<String>, FieldError> {
    let Some(value) = super::patch::clean(value) else {
        return Ok(None);
    };
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(Some(value))
}

pub fn email(field: &str, value: Option<String>) -> Result<Option<String>, FieldError> {
    match super::patch::clean(value) {
        None => Ok(None),
        Some(v) => Email::parse(field, &v).map(|e| Some(e.as_str().to_string())),
    }
}

/// A phone number in international form, stored as E.164.
pub fn phone(field: &str, value: Option<String>) -> Result<Option<String>, FieldError> {
    let Some(raw) = super::patch::clean(value) else {
        return Ok(None);
    };
    let parsed = phonenumber::parse(None, &raw).map_err(|_| {
        FieldError::new(
            field,
            "must be a phone number in international form, e.g. +55 11 91234-5678",
        )
    })?;
    if !phonenumber::is_valid(&parsed) {
        return Err(FieldError::new(field, "is not a valid phone number"));
    }
    Ok(Some(
        parsed.format().mode(phonenumber::Mode::E164).to_string(),
    ))
}

/// A calendar date both databases store: years 1 to 9999.
pub fn date(field: &str, value: Option<NaiveDate>) -> Result<Option<NaiveDate>, FieldError> {
    match value {
        Some(d) if !(1..=9999).contains(&d.year()) => Err(FieldError::new(
            field,
            "must be a date between 0001-01-01 and 9999-12-31",
        )),
        other => Ok(other),
    }
}

/// Splits "Maria da Silva" into ("Maria", "da Silva").
pub fn split_name(name: &str) -> (Option<String>, Option<String>) {
    let mut parts = name.trim().splitn(2, char::is_whitespace);
    let first = parts.next().map(str::to_string).filter(|s| !s.is_empty());
    let last = parts
        .next()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    (first, last)
}

#[derive(Row)]
struct Found {
    #[allow(dead_code)]
    n: i64,
}

/// True when a row `id` exists in `table` of the transaction's organization.
pub async fn exists(tx: &TenantTx, table: &str, id: Uuid) -> Result<bool, DbErr> {
    let found: Option<Found> = db::fetch_one(
        &**tx,
        &format!(
            "SELECT CAST(1 AS BIGINT) AS n FROM {table} WHERE organization_id = $1 AND id = $2"
        ),
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(found.is_some())
}

/// Checks that a record referenced by `field` is one `actor` may see: a
/// `sales` member cannot point a lead at a company kept from them (and the
/// answer for a hidden record is the one for a missing record, so it does
/// not tell that it exists). `had` is what the record referenced already: a
/// reference someone else set is kept without the check.
pub async fn reference(
    tx: &TenantTx,
    actor: &Actor,
    problems: &mut Problems,
    field: &str,
    kind: Kind,
    id: Option<Uuid>,
    had: Option<Uuid>,
) -> Result<(), DbErr> {
    let Some(id) = id else {
        return Ok(());
    };
    let target = Target { kind, id };
    let found = if had == Some(id) {
        exists(tx, kind.table(), id).await?
    } else {
        target.seen_by(tx, actor).await?
    };
    if !found {
        problems.push(field, "does not exist in this organization");
    }
    Ok(())
}

/// Checks that `user_id` is a member of this organization.
pub async fn member(
    tx: &TenantTx,
    problems: &mut Problems,
    field: &str,
    user_id: Option<Uuid>,
) -> Result<(), DbErr> {
    if let Some(id) = user_id {
        let found: Option<Found> = db::fetch_one(
            &**tx,
            "SELECT CAST(1 AS BIGINT) AS n FROM memberships WHERE organization_id = $1 AND user_id = $2",
            vec![tx.org_id().into(), id.into()],
        )
        .await?;
        if found.is_none() {
            problems.push(field, "is not a member of this organization");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_become_e164() {
        assert_eq!(
            phone("phone", Some("+55 (11) 91234-5678".into()))
                .ok()
                .flatten()
                .as_deref(),
            Some("+5511912345678")
        );
        assert!(phone("phone", Some("12345".into())).is_err());
        assert_eq!(phone("phone", Some("  ".into())).ok().flatten(), None);
    }

    #[test]
    fn names_split_on_the_first_space() {
        assert_eq!(
            split_name("Maria da Silva"),
            (Some("Maria".into()), Some("da Silva".into()))
        );
        assert_eq!(split_name("Cher"), (Some("Cher".into()), None));
    }
}
