//! A tenant's crisis page, built for a phone: with no crisis open, the
//! declaration form and the past crises; with one open, the cell (who
//! was reached, who answered, who is missing), the regulatory deadlines
//! as countdowns, the checklist with its buttons, notes and decisions,
//! the message templates, the corrective actions, the timeline, and the
//! closing. Every button is a crisis record (`portal:<e-mail>`), through
//! `rempart_engine::crisis` like the CLI and the API.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rempart_core::crisis::{Clock, Crisis, Event, TaskState};
use rempart_core::plan::Plan;
use rempart_engine::crisis::{self as engine, Declaration, Refused};
use rempart_i18n::{Lang, t};
use rempart_store::{Role, TenantScope, now_ms};
use serde::Deserialize;
use tokio::sync::watch;

use super::{Frame, Person, Tab, html, tabs, when};
use crate::AppState;

/// Who may declare and steer a crisis: the MSP and the client's administrator.
fn may_steer(role: Role) -> bool {
    role != Role::ClientViewer
}

/// Who may make the server run a checklist step: the MSP only.
fn may_run(role: Role) -> bool {
    matches!(role, Role::MspAdmin | Role::MspOperator)
}

pub(crate) struct RoleRow {
    pub role: String,
    pub who: String,
    pub phone: Option<String>,
    pub state: String,
    /// compliant, at-risk, breached, none.
    pub tone: &'static str,
    pub tried: String,
}

pub(crate) struct ClockRow {
    pub name: String,
    pub key: &'static str,
    pub deadline: String,
    pub state: String,
    pub tone: &'static str,
    pub open: bool,
}

pub(crate) struct TaskRow {
    pub key: String,
    pub title: String,
    pub owner: String,
    pub within: String,
    pub state: String,
    pub tone: &'static str,
    pub note: String,
    pub runnable: bool,
}

pub(crate) struct LineRow {
    pub seq: i64,
    pub at: String,
    pub text: String,
    pub by: String,
    pub decision: bool,
}

pub(crate) struct Choice {
    pub id: String,
    pub name: String,
    /// Ticked when the page opens (a proposed crisis' process).
    pub checked: bool,
}

pub(crate) struct ActionRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub done: Option<String>,
}

pub(crate) struct PastRow {
    pub id: String,
    pub title: String,
    pub declared: String,
    pub state: String,
}

/// The page's words.
pub(crate) struct Words {
    pub declare_heading: String,
    pub declare_intro: String,
    pub title_label: String,
    pub severity_label: String,
    pub severities: Vec<(u8, String)>,
    pub processes_label: String,
    pub scenarios_label: String,
    pub exercise_label: String,
    pub no_exercise: String,
    pub adhoc: String,
    pub significant_label: String,
    pub personal_label: String,
    pub declare_button: String,
    pub past_heading: String,
    pub none_past: String,
    pub cell_heading: String,
    pub clocks_heading: String,
    pub submit_button: String,
    pub reference_label: String,
    pub checklist_heading: String,
    pub start: String,
    pub done: String,
    pub skip: String,
    pub run: String,
    pub notes_heading: String,
    pub note_label: String,
    pub decision_label: String,
    pub note_button: String,
    pub messages_heading: String,
    pub send: String,
    pub actions_heading: String,
    pub action_id: String,
    pub action_title: String,
    pub action_owner: String,
    pub action_due: String,
    pub action_add: String,
    pub action_done: String,
    pub timeline_heading: String,
    pub recovered_label: String,
    pub recovered_button: String,
    pub close_heading: String,
    pub inject_heading: String,
    pub report_pdf: String,
    pub inject_button: String,
    pub close_intro: String,
    pub close_button: String,
    pub answer_for: String,
    pub answer_yes: String,
    pub answer_no: String,
}

#[derive(Template)]
#[template(path = "portal/crisis.html")]
struct CrisisPage {
    frame: Frame,
    tabs: Vec<Tab>,
    heading: String,
    tenant: String,
    notice: Option<(bool, String)>,
    w: Words,
    may_steer: bool,
    may_run: bool,
    /// The open crisis' banner, or none.
    open: Option<String>,
    exercise: bool,
    declared: String,
    roles: Vec<RoleRow>,
    clocks: Vec<ClockRow>,
    tasks: Vec<TaskRow>,
    messages: Vec<Choice>,
    processes: Vec<Choice>,
    affected: Vec<Choice>,
    scenarios: Vec<Choice>,
    exercises: Vec<Choice>,
    actions: Vec<ActionRow>,
    lines: Vec<LineRow>,
    past: Vec<PastRow>,
    /// The contacts called, for answers taken by phone.
    called: Vec<Choice>,
    /// The plan's contacts and teams, for an action's owner.
    people: Vec<Choice>,
    /// The crises Rempart proposes (an outage past half a vital RTO).
    proposed: Vec<String>,
    /// The declaration's title, filled in for a proposal.
    title: String,
}

impl CrisisPage {
    /// The page with nothing but its frame and `notice`.
    async fn empty(
        person: &Person,
        scope: &TenantScope,
        lang: Lang,
        notice: Option<(bool, String)>,
    ) -> CrisisPage {
        let tenant = scope.id().to_owned();
        CrisisPage {
            frame: person.frame(t!(lang, "portal-crisis-title")).await,
            tabs: tabs(lang, &tenant, "crisis"),
            heading: t!(lang, "portal-crisis-title"),
            tenant,
            notice,
            w: words(lang),
            may_steer: false,
            may_run: false,
            open: None,
            exercise: false,
            declared: String::new(),
            roles: Vec::new(),
            clocks: Vec::new(),
            tasks: Vec::new(),
            messages: Vec::new(),
            processes: Vec::new(),
            affected: Vec::new(),
            scenarios: Vec::new(),
            exercises: Vec::new(),
            actions: Vec::new(),
            lines: Vec::new(),
            past: Vec::new(),
            called: Vec::new(),
            people: Vec::new(),
            proposed: Vec::new(),
            title: String::new(),
        }
    }
}

fn words(lang: Lang) -> Words {
    Words {
        declare_heading: t!(lang, "portal-crisis-declare-heading"),
        declare_intro: t!(lang, "portal-crisis-declare-intro"),
        title_label: t!(lang, "portal-crisis-title-label"),
        severity_label: t!(lang, "portal-crisis-severity"),
        severities: (1..=4u8)
            .map(|s| (s, t!(lang, "portal-crisis-severity-level", level = s)))
            .collect(),
        processes_label: t!(lang, "portal-crisis-processes"),
        scenarios_label: t!(lang, "portal-crisis-scenarios"),
        exercise_label: t!(lang, "portal-crisis-exercise"),
        no_exercise: t!(lang, "portal-crisis-no-exercise"),
        adhoc: t!(lang, "portal-crisis-adhoc"),
        significant_label: t!(lang, "portal-crisis-significant"),
        personal_label: t!(lang, "portal-crisis-personal"),
        declare_button: t!(lang, "portal-crisis-declare"),
        past_heading: t!(lang, "portal-crisis-past"),
        none_past: t!(lang, "crisis-cli-none-ever"),
        cell_heading: t!(lang, "crisis-cli-cell"),
        clocks_heading: t!(lang, "crisis-cli-clocks"),
        submit_button: t!(lang, "portal-crisis-submitted"),
        reference_label: t!(lang, "portal-crisis-reference"),
        checklist_heading: t!(lang, "crisis-cli-checklist"),
        start: t!(lang, "portal-crisis-start"),
        done: t!(lang, "portal-crisis-done"),
        skip: t!(lang, "portal-crisis-skip"),
        run: t!(lang, "portal-crisis-run"),
        notes_heading: t!(lang, "portal-crisis-notes"),
        note_label: t!(lang, "portal-crisis-note-label"),
        decision_label: t!(lang, "portal-crisis-decision"),
        note_button: t!(lang, "portal-crisis-note-button"),
        messages_heading: t!(lang, "portal-crisis-messages"),
        send: t!(lang, "portal-crisis-send"),
        actions_heading: t!(lang, "crisis-cli-actions"),
        action_id: t!(lang, "portal-crisis-action-id"),
        action_title: t!(lang, "crisis-col-title"),
        action_owner: t!(lang, "crisis-col-owner"),
        action_due: t!(lang, "portal-crisis-action-due"),
        action_add: t!(lang, "portal-crisis-action-add"),
        action_done: t!(lang, "portal-crisis-action-done"),
        timeline_heading: t!(lang, "portal-crisis-timeline"),
        recovered_label: t!(lang, "portal-crisis-recovered-label"),
        recovered_button: t!(lang, "portal-crisis-recovered"),
        close_heading: t!(lang, "portal-crisis-close-heading"),
        inject_heading: t!(lang, "portal-crisis-inject-heading"),
        report_pdf: t!(lang, "portal-crisis-report"),
        inject_button: t!(lang, "portal-crisis-inject"),
        close_intro: t!(lang, "portal-crisis-close-intro"),
        close_button: t!(lang, "portal-crisis-close"),
        answer_for: t!(lang, "portal-crisis-answer-for"),
        answer_yes: t!(lang, "answer-yes"),
        answer_no: t!(lang, "answer-no"),
    }
}

fn human(ms: i64) -> String {
    rempart_core::assessment::human(ms)
}

/// A span for a countdown: to the second under a minute, to the minute
/// after.
fn coarse(ms: i64) -> String {
    if ms < 60_000 {
        human(ms - ms % 1_000)
    } else {
        human(ms - ms % 60_000)
    }
}

fn by_of(by: &str) -> String {
    by.strip_prefix("portal:")
        .or_else(|| by.strip_prefix("cli:"))
        .unwrap_or(by)
        .to_owned()
}

#[allow(clippy::too_many_lines)]
async fn render(
    state: &AppState,
    person: &Person,
    scope: &TenantScope,
    status: StatusCode,
    notice: Option<(bool, String)>,
) -> Response {
    let lang = person.lang;
    let tenant = scope.id().to_owned();
    let now = now_ms();
    let plan = rempart_engine::active_plan(scope, std::path::Path::new("."), &state.plans)
        .await
        .map(|a| a.plan);
    let Some(plan) = plan else {
        // No plan yet: no cell to call, nothing to declare against.
        let notice = Some((false, t!(lang, "portal-tenant-no-plan")));
        let page = CrisisPage::empty(person, scope, lang, notice).await;
        return html(status, &page);
    };
    let zone = person.zone_in(Some(&plan));
    let at = |ms: i64| when(zone, ms);
    let current = match engine::current(scope).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(tenant, "cannot read the crisis for the portal: {e}");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let name = scope
        .info()
        .await
        .map_or_else(|_| tenant.clone(), |t| t.name);
    let choices = |items: Vec<(String, String)>| {
        items
            .into_iter()
            .map(|(id, name)| Choice {
                id,
                name,
                checked: false,
            })
            .collect::<Vec<_>>()
    };
    let processes = choices(
        plan.processes
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
    );
    let scenarios = choices(
        plan.scenarios
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect(),
    );
    let exercises = choices(
        plan.exercises
            .iter()
            .map(|x| (x.id.to_string(), x.title.clone()))
            .collect(),
    );
    let mut page = CrisisPage {
        frame: person
            .frame(format!("{} — {name}", t!(lang, "portal-crisis-title")))
            .await,
        tabs: tabs(lang, &tenant, "crisis"),
        heading: t!(lang, "portal-crisis-title"),
        tenant,
        notice,
        w: words(lang),
        may_steer: may_steer(person.user.role),
        may_run: may_run(person.user.role),
        open: None,
        exercise: false,
        declared: String::new(),
        roles: Vec::new(),
        clocks: Vec::new(),
        tasks: Vec::new(),
        messages: Vec::new(),
        processes,
        affected: Vec::new(),
        scenarios,
        exercises,
        actions: Vec::new(),
        lines: Vec::new(),
        past: Vec::new(),
        called: Vec::new(),
        people: choices(
            plan.contacts
                .iter()
                .map(|c| (c.id.to_string(), c.name.clone()))
                .chain(
                    plan.teams
                        .iter()
                        .map(|t| (t.id.to_string(), t.name.clone())),
                )
                .collect(),
        ),
        proposed: Vec::new(),
        title: String::new(),
    };
    match current {
        Some(c) => fill_open(scope, &plan, &c, &mut page, lang, zone, now).await,
        None => {
            let proposals = engine::proposals(scope, &plan, now)
                .await
                .unwrap_or_default();
            for p in &proposals {
                let name = plan
                    .processes
                    .iter()
                    .find(|x| x.id.as_str() == p.process)
                    .map_or_else(|| p.process.clone(), |x| x.name.clone());
                page.proposed.push(t!(
                    lang,
                    "portal-crisis-proposed",
                    process = name.as_str(),
                    since = at(p.since_ms),
                    rto = human(p.rto_ms)
                ));
                if page.title.is_empty() {
                    page.title = t!(lang, "portal-crisis-proposed-title", process = name);
                }
                if let Some(c) = page.processes.iter_mut().find(|c| c.id == p.process) {
                    c.checked = true;
                }
            }
            let rows = scope.crises(20).await.unwrap_or_default();
            // The newest crisis' corrective actions stay tracked until done.
            if let Some(newest) = rows.first()
                && let Ok(Some(c)) = engine::load(scope, &newest.id).await
            {
                for a in c.actions.iter().filter(|a| a.done_ms.is_none()) {
                    page.actions.push(ActionRow {
                        id: a.id.clone(),
                        title: a.title.clone(),
                        owner: a
                            .owner
                            .as_deref()
                            .map_or_else(String::new, |o| engine::contact_name(&plan, o)),
                        due: a.due.clone().unwrap_or_default(),
                        done: None,
                    });
                }
            }
            for r in rows {
                if let Ok(Some(c)) = engine::load(scope, &r.id).await {
                    page.past.push(PastRow {
                        id: c.id.clone(),
                        title: c.marked_title(engine::EXERCISE_MARK),
                        declared: at(c.declared_ms),
                        state: c.closed_ms.map_or_else(
                            || t!(lang, "crisis-status-open"),
                            |ms| {
                                t!(
                                    lang,
                                    "portal-crisis-lasted",
                                    lasted = human(ms - c.declared_ms)
                                )
                            },
                        ),
                    });
                }
            }
        }
    }
    html(status, &page)
}

async fn fill_open(
    scope: &TenantScope,
    plan: &Plan,
    c: &Crisis,
    page: &mut CrisisPage,
    lang: Lang,
    zone: chrono_tz::Tz,
    now: i64,
) {
    let at = |ms: i64| when(zone, ms);
    page.exercise = c.is_exercise();
    page.open = Some(t!(
        lang,
        "crisis-cli-heading",
        exercise = if c.is_exercise() { "yes" } else { "no" },
        id = c.id.as_str(),
        title = c.title.as_str(),
        severity = c.severity
    ));
    let facts = engine::facts(plan, c, lang);
    page.messages = plan
        .crisis_messages
        .iter()
        .map(|m| Choice {
            checked: false,
            id: m.id.to_string(),
            name: format!(
                "{} — {}",
                t!(
                    lang,
                    "portal-crisis-audience",
                    audience = m.audience.as_str()
                ),
                rempart_core::crisis::fill(&m.subject, &facts)
            ),
        })
        .collect();
    page.declared = t!(
        lang,
        "portal-crisis-declared",
        at = at(c.declared_ms),
        lasted = coarse(now - c.declared_ms),
        by = by_of(&c.declared_by),
        seq = c.declared_seq
    );
    for (id, role) in engine::roles(plan) {
        let r = c.roles.iter().find(|r| r.role == id);
        let state = r.map_or("not-called", engine::role_state);
        let holder = r
            .and_then(|r| r.holder.clone())
            .unwrap_or_else(|| id.clone());
        let contact = plan.contacts.iter().find(|x| x.id.as_str() == holder);
        page.roles.push(RoleRow {
            role: if role.is_empty() {
                engine::contact_name(plan, &id)
            } else {
                role
            },
            who: engine::contact_name(plan, &holder),
            phone: contact.and_then(|x| x.phone.clone()),
            state: t!(lang, "crisis-role-state", state = state),
            tone: match state {
                "on-it" => "compliant",
                "missing" | "cannot" => "breached",
                _ => "at-risk",
            },
            tried: r
                .filter(|r| r.tried.len() > 1)
                .map(|r| {
                    r.tried[..r.tried.len() - 1]
                        .iter()
                        .map(|x| engine::contact_name(plan, x))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        });
        if let Some(r) = r
            && let Some(h) = &r.holder
            && r.available.is_none()
            && !page.called.iter().any(|x| x.id == *h)
        {
            page.called.push(Choice {
                id: h.clone(),
                name: engine::contact_name(plan, h),
                checked: false,
            });
        }
    }
    for k in engine::clocks(c, now) {
        let name = t!(lang, "crisis-clock", clock = k.clock.as_str());
        let (state, tone) = match k.submitted_ms {
            Some(ms) => (
                t!(lang, "portal-crisis-clock-submitted", at = at(ms)),
                "compliant",
            ),
            None if k.overdue => (
                t!(
                    lang,
                    "portal-crisis-clock-overdue",
                    late = coarse(now - k.deadline_ms)
                ),
                "breached",
            ),
            None => (
                t!(
                    lang,
                    "portal-crisis-clock-left",
                    left = coarse(k.deadline_ms - now)
                ),
                "at-risk",
            ),
        };
        page.clocks.push(ClockRow {
            name,
            key: k.clock.as_str(),
            deadline: at(k.deadline_ms),
            state,
            tone,
            open: k.submitted_ms.is_none(),
        });
    }
    let list = engine::checklist(scope, plan, c).await.unwrap_or_default();
    for task in &list {
        let p = c.task(&task.key);
        let state = p.map_or(TaskState::Todo, |p| p.state);
        let mut text = t!(lang, "crisis-task-state", state = state.as_str());
        if let Some((passed, ms, seq)) = p.and_then(|p| p.run) {
            text = format!(
                "{text} · {}",
                t!(
                    lang,
                    "crisis-task-ran",
                    passed = if passed { "yes" } else { "no" },
                    duration = human(ms),
                    seq = seq
                )
            );
        }
        page.tasks.push(TaskRow {
            key: task.key.clone(),
            title: task.title.clone(),
            owner: task
                .owner
                .as_deref()
                .map_or_else(String::new, |o| engine::contact_name(plan, o)),
            within: task.within_ms.map_or_else(String::new, human),
            state: text,
            tone: match state {
                TaskState::Done => "compliant",
                TaskState::Started => "at-risk",
                TaskState::Skipped | TaskState::Todo => "none",
            },
            note: p.and_then(|p| p.note.clone()).unwrap_or_default(),
            runnable: task.runnable,
        });
    }
    page.affected = c
        .processes
        .iter()
        .filter(|p| !c.recovered.iter().any(|(q, _)| q == *p))
        .map(|p| Choice {
            checked: false,
            id: p.clone(),
            name: plan
                .processes
                .iter()
                .find(|x| x.id.as_str() == p)
                .map_or_else(|| p.clone(), |x| x.name.clone()),
        })
        .collect();
    for a in &c.actions {
        page.actions.push(ActionRow {
            id: a.id.clone(),
            title: a.title.clone(),
            owner: a
                .owner
                .as_deref()
                .map_or_else(String::new, |o| engine::contact_name(plan, o)),
            due: a.due.clone().unwrap_or_default(),
            done: a.done_ms.map(at),
        });
    }
    let timeline = engine::timeline(scope, c).await.unwrap_or_default();
    for e in timeline.iter().rev() {
        let m = &e.record.measurements;
        page.lines.push(LineRow {
            seq: e.seq,
            at: at(e.record.finished_ms),
            text: e.record.told(lang),
            by: m["by"].as_str().map(by_of).unwrap_or_default(),
            decision: m["event"] == "note" && m["decision"] == true,
        });
    }
}

#[derive(Deserialize, Default)]
pub(super) struct Done {
    #[serde(default)]
    done: String,
}

/// `GET /t/{tenant}/crisis`.
pub(super) async fn page(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(done): Query<Done>,
    person: Person,
) -> Response {
    let scope = match person.tenant(&state, &tenant).await {
        Ok(scope) => scope,
        Err(page) => return page,
    };
    let notice = (!done.done.is_empty()).then(|| (true, t!(person.lang, "portal-crisis-recorded")));
    render(&state, &person, &scope, StatusCode::OK, notice).await
}

/// The form's fields, by name (a name may repeat: checkboxes).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn opt(&self, name: &str) -> Option<String> {
        Some(self.one(name)).filter(|v| !v.is_empty())
    }

    fn ticked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// `POST /t/{tenant}/crisis`: declares (joins the open crisis if any).
pub(super) async fn declare(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    person: Person,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(fields);
    let scope = match person
        .posted_by(&state, &headers, &f.one("csrf"), &tenant, may_steer)
        .await
    {
        Ok(scope) => scope,
        Err(refused) => return refused,
    };
    let Some(plan) = rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans)
        .await
        .map(|a| a.plan)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let d = Declaration {
        title: f.one("title"),
        severity: f.one("severity").parse().unwrap_or(0),
        scenarios: f.all("scenario"),
        processes: f.all("process"),
        exercise: f.opt("exercise"),
        significant: f.ticked("significant"),
        personal_data: f.ticked("personal_data"),
    };
    let by = format!("portal:{}", person.user.email);
    match engine::declare(&scope, &plan, &d, &by).await {
        Ok(_) => Redirect::to(&format!("/t/{tenant}/crisis?done=declared")).into_response(),
        Err(e) => refusal(&state, &person, &scope, &tenant, e).await,
    }
}

async fn refusal(
    state: &AppState,
    person: &Person,
    scope: &TenantScope,
    tenant: &str,
    e: Refused,
) -> Response {
    match e {
        Refused::Failed(why) => {
            tracing::error!(tenant, "crisis: {why}");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        Refused::Invalid(why) | Refused::NoCrisis(why) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(state, person, scope, status, Some((false, why))).await
        }
    }
}

/// `POST /t/{tenant}/crisis/act`: one change to the open crisis, named
/// by the `do` field: note, task, submit, send, recovered, action,
/// action-done, answer, run, close.
pub(super) async fn act(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    person: Person,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(fields);
    let what = f.one("do");
    let may: fn(Role) -> bool = if what == "run" { may_run } else { may_steer };
    let scope = match person
        .posted_by(&state, &headers, &f.one("csrf"), &tenant, may)
        .await
    {
        Ok(scope) => scope,
        Err(refused) => return refused,
    };
    let Some(active) = rempart_engine::active_plan(&scope, &state.data_dir, &state.plans).await
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let plan = Arc::clone(&active.plan);
    let by = format!("portal:{}", person.user.email);
    let event = match what.as_str() {
        "note" => Event::Note {
            text: f.one("text"),
            decision: f.ticked("decision"),
        },
        "task" => {
            let Some(state_) = TaskState::parse(&f.one("state")) else {
                return StatusCode::BAD_REQUEST.into_response();
            };
            Event::Task {
                task: f.one("task"),
                state: state_,
                note: f.opt("note"),
            }
        }
        "submit" => {
            let Some(clock) = Clock::parse(&f.one("clock")) else {
                return StatusCode::BAD_REQUEST.into_response();
            };
            Event::Submitted {
                clock,
                reference: f.opt("reference"),
            }
        }
        "recovered" => Event::Recovered {
            process: f.one("process"),
        },
        "action" => Event::Action {
            id: f.one("id"),
            title: f.one("title"),
            owner: f.opt("owner"),
            due: f.opt("due"),
        },
        "action-done" => Event::ActionDone { id: f.one("id") },
        "send" => {
            return match engine::send(&scope, &plan, &f.one("message"), &by).await {
                Ok(_) => done(&tenant),
                Err(e) => refusal(&state, &person, &scope, &tenant, e).await,
            };
        }
        "answer" => {
            let result = match engine::open(&scope).await {
                Ok(c) => {
                    engine::answer(
                        &scope,
                        &plan,
                        &c.id,
                        &f.one("contact"),
                        f.one("answer") == "yes",
                        &by,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            return match result {
                Ok(_) => done(&tenant),
                Err(e) => refusal(&state, &person, &scope, &tenant, e).await,
            };
        }
        "run" => {
            let env = match active.resolver(&scope).await {
                Ok(env) => env,
                Err(why) => {
                    let notice = Some((false, why));
                    let status = StatusCode::UNPROCESSABLE_ENTITY;
                    return render(&state, &person, &scope, status, notice).await;
                }
            };
            let (_stop, cancel) = watch::channel(false);
            let d = rempart_engine::drill::Drill {
                tenant: &scope,
                plan: Arc::clone(&plan),
                env,
                data_dir: state.data_dir.clone(),
                cancel,
                job_run: None,
                report: None,
                lang: person.lang,
            };
            return match engine::run_task(&d, &f.one("task"), &by).await {
                Ok(_) => done(&tenant),
                Err(e) => refusal(&state, &person, &scope, &tenant, e).await,
            };
        }
        "inject" => {
            return match engine::inject(&scope, &plan, &f.one("text"), &by).await {
                Ok(_) => done(&tenant),
                Err(e) => refusal(&state, &person, &scope, &tenant, e).await,
            };
        }
        "close" => {
            return match engine::close(&scope, &plan, &by).await {
                Ok(_) => done(&tenant),
                Err(e) => refusal(&state, &person, &scope, &tenant, e).await,
            };
        }
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    match engine::record(&scope, &plan, &by, event).await {
        Ok(_) => done(&tenant),
        Err(e) => refusal(&state, &person, &scope, &tenant, e).await,
    }
}

fn done(tenant: &str) -> Response {
    Redirect::to(&format!("/t/{tenant}/crisis?done=1")).into_response()
}
