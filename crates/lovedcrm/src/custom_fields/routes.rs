use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::ENTITIES;
use super::store::{self, Definition, Kind};
use crate::app::SharedState;
use crate::db::{self, TxMode};
use crate::error::{DomainError, DomainResult};
use crate::http::context::OrgContext;
use crate::http::error::Problem;
use crate::http::json::ApiJson;
use crate::http::path::{ApiPath, ApiQuery};
use crate::http::{IfMatchHeader, OrgHeader, Versioned, if_match};
use crate::organizations::Role;
use crate::records::audit_change;
use crate::records::fields::Problems;
use crate::records::idempotency::Idempotency;
use crate::users::fields::display_name;

pub fn router() -> OpenApiRouter<SharedState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(patch, delete))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `contact`, `company`, `lead`, `project` or `task`.
    pub entity_type: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DefinitionList {
    pub data: Vec<Definition>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDefinition {
    pub entity_type: String,
    /// Lower-case letters, digits and `_`, starting with a letter.
    pub key: String,
    pub label: String,
    pub kind: Kind,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
    pub position: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchDefinition {
    pub label: Option<String>,
    pub options: Option<Vec<String>>,
    pub required: Option<bool>,
    pub position: Option<i32>,
}

fn entity(field: &str, value: &str) -> Result<String, DomainError> {
    if ENTITIES.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(DomainError::field(
            field,
            format!("must be one of: {}", ENTITIES.join(", ")),
        ))
    }
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    key.len() <= 50
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_options(problems: &mut Problems, kind: Kind, options: &[String]) -> Json {
    let needs = matches!(kind, Kind::Select | Kind::MultiSelect);
    if needs && options.is_empty() {
        problems.push("options", "select fields need at least one option");
    }
    if !needs && !options.is_empty() {
        problems.push("options", "only select fields have options");
    }
    if options.iter().any(|o| o.trim().is_empty() || o.len() > 100) {
        problems.push("options", "options must be 1 to 100 characters");
    }
    Json::Array(
        options
            .iter()
            .map(|o| Json::String(o.trim().to_string()))
            .collect(),
    )
}

/// The organization's custom field definitions.
#[utoipa::path(get, path = "/custom-fields", tag = "custom fields", security(("bearer" = [])),
    params(OrgHeader, ListParams), responses((status = 200, body = DefinitionList),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(
    State(app): State<SharedState>,
    ctx: OrgContext,
    ApiQuery(params): ApiQuery<ListParams>,
) -> DomainResult<ApiJson<DefinitionList>> {
    let tx = ctx.begin(&app, TxMode::Read).await?;
    let data = match params.entity_type {
        Some(e) => store::for_entity(&tx, &entity("entity_type", &e)?).await?,
        None => store::all(&tx).await?,
    };
    tx.commit().await?;
    Ok(ApiJson(DefinitionList { data }))
}

/// Define a custom field (owner, admin or manager). Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/custom-fields", tag = "custom fields", security(("bearer" = [])),
    params(OrgHeader, crate::http::IdempotencyKeyHeader), request_body = CreateDefinition,
    responses((status = 201, body = Definition), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateDefinition>,
) -> DomainResult<Response> {
    ctx.require(Role::Manager, "define custom fields")?;
    let idempotency = Idempotency::from_headers(&headers, ctx.user_id(), &body)?;
    let mut problems = Problems::default();
    let entity_type = problems.take(entity("entity_type", &body.entity_type).map_err(first));
    if !valid_key(&body.key) {
        problems.push(
            "key",
            "must be lower-case letters, digits and _ , starting with a letter (max 50)",
        );
    }
    let label = problems.take(display_name("label", &body.label, 100));
    let options = check_options(&mut problems, body.kind, &body.options);
    problems.finish()?;
    let (Some(entity_type), Some(label)) = (entity_type, label) else {
        return Err(DomainError::internal("validated fields missing"));
    };
    let now = db::now();
    let definition = Definition {
        id: Uuid::now_v7(),
        entity_type,
        field_key: body.key,
        label,
        kind: body.kind.as_str().into(),
        options,
        required: body.required,
        position: body.position.unwrap_or(0),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let tx = ctx.begin(&app, TxMode::Write).await?;
    if let Some(replay) = idempotency.replay(&tx).await? {
        return Ok(replay);
    }
    match store::insert(&tx, &definition).await {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(DomainError::Conflict {
                code: "custom_field_exists",
                detail: format!(
                    "{} already has a field `{}`",
                    definition.entity_type, definition.field_key
                ),
            });
        }
        other => other?,
    }
    audit_change(
        &tx,
        &ctx,
        "custom_field.created",
        "custom_field",
        definition.id,
        None,
        Some(&definition),
    )
    .await?;
    idempotency
        .remember(&tx, StatusCode::CREATED, &definition)
        .await?;
    tx.commit().await?;
    let version = definition.version;
    Ok((StatusCode::CREATED, Versioned(version, ApiJson(definition))).into_response())
}

fn first(e: DomainError) -> crate::error::FieldError {
    match e {
        DomainError::Validation(mut v) if !v.is_empty() => v.remove(0),
        other => crate::error::FieldError::new("body", other.to_string()),
    }
}

/// Change a custom field's label, options, required flag or position.
/// `If-Match` answers 412 on a stale version.
#[utoipa::path(patch, path = "/custom-fields/{id}", tag = "custom fields", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)), request_body = PatchDefinition,
    responses((status = 200, body = Definition), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn patch(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PatchDefinition>,
) -> DomainResult<Versioned<Definition>> {
    ctx.require(Role::Manager, "change custom fields")?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::get(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("custom field"))?;
    crate::http::check_version(expected, before.version)?;
    let mut problems = Problems::default();
    let mut after = before.clone();
    if let Some(label) = &body.label
        && let Some(l) = problems.take(display_name("label", label, 100))
    {
        after.label = l;
    }
    if let Some(options) = &body.options {
        let kind = Kind::parse(&before.kind).unwrap_or(Kind::Text);
        after.options = check_options(&mut problems, kind, options);
    }
    problems.finish()?;
    after.required = body.required.unwrap_or(before.required);
    after.position = body.position.unwrap_or(before.position);
    if !store::update(&tx, &after).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: before.version,
        });
    }
    let after = store::get(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("custom field"))?;
    audit_change(
        &tx,
        &ctx,
        "custom_field.updated",
        "custom_field",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Versioned(after.version, ApiJson(after)))
}

/// Delete a custom field definition (values already stored on records stay
/// in their JSON until the record is next saved). `If-Match` answers 412 on
/// a stale version.
#[utoipa::path(delete, path = "/custom-fields/{id}", tag = "custom fields", security(("bearer" = [])),
    params(OrgHeader, IfMatchHeader, ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 412, body = Problem)))]
async fn delete(
    State(app): State<SharedState>,
    ctx: OrgContext,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
) -> DomainResult<StatusCode> {
    ctx.require(Role::Manager, "delete custom fields")?;
    let expected = if_match(&headers)?;
    let tx = ctx.begin(&app, TxMode::Write).await?;
    let before = store::get(&tx, id)
        .await?
        .ok_or(DomainError::NotFound("custom field"))?;
    crate::http::check_version(expected, before.version)?;
    if !store::delete(&tx, id, before.version).await? {
        return Err(DomainError::PreconditionFailed {
            current_version: before.version,
        });
    }
    audit_change(
        &tx,
        &ctx,
        "custom_field.deleted",
        "custom_field",
        id,
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
