//! A user's preferences in one organization (SPEC §3): theme, language,
//! timezone, notification channels per event and quiet hours.
//!
//! Until the user saves something, the defaults are answered without a row.

use std::collections::BTreeMap;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::{self, DbErr, Row, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::records::kernel::check_version;

pub const THEMES: &[&str] = &["light", "dark", "system"];
pub const LANGUAGES: &[&str] = &["en", "pt-BR", "es"];
/// The events a member can be notified of.
pub const EVENTS: &[&str] = &[
    "mention",
    "lead_assigned",
    "task_assigned",
    "task_due",
    "comment",
    "reminder",
    "event_invited",
    "assigned",
    "share",
    "follow",
];

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Channels {
    pub in_app: bool,
    pub email: bool,
    /// Web Push to the browsers the member enabled; on unless turned off.
    #[serde(default = "yes")]
    pub push: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    pub enabled: bool,
    /// `HH:MM` in the user's timezone.
    pub start: String,
    /// `HH:MM`; may be earlier than `start` (the quiet time crosses midnight).
    pub end: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preferences {
    /// `light`, `dark` or `system`.
    pub theme: String,
    /// `en`, `pt-BR` or `es`.
    pub language: String,
    /// An IANA timezone name, e.g. `America/Sao_Paulo`.
    pub timezone: String,
    /// Channels per event: `mention`, `lead_assigned`, `task_assigned`, `task_due`, `comment`,
    /// `reminder`, `event_invited`, `assigned` (other records), `share`, `follow`.
    pub notifications: BTreeMap<String, Channels>,
    pub quiet_hours: QuietHours,
    /// 0 until the preferences are first saved.
    pub version: i64,
}

/// Every key optional; `notifications` may name only some events.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchPreferences {
    pub theme: Option<String>,
    pub language: Option<String>,
    pub timezone: Option<String>,
    pub notifications: Option<BTreeMap<String, Channels>>,
    pub quiet_hours: Option<QuietHours>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            theme: "system".into(),
            language: "en".into(),
            timezone: "UTC".into(),
            notifications: EVENTS
                .iter()
                .map(|e| {
                    let channels = Channels {
                        in_app: true,
                        email: matches!(
                            *e,
                            "mention"
                                | "lead_assigned"
                                | "task_assigned"
                                | "reminder"
                                | "event_invited"
                        ),
                        push: true,
                    };
                    ((*e).to_string(), channels)
                })
                .collect(),
            quiet_hours: QuietHours {
                enabled: false,
                start: "22:00".into(),
                end: "07:00".into(),
            },
            version: 0,
        }
    }
}

#[derive(Row)]
struct Stored {
    theme: String,
    language: String,
    timezone: String,
    notifications: Json,
    quiet_hours: Json,
    version: i64,
}

/// The caller's preferences in `tx`'s organization (defaults when unsaved).
pub async fn load(tx: &TenantTx, user_id: uuid::Uuid) -> Result<Preferences, DbErr> {
    let stored: Option<Stored> = db::fetch_one(
        &**tx,
        "SELECT theme, language, timezone, notifications, quiet_hours, version \
         FROM user_preferences WHERE organization_id = $1 AND user_id = $2",
        vec![tx.org_id().into(), user_id.into()],
    )
    .await?;
    let mut prefs = Preferences::default();
    if let Some(s) = stored {
        prefs.theme = s.theme;
        prefs.language = s.language;
        prefs.timezone = s.timezone;
        // Events added after the row was saved keep their defaults.
        if let Ok(saved) = serde_json::from_value::<BTreeMap<String, Channels>>(s.notifications) {
            prefs.notifications.extend(saved);
        }
        if let Ok(q) = serde_json::from_value(s.quiet_hours) {
            prefs.quiet_hours = q;
        }
        prefs.version = s.version;
    }
    Ok(prefs)
}

/// The actor's preferences in their organization.
pub async fn read(app: &SharedState, actor: &Actor) -> DomainResult<Preferences> {
    let user_id = actor.member()?;
    let tx = actor.begin(app, TxMode::Read).await?;
    let prefs = load(&tx, user_id).await?;
    tx.commit().await?;
    Ok(prefs)
}

/// Changes some of the actor's preferences if they are still at `expected`
/// (any version when `None`).
pub async fn update(
    app: &SharedState,
    actor: &Actor,
    expected: Option<i64>,
    body: PatchPreferences,
) -> DomainResult<Preferences> {
    let user_id = actor.member()?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let before = load(&tx, user_id).await?;
    check_version(expected, before.version)?;
    let mut after = apply(before.clone(), body).map_err(DomainError::Validation)?;
    if !save(&tx, user_id, &after).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: before.version,
        });
    }
    after.version = before.version + 1;
    audit::record(
        &tx,
        &actor.meta,
        Change {
            actor: Some(user_id),
            action: "preferences.updated",
            entity_type: "user_preferences",
            entity_id: Some(user_id.to_string()),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

fn apply(mut prefs: Preferences, body: PatchPreferences) -> Result<Preferences, Vec<FieldError>> {
    let mut errors = Vec::new();
    if let Some(theme) = body.theme {
        match THEMES.contains(&theme.as_str()) {
            true => prefs.theme = theme,
            false => errors.push(FieldError::new("theme", "must be light, dark or system")),
        }
    }
    if let Some(language) = body.language {
        match LANGUAGES.contains(&language.as_str()) {
            true => prefs.language = language,
            false => errors.push(FieldError::new("language", "must be en, pt-BR or es")),
        }
    }
    if let Some(tz) = body.timezone {
        match tz.parse::<chrono_tz::Tz>() {
            Ok(_) => prefs.timezone = tz,
            Err(_) => errors.push(FieldError::new(
                "timezone",
                "must be an IANA timezone name such as America/Sao_Paulo",
            )),
        }
    }
    for (event, channels) in body.notifications.into_iter().flatten() {
        match EVENTS.contains(&event.as_str()) {
            true => {
                prefs.notifications.insert(event, channels);
            }
            false => errors.push(FieldError::new(
                format!("notifications.{event}"),
                format!("unknown event; events are {}", EVENTS.join(", ")),
            )),
        }
    }
    if let Some(quiet) = body.quiet_hours {
        for (field, value) in [("start", &quiet.start), ("end", &quiet.end)] {
            if NaiveTime::parse_from_str(value, "%H:%M").is_err() {
                errors.push(FieldError::new(
                    format!("quiet_hours.{field}"),
                    "must be a time as HH:MM",
                ));
            }
        }
        prefs.quiet_hours = quiet;
    }
    match errors.is_empty() {
        true => Ok(prefs),
        false => Err(errors),
    }
}

/// Writes `prefs` over the version it was read at; `false` when another
/// write got there first.
async fn save(tx: &TenantTx, user_id: uuid::Uuid, prefs: &Preferences) -> Result<bool, DbErr> {
    let now = db::now();
    let values = vec![
        tx.org_id().into(),
        user_id.into(),
        prefs.theme.clone().into(),
        prefs.language.clone().into(),
        prefs.timezone.clone().into(),
        serde_json::to_value(&prefs.notifications)
            .unwrap_or_default()
            .into(),
        serde_json::to_value(&prefs.quiet_hours)
            .unwrap_or_default()
            .into(),
        now.into(),
    ];
    let written = if prefs.version == 0 {
        let inserted = db::exec(
            &**tx,
            "INSERT INTO user_preferences (organization_id, user_id, theme, language, timezone, \
             notifications, quiet_hours, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1)",
            values,
        )
        .await;
        match inserted {
            Err(e) if db::is_unique_violation(&e) => 0,
            other => other?,
        }
    } else {
        let mut values = values;
        values.push(prefs.version.into());
        db::exec(
            &**tx,
            "UPDATE user_preferences SET theme = $3, language = $4, timezone = $5, notifications = $6, \
             quiet_hours = $7, updated_at = $8, version = version + 1 \
             WHERE organization_id = $1 AND user_id = $2 AND version = $9",
            values,
        )
        .await?
    };
    Ok(written == 1)
}
