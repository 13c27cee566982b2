//! Snapshots that another tool (restic) made in a backup's repositories
//! and that the backup's `adopt` rule takes: the restore points an MSP
//! already has when it moves to Rempart, counted from the first minute.

use std::path::Path;

use rempart_core::evidence::measure::AdoptedFrom;
use rempart_core::plan;
use rustic_core::repofile::SnapshotFile;

use crate::run::{SnapshotInfo, guarded, info, targets};
use crate::secrets::Resolver;
use crate::snapshots::{Origin, belongs};
use crate::{BackupError, Result};

/// One adopted snapshot.
#[derive(Debug, Clone)]
pub struct Found {
    pub info: SnapshotInfo,
    /// When the tool that made it started and ended it, ms since the
    /// epoch (the snapshot's time when it does not say).
    pub started_ms: i64,
    pub finished_ms: i64,
    pub from: AdoptedFrom,
}

/// What one repository holds for the backup's `adopt` rule.
#[derive(Debug)]
pub struct Scan {
    pub repository: String,
    pub site: String,
    pub location: String,
    /// The adopted snapshots, oldest first, or why the repository could not
    /// be read.
    pub outcome: std::result::Result<Vec<Found>, String>,
}

fn found(s: &SnapshotFile) -> Found {
    let time = s.time.timestamp().as_millisecond();
    let (started_ms, finished_ms) = s.summary.as_ref().map_or((time, time), |sum| {
        (
            sum.backup_start.timestamp().as_millisecond(),
            sum.backup_end.timestamp().as_millisecond(),
        )
    });
    Found {
        info: info(s),
        started_ms: started_ms.min(finished_ms),
        finished_ms,
        from: AdoptedFrom {
            program: s.program_version.clone(),
            host: s.hostname.clone(),
            paths: s.paths.iter().cloned().collect(),
            tags: s.tags.iter().cloned().collect(),
        },
    }
}

/// The snapshots backup `id` adopts on each of its targets. An error is
/// the plan's (no such backup, no `adopt`); a repository that cannot be
/// read is said in its own [`Scan`].
pub fn scan(plan: &plan::Plan, id: &str, env: &Resolver, cache: &Path) -> Result<Vec<Scan>> {
    let (backup, targets) = targets(plan, id, env, cache, None)?;
    if backup.adopt.is_none() {
        return Err(BackupError::Usage(format!(
            "backup \"{id}\" adopts no snapshot: add adopt = {{ host = \"…\", paths = [\"…\"] }} (or adopt = {{}} for every snapshot of its repositories)"
        )));
    }
    Ok(targets
        .iter()
        .map(|target| {
            let outcome = guarded(target, || {
                let repo = target.open()?;
                let mut mine: Vec<SnapshotFile> = crate::snapshots::readable(target, &repo)?
                    .into_iter()
                    .filter(|s| belongs(plan, id, &target.id, s) == Some(Origin::Adopted))
                    .collect();
                mine.sort_unstable();
                Ok(mine.iter().map(found).collect())
            })
            .map_err(|e: BackupError| e.to_string());
            Scan {
                repository: target.id.clone(),
                site: target.site.clone(),
                location: target.location.clone(),
                outcome,
            }
        })
        .collect())
}
