//! Who acts, for whom, with what rights: the value every domain operation
//! takes instead of an HTTP request.
//!
//! An [`Actor`] is built only after the caller was checked: by the HTTP edge
//! from a token or an API key and a membership, by the assistant for the
//! member it talks to, by a provider webhook or a job from a channel stored
//! in the database. Its organization is the only one the operation can
//! reach: a tenant transaction is opened from an actor ([`Actor::begin`]).

use uuid::Uuid;

use crate::app::SharedState;
use crate::audit::ClientMeta;
use crate::db::{TenantTx, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::organizations::Role;
use crate::organizations::permissions::{Permission, RolePermissions};

/// Who is behind an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A member signed in on a session.
    Member { user_id: Uuid, session_id: Uuid },
    /// An API key, acting as the member who created it, within its scopes.
    ApiKey {
        key_id: Uuid,
        user_id: Uuid,
        scopes: Vec<String>,
    },
    /// The assistant, working for the member it talks to on their session.
    Assistant { user_id: Uuid, session_id: Uuid },
    /// The system itself on behalf of a channel (a provider webhook, a job):
    /// no member; sees the whole organization.
    System { channel: String },
}

/// Someone acting inside one organization.
#[derive(Debug, Clone)]
pub struct Actor {
    org_id: Uuid,
    principal: Principal,
    role: Role,
    permissions: RolePermissions,
    /// Where the request came from, for the audit trail.
    pub meta: ClientMeta,
}

impl Actor {
    /// A member (or an API key or the assistant acting as one) with the role
    /// and permissions their membership gives.
    pub fn new(
        org_id: Uuid,
        principal: Principal,
        role: Role,
        permissions: RolePermissions,
        meta: ClientMeta,
    ) -> Self {
        Self {
            org_id,
            principal,
            role,
            permissions,
            meta,
        }
    }

    /// The system acting for `channel` in `org_id` (a webhook, a job): the
    /// organization comes from where the channel is stored, never from what
    /// a request claims.
    pub fn system(org_id: Uuid, channel: impl Into<String>) -> Self {
        Self {
            org_id,
            principal: Principal::System {
                channel: channel.into(),
            },
            role: Role::Admin,
            permissions: RolePermissions::all(),
            meta: ClientMeta::default(),
        }
    }

    /// `user_id` as the member they are in `tx`'s organization, to ask what
    /// they may see (e.g. before making them follow a record); none when
    /// they are not a member.
    pub async fn member_in(tx: &TenantTx, user_id: Uuid) -> DomainResult<Option<Actor>> {
        #[derive(crate::db::Row)]
        struct Membership {
            role: String,
            permissions: Option<serde_json::Value>,
        }
        let found: Option<Membership> = crate::db::fetch_one(
            &**tx,
            "SELECT m.role, o.permissions FROM memberships m JOIN organizations o ON o.id = m.organization_id \
             WHERE m.organization_id = $1 AND m.user_id = $2",
            vec![tx.org_id().into(), user_id.into()],
        )
        .await?;
        let Some(m) = found else {
            return Ok(None);
        };
        let role = Role::parse(&m.role)
            .ok_or_else(|| DomainError::internal(format!("unknown stored role {}", m.role)))?;
        Ok(Some(Self::new(
            tx.org_id(),
            Principal::Member {
                user_id,
                session_id: Uuid::nil(),
            },
            role,
            crate::organizations::permissions::for_role(m.permissions.as_ref(), role),
            ClientMeta::default(),
        )))
    }

    pub fn org_id(&self) -> Uuid {
        self.org_id
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The member on whose behalf this acts; none for the system.
    pub fn user_id(&self) -> Option<Uuid> {
        match &self.principal {
            Principal::Member { user_id, .. }
            | Principal::ApiKey { user_id, .. }
            | Principal::Assistant { user_id, .. } => Some(*user_id),
            Principal::System { .. } => None,
        }
    }

    /// The member, for what only a member can do (their own preferences,
    /// notifications, memberships).
    pub fn member(&self) -> DomainResult<Uuid> {
        self.user_id().ok_or_else(|| {
            DomainError::Forbidden("only a member can do this, not a system channel".into())
        })
    }

    /// The session behind the act (an API key's id stands in for keys; none
    /// for the system).
    pub fn session_id(&self) -> Option<Uuid> {
        match &self.principal {
            Principal::Member { session_id, .. } | Principal::Assistant { session_id, .. } => {
                Some(*session_id)
            }
            Principal::ApiKey { key_id, .. } => Some(*key_id),
            Principal::System { .. } => None,
        }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn permissions(&self) -> RolePermissions {
        self.permissions
    }

    /// Whether this acts as `user_id` (a member's own things).
    pub fn is(&self, user_id: Uuid) -> bool {
        self.user_id() == Some(user_id)
    }

    /// The scopes of the API key acting, if one is.
    pub fn api_key_scopes(&self) -> Option<&[String]> {
        match &self.principal {
            Principal::ApiKey { scopes, .. } => Some(scopes),
            _ => None,
        }
    }

    /// Fails with 403 unless the organization lets the actor's role do `p`.
    pub fn allow(&self, p: Permission) -> DomainResult<()> {
        if self.permissions.allows(p) {
            return Ok(());
        }
        Err(DomainError::Forbidden(format!(
            "your role ({}) does not have the `{}` permission in this organization",
            self.role.as_str(),
            p.as_str()
        )))
    }

    /// The check every operation declares: the role's permission `p` and,
    /// for an API key, a scope on `resource` (e.g. `contacts`) for reading or
    /// writing.
    pub fn require_on(&self, p: Permission, resource: &str) -> DomainResult<()> {
        self.allow(p)?;
        if let Some(scopes) = self.api_key_scopes() {
            let write = p != Permission::Read;
            if !crate::api_keys::scopes_allow(scopes, resource, write) {
                return Err(DomainError::Forbidden(format!(
                    "this API key has no scope for {} on /{resource}",
                    if write { "writing" } else { "reading" }
                )));
            }
        }
        Ok(())
    }

    /// Fails with 403 unless the actor's role ranks at least as high as
    /// `role`: whoever may manage members (the matrix's `manage_members`)
    /// still cannot grant, change or remove a role above their own.
    pub fn may_handle_role(&self, role: Role) -> DomainResult<()> {
        if self.role.at_least(role) {
            return Ok(());
        }
        Err(DomainError::Forbidden(format!(
            "your role ({}) may not grant, change or remove the {} role",
            self.role.as_str(),
            role.as_str()
        )))
    }

    /// Fails with 403 unless the actor's role is at least `minimum`.
    pub fn require(&self, minimum: Role, action: &str) -> DomainResult<()> {
        if self.role.at_least(minimum) {
            Ok(())
        } else {
            Err(DomainError::Forbidden(format!(
                "your role ({}) may not {action}",
                self.role.as_str()
            )))
        }
    }

    /// Opens a transaction scoped to this actor's organization: the only way
    /// domain code reaches tenant data.
    pub async fn begin(&self, state: &SharedState, mode: TxMode) -> DomainResult<TenantTx> {
        Ok(TenantTx::begin(&state.store, self.org_id, self.user_id(), mode).await?)
    }
}
