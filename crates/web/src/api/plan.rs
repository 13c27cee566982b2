//! `/api/v1/tenants/{tenant}/plan`: the active plan, and new versions.

use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use rempart_store::{ManagedBy, PlanVersion, StoreError};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tenants::path;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// One accepted version of a plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanBody {
    pub version: i64,
    /// The plan file (TOML), as accepted.
    pub source: String,
    pub sha256: String,
    /// Who sent it: `file:<path>` or `api:<token name>`.
    pub accepted_by: String,
    /// When, ms since the Unix epoch.
    pub accepted_ms: i64,
    /// `msp` (every feature) or `client` (nothing that runs or reads on the server).
    pub author: String,
}

impl From<PlanVersion> for PlanBody {
    fn from(v: PlanVersion) -> Self {
        PlanBody {
            version: v.version,
            source: v.source,
            sha256: v.sha256,
            accepted_by: v.accepted_by,
            accepted_ms: v.accepted_ms,
            author: v.author.as_str().to_owned(),
        }
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_plan, put_plan))
        .routes(routes!(plan_versions))
}

/// The active plan.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/plan", tag = "plan",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = PlanBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "No such tenant, or no plan yet")))]
async fn get_plan(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<PlanBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    match scope.active_plan().await? {
        Some(v) => Ok(Json(v.into())),
        None => Err(super::status::no_plan()),
    }
}

/// Sends a new version of the plan (the TOML file as the body). It is
/// checked like `rempart plan check`: a plan with errors answers 422 with
/// every finding, and the previous version stays active. With a tenant's
/// own token (a client), a plan holding anything the server would run or
/// read locally (commands, SQL, `{ env }`/`{ file }` secrets, S3 without
/// its own keys, folders outside the tenant's) answers 403 with a finding
/// per field. A tenant whose plan is a file on the server answers 409.
#[utoipa::path(put, path = "/api/v1/tenants/{tenant}/plan", tag = "plan",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body(content((String = "application/toml"), (String = "text/plain")), description = "rempart.toml"),
    responses((status = 200, body = PlanBody, description = "Accepted (or unchanged)"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "A client's plan holds what only the MSP may set"),
              (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "The tenant's plan is a file on the server"),
              (status = 413, description = "Body over 1 MiB"),
              (status = 422, body = ErrorBody, description = "The plan has errors")))]
async fn put_plan(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Result<Json<PlanBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    if let ManagedBy::File(file) = scope.info().await?.managed_by {
        return Err(ApiError::conflict(format!(
            "tenant \"{}\"'s plan is the file {file} on the server: the file rules, edit it there (SIGHUP or a restart of rempart serve reloads it)",
            scope.id()
        )));
    }
    let source = rempart_core::plan::finding::utf8(&body)
        .map_err(|at| ApiError::bad_request(format!("the request body at {at}")))?;
    match rempart_engine::planner::apply(&scope, source, &caller.identity(), caller.author()).await
    {
        Ok((version, jobs)) => {
            tracing::info!(
                tenant = scope.id(),
                version = version.version,
                jobs = jobs.specs.len(),
                "plan accepted"
            );
            Ok(Json(version.into()))
        }
        Err(StoreError::InvalidPlan(checked)) => Err(ApiError::invalid_plan(source, &checked)),
        Err(StoreError::Refused(checked)) => Err(ApiError::refused_plan(source, &checked)),
        Err(e) => Err(e.into()),
    }
}

/// Every accepted version, oldest first.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/plan/versions", tag = "plan",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = [PlanBody]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn plan_versions(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<PlanBody>>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    Ok(Json(
        scope
            .plan_versions()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}
