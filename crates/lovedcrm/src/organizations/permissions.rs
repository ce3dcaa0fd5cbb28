//! The per-organization permission matrix of SPEC §2: what each role may do.
//!
//! The organization context checks the permission a request needs (from its
//! method and resource) before any handler runs, so every endpoint is covered
//! in one place; record visibility (`sales` see their own) applies on top.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;

use super::Role;
use crate::actor::Actor;
use crate::app::SharedState;
use crate::audit::{self, Change};
use crate::db::{self, DbErr, Row, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::records::kernel::check_version;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Create,
    Read,
    Update,
    Delete,
    Export,
    ManageMembers,
    ManageBilling,
    ManageIntegrations,
}

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Read => "read",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Export => "export",
            Self::ManageMembers => "manage_members",
            Self::ManageBilling => "manage_billing",
            Self::ManageIntegrations => "manage_integrations",
        }
    }
}

/// What one role may do.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RolePermissions {
    pub create: bool,
    pub read: bool,
    pub update: bool,
    pub delete: bool,
    pub export: bool,
    pub manage_members: bool,
    pub manage_billing: bool,
    pub manage_integrations: bool,
}

impl RolePermissions {
    /// Everything (the system acting for a channel).
    pub fn all() -> Self {
        Self {
            create: true,
            read: true,
            update: true,
            delete: true,
            export: true,
            manage_members: true,
            manage_billing: true,
            manage_integrations: true,
        }
    }

    pub fn allows(&self, p: Permission) -> bool {
        match p {
            Permission::Create => self.create,
            Permission::Read => self.read,
            Permission::Update => self.update,
            Permission::Delete => self.delete,
            Permission::Export => self.export,
            Permission::ManageMembers => self.manage_members,
            Permission::ManageBilling => self.manage_billing,
            Permission::ManageIntegrations => self.manage_integrations,
        }
    }

    /// The defaults: owners and admins manage, managers and sales work the
    /// records, viewers read.
    pub fn default_for(role: Role) -> Self {
        let all = Self {
            create: true,
            read: true,
            update: true,
            delete: true,
            export: true,
            manage_members: true,
            manage_billing: true,
            manage_integrations: true,
        };
        let none = Self {
            create: false,
            read: true,
            update: false,
            delete: false,
            export: false,
            manage_members: false,
            manage_billing: false,
            manage_integrations: false,
        };
        match role {
            Role::Owner => all,
            Role::Admin => Self {
                manage_billing: false,
                ..all
            },
            Role::Manager => Self {
                create: true,
                update: true,
                delete: true,
                export: true,
                ..none
            },
            Role::Sales => Self {
                create: true,
                update: true,
                delete: true,
                ..none
            },
            Role::Viewer => none,
        }
    }
}

/// The matrix: one entry per role.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PermissionMatrix {
    pub roles: BTreeMap<String, RolePermissions>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionMatrixOut {
    pub roles: BTreeMap<String, RolePermissions>,
    pub version: i64,
}

/// The stored matrix (or the defaults) for `role`, from the organization's
/// `permissions` column as read by the organization context.
pub fn for_role(stored: Option<&Json>, role: Role) -> RolePermissions {
    stored
        .and_then(|s| s.get(role.as_str()))
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_else(|| RolePermissions::default_for(role))
}

#[derive(Row)]
struct Stored {
    permissions: Option<Json>,
    version: i64,
}

async fn load(tx: &TenantTx) -> Result<(BTreeMap<String, RolePermissions>, i64), DbErr> {
    let stored: Option<Stored> = db::fetch_one(
        &**tx,
        "SELECT permissions, version FROM organizations WHERE id = $1",
        vec![tx.org_id().into()],
    )
    .await?;
    let (json, version) = stored.map_or((None, 0), |s| (s.permissions, s.version));
    let roles = Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), for_role(json.as_ref(), *r)))
        .collect();
    Ok((roles, version))
}

/// The organization's permission matrix, with the organization's version.
pub async fn matrix(app: &SharedState, actor: &Actor) -> DomainResult<PermissionMatrixOut> {
    let tx = actor.begin(app, TxMode::Read).await?;
    let (roles, version) = load(&tx).await?;
    tx.commit().await?;
    Ok(PermissionMatrixOut { roles, version })
}

/// Replaces the permission matrix (owner or admin). Every role must be
/// given; the owner keeps every permission and every role can read.
///
/// `expected` is the organization's version as the caller gave it, or why
/// it could not be read: a malformed one is refused only after the role check.
pub async fn replace(
    app: &SharedState,
    actor: &Actor,
    matrix: PermissionMatrix,
    expected: DomainResult<Option<i64>>,
) -> DomainResult<PermissionMatrixOut> {
    actor.require(Role::Admin, "change the permission matrix")?;
    let expected = expected?;
    let errors = problems(&matrix.roles);
    if !errors.is_empty() {
        return Err(DomainError::Validation(errors));
    }
    let tx = actor.begin(app, TxMode::Write).await?;
    let (before, version) = load(&tx).await?;
    check_version(expected, version)?;
    let stored =
        serde_json::to_value(&matrix.roles).map_err(|e| DomainError::internal(e.to_string()))?;
    db::exec(
        &*tx,
        "UPDATE organizations SET permissions = $2, version = version + 1, updated_at = $3 WHERE id = $1",
        vec![tx.org_id().into(), stored.into(), db::now().into()],
    )
    .await?;
    audit::record(
        &tx,
        &actor.meta,
        Change {
            actor: actor.user_id(),
            action: "permissions.updated",
            entity_type: "organization",
            entity_id: Some(tx.org_id().to_string()),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&matrix.roles).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(PermissionMatrixOut {
        roles: matrix.roles,
        version: version + 1,
    })
}

/// What is wrong with a matrix as given: unknown or missing roles, an owner
/// without every permission, a role that cannot read.
fn problems(roles: &BTreeMap<String, RolePermissions>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for name in roles.keys() {
        if Role::parse(name).is_none() {
            errors.push(FieldError::new(
                format!("roles.{name}"),
                "unknown role; roles are owner, admin, manager, sales, viewer",
            ));
        }
    }
    for role in Role::ALL {
        match roles.get(role.as_str()) {
            None => errors.push(FieldError::new(
                format!("roles.{}", role.as_str()),
                "every role must be given",
            )),
            Some(p) if role == Role::Owner && *p != RolePermissions::default_for(Role::Owner) => {
                errors.push(FieldError::new(
                    "roles.owner",
                    "the owner keeps every permission",
                ))
            }
            Some(p) if !p.read => errors.push(FieldError::new(
                format!("roles.{}.read", role.as_str()),
                "every member can read",
            )),
            Some(_) => {}
        }
    }
    errors
}
