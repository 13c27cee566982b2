//! `evidence-audit`: re-verifies a tenant's whole evidence chain on a
//! schedule and records the result as evidence, so a tampered log is
//! noticed even when nobody runs `rempart evidence verify`; then audits
//! the plan and its evidence against the compliance rules and keeps the
//! result (`rempart_core::audit`).

use rempart_store::now_ms;

use super::{JobContext, JobResult};

pub const KIND: &str = "evidence-audit";
/// The subject of its records: the log itself.
pub const SUBJECT: &str = rempart_core::evidence::EVIDENCE_LOG;

pub async fn run(cx: &JobContext) -> JobResult {
    crate::audit::check_chain(&cx.tenant, Some(cx.job.run_id))
        .await
        .map_err(|e| e.to_string())?;
    // Then the compliance audit, kept as an `audit` record: the findings
    // of each day are what the next audits compare with, so that one that
    // comes back after a fix shows as a regression without anyone running
    // `rempart audit`.
    let Some(plan) = cx.plan.as_ref() else {
        return Ok(1);
    };
    let started_ms = now_ms();
    let audited = crate::audit::run(&cx.tenant, plan, started_ms)
        .await
        .map_err(|e| e.to_string())?;
    crate::audit::record(
        &cx.tenant,
        &audited.audit,
        started_ms,
        &format!("job:{KIND}"),
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(2)
}
