//! `/status/{tenant}`: a tenant's status page (`[status_page]` in its
//! plan): the state of the monitors it lists, and nothing else. A public
//! one needs no login; another is for the tenant's people only. It is
//! read from the supervisor's memory, so it stays up while the database
//! does not answer; a server that does not supervise reads the store.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rempart_core::monitoring::Health;
use rempart_engine::PublicStatus;
use rempart_i18n::{Lang, t};
use tower_sessions::Session;

use super::{current_user, html, when};
use crate::AppState;

pub(crate) struct Row {
    pub name: String,
    pub class: &'static str,
    pub state: String,
    pub since: String,
}

/// A public update of the tenant's crisis (a message sent with `public`).
pub(crate) struct Update {
    pub at: String,
    pub subject: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "portal/status.html")]
struct StatusPage {
    updates: Vec<Update>,
    updates_heading: String,
    lang: &'static str,
    title: String,
    class: &'static str,
    verdict: String,
    rows: Vec<Row>,
    updated: String,
    powered: String,
}

#[derive(Template)]
#[template(path = "portal/status_missing.html")]
struct Missing {
    lang: &'static str,
    title: String,
    text: String,
}

/// The page from the store, when this server's supervisor has none.
async fn from_store(state: &AppState, tenant: &str) -> Option<PublicStatus> {
    let scope = state.store.tenant(tenant).await.ok()?;
    let active =
        rempart_engine::active_plan(&scope, std::path::Path::new("."), &state.plans).await?;
    let states = scope.all_monitor_states().await.ok()?;
    PublicStatus::of(
        &active.plan,
        |m| states.get(m).map(|(t, _)| t.clone()),
        rempart_store::now_ms(),
    )
}

/// How long after its end a crisis' public updates stay on the page.
const UPDATES_KEPT_MS: i64 = 86_400_000;

/// The public updates of the tenant's open crisis (or of one over for
/// less than a day), newest first; none when the store does not answer.
async fn crisis_updates(state: &AppState, tenant: &str, zone: chrono_tz::Tz) -> Vec<Update> {
    let Ok(scope) = state.store.tenant(tenant).await else {
        return Vec::new();
    };
    let Ok(Some(row)) = scope.crises(1).await.map(|r| r.into_iter().next()) else {
        return Vec::new();
    };
    if row
        .closed_ms
        .is_some_and(|end| rempart_store::now_ms() - end > UPDATES_KEPT_MS)
    {
        return Vec::new();
    }
    let Ok(Some(c)) = rempart_engine::crisis::load(&scope, &row.id).await else {
        return Vec::new();
    };
    c.records
        .iter()
        .rev()
        .filter_map(|r| match &r.event {
            rempart_core::crisis::Event::Sent {
                subject,
                text,
                public: true,
                ..
            } => Some(Update {
                at: when(zone, r.at_ms),
                subject: subject.clone(),
                text: text.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// `GET /status/{tenant}`.
pub(super) async fn page(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    session: Session,
) -> Response {
    let found = match state.status.get(&tenant) {
        Some(page) => Some(page),
        None => from_store(&state, &tenant).await,
    };
    let allowed = match &found {
        Some(p) if p.public => true,
        Some(_) => current_user(&state, &session)
            .await
            .is_some_and(|u| u.reaches(&tenant)),
        None => false,
    };
    let Some(status) = found.filter(|_| allowed) else {
        // No page, or not for this person: the same answer.
        let lang = Lang::En;
        return html(
            StatusCode::NOT_FOUND,
            &Missing {
                lang: lang.code(),
                title: t!(lang, "portal-status-missing"),
                text: t!(lang, "portal-status-missing-text"),
            },
        );
    };
    let lang: Lang = status.language.into();
    let zone = status
        .timezone
        .parse::<chrono_tz::Tz>()
        .unwrap_or(chrono_tz::UTC);
    let rows: Vec<Row> = status
        .monitors
        .iter()
        .map(|m| {
            let (class, state) = match m.state {
                Some(Health::Up) => ("compliant", t!(lang, "portal-status-up")),
                Some(Health::Down) => ("breached", t!(lang, "portal-status-down")),
                Some(Health::Unreachable) => ("at-risk", t!(lang, "portal-status-unreachable")),
                None => ("none", t!(lang, "portal-unknown")),
            };
            Row {
                name: m.name.clone(),
                class,
                state,
                since: match m.state {
                    Some(_) => t!(lang, "portal-status-since", when = when(zone, m.since_ms)),
                    None => String::new(),
                },
            }
        })
        .collect();
    let worst = |class: &str| rows.iter().any(|r| r.class == class);
    let (class, verdict) = if worst("breached") {
        ("breached", t!(lang, "portal-status-outage"))
    } else if worst("at-risk") {
        ("at-risk", t!(lang, "portal-status-degraded"))
    } else if rows.is_empty() || worst("none") {
        ("none", t!(lang, "portal-status-unknown"))
    } else {
        ("compliant", t!(lang, "portal-status-all-up"))
    };
    let updates = crisis_updates(&state, &tenant, zone).await;
    let page = StatusPage {
        updates,
        updates_heading: t!(lang, "portal-status-updates"),
        lang: lang.code(),
        title: status.title.clone(),
        class,
        verdict,
        rows,
        updated: t!(
            lang,
            "portal-status-updated",
            when = when(zone, status.at_ms)
        ),
        powered: t!(lang, "portal-status-powered"),
    };
    html(StatusCode::OK, &page)
}
