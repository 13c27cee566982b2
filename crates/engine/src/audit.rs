//! A tenant's compliance audit, read from the store (the rules are
//! `rempart_core::audit`'s): its records, the evidence chain verified, the
//! monitors' health and the past audits; and the `audit` record that keeps
//! the result, so that the next audit knows what came back after a fix.

use std::collections::BTreeMap;

use rempart_core::assessment::{self, Assessment};
use rempart_core::audit::{self, Audit, Finding};
use rempart_core::evidence::{EVIDENCE_LOG, Evidence, EvidenceKind, NewEvidence, Outcome};
use rempart_core::monitoring::Health;
use rempart_core::plan::Plan;
use rempart_i18n::{Lang, say};
use rempart_store::{EvidenceQuery, StoreError, TenantScope};
use serde_json::json;

/// Everything an audit was made from, kept for the documents that cite it.
pub struct Audited {
    pub audit: Audit,
    pub assessment: Assessment,
    pub records: Vec<Evidence>,
}

/// Audits `tenant`'s `plan` at `now_ms`.
pub async fn run(tenant: &TenantScope, plan: &Plan, now_ms: i64) -> Result<Audited, StoreError> {
    run_upto(tenant, plan, now_ms, i64::MAX).await
}

/// Audits as of record `upto`: records and past audits after it are not
/// read, so that a document made from the same head says the same
/// (records written since, such as the documents' own `report` records,
/// change nothing).
pub async fn run_upto(
    tenant: &TenantScope,
    plan: &Plan,
    now_ms: i64,
    upto: i64,
) -> Result<Audited, StoreError> {
    let records: Vec<Evidence> = crate::status::records(tenant, now_ms)
        .await?
        .into_iter()
        .filter(|e| e.seq <= upto)
        .collect();
    let plain: Vec<NewEvidence> = records.iter().map(|e| e.record.clone()).collect();
    let assessment = assessment::assess(plan, &plain, now_ms);
    let monitors: BTreeMap<String, Health> = tenant
        .all_monitor_states()
        .await?
        .into_iter()
        .filter_map(|(id, (t, _))| t.state.map(|s| (id, s)))
        .collect();
    let history = tenant
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::Audit),
            from_ms: Some(now_ms - crate::status::LOOKBACK_MS),
            ..EvidenceQuery::default()
        })
        .await?
        .into_iter()
        .filter(|e| e.seq <= upto)
        .collect::<Vec<_>>();
    let audit = audit::audit(
        &audit::Inputs {
            plan,
            records: &records,
            assessment: &assessment,
            monitors: &monitors,
            now_ms,
        },
        &history,
    );
    Ok(Audited {
        audit,
        assessment,
        records,
    })
}

/// Verifies the whole evidence log and keeps the result as a `verify`
/// record of the log itself (subject `evidence-log`), which the audit's
/// chain rule cites: the scheduled `evidence-audit` job and `rempart
/// audit` call it.
pub async fn check_chain(
    tenant: &TenantScope,
    job_run: Option<i64>,
) -> Result<Evidence, StoreError> {
    let started_ms = rempart_store::now_ms();
    let report = tenant.verify_evidence().await?;
    let (outcome, message) = match &report.broken {
        None => (
            Outcome::Success,
            format!("evidence log intact: {} records checked", report.checked),
        ),
        Some(why) => (Outcome::Failure, format!("evidence log broken: {why}")),
    };
    tenant
        .append(NewEvidence {
            kind: EvidenceKind::Verify,
            subject: EVIDENCE_LOG.into(),
            started_ms,
            finished_ms: rempart_store::now_ms(),
            outcome,
            measurements: json!({
                "records_checked": report.checked,
                "head": report.head,
                "broken_seq": report.broken_seq,
            }),
            message,
            job_run,
        })
        .await
}

/// Keeps `audit` as an `audit` record (its outcome: failure when a high
/// finding stands).
pub async fn record(
    tenant: &TenantScope,
    audit: &Audit,
    started_ms: i64,
    by: &str,
) -> Result<Evidence, StoreError> {
    let pass = audit.count(audit::Verdict::Pass);
    let fail = audit.count(audit::Verdict::Fail);
    let high = audit.findings.iter().filter(|f| f.blocking()).count();
    let mut measurements = audit.measurements();
    measurements["by"] = json!(by);
    measurements["say"] = say!("audit-recorded", pass = pass, fail = fail, high = high);
    tenant
        .append(NewEvidence {
            kind: EvidenceKind::Audit,
            subject: "audit".into(),
            started_ms,
            finished_ms: audit.now_ms.max(started_ms),
            outcome: if high == 0 {
                Outcome::Success
            } else {
                Outcome::Failure
            },
            measurements,
            message: format!("audit: {pass} pass, {fail} fail ({high} high)"),
            job_run: None,
        })
        .await
}

/// One finding for scripts and the API, with its words in `lang`.
pub fn finding_json(f: &Finding, lang: Lang) -> serde_json::Value {
    json!({
        "rule": f.rule.id(),
        "title": f.rule.title(lang),
        "clauses": f.rule.clauses(),
        "subject": f.subject,
        "severity": f.severity,
        "verdict": f.verdict,
        "detail": f.detail,
        "text": f.detail.text(lang),
        "remediation": (f.verdict == audit::Verdict::Fail).then(|| f.rule.remediation(lang)),
        "evidence": f.evidence,
        "regression": f.regression,
    })
}

/// The audit for scripts and the API.
pub fn to_json(tenant: &str, a: &Audited, lang: Lang) -> serde_json::Value {
    let frameworks: Vec<_> = audit::frameworks(lang)
        .into_iter()
        .map(|(title, rules)| {
            let ids: Vec<&str> = rules.iter().map(|r| r.id()).collect();
            json!({ "title": title, "rules": ids })
        })
        .collect();
    json!({
        "tenant": tenant,
        "now_ms": a.audit.now_ms,
        "blocking": a.audit.blocking(),
        "pass": a.audit.count(audit::Verdict::Pass),
        "fail": a.audit.count(audit::Verdict::Fail),
        "not_applicable": a.audit.count(audit::Verdict::NotApplicable),
        "findings": a.audit.findings.iter().map(|f| finding_json(f, lang)).collect::<Vec<_>>(),
        "risks": a.audit.risks,
        "frameworks": frameworks,
    })
}
