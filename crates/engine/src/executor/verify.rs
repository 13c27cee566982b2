//! `verify`: checks a repository and reads a rotating slice of its data
//! (one slice a day, so every pack is read within the repository's
//! `verify_within`, a week by default), recording what it found as
//! `verify` evidence.

use std::sync::Arc;

use rempart_core::evidence::measure::{Measure, Verification};
use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_store::{TenantScope, now_ms};

use super::{JobContext, JobError, JobResult};

pub const KIND: &str = "verify";
/// Days over which every pack of a repository is read once, by default.
pub const FULL_READ_DAYS: i64 = 7;

/// The days over which repository `r` is read in full: its
/// `verify_within` in whole days (rounded up), at least one.
pub fn full_read_days(r: &rempart_core::plan::Repository) -> i64 {
    r.verify_within.map_or(FULL_READ_DAYS, |d| {
        i64::try_from(d.as_millis().div_ceil(86_400_000))
            .unwrap_or(i64::MAX)
            .max(1)
    })
}

/// Today's slice of the data: `n/days`, a different one each day, so
/// every pack is read once in `days` days.
pub fn todays_slice(now_ms: i64, days: i64) -> String {
    let days = days.max(1);
    let day = now_ms.div_euclid(86_400_000);
    format!("{}/{days}", day.rem_euclid(days) + 1)
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
            v.to_value(),
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
            Verification {
                repository: repository.to_owned(),
                ..Verification::default()
            }
            .to_value(),
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
    let timeout = plan
        .repositories
        .iter()
        .find(|r| r.id.as_str() == cx.job.subject)
        .and_then(|r| r.verify_timeout)
        .unwrap_or(rempart_core::plan::DEFAULT_JOB_TIMEOUT);
    let (env, _watch) = cx.stoppable(
        timeout,
        &format!("the verification of repository \"{}\"", cx.job.subject),
    );
    let (id, cache) = (cx.job.subject.clone(), cx.data_dir.join("cache/rustic"));
    let days = plan
        .repositories
        .iter()
        .find(|r| r.id.as_str() == id)
        .map_or(FULL_READ_DAYS, full_read_days);
    let slice = todays_slice(started_ms, days);
    // No prune from another server while checking: it would look like
    // missing packs.
    let locks = cx
        .tenant
        .lock_repositories(&[&cx.job.subject], false)
        .await
        .map_err(|e| e.to_string())?;
    let result = tokio::task::spawn_blocking(move || {
        rempart_backup::verify::verify(&plan, &id, &env, &cache, Some(&slice))
    })
    .await
    .map_err(|e| format!("the verify task stopped: {e}"));
    locks.release().await;
    let result = result?;
    let written = record(
        &cx.tenant,
        &cx.job.subject,
        started_ms,
        &result,
        Some(cx.job.run_id),
    )
    .await?;
    // A damaged repository is a finding, recorded; an unreachable one is retried.
    result.map(|_| written).map_err(JobError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_the_period() {
        let day = 86_400_000;
        for days in [1, 7, 30] {
            let slices: std::collections::BTreeSet<String> = (0..days)
                .map(|d| todays_slice(1_790_000_000_000 + d * day, days))
                .collect();
            assert_eq!(slices.len() as i64, days, "one slice a day, all of them");
            assert!(
                slices.contains(&format!("1/{days}")) && slices.contains(&format!("{days}/{days}"))
            );
        }
        assert_eq!(
            todays_slice(1_790_000_000_000, 0),
            "1/1",
            "never a division by zero"
        );
    }

    #[test]
    fn the_period_comes_from_the_plan() {
        let text = include_str!("../../../core/tests/plans/base.toml").replace(
            "location = \"/srv/repo\"",
            "location = \"/srv/repo\"\nverify_within = \"36h\"",
        );
        let checked = rempart_core::plan::check(&text);
        let plan = checked.valid_plan().expect("valid plan");
        let days: Vec<(String, i64)> = plan
            .repositories
            .iter()
            .map(|r| (r.id.to_string(), full_read_days(r)))
            .collect();
        assert_eq!(days, [("nas".to_owned(), 2), ("s3".to_owned(), 7)]);
    }
}
