//! `/api/v1/tenants/{tenant}/crisis…`: crisis mode through the API —
//! declare, follow, note and decide, move the checklist, record
//! regulatory submissions, close (see `rempart_engine::crisis`). Every
//! change is a `crisis` evidence record naming the token (`api:<name>`).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rempart_core::crisis::{Clock, Crisis, Event, TaskState};
use rempart_core::plan::Plan;
use rempart_engine::crisis::{self as engine, Declaration, Refused};
use rempart_store::{TenantScope, now_ms};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::status::active_plan;
use super::tenants::path;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// A declaration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCrisis {
    /// What is happening, e.g. "Server room flooded" (an exercise of
    /// the plan may leave it out: its title is used).
    #[serde(default)]
    pub title: String,
    /// 1 (most severe) to 4.
    #[schema(value_type = u8, minimum = 1, maximum = 4)]
    pub severity: serde_json::Number,
    /// Scenario ids whose steps go on the checklist.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// Process ids that are down.
    #[serde(default)]
    pub processes: Vec<String>,
    /// An exercise: an `[[exercise]]` id of the plan, or `adhoc`.
    #[serde(default)]
    pub exercise: Option<String>,
    /// A significant incident (NIS2 art. 23): its deadlines run.
    #[serde(default)]
    pub significant: bool,
    /// Personal data is involved (GDPR art. 33).
    #[serde(default)]
    pub personal_data: bool,
}

/// A crisis: its facts, the cell with each role's state, the checklist,
/// the regulatory deadlines, the corrective actions, the measured
/// outcome once closed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrisisBody {
    pub tenant: String,
    /// The crisis, or null when none is open.
    #[schema(value_type = Option<Object>)]
    pub crisis: Option<serde_json::Value>,
}

/// A note or a decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    pub text: String,
    #[serde(default)]
    pub decision: bool,
}

/// A checklist task's new state.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskChange {
    /// todo, started, done or skipped.
    #[schema(pattern = "^(todo|started|done|skipped)$")]
    pub state: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A regulatory submission made.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// nis2-early-warning, nis2-notification, nis2-final-report or gdpr.
    #[schema(pattern = "^(nis2-early-warning|nis2-notification|nis2-final-report|gdpr)$")]
    pub clock: String,
    /// The authority's reference.
    #[serde(default)]
    pub reference: Option<String>,
}

/// The task's key in the path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TaskPath {
    /// Tenant id.
    pub tenant: String,
    /// `task:<id>` or `<scenario>#<step>`, as the checklist gives it.
    pub task: String,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_crisis, declare))
        .routes(routes!(add_note))
        .routes(routes!(change_task))
        .routes(routes!(submit))
        .routes(routes!(close))
}

fn refused(e: Refused) -> ApiError {
    match e {
        Refused::Invalid(w) => ApiError::unprocessable(w),
        Refused::NoCrisis(w) => ApiError::conflict(w),
        Refused::Failed(w) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "failed", w),
    }
}

async fn body(scope: &TenantScope, plan: &Plan, c: Option<Crisis>) -> Result<CrisisBody, ApiError> {
    let crisis = match c {
        Some(c) => {
            let list = engine::checklist(scope, plan, &c).await.map_err(refused)?;
            Some(engine::to_json(plan, &c, &list, now_ms()))
        }
        None => None,
    };
    Ok(CrisisBody {
        tenant: scope.id().to_owned(),
        crisis,
    })
}

/// The open crisis (`crisis` is null when none is open).
#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/crisis", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = CrisisBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "No such tenant, or no plan yet")))]
async fn get_crisis(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let plan = active_plan(&state.plans, &scope).await?;
    let c = engine::current(&scope).await.map_err(refused)?;
    Ok(Json(body(&scope, &plan, c).await?))
}

/// Declares a crisis: the crisis cell is called in order. When one is
/// open already, the declaration joins it (200 instead of 201).
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body = NewCrisis,
    responses((status = 201, body = CrisisBody, description = "Declared"),
              (status = 200, body = CrisisBody, description = "Joined the open crisis"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "No title, a severity outside 1–4, or a scenario, process or exercise not in the plan")))]
async fn declare(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    new: Result<Json<NewCrisis>, JsonRejection>,
) -> Result<(StatusCode, Json<CrisisBody>), ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let Json(n) = new.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let plan = active_plan(&state.plans, &scope).await?;
    // 1 and 1.0 are the same integer to JSON Schema.
    let severity = n
        .severity
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (1.0..=4.0).contains(s))
        .map_or(0, |s| s as u8);
    let d = Declaration {
        title: n.title,
        severity,
        scenarios: n.scenarios,
        processes: n.processes,
        exercise: n.exercise,
        significant: n.significant,
        personal_data: n.personal_data,
    };
    let (c, new) = engine::declare(&scope, &plan, &d, &caller.identity())
        .await
        .map_err(refused)?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(body(&scope, &plan, Some(c)).await?)))
}

/// Records `event` on the open crisis and answers with the crisis.
async fn recorded(
    state: &AppState,
    caller: &Caller,
    scope: &TenantScope,
    event: Event,
) -> Result<Json<CrisisBody>, ApiError> {
    let plan = active_plan(&state.plans, scope).await?;
    let (c, _) = engine::record(scope, &plan, &caller.identity(), event)
        .await
        .map_err(refused)?;
    Ok(Json(body(scope, &plan, Some(c)).await?))
}

/// Adds a note, or a decision, to the open crisis.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis/notes", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body = NewNote,
    responses((status = 200, body = CrisisBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No crisis is open"),
              (status = 422, body = ErrorBody, description = "An empty note")))]
async fn add_note(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    note: Result<Json<NewNote>, JsonRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let Json(n) = note.map_err(|e| ApiError::bad_request(e.body_text()))?;
    recorded(
        &state,
        &caller,
        &scope,
        Event::Note {
            text: n.text,
            decision: n.decision,
        },
    )
    .await
}

/// Moves a checklist task: started, done, skipped, or back to do.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis/tasks/{task}", tag = "crisis",
    params(TaskPath),
    request_body = TaskChange,
    responses((status = 200, body = CrisisBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No crisis is open"),
              (status = 422, body = ErrorBody, description = "No such task in the checklist")))]
async fn change_task(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Path<TaskPath>, PathRejection>,
    change: Result<Json<TaskChange>, JsonRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let p = path(params)?;
    let scope = caller.tenant(&p.tenant).await?;
    let Json(c) = change.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let Some(state_) = TaskState::parse(&c.state) else {
        return Err(ApiError::bad_request(format!(
            "`state` \"{}\" is not todo, started, done or skipped",
            c.state
        )));
    };
    recorded(
        &state,
        &caller,
        &scope,
        Event::Task {
            task: p.task,
            state: state_,
            note: c.note,
        },
    )
    .await
}

/// Records a regulatory submission (its reminders stop).
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis/submissions", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body = Submission,
    responses((status = 200, body = CrisisBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No crisis is open"),
              (status = 422, body = ErrorBody, description = "That deadline does not run for this crisis")))]
async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    submission: Result<Json<Submission>, JsonRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let Json(s) = submission.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let Some(clock) = Clock::parse(&s.clock) else {
        return Err(ApiError::bad_request(format!(
            "`clock` \"{}\" is not nis2-early-warning, nis2-notification, nis2-final-report or gdpr",
            s.clock
        )));
    };
    recorded(
        &state,
        &caller,
        &scope,
        Event::Submitted {
            clock,
            reference: s.reference,
        },
    )
    .await
}

/// Closes the open crisis: each affected process's achieved RTO and RPO
/// are measured from the evidence.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis/close", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses((status = 200, body = CrisisBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No crisis is open")))]
async fn close(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let plan = active_plan(&state.plans, &scope).await?;
    let c = engine::close(&scope, &plan, &caller.identity())
        .await
        .map_err(refused)?;
    Ok(Json(body(&scope, &plan, Some(c)).await?))
}
