//! A company's web domain, stored bare: `https://www.Acme.com/x` → `acme.com`.

use crate::error::FieldError;
use crate::records::patch::clean;

const MESSAGE: &str = "must be a domain such as acme.com";

/// Lower-cases a domain or URL and keeps only its host, without `www.`,
/// port, credentials or path; `None` when absent or blank.
pub fn normalize(field: &str, value: Option<String>) -> Result<Option<String>, FieldError> {
    let Some(raw) = clean(value) else {
        return Ok(None);
    };
    let lower = raw.to_lowercase();
    let rest = lower
        .split_once("://")
        .map_or(lower.as_str(), |(_, rest)| rest);
    let authority = rest
        .trim_start_matches('/')
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    if is_domain(host) {
        Ok(Some(host.to_string()))
    } else {
        Err(FieldError::new(field, MESSAGE))
    }
}

fn is_domain(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.chars().count())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        // A numeric top-level label is an IP address, not a domain.
        && labels.last().is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::normalize;

    fn n(text: &str) -> Option<String> {
        normalize("domain", Some(text.into())).ok().flatten()
    }

    #[test]
    fn urls_become_bare_domains() {
        assert_eq!(n("https://www.Acme.com/x").as_deref(), Some("acme.com"));
        assert_eq!(n("  ACME.com.br ").as_deref(), Some("acme.com.br"));
        assert_eq!(
            n("http://user:pw@shop.acme.io:8080/a?b#c").as_deref(),
            Some("shop.acme.io")
        );
        assert_eq!(n("//agência.com.br/").as_deref(), Some("agência.com.br"));
        assert_eq!(normalize("domain", Some("  ".into())).ok().flatten(), None);
    }

    #[test]
    fn non_domains_are_refused() {
        for bad in [
            "acme",
            "acme..com",
            "-acme.com",
            "192.168.0.1",
            "acme com.br",
            "a_b.com",
        ] {
            assert!(normalize("domain", Some(bad.into())).is_err(), "{bad}");
        }
    }
}
