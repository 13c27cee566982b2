//! A repository's snapshots, read so that one unreadable snapshot file
//! (truncated, corrupted) hides none of the others, as with restic: the
//! others are listed and restorable, and the unreadable one is reported.

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
