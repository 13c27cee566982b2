//! `/api/v1/tenants/{tenant}/status`: each process's measured RTO and RPO
//! against its targets, as `rempart status --json` gives it; and
//! `/api/v1/tenants/{tenant}/monitors`: each monitor as supervision sees
//! it, as `rempart monitors --json` gives it.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use std::sync::Arc;

use rempart_core::plan::Plan;
use rempart_store::{TenantScope, now_ms};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tenants::path;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// The assessment of a tenant's plan from its evidence.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusBody {
    pub tenant: String,
    /// When it was assessed, ms since the Unix epoch.
    pub now_ms: i64,
    /// A vital process is breached or untested.
    pub vital_failing: bool,
    /// Per process: targets and measured values in ms, `status`
    /// (compliant, at-risk, untested, breached), `reasons` (each a `code`
    /// and a `text` in the organisation's language), latest drills.
    #[schema(value_type = Vec<Object>)]
    pub processes: serde_json::Value,
    /// Per backup: the 3-2-1-1-0 rule (copies, sites, offsite, immutable, errors, holds).
    #[schema(value_type = Vec<Object>)]
    pub backups: serde_json::Value,
}

/// Each monitor as supervision sees it now.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonitorsBody {
    pub tenant: String,
    /// When it was read, ms since the Unix epoch.
    pub now_ms: i64,
    /// Per monitor: `id`, `kind`, `target`, `state` (up, down,
    /// unreachable; null before its first confirmed state), `since_ms`,
    /// `last_check_ms`, `last_message` (English), `last_said` (the same as
    /// a catalogue key and its variables, `{key, args}`, to be said in the
    /// reader's language; absent for probes that do not say it so),
    /// `failing_checks`, `flapping`,
    /// `maintenance` (the window covering it now), `depends_on`; for a
    /// heartbeat, `heartbeat`: its last pings and the body the job sent
    /// with the latest (`last_body`, `last_body_kind`) and with its last
    /// failure (`last_fail_body`), the first 10 000 bytes of each.
    #[schema(value_type = Vec<Object>)]
    pub monitors: serde_json::Value,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_status))
        .routes(routes!(get_monitors))
}

/// Each monitor's state, since when, its last check (saved by the
/// supervisor every few seconds).
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/monitors", tag = "status",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = MonitorsBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "No such tenant, or no plan yet")))]
async fn get_monitors(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<MonitorsBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let plan = active_plan(&state.plans, &scope).await?;
    let now = now_ms();
    let monitors = rempart_engine::status::monitors(&scope, &plan, now).await?;
    Ok(Json(MonitorsBody {
        tenant: scope.id().to_owned(),
        now_ms: now,
        monitors,
    }))
}

/// The answer when the tenant has no plan yet.
pub(crate) fn no_plan() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no-plan",
        "this tenant has no plan yet: PUT one",
    )
}

/// The tenant's active plan, parsed (once: `plans` keeps it); 404 when it has none.
pub(crate) async fn active_plan(
    plans: &rempart_engine::PlanCache,
    scope: &TenantScope,
) -> Result<Arc<Plan>, ApiError> {
    rempart_engine::active_plan(scope, std::path::Path::new("."), plans)
        .await
        .map(|a| a.plan)
        .ok_or_else(no_plan)
}

/// Each process's status, measured from the evidence.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/status", tag = "status",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = StatusBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "No such tenant, or no plan yet")))]
async fn get_status(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<StatusBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let plan = active_plan(&state.plans, &scope).await?;
    let a = rempart_engine::status::assess(&scope, &plan, now_ms()).await?;
    let mut v = rempart_engine::status::to_json(scope.id(), &a, plan.organization.language);
    Ok(Json(StatusBody {
        tenant: scope.id().to_owned(),
        now_ms: a.now_ms,
        vital_failing: a.vital_failing(),
        processes: v["processes"].take(),
        backups: v["backups"].take(),
    }))
}
