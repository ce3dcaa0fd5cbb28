//! The HTTP side of email verification and password reset.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::auth::{self, email_flows};
use crate::email::Locale;
use crate::error::DomainResult;
use crate::http::context::AuthUser;
use crate::http::error::Problem;
use crate::http::json::ApiJson;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(request_verification))
        .routes(routes!(verify_email))
        .routes(routes!(forgot_password))
        .routes(routes!(reset_password))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyEmailRequest {
    /// The token of the emailed link.
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotPasswordRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    /// The token of the emailed link.
    pub token: String,
    /// At least 10 characters, not the email.
    pub new_password: String,
}

/// Emails are written in the request's `Accept-Language` (en, pt-BR, es).
fn locale(headers: &HeaderMap) -> Locale {
    Locale::of_request(headers)
}

/// Email the caller a new verification link (valid 48 h); nothing is sent
/// when the address is already verified.
#[utoipa::path(post, path = "/auth/verify-email/request", tag = "auth", security(("bearer" = [])),
    responses((status = 202, description = "queued"), (status = 401, body = Problem),
              (status = 429, body = Problem)))]
async fn request_verification(
    State(app): State<SharedState>,
    user: AuthUser,
    headers: HeaderMap,
) -> DomainResult<StatusCode> {
    app.auth_limits.check_ip(user.meta.rate_key())?;
    email_flows::request_verification(&app, user.user_id, locale(&headers)).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Confirm an email address with the token of a verification link.
#[utoipa::path(post, path = "/auth/verify-email", tag = "auth", request_body = VerifyEmailRequest,
    responses((status = 204), (status = 400, body = Problem, description = "`invalid_token`"),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn verify_email(
    State(app): State<SharedState>,
    meta: ClientMeta,
    ApiJson(body): ApiJson<VerifyEmailRequest>,
) -> DomainResult<StatusCode> {
    app.auth_limits.check_ip(meta.rate_key())?;
    auth::bounded(&[("token", &body.token, auth::MAX_TOKEN)])?;
    email_flows::verify_email(&app, &body.token, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ask for a password reset link (valid 1 h). Always 202 for a well-formed
/// address, whether or not an account has it.
#[utoipa::path(post, path = "/auth/password/forgot", tag = "auth", request_body = ForgotPasswordRequest,
    responses((status = 202, description = "accepted"), (status = 422, body = Problem),
              (status = 429, body = Problem)))]
async fn forgot_password(
    State(app): State<SharedState>,
    meta: ClientMeta,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ForgotPasswordRequest>,
) -> DomainResult<StatusCode> {
    app.auth_limits.check_ip(meta.rate_key())?;
    auth::bounded(&[("email", &body.email, auth::MAX_EMAIL)])?;
    app.auth_limits.check_account(&body.email)?;
    email_flows::forgot_password(&app, &body.email, locale(&headers), &meta).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with the token of a reset link. The token works
/// once; every session of the account is ended.
#[utoipa::path(post, path = "/auth/password/reset", tag = "auth", request_body = ResetPasswordRequest,
    responses((status = 204), (status = 400, body = Problem, description = "`invalid_token`"),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn reset_password(
    State(app): State<SharedState>,
    meta: ClientMeta,
    ApiJson(body): ApiJson<ResetPasswordRequest>,
) -> DomainResult<StatusCode> {
    app.auth_limits.check_ip(meta.rate_key())?;
    auth::bounded(&[
        ("token", &body.token, auth::MAX_TOKEN),
        ("new_password", &body.new_password, auth::MAX_SECRET),
    ])?;
    email_flows::reset_password(&app, &body.token, &body.new_password, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}
