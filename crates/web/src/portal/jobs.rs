//! A tenant's jobs and drills: what runs when, what ran and how it ended,
//! a "run now" button (the MSP's), a running drill followed step by step
//! (live), and its manual step confirmed from the page (the MSP, or the
//! client's administrator: the person who did the step).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rempart_core::evidence::{EvidenceKind, Outcome};
use rempart_core::plan::StepAction;
use rempart_engine::drill::Unconfirmable;
use rempart_i18n::{Lang, t};
use rempart_store::{EvidenceQuery, Role, RunNow, TenantScope, now_ms};
use serde::Deserialize;

use super::tenant::{ago, human_ms};
use super::{Frame, Person, Tab, html, tabs};
use crate::AppState;

pub(crate) struct JobRow {
    pub kind: String,
    pub kind_code: String,
    pub subject: String,
    pub schedule: String,
    pub next: String,
    pub last: String,
    pub class: &'static str,
    pub error: String,
    pub running: bool,
}

pub(crate) struct StepRow {
    pub index: usize,
    pub name: String,
    pub class: &'static str,
    pub state: String,
    /// A manual step waiting now: what to do, and the confirm form.
    pub waiting: Option<String>,
}

pub(crate) struct DrillNow {
    pub run: String,
    pub heading: String,
    pub steps: Vec<StepRow>,
}

pub(crate) struct DrillRow {
    pub scenario: String,
    pub when: String,
    pub class: &'static str,
    pub result: String,
    pub rto: String,
    pub rpo: String,
}

#[derive(Template)]
#[template(path = "portal/jobs.html")]
struct JobsPage {
    frame: Frame,
    tabs: Vec<Tab>,
    heading: String,
    tenant: String,
    notice: Option<(bool, String)>,
    running_heading: String,
    drills_now: Vec<DrillNow>,
    others_running: Vec<String>,
    nothing_running: String,
    may_confirm: bool,
    confirm: String,
    note_label: String,
    jobs_heading: String,
    col_job: String,
    col_subject: String,
    col_schedule: String,
    col_next: String,
    col_last: String,
    run_now: String,
    may_run: bool,
    jobs: Vec<JobRow>,
    no_job: String,
    drills_heading: String,
    col_scenario: String,
    col_when: String,
    col_result: String,
    drills: Vec<DrillRow>,
    no_drill: String,
}

#[derive(Deserialize)]
pub(super) struct JobsQuery {
    /// What the last form did: `queued`, `running`, `confirmed`, `gone`.
    done: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

/// The MSP runs jobs on its server.
fn may_run(role: Role) -> bool {
    role.is_msp()
}

/// Whoever did a manual step may say so: the MSP or the client's administrator.
fn may_confirm(role: Role) -> bool {
    role != Role::ClientViewer
}

fn kind_word(lang: Lang, kind: &str) -> String {
    t!(lang, "portal-job-kind", kind = kind)
}

/// `GET /t/{tenant}/jobs`.
pub(super) async fn page(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(query): Query<JobsQuery>,
    person: Person,
) -> Response {
    let scope = match person.tenant(&state, &tenant).await {
        Ok(scope) => scope,
        Err(page) => return page,
    };
    let lang = person.lang;
    let now = now_ms();
    let active = rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans).await;
    let zone = person.zone_in(active.as_ref().map(|a| &*a.plan));
    let running = scope.running().await.unwrap_or_else(|e| {
        tracing::error!(tenant, error = %e, "cannot list running jobs for the portal");
        Vec::new()
    });
    let mut drills_now = Vec::new();
    let mut others_running = Vec::new();
    for r in &running {
        let progress = r.progress.as_ref();
        let run = progress.and_then(|p| p["run"].as_str());
        match (r.kind.as_str(), run, &active) {
            ("drill", Some(run), Some(active)) => {
                if let Some(d) = drill_now(lang, &scope, &active.plan, run, progress).await {
                    drills_now.push(d);
                }
            }
            _ => others_running.push(t!(
                lang,
                "portal-job-running",
                kind = kind_word(lang, &r.kind),
                subject = r.subject.as_str(),
                ago = ago(lang, r.started_ms, now)
            )),
        }
    }
    let jobs = scope.jobs().await.unwrap_or_else(|e| {
        tracing::error!(tenant, error = %e, "cannot list jobs for the portal");
        Vec::new()
    });
    let job_rows = jobs
        .iter()
        .map(|j| {
            let is_running = j.lease_until.is_some_and(|until| until >= now);
            let (class, last) = match (j.last_outcome.as_deref(), j.last_run_ms) {
                (Some("success"), Some(at)) => (
                    "compliant",
                    t!(lang, "portal-job-succeeded", ago = ago(lang, at, now)),
                ),
                (Some(_), Some(at)) => (
                    "breached",
                    t!(lang, "portal-job-failed", ago = ago(lang, at, now)),
                ),
                _ => ("none", t!(lang, "portal-job-never")),
            };
            JobRow {
                kind: kind_word(lang, &j.kind),
                kind_code: j.kind.clone(),
                subject: j.subject.clone(),
                schedule: j
                    .schedule
                    .clone()
                    .unwrap_or_else(|| t!(lang, "portal-job-on-demand")),
                next: if is_running {
                    t!(lang, "portal-job-running-now")
                } else {
                    j.due_ms.map_or_else(
                        || t!(lang, "portal-job-on-demand"),
                        |at| super::when(zone, at),
                    )
                },
                last,
                class,
                error: j.last_error.clone().unwrap_or_default(),
                running: is_running,
            }
        })
        .collect();
    // The last year's drills, newest first.
    let records = scope
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::Drill),
            from_ms: Some(now - 366 * 86_400_000),
            ..EvidenceQuery::default()
        })
        .await
        .unwrap_or_default();
    let drills = records
        .iter()
        .rev()
        .take(10)
        .map(|e| {
            let r = &e.record;
            let m = &r.measurements;
            let passed = r.outcome == Outcome::Success;
            let figure = |key: &str| {
                m[key]
                    .as_i64()
                    .map(|ms| human_ms(lang, ms))
                    .unwrap_or_else(|| "—".to_owned())
            };
            DrillRow {
                scenario: r.subject.clone(),
                when: super::when(zone, r.started_ms),
                class: if passed { "compliant" } else { "breached" },
                result: if passed {
                    t!(lang, "portal-drill-result-passed")
                } else {
                    t!(lang, "portal-drill-result-failed")
                },
                rto: figure("rto_ms"),
                rpo: figure("rpo_ms"),
            }
        })
        .collect();
    let notice = query.done.as_deref().and_then(|d| match d {
        "queued" => Some((true, t!(lang, "portal-job-queued"))),
        "running" => Some((false, t!(lang, "portal-job-already-running"))),
        "confirmed" => Some((true, t!(lang, "portal-step-confirmed"))),
        "gone" => Some((false, t!(lang, "portal-step-gone"))),
        _ => None,
    });
    let page = JobsPage {
        frame: person.frame(t!(lang, "portal-jobs-title")).await,
        tabs: tabs(lang, &tenant, "jobs"),
        heading: t!(lang, "portal-jobs-title"),
        notice,
        running_heading: t!(lang, "portal-running"),
        drills_now,
        others_running,
        nothing_running: t!(lang, "portal-nothing-running"),
        may_confirm: may_confirm(person.user.role),
        confirm: t!(lang, "portal-step-confirm"),
        note_label: t!(lang, "portal-step-note"),
        jobs_heading: t!(lang, "portal-jobs"),
        col_job: t!(lang, "portal-col-job"),
        col_subject: t!(lang, "portal-col-subject"),
        col_schedule: t!(lang, "portal-col-schedule"),
        col_next: t!(lang, "portal-col-next"),
        col_last: t!(lang, "portal-col-last"),
        run_now: t!(lang, "portal-run-now"),
        may_run: may_run(person.user.role),
        jobs: job_rows,
        no_job: t!(lang, "portal-no-job"),
        drills_heading: t!(lang, "portal-drills"),
        col_scenario: t!(lang, "portal-col-scenario"),
        col_when: t!(lang, "portal-col-when"),
        col_result: t!(lang, "portal-col-result"),
        drills,
        no_drill: t!(lang, "portal-drill-never"),
        tenant,
    };
    html(StatusCode::OK, &page)
}

/// A running drill, step by step: the steps that ended (their records),
/// the one running (a manual one waiting for a person), those to come.
async fn drill_now(
    lang: Lang,
    scope: &TenantScope,
    plan: &rempart_core::plan::Plan,
    run: &str,
    progress: Option<&serde_json::Value>,
) -> Option<DrillNow> {
    let scenario_id = progress?.get("scenario")?.as_str()?;
    let scenario = plan
        .scenarios
        .iter()
        .find(|s| s.id.as_str() == scenario_id)?;
    let current = progress?
        .get("step")
        .and_then(serde_json::Value::as_u64)
        .and_then(|s| usize::try_from(s).ok())
        .unwrap_or(0);
    let ended = scope
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::DrillStep),
            subject: Some(run.to_owned()),
            ..EvidenceQuery::default()
        })
        .await
        .unwrap_or_default();
    let steps = scenario
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let index = i + 1;
            let record = ended
                .iter()
                .find(|e| e.record.measurements["index"].as_u64() == Some(index as u64));
            let (class, state, waiting) = match record {
                Some(e) => {
                    let took = e.record.measurements["duration_ms"]
                        .as_i64()
                        .map(|ms| human_ms(lang, ms))
                        .unwrap_or_default();
                    if e.record.outcome == Outcome::Success {
                        (
                            "compliant",
                            t!(lang, "portal-step-done", duration = took),
                            None,
                        )
                    } else {
                        (
                            "breached",
                            t!(lang, "portal-step-failed", duration = took),
                            None,
                        )
                    }
                }
                None if index == current => match &step.action {
                    StepAction::Manual(m) => {
                        let what = match &m.who {
                            Some(who) => t!(
                                lang,
                                "portal-step-manual-who",
                                what = m.manual.as_str(),
                                who = who.as_str()
                            ),
                            None => m.manual.clone(),
                        };
                        ("at-risk", t!(lang, "portal-step-waiting"), Some(what))
                    }
                    _ => ("at-risk", t!(lang, "portal-step-running"), None),
                },
                None => ("none", t!(lang, "portal-step-pending"), None),
            };
            StepRow {
                index,
                name: step.name.clone(),
                class,
                state,
                waiting,
            }
        })
        .collect();
    Some(DrillNow {
        run: run.to_owned(),
        heading: t!(
            lang,
            "portal-drill-now",
            scenario = scenario.name.as_str(),
            run = run
        ),
        steps,
    })
}

/// `POST /t/{tenant}/jobs/{kind}/{subject}/run`: the MSP runs a job now.
pub(super) async fn run_now(
    State(state): State<AppState>,
    Path((tenant, kind, subject)): Path<(String, String, String)>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<super::CsrfForm>,
) -> Response {
    let scope = match person
        .posted_by(&state, &headers, &form.csrf, &tenant, may_run)
        .await
    {
        Ok(scope) => scope,
        Err(refused) => return refused,
    };
    let done = match scope.run_now(&kind, &subject, now_ms()).await {
        Ok(RunNow::Scheduled) => "queued",
        Ok(RunNow::AlreadyRunning) => "running",
        Ok(RunNow::NoSuchJob) => {
            return super::not_found(person.lang, &person.session, &person.user).await;
        }
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot run a job from the portal");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    tracing::info!(
        tenant,
        kind,
        subject,
        "job asked to run now from the portal"
    );
    Redirect::to(&format!("/t/{tenant}/jobs?done={done}")).into_response()
}

/// `POST /t/{tenant}/drills/{run}/steps/{step}/confirm`: a person says a
/// running drill's manual step is done; recorded as `confirmation`
/// evidence in their name.
pub(super) async fn confirm(
    State(state): State<AppState>,
    Path((tenant, run, step)): Path<(String, String, u64)>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let scope = match person
        .posted_by(&state, &headers, &form.csrf, &tenant, may_confirm)
        .await
    {
        Ok(scope) => scope,
        Err(refused) => return refused,
    };
    let Some(active) =
        rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans).await
    else {
        return Redirect::to(&format!("/t/{tenant}/jobs?done=gone")).into_response();
    };
    match rempart_engine::drill::confirmable(&scope, &active.plan, &run, step, now_ms()).await {
        Ok(Ok(())) => {}
        Ok(Err(Unconfirmable::NotFound(_) | Unconfirmable::Conflict(_))) => {
            return Redirect::to(&format!("/t/{tenant}/jobs?done=gone")).into_response();
        }
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot check a drill step for the portal");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    let by = format!("portal:{}", person.user.email);
    let note = form.note.trim();
    let record =
        rempart_engine::drill::confirmation(&run, step, &by, (!note.is_empty()).then_some(note));
    if let Err(e) = scope.append(record).await {
        tracing::error!(tenant, error = %e, "cannot record a confirmation from the portal");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    Redirect::to(&format!("/t/{tenant}/jobs?done=confirmed")).into_response()
}
