//! `/api/v1/tenants/{tenant}/secrets`: a tenant's stored secrets, written
//! write-only (sealed with the server's master key), listed by name and
//! date, never returned. A plan names them as `{ secret = "name" }`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::http::StatusCode;
use rempart_store::SecretInfo;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tenants::path;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// A stored secret: its name and dates, never its value.
#[derive(Debug, Serialize, ToSchema)]
pub struct SecretBody {
    pub name: String,
    /// ms since the Unix epoch.
    pub created_ms: i64,
    /// ms since the Unix epoch.
    pub updated_ms: i64,
    /// Who set it last: `api:<token name>`, `cli:<user>`.
    pub updated_by: String,
}

impl From<SecretInfo> for SecretBody {
    fn from(s: SecretInfo) -> Self {
        SecretBody {
            name: s.name,
            created_ms: s.created_ms,
            updated_ms: s.updated_ms,
            updated_by: s.updated_by,
        }
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_secrets))
        .routes(routes!(set_secret, remove_secret))
}

/// The tenant's secrets, by name, without their values.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/secrets", tag = "secrets",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = [SecretBody]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_secrets(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<SecretBody>>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    Ok(Json(
        scope.secrets().await?.into_iter().map(Into::into).collect(),
    ))
}

/// Sets (or replaces) a secret: the body is its value, as text (a final
/// newline is dropped). The change is recorded as `secret` evidence,
/// without the value; the value is never returned.
#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/secrets/{name}", tag = "secrets",
    params(("tenant" = String, Path, description = "Tenant id"),
           ("name" = String, Path, description = "Secret name: 1 to 128 ASCII letters, digits, '-', '_', '.', starting with a letter or digit",
            pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")),
    request_body(content = String, content_type = "text/plain", description = "The secret's value"),
    responses((status = 200, body = SecretBody, description = "Set"), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "An empty value (a final newline is dropped), or one over 64 KiB")))]
async fn set_secret(
    caller: Caller,
    params: Result<Path<(String, String)>, PathRejection>,
    body: Bytes,
) -> Result<Json<SecretBody>, ApiError> {
    let (tenant, name) = path(params)?;
    let scope = caller.tenant(&tenant).await?;
    // A name the document's pattern refuses is a bad request; a value that
    // cannot be kept (empty, too long), unprocessable.
    rempart_core::plan::check_secret_name(&name).map_err(ApiError::bad_request)?;
    let value = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("a secret's value is UTF-8 text"))?;
    let set = scope.set_secret(&name, value, &caller.identity()).await?;
    tracing::info!(tenant = scope.id(), secret = %name, by = %caller.identity(), "secret set");
    Ok(Json(set.into()))
}

/// Removes a secret (recorded as `secret` evidence).
#[utoipa::path(delete, path = "/api/v1/tenants/{tenant}/secrets/{name}", tag = "secrets",
    params(("tenant" = String, Path, description = "Tenant id"),
           ("name" = String, Path, description = "Secret name", pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")),
    responses((status = 204, description = "Removed"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove_secret(
    caller: Caller,
    params: Result<Path<(String, String)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let (tenant, name) = path(params)?;
    let scope = caller.tenant(&tenant).await?;
    if scope.remove_secret(&name, &caller.identity()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no secret \"{name}\""),
        ))
    }
}
