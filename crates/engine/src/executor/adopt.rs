//! `adopt`: finds the snapshots another tool (restic) made that a backup's
//! `adopt` rule takes, and records each one once as `backup` evidence
//! (marked `adopted`, with the times, host and program the snapshot
//! states), so that its restore points count in the RPO from the first
//! minute, before Rempart has made a backup of its own.

use std::collections::BTreeSet;
use std::sync::Arc;

use rempart_backup::adopt::Scan;
use rempart_core::evidence::measure::{Measure, SiteRun};
use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_store::{EvidenceQuery, TenantScope};

use super::{JobContext, JobError, JobResult};

pub const KIND: &str = "adopt";
/// How often a backup's repositories are looked at for new snapshots:
/// restic keeps making them until the MSP switches its jobs off.
pub const EVERY: &str = "every 5m";

/// What one scan added, for terminals and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// (repository, snapshot full id) of each snapshot newly recorded.
    pub new: Vec<(String, String)>,
    /// Snapshots already on record.
    pub known: usize,
    /// (repository, why) of each repository that could not be read.
    pub unreadable: Vec<(String, String)>,
}

/// Records every adopted snapshot of `scans` not yet on record for
/// `backup` (one `backup` record each, its own times); says what it did.
pub async fn record(
    tenant: &TenantScope,
    backup: &str,
    scans: &[Scan],
    job_run: Option<i64>,
) -> Result<Recorded, String> {
    let query = EvidenceQuery {
        kind: Some(EvidenceKind::Backup),
        subject: Some(backup.to_owned()),
        ..EvidenceQuery::default()
    };
    let on_record: BTreeSet<(String, String)> = tenant
        .evidence_all(&query)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter_map(|e| {
            let run = SiteRun::read(&e.record)?;
            Some((run.repository, run.snapshot?))
        })
        .collect();
    let mut done = Recorded {
        new: Vec::new(),
        known: 0,
        unreadable: Vec::new(),
    };
    let mut records = Vec::new();
    for scan in scans {
        let found = match &scan.outcome {
            Ok(found) => found,
            Err(why) => {
                done.unreadable.push((scan.repository.clone(), why.clone()));
                continue;
            }
        };
        for f in found {
            let key = (scan.repository.clone(), f.info.id.clone());
            if on_record.contains(&key) {
                done.known += 1;
                continue;
            }
            let run = SiteRun {
                repository: scan.repository.clone(),
                site: scan.site.clone(),
                location: scan.location.clone(),
                snapshot: Some(f.info.id.clone()),
                data_time_ms: Some(f.info.time_ms),
                summary: Some(f.info.summary.clone()),
                adopted: Some(f.from.clone()),
            };
            let program = if f.from.program.is_empty() {
                "another tool".to_owned()
            } else {
                f.from.program.clone()
            };
            records.push(NewEvidence {
                kind: EvidenceKind::Backup,
                subject: backup.to_owned(),
                started_ms: f.started_ms,
                finished_ms: f.finished_ms,
                outcome: Outcome::Success,
                measurements: run.to_value(),
                message: format!(
                    "snapshot {} on {} ({}) made by {program} on host \"{}\", adopted",
                    &f.info.id[..8.min(f.info.id.len())],
                    scan.repository,
                    scan.site,
                    f.from.host
                ),
                job_run,
            });
            done.new.push(key);
        }
    }
    if !records.is_empty() {
        tenant
            .append_batch(records)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(done)
}

pub async fn run(cx: &JobContext) -> JobResult {
    let plan = Arc::clone(cx.plan()?);
    let (id, env, cache) = (
        cx.job.subject.clone(),
        cx.env.clone(),
        cx.data_dir.join("cache/rustic"),
    );
    let scans =
        tokio::task::spawn_blocking(move || rempart_backup::adopt::scan(&plan, &id, &env, &cache))
            .await
            .map_err(|e| format!("the adopt task stopped: {e}"))??;
    let done = record(&cx.tenant, &cx.job.subject, &scans, Some(cx.job.run_id)).await?;
    if let Some((repo, why)) = done.unreadable.first() {
        // Seen again at the next try; what was found elsewhere is kept.
        return Err(JobError::Transient(format!(
            "repository \"{repo}\" could not be read for adopted snapshots: {why}"
        )));
    }
    Ok(done.new.len() as u64)
}
