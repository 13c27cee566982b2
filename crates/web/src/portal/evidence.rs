//! A tenant's evidence: the records, a page at a time, each with its place
//! in the hash chain, filtered by kind; and a button that verifies the
//! whole chain and says what it found.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rempart_core::evidence::{EvidenceKind, Outcome};
use rempart_i18n::{Lang, t};
use rempart_store::{EvidenceQuery, TenantScope};
use serde::Deserialize;

use super::{Frame, Person, html};
use crate::AppState;

/// Records per page.
const PAGE: i64 = 50;

pub(crate) struct Row {
    pub seq: i64,
    pub started: String,
    pub kind: String,
    pub subject: String,
    pub class: &'static str,
    pub outcome: String,
    pub duration: String,
    pub message: String,
    pub hash: String,
    pub prev: String,
}

pub(crate) struct KindChoice {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "portal/evidence.html")]
struct EvidencePage {
    frame: Frame,
    heading: String,
    tabs: Vec<super::Tab>,
    tenant: String,
    intro: String,
    kind_label: String,
    all_kinds: String,
    kinds: Vec<KindChoice>,
    filter: String,
    verify: String,
    verdict: Option<(bool, String)>,
    rows: Vec<Row>,
    empty: String,
    col_seq: String,
    col_started: String,
    col_kind: String,
    col_subject: String,
    col_outcome: String,
    col_duration: String,
    col_message: String,
    chain_label: String,
    newer: Option<String>,
    older: Option<String>,
    newer_label: String,
    older_label: String,
}

#[derive(Deserialize, Default)]
pub(super) struct Filter {
    #[serde(default)]
    kind: String,
    /// Show the records after this one (older pages have smaller numbers).
    after: Option<i64>,
}

/// The kind's word in `lang`.
fn kind_word(lang: Lang, kind: EvidenceKind) -> String {
    t!(lang, "portal-evidence-kind", kind = kind.as_str())
}

async fn render(
    state: &AppState,
    person: &Person,
    scope: &TenantScope,
    filter: &Filter,
    verdict: Option<(bool, String)>,
) -> Response {
    let lang = person.lang;
    let tenant = scope.id().to_owned();
    let kind = EvidenceKind::parse(&filter.kind);
    let head = scope.evidence_head().await.unwrap_or(0);
    // Without a filter, the newest page first; with one, from the start.
    let after = filter.after.unwrap_or(match kind {
        None => (head - PAGE).max(0),
        Some(_) => 0,
    });
    let query = EvidenceQuery {
        kind,
        after_seq: Some(after),
        limit: u32::try_from(PAGE).unwrap_or(50),
        ..EvidenceQuery::default()
    };
    let records = scope.evidence(&query).await.unwrap_or_else(|e| {
        tracing::error!(tenant, error = %e, "cannot read evidence for the portal");
        Vec::new()
    });
    let zone = super::zone_of(state, scope, person).await;
    let time = |ms: i64| super::when(zone, ms);
    let last = records.last().map(|r| r.seq);
    let first = records.first().map(|r| r.seq);
    let mut rows: Vec<Row> = records
        .into_iter()
        .map(|e| {
            let r = &e.record;
            let ok = r.outcome == Outcome::Success;
            Row {
                seq: e.seq,
                started: time(r.started_ms),
                kind: kind_word(lang, r.kind),
                subject: r.subject.clone(),
                class: if ok { "compliant" } else { "breached" },
                outcome: if ok {
                    t!(lang, "portal-outcome-success")
                } else {
                    t!(lang, "portal-outcome-failure")
                },
                duration: super::tenant::human_ms(lang, r.finished_ms - r.started_ms),
                message: rempart_i18n::told(lang, &r.measurements, &r.message),
                hash: e.hash.chars().take(12).collect(),
                prev: e.prev_hash.chars().take(12).collect(),
            }
        })
        .collect();
    rows.reverse();
    let link = |after: i64| {
        let kind = if filter.kind.is_empty() {
            String::new()
        } else {
            format!("&kind={}", filter.kind)
        };
        format!("/t/{tenant}/evidence?after={after}{kind}")
    };
    // Pages go by record numbers: the next page starts after the last shown.
    let newer = last.filter(|l| *l < head).map(link);
    // Nothing older when this page starts at the log's beginning.
    let older = first
        .filter(|f| *f > 1 && after > 0)
        .map(|f| link((f - 1 - PAGE).max(0)));
    let page = EvidencePage {
        frame: person.frame(t!(lang, "portal-evidence-title")).await,
        heading: t!(lang, "portal-evidence-title"),
        tabs: super::tabs(lang, &tenant, "evidence"),
        tenant: tenant.clone(),
        intro: t!(lang, "portal-evidence-intro", head = head),
        kind_label: t!(lang, "portal-evidence-kind-label"),
        all_kinds: t!(lang, "portal-evidence-all-kinds"),
        kinds: EvidenceKind::ALL
            .iter()
            .map(|k| KindChoice {
                code: k.as_str(),
                label: kind_word(lang, *k),
                selected: kind == Some(*k),
            })
            .collect(),
        filter: t!(lang, "portal-evidence-filter"),
        verify: t!(lang, "portal-evidence-verify"),
        verdict,
        rows,
        empty: t!(lang, "portal-evidence-empty"),
        col_seq: t!(lang, "portal-col-seq"),
        col_started: t!(lang, "portal-col-started"),
        col_kind: t!(lang, "portal-col-kind"),
        col_subject: t!(lang, "portal-col-subject"),
        col_outcome: t!(lang, "portal-col-outcome"),
        col_duration: t!(lang, "portal-col-duration"),
        col_message: t!(lang, "portal-col-what"),
        chain_label: t!(lang, "portal-evidence-chain"),
        newer,
        older,
        newer_label: t!(lang, "portal-newer"),
        older_label: t!(lang, "portal-older"),
    };
    html(StatusCode::OK, &page)
}

/// `GET /t/{tenant}/evidence`.
pub(super) async fn page(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(filter): Query<Filter>,
    person: Person,
) -> Response {
    match person.tenant(&state, &tenant).await {
        Ok(scope) => render(&state, &person, &scope, &filter, None).await,
        Err(page) => page,
    }
}

/// `POST /t/{tenant}/evidence/verify`: walks the whole chain.
pub(super) async fn verify(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<super::CsrfForm>,
) -> Response {
    let scope = match person
        .posted_to(&state, &headers, &form.csrf, &tenant)
        .await
    {
        Ok(scope) => scope,
        Err(refused) => return refused,
    };
    let lang = person.lang;
    let verdict = match scope.verify_evidence().await {
        Ok(report) => match (&report.broken, report.broken_seq) {
            (None, _) => (
                true,
                t!(
                    lang,
                    "portal-evidence-intact",
                    checked = report.checked,
                    head = report.head
                ),
            ),
            (Some(why), Some(seq)) => (
                false,
                t!(
                    lang,
                    "portal-evidence-broken-at",
                    seq = seq,
                    why = why.as_str()
                ),
            ),
            (Some(why), None) => (
                false,
                t!(lang, "portal-evidence-broken", why = why.as_str()),
            ),
        },
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot verify evidence from the portal");
            (false, t!(lang, "portal-login-unavailable"))
        }
    };
    render(&state, &person, &scope, &Filter::default(), Some(verdict)).await
}
