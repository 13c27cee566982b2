//! `rempart repair REPO --from OTHER`: heals a repository's damaged or
//! missing data from another site's copy, then proves it with a verify.
//!
//! 1. A verify of REPO names the damaged packs and the snapshots that need
//!    them. Every such snapshot must also be on OTHER, or nothing is done
//!    (healing would lose what only REPO has).
//! 2. A damaged pack that OTHER holds intact under the same name (the two
//!    sites share a master key, see `repo init`) is written over.
//! 3. Any other damaged pack is removed with its index entries, and the
//!    affected snapshots are copied again from OTHER: `copy` writes
//!    exactly the blobs REPO now lacks. The duplicate snapshot records the
//!    copy leaves are deleted.
//! 4. Snapshots of the backups the two sites share that REPO lacks are
//!    copied from OTHER.
//! 5. REPO is verified again.

use std::collections::HashSet;
use std::path::Path;

use rempart_core::plan;
use rustic_core::repofile::SnapshotFile;
use rustic_core::{FileType, Id, RepairIndexOptions};

use crate::repository::{OpenRepo, Target};
use crate::run::guarded;
use crate::secrets::Resolver;
use crate::transfer::move_file;
use crate::verify::{Verified, verify_locked};
use crate::{BackupError, Result};

/// What a repair did.
#[derive(Debug, Clone)]
pub struct Repaired {
    pub repository: String,
    pub from: String,
    /// What the first verify found.
    pub before: Verified,
    /// Damaged packs replaced by the other site's intact file.
    pub packs_replaced: Vec<String>,
    /// Damaged packs removed, their blobs copied again from the other site.
    pub packs_rebuilt: Vec<String>,
    /// Snapshots REPO lacked, copied from the other site.
    pub snapshots_copied: usize,
    /// The verify after the repair.
    pub after: Verified,
}

impl Repaired {
    /// The repair as its evidence records it.
    pub fn measure(&self) -> rempart_core::evidence::measure::Repair {
        rempart_core::evidence::measure::Repair {
            repository: self.repository.clone(),
            from: self.from.clone(),
            before: Some(self.before.clone()),
            packs_replaced: self.packs_replaced.clone(),
            packs_rebuilt: self.packs_rebuilt.clone(),
            snapshots_copied: self.snapshots_copied as u64,
            after: Some(self.after.clone()),
        }
    }
}

/// The snapshots of `snaps` that have a twin (same backup, same data
/// time) in `others`.
fn twins<'a>(snaps: &'a [SnapshotFile], others: &[SnapshotFile]) -> Vec<&'a SnapshotFile> {
    snaps
        .iter()
        .filter(|s| {
            others
                .iter()
                .any(|o| o.label == s.label && o.time == s.time)
        })
        .collect()
}

/// Heals repository `id` from repository `from` of the same plan.
/// `read_data` is the share of the data the verifies read (default all).
pub fn repair(
    plan: &plan::Plan,
    id: &str,
    from: &str,
    env: &Resolver,
    cache: &Path,
    read_data: Option<&str>,
) -> Result<Repaired> {
    let share = Some(read_data.unwrap_or("100%"));
    let target = Target::from_plan(plan, id, env, cache)?;
    let source = Target::from_plan(plan, from, env, cache)?;
    if id == from {
        return Err(BackupError::Source {
            backup: String::new(),
            why: format!("repository \"{id}\" cannot be repaired from itself; name another site"),
        });
    }
    let _lock = target.lock(true)?;
    let before = verify_locked(plan, &target, share)?;
    // Each opened once (key derivation); reopened with the derived key
    // where rustic needs an indexed repository.
    let sites = Sites {
        target: &target,
        dest: target.open()?,
        source: &source,
        src: source.open()?,
    };
    let src_snaps = crate::snapshots::readable(&source, &sites.src)?;
    let mut round = heal(&sites, &src_snaps, &before)?;
    target.clear_cache();
    // A damaged tree stops rustic's check early, hiding further damage:
    // heal what each verify finds until one finds nothing new.
    let mut after = verify_locked(plan, &target, share)?;
    for _ in 0..4 {
        if after.damaged_packs.is_empty() && after.affected_snapshots.is_empty() {
            break;
        }
        let more = heal(&sites, &src_snaps, &after)?;
        target.clear_cache();
        round.packs_replaced.extend(more.packs_replaced);
        round.packs_rebuilt.extend(more.packs_rebuilt);
        after = verify_locked(plan, &target, share)?;
    }
    let snapshots_copied = copy_missing(plan, &sites, &src_snaps)?;
    if snapshots_copied > 0 {
        after = verify_locked(plan, &target, share)?;
    }
    Ok(Repaired {
        repository: id.to_owned(),
        from: from.to_owned(),
        before,
        packs_replaced: round.packs_replaced,
        packs_rebuilt: round.packs_rebuilt,
        snapshots_copied,
        after,
    })
}

/// Packs healed by one round.
struct Round {
    packs_replaced: Vec<String>,
    packs_rebuilt: Vec<String>,
}

/// The repository to heal and the one to heal it from, opened.
struct Sites<'a> {
    target: &'a Target,
    dest: OpenRepo,
    source: &'a Target,
    src: OpenRepo,
}

impl Sites<'_> {
    /// Both repositories again, indexed for rustic's `copy`.
    fn for_copy(
        &self,
    ) -> Result<(
        rustic_core::Repository<rustic_core::IndexedFullStatus>,
        rustic_core::Repository<rustic_core::IndexedIdsStatus>,
    )> {
        let (source, target) = (self.source, self.target);
        let src = source.open_quiet(self.src.key())?;
        let dest = target.open_quiet(self.dest.key())?;
        Ok((
            src.to_indexed().map_err(|e| source.fail(e))?,
            dest.to_indexed_ids().map_err(|e| target.fail(e))?,
        ))
    }
}

/// Heals the damage `found` names on the target from the source, whose
/// snapshots are `src_snaps`.
fn heal(sites: &Sites<'_>, src_snaps: &[SnapshotFile], found: &Verified) -> Result<Round> {
    let (target, source) = (sites.target, sites.source);
    let (id, from) = (target.id.as_str(), source.id.as_str());
    let lost: Vec<String> = found
        .affected_snapshots
        .iter()
        .filter(|a| {
            !src_snaps
                .iter()
                .any(|s| s.label == a.backup && s.time.timestamp().as_millisecond() == a.time_ms)
        })
        .map(|a| format!("{} ({})", &a.snapshot[..8], a.backup))
        .collect();
    if !lost.is_empty() {
        return Err(BackupError::Source {
            backup: String::new(),
            why: format!(
                "repository \"{from}\" does not hold {} damaged snapshot(s) of \"{id}\": {}; nothing was changed",
                lost.len(),
                lost.join(", ")
            ),
        });
    }
    let (mut packs_replaced, mut packs_rebuilt) = (Vec::new(), Vec::new());
    // Reopened each round: the previous round emptied its cache.
    let dest = &target.open_quiet(sites.dest.key())?;
    let shared = Target::shares_key(&sites.src, dest);
    // 2. Same name, intact on the other site: write it over.
    for hex in &found.damaged_packs {
        let pack: Id = hex.parse().map_err(|e| BackupError::Source {
            backup: String::new(),
            why: format!("pack id {hex} from the verify does not read: {e}"),
        })?;
        let replaced = shared
            && move_file(
                source.storage().as_ref(),
                target.storage().as_ref(),
                FileType::Pack,
                &pack,
            )
            .is_ok();
        if replaced {
            packs_replaced.push(hex.clone());
        } else {
            packs_rebuilt.push(pack);
        }
    }
    // 3. Remove the others; copy the affected snapshots' blobs again.
    if !packs_rebuilt.is_empty() {
        for pack in &packs_rebuilt {
            // A missing pack cannot be removed; one that will not go shows
            // in the verify after.
            let _ = target.storage().remove(FileType::Pack, pack, false);
        }
        dest.repair_index(&RepairIndexOptions::default(), false)
            .map_err(|e| target.fail(e))?;
        let affected: HashSet<&str> = found
            .affected_snapshots
            .iter()
            .map(|a| a.snapshot.as_str())
            .collect();
        let dest_snaps = crate::snapshots::readable(target, dest)?;
        let hit: Vec<SnapshotFile> = dest_snaps
            .iter()
            .filter(|s| affected.contains(s.id.to_hex().as_str()))
            .cloned()
            .collect();
        let again = twins(src_snaps, &hit);
        let known: HashSet<Id> = dest_snaps.iter().map(|s| *s.id).collect();
        guarded(target, || {
            let (src, dest) = sites.for_copy()?;
            src.copy(&dest, again.iter().copied())
                .map_err(|e| target.fail(e))?;
            let duplicates: Vec<rustic_core::repofile::SnapshotId> = dest
                .get_all_snapshots()
                .map_err(|e| target.fail(e))?
                .into_iter()
                .filter(|s| !known.contains(&*s.id))
                .map(|s| s.id)
                .collect();
            dest.delete_snapshots(&duplicates)
                .map_err(|e| target.fail(e))
        })?;
    }
    Ok(Round {
        packs_replaced,
        packs_rebuilt: packs_rebuilt
            .iter()
            .map(|p| p.to_hex().as_str().to_owned())
            .collect(),
    })
}

/// Copies from `source` the snapshots of the backups both sites hold
/// that `target` lacks; returns how many.
fn copy_missing(plan: &plan::Plan, sites: &Sites<'_>, src_snaps: &[SnapshotFile]) -> Result<usize> {
    let target = sites.target;
    let (id, from) = (target.id.as_str(), sites.source.id.as_str());
    let labels: HashSet<&str> = plan
        .backups
        .iter()
        .filter(|b| {
            b.targets.iter().any(|t| t.as_str() == id)
                && b.targets.iter().any(|t| t.as_str() == from)
        })
        .map(|b| b.id.as_str())
        .collect();
    let wanted: Vec<SnapshotFile> = src_snaps
        .iter()
        .filter(|s| labels.contains(s.label.as_str()))
        .cloned()
        .collect();
    guarded(target, || {
        let (src, dest) = sites.for_copy()?;
        let todo = dest
            .relevant_copy_snapshots(|_| true, &wanted)
            .map_err(|e| target.fail(e))?;
        let missing: Vec<&SnapshotFile> =
            todo.iter().filter(|c| c.relevant).map(|c| &c.sn).collect();
        if !missing.is_empty() {
            src.copy(&dest, missing.iter().copied())
                .map_err(|e| target.fail(e))?;
        }
        Ok(missing.len())
    })
}
