//! The account flows, independent of HTTP so the CLI can use them too.

use chrono::Duration;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::email_flows::{VerificationMail, queue_verification};
use super::events::account_event;
use super::password;
use super::sessions::{self, Refresh};
use super::two_factor::{self, totp::Factor};
use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::audit::{self, Change, SecurityEvent};
use crate::db::{self, GlobalTx, TenantTx, TxMode};
use crate::email::Locale;
use crate::error::DomainError;
use crate::organizations::store::{self as orgs, MyOrganization};
use crate::users::fields::{Checks, Email, Password, display_name};
use crate::users::store::{self as users, NewUser, User};

#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// The answer to register, login and refresh (SPEC §5 "Core payloads").
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Single-use. Absent for clients that asked for it as an `HttpOnly`
    /// cookie (`X-Refresh-Transport: cookie`).
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub user: UserSummary,
    /// The organization last worked in; `null` for a user with none.
    pub organization: Option<MyOrganization>,
}

pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
    pub organization_name: Option<String>,
    /// Set by `create-admin`: the operator vouches for the address.
    pub verified: bool,
    /// Queue a verification email (in the registration's transaction).
    pub verification: Option<VerificationMail>,
    /// The language the first pipeline's names are written in.
    pub locale: Locale,
}

/// A created account, its organization and a first session.
pub struct Registered {
    pub user: User,
    pub organization: MyOrganization,
    pub session_id: Uuid,
    pub refresh_token: String,
}

/// Creates the user, their organization (as owner) and a session, in one transaction.
pub async fn register(
    store: &db::Store,
    session_ttl: Duration,
    input: Registration,
    meta: &ClientMeta,
) -> Result<Registered, DomainError> {
    let mut checks = Checks::default();
    let email = checks.take(Email::parse("email", &input.email));
    let password = checks.take(Password::parse(
        "password",
        &input.password,
        email.as_ref().map(Email::as_str),
    ));
    let name = checks.take(display_name("name", &input.name, 200));
    let org_name = match &input.organization_name {
        Some(n) => checks.take(display_name("organization_name", n, 200)),
        None => name.as_ref().map(|n| format!("{n}'s organization")),
    };
    checks.finish()?;
    let (Some(email), Some(password), Some(name), Some(org_name)) =
        (email, password, name, org_name)
    else {
        return Err(DomainError::internal(
            "validated registration fields missing",
        ));
    };
    let hash = password::hash(password.into_inner()).await?;

    let user_id = Uuid::now_v7();
    let org_id = Uuid::now_v7();
    let tx = TenantTx::begin(store, org_id, Some(user_id), TxMode::Write).await?;
    let inserted = users::insert(
        &*tx,
        NewUser {
            id: user_id,
            email: email.as_str(),
            name: &name,
            password_hash: &hash,
            verified: input.verified,
            last_organization_id: None,
        },
    )
    .await;
    match inserted {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(DomainError::Conflict {
                code: "email_taken",
                detail: "an account with this email already exists".into(),
            });
        }
        other => other?,
    }
    let org = orgs::create(&tx, &org_name, user_id, input.locale).await?;
    db::exec(
        &*tx,
        "UPDATE users SET last_organization_id = $1 WHERE id = $2",
        vec![org_id.into(), user_id.into()],
    )
    .await?;
    audit::record(
        &tx,
        meta,
        Change {
            actor: Some(user_id),
            action: "organization.created",
            entity_type: "organization",
            entity_id: Some(org_id.to_string()),
            before: None,
            after: serde_json::to_value(&org).ok(),
        },
    )
    .await?;
    if let (false, Some(mail)) = (input.verified, &input.verification) {
        queue_verification(&*tx, user_id, email.as_str(), &name, mail).await?;
    }
    let session = sessions::create(&*tx, user_id, meta, session_ttl).await?;
    let user = users::find(&*tx, user_id)
        .await?
        .ok_or_else(|| DomainError::internal("user vanished after insert"))?;
    tx.commit().await?;
    audit::security(
        store,
        meta,
        SecurityEvent {
            action: "register",
            user_id: Some(user_id),
            email: Some(email.as_str()),
            target_organization_id: Some(org_id),
            detail: None,
        },
    )
    .await;
    Ok(Registered {
        user,
        organization: MyOrganization {
            id: org.id,
            name: org.name,
            role: "owner".into(),
        },
        session_id: session.id,
        refresh_token: session.refresh_token,
    })
}

pub fn token_response(
    app: &SharedState,
    user: &User,
    organization: Option<MyOrganization>,
    session_id: Uuid,
    refresh_token: String,
) -> Result<TokenResponse, DomainError> {
    let access_token = app
        .tokens
        .issue(user.id, session_id)
        .map_err(DomainError::internal)?;
    Ok(TokenResponse {
        access_token,
        refresh_token,
        token_type: "Bearer",
        expires_in: app.tokens.ttl().as_secs(),
        user: UserSummary {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
        },
        organization,
    })
}

const BAD_CREDENTIALS: &str = "invalid email or password";

/// The answer to a correct password when the account has 2FA.
#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorChallenge {
    /// Always `true`.
    pub two_factor_required: bool,
    /// Send with a code to `POST /auth/login/2fa`; single use.
    pub challenge_token: String,
    /// Seconds the challenge stays valid.
    pub expires_in: u64,
}

/// Tokens, or a challenge for the second factor first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum LoginResponse {
    Tokens(TokenResponse),
    TwoFactor(TwoFactorChallenge),
}

/// Checks the credentials and opens a session, or answers a 2FA challenge.
///
/// Failures count towards the email's lock-out whether or not an account
/// has that email, so a lock-out reveals nothing either.
pub async fn login(
    app: &SharedState,
    email: &str,
    password: String,
    meta: &ClientMeta,
) -> Result<LoginResponse, DomainError> {
    let normalized = email.trim().to_lowercase();
    crate::auth::lockout::check(app, &normalized, meta.rate_key()).await?;
    let user = users::find_by_email(app.store.connection(), &normalized).await?;
    let stored = user
        .as_ref()
        .filter(|u| u.is_active)
        .map(|u| u.password_hash.clone());
    // Unknown accounts are checked against a dummy hash so the answer and
    // its timing do not reveal whether the email is registered.
    let ok = password::verify(password, stored).await;
    let user = match user {
        Some(user) if ok => user,
        _ => {
            crate::auth::lockout::fail(app, &normalized, meta.rate_key()).await?;
            super::events::failed_login(app, meta, &normalized).await?;
            return Err(DomainError::Unauthorized(BAD_CREDENTIALS.into()));
        }
    };
    let second_factor = two_factor::store::load(app.store.connection(), user.id).await?;
    if second_factor.is_some_and(|s| s.enabled()) {
        // The failures are not forgotten yet: the password alone must not
        // buy fresh guesses at the second factor.
        let challenge_token =
            two_factor::challenge::create(app.store.connection(), user.id).await?;
        return Ok(LoginResponse::TwoFactor(TwoFactorChallenge {
            two_factor_required: true,
            challenge_token,
            expires_in: two_factor::challenge::TTL_SECS,
        }));
    }
    crate::auth::lockout::forget(app, &normalized, meta.rate_key()).await?;
    Ok(LoginResponse::Tokens(
        open_session(app, &user, meta, None).await?,
    ))
}

/// Completes a login with 2FA: `code` is a TOTP code or a backup code.
pub async fn login_two_factor(
    app: &SharedState,
    challenge_token: &str,
    code: &str,
    meta: &ClientMeta,
) -> Result<TokenResponse, DomainError> {
    let invalid = || DomainError::Unauthorized("invalid or expired two-factor challenge".into());
    let conn = app.store.connection();
    let attempt = two_factor::challenge::take_attempt(conn, challenge_token)
        .await?
        .ok_or_else(invalid)?;
    let state = two_factor::store::load(conn, attempt.user_id)
        .await?
        .filter(|s| s.enabled())
        .ok_or_else(invalid)?;
    crate::auth::lockout::check(app, &state.email, meta.rate_key()).await?;
    let sealed = state.totp_secret_enc.clone().unwrap_or_default();
    let factor = two_factor::totp::verify_second_factor(
        conn,
        &app.cipher,
        attempt.user_id,
        &state.email,
        &sealed,
        code,
    )
    .await?;
    let Some(factor) = factor else {
        crate::auth::lockout::fail(app, &state.email, meta.rate_key()).await?;
        if attempt.attempts >= two_factor::challenge::MAX_ATTEMPTS {
            two_factor::challenge::end(conn, attempt.id).await?;
        }
        let detail = serde_json::json!({ "attempts": attempt.attempts });
        account_event(app, meta, attempt.user_id, "login_2fa_failed", Some(detail)).await;
        return Err(DomainError::Unauthorized("invalid two-factor code".into()));
    };
    if !two_factor::challenge::end(conn, attempt.id).await? {
        return Err(invalid());
    }
    crate::auth::lockout::forget(app, &state.email, meta.rate_key()).await?;
    if factor == Factor::BackupCode {
        account_event(app, meta, attempt.user_id, "backup_code_used", None).await;
    }
    let user = users::find(conn, attempt.user_id)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(invalid)?;
    let detail = serde_json::json!({ "second_factor": factor.as_str() });
    open_session(app, &user, meta, Some(detail)).await
}

/// Opens a session for a user who proved who they are.
async fn open_session(
    app: &SharedState,
    user: &User,
    meta: &ClientMeta,
    detail: Option<serde_json::Value>,
) -> Result<TokenResponse, DomainError> {
    let tx = GlobalTx::begin(&app.store, Some(user.id), TxMode::Write).await?;
    let organization = current_organization(&tx, user).await?;
    let session = sessions::create(&*tx, user.id, meta, session_ttl(app)).await?;
    tx.commit().await?;
    account_event(app, meta, user.id, "login", detail).await;
    token_response(app, user, organization, session.id, session.refresh_token)
}

/// The absolute lifetime of a new session.
pub fn session_ttl(app: &SharedState) -> Duration {
    app.config.session_absolute()
}

/// The organization last worked in if the user still belongs to it, else the first.
async fn current_organization(
    tx: &GlobalTx,
    user: &User,
) -> Result<Option<MyOrganization>, DomainError> {
    let mine = orgs::list_mine(tx, user.id).await?;
    let last = user
        .last_organization_id
        .and_then(|id| mine.iter().find(|o| o.id == id).cloned());
    Ok(last.or_else(|| mine.into_iter().next()))
}

/// Exchanges a refresh token for a new pair.
pub async fn refresh(
    app: &SharedState,
    token: &str,
    meta: &ClientMeta,
) -> Result<TokenResponse, DomainError> {
    let tx = GlobalTx::begin(&app.store, None, TxMode::Write).await?;
    let outcome = sessions::rotate(&*tx, token, app.config.session_idle()).await?;
    tx.commit().await?;
    match outcome {
        Refresh::Invalid => Err(DomainError::Unauthorized(
            "invalid or expired refresh token".into(),
        )),
        Refresh::Reused {
            user_id,
            session_id,
        } => {
            tracing::warn!(%user_id, %session_id, "refresh token reuse: session revoked");
            audit::security(
                &app.store,
                meta,
                SecurityEvent {
                    action: "refresh_token_reuse",
                    user_id: Some(user_id),
                    email: None,
                    target_organization_id: None,
                    detail: Some(serde_json::json!({ "session_id": session_id })),
                },
            )
            .await;
            Err(DomainError::Unauthorized(
                "this refresh token was already used; the session has been ended".into(),
            ))
        }
        Refresh::Rotated {
            user_id,
            session_id,
            refresh_token,
        } => {
            let tx = GlobalTx::begin(&app.store, Some(user_id), TxMode::Read).await?;
            let user = users::find(&*tx, user_id)
                .await?
                .filter(|u| u.is_active)
                .ok_or_else(|| DomainError::Unauthorized("the account is disabled".into()))?;
            let organization = current_organization(&tx, &user).await?;
            tx.commit().await?;
            token_response(app, &user, organization, session_id, refresh_token)
        }
    }
}
