//! The messages the CRM sends, in English, Brazilian Portuguese and Spanish.
//!
//! Plain Rust rather than a template engine: three short messages do not
//! need a runtime language, the compiler checks every placeholder, and the
//! HTML is built in one place ([`compose`]) that escapes every text it is
//! given, so a name like `<script>` can never become markup.

use serde::{Deserialize, Serialize};

/// A language emails are written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "pt-BR")]
    PtBr,
    #[serde(rename = "es")]
    Es,
}

impl Locale {
    /// `en`, `pt-BR` (or any `pt`), `es`; case-insensitive.
    pub fn parse(tag: &str) -> Option<Self> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "en" => Some(Self::En),
            "pt" => Some(Self::PtBr),
            "es" => Some(Self::Es),
            _ => None,
        }
    }

    /// The language a request asks for in its `Accept-Language` header.
    pub fn of_request(headers: &axum::http::HeaderMap) -> Self {
        Self::from_accept_language(
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
    }

    /// The first supported language of an `Accept-Language` header
    /// (in the order given; weights are not worth parsing here), else English.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        header
            .into_iter()
            .flat_map(|h| h.split(','))
            .filter_map(|part| Self::parse(part.split(';').next().unwrap_or_default()))
            .next()
            .unwrap_or_default()
    }

    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::PtBr => "pt-BR",
            Self::Es => "es",
        }
    }
}

/// A message and the values it needs. Values are user-provided and are
/// escaped in the HTML part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum Template {
    VerifyEmail {
        name: String,
        link: String,
    },
    PasswordReset {
        name: String,
        link: String,
    },
    Invite {
        organization_name: String,
        inviter_name: String,
        role: String,
        link: String,
    },
    /// Feedback a member sent from the app, for the server's administrator.
    Feedback {
        organization_name: String,
        from: String,
        category: String,
        message: String,
        page: String,
        link: String,
    },
    /// A notification (reminder, mention, assignment…) the member asked to get by email.
    Notification {
        name: String,
        title: String,
        details: String,
        link: String,
    },
}

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Template {
    pub fn render(&self, locale: Locale) -> Rendered {
        use Locale::*;
        match self {
            Self::VerifyEmail { name, link } => {
                let (subject, hello, body, action, ignore) = match locale {
                    En => (
                        "Confirm your email address",
                        format!("Hi {name},"),
                        "Please confirm your email address for Loved CRM. The link is valid for 48 hours.",
                        "Confirm email address",
                        "If you did not create an account, you can ignore this message.",
                    ),
                    PtBr => (
                        "Confirme seu endereço de e-mail",
                        format!("Olá, {name}!"),
                        "Confirme seu endereço de e-mail no Loved CRM. O link vale por 48 horas.",
                        "Confirmar e-mail",
                        "Se você não criou uma conta, ignore esta mensagem.",
                    ),
                    Es => (
                        "Confirma tu dirección de correo",
                        format!("Hola, {name}:"),
                        "Confirma tu dirección de correo en Loved CRM. El enlace es válido durante 48 horas.",
                        "Confirmar correo",
                        "Si no creaste una cuenta, puedes ignorar este mensaje.",
                    ),
                };
                compose(subject, &hello, &[body.into()], action, link, ignore)
            }
            Self::PasswordReset { name, link } => {
                let (subject, hello, body, action, ignore) = match locale {
                    En => (
                        "Reset your password",
                        format!("Hi {name},"),
                        "Someone asked to reset the password of your Loved CRM account. The link works once, for one hour; using it signs you out everywhere.",
                        "Choose a new password",
                        "If it was not you, ignore this message: your password stays the same.",
                    ),
                    PtBr => (
                        "Redefina sua senha",
                        format!("Olá, {name}!"),
                        "Recebemos um pedido para redefinir a senha da sua conta no Loved CRM. O link funciona uma vez, por uma hora; ao usá-lo, todas as sessões são encerradas.",
                        "Escolher nova senha",
                        "Se não foi você, ignore esta mensagem: sua senha continua a mesma.",
                    ),
                    Es => (
                        "Restablece tu contraseña",
                        format!("Hola, {name}:"),
                        "Alguien pidió restablecer la contraseña de tu cuenta de Loved CRM. El enlace funciona una vez, durante una hora; al usarlo se cierran todas las sesiones.",
                        "Elegir una nueva contraseña",
                        "Si no fuiste tú, ignora este mensaje: tu contraseña no cambia.",
                    ),
                };
                compose(subject, &hello, &[body.into()], action, link, ignore)
            }
            Self::Invite {
                organization_name: org,
                inviter_name: inviter,
                role,
                link,
            } => {
                let role = role_name(locale, role);
                let (subject, hello, body, action, ignore) = match locale {
                    En => (
                        format!("{inviter} invited you to {org} on Loved CRM"),
                        "Hello,".to_string(),
                        format!(
                            "{inviter} invited you to join {org} on Loved CRM as {role}. The invitation is valid for 7 days."
                        ),
                        "Accept the invitation",
                        "If you were not expecting this, you can ignore this message.",
                    ),
                    PtBr => (
                        format!("{inviter} convidou você para {org} no Loved CRM"),
                        "Olá!".to_string(),
                        format!(
                            "{inviter} convidou você para participar de {org} no Loved CRM como {role}. O convite vale por 7 dias."
                        ),
                        "Aceitar o convite",
                        "Se você não esperava este convite, ignore esta mensagem.",
                    ),
                    Es => (
                        format!("{inviter} te invitó a {org} en Loved CRM"),
                        "Hola:".to_string(),
                        format!(
                            "{inviter} te invitó a unirte a {org} en Loved CRM como {role}. La invitación es válida durante 7 días."
                        ),
                        "Aceptar la invitación",
                        "Si no esperabas esta invitación, puedes ignorar este mensaje.",
                    ),
                };
                compose(&subject, &hello, &[body], action, link, ignore)
            }
            // For the server's administrator: in English whatever the sender's language.
            Self::Feedback {
                organization_name: org,
                from,
                category,
                message,
                page,
                link,
            } => compose(
                &format!("Feedback ({category}) from {from} at {org}"),
                "Hello,",
                &[
                    format!("{from} of {org} sent {category} feedback from {page}:"),
                    message.clone(),
                ],
                "See it in Loved CRM",
                link,
                "You get this because LOVEDCRM_FEEDBACK_EMAIL names this address.",
            ),
            Self::Notification {
                name,
                title,
                details,
                link,
            } => {
                let (hello, action, why) = match locale {
                    En => (
                        format!("Hi {name},"),
                        "Open in Loved CRM",
                        "You get this because of your notification preferences in Loved CRM.",
                    ),
                    PtBr => (
                        format!("Olá, {name}!"),
                        "Abrir no Loved CRM",
                        "Você recebe isto por causa das suas preferências de notificação no Loved CRM.",
                    ),
                    Es => (
                        format!("Hola, {name}:"),
                        "Abrir en Loved CRM",
                        "Recibes esto por tus preferencias de notificación en Loved CRM.",
                    ),
                };
                let mut body = vec![title.clone()];
                if !details.is_empty() {
                    body.push(details.clone());
                }
                compose(title, &hello, &body, action, link, why)
            }
        }
    }
}

fn role_name(locale: Locale, role: &str) -> String {
    let name = match (locale, role) {
        (Locale::PtBr, "owner") => "proprietário",
        (Locale::PtBr, "admin") => "administrador",
        (Locale::PtBr, "manager") => "gerente",
        (Locale::PtBr, "sales") => "vendedor",
        (Locale::PtBr, "viewer") => "leitor",
        (Locale::Es, "owner") => "propietario",
        (Locale::Es, "admin") => "administrador",
        (Locale::Es, "manager") => "gerente",
        (Locale::Es, "sales") => "vendedor",
        (Locale::Es, "viewer") => "lector",
        _ => role,
    };
    name.to_string()
}

/// The one layout: greeting, paragraphs, a button with the link, a footer.
/// Every argument is plain text; the HTML part escapes all of them.
fn compose(
    subject: &str,
    hello: &str,
    paragraphs: &[String],
    action: &str,
    link: &str,
    footer: &str,
) -> Rendered {
    let mut text = format!("{hello}\n\n");
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str(&format!("{action}: {link}\n\n{footer}\n\n-- \nLoved CRM\n"));

    let mut html = String::from(
        "<!DOCTYPE html><html><body style=\"font-family:Arial,Helvetica,sans-serif;color:#1f2937;line-height:1.5\">",
    );
    html.push_str(&format!("<p>{}</p>", escape(hello)));
    for p in paragraphs {
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    html.push_str(&format!(
        "<p><a href=\"{href}\" style=\"display:inline-block;padding:10px 18px;background:#e11d48;color:#ffffff;border-radius:6px;text-decoration:none\">{label}</a></p>\
         <p style=\"font-size:13px;color:#6b7280\">{href}</p><p style=\"font-size:13px;color:#6b7280\">{footer}</p>\
         <p style=\"font-size:13px;color:#6b7280\">Loved CRM</p></body></html>",
        href = escape(link),
        label = escape(action),
        footer = escape(footer),
    ));
    Rendered {
        subject: subject.to_string(),
        text,
        html,
    }
}

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_values_are_escaped_in_html_only() {
        let t = Template::Invite {
            organization_name: "<b>Acme</b> & Co".into(),
            inviter_name: "Ana \"<script>\"".into(),
            role: "sales".into(),
            link: "http://x/invite/abc?a=1&b=2".into(),
        };
        for locale in [Locale::En, Locale::PtBr, Locale::Es] {
            let r = t.render(locale);
            assert!(!r.html.contains("<script>") && !r.html.contains("<b>Acme"));
            assert!(r.html.contains("&lt;b&gt;Acme&lt;/b&gt; &amp; Co"));
            assert!(r.html.contains("href=\"http://x/invite/abc?a=1&amp;b=2\""));
            assert!(r.text.contains("<b>Acme</b> & Co"));
            assert!(r.text.contains("http://x/invite/abc?a=1&b=2"));
        }
        assert!(t.render(Locale::PtBr).text.contains("como vendedor"));
    }

    #[test]
    fn locales_parse_from_headers() {
        assert_eq!(
            Locale::from_accept_language(Some("pt-BR,pt;q=0.9")),
            Locale::PtBr
        );
        assert_eq!(
            Locale::from_accept_language(Some("fr, es;q=0.5")),
            Locale::Es
        );
        assert_eq!(Locale::from_accept_language(Some("de")), Locale::En);
        assert_eq!(Locale::from_accept_language(None), Locale::En);
    }

    #[test]
    fn payload_round_trips() {
        let t = Template::PasswordReset {
            name: "Ana".into(),
            link: "l".into(),
        };
        let json = serde_json::to_value(&t).unwrap_or_default();
        assert_eq!(json["template"], "password_reset");
        assert_eq!(serde_json::from_value::<Template>(json).ok(), Some(t));
    }
}
