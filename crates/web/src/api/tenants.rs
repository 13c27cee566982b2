//! `/api/v1/tenants`: the clients of the server.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use rempart_store::ManagedBy;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// A tenant: one client organisation and its plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantBody {
    pub id: String,
    pub name: String,
    /// Creation time, ms since the Unix epoch.
    pub created_ms: i64,
    /// The active plan's version, if a plan was accepted.
    pub plan_version: Option<i64>,
    /// What rules its plan: `file:<path on the server>` (read-only through
    /// the API) or `api`.
    pub managed_by: String,
}

/// A tenant to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    /// Identifier: ASCII letters, digits, '-', '_', '.', starting with a
    /// letter or digit, at most 64 characters.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub id: String,
    pub name: String,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tenants, create_tenant))
        .routes(routes!(get_tenant))
        .routes(routes!(get_roots, set_roots))
}

/// The folders on the server under which a client's plan may name local
/// paths (repositories, backup sources, restore folders); relative paths
/// start from the first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RootsBody {
    /// Absolute paths.
    #[schema(inline, value_type = Vec<AbsolutePath>)]
    pub roots: Vec<String>,
}

/// An absolute path on the server.
#[derive(ToSchema)]
#[schema(pattern = "^/")]
#[allow(dead_code)] // only its schema is used
struct AbsolutePath(String);

pub(crate) fn path<T>(p: Result<Path<T>, PathRejection>) -> Result<T, ApiError> {
    p.map(|Path(t)| t)
        .map_err(|e| ApiError::bad_request(format!("bad path: {e}")))
}

async fn body(caller: &Caller, id: &str) -> Result<TenantBody, ApiError> {
    let scope = caller.tenant(id).await?;
    let t = scope.info().await?;
    Ok(TenantBody {
        id: t.id,
        name: t.name,
        created_ms: t.created_ms,
        plan_version: scope.active_plan_head().await?.map(|h| h.version),
        managed_by: t.managed_by.as_text(),
    })
}

/// The tenants this token may see.
#[utoipa::path(get, path = "/api/v1/tenants", tag = "tenants",
    responses((status = 200, body = [TenantBody]), (status = 401, body = ErrorBody)))]
async fn list_tenants(caller: Caller) -> Result<Json<Vec<TenantBody>>, ApiError> {
    let mut out = Vec::new();
    for t in caller.store().tenants().await? {
        if caller.scope.allows(&t.id) {
            out.push(body(&caller, &t.id).await?);
        }
    }
    Ok(Json(out))
}

/// Creates a tenant (or renames it). Needs a server-wide (MSP) token.
#[utoipa::path(post, path = "/api/v1/tenants", tag = "tenants", request_body = NewTenant,
    responses((status = 201, body = TenantBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_tenant(
    caller: Caller,
    new: Result<Json<NewTenant>, JsonRejection>,
) -> Result<(StatusCode, Json<TenantBody>), ApiError> {
    caller.require_msp()?;
    let Json(new) =
        new.map_err(|e| ApiError::bad_request(format!("bad JSON body: {}", e.body_text())))?;
    caller
        .store()
        .upsert_tenant(&new.id, &new.name, &ManagedBy::Api)
        .await?;
    Ok((StatusCode::CREATED, Json(body(&caller, &new.id).await?)))
}

/// One tenant.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}", tag = "tenants",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = TenantBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_tenant(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<TenantBody>, ApiError> {
    let tenant = path(tenant)?;
    Ok(Json(body(&caller, &tenant).await?))
}

/// The folders a client's plan may use.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/roots", tag = "tenants",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = RootsBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_roots(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<RootsBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    Ok(Json(RootsBody {
        roots: scope.roots().await?,
    }))
}

/// Sets the folders a client's plan may use (absolute paths). Needs a
/// server-wide (MSP) token.
#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/roots", tag = "tenants",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body = RootsBody,
    responses((status = 200, body = RootsBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "A folder goes up with `..`, is the whole file system, or overlaps the server's data dir or another tenant's folder")))]
async fn set_roots(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    body: Result<Json<RootsBody>, JsonRejection>,
) -> Result<Json<RootsBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    caller.require_msp()?;
    let Json(body) =
        body.map_err(|e| ApiError::bad_request(format!("bad JSON body: {}", e.body_text())))?;
    let others = caller.store().all_roots().await?;
    rempart_engine::trust::check_roots(scope.id(), &body.roots, &state.data_dir, &others)
        .map_err(ApiError::unprocessable)?;
    scope.set_roots(&body.roots).await?;
    Ok(Json(RootsBody {
        roots: scope.roots().await?,
    }))
}
