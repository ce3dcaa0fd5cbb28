//! Checking a record's `custom_fields` against the organization's definitions.

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use super::store::{self, Definition, Kind};
use crate::db::TenantTx;
use crate::error::{DomainError, FieldError};
use crate::users::fields::Email;

/// Applies a merge patch: keys set to `null` are removed.
pub fn merge(current: &Json, patch: &Json) -> Json {
    let mut out = current.as_object().cloned().unwrap_or_default();
    if let Some(patch) = patch.as_object() {
        for (k, v) in patch {
            if v.is_null() {
                out.remove(k);
            } else {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Json::Object(out)
}

/// Validates `values` (an object) for `entity_type`: unknown keys are 400,
/// wrong types and missing required fields 422, each naming
/// `custom_fields.<key>`. Returns the normalized object.
pub async fn validate(
    tx: &TenantTx,
    entity_type: &str,
    values: &Json,
) -> Result<Json, DomainError> {
    let Some(object) = values.as_object() else {
        return Err(DomainError::field("custom_fields", "must be an object"));
    };
    let definitions = store::for_entity(tx, entity_type).await?;
    let mut unknown = Vec::new();
    let mut problems = Vec::new();
    let mut out = Map::new();
    for (key, value) in object {
        let field = format!("custom_fields.{key}");
        let Some(def) = definitions.iter().find(|d| &d.field_key == key) else {
            unknown.push(FieldError::new(
                field,
                "is not a custom field of this record type",
            ));
            continue;
        };
        if value.is_null() {
            continue;
        }
        match check(def, value) {
            Ok(v) => {
                out.insert(key.clone(), v);
            }
            Err(message) => problems.push(FieldError::new(field, message)),
        }
    }
    if !unknown.is_empty() {
        return Err(DomainError::BadRequest {
            code: "unknown_field",
            detail: format!(
                "unknown custom field; defined for {entity_type}: {}",
                definitions
                    .iter()
                    .map(|d| d.field_key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            errors: unknown,
        });
    }
    for def in definitions.iter().filter(|d| d.required) {
        if !out.contains_key(&def.field_key) {
            problems.push(FieldError::new(
                format!("custom_fields.{}", def.field_key),
                "is required",
            ));
        }
    }
    if problems.is_empty() {
        Ok(Json::Object(out))
    } else {
        Err(DomainError::Validation(problems))
    }
}

fn options(def: &Definition) -> Vec<&str> {
    def.options
        .as_array()
        .map(|a| a.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

fn check(def: &Definition, value: &Json) -> Result<Json, String> {
    let kind = Kind::parse(&def.kind).ok_or("has an unknown type")?;
    match kind {
        Kind::Text => match value.as_str() {
            Some(s) if s.chars().count() <= 5000 => Ok(Json::String(s.trim().to_string())),
            Some(_) => Err("must be at most 5000 characters".into()),
            None => Err("must be text".into()),
        },
        Kind::Number => value
            .as_f64()
            .filter(|n| n.is_finite())
            .map(|_| value.clone())
            .ok_or_else(|| "must be a number".into()),
        Kind::Checkbox => value
            .as_bool()
            .map(Json::Bool)
            .ok_or_else(|| "must be true or false".into()),
        Kind::Date => value
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map(|d| Json::String(d.to_string()))
            .ok_or_else(|| "must be a date like 2026-12-31".into()),
        Kind::Url => value
            .as_str()
            .filter(|s| {
                (s.starts_with("https://") || s.starts_with("http://"))
                    && s.len() <= 2000
                    && !s.contains(char::is_whitespace)
            })
            .map(|s| Json::String(s.to_string()))
            .ok_or_else(|| "must be an http(s) URL".into()),
        Kind::Email => value
            .as_str()
            .and_then(|s| Email::parse("", s).ok())
            .map(|e| Json::String(e.as_str().to_string()))
            .ok_or_else(|| "must be an email address".into()),
        Kind::Select => {
            let allowed = options(def);
            value
                .as_str()
                .filter(|s| allowed.contains(s))
                .map(|s| Json::String(s.to_string()))
                .ok_or_else(|| format!("must be one of: {}", allowed.join(", ")))
        }
        Kind::MultiSelect => {
            let allowed = options(def);
            let items = value.as_array().ok_or("must be a list")?;
            let mut out = Vec::new();
            for item in items {
                match item.as_str().filter(|s| allowed.contains(s)) {
                    Some(s) if !out.contains(&Json::String(s.into())) => {
                        out.push(Json::String(s.into()))
                    }
                    Some(_) => {}
                    None => return Err(format!("items must be among: {}", allowed.join(", "))),
                }
            }
            Ok(Json::Array(out))
        }
    }
}

/// Validates a merge patch of `custom_fields` on an existing record: keys in
/// the patch must be defined, while stored values whose definition was
/// deleted since are dropped instead of failing the save.
pub async fn validate_patch(
    tx: &TenantTx,
    entity_type: &str,
    stored: &Json,
    patch: &Json,
) -> Result<Json, DomainError> {
    if !patch.is_object() {
        return Err(DomainError::field("custom_fields", "must be an object"));
    }
    let defined: Vec<String> = store::for_entity(tx, entity_type)
        .await?
        .into_iter()
        .map(|d| d.field_key)
        .collect();
    let kept: Map<String, Json> = stored
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| defined.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    validate(tx, entity_type, &merge(&Json::Object(kept), patch)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(kind: &str, options: Json) -> Definition {
        Definition {
            id: uuid::Uuid::nil(),
            entity_type: "contact".into(),
            field_key: "f".into(),
            label: "F".into(),
            kind: kind.into(),
            options,
            required: false,
            position: 0,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn values_are_checked_by_kind() {
        assert!(check(&def("number", json!([])), &json!(12.5)).is_ok());
        assert!(check(&def("number", json!([])), &json!("12")).is_err());
        assert_eq!(
            check(&def("date", json!([])), &json!("2026-02-03")),
            Ok(json!("2026-02-03"))
        );
        assert!(check(&def("date", json!([])), &json!("03/02/2026")).is_err());
        assert!(check(&def("select", json!(["a", "b"])), &json!("c")).is_err());
        assert_eq!(
            check(
                &def("multi_select", json!(["a", "b"])),
                &json!(["b", "b", "a"])
            ),
            Ok(json!(["b", "a"]))
        );
        assert!(check(&def("url", json!([])), &json!("javascript:alert(1)")).is_err());
        assert!(check(&def("checkbox", json!([])), &json!(1)).is_err());
    }

    #[test]
    fn merge_removes_nulls() {
        assert_eq!(
            merge(&json!({"a": 1, "b": 2}), &json!({"b": null, "c": 3})),
            json!({"a": 1, "c": 3})
        );
    }
}
