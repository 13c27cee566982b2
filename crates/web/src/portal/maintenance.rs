//! A tenant's one-off maintenance windows: those not over yet, added and
//! removed by the client's administrator or the MSP (recurring windows
//! live in the plan). During a window the monitors it covers raise no
//! alert and their checks are counted apart from the SLA.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::TimeZone;
use rempart_i18n::{Lang, t};
use rempart_store::{Role, TenantScope, now_ms};
use serde::Deserialize;

use super::{Frame, Person, Tab, html, tabs};
use crate::AppState;

/// Longest reason kept (characters).
const REASON_MAX: usize = 500;

pub(crate) struct WindowRow {
    pub id: i64,
    pub when: String,
    pub monitors: String,
    pub reason: String,
    pub by: String,
    /// Under way now.
    pub current: bool,
}

pub(crate) struct MonitorChoice {
    pub id: String,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "portal/maintenance.html")]
struct MaintenancePage {
    frame: Frame,
    tabs: Vec<Tab>,
    heading: String,
    tenant: String,
    intro: String,
    notice: Option<(bool, String)>,
    windows: Vec<WindowRow>,
    none: String,
    col_when: String,
    col_monitors: String,
    col_reason: String,
    col_by: String,
    now_label: String,
    may_edit: bool,
    remove_label: String,
    add_heading: String,
    start_label: String,
    end_label: String,
    zone_hint: String,
    monitors_label: String,
    all_hint: String,
    reason_label: String,
    add_label: String,
    choices: Vec<MonitorChoice>,
    start: String,
    end: String,
    reason: String,
}

/// Who may add and remove windows: the MSP and the client's administrator.
fn may_edit(role: Role) -> bool {
    role != Role::ClientViewer
}

#[derive(Deserialize, Default)]
pub(super) struct Done {
    #[serde(default)]
    done: String,
}

/// What the person typed, given back with a problem.
#[derive(Default)]
struct Typed {
    start: String,
    end: String,
    reason: String,
    monitors: Vec<String>,
}

/// `2026-12-05 08:00 → 10:00 (+01:00)`, the end's date written when it differs.
fn span(zone: chrono_tz::Tz, start: i64, end: i64) -> String {
    let at = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&zone)
    };
    let (s, e) = (at(start), at(end));
    let end_text = if s.date_naive() == e.date_naive() {
        e.format("%H:%M").to_string()
    } else {
        e.format("%Y-%m-%d %H:%M").to_string()
    };
    format!(
        "{} → {end_text} ({})",
        s.format("%Y-%m-%d %H:%M"),
        s.format("%:z")
    )
}

async fn render(
    state: &AppState,
    person: &Person,
    scope: &TenantScope,
    status: StatusCode,
    notice: Option<(bool, String)>,
    typed: Typed,
) -> Response {
    let lang = person.lang;
    let tenant = scope.id().to_owned();
    let now = now_ms();
    let plan = rempart_engine::active_plan(scope, std::path::Path::new("."), &state.plans)
        .await
        .map(|a| a.plan);
    let zone = person.zone_in(plan.as_deref());
    let name_of = |id: &str| {
        plan.as_ref()
            .and_then(|p| p.monitors.iter().find(|m| m.id.as_str() == id))
            .and_then(|m| m.name.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let windows = scope.maintenance_windows(now).await.unwrap_or_else(|e| {
        tracing::error!(tenant, error = %e, "cannot list maintenance windows for the portal");
        Vec::new()
    });
    let windows = windows
        .into_iter()
        .map(|w| WindowRow {
            id: w.id,
            when: span(zone, w.start_ms, w.end_ms),
            monitors: if w.monitors.is_empty() {
                t!(lang, "portal-maintenance-all")
            } else {
                w.monitors
                    .iter()
                    .map(|m| name_of(m))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            reason: w.reason,
            by: w
                .created_by
                .strip_prefix("portal:")
                .unwrap_or(&w.created_by)
                .to_owned(),
            current: w.start_ms <= now,
        })
        .collect();
    let choices = plan
        .as_ref()
        .map(|p| {
            p.monitors
                .iter()
                .map(|m| MonitorChoice {
                    id: m.id.to_string(),
                    name: m.name.clone().unwrap_or_else(|| m.id.to_string()),
                    checked: typed.monitors.iter().any(|t| t == m.id.as_str()),
                })
                .collect()
        })
        .unwrap_or_default();
    let name = scope
        .info()
        .await
        .map_or_else(|_| tenant.clone(), |t| t.name);
    let page = MaintenancePage {
        frame: person
            .frame(format!("{} — {name}", t!(lang, "portal-maintenance-title")))
            .await,
        tabs: tabs(lang, &tenant, "maintenance"),
        heading: t!(lang, "portal-maintenance-title"),
        tenant,
        intro: t!(lang, "portal-maintenance-intro"),
        notice,
        windows,
        none: t!(lang, "portal-maintenance-none"),
        col_when: t!(lang, "portal-maintenance-when"),
        col_monitors: t!(lang, "portal-monitors"),
        col_reason: t!(lang, "portal-maintenance-reason"),
        col_by: t!(lang, "portal-maintenance-by"),
        now_label: t!(lang, "portal-maintenance-now"),
        may_edit: may_edit(person.user.role),
        remove_label: t!(lang, "portal-maintenance-remove"),
        add_heading: t!(lang, "portal-maintenance-add-heading"),
        start_label: t!(lang, "portal-maintenance-start"),
        end_label: t!(lang, "portal-maintenance-end"),
        zone_hint: t!(lang, "portal-maintenance-zone", zone = zone.name()),
        monitors_label: t!(lang, "portal-monitors"),
        all_hint: t!(lang, "portal-maintenance-all-hint"),
        reason_label: t!(lang, "portal-maintenance-reason"),
        add_label: t!(lang, "portal-maintenance-add"),
        choices,
        start: typed.start,
        end: typed.end,
        reason: typed.reason,
    };
    html(status, &page)
}

/// `GET /t/{tenant}/maintenance`.
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
    let lang = person.lang;
    let notice = match done.done.as_str() {
        "added" => Some((true, t!(lang, "portal-maintenance-added"))),
        "removed" => Some((true, t!(lang, "portal-maintenance-removed"))),
        _ => None,
    };
    render(
        &state,
        &person,
        &scope,
        StatusCode::OK,
        notice,
        Typed::default(),
    )
    .await
}

/// A `datetime-local` value (`2026-12-05T08:00`) in `zone`.
fn local_time(zone: chrono_tz::Tz, text: &str) -> Option<i64> {
    let naive = chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.timestamp_millis())
}

/// Why a new window is refused, in the person's language.
fn check(
    lang: Lang,
    zone: chrono_tz::Tz,
    typed: &Typed,
    now: i64,
    plan: Option<&rempart_core::plan::Plan>,
) -> Result<(i64, i64), String> {
    let start = local_time(zone, &typed.start).ok_or_else(|| {
        t!(
            lang,
            "portal-maintenance-bad-time",
            field = t!(lang, "portal-maintenance-start")
        )
    })?;
    let end = local_time(zone, &typed.end).ok_or_else(|| {
        t!(
            lang,
            "portal-maintenance-bad-time",
            field = t!(lang, "portal-maintenance-end")
        )
    })?;
    if end <= start {
        return Err(t!(lang, "portal-maintenance-end-first"));
    }
    if end <= now {
        return Err(t!(lang, "portal-maintenance-over"));
    }
    let reason = typed.reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        return Err(t!(
            lang,
            "portal-maintenance-reason-needed",
            max = REASON_MAX
        ));
    }
    let known = |m: &str| plan.is_some_and(|p| p.monitors.iter().any(|k| k.id.as_str() == m));
    let unknown: Vec<&str> = typed
        .monitors
        .iter()
        .map(String::as_str)
        .filter(|m| !known(m))
        .collect();
    if !unknown.is_empty() {
        return Err(t!(
            lang,
            "portal-maintenance-unknown-monitor",
            monitors = unknown.join(", ")
        ));
    }
    Ok((start, end))
}

/// `POST /t/{tenant}/maintenance`: a new window (start, end, reason, the
/// monitors ticked; none ticked: every monitor).
pub(super) async fn add(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    person: Person,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let scope = match person
        .posted_by(&state, &headers, &field("csrf"), &tenant, may_edit)
        .await
    {
        Ok(scope) => scope,
        Err(refused) => return refused,
    };
    let lang = person.lang;
    let typed = Typed {
        start: field("start"),
        end: field("end"),
        reason: field("reason"),
        monitors: fields
            .iter()
            .filter(|(k, _)| k == "monitor")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let now = now_ms();
    let plan = rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans)
        .await
        .map(|a| a.plan);
    let zone = person.zone_in(plan.as_deref());
    let (start, end) = match check(lang, zone, &typed, now, plan.as_deref()) {
        Ok(span) => span,
        Err(problem) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let notice = Some((false, problem));
            return render(&state, &person, &scope, status, notice, typed).await;
        }
    };
    let by = format!("portal:{}", person.user.email);
    let reason = typed.reason.trim();
    match scope
        .add_maintenance(&typed.monitors, start, end, reason, &by, now)
        .await
    {
        Ok(_) => Redirect::to(&format!("/t/{tenant}/maintenance?done=added")).into_response(),
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot add a maintenance window");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `POST /t/{tenant}/maintenance/{id}/remove`: the window ends (it is
/// removed; checks already counted in it stay counted apart).
pub(super) async fn remove(
    State(state): State<AppState>,
    Path((tenant, id)): Path<(String, i64)>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<super::CsrfForm>,
) -> Response {
    let scope = match person
        .posted_by(&state, &headers, &form.csrf, &tenant, may_edit)
        .await
    {
        Ok(scope) => scope,
        Err(refused) => return refused,
    };
    match scope.remove_maintenance(id).await {
        Ok(true) => Redirect::to(&format!("/t/{tenant}/maintenance?done=removed")).into_response(),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot remove a maintenance window");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
