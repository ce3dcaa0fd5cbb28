//! Email: localized templates, sent by the job queue over SMTP or kept in
//! the outbox table when no relay is configured.
//!
//! Everything goes through [`queue`]: call it with the transaction of the
//! write that causes the mail, so both commit together and the mail
//! survives a crash; a worker sends it (with retries) afterwards.
//!
//! ```ignore
//! email::queue(&*tx, "ana@example.com", Locale::PtBr, Template::Invite {
//!     organization_name, inviter_name, role: "sales".into(), link,
//! }).await?;
//! ```

mod mailer;
pub mod outbox;
mod templates;

pub use mailer::Mailer;
pub use templates::{Locale, Rendered, Template, escape};

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use crate::db::DbErr;
use crate::jobs::{self, Job, JobError, NewJob, Registry};

/// The job kind that sends one email.
pub const SEND: &str = "email.send";

#[derive(Debug, Serialize, Deserialize)]
struct SendPayload {
    to: String,
    locale: Locale,
    #[serde(flatten)]
    template: Template,
}

/// Queues `template` in `locale` for `to` through `conn` (the caller's
/// transaction, or a plain connection). Rendering happens when it is sent.
pub async fn queue<C: ConnectionTrait>(
    conn: &C,
    to: &str,
    locale: Locale,
    template: Template,
) -> Result<(), DbErr> {
    jobs::enqueue(conn, job(to, locale, template)).await?;
    Ok(())
}

/// The `email.send` job for a message, for callers that want to set an
/// idempotency key or a later `run_at` before `jobs::enqueue`.
pub fn job(to: &str, locale: Locale, template: Template) -> NewJob {
    let payload = SendPayload {
        to: to.to_string(),
        locale,
        template,
    };
    NewJob::new(
        SEND,
        serde_json::to_value(payload).unwrap_or(serde_json::Value::Null),
    )
}

pub fn register_jobs(registry: &mut Registry) {
    registry.register(SEND, |app, job: Job| async move {
        // Sent by an attempt that died before it could finish the job.
        if job.payload.get("sent") == Some(&serde_json::Value::Bool(true)) {
            return Ok(());
        }
        let payload: SendPayload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::permanent(format!("bad email.send payload: {e}")))?;
        let rendered = payload.template.render(payload.locale);
        app.mailer
            .send(&app.store, job.id, &payload.to, &rendered)
            .await?;
        // Sent: the finished job keeps who and what, not the links (reset,
        // verification, invitation) that are credentials until spent.
        let kind = serde_json::to_value(&payload.template)
            .ok()
            .and_then(|t| t.get("template").cloned());
        let kept = serde_json::json!({ "to": payload.to, "template": kind, "sent": true });
        if let Err(err) = jobs::replace_payload(&app.store, &job, kept).await {
            tracing::warn!(error = %err, "could not clear a sent mail's payload");
        }
        Ok(())
    });
}
