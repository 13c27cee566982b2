//! `probe`: one check of a monitor (see [`crate::probe`]), recorded as
//! `probe` evidence: up or down, the time it took, what was seen.

use std::time::Duration;

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_store::now_ms;
use serde_json::json;

use super::{JobContext, JobResult};
use crate::probe::{self, DEFAULT_TIMEOUT, ProbeCx};

pub const KIND: &str = "probe";

pub async fn run(cx: &JobContext) -> JobResult {
    let plan = cx.plan()?;
    let m = plan
        .monitors
        .iter()
        .find(|m| m.id.as_str() == cx.job.subject)
        .ok_or_else(|| format!("the plan has no monitor \"{}\"", cx.job.subject))?;
    let check = probe::for_monitor(m)?;
    let timeout = m
        .timeout
        .map_or(DEFAULT_TIMEOUT, |t| Duration::from_millis(t.as_millis()));
    let started_ms = now_ms();
    let pcx = ProbeCx {
        tenant: &cx.tenant,
        plan,
        base: &cx.plan_base,
        timeout,
        cancel: cx.cancel.clone(),
    };
    let found = check.check(&pcx).await;
    if *cx.cancel.borrow() {
        return Err("cancelled before the probe finished".into());
    }
    let mut measurements = json!({
        "kind": m.kind.as_str(),
        "up": found.up,
        "latency_ms": found.latency_ms,
    });
    if let (Some(all), Some(extra)) = (measurements.as_object_mut(), found.measurements.as_object())
    {
        all.extend(extra.clone());
    }
    cx.tenant
        .append(NewEvidence {
            kind: EvidenceKind::Probe,
            subject: m.id.to_string(),
            started_ms,
            finished_ms: now_ms(),
            outcome: if found.up {
                Outcome::Success
            } else {
                Outcome::Failure
            },
            measurements,
            message: found.message,
            job_run: Some(cx.job.run_id),
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(1)
}
