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

/// A corrective action to track until done.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    /// A short id, e.g. "offsite-copy".
    pub id: String,
    pub title: String,
    /// Contact or team id in charge.
    #[serde(default)]
    pub owner: Option<String>,
    /// Due date.
    #[serde(default)]
    #[schema(format = Date)]
    pub due: Option<String>,
}

/// A process working again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Recovery {
    /// The process's id (one the crisis affects).
    pub process: String,
}

/// An exercise inject sent now.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInject {
    pub text: String,
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
        .routes(routes!(send_message))
        .routes(routes!(recovered))
        .routes(routes!(add_action))
        .routes(routes!(action_done))
        .routes(routes!(add_inject))
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

/// Sends one of the plan's `[[crisis_message]]` templates, filled with
/// the crisis' facts (on the status page too when `public`).
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis/messages/{message}", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id"),
           ("message" = String, Path, description = "The template's id in the plan")),
    responses((status = 200, body = CrisisBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No crisis is open"),
              (status = 422, body = ErrorBody, description = "No such message template in the plan")))]
async fn send_message(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let (tenant, message) = path(params)?;
    let scope = caller.tenant(&tenant).await?;
    let plan = active_plan(&state.plans, &scope).await?;
    let (c, _) = engine::send(&scope, &plan, &message, &caller.identity())
        .await
        .map_err(refused)?;
    Ok(Json(body(&scope, &plan, Some(c)).await?))
}

/// Marks an affected process as working again: its achieved RTO ends there.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis/recovered", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body = Recovery,
    responses((status = 200, body = CrisisBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No crisis is open"),
              (status = 422, body = ErrorBody, description = "Not a process the crisis affects")))]
async fn recovered(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    recovery: Result<Json<Recovery>, JsonRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let Json(r) = recovery.map_err(|e| ApiError::bad_request(e.body_text()))?;
    recorded(
        &state,
        &caller,
        &scope,
        Event::Recovered { process: r.process },
    )
    .await
}

/// Adds a corrective action to the newest crisis (open or closed): it is
/// tracked until done.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis/actions", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body = NewAction,
    responses((status = 200, body = CrisisBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No crisis was ever declared"),
              (status = 422, body = ErrorBody, description = "No title, an id taken, a date that is not one, or an owner not in the plan")))]
async fn add_action(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    action: Result<Json<NewAction>, JsonRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let Json(a) = action.map_err(|e| ApiError::bad_request(e.body_text()))?;
    recorded(
        &state,
        &caller,
        &scope,
        Event::Action {
            id: a.id,
            title: a.title,
            owner: a.owner,
            due: a.due,
        },
    )
    .await
}

/// Marks a corrective action of the newest crisis done.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis/actions/{action}/done", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id"),
           ("action" = String, Path, description = "The action's id")),
    responses((status = 200, body = CrisisBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No crisis was ever declared"),
              (status = 422, body = ErrorBody, description = "No such action")))]
async fn action_done(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let (tenant, action) = path(params)?;
    let scope = caller.tenant(&tenant).await?;
    recorded(&state, &caller, &scope, Event::ActionDone { id: action }).await
}

/// Exercises: sends the cell an event now, marked as an exercise; the
/// cell's reaction to it is timed.
#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/crisis/injects", tag = "crisis",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body = NewInject,
    responses((status = 200, body = CrisisBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "No crisis is open"),
              (status = 422, body = ErrorBody, description = "The crisis is not an exercise, or the text is empty")))]
async fn add_inject(
    State(state): State<AppState>,
    caller: Caller,
    tenant: Result<Path<String>, PathRejection>,
    inject: Result<Json<NewInject>, JsonRejection>,
) -> Result<Json<CrisisBody>, ApiError> {
    let scope = caller.tenant(&path(tenant)?).await?;
    let Json(i) = inject.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let plan = active_plan(&state.plans, &scope).await?;
    let c = engine::inject(&scope, &plan, &i.text, &caller.identity())
        .await
        .map_err(refused)?;
    Ok(Json(body(&scope, &plan, Some(c)).await?))
}
