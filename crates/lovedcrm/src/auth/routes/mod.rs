//! `/auth`: register, login, refresh and logout here; the caller's sessions
//! and password in `account`, the emailed links in `email`.

mod account;
pub mod email;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::email_flows::VerificationMail;
use super::service::{self, LoginResponse, Registration, TokenResponse};
use super::sessions;
use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::audit::{self, SecurityEvent};
use crate::email::Locale;
use crate::error::DomainResult;
use crate::http::context::AuthUser;
use crate::http::error::Problem;
use crate::http::json::ApiJson;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(login_two_factor))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .merge(account::router())
        .merge(super::two_factor::router())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    /// At least 10 characters, not the email.
    pub password: String,
    pub name: String,
    /// Defaults to "<name>'s organization".
    pub organization_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token; the web app leaves it out and sends its
    /// `lovedcrm_refresh` cookie instead (`X-Refresh-Transport: cookie`).
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// Create an account and its first organization.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = TokenResponse), (status = 409, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn register(
    State(app): State<SharedState>,
    meta: ClientMeta,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> DomainResult<(StatusCode, ApiJson<TokenResponse>)> {
    app.auth_limits.check_ip(meta.rate_key())?;
    super::bounded(&[
        ("email", &body.email, super::MAX_EMAIL),
        ("password", &body.password, super::MAX_SECRET),
    ])?;
    app.auth_limits.check_account(&body.email)?;
    let registered = service::register(
        &app.store,
        service::session_ttl(&app),
        Registration {
            email: body.email,
            password: body.password,
            name: body.name,
            organization_name: body.organization_name,
            verified: false,
            verification: Some(VerificationMail {
                public_url: app.config.public_base().to_string(),
                locale: Locale::of_request(&headers),
            }),
            locale: Locale::of_request(&headers),
        },
        &meta,
    )
    .await?;
    let response = service::token_response(
        &app,
        &registered.user,
        Some(registered.organization),
        registered.session_id,
        registered.refresh_token,
    )?;
    Ok((StatusCode::CREATED, ApiJson(response)))
}

/// Sign in with email and password. With 2FA on, the answer is a challenge
/// for `POST /auth/login/2fa` instead of tokens. Repeated failures lock the
/// email out for a while (429 `account_locked` with `Retry-After`).
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = Problem),
              (status = 429, body = Problem)))]
async fn login(
    State(app): State<SharedState>,
    meta: ClientMeta,
    ApiJson(body): ApiJson<LoginRequest>,
) -> DomainResult<ApiJson<LoginResponse>> {
    app.auth_limits.check_ip(meta.rate_key())?;
    super::bounded(&[
        ("email", &body.email, super::MAX_EMAIL),
        ("password", &body.password, super::MAX_SECRET),
    ])?;
    app.auth_limits.check_account(&body.email)?;
    Ok(ApiJson(
        service::login(&app, &body.email, body.password, &meta).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginTwoFactorRequest {
    pub challenge_token: String,
    /// A current TOTP code (six digits) or an unused backup code.
    pub code: String,
}

/// Finish a login with 2FA: the challenge from `POST /auth/login` and a code.
/// Five wrong codes end the challenge.
#[utoipa::path(post, path = "/auth/login/2fa", tag = "auth", request_body = LoginTwoFactorRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem),
              (status = 429, body = Problem)))]
async fn login_two_factor(
    State(app): State<SharedState>,
    meta: ClientMeta,
    ApiJson(body): ApiJson<LoginTwoFactorRequest>,
) -> DomainResult<ApiJson<TokenResponse>> {
    app.auth_limits.check_ip(meta.rate_key())?;
    super::bounded(&[
        ("challenge_token", &body.challenge_token, super::MAX_TOKEN),
        ("code", &body.code, super::MAX_TOKEN),
    ])?;
    Ok(ApiJson(
        service::login_two_factor(&app, &body.challenge_token, &body.code, &meta).await?,
    ))
}

/// Exchange a refresh token for a new access and refresh token.
///
/// Refresh tokens are single-use: presenting one twice ends its session.
/// With `X-Refresh-Transport: cookie` (the web app) the token comes from and
/// goes back to the `HttpOnly` cookie `lovedcrm_refresh`, never the body.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem)))]
async fn refresh(
    State(app): State<SharedState>,
    meta: ClientMeta,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> DomainResult<ApiJson<TokenResponse>> {
    app.auth_limits.check_ip(meta.rate_key())?;
    let token = body
        .refresh_token
        .or_else(|| super::cookie::from_cookie(&headers))
        .ok_or_else(|| {
            crate::error::DomainError::Unauthorized("no refresh token (body or cookie)".into())
        })?;
    super::bounded(&[("refresh_token", &token, super::MAX_TOKEN)])?;
    Ok(ApiJson(service::refresh(&app, &token, &meta).await?))
}

/// End the current session; its access and refresh tokens stop working at once.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
async fn logout(State(app): State<SharedState>, user: AuthUser) -> DomainResult<StatusCode> {
    sessions::revoke(app.store.connection(), user.session_id, "logout").await?;
    audit::security(
        &app.store,
        &user.meta,
        SecurityEvent {
            action: "logout",
            user_id: Some(user.user_id),
            email: None,
            target_organization_id: None,
            detail: None,
        },
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}
