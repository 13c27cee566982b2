//! The overview: every tenant the person reaches on one screen, the most
//! urgent first (worst process status, then how many processes are
//! breached, untested, at risk), each with its measured state.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rempart_core::assessment::Status;
use rempart_i18n::{Lang, t};

use super::{Frame, Person, html};
use crate::AppState;

/// One tenant's line.
pub(crate) struct Row {
    pub id: String,
    pub name: String,
    /// `breached`, `untested`, `at-risk`, `compliant` or `none` (no plan).
    pub class: &'static str,
    pub status: String,
    pub counts: String,
    /// For the sort: the worst status (higher is worse) and the counts.
    urgency: (u8, usize, usize, usize),
}

#[derive(Template)]
#[template(path = "portal/overview.html")]
struct OverviewPage {
    frame: Frame,
    heading: String,
    col_client: String,
    col_status: String,
    col_processes: String,
    empty: String,
    rows: Vec<Row>,
}

/// The measured state of one tenant.
async fn row(state: &AppState, lang: Lang, id: &str, name: &str) -> Row {
    let none = |why: String| Row {
        id: id.to_owned(),
        name: name.to_owned(),
        class: "none",
        status: why,
        counts: String::new(),
        urgency: (0, 0, 0, 0),
    };
    let Ok(scope) = state.store.tenant(id).await else {
        return none(t!(lang, "portal-tenant-unreadable"));
    };
    let Some(active) =
        rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans).await
    else {
        return none(t!(lang, "portal-tenant-no-plan"));
    };
    let assessed =
        rempart_engine::status::assess(&scope, &active.plan, rempart_store::now_ms()).await;
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
    let Some(worst) = worst else {
        return none(t!(lang, "portal-tenant-no-process"));
    };
    Row {
        id: id.to_owned(),
        name: name.to_owned(),
        class: worst.as_str(),
        status: worst.text(lang.into()).to_owned(),
        counts: t!(
            lang,
            "portal-process-counts",
            total = a.processes.len(),
            breached = breached,
            untested = untested,
            at_risk = at_risk
        ),
        urgency: (worst.gauge(), breached, untested, at_risk),
    }
}

/// `GET /overview`.
pub(super) async fn page(State(state): State<AppState>, person: Person) -> Response {
    let (user, lang) = (&person.user, person.lang);
    let tenants = match state.store.tenants().await {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "cannot list tenants for the overview");
            Vec::new()
        }
    };
    let mut rows = Vec::new();
    for tenant in tenants.iter().filter(|t| user.reaches(&t.id)) {
        rows.push(row(&state, lang, &tenant.id, &tenant.name).await);
    }
    rows.sort_by(|a, b| b.urgency.cmp(&a.urgency).then_with(|| a.name.cmp(&b.name)));
    let page = OverviewPage {
        frame: person.frame(t!(lang, "portal-overview-title")).await,
        heading: t!(lang, "portal-overview-heading"),
        col_client: t!(lang, "portal-col-client"),
        col_status: t!(lang, "portal-col-status"),
        col_processes: t!(lang, "portal-col-processes"),
        empty: t!(lang, "portal-overview-empty"),
        rows,
    };
    html(StatusCode::OK, &page)
}
