//! What an organization makes its own (SPEC §9): its default currency, its
//! logo and its colour. Checked here, stored with the organization.

use crate::email::Locale;
use crate::error::FieldError;

/// The largest logo kept, as a `data:` URL (a small image: it shows as the
/// sidebar badge).
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

/// A new organization's currency, from the language it signed up in; the
/// owner changes it in the workspace settings.
pub fn currency_for(locale: Locale) -> &'static str {
    match locale {
        Locale::PtBr => "BRL",
        Locale::Es => "EUR",
        Locale::En => "USD",
    }
}

/// An ISO 4217 code: three capital letters.
pub fn currency(field: &str, value: &str) -> Result<String, FieldError> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(FieldError::new(
            field,
            "must be a three-letter ISO 4217 code, e.g. BRL",
        ))
    }
}

/// A logo as a `data:` URL of a PNG, JPEG, WebP or SVG image.
pub fn logo(field: &str, value: &str) -> Result<String, FieldError> {
    const KINDS: [&str; 4] = ["image/png", "image/jpeg", "image/webp", "image/svg+xml"];
    let Some(rest) = value.strip_prefix("data:") else {
        return Err(FieldError::new(field, "must be a data: URL of an image"));
    };
    let Some((kind, data)) = rest.split_once(";base64,") else {
        return Err(FieldError::new(field, "must be a base64 data: URL"));
    };
    if !KINDS.contains(&kind) {
        return Err(FieldError::new(
            field,
            "must be a PNG, JPEG, WebP or SVG image",
        ));
    }
    if value.len() > MAX_LOGO_BYTES {
        return Err(FieldError::new(field, "must be at most 256 KB"));
    }
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| FieldError::new(field, "is not valid base64"))?;
    Ok(value.to_string())
}

/// A colour as `#rrggbb`.
pub fn color(field: &str, value: &str) -> Result<String, FieldError> {
    let v = value.trim().to_ascii_lowercase();
    if v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(v)
    } else {
        Err(FieldError::new(field, "must be a colour like #336699"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_colours_and_logos_are_checked() {
        assert_eq!(currency("c", " brl ").ok().as_deref(), Some("BRL"));
        assert!(currency("c", "R$").is_err());
        assert_eq!(color("b", "#33AA99").ok().as_deref(), Some("#33aa99"));
        assert!(color("b", "red").is_err());
        assert!(logo("l", "data:image/png;base64,iVBORw0KGgo=").is_ok());
        assert!(logo("l", "data:text/html;base64,PGI+").is_err());
        assert!(logo("l", "https://example.com/logo.png").is_err());
        assert!(logo("l", "data:image/png;base64,@@@").is_err());
    }
}
