//! Where rendered messages go: an SMTP relay, or the outbox table.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::outbox;
use super::templates::Rendered;
use crate::config::{Config, ConfigError};
use crate::db::Store;
use crate::jobs::JobError;

/// The configured way out for email.
#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// No SMTP host configured: messages are kept in `email_outbox`.
    Outbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp { from, .. } => write!(f, "Mailer::Smtp(from {from})"),
            Self::Outbox => f.write_str("Mailer::Outbox"),
        }
    }
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        let Some(host) = config.smtp_host.as_deref().filter(|h| !h.trim().is_empty()) else {
            return Ok(Self::Outbox);
        };
        let invalid = |what: String| ConfigError::Invalid(what);
        let from: Mailbox = config
            .smtp_from
            .parse()
            .map_err(|e| invalid(format!("LOVEDCRM_SMTP_FROM is not a mailbox: {e}")))?;
        type Smtp = AsyncSmtpTransport<Tokio1Executor>;
        let (builder, default_port) = match config.smtp_security.trim() {
            "starttls" => (Smtp::starttls_relay(host), 587),
            "tls" => (Smtp::relay(host), 465),
            "none" => (Ok(Smtp::builder_dangerous(host)), 25),
            other => {
                return Err(invalid(format!(
                    "LOVEDCRM_SMTP_SECURITY must be starttls, tls or none (not {other:?})"
                )));
            }
        };
        let mut builder = builder
            .map_err(|e| invalid(format!("LOVEDCRM_SMTP_HOST: {e}")))?
            .port(config.smtp_port.unwrap_or(default_port))
            .timeout(Some(Duration::from_secs(config.smtp_timeout_secs.max(1))));
        if let Some(user) = config.smtp_username.as_deref().filter(|u| !u.is_empty()) {
            let password = config
                .smtp_password
                .as_ref()
                .map(|p| p.0.clone())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.to_string(), password));
        }
        Ok(Self::Smtp {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one message for job `job_id`; the job id doubles as the
    /// Message-ID so a message delivered twice (at-least-once) can be
    /// recognised as the same one by the receiving side.
    pub async fn send(
        &self,
        store: &Store,
        job_id: Uuid,
        to: &str,
        message: &Rendered,
    ) -> Result<(), JobError> {
        match self {
            Self::Outbox => outbox::insert(store, job_id, to, message)
                .await
                .map_err(JobError::from),
            Self::Smtp { transport, from } => {
                let to: Mailbox = to
                    .parse()
                    .map_err(|e| JobError::permanent(format!("bad recipient: {e}")))?;
                let email = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(message.subject.clone())
                    .message_id(Some(format!("<{job_id}@lovedcrm>")))
                    .multipart(MultiPart::alternative_plain_html(
                        message.text.clone(),
                        message.html.clone(),
                    ))
                    .map_err(JobError::permanent)?;
                match transport.send(email).await {
                    Ok(_) => Ok(()),
                    Err(e) if e.is_permanent() => Err(JobError::permanent(e)),
                    Err(e) => Err(JobError::retry(e)),
                }
            }
        }
    }
}
