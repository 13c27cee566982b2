//! `/api/v1/tenants/{tenant}/maintenance`: one-off maintenance windows set
//! by people (recurring ones belong in the plan). Monitors in a window are
//! checked and recorded, raise no alert, and do not count against the SLA.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rempart_store::{Window, now_ms};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::status::active_plan;
use super::tenants::path;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// A window to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWindow {
    /// Monitor ids of the tenant's plan; every monitor when empty.
    #[serde(default)]
    pub monitors: Vec<String>,
    /// RFC 3339, e.g. "2026-12-05T08:00:00+01:00".
    #[schema(format = DateTime)]
    pub start: String,
    /// RFC 3339, after `start`.
    #[schema(format = DateTime)]
    pub end: String,
    pub reason: String,
}

/// A maintenance window.
#[derive(Debug, Serialize, ToSchema)]
pub struct WindowBody {
    pub id: i64,
    pub monitors: Vec<String>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub reason: String,
    pub created_by: String,
    pub created_ms: i64,
}

impl From<Window> for WindowBody {
    fn from(w: Window) -> Self {
        WindowBody {
            id: w.id,
            monitors: w.monitors,
            start_ms: w.start_ms,
            end_ms: w.end_ms,
            reason: w.reason,
            created_by: w.created_by,
            created_ms: w.created_ms,
        }
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_windows, add_window))
        .routes(routes!(remove_window))
}

/// Windows not over yet, soonest first.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/maintenance", tag = "maintenance",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = [WindowBody]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_windows(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<WindowBody>>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let windows = scope.maintenance_windows(now_ms()).await?;
    Ok(Json(windows.into_iter().map(Into::into).collect()))
}

/// Adds a one-off window.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/maintenance", tag = "maintenance",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body = NewWindow,
    responses((status = 201, body = WindowBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "`end` is not after `start`, or a monitor is not in the plan")))]
async fn add_window(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    body: Result<Json<NewWindow>, JsonRejection>,
) -> Result<(StatusCode, Json<WindowBody>), ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let Json(w) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let time = |key: &str, text: &str| {
        chrono::DateTime::parse_from_rfc3339(text)
            .map(|t| t.timestamp_millis())
            .map_err(|e| {
                ApiError::bad_request(format!(
                    "`{key}` \"{text}\" is not an RFC 3339 time such as 2026-12-05T08:00:00+01:00: {e}"
                ))
            })
    };
    let (start, end) = (time("start", &w.start)?, time("end", &w.end)?);
    if end <= start {
        return Err(ApiError::unprocessable("`end` must come after `start`"));
    }
    let plan = active_plan(&state.plans, &scope).await?;
    let unknown: Vec<&String> = w
        .monitors
        .iter()
        .filter(|m| !plan.monitors.iter().any(|p| p.id.as_str() == m.as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::unprocessable(format!(
            "no such monitor in the plan: {}",
            unknown
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let added = scope
        .add_maintenance(
            &w.monitors,
            start,
            end,
            &w.reason,
            &caller.identity(),
            now_ms(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(added.into())))
}

/// Removes a window (ends it now).
#[utoipa::path(delete, path = "/api/v1/tenants/{tenant}/maintenance/{id}", tag = "maintenance",
    params(("tenant" = String, Path, description = "Tenant id"), ("id" = i64, Path, description = "Window id")),
    responses((status = 204, description = "Removed"), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove_window(
    caller: Caller,
    params: Result<Path<(String, i64)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let (tenant, id) = path(params)?;
    let scope = caller.tenant(&tenant).await?;
    if scope.remove_maintenance(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no maintenance window {id}"),
        ))
    }
}
