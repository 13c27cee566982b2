//! `/api/v1/tenants/{tenant}/jobs`: what is scheduled, and "run now".

use axum::Json;
use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::http::StatusCode;
use rempart_store::{Job, RunNow, now_ms};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tenants::path;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// A scheduled job of a tenant.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobBody {
    pub kind: String,
    pub subject: String,
    pub schedule: Option<String>,
    /// Next run, ms since the Unix epoch.
    pub due_ms: Option<i64>,
    /// Consecutive failed attempts.
    pub attempt: i64,
    /// Whether a server is running it now.
    pub running: bool,
    pub last_outcome: Option<String>,
    pub last_error: Option<String>,
    pub last_run_ms: Option<i64>,
}

impl From<Job> for JobBody {
    fn from(j: Job) -> Self {
        let now = now_ms();
        JobBody {
            running: j.lease_until.is_some_and(|u| u >= now),
            kind: j.kind,
            subject: j.subject,
            schedule: j.schedule,
            due_ms: j.due_ms,
            attempt: j.attempt,
            last_outcome: j.last_outcome,
            last_error: j.last_error,
            last_run_ms: j.last_run_ms,
        }
    }
}

/// What "run now" did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunNowBody {
    /// `scheduled`
    pub status: &'static str,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs))
        .routes(routes!(run_job_now))
}

/// The tenant's jobs.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/jobs", tag = "jobs",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = [JobBody]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_jobs(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<JobBody>>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    Ok(Json(
        scope.jobs().await?.into_iter().map(Into::into).collect(),
    ))
}

/// Runs a job as soon as a server is free.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/jobs/{kind}/{subject}/run", tag = "jobs",
    params(("tenant" = String, Path, description = "Tenant id"),
           ("kind" = String, Path, description = "Job kind: evidence-audit (the evidence log verified, then the compliance audit), backup, verify, adopt, drill, sla-report (the monthly SLA report e-mailed), crisis-kit (the offline crisis kit written under the data dir)"),
           ("subject" = String, Path, description = "Plan element the job runs")),
    responses((status = 202, body = RunNowBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Running already")))]
async fn run_job_now(
    caller: Caller,
    params: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<(StatusCode, Json<RunNowBody>), ApiError> {
    let (tenant, kind, subject) = path(params)?;
    let scope = caller.tenant(&tenant).await?;
    match scope.run_now(&kind, &subject, now_ms()).await? {
        RunNow::Scheduled => Ok((
            StatusCode::ACCEPTED,
            Json(RunNowBody {
                status: "scheduled",
            }),
        )),
        RunNow::AlreadyRunning => Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!("job {kind}/{subject} is running now; it runs again on its schedule"),
        )),
        RunNow::NoSuchJob => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no job {kind}/{subject} for tenant \"{tenant}\""),
        )),
    }
}
