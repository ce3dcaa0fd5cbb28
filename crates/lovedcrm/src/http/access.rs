//! The permission a request needs, from its method and path: the organization
//! context checks it (and an API key's scopes) before any handler runs, so
//! the permission matrix covers every endpoint from one place.

use axum::http::Method;

use super::context::OrgContext;
use crate::api_keys;
use crate::error::DomainError;
use crate::organizations::permissions::Permission;

/// What a request to `path` with `method` needs; `None` for the caller's own
/// things (notifications, preferences), which every member may handle.
pub fn required(ctx: &OrgContext, method: &Method, path: &str) -> Option<Permission> {
    let segments: Vec<&str> = api_path(path)
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let read = matches!(*method, Method::GET | Method::HEAD);
    let by_method = || {
        Some(match *method {
            Method::GET | Method::HEAD => Permission::Read,
            Method::POST => Permission::Create,
            Method::DELETE => Permission::Delete,
            _ => Permission::Update,
        })
    };
    if segments.contains(&"export") {
        return Some(Permission::Export);
    }
    match segments.as_slice() {
        ["notifications", ..] | ["users", ..] => None,
        // Any member may send feedback; reading it is for admins (checked by the handlers).
        ["feedback", ..] => None,
        // Following is reading with a subscription (the service checks who adds whom).
        ["leads", _, "followers", ..] => Some(Permission::Read),
        // A bulk edit changes records (the kernel checks each one).
        [_, "bulk"] => Some(Permission::Update),
        ["api-keys", ..] => Some(Permission::ManageIntegrations),
        ["organizations", "current", "invites", ..] => Some(Permission::ManageMembers),
        // Leaving is every member's right; removing others is not.
        ["organizations", "current", "members", who] if *method == Method::DELETE => {
            (*who != ctx.user_id().to_string()).then_some(Permission::ManageMembers)
        }
        [
            "organizations",
            "current",
            "members" | "permissions" | "transfer-ownership",
            ..,
        ] => Some(if read {
            Permission::Read
        } else {
            Permission::ManageMembers
        }),
        _ => by_method(),
    }
}

/// Fails with 403 when the caller's role lacks the permission the request
/// needs, or its API key lacks the scope.
pub fn check(ctx: &OrgContext, method: &Method, path: &str) -> Result<(), DomainError> {
    if let Some(p) = required(ctx, method, path) {
        ctx.allow(p)?;
    }
    if let Some(scopes) = ctx.api_key_scopes() {
        let resource = api_path(path)
            .split('/')
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let write = !matches!(*method, Method::GET | Method::HEAD);
        if !api_keys::scopes_allow(scopes, resource, write) {
            return Err(DomainError::Forbidden(format!(
                "this API key has no scope for {} on /{resource}",
                if write { "writing" } else { "reading" }
            )));
        }
    }
    Ok(())
}

/// The part of `path` after `/api/v1/` (the router may sit under a prefix).
fn api_path(path: &str) -> &str {
    path.split_once("/api/v1/").map_or(path, |(_, rest)| rest)
}
