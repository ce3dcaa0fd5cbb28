//! Validated values for account fields: built only through `parse`, so a
//! value of these types is known to be acceptable.

use crate::error::FieldError;

/// A normalized (trimmed, lower-cased) email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim().to_lowercase();
        if value.len() > 254 || !email_address::EmailAddress::is_valid(&value) {
            return Err(FieldError::new(field, "must be a valid email address"));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the rules of SPEC §3.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    const MAX_CHARS: usize = 1024;

    pub fn parse(field: &str, raw: &str, email: Option<&str>) -> Result<Self, FieldError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(FieldError::new(
                field,
                format!("must be at least {} characters long", Self::MIN_CHARS),
            ));
        }
        if chars > Self::MAX_CHARS {
            return Err(FieldError::new(field, "is too long"));
        }
        if email.is_some_and(|e| e.eq_ignore_ascii_case(raw.trim())) {
            return Err(FieldError::new(field, "must not be the same as the email"));
        }
        if raw.chars().all(|c| c == raw.chars().next().unwrap_or(c)) {
            return Err(FieldError::new(field, "must not repeat a single character"));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A display name: trimmed, 1 to `max` characters, no control characters.
pub fn display_name(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(value.to_string())
}

/// Collects the results of several field checks into one validation error.
#[derive(Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), crate::error::DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(crate::error::DomainError::Validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalized_and_checked() {
        assert_eq!(
            Email::parse("email", " Ana@Example.COM ").map(|e| e.0),
            Ok("ana@example.com".into())
        );
        assert!(Email::parse("email", "not-an-email").is_err());
        assert!(Email::parse("email", "").is_err());
    }

    #[test]
    fn password_rules() {
        assert!(Password::parse("password", "short", None).is_err());
        assert!(Password::parse("password", "aaaaaaaaaaaa", None).is_err());
        assert!(Password::parse("password", "ana@example.com", Some("ana@example.com")).is_err());
        assert!(Password::parse("password", "correct horse battery", Some("a@b.co")).is_ok());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(display_name("name", "  João  ", 10), Ok("João".into()));
        assert!(display_name("name", "   ", 10).is_err());
        assert!(display_name("name", "abcdefghijk", 10).is_err());
        assert!(display_name("name", "a\u{0}b", 10).is_err());
    }
}
