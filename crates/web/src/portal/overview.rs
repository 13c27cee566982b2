//! The overview: every tenant the person reaches on one screen, the most
//! urgent first (worst process status, then how many processes are
//! breached, untested, at risk), each with its measured state.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rempart_core::assessment::Status;
use rempart_core::monitoring::Health;
use rempart_i18n::{Lang, t};

use super::tenant::{ago, human_ms};
use super::{Frame, Person, html};
use crate::AppState;

/// One tenant's line.
#[derive(Clone)]
pub(crate) struct Row {
    pub id: String,
    pub name: String,
    /// `breached`, `untested`, `at-risk`, `compliant` or `none` (no plan).
    pub class: &'static str,
    pub status: String,
    pub counts: String,
    /// Open alerts, unacknowledged first (empty: none).
    pub alerts: String,
    pub alerts_class: &'static str,
    /// Monitors down or unreachable (empty: all up).
    pub monitors: String,
    pub monitors_class: &'static str,
    /// The stalest process's newest restore point against its RPO.
    pub freshness: String,
    pub freshness_class: &'static str,
    /// The newest drill and its result.
    pub drill: String,
    pub drill_class: &'static str,
    /// An open crisis (`CRISE`, `EXERCICE`…), empty without one.
    pub crisis: String,
    pub crisis_class: &'static str,
    /// For the sort, worst first: the worst state, unacknowledged alerts,
    /// monitors down, then the processes breached, untested, at risk.
    urgency: (u8, usize, usize, usize, usize, usize),
    /// Before all of it: a crisis open (2), an exercise (1), none (0).
    in_crisis: u8,
}

#[derive(Template)]
#[template(path = "portal/overview.html")]
struct OverviewPage {
    frame: Frame,
    heading: String,
    /// The tenants' table, rendered (see [`table`]).
    table: std::sync::Arc<str>,
}

#[derive(Template)]
#[template(path = "portal/overview_table.html")]
struct OverviewTable {
    col_client: String,
    col_status: String,
    col_processes: String,
    col_alerts: String,
    col_monitors: String,
    col_freshness: String,
    col_drill: String,
    empty: String,
    rows: Vec<Row>,
}

/// The measured state of one tenant, and its open crisis first.
async fn row(state: &AppState, lang: Lang, id: &str, name: &str) -> Row {
    let mut line = measured(state, lang, id, name).await;
    let open = match state.store.tenant(id).await {
        Ok(scope) => rempart_engine::crisis::current(&scope).await.ok().flatten(),
        Err(_) => None,
    };
    if let Some(c) = open {
        let exercise = c.is_exercise();
        line.crisis = t!(
            lang,
            "portal-overview-crisis",
            exercise = if exercise { "yes" } else { "no" }
        );
        line.crisis_class = if exercise { "at-risk" } else { "breached" };
        line.in_crisis = if exercise { 1 } else { 2 };
    }
    line
}

/// The measured state of one tenant.
async fn measured(state: &AppState, lang: Lang, id: &str, name: &str) -> Row {
    let none = |why: String| Row {
        id: id.to_owned(),
        name: name.to_owned(),
        class: "none",
        status: why,
        counts: String::new(),
        alerts: String::new(),
        alerts_class: "none",
        monitors: String::new(),
        monitors_class: "none",
        freshness: String::new(),
        freshness_class: "none",
        drill: String::new(),
        drill_class: "none",
        crisis: String::new(),
        crisis_class: "none",
        urgency: (0, 0, 0, 0, 0, 0),
        in_crisis: 0,
    };
    let Ok(scope) = state.store.tenant(id).await else {
        return none(t!(lang, "portal-tenant-unreadable"));
    };
    let Some(active) =
        rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans).await
    else {
        return none(t!(lang, "portal-tenant-no-plan"));
    };
    let now = rempart_store::now_ms();
    let assessed = rempart_engine::status::assess(&scope, &active.plan, now).await;
    let Ok(a) = assessed else {
        return none(t!(lang, "portal-tenant-unreadable"));
    };
    let count = |s: Status| a.processes.iter().filter(|p| p.status == s).count();
    let (breached, untested, at_risk) = (
        count(Status::Breached),
        count(Status::Untested),
        count(Status::AtRisk),
    );
    let worst = a
        .processes
        .iter()
        .map(|p| p.status)
        .max_by_key(|s| s.gauge());

    // Monitors: those of the plan that are down, or cut off behind one.
    let states = scope.all_monitor_states().await.unwrap_or_default();
    let health = |m: &rempart_core::plan::Monitor| {
        states
            .get(m.id.as_str())
            .and_then(|(tracker, _)| tracker.state)
    };
    let down = active
        .plan
        .monitors
        .iter()
        .filter(|m| health(m) == Some(Health::Down))
        .count();
    let unreachable = active
        .plan
        .monitors
        .iter()
        .filter(|m| health(m) == Some(Health::Unreachable))
        .count();
    let (monitors, monitors_class) = if active.plan.monitors.is_empty() {
        (String::new(), "none")
    } else {
        let class = match (down, unreachable) {
            (0, 0) => "compliant",
            (0, _) => "at-risk",
            _ => "breached",
        };
        let text = t!(
            lang,
            "portal-monitors-down",
            down = down + unreachable,
            total = active.plan.monitors.len()
        );
        (text, class)
    };

    // Alerts: open ones, the unacknowledged counted first.
    let open: Vec<_> = scope
        .alerts(200)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|al| al.resolved_ms.is_none())
        .collect();
    let unacked = open.iter().filter(|al| al.acked_ms.is_none()).count();
    let (alerts, alerts_class) = if open.is_empty() {
        (t!(lang, "portal-alerts-none"), "compliant")
    } else {
        (
            t!(
                lang,
                "portal-alerts-count",
                unacked = unacked,
                acked = open.len() - unacked
            ),
            if unacked > 0 { "breached" } else { "at-risk" },
        )
    };

    // Freshness: the process whose data is the most exposed, for its RPO.
    let stalest = a
        .processes
        .iter()
        .filter(|p| p.rpo_target_ms > 0)
        .max_by(|x, y| {
            let ratio = |p: &&rempart_core::assessment::ProcessAssessment| {
                p.rpo_exposure_ms
                    .map_or(f64::INFINITY, |e| e as f64 / p.rpo_target_ms as f64)
            };
            ratio(x).total_cmp(&ratio(y))
        });
    let (freshness, freshness_class) = match stalest {
        None => (String::new(), "none"),
        Some(p) => match p.restore_point_ms {
            None => (t!(lang, "portal-freshness-none"), "breached"),
            Some(at) => (
                t!(
                    lang,
                    "portal-freshness",
                    age = human_ms(lang, (now - at).max(0)),
                    target = human_ms(lang, p.rpo_target_ms)
                ),
                if now - at > p.rpo_target_ms {
                    "breached"
                } else {
                    "compliant"
                },
            ),
        },
    };

    // The newest drill of any process.
    let newest = a
        .processes
        .iter()
        .filter_map(|p| p.last_drill.as_ref())
        .max_by_key(|d| d.finished_ms);
    let (drill, drill_class) = match newest {
        None => (t!(lang, "portal-drill-never"), "untested"),
        Some(d) if d.passed => (
            t!(
                lang,
                "portal-drill-passed",
                ago = ago(lang, d.finished_ms, now)
            ),
            "compliant",
        ),
        Some(d) => (
            t!(
                lang,
                "portal-drill-failed",
                ago = ago(lang, d.finished_ms, now)
            ),
            "breached",
        ),
    };

    let Some(worst) = worst else {
        let mut row = none(t!(lang, "portal-tenant-no-process"));
        (row.monitors, row.monitors_class) = (monitors, monitors_class);
        (row.alerts, row.alerts_class) = (alerts, alerts_class);
        row.urgency = (
            if down > 0 {
                Status::Breached.gauge()
            } else {
                0
            },
            unacked,
            down,
            0,
            0,
            0,
        );
        return row;
    };
    // A monitor down makes the client's line red whatever its processes say.
    let shown = if down > 0 && worst.gauge() < Status::Breached.gauge() {
        Status::Breached
    } else {
        worst
    };
    Row {
        id: id.to_owned(),
        name: name.to_owned(),
        class: shown.as_str(),
        status: if shown == worst {
            worst.text(lang.into()).to_owned()
        } else {
            t!(lang, "portal-status-monitor-down")
        },
        counts: t!(
            lang,
            "portal-process-counts",
            total = a.processes.len(),
            breached = breached,
            untested = untested,
            at_risk = at_risk
        ),
        alerts,
        alerts_class,
        monitors,
        monitors_class,
        freshness,
        freshness_class,
        drill,
        drill_class,
        crisis: String::new(),
        crisis_class: "none",
        urgency: (shown.gauge(), unacked, down, breached, untested, at_risk),
        in_crisis: 0,
    }
}

/// The table of the tenants `only` names (none: every tenant), the most
/// urgent first, each line kept per tenant (see `kept`).
async fn table(state: &AppState, lang: Lang, only: Option<&str>) -> std::sync::Arc<str> {
    let tenants = match only {
        None => state.store.tenants().await,
        Some(id) => match state.store.tenant(id).await {
            Ok(scope) => scope.info().await.map(|t| vec![t]),
            Err(_) => Ok(Vec::new()),
        },
    };
    let tenants = tenants.unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot list tenants for the overview");
        Vec::new()
    });
    let mut rows = Vec::new();
    for tenant in tenants {
        let key = (tenant.id.clone(), lang.code().to_owned());
        let of = state.clone();
        let line = state
            .kept
            .overview
            .get(&state.store, key, move || async move {
                row(&of, lang, &tenant.id, &tenant.name).await
            })
            .await;
        rows.push(line);
    }
    rows.sort_by(|a, b| {
        (b.in_crisis, b.urgency)
            .cmp(&(a.in_crisis, a.urgency))
            .then_with(|| a.name.cmp(&b.name))
    });
    let table = OverviewTable {
        col_client: t!(lang, "portal-col-client"),
        col_status: t!(lang, "portal-col-status"),
        col_processes: t!(lang, "portal-col-processes"),
        col_alerts: t!(lang, "portal-col-alerts"),
        col_monitors: t!(lang, "portal-monitors"),
        col_freshness: t!(lang, "portal-col-freshness"),
        col_drill: t!(lang, "portal-col-last-drill"),
        empty: t!(lang, "portal-overview-empty"),
        rows,
    };
    table
        .render()
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot render the overview");
            String::new()
        })
        .into()
}

/// `GET /overview`: the MSP's roles see every tenant (the whole table
/// kept, remade when any tenant changes); a client, their own.
pub(super) async fn page(State(state): State<AppState>, person: Person) -> Response {
    let (user, lang) = (&person.user, person.lang);
    let table = if user.role.is_msp() {
        let of = state.clone();
        let key = (super::kept::EVERY_TENANT.to_owned(), lang.code().to_owned());
        state
            .kept
            .overviews
            .get(&state.store, key, move || async move {
                table(&of, lang, None).await
            })
            .await
    } else {
        // A client's role always has its tenant; none would show nothing.
        table(
            &state,
            lang,
            Some(user.tenant.as_deref().unwrap_or_default()),
        )
        .await
    };
    let page = OverviewPage {
        frame: person.frame(t!(lang, "portal-overview-title")).await,
        heading: t!(lang, "portal-overview-heading"),
        table,
    };
    html(StatusCode::OK, &page)
}
