//! `evidence-audit`: re-verifies a tenant's whole evidence chain on a
//! schedule and records the result as evidence, so a tampered log is
//! noticed even when nobody runs `rempart evidence verify`.

use super::{JobContext, JobResult};

pub const KIND: &str = "evidence-audit";
/// The subject of its records: the log itself.
pub const SUBJECT: &str = rempart_core::evidence::EVIDENCE_LOG;

pub async fn run(cx: &JobContext) -> JobResult {
    crate::audit::check_chain(&cx.tenant, Some(cx.job.run_id))
        .await
        .map_err(|e| e.to_string())?;
    Ok(1)
}
