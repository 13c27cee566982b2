//! `evidence-audit`: re-verifies a tenant's whole evidence chain on a
//! schedule and records the result as evidence, so a tampered log is
//! noticed even when nobody runs `rempart evidence verify`.

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_store::now_ms;
use serde_json::json;

use super::{JobContext, JobResult};

pub const KIND: &str = "evidence-audit";
/// The subject of its records: the log itself.
pub const SUBJECT: &str = "evidence-log";

pub async fn run(cx: &JobContext) -> JobResult {
    let started_ms = now_ms();
    let report = cx
        .tenant
        .verify_evidence()
        .await
        .map_err(|e| e.to_string())?;
    let (outcome, message) = match &report.broken {
        None => (
            Outcome::Success,
            format!("evidence log intact: {} records checked", report.checked),
        ),
        Some(why) => (Outcome::Failure, format!("evidence log broken: {why}")),
    };
    cx.tenant
        .append(NewEvidence {
            kind: EvidenceKind::Verify,
            subject: SUBJECT.into(),
            started_ms,
            finished_ms: now_ms(),
            outcome,
            measurements: json!({
                "records_checked": report.checked,
                "head": report.head,
                "broken_seq": report.broken_seq,
            }),
            message,
            job_run: Some(cx.job.run_id),
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(1)
}
