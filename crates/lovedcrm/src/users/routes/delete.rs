//! `DELETE /users/me`: the caller deletes their own account.

use axum::extract::State;
use axum::http::StatusCode;

use crate::app::SharedState;
use crate::error::DomainResult;
use crate::http::context::AuthUser;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::users::delete::{self, DeleteAccount};

/// Delete the caller's account. Organizations where the caller is the only
/// member are deleted with it; 409 `last_owner` names the organizations that
/// would be left without an owner.
#[utoipa::path(delete, path = "/users/me", tag = "users", security(("bearer" = [])),
    request_body = DeleteAccount,
    responses((status = 204), (status = 401, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
pub(super) async fn delete_me(
    State(app): State<SharedState>,
    user: AuthUser,
    ApiJson(body): ApiJson<DeleteAccount>,
) -> DomainResult<StatusCode> {
    delete::delete_account(&app, user.user_id, &user.meta, body).await?;
    Ok(StatusCode::NO_CONTENT)
}
