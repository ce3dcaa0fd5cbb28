//! Sending feedback, callable without HTTP (the assistant may pass a
//! member's words on): checked, limited per member, stored, audited and
//! queued for the server administrator's inbox in one transaction.

use base64::Engine;
use chrono::Duration;
use uuid::Uuid;

use super::model::{CATEGORIES, COLUMNS, ENTITY, Feedback, NewFeedback};
use crate::actor::Actor;
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::{self, TenantTx, TxMode};
use crate::email::{self, Locale, Template};
use crate::error::{DomainError, DomainResult};
use crate::organizations::store as orgs;
use crate::records::fields::{self, Problems};

/// The largest screenshot kept, decoded.
pub const SCREENSHOT_MAX_BYTES: usize = 3 * 1024 * 1024;

const IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/webp"];

/// A screenshot `data:` URL split into its media type and bytes, or why not.
pub fn decode_screenshot(url: &str) -> Result<(&str, Vec<u8>), String> {
    let rest = url
        .strip_prefix("data:")
        .ok_or("must be a data: URL of a PNG, JPEG or WebP image")?;
    let (media, data) = rest
        .split_once(";base64,")
        .ok_or("must be a base64 data: URL")?;
    if !IMAGE_TYPES.contains(&media) {
        return Err(format!("must be one of {}", IMAGE_TYPES.join(", ")));
    }
    if data.len() > SCREENSHOT_MAX_BYTES / 3 * 4 + 4 {
        return Err("at most 3 MiB".into());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| "is not valid base64".to_string())?;
    Ok((media, bytes))
}

fn check(body: NewFeedback, browser: Option<String>) -> DomainResult<Checked> {
    let mut p = Problems::default();
    let category = body.category.trim().to_lowercase();
    if !CATEGORIES.contains(&category.as_str()) {
        p.push(
            "category",
            format!("must be one of {}", CATEGORIES.join(", ")),
        );
    }
    let message = match p.take(fields::text("message", Some(body.message), 5000)) {
        Some(Some(m)) => m,
        Some(None) => {
            p.push("message", "is required");
            String::new()
        }
        None => String::new(),
    };
    let page = p.take(fields::text("page", body.page, 500)).flatten();
    let app_version = p
        .take(fields::text("app_version", body.app_version, 50))
        .flatten();
    let screenshot = body.screenshot.filter(|s| !s.is_empty());
    if let Some(Err(e)) = screenshot.as_deref().map(decode_screenshot) {
        p.push("screenshot", e);
    }
    p.finish()?;
    Ok(Checked {
        category,
        message,
        page,
        app_version,
        browser: browser.map(|b| b.chars().take(500).collect()),
        screenshot,
    })
}

struct Checked {
    category: String,
    message: String,
    page: Option<String>,
    app_version: Option<String>,
    browser: Option<String>,
    screenshot: Option<String>,
}

#[derive(crate::db::Row)]
struct Sent {
    created_at: chrono::DateTime<chrono::Utc>,
}

/// 429 once the member sent `per_hour` in the last hour, with the seconds
/// until the oldest of them ages out.
async fn within_limit(tx: &TenantTx, user_id: Uuid, per_hour: u32) -> DomainResult<()> {
    let since = db::now() - Duration::hours(1);
    let recent: Vec<Sent> = db::fetch_all(
        &**tx,
        "SELECT created_at FROM feedback WHERE organization_id = $1 AND user_id = $2 \
         AND created_at > $3 ORDER BY created_at LIMIT $4",
        vec![
            tx.org_id().into(),
            user_id.into(),
            since.into(),
            i64::from(per_hour).into(),
        ],
    )
    .await?;
    if recent.len() < per_hour as usize {
        return Ok(());
    }
    let oldest = recent[0].created_at;
    let wait = (oldest + Duration::hours(1) - db::now())
        .num_seconds()
        .max(1);
    Err(DomainError::TooManyRequests {
        retry_after_secs: u64::try_from(wait).unwrap_or(1),
        limit: per_hour,
    })
}

/// Stores `body` from the member `actor` acts for (`browser`: their user
/// agent), audits it and queues the mail to `LOVEDCRM_FEEDBACK_EMAIL`.
pub async fn submit(
    app: &SharedState,
    actor: &Actor,
    body: NewFeedback,
    browser: Option<String>,
) -> DomainResult<Feedback> {
    let user_id = actor.member()?;
    let f = check(body, browser)?;
    let tx = actor.begin(app, TxMode::Write).await?;
    within_limit(&tx, user_id, app.config.feedback_per_member_per_hour).await?;
    let id = Uuid::now_v7();
    db::exec(
        &*tx,
        "INSERT INTO feedback (organization_id, id, user_id, category, message, page, browser, \
         app_version, screenshot, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        vec![
            tx.org_id().into(),
            id.into(),
            user_id.into(),
            f.category.clone().into(),
            f.message.clone().into(),
            f.page.clone().into(),
            f.browser.clone().into(),
            f.app_version.clone().into(),
            f.screenshot.into(),
            db::now().into(),
        ],
    )
    .await?;
    let saved = load(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("feedback"))?;
    let change = Change {
        actor: Some(user_id),
        action: "feedback.created",
        entity_type: ENTITY,
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(serde_json::json!({"category": saved.category, "page": saved.page})),
    };
    audit::record(&tx, &actor.meta, change).await?;
    if let Some(to) = app
        .config
        .feedback_email
        .as_deref()
        .filter(|t| !t.is_empty())
    {
        mail(app, &tx, to, &saved).await?;
    }
    tx.commit().await?;
    Ok(saved)
}

async fn mail(app: &SharedState, tx: &TenantTx, to: &str, f: &Feedback) -> DomainResult<()> {
    let org = orgs::get(tx).await?.map(|o| o.name).unwrap_or_default();
    let from = match f.user_id {
        Some(id) => crate::users::store::find(&**tx, id)
            .await?
            .map_or_else(String::new, |u| format!("{} <{}>", u.name, u.email)),
        None => String::new(),
    };
    let template = Template::Feedback {
        organization_name: org,
        from,
        category: f.category.clone(),
        message: f.message.clone(),
        page: f.page.clone().unwrap_or_else(|| "the app".into()),
        link: format!("{}/settings/feedback", app.config.public_base()),
    };
    email::queue(&**tx, to, Locale::En, template).await?;
    Ok(())
}

pub(super) async fn load(tx: &TenantTx, id: Uuid) -> DomainResult<Option<Feedback>> {
    Ok(db::fetch_one(
        &**tx,
        &format!("SELECT {COLUMNS} FROM feedback WHERE organization_id = $1 AND id = $2"),
        vec![tx.org_id().into(), id.into()],
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::decode_screenshot;

    #[test]
    fn screenshots_are_images_in_base64_data_urls() {
        assert_eq!(
            decode_screenshot("data:image/png;base64,iVBORw==")
                .map(|(m, b)| (m.to_string(), b.len())),
            Ok(("image/png".to_string(), 4))
        );
        assert!(decode_screenshot("data:text/html;base64,PGI+").is_err());
        assert!(decode_screenshot("https://example.com/a.png").is_err());
        assert!(decode_screenshot("data:image/png;base64,***").is_err());
        let big = format!("data:image/png;base64,{}", "A".repeat(5 * 1024 * 1024));
        assert!(decode_screenshot(&big).is_err());
    }
}
