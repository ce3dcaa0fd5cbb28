//! JSON merge-patch fields: absent leaves a value alone, `null` clears it.

use serde::{Deserialize, Deserializer};

/// Deserializes a present field into `Some(value)`, where `value` is `None`
/// for an explicit `null`. Use with `#[serde(default, deserialize_with = "nullable")]`
/// on an `Option<Option<T>>`, so an absent field stays `None`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Trims a text field; an empty string counts as clearing it.
pub fn clean(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}
