//! Who is calling and for which organization: the extractors every
//! protected handler starts from.
//!
//! [`OrgContext`] is the only way to open a tenant transaction for a request:
//! it exists only after the token, the session and the membership were
//! checked, and the organization id it carries comes from that check, never
//! from the request body.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use uuid::Uuid;

use crate::actor::{Actor, Principal};
use crate::app::SharedState;
use crate::audit::{self, ClientMeta};
use crate::db::{self, GlobalTx, Row, TxMode};
use crate::error::DomainError;
use crate::organizations::Role;
use crate::organizations::permissions::{self, RolePermissions};

pub const ORG_HEADER: &str = "x-org-id";

impl FromRequestParts<SharedState> for ClientMeta {
    type Rejection = DomainError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, DomainError> {
        Ok(client_meta(parts, &state.config))
    }
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(512).collect())
}

fn client_meta(parts: &Parts, config: &crate::config::Config) -> ClientMeta {
    let forwarded = config
        .trust_proxy
        .then(|| forwarded_client(&parts.headers, config.trust_proxy_hops))
        .flatten();
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    ClientMeta {
        ip: forwarded.or(peer),
        user_agent: header_str(&parts.headers, header::USER_AGENT),
        request_id: header_str(&parts.headers, "x-request-id"),
    }
}

/// The client address our `hops` proxies vouch for: `hops` entries from the
/// right of every `X-Forwarded-For` taken as one list (proxies append; a
/// client can write anything to the left, so leftmost is never believed).
/// Not a parsable IP address: none.
fn forwarded_client(headers: &HeaderMap, hops: u32) -> Option<String> {
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let hops = usize::try_from(hops.max(1)).ok()?;
    let entry = entries.len().checked_sub(hops).map(|i| entries[i])?;
    entry
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}

/// A caller with a valid access token on a live session.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub last_organization_id: Option<Uuid>,
    pub meta: ClientMeta,
}

#[derive(Debug, Row)]
struct LiveSession {
    user_id: Uuid,
    last_organization_id: Option<Uuid>,
    last_seen_at: chrono::DateTime<chrono::Utc>,
}

impl FromRequestParts<SharedState> for AuthUser {
    type Rejection = DomainError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, DomainError> {
        let meta = client_meta(parts, &state.config);
        AuthUser::authenticate(state, bearer(&parts.headers), meta).await
    }
}

impl AuthUser {
    /// Checks an access token and that its session is still live: 401 when
    /// the token is missing, invalid or expired, or the session has ended.
    ///
    /// The extractor reads the token from `Authorization: Bearer`; the
    /// WebSocket endpoint may also take it from the query string.
    pub async fn authenticate(
        state: &SharedState,
        token: Option<&str>,
        meta: ClientMeta,
    ) -> Result<Self, DomainError> {
        let token =
            token.ok_or_else(|| DomainError::Unauthorized("missing bearer token".into()))?;
        let claims = state
            .tokens
            .verify(token)
            .ok_or_else(|| DomainError::Unauthorized("invalid or expired access token".into()))?;
        // The session is checked on every request so a logout or a revoked
        // session stops its access tokens at once.
        Self::for_session(state, claims.sub, claims.sid, meta).await
    }

    /// The caller `user_id` on `session_id`, if that session is live (a
    /// redeemed WebSocket ticket names them): 401 when it has ended.
    pub async fn for_session(
        state: &SharedState,
        user_id: Uuid,
        session_id: Uuid,
        meta: ClientMeta,
    ) -> Result<Self, DomainError> {
        let live = live_session(state, session_id)
            .await?
            .filter(|s| s.user_id == user_id)
            .ok_or_else(|| DomainError::Unauthorized("the session has ended".into()))?;
        touch_session(state, session_id, live.last_seen_at).await?;
        tracing::Span::current().record("user_id", tracing::field::display(user_id));
        Ok(Self {
            user_id,
            session_id,
            last_organization_id: live.last_organization_id,
            meta,
        })
    }
}

/// The session `session_id` if it is neither revoked nor expired (past its
/// absolute lifetime, or unused for the idle period) and its user is active
/// (one primary-key lookup).
async fn live_session(
    state: &SharedState,
    session_id: Uuid,
) -> Result<Option<LiveSession>, DomainError> {
    let now = db::now();
    Ok(db::fetch_one(
        state.store.connection(),
        "SELECT s.user_id, u.last_organization_id, s.last_seen_at FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3 \
         AND u.is_active",
        vec![
            session_id.into(),
            now.into(),
            (now - state.config.session_idle()).into(),
        ],
    )
    .await?)
}

/// `last_seen_at` is written at most once a minute per session: enough for
/// idle expiry and the session list, without a write on every request.
const TOUCH_EVERY_SECS: i64 = 60;

async fn touch_session(
    state: &SharedState,
    session_id: Uuid,
    last_seen_at: chrono::DateTime<chrono::Utc>,
) -> Result<(), DomainError> {
    let now = db::now();
    if now - last_seen_at < chrono::Duration::seconds(TOUCH_EVERY_SECS) {
        return Ok(());
    }
    // The guard keeps concurrent requests of one session from all writing.
    db::exec(
        state.store.connection(),
        "UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $3",
        vec![
            session_id.into(),
            now.into(),
            (now - chrono::Duration::seconds(TOUCH_EVERY_SECS)).into(),
        ],
    )
    .await?;
    Ok(())
}

/// The role `user_id` holds in `org_id` right now, if `session_id` is still
/// live and the user still a member; `None` when either has ended. Long-lived
/// connections (the WebSocket) call this to re-check what the extractors
/// checked when they opened.
pub async fn current_role(
    state: &SharedState,
    user_id: Uuid,
    session_id: Uuid,
    org_id: Uuid,
) -> Result<Option<Role>, DomainError> {
    let Some(found) = member_session(state, session_id, user_id, org_id).await? else {
        return Ok(None);
    };
    Ok(found.membership()?.map(|(role, _)| role))
}

/// The session `session_id` of `user_id` if it is live (as
/// [`live_session`] checks), with the user's membership of `org_id` when
/// there is one: the whole identity check of a request in one round trip
/// (on PostgreSQL through `lovedcrm_member_session`, migration m0008).
async fn member_session(
    state: &SharedState,
    session_id: Uuid,
    user_id: Uuid,
    org_id: Uuid,
) -> Result<Option<MemberSession>, DomainError> {
    let now = db::now();
    let sql = match state.store.backend() {
        sea_orm::DbBackend::Postgres => "SELECT * FROM lovedcrm_member_session($1, $2, $3, $4, $5)",
        _ => {
            "SELECT s.user_id, u.last_organization_id, s.last_seen_at, m.role, o.permissions, \
             o.require_two_factor, u.totp_enabled_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             LEFT JOIN memberships m ON m.organization_id = $3 AND m.user_id = s.user_id \
             LEFT JOIN organizations o ON o.id = m.organization_id \
             WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $4 \
             AND s.last_seen_at > $5 AND u.is_active"
        }
    };
    Ok(db::fetch_one(
        state.store.connection(),
        sql,
        vec![
            session_id.into(),
            user_id.into(),
            org_id.into(),
            now.into(),
            (now - state.config.session_idle()).into(),
        ],
    )
    .await?)
}

#[derive(Debug, Row)]
struct MemberSession {
    last_organization_id: Option<Uuid>,
    last_seen_at: chrono::DateTime<chrono::Utc>,
    role: Option<String>,
    permissions: Option<serde_json::Value>,
    require_two_factor: Option<bool>,
    totp_enabled_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl MemberSession {
    /// The membership part, `None` when the user is not a member.
    fn membership(&self) -> Result<Option<(Role, RolePermissions)>, DomainError> {
        let Some(role) = &self.role else {
            return Ok(None);
        };
        allowed_membership(
            role,
            self.permissions.as_ref(),
            self.require_two_factor.unwrap_or(false),
            self.totp_enabled_at,
        )
        .map(Some)
    }
}

/// The caller's role in `org_id` and what the organization lets that role
/// do; 403 `two_factor_required` when the organization demands 2FA the
/// user has not enabled.
async fn membership(
    state: &SharedState,
    user_id: Uuid,
    org_id: Uuid,
) -> Result<Option<(Role, RolePermissions)>, DomainError> {
    let tx = GlobalTx::begin(&state.store, Some(user_id), TxMode::Read).await?;
    let membership: Option<MembershipRole> = db::fetch_one(
        &*tx,
        "SELECT m.role, o.permissions, o.require_two_factor, u.totp_enabled_at FROM memberships m \
         JOIN organizations o ON o.id = m.organization_id JOIN users u ON u.id = m.user_id \
         WHERE m.organization_id = $1 AND m.user_id = $2 AND u.is_active",
        vec![org_id.into(), user_id.into()],
    )
    .await?;
    tx.commit().await?;
    let Some(m) = membership else {
        return Ok(None);
    };
    allowed_membership(
        &m.role,
        m.permissions.as_ref(),
        m.require_two_factor,
        m.totp_enabled_at,
    )
    .map(Some)
}

/// The role a membership row gives and what the organization lets that role
/// do; 403 `two_factor_required` when the organization demands 2FA the user
/// has not enabled.
fn allowed_membership(
    role: &str,
    permissions: Option<&serde_json::Value>,
    require_two_factor: bool,
    totp_enabled_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(Role, RolePermissions), DomainError> {
    if require_two_factor && totp_enabled_at.is_none() {
        return Err(DomainError::Denied {
            code: "two_factor_required",
            detail: "this organization requires two-factor authentication; \
                     enable it on your account (POST /auth/2fa/setup) to continue"
                .into(),
        });
    }
    let role = Role::parse(role)
        .ok_or_else(|| DomainError::internal(format!("unknown stored role {role}")))?;
    Ok((role, permissions::for_role(permissions, role)))
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A member (or an API key acting as its creator) inside one organization
/// with a known role: the [`Actor`] the identity checks produced, for
/// handlers, which pass it on to the domain.
#[derive(Debug, Clone)]
pub struct OrgContext {
    actor: Actor,
    user_id: Uuid,
}

impl std::ops::Deref for OrgContext {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.actor
    }
}

#[derive(Debug, Row)]
struct MembershipRole {
    role: String,
    permissions: Option<serde_json::Value>,
    require_two_factor: bool,
    totp_enabled_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl OrgContext {
    fn new(actor: Actor) -> Self {
        let user_id = actor.user_id().unwrap_or_default();
        Self { actor, user_id }
    }

    /// The member acting (a key's creator).
    pub fn user_id(&self) -> Uuid {
        self.user_id
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }
}

impl FromRequestParts<SharedState> for OrgContext {
    type Rejection = DomainError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, DomainError> {
        let raw = parts
            .headers
            .get(ORG_HEADER)
            .map(|r| r.to_str().ok().map(str::to_string));
        let api_key = bearer(&parts.headers)
            .filter(|t| t.starts_with(crate::api_keys::KEY_PREFIX))
            .map(str::to_string);
        let ctx = match api_key {
            Some(token) => {
                let meta = client_meta(parts, &state.config);
                let org_id = raw.map(|r| parse_org_id(r.as_deref())).transpose()?;
                OrgContext::for_api_key(state, &token, org_id, meta).await?
            }
            None => {
                let meta = client_meta(parts, &state.config);
                let token = bearer(&parts.headers);
                let raw = raw.ok_or_else(|| {
                    DomainError::bad_request(
                        "missing_organization",
                        "the X-Org-Id header is required",
                    )
                });
                OrgContext::authenticate_member(state, token, raw, meta).await?
            }
        };
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| parts.uri.path().to_string(), |u| u.path().to_string());
        super::access::check(&ctx, &parts.method, &path)?;
        let slot = parts.extensions.get::<super::api_limits::RateSlot>();
        match state.api_limits.check(ctx.org_id(), ctx.user_id()) {
            Ok(info) => {
                if let Some(slot) = slot {
                    slot.set(info);
                }
            }
            Err((err, info)) => {
                if let Some(slot) = slot {
                    slot.set(info);
                }
                return Err(err);
            }
        }
        Ok(ctx)
    }
}

/// Reads an organization id as `X-Org-Id` (or the WebSocket's `org_id`) gives it.
pub fn parse_org_id(raw: Option<&str>) -> Result<Uuid, DomainError> {
    raw.and_then(|s| Uuid::parse_str(s.trim()).ok())
        .ok_or_else(|| DomainError::bad_request("invalid_organization", "X-Org-Id must be a UUID"))
}

impl OrgContext {
    /// The identity check of a request with an access token, for
    /// `X-Org-Id`: the token, the live session and the membership, read
    /// together (see [`member_session`]); the same answers as
    /// [`AuthUser::authenticate`] followed by [`OrgContext::for_member`].
    async fn authenticate_member(
        state: &SharedState,
        token: Option<&str>,
        raw_org: Result<Option<String>, DomainError>,
        meta: ClientMeta,
    ) -> Result<Self, DomainError> {
        let token =
            token.ok_or_else(|| DomainError::Unauthorized("missing bearer token".into()))?;
        let claims = state
            .tokens
            .verify(token)
            .ok_or_else(|| DomainError::Unauthorized("invalid or expired access token".into()))?;
        let org_id = match raw_org.and_then(|raw| parse_org_id(raw.as_deref())) {
            Ok(org_id) => org_id,
            // An ended session answers 401 before a bad header's 400.
            Err(err) => {
                AuthUser::authenticate(state, Some(token), meta).await?;
                return Err(err);
            }
        };
        let found = member_session(state, claims.sid, claims.sub, org_id)
            .await?
            .ok_or_else(|| DomainError::Unauthorized("the session has ended".into()))?;
        touch_session(state, claims.sid, found.last_seen_at).await?;
        tracing::Span::current().record("user_id", tracing::field::display(claims.sub));
        let user = AuthUser {
            user_id: claims.sub,
            session_id: claims.sid,
            last_organization_id: found.last_organization_id,
            meta,
        };
        Self::member(state, user, org_id, found.membership()?).await
    }

    /// Acts as `user` in `org_id`: 403 (and an audited cross-organization
    /// attempt) unless the user is a member. The extractor calls this after
    /// reading `X-Org-Id`; the WebSocket endpoint after reading `org_id`.
    pub async fn for_member(
        state: &SharedState,
        user: AuthUser,
        org_id: Uuid,
    ) -> Result<Self, DomainError> {
        let found = membership(state, user.user_id, org_id).await?;
        Self::member(state, user, org_id, found).await
    }

    async fn member(
        state: &SharedState,
        user: AuthUser,
        org_id: Uuid,
        membership: Option<(Role, RolePermissions)>,
    ) -> Result<Self, DomainError> {
        let Some((role, permissions)) = membership else {
            audit::cross_organization_attempt(&state.store, user.user_id, org_id, &user.meta).await;
            return Err(DomainError::Forbidden(
                "you are not a member of this organization".into(),
            ));
        };
        if user.last_organization_id != Some(org_id) {
            remember_last_organization(state, user.user_id, org_id).await?;
        }
        tracing::Span::current().record("org_id", tracing::field::display(org_id));
        Ok(Self::new(Actor::new(
            org_id,
            Principal::Member {
                user_id: user.user_id,
                session_id: user.session_id,
            },
            role,
            permissions,
            user.meta,
        )))
    }

    /// Acts with an API key: as its creator, in its organization, within its
    /// scopes. 401 for a dead key or a creator who left; 403 (audited like a
    /// member's cross-organization attempt) when `X-Org-Id` names another
    /// organization.
    async fn for_api_key(
        state: &SharedState,
        token: &str,
        org_id: Option<Uuid>,
        meta: ClientMeta,
    ) -> Result<Self, DomainError> {
        let grant = crate::api_keys::authenticate(state, token).await?;
        if let Some(target) = org_id.filter(|o| *o != grant.organization_id) {
            audit::cross_organization_attempt(&state.store, grant.user_id, target, &meta).await;
            return Err(DomainError::Forbidden(
                "this API key belongs to another organization".into(),
            ));
        }
        let (role, permissions) = membership(state, grant.user_id, grant.organization_id)
            .await?
            .ok_or_else(|| {
                DomainError::Unauthorized("the API key's creator is no longer a member".into())
            })?;
        tracing::Span::current().record("user_id", tracing::field::display(grant.user_id));
        tracing::Span::current().record("org_id", tracing::field::display(grant.organization_id));
        Ok(Self::new(Actor::new(
            grant.organization_id,
            Principal::ApiKey {
                key_id: grant.key_id,
                user_id: grant.user_id,
                scopes: grant.scopes,
            },
            role,
            permissions,
            meta,
        )))
    }
}

/// Login answers with the organization last worked in.
async fn remember_last_organization(
    state: &SharedState,
    user_id: Uuid,
    org_id: Uuid,
) -> Result<(), DomainError> {
    db::exec(
        state.store.connection(),
        "UPDATE users SET last_organization_id = $1 WHERE id = $2",
        vec![org_id.into(), user_id.into()],
    )
    .await?;
    Ok(())
}
