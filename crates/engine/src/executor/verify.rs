//! `verify`: checks a repository and reads a rotating slice of its data
//! (one seventh a day, so every pack is read within a week), recording
//! what it found as `verify` evidence.

use std::sync::Arc;

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_store::{TenantScope, now_ms};
use serde_json::json;

use super::{JobContext, JobResult};

pub const KIND: &str = "verify";
/// Days over which every pack of a repository is read once.
pub const FULL_READ_DAYS: i64 = 7;

/// Today's slice of the data: `n/7`, a different seventh each day.
pub fn todays_slice(now_ms: i64) -> String {
    let day = now_ms.div_euclid(86_400_000);
    format!("{}/{FULL_READ_DAYS}", day.rem_euclid(FULL_READ_DAYS) + 1)
}

/// Writes the evidence of a verification; returns the number of records.
pub async fn record(
    tenant: &TenantScope,
    repository: &str,
    started_ms: i64,
    result: &Result<rempart_backup::verify::Verified, rempart_backup::BackupError>,
    job_run: Option<i64>,
) -> JobResult {
    let (outcome, measurements, message) = match result {
        Ok(v) => (
            if v.errors.is_empty() {
                Outcome::Success
            } else {
                Outcome::Failure
            },
            v.to_json(),
            if v.errors.is_empty() {
                format!("repository \"{}\" sound", v.repository)
            } else {
                format!(
                    "repository \"{}\" damaged: {}",
                    v.repository,
                    v.errors.first().map_or("", String::as_str)
                )
            },
        ),
        Err(e) => (
            Outcome::Failure,
            json!({ "repository": repository }),
            e.to_string(),
        ),
    };
    tenant
        .append(NewEvidence {
            kind: EvidenceKind::Verify,
            subject: repository.to_owned(),
            started_ms,
            finished_ms: now_ms(),
            outcome,
            measurements,
            message,
            job_run,
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(1)
}

pub async fn run(cx: &JobContext) -> JobResult {
    let plan = Arc::clone(cx.plan()?);
    let started_ms = now_ms();
    let (id, base, cache) = (
        cx.job.subject.clone(),
        cx.plan_base.clone(),
        cx.data_dir.join("cache/rustic"),
    );
    let slice = todays_slice(started_ms);
    let result = tokio::task::spawn_blocking(move || {
        rempart_backup::verify::verify(&plan, &id, &base, &cache, Some(&slice))
    })
    .await
    .map_err(|e| format!("the verify task stopped: {e}"))?;
    let written = record(
        &cx.tenant,
        &cx.job.subject,
        started_ms,
        &result,
        Some(cx.job.run_id),
    )
    .await?;
    // A damaged repository is a finding, recorded; an unreachable one is retried.
    result.map(|_| written).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_the_week() {
        let day = 86_400_000;
        let slices: std::collections::BTreeSet<String> = (0..7)
            .map(|d| todays_slice(1_790_000_000_000 + d * day))
            .collect();
        assert_eq!(slices.len(), 7);
        assert!(slices.contains("1/7") && slices.contains("7/7"));
    }
}
