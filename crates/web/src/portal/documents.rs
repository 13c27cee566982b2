//! A tenant's documents and audit: the PRA, the PCA, the monthly SLA
//! report, a drill's report and the audit to download (PDF, HTML,
//! Markdown, in either language), the audit's failing findings with
//! links to the evidence that decided them, and the risk register with
//! its residual heat map.

use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use rempart_core::audit::{Severity, Verdict, score_level};
use rempart_core::evidence::EvidenceKind;
use rempart_i18n::{Lang, t};
use rempart_report::{Format, Kind, ReportError, Wanted};
use rempart_store::{EvidenceQuery, now_ms};
use serde::Deserialize;

use super::{Frame, Person, html};
use crate::AppState;

pub(crate) struct DocumentLink {
    pub kind: &'static str,
    pub title: String,
    pub about: String,
}

pub(crate) struct Cite {
    pub seq: i64,
    pub after: i64,
}

pub(crate) struct FindingRow {
    pub rule: &'static str,
    pub title: String,
    pub clauses: String,
    pub subject: String,
    pub severity: String,
    pub severity_class: &'static str,
    pub detail: String,
    pub fix: String,
    pub evidence: Vec<Cite>,
    pub regression: bool,
}

pub(crate) struct RiskRow {
    pub label: String,
    pub title: String,
    pub declared: String,
    pub residual: String,
    pub class: &'static str,
    pub mitigations: String,
}

#[derive(Template)]
#[template(path = "portal/documents.html")]
struct DocumentsPage {
    frame: Frame,
    heading: String,
    tabs: Vec<super::Tab>,
    tenant: String,
    intro: String,
    docs_heading: String,
    documents: Vec<DocumentLink>,
    lang: &'static str,
    other_lang: &'static str,
    other_lang_label: String,
    month: String,
    month_label: String,
    runs: Vec<String>,
    run_label: String,
    no_runs: String,
    audit_heading: String,
    audit_summary: String,
    blocking: bool,
    audit_clear: String,
    findings: Vec<FindingRow>,
    col_rule: String,
    col_subject: String,
    col_severity: String,
    col_detail: String,
    col_evidence: String,
    regression_label: String,
    plan_decides: String,
    passing_note: String,
    risks_heading: String,
    risks_intro: String,
    heat_label: String,
    heat_map: String,
    risks: Vec<RiskRow>,
    col_risk: String,
    col_declared: String,
    col_residual: String,
    col_mitigations: String,
}

fn about(lang: Lang, kind: Kind) -> String {
    match kind {
        Kind::Pra => t!(lang, "portal-documents-about-pra"),
        Kind::Pca => t!(lang, "portal-documents-about-pca"),
        Kind::Sla => t!(lang, "portal-documents-about-sla"),
        Kind::Drill => t!(lang, "portal-documents-about-drill"),
        Kind::Audit => t!(lang, "portal-documents-about-audit"),
        Kind::Crisis => t!(lang, "portal-documents-about-crisis"),
    }
}

/// `GET /t/{tenant}/documents`.
pub(super) async fn page(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    person: Person,
) -> Response {
    let scope = match person.tenant(&state, &tenant).await {
        Ok(scope) => scope,
        Err(page) => return page,
    };
    let lang = person.lang;
    let Some(active) = rempart_engine::active_plan(&scope, &state.data_dir, &state.plans).await
    else {
        return super::not_found(person.lang, &person.session, &person.user).await;
    };
    let plan = &active.plan;
    let now = now_ms();
    let audited = match rempart_engine::audit::run(&scope, plan, now).await {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot audit for the portal");
            return super::problem(
                &person,
                StatusCode::INTERNAL_SERVER_ERROR,
                t!(lang, "portal-documents-failed"),
            )
            .await;
        }
    };
    let a = &audited.audit;
    let high = a.findings.iter().filter(|f| f.blocking()).count();
    let mut failing: Vec<&rempart_core::audit::Finding> = a
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Fail)
        .collect();
    failing.sort_by(|x, y| y.severity.cmp(&x.severity).then(x.rule.cmp(&y.rule)));
    let findings = failing
        .into_iter()
        .map(|f| FindingRow {
            rule: f.rule.id(),
            title: f.rule.title(lang),
            clauses: f.rule.clauses().join(" · "),
            subject: f.subject.clone(),
            severity: f.severity.text(lang),
            severity_class: match f.severity {
                Severity::High => "breached",
                Severity::Medium => "at-risk",
                Severity::Low => "none",
            },
            detail: f.detail.text(lang),
            fix: f.rule.remediation(lang),
            evidence: f
                .evidence
                .iter()
                .map(|c| Cite {
                    seq: c.seq,
                    after: (c.seq - 1).max(0),
                })
                .collect(),
            regression: f.regression,
        })
        .collect();
    let risks: Vec<RiskRow> = a
        .risks
        .iter()
        .enumerate()
        .map(|(i, r)| RiskRow {
            label: format!("R{}", i + 1),
            title: r.title.clone(),
            declared: r.declared_text(),
            residual: r.residual_text(),
            class: match score_level(r.residual) {
                Severity::Low => "compliant",
                Severity::Medium => "at-risk",
                Severity::High => "breached",
            },
            mitigations: r.mitigations_text(lang),
        })
        .collect();
    let residual: Vec<(String, u8, u8)> = a
        .risks
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("R{}", i + 1), r.residual_probability, r.impact))
        .collect();
    let runs: Vec<String> = scope
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::Drill),
            from_ms: Some(now - rempart_engine::status::LOOKBACK_MS),
            ..EvidenceQuery::default()
        })
        .await
        .unwrap_or_default()
        .into_iter()
        .rev()
        .filter_map(|e| e.record.measurements["run"].as_str().map(str::to_owned))
        .take(30)
        .collect();
    let zone = super::plan_zone(plan);
    let month = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .with_timezone(&zone)
        .format("%Y-%m")
        .to_string();
    let (other, other_label) = match lang {
        Lang::Fr => ("en", t!(lang, "portal-documents-in-english")),
        Lang::En => ("fr", t!(lang, "portal-documents-in-french")),
    };
    let page = DocumentsPage {
        frame: person.frame(t!(lang, "portal-documents-title")).await,
        heading: t!(lang, "portal-documents-title"),
        tabs: super::tabs(lang, &tenant, "documents"),
        tenant: tenant.clone(),
        intro: t!(lang, "portal-documents-intro"),
        docs_heading: t!(lang, "portal-documents-docs"),
        documents: Kind::ALL
            .into_iter()
            .map(|k| DocumentLink {
                kind: k.as_str(),
                title: k.title(lang),
                about: about(lang, k),
            })
            .collect(),
        lang: lang.code(),
        other_lang: other,
        other_lang_label: other_label,
        month,
        month_label: t!(lang, "portal-documents-month"),
        runs,
        run_label: t!(lang, "portal-documents-run"),
        no_runs: t!(lang, "portal-documents-no-runs"),
        audit_heading: t!(lang, "portal-documents-audit"),
        audit_summary: t!(
            lang,
            "portal-documents-audit-summary",
            pass = a.count(Verdict::Pass),
            fail = a.count(Verdict::Fail),
            high = high
        ),
        blocking: high > 0,
        audit_clear: t!(lang, "portal-documents-audit-clear"),
        findings,
        col_rule: t!(lang, "audit-col-rule"),
        col_subject: t!(lang, "audit-col-subject"),
        col_severity: t!(lang, "audit-col-severity"),
        col_detail: t!(lang, "audit-col-detail"),
        col_evidence: t!(lang, "audit-col-evidence"),
        regression_label: t!(lang, "portal-documents-regression"),
        plan_decides: t!(lang, "audit-doc-plan-decides"),
        passing_note: t!(lang, "portal-documents-passing-note"),
        risks_heading: t!(lang, "audit-doc-risks"),
        risks_intro: t!(lang, "audit-doc-risks-intro"),
        heat_label: t!(lang, "audit-doc-heat-residual", at = super::when(zone, now)),
        heat_map: rempart_report::heat_map(
            &residual,
            &t!(lang, "audit-doc-probability"),
            &t!(lang, "audit-doc-impact"),
        ),
        risks,
        col_risk: t!(lang, "audit-col-risk"),
        col_declared: t!(lang, "audit-col-inherent"),
        col_residual: t!(lang, "audit-col-residual"),
        col_mitigations: t!(lang, "audit-col-mitigations"),
    };
    html(StatusCode::OK, &page)
}

#[derive(Deserialize, Default)]
pub(super) struct Wish {
    #[serde(default)]
    format: String,
    #[serde(default)]
    lang: String,
    month: Option<String>,
    run: Option<String>,
    crisis: Option<String>,
}

/// `GET /t/{tenant}/documents/{kind}`: the document, made now from the
/// evidence and kept as a `report` record.
pub(super) async fn download(
    State(state): State<AppState>,
    Path((tenant, kind)): Path<(String, String)>,
    Query(wish): Query<Wish>,
    person: Person,
) -> Response {
    let scope = match person.tenant(&state, &tenant).await {
        Ok(scope) => scope,
        Err(page) => return page,
    };
    let (Some(kind), Some(active)) = (
        Kind::parse(&kind),
        rempart_engine::active_plan(&scope, &state.data_dir, &state.plans).await,
    ) else {
        return super::not_found(person.lang, &person.session, &person.user).await;
    };
    let format = Format::parse(&wish.format).unwrap_or(Format::Pdf);
    let lang = Lang::parse(&wish.lang).unwrap_or(person.lang);
    let wanted = Wanted {
        kind,
        month: wish.month.filter(|m| !m.is_empty()),
        run: wish.run.filter(|r| !r.is_empty()),
        crisis: wish.crisis.filter(|c| !c.is_empty()),
    };
    let by = format!("portal:{}", person.user.email);
    match rempart_report::produce(
        &scope,
        &active.plan,
        &active.base,
        &wanted,
        lang,
        format,
        &by,
        now_ms(),
    )
    .await
    {
        Ok((_, made)) => {
            let mut response = Response::new(Body::from(made.bytes));
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(made.format.content_type()),
            );
            let disposition = if made.format == Format::Html {
                "inline"
            } else {
                "attachment"
            };
            if let Ok(v) =
                HeaderValue::from_str(&format!("{disposition}; filename=\"{}\"", made.file_name))
            {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            if made.format == Format::Html {
                // The downloaded page carries its own inline style and
                // SVG, and nothing else: no script, no request out.
                headers.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(
                        "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
                    ),
                );
            }
            response
        }
        Err(ReportError::Usage(why)) => {
            super::problem(&person, StatusCode::UNPROCESSABLE_ENTITY, why).await
        }
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot make a document for the portal");
            let text = t!(person.lang, "portal-documents-failed");
            super::problem(&person, StatusCode::INTERNAL_SERVER_ERROR, text).await
        }
    }
}
