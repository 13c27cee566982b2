//! A repository's snapshots, read so that one unreadable snapshot file
//! (truncated, corrupted) hides none of the others, as with restic: the
//! others are listed and restorable, and the unreadable one is reported.

use rempart_core::plan;
use rustic_core::repofile::{SnapshotFile, SnapshotId};
use rustic_core::{Open, Repository};

use crate::repository::Target;
use crate::{Result, sentence};

/// A snapshot file that cannot be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Full hex id (the file's name).
    pub id: String,
    pub why: String,
}

/// Every snapshot of `repo` that reads, and the ones that do not. Reading
/// all at once is rustic's fast path; only when it fails is each file read
/// on its own. An error here is the repository's listing failing.
pub fn all<S: Open>(
    target: &Target,
    repo: &Repository<S>,
) -> Result<(Vec<SnapshotFile>, Vec<Unreadable>)> {
    if let Ok(all) = repo.get_all_snapshots() {
        return Ok((all, Vec::new()));
    }
    let ids: Vec<SnapshotId> = repo
        .list::<SnapshotId>()
        .map_err(|e| target.fail(e))?
        .collect();
    let mut good = Vec::with_capacity(ids.len());
    let mut bad = Vec::new();
    for id in ids {
        match repo.get_file::<SnapshotFile>(&id) {
            Ok(mut snap) => {
                snap.id = id;
                good.push(snap);
            }
            Err(e) => bad.push(Unreadable {
                id: id.to_hex().as_str().to_owned(),
                why: sentence(&e),
            }),
        }
    }
    Ok((good, bad))
}

/// [`all`], the unreadable ones left out: for work that needs only the
/// snapshots it can read (copies, restores, retention, which never
/// forgets what it cannot read).
pub fn readable<S: Open>(target: &Target, repo: &Repository<S>) -> Result<Vec<SnapshotFile>> {
    all(target, repo).map(|(good, _)| good)
}

/// How a snapshot counts for a plan backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Rempart made it for the backup (the snapshot's label is its id).
    Rempart,
    /// Another tool (restic) made it, and the backup's `adopt` takes it.
    Adopted,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Rempart => "rempart",
            Origin::Adopted => "adopted",
        }
    }
}

/// The plan backup snapshot `s` of repository `repository` counts for, and
/// how: the backup whose id is its label (Rempart made it), else the first
/// backup writing to `repository` whose `adopt` takes it. `None`: a
/// snapshot no backup of the plan claims.
pub fn owner<'p>(
    plan: &'p plan::Plan,
    repository: &str,
    s: &SnapshotFile,
) -> Option<(&'p plan::Backup, Origin)> {
    if let Some(b) = plan.backups.iter().find(|b| b.id.as_str() == s.label) {
        return Some((b, Origin::Rempart));
    }
    if made_by_rempart(s) {
        // A backup the plan no longer has: adopted by none.
        return None;
    }
    let paths: Vec<String> = s.paths.iter().cloned().collect();
    let tags: Vec<String> = s.tags.iter().cloned().collect();
    plan.backups
        .iter()
        .filter(|b| b.targets.iter().any(|t| t.as_str() == repository))
        .find(|b| {
            b.adopt
                .as_ref()
                .is_some_and(|a| a.matches(&s.hostname, &paths, &tags))
        })
        .map(|b| (b, Origin::Adopted))
}

/// Whether Rempart made `s` (its snapshots carry their backup's id as
/// label and the tag "rempart").
pub fn made_by_rempart(s: &SnapshotFile) -> bool {
    !s.label.is_empty() && s.tags.contains("rempart")
}

/// How snapshot `s` of `repository` counts for backup `backup`, if it does.
pub fn belongs(
    plan: &plan::Plan,
    backup: &str,
    repository: &str,
    s: &SnapshotFile,
) -> Option<Origin> {
    owner(plan, repository, s)
        .filter(|(b, _)| b.id.as_str() == backup)
        .map(|(_, o)| o)
}
