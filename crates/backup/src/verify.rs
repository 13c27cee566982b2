//! Verification of a repository: structure, and the stored data itself
//! for a share of the packs (`--read-data`), so that over the plan's
//! verification period every pack is read.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use rempart_core::plan;
use rustic_core::repofile::{IndexFile, IndexId};
use rustic_core::{CheckOptions, Id, ReadSubsetOption, TreeId};

use crate::immutable::object_lock;
use crate::repository::Target;
use crate::run::guarded;
use crate::secrets::Resolver;
use crate::{BackupError, Result};

/// What a verification found on one repository, as its evidence says it.
pub use rempart_core::evidence::measure::{Affected, Verification as Verified};

/// The 8-hex-digit id prefix following `word ` in a check finding
/// (rustic's findings name packs and blobs by their short id).
fn short_id_after(text: &str, word: &str) -> Option<String> {
    text.match_indices(word).find_map(|(at, _)| {
        let id = text.get(at + word.len()..at + word.len() + 8)?;
        let next = text[at + word.len() + 8..].chars().next();
        (id.chars().all(|c| c.is_ascii_hexdigit()) && !next.is_some_and(|c| c.is_ascii_hexdigit()))
            .then(|| id.to_owned())
    })
}

/// The pack an error finding is about, when it is about a pack's data.
fn damaged_pack(text: &str) -> Option<String> {
    short_id_after(text, "pack ")
        .or_else(|| short_id_after(text, "Pack:"))
        .or_else(|| short_id_after(text, "Type: Pack, Id: "))
}

/// One line from one of rustic's multi-paragraph errors: its first line
/// and each "Message:", without backtraces or context dumps.
fn one_line(text: &str) -> String {
    let mut lines = text.lines().map(str::trim);
    let mut out = lines.next().unwrap_or_default().to_owned();
    let mut take = false;
    for line in lines {
        if line == "Message:" {
            take = true;
        } else if take && !line.is_empty() {
            out.push_str(" — ");
            out.push_str(line);
            take = false;
        } else if line.starts_with("Backtrace:") {
            break;
        }
    }
    out
}

/// A blob that snapshots need and the index does not have.
fn missing_blob(text: &str) -> Option<String> {
    text.contains("missing in index")
        .then(|| short_id_after(text, "blob "))
        .flatten()
}

/// The snapshots that need a blob of `packs` or one of `missing`: the
/// blobs of the packs come from the index, then every snapshot's trees are
/// walked (each tree once). A tree that cannot be read counts as damage.
fn affected_snapshots<S: rustic_core::Open>(
    repo: rustic_core::Repository<S>,
    snapshots: Vec<rustic_core::repofile::SnapshotFile>,
    packs: &HashSet<String>,
    missing: &HashSet<String>,
) -> std::result::Result<(Vec<Affected>, Vec<String>), Box<rustic_core::RusticError>> {
    let short = |id: &Id| id.to_hex().as_str()[..8].to_owned();
    let mut bad = HashSet::new();
    let mut damaged = Vec::new();
    for index_id in repo.list::<IndexId>()? {
        let index: IndexFile = repo.get_file(&index_id)?;
        for pack in index.packs.iter().filter(|p| packs.contains(&short(&p.id))) {
            damaged.push(pack.id.to_hex().as_str().to_owned());
            bad.extend(pack.blobs.iter().map(|b| *b.id));
        }
    }
    let repo = repo.to_indexed_ids()?;
    let mut known: HashMap<Id, bool> = HashMap::new();
    let mut affected = Vec::new();
    for snap in snapshots {
        if tree_hit(&repo, snap.tree, &bad, missing, &mut known) {
            affected.push(Affected {
                snapshot: snap.id.to_hex().as_str().to_owned(),
                backup: snap.label.clone(),
                time_ms: snap.time.timestamp().as_millisecond(),
            });
        }
    }
    affected.sort_by_key(|a| a.time_ms);
    damaged.sort();
    damaged.dedup();
    Ok((affected, damaged))
}

/// Whether tree `id` (or anything below it) needs a blob of `bad`.
fn tree_hit<S: rustic_core::IndexedTree>(
    repo: &rustic_core::Repository<S>,
    id: TreeId,
    bad: &HashSet<Id>,
    missing: &HashSet<String>,
    known: &mut HashMap<Id, bool>,
) -> bool {
    if let Some(hit) = known.get(&*id) {
        return *hit;
    }
    let is_bad = |blob: &Id| {
        bad.contains(blob) || (!missing.is_empty() && missing.contains(&blob.to_hex()[..8]))
    };
    let hit = is_bad(&id)
        || match repo.get_tree(&id) {
            Err(_) => true,
            Ok(tree) => tree.nodes.iter().any(|node| {
                node.content
                    .as_ref()
                    .is_some_and(|blobs| blobs.iter().any(|b| is_bad(b)))
                    || node
                        .subtree
                        .is_some_and(|sub| tree_hit(repo, sub, bad, missing, known))
            }),
        };
    known.insert(*id, hit);
    hit
}

/// Parses a read-data share: `100%`, `10%`, `3/7` (slice 3 of 7), `500MiB`.
pub fn parse_subset(text: &str) -> Result<ReadSubsetOption> {
    // rustic reads a bare number as bytes: "100" would read 100 bytes and
    // be shown as "100 of the data read", which reads as everything.
    if !text.trim().is_empty() && text.trim().chars().all(|c| c.is_ascii_digit()) {
        return Err(BackupError::Usage(format!(
            "read-data \"{text}\" has no unit: write {text}% for a share of the packs, 3/7 for slice 3 of 7, or {text}MiB for an amount of data"
        )));
    }
    // rustic 0.13 fills a percentage by adding packs while the rest is
    // strictly larger than the next pack, so "100%" always leaves one pack
    // unread: all the data is `All`.
    if text
        .trim()
        .strip_suffix('%')
        .and_then(|p| p.trim().parse::<f64>().ok())
        .is_some_and(|p| p >= 100.0)
    {
        return Ok(ReadSubsetOption::All);
    }
    text.parse::<ReadSubsetOption>().map_err(|e| {
        BackupError::Usage(format!(
            "\"{text}\" is not a read-data share (10%, 3/7 or 500MiB): {e}"
        ))
    })
}

/// Checks repository `id`, reading `read_data` of its packs when given.
pub fn verify(
    plan: &plan::Plan,
    id: &str,
    env: &Resolver,
    cache: &Path,
    read_data: Option<&str>,
) -> Result<Verified> {
    let target = Target::from_plan(plan, id, env, cache)?;
    // A prune beside the check would look like missing packs.
    let _lock = target.lock(false)?;
    verify_locked(&target, read_data)
}

/// [`verify`] for a caller that already holds the repository's lock
/// (repair holds it exclusively).
pub(crate) fn verify_locked(target: &Target, read_data: Option<&str>) -> Result<Verified> {
    let subset = read_data.map(parse_subset).transpose()?;
    let clock = Instant::now();
    let results = guarded(target, || {
        let repo = target.open()?;
        let mut options = CheckOptions::default();
        if let Some(subset) = subset {
            options = options.read_data(true).read_data_subset(subset);
        }
        // An unreadable snapshot file is damage of its own; the others'
        // trees are still checked (rustic's `check` would stop at it).
        let (snapshots, unreadable) = crate::snapshots::all(target, &repo)?;
        let trees = snapshots.iter().map(|s| s.tree).collect();
        let results = repo
            .check_with_trees(options, trees)
            .map_err(|e| target.fail(e))?;
        let mut errors: Vec<String> = unreadable
            .iter()
            .map(|u| format!("snapshot {} cannot be read: {}", u.id, u.why))
            .collect();
        let mut warnings = Vec::new();
        for (level, problem) in &results.0 {
            let text = one_line(&problem.to_string());
            if format!("{level:?}") == "Warn" {
                warnings.push(text);
            } else {
                errors.push(text);
            }
        }
        let packs: HashSet<String> = errors.iter().filter_map(|e| damaged_pack(e)).collect();
        let missing: HashSet<String> = errors.iter().filter_map(|e| missing_blob(e)).collect();
        let (affected, damaged_packs) = if packs.is_empty() && missing.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            affected_snapshots(repo, snapshots, &packs, &missing).map_err(|e| target.fail(e))?
        };
        let unreadable = unreadable.into_iter().map(|u| u.id).collect();
        Ok((errors, warnings, affected, damaged_packs, unreadable))
    })?;
    // Reads fail once stopped: what such a check found says nothing.
    if let Some(why) = target.stopped() {
        return Err(BackupError::Stopped { why });
    }
    let (mut errors, warnings, affected, damaged_packs, unreadable_snapshots) = results;
    // Measured, not declared: an immutable copy must be locked by the storage.
    let immutable = match (&target.s3, target.immutable) {
        (Some(access), true) => match object_lock(access) {
            Ok(lock) => {
                if !lock.enforced() {
                    errors.push(format!(
                        "the plan says this copy is immutable, but bucket \"{}\" {}: deleting or overwriting its packs is possible",
                        access.bucket,
                        if lock.enabled {
                            "has object lock without a default retention"
                        } else {
                            "has no object lock"
                        }
                    ));
                }
                Some(lock.to_json())
            }
            Err(why) => {
                errors.push(format!(
                    "cannot read the object lock of bucket \"{}\": {why}",
                    access.bucket
                ));
                None
            }
        },
        _ => None,
    };
    Ok(Verified {
        repository: target.id.clone(),
        site: target.site.clone(),
        location: target.location.clone(),
        read_data: read_data.map(str::to_owned),
        errors,
        warnings,
        damaged_packs,
        affected_snapshots: affected,
        unreadable_snapshots,
        immutable,
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}
