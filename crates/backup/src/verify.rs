//! Verification of a repository: structure, and the stored data itself
//! for a share of the packs (`--read-data`), so that over the plan's
//! verification period every pack is read.

use std::collections::{BTreeMap, HashMap, HashSet};
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

/// A blob (or tree) that snapshots need and the index does not have.
fn missing_blob(text: &str) -> Option<String> {
    if text.contains("missing in index") {
        short_id_after(text, "blob ")
    } else if text.contains("is not in the index") {
        short_id_after(text, "tree ")
    } else {
        None
    }
}

/// A finding of rustic's check said as restic says it, with the way out
/// for the findings rustic words in its own terms.
fn in_restic_words(text: String) -> String {
    if text.contains("not found in index")
        && let Some(id) = short_id_after(&text, "Tree ID `")
    {
        return format!(
            "tree {id} is not in the index: what needs it cannot be read (an index file is lost or damaged; `restic repair index` rebuilds the index from the packs)"
        );
    }
    // "error checking pack 455f2d97 : `rustic_core` experienced an error
    // related to `…`. — Data decryption failed, MAC check failed."
    if let Some(rest) = text.strip_prefix("error checking pack ")
        && let Some(id) = rest.get(..8)
        && let Some((_, cause)) = rest.split_once(" — ")
    {
        return format!("pack {id}: {cause}");
    }
    if text.contains("not referenced in index")
        && let Some(id) = short_id_after(&text, "pack ")
    {
        return format!(
            "pack {id} is not referenced in any index: data no index lists (left by an interrupted backup, or by a lost index file; `restic repair index` lists it again, `restic prune` removes what nothing needs)"
        );
    }
    text
}

/// The snapshots that need a blob of `packs` or one of `missing`: the
/// blobs of the packs come from the index, then every snapshot's trees are
/// walked (each tree once). A tree that cannot be read counts as damage.
fn affected_snapshots<S: rustic_core::Open>(
    plan: &plan::Plan,
    repository: &str,
    repo: rustic_core::Repository<S>,
    snapshots: Vec<rustic_core::repofile::SnapshotFile>,
    packs: &HashSet<String>,
    missing: &HashSet<String>,
) -> std::result::Result<Found, Box<rustic_core::RusticError>> {
    let short = |id: &Id| id.to_hex().as_str()[..8].to_owned();
    let mut suspects = Vec::new();
    let mut damaged = Vec::new();
    for index_id in repo.list::<IndexId>()? {
        let index: IndexFile = repo.get_file(&index_id)?;
        for pack in index.packs.iter().filter(|p| packs.contains(&short(&p.id))) {
            damaged.push(pack.id.to_hex().as_str().to_owned());
            suspects.extend(pack.blobs.iter().map(|b| (short(&pack.id), b.id, b.tpe)));
        }
    }
    let repo = repo.to_indexed()?;
    // Of the blobs of the damaged packs, those that cannot be read back
    // intact, named as restic names them: the others lose nothing.
    let mut bad: HashSet<Id> = HashSet::new();
    let mut named: BTreeMap<String, (Vec<String>, usize)> = BTreeMap::new();
    for (pack, id, tpe) in suspects {
        let intact = repo
            .get_blob_cached(&id, tpe)
            .is_ok_and(|data| id.blob_matches_reader(data.len() as u64, &mut &data[..]));
        if !intact {
            bad.insert(*id);
            let (list, total) = named.entry(pack).or_default();
            *total += 1;
            if list.len() < BLOBS_NAMED {
                let kind = tpe.to_string().to_lowercase();
                list.push(format!("{kind} blob {}", short(&id)));
            }
        }
    }
    let blob_lines = named
        .into_iter()
        .map(|(pack, (list, total))| {
            let more = if total > list.len() {
                format!(" and {} more", total - list.len())
            } else {
                String::new()
            };
            format!(
                "pack {pack}: {}{more} cannot be read back intact",
                list.join(", ")
            )
        })
        .collect();
    let mut known: HashMap<Id, Hit> = HashMap::new();
    let mut affected = Vec::new();
    let bad = Bad {
        blobs: &bad,
        missing,
    };
    for snap in snapshots {
        let hit = tree_damage(&repo, snap.tree, &bad, &mut known);
        if hit.total > 0 {
            affected.push(Affected {
                snapshot: snap.id.to_hex().as_str().to_owned(),
                // The backup it counts for: its own, or the one adopting it.
                backup: crate::snapshots::owner(plan, repository, &snap)
                    .map_or_else(|| snap.label.clone(), |(b, _)| b.id.to_string()),
                time_ms: snap.time.timestamp().as_millisecond(),
                files: hit.paths.iter().map(|p| format!("/{p}")).collect(),
                files_total: hit.total,
            });
        }
    }
    affected.sort_by_key(|a| a.time_ms);
    damaged.sort();
    damaged.dedup();
    Ok(Found {
        affected,
        damaged,
        blob_lines,
    })
}

/// Blobs named per damaged pack (the count says how many in all).
const BLOBS_NAMED: usize = 5;

/// What the walk of the damage found.
struct Found {
    affected: Vec<Affected>,
    /// Damaged packs, full hex ids.
    damaged: Vec<String>,
    /// One line per damaged pack naming its blobs that cannot be read.
    blob_lines: Vec<String>,
}

/// Files named per affected snapshot (the count says how many in all).
const FILES_NAMED: usize = 20;

/// The blobs that are damaged: those of damaged packs, and those (by
/// short id) that the index lacks.
struct Bad<'a> {
    blobs: &'a HashSet<Id>,
    missing: &'a HashSet<String>,
}

impl Bad<'_> {
    fn has(&self, blob: &Id) -> bool {
        self.blobs.contains(blob)
            || (!self.missing.is_empty() && self.missing.contains(&blob.to_hex()[..8]))
    }
}

/// What of a tree needs damaged data: the first paths (relative to it;
/// a folder that cannot be read ends with '/') and how many in all.
#[derive(Debug, Clone, Default)]
struct Hit {
    paths: Vec<String>,
    total: u64,
}

/// What tree `id` (or anything below it) needs of `bad`.
fn tree_damage<S: rustic_core::IndexedTree>(
    repo: &rustic_core::Repository<S>,
    id: TreeId,
    bad: &Bad<'_>,
    known: &mut HashMap<Id, Hit>,
) -> Hit {
    if let Some(hit) = known.get(&*id) {
        return hit.clone();
    }
    let unreadable = Hit {
        paths: vec![String::new()],
        total: 1,
    };
    let hit = if bad.has(&id) {
        unreadable
    } else {
        match repo.get_tree(&id) {
            Err(_) => unreadable,
            Ok(tree) => {
                let mut hit = Hit::default();
                for node in &tree.nodes {
                    let name = node.name().to_string_lossy().into_owned();
                    if node
                        .content
                        .as_ref()
                        .is_some_and(|blobs| blobs.iter().any(|b| bad.has(b)))
                    {
                        hit.total += 1;
                        if hit.paths.len() < FILES_NAMED {
                            hit.paths.push(name.clone());
                        }
                    }
                    if let Some(sub) = node.subtree {
                        let below = tree_damage(repo, sub, bad, known);
                        hit.total += below.total;
                        for p in below.paths {
                            if hit.paths.len() < FILES_NAMED {
                                hit.paths.push(format!("{name}/{p}"));
                            }
                        }
                    }
                }
                hit
            }
        }
    };
    known.insert(*id, hit.clone());
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
    verify_locked(plan, &target, read_data)
}

/// [`verify`] for a caller that already holds the repository's lock
/// (repair holds it exclusively).
pub(crate) fn verify_locked(
    plan: &plan::Plan,
    target: &Target,
    read_data: Option<&str>,
) -> Result<Verified> {
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
            let text = in_restic_words(one_line(&problem.to_string()));
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
            let found = affected_snapshots(plan, &target.id, repo, snapshots, &packs, &missing)
                .map_err(|e| target.fail(e))?;
            errors.extend(found.blob_lines);
            (found.affected, found.damaged)
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
