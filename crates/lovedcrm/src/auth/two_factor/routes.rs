//! `/auth/2fa`: turn TOTP on and off and renew the backup codes.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, TwoFactorState};
use super::totp::{self, Factor};
use crate::app::SharedState;
use crate::auth::events::account_event;
use crate::auth::password;
use crate::db::{GlobalTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::AuthUser;
use crate::http::error::Problem;
use crate::http::json::ApiJson;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(setup))
        .routes(routes!(confirm))
        .routes(routes!(disable))
        .routes(routes!(regenerate_backup_codes))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorStatus {
    pub enabled: bool,
    pub backup_codes_remaining: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorSetup {
    /// The secret in base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/Loved%20CRM:<email>?…`
    pub otpauth_url: String,
    /// The same URL as a QR code: a PNG, base64-encoded.
    pub qr_png_base64: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// The current six-digit code of the authenticator app.
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Enabled {
    pub enabled: bool,
    /// Ten single-use codes, shown only now.
    pub backup_codes: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReauthRequest {
    pub password: String,
    /// A current TOTP code or an unused backup code.
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BackupCodes {
    /// Ten single-use codes, shown only now; earlier ones no longer work.
    pub backup_codes: Vec<String>,
}

async fn state_of(app: &SharedState, user: &AuthUser) -> DomainResult<TwoFactorState> {
    store::load(app.store.connection(), user.user_id)
        .await?
        .ok_or_else(|| DomainError::Unauthorized("the account is disabled".into()))
}

/// Whether the caller has two-factor authentication on.
#[utoipa::path(get, path = "/auth/2fa", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = TwoFactorStatus), (status = 401, body = Problem)))]
async fn status(
    State(app): State<SharedState>,
    user: AuthUser,
) -> DomainResult<ApiJson<TwoFactorStatus>> {
    let state = state_of(&app, &user).await?;
    let remaining = store::backup_codes_remaining(app.store.connection(), user.user_id).await?;
    Ok(ApiJson(TwoFactorStatus {
        enabled: state.enabled(),
        backup_codes_remaining: if state.enabled() { remaining } else { 0 },
    }))
}

/// Start turning on 2FA: a new secret to add to an authenticator app. Nothing
/// changes until `POST /auth/2fa/confirm` proves the app has it.
#[utoipa::path(post, path = "/auth/2fa/setup", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = TwoFactorSetup), (status = 401, body = Problem),
              (status = 409, body = Problem)))]
async fn setup(
    State(app): State<SharedState>,
    user: AuthUser,
) -> DomainResult<ApiJson<TwoFactorSetup>> {
    let state = state_of(&app, &user).await?;
    if state.enabled() {
        return Err(DomainError::Conflict {
            code: "two_factor_enabled",
            detail: "two-factor authentication is already on; disable it first".into(),
        });
    }
    let secret = totp::new_secret();
    let t = totp::totp(secret.clone(), &state.email)?;
    let out = TwoFactorSetup {
        secret: totp::base32(&secret),
        otpauth_url: t.to_url().map_err(DomainError::internal)?,
        qr_png_base64: t.to_qr_base64().map_err(DomainError::internal)?,
    };
    let sealed = app.cipher.encrypt(&secret, &totp::aad(user.user_id));
    store::set_pending(app.store.connection(), user.user_id, &sealed).await?;
    Ok(ApiJson(out))
}

/// Turn 2FA on with a code from the app; answers the backup codes once.
#[utoipa::path(post, path = "/auth/2fa/confirm", tag = "auth", security(("bearer" = [])),
    request_body = ConfirmRequest,
    responses((status = 200, body = Enabled), (status = 401, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn confirm(
    State(app): State<SharedState>,
    user: AuthUser,
    ApiJson(body): ApiJson<ConfirmRequest>,
) -> DomainResult<ApiJson<Enabled>> {
    let state = state_of(&app, &user).await?;
    let pending = match (&state.totp_pending_enc, state.enabled()) {
        (_, true) => {
            return Err(DomainError::Conflict {
                code: "two_factor_enabled",
                detail: "two-factor authentication is already on".into(),
            });
        }
        (Some(p), false) => p.clone(),
        (None, false) => {
            return Err(DomainError::Conflict {
                code: "two_factor_not_set_up",
                detail: "call POST /auth/2fa/setup first".into(),
            });
        }
    };
    let secret = totp::open_secret(&app.cipher, user.user_id, &pending)?;
    let step =
        totp::matching_step(&totp::totp(secret, &state.email)?, &body.code).ok_or_else(|| {
            DomainError::field("code", "is not the current code of the authenticator app")
        })?;
    let codes = store::new_backup_codes();
    let tx = GlobalTx::begin(&app.store, Some(user.user_id), TxMode::Write).await?;
    store::enable(&*tx, user.user_id, &pending, step).await?;
    store::replace_backup_codes(&*tx, &app.cipher, user.user_id, &codes).await?;
    tx.commit().await?;
    account_event(&app, &user.meta, user.user_id, "2fa_enabled", None).await;
    Ok(ApiJson(Enabled {
        enabled: true,
        backup_codes: codes,
    }))
}

/// Checks the password and a second factor of an account with 2FA on:
/// what turning it off or renewing the codes asks for.
async fn reauthenticate(
    app: &SharedState,
    user: &AuthUser,
    body: &ReauthRequest,
) -> DomainResult<(TwoFactorState, Factor)> {
    let state = state_of(app, user).await?;
    let Some(sealed) = state.totp_secret_enc.clone().filter(|_| state.enabled()) else {
        return Err(DomainError::Conflict {
            code: "two_factor_not_enabled",
            detail: "two-factor authentication is not on".into(),
        });
    };
    crate::auth::lockout::check(app, &state.email, user.meta.rate_key()).await?;
    if !password::verify(body.password.clone(), Some(state.password_hash.clone())).await {
        crate::auth::lockout::fail(app, &state.email, user.meta.rate_key()).await?;
        return Err(DomainError::field("password", "is not correct"));
    }
    let factor = totp::verify_second_factor(
        app.store.connection(),
        &app.cipher,
        user.user_id,
        &state.email,
        &sealed,
        &body.code,
    )
    .await?;
    let Some(factor) = factor else {
        crate::auth::lockout::fail(app, &state.email, user.meta.rate_key()).await?;
        return Err(DomainError::field(
            "code",
            "is not a current code or an unused backup code",
        ));
    };
    if factor == Factor::BackupCode {
        account_event(app, &user.meta, user.user_id, "backup_code_used", None).await;
    }
    Ok((state, factor))
}

/// Turn 2FA off (password and a current code or backup code).
#[utoipa::path(post, path = "/auth/2fa/disable", tag = "auth", security(("bearer" = [])),
    request_body = ReauthRequest,
    responses((status = 204), (status = 401, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn disable(
    State(app): State<SharedState>,
    user: AuthUser,
    ApiJson(body): ApiJson<ReauthRequest>,
) -> DomainResult<StatusCode> {
    reauthenticate(&app, &user, &body).await?;
    store::disable(app.store.connection(), user.user_id).await?;
    account_event(&app, &user.meta, user.user_id, "2fa_disabled", None).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Replace the backup codes with ten new ones (password and a code).
#[utoipa::path(post, path = "/auth/2fa/backup-codes", tag = "auth", security(("bearer" = [])),
    request_body = ReauthRequest,
    responses((status = 200, body = BackupCodes), (status = 401, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem)))]
async fn regenerate_backup_codes(
    State(app): State<SharedState>,
    user: AuthUser,
    ApiJson(body): ApiJson<ReauthRequest>,
) -> DomainResult<ApiJson<BackupCodes>> {
    reauthenticate(&app, &user, &body).await?;
    let codes = store::new_backup_codes();
    let tx = GlobalTx::begin(&app.store, Some(user.user_id), TxMode::Write).await?;
    store::replace_backup_codes(&*tx, &app.cipher, user.user_id, &codes).await?;
    tx.commit().await?;
    account_event(
        &app,
        &user.meta,
        user.user_id,
        "backup_codes_regenerated",
        None,
    )
    .await;
    Ok(ApiJson(BackupCodes {
        backup_codes: codes,
    }))
}
