//! The invitee's side: what a link offers, and joining through it — signed
//! in as the invited address, or creating the account with a name and
//! password. The token is the credential.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::audit::{self, Change};
use crate::auth::password;
use crate::auth::service::{TokenResponse, session_ttl, token_response};
use crate::auth::sessions;
use crate::auth::tokens::hash_refresh_token as hash;
use crate::db::{self, GlobalTx, Row, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::organizations::Role;
use crate::organizations::store::{self as orgs, MyOrganization};
use crate::users::fields::{Checks, Password, display_name};
use crate::users::store::{self as users, NewUser};

/// An invite that can still be accepted.
#[derive(Debug, Row)]
pub struct LiveInvite {
    organization_id: Uuid,
    id: Uuid,
    email: String,
    role: String,
    invited_by: Option<Uuid>,
    expires_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Row)]
struct Name {
    name: String,
}

/// What an invite link offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitePreview {
    pub organization_name: String,
    pub email: String,
    pub role: String,
    pub invited_by_name: Option<String>,
    pub expires_at: DateTime<Utc>,
    /// Whether an account already uses the invited email (then: log in to accept).
    pub account_exists: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvite {
    /// For a new account: the person's name.
    pub name: Option<String>,
    /// For a new account: its password.
    pub password: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub organization_id: Uuid,
    /// Set when the account was created by accepting: its first session.
    pub tokens: Option<TokenResponse>,
}

/// A live invite by its token: 404 when unknown, 409 once used, revoked or expired.
async fn find_live(app: &SharedState, token: &str) -> Result<LiveInvite, DomainError> {
    let token_hash = hash(token);
    let tx = GlobalTx::begin_credential_lookup(&app.store, &token_hash, TxMode::Read).await?;
    let found: Option<LiveInvite> = db::fetch_one(
        &*tx,
        "SELECT organization_id, id, email, role, invited_by, expires_at, accepted_at, revoked_at \
         FROM invites WHERE token_hash = $1 /* all organizations */",
        vec![token_hash.into()],
    )
    .await?;
    tx.commit().await?;
    let found = found.ok_or(DomainError::NotFound("invite"))?;
    let closed = if found.accepted_at.is_some() {
        Some("has already been accepted")
    } else if found.revoked_at.is_some() {
        Some("was revoked")
    } else if found.expires_at <= Utc::now() {
        Some("has expired; ask for a new one")
    } else {
        None
    };
    match closed {
        Some(why) => Err(DomainError::Conflict {
            code: "invite_closed",
            detail: format!("this invite {why}"),
        }),
        None => Ok(found),
    }
}

/// What the link with `token` offers.
pub async fn preview(app: &SharedState, token: &str) -> DomainResult<InvitePreview> {
    crate::organizations::teams_enabled(app)?;
    let invite = find_live(app, token).await?;
    let conn = app.store.connection();
    let tx = TenantTx::begin(&app.store, invite.organization_id, None, TxMode::Read).await?;
    let org: Option<Name> = db::fetch_one(
        &*tx,
        "SELECT name FROM organizations WHERE id = $1",
        vec![invite.organization_id.into()],
    )
    .await?;
    tx.commit().await?;
    let inviter = match invite.invited_by {
        Some(id) => users::find(conn, id).await?.map(|u| u.name),
        None => None,
    };
    let account_exists = users::find_by_email(conn, &invite.email).await?.is_some();
    Ok(InvitePreview {
        organization_name: org.map(|o| o.name).unwrap_or_default(),
        email: invite.email,
        role: invite.role,
        invited_by_name: inviter,
        expires_at: invite.expires_at,
        account_exists,
    })
}

/// The invite behind `token`, if it can still be accepted.
pub async fn live(app: &SharedState, token: &str, meta: &ClientMeta) -> DomainResult<LiveInvite> {
    crate::organizations::teams_enabled(app)?;
    // The token is the credential: guessing it is limited like guessing a password.
    app.auth_limits.check_ip(meta.rate_key())?;
    find_live(app, token).await
}

/// Makes the signed-in `user_id` a member through `invite`, which must
/// have been sent to their address.
pub async fn join(
    app: &SharedState,
    invite: LiveInvite,
    user_id: Uuid,
    meta: &ClientMeta,
) -> DomainResult<Accepted> {
    let role = Role::parse(&invite.role).unwrap_or(Role::Viewer);
    let me = users::find(app.store.connection(), user_id)
        .await?
        .ok_or(DomainError::NotFound("user"))?;
    if !me.email.eq_ignore_ascii_case(&invite.email) {
        return Err(DomainError::Forbidden(
            "this invite was sent to another email address".into(),
        ));
    }
    let tx = TenantTx::begin(
        &app.store,
        invite.organization_id,
        Some(me.id),
        TxMode::Write,
    )
    .await?;
    if orgs::member(&tx, me.id).await?.is_none() {
        orgs::add_member(&tx, me.id, role).await?;
    }
    // The link was emailed to this address: following it verifies it.
    if me.email_verified_at.is_none() {
        crate::users::store::mark_verified(&*tx, me.id).await?;
    }
    close(&tx, &invite, me.id, meta).await?;
    tx.commit().await?;
    Ok(Accepted {
        organization_id: invite.organization_id,
        tokens: None,
    })
}

/// Creates the invited address's account from `body` and makes it a
/// member through `invite`; the answer carries its first session.
pub async fn sign_up(
    app: &SharedState,
    invite: LiveInvite,
    body: AcceptInvite,
    meta: &ClientMeta,
) -> DomainResult<Accepted> {
    let role = Role::parse(&invite.role).unwrap_or(Role::Viewer);
    let mut checks = Checks::default();
    let name = checks.take(display_name(
        "name",
        body.name.as_deref().unwrap_or(""),
        200,
    ));
    let password = checks.take(Password::parse(
        "password",
        body.password.as_deref().unwrap_or(""),
        Some(&invite.email),
    ));
    checks.finish()?;
    let (Some(name), Some(password)) = (name, password) else {
        return Err(DomainError::internal("validated fields missing"));
    };
    if users::find_by_email(app.store.connection(), &invite.email)
        .await?
        .is_some()
    {
        return Err(account_exists());
    }
    let hashed = password::hash(password.into_inner()).await?;
    let user_id = Uuid::now_v7();
    let tx = TenantTx::begin(
        &app.store,
        invite.organization_id,
        Some(user_id),
        TxMode::Write,
    )
    .await?;
    let inserted = users::insert(
        &*tx,
        NewUser {
            id: user_id,
            email: &invite.email,
            name: &name,
            password_hash: &hashed,
            // The link reached this address: that verifies it.
            verified: true,
            last_organization_id: Some(invite.organization_id),
        },
    )
    .await;
    match inserted {
        Err(e) if db::is_unique_violation(&e) => return Err(account_exists()),
        other => other?,
    }
    orgs::add_member(&tx, user_id, role).await?;
    close(&tx, &invite, user_id, meta).await?;
    let session = sessions::create(&*tx, user_id, meta, session_ttl(app)).await?;
    let user = users::find(&*tx, user_id)
        .await?
        .ok_or_else(|| DomainError::internal("user vanished after insert"))?;
    let org = orgs::get(&tx)
        .await?
        .ok_or(DomainError::NotFound("organization"))?;
    tx.commit().await?;
    let organization = MyOrganization {
        id: org.id,
        name: org.name,
        role: role.as_str().into(),
    };
    let tokens = token_response(
        app,
        &user,
        Some(organization),
        session.id,
        session.refresh_token,
    )?;
    Ok(Accepted {
        organization_id: invite.organization_id,
        tokens: Some(tokens),
    })
}

fn account_exists() -> DomainError {
    DomainError::Conflict {
        code: "account_exists",
        detail: "an account uses this email: log in, then accept the invite".into(),
    }
}

/// Spends the invite (once: a second accept racing this one changes nothing)
/// and audits the new membership.
async fn close(
    tx: &TenantTx,
    invite: &LiveInvite,
    user_id: Uuid,
    meta: &ClientMeta,
) -> Result<(), DomainError> {
    let spent = db::exec(
        &**tx,
        "UPDATE invites SET accepted_at = $3, accepted_by = $4 \
         WHERE organization_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        vec![
            tx.org_id().into(),
            invite.id.into(),
            db::now().into(),
            user_id.into(),
        ],
    )
    .await?;
    if spent != 1 {
        return Err(DomainError::Conflict {
            code: "invite_closed",
            detail: "this invite has already been used".into(),
        });
    }
    audit::record(
        tx,
        meta,
        Change {
            actor: Some(user_id),
            action: "invite.accepted",
            entity_type: "invite",
            entity_id: Some(invite.id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "user_id": user_id, "role": invite.role })),
        },
    )
    .await?;
    Ok(())
}
