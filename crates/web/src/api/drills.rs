//! `/api/v1/tenants/{tenant}/drills`: drill runs, and the confirmation of
//! a running drill's manual step.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use rempart_core::evidence::EvidenceKind;
use rempart_engine::drill::Unconfirmable;
use rempart_store::{EvidenceQuery, now_ms};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::evidence::EvidenceBody;
use super::tenants::path;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DrillParams {
    /// Only this scenario's runs.
    scenario: Option<String>,
    /// At most this many runs, newest first: 1 to 1000 (default 20); others are refused.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// A person's confirmation of a manual step. Who confirms is the caller's
/// own identity (`api:<token name>`), never a name sent in the body.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ConfirmBody {
    /// What was checked.
    pub note: Option<String>,
}

/// The runs: their `drill` records, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrillRuns {
    pub runs: Vec<EvidenceBody>,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_drills))
        .routes(routes!(confirm_step))
}

/// Drill runs, newest first: outcome, achieved RTO (`rto_ms`) and RPO
/// (`rpo_ms`), detect and recover times, each step's outcome.
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/drills", tag = "drills",
    params(("tenant" = String, Path, description = "Tenant id"), DrillParams),
    responses((status = 200, body = DrillRuns), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_drills(
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    params: Result<Query<DrillParams>, QueryRejection>,
) -> Result<Json<DrillRuns>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let Query(p) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let limit = p.limit.unwrap_or(20);
    if !(1..=EvidenceQuery::MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {}",
            EvidenceQuery::MAX_LIMIT
        )));
    }
    let limit = limit as usize;
    let query = EvidenceQuery {
        kind: Some(EvidenceKind::Drill),
        subject: p.scenario,
        ..EvidenceQuery::default()
    };
    let all = scope.evidence_all(&query).await?;
    let runs = all.into_iter().rev().take(limit).map(Into::into).collect();
    Ok(Json(DrillRuns { runs }))
}

/// Confirms step `step` (from 1) of running drill `run`: the drill's
/// manual step ends, and the wait counts in the measured time. Recorded as
/// `confirmation` evidence.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/drills/{run}/steps/{step}/confirm", tag = "drills",
    params(("tenant" = String, Path, description = "Tenant id"),
           ("run" = String, Path, description = "Run id, as the drill prints it"),
           ("step" = u64, Path, description = "Step number, from 1")),
    request_body = ConfirmBody,
    responses((status = 201, body = EvidenceBody, description = "Recorded"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "No such drill running, or no such step"),
              (status = 409, body = ErrorBody, description = "Not a manual step, not reached yet, or ended; or the drill has ended")))]
async fn confirm_step(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Path<(String, String, String)>, PathRejection>,
    body: Result<Json<ConfirmBody>, JsonRejection>,
) -> Result<(StatusCode, Json<EvidenceBody>), ApiError> {
    let (tenant, run, step) = path(params)?;
    let scope = caller.tenant(&tenant).await?;
    // A number too large for any step names no step: 404, like one past the last.
    let step: u64 = match step.parse() {
        Ok(n) => n,
        Err(_) if !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()) => u64::MAX,
        Err(_) => {
            return Err(ApiError::bad_request(format!(
                "bad path: step \"{step}\" is not a step number (1, 2…)"
            )));
        }
    };
    let Json(body) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let plan = super::status::active_plan(&state.plans, &scope).await?;
    match rempart_engine::drill::confirmable(&scope, &plan, &run, step, now_ms()).await? {
        Ok(()) => {}
        Err(Unconfirmable::NotFound(why)) => {
            return Err(ApiError::new(StatusCode::NOT_FOUND, "not-found", why));
        }
        Err(Unconfirmable::Conflict(why)) => {
            return Err(ApiError::new(StatusCode::CONFLICT, "not-confirmable", why));
        }
    }
    let record =
        rempart_engine::drill::confirmation(&run, step, &caller.identity(), body.note.as_deref());
    let stored = scope.append(record).await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}
