//! Retention: forget the snapshots of a backup that the plan's rules do
//! not keep, then prune the data nothing refers to any more, deleted at
//! once so that `restic check` stays clean. The newest snapshot of the
//! backup is always kept, whatever the rules say.

use std::path::Path;

use rempart_core::plan;
use rustic_core::repofile::{SnapshotFile, SnapshotId};
use rustic_core::{ForgetGroups, Grouped, KeepOptions, PruneOptions, SnapshotGroupCriterion, jiff};

use crate::run::guarded;
use crate::secrets::Resolver;
use crate::{BackupError, Result};

/// What retention did on one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    pub repository: String,
    pub site: String,
    pub kept: usize,
    pub forgotten: usize,
}

fn keep_options(r: &plan::Retention) -> KeepOptions {
    let count = |n: Option<u32>| n.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    let mut keep = KeepOptions::default()
        .keep_last(count(r.last))
        .keep_hourly(count(r.hourly))
        .keep_daily(count(r.daily))
        .keep_weekly(count(r.weekly))
        .keep_monthly(count(r.monthly))
        .keep_yearly(count(r.yearly));
    if let Some(within) = r.within {
        let seconds = i64::try_from(within.as_secs()).unwrap_or(i64::MAX);
        if let Ok(span) = jiff::Span::new().try_seconds(seconds) {
            keep = keep.keep_within(Some(span));
        }
    }
    keep
}

/// Applies backup `id`'s retention on each of its targets. A backup
/// without retention keeps everything.
pub fn apply(plan: &plan::Plan, id: &str, env: &Resolver, cache: &Path) -> Result<Vec<Pruned>> {
    let (backup, targets) = crate::run::targets(plan, id, env, cache, None)?;
    let Some(rules) = backup.retention else {
        return Ok(Vec::new());
    };
    let keep = keep_options(&rules);
    let mut done = Vec::new();
    for target in &targets {
        let pruned = guarded(target, || {
            let _lock = target.lock(true)?;
            let repo = target.open()?;
            // A snapshot that cannot be read is never forgotten here.
            let mine: Vec<SnapshotFile> = crate::snapshots::readable(target, &repo)?
                .into_iter()
                .filter(|s| s.label == id)
                .collect();
            let newest = mine.iter().max().map(|s| s.id);
            let total = mine.len();
            let groups = Grouped::from_items(mine, SnapshotGroupCriterion::new().label(true));
            let now = jiff::Zoned::now();
            let plan = ForgetGroups::from_grouped_snapshots_with_retention(groups, &keep, &now)
                .map_err(|e| target.fail(e))?;
            let forget: Vec<SnapshotId> = plan
                .into_forget_ids()
                .into_iter()
                .filter(|s| Some(*s) != newest)
                .collect();
            if !forget.is_empty() {
                repo.delete_snapshots(&forget).map_err(|e| target.fail(e))?;
                let options = PruneOptions::default().instant_delete(true);
                let prune = repo.prune_plan(&options).map_err(|e| target.fail(e))?;
                repo.prune(&options, prune).map_err(|e| target.fail(e))?;
            }
            Ok::<Pruned, BackupError>(Pruned {
                repository: target.id.clone(),
                site: target.site.clone(),
                kept: total - forget.len(),
                forgotten: forget.len(),
            })
        })?;
        done.push(pruned);
    }
    Ok(done)
}
