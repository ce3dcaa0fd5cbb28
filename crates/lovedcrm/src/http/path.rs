use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::DomainError;

/// Path parameters whose parse failure is a problem+json 400.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = DomainError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, DomainError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|rejection| DomainError::bad_request("invalid_path", rejection.body_text()))
    }
}

/// Query parameters whose parse failure is a problem+json 400 naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = DomainError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, DomainError> {
        let query = parts.uri.query().unwrap_or("");
        if let Some((key, _)) = form_urlencoded::parse(query.as_bytes())
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(DomainError::BadRequest {
                code: "invalid_query",
                detail: format!("{key}: must not contain the NUL character"),
                errors: vec![super::error::FieldError::new(
                    key,
                    "must not contain the NUL character",
                )],
            });
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|err| {
                let field = err.path().to_string();
                let message = err.into_inner().to_string();
                DomainError::BadRequest {
                    code: "invalid_query",
                    detail: format!("invalid query parameter: {message}"),
                    errors: vec![super::error::FieldError::new(
                        if field == "." {
                            "query".to_string()
                        } else {
                            field
                        },
                        message,
                    )],
                }
            })
    }
}
