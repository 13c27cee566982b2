//! Restore a plan backup from the first site that can serve it: when a
//! site is unreachable or its data is damaged, the next one is tried and
//! the reason is kept.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rempart_core::plan;
use rustic_core::repofile::{Node, SnapshotFile};
use rustic_core::{
    LocalDestination, LsOptions, ProgressBars, ProgressType, RestoreOptions, RestorePlan,
};

use crate::repository::Target;
use crate::run::{guarded, targets};
use crate::secrets::Resolver;
use crate::{BackupError, Result};

/// Which snapshot to restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Latest,
    /// A snapshot id or its prefix (as `restic snapshots` shows).
    Id(String),
    /// The newest snapshot taken at or before this time (ms since the epoch).
    Before(i64),
}

/// A restore that happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    pub repository: String,
    pub site: String,
    pub location: String,
    pub snapshot: String,
    /// Time of the restored data, ms since the epoch: now minus this is the RPO achieved.
    pub data_time_ms: i64,
    /// Entries that are not folders (regular files, symlinks, devices,
    /// fifos), counted as the backup's summary (and `backup list`) counts
    /// them, whether or not the destination already held them intact.
    pub files: u64,
    /// Of `files`, the symlinks.
    pub symlinks: u64,
    /// Their size, as the backup's summary counts it (a symlink's is the
    /// length of its target).
    pub bytes: u64,
    /// Wall time of the restore, in ms: the floor of the RTO.
    pub duration_ms: u64,
    /// Sites tried before, and why they could not serve.
    pub fell_back: Vec<String>,
}

fn time_ms(s: &SnapshotFile) -> i64 {
    s.time.timestamp().as_millisecond()
}

/// The snapshot `which` names among `snaps` (repository `repository`'s):
/// the latest or the newest before a time among backup `backup`'s own and
/// adopted ones; any snapshot of the repository by its id, as restic
/// restores it. `Err`: why none is.
fn pick(
    plan: &plan::Plan,
    repository: &str,
    snaps: Vec<SnapshotFile>,
    backup: &str,
    which: &Pick,
) -> std::result::Result<SnapshotFile, String> {
    if let Pick::Id(prefix) = which {
        let prefix = prefix.to_ascii_lowercase();
        let mut found: Vec<SnapshotFile> = snaps
            .into_iter()
            .filter(|s| s.id.to_hex().as_str().starts_with(prefix.as_str()))
            .collect();
        return match found.len() {
            0 => Err(format!(
                "no snapshot {prefix} in repository \"{repository}\""
            )),
            1 => Ok(found.remove(0)),
            n => Err(format!(
                "{n} snapshots of repository \"{repository}\" start with {prefix}: give more of the id"
            )),
        };
    }
    let mut mine: Vec<SnapshotFile> = snaps
        .into_iter()
        .filter(|s| crate::snapshots::belongs(plan, backup, repository, s).is_some())
        .collect();
    mine.sort_unstable();
    let found = match which {
        Pick::Before(t) => mine.into_iter().rev().find(|s| time_ms(s) <= *t),
        _ => mine.pop(),
    };
    found.ok_or_else(|| format!("no matching snapshot in repository \"{repository}\""))
}

/// `e` as the destination's error when it is one (a full disk, a folder
/// that refuses writes), the repository's otherwise.
fn blame(target: &Target, to: &Path, e: Box<rustic_core::RusticError>) -> BackupError {
    if !e.is_code(rustic_core::DESTINATION_ERROR) {
        return target.fail(e);
    }
    BackupError::Destination {
        path: to.display().to_string(),
        why: crate::sentence(&e),
    }
}

fn restore_from(
    plan: &plan::Plan,
    target: &Target,
    backup: &str,
    which: &Pick,
    to: &Path,
) -> Result<Restored> {
    let clock = Instant::now();
    // No prune while reading: it could delete packs under the restore.
    let _lock = target.lock(false)?;
    let repo = target.open()?;
    let snaps = crate::snapshots::readable(target, &repo)?;
    let snap = pick(plan, &target.id, snaps, backup, which).map_err(|why| {
        BackupError::NothingToRestore {
            backup: backup.to_owned(),
            why,
        }
    })?;
    // rustic would draw a bar per batch; one bar for the whole restore
    // instead, on a repository opened without rustic's bars.
    let bar = target.bars().map(|b| {
        let bar = b
            .labelled(&target.id)
            .progress(ProgressType::Bytes, "restoring");
        bar.set_length(snap.summary.as_ref().map_or(0, |s| s.total_bytes_processed));
        bar
    });
    let repo = match bar {
        Some(_) => target.open_quiet(repo.key())?,
        None => repo,
    };
    let repo = repo.to_indexed().map_err(|e| target.fail(e))?;
    let node = repo
        .node_from_snapshot_and_path(&snap, "")
        .map_err(|e| target.fail(e))?;
    let ls = repo
        .ls(&node, &LsOptions::default())
        .map_err(|e| target.fail(e))?;
    let dest =
        LocalDestination::new(&to.display().to_string(), true, !node.is_dir()).map_err(|e| {
            blame(
                target,
                to,
                e.attach_error_code(rustic_core::DESTINATION_ERROR),
            )
        })?;
    let options = RestoreOptions::default();
    // rustic restores a whole plan at once and queues every decoded blob
    // for writing: its memory grows with the restored size (1.7 GiB for a
    // 1.7 GB tree). Restoring in batches of about BATCH_BYTES keeps it
    // bounded. Batches are pipelined: this thread prepares them (rustic's
    // preparation runs on one thread) while `WRITERS` threads each restore
    // one, so that the end of one batch, when few of rustic's threads are
    // left working, overlaps the next. The folders' own metadata (times,
    // permissions) is set last, once every file in them is written.
    //
    // Measured on a 1.7 GB tree of 44 000 files (BENCHMARKS.md,
    // 2026-12-02): one writer and 32 MiB batches 3.2 s into tmpfs; two
    // writers 2.7–3.0 s. Each writer runs rustic's restore with 10 reader
    // threads (vendor/rustic_core/PATCHED.md), 20 in all as before. Peak
    // RSS onto disk: 24 MiB batches 159–172 MiB, 32 MiB up to 241 MiB.
    const BATCH_BYTES: u64 = 24 << 20;
    const WRITERS: usize = 2;
    let (mut files, mut symlinks, mut bytes) = (0, 0, 0);
    let mut folders: Vec<(PathBuf, Node)> = Vec::new();
    let (repo, dest, options, bar) = (&repo, &dest, &options, bar.as_ref());
    let restore_batch = |plan: RestorePlan, batch: Vec<(PathBuf, Node)>| -> Result<()> {
        let size = plan.restore_size;
        repo.restore(plan, options, batch.into_iter().map(Ok), dest)
            .map_err(|e| blame(target, to, e))?;
        if let Some(bar) = bar {
            bar.inc(size);
        }
        Ok(())
    };
    let prepare = |batch: &[(PathBuf, Node)]| -> Result<RestorePlan> {
        repo.prepare_restore(options, batch.iter().cloned().map(Ok), dest, false)
            .map_err(|e| target.fail(e))
    };
    type Prepared = (RestorePlan, Vec<(PathBuf, Node)>);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Prepared>(1);
    let rx = std::sync::Mutex::new(rx);
    // Set by a writer that failed: no more batches are prepared or written.
    let failed = std::sync::atomic::AtomicBool::new(false);
    let failed_now = || failed.load(std::sync::atomic::Ordering::Relaxed);
    std::thread::scope(|scope| -> Result<()> {
        let (rx, restore_batch, failed, failed_now) = (&rx, &restore_batch, &failed, &failed_now);
        let running: Vec<_> = (0..WRITERS)
            .map(|_| {
                scope.spawn(move || -> Result<()> {
                    // After a failure, or a panic inside rustic, the queue
                    // is still drained until it closes, so that sending a
                    // batch never waits forever; the panic goes on after.
                    let mut outcome = Ok(Ok(()));
                    loop {
                        let next = rx
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .recv();
                        let Ok((plan, batch)) = next else {
                            return outcome
                                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                        };
                        if !failed_now() {
                            outcome =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    restore_batch(plan, batch)
                                }));
                            if !matches!(outcome, Ok(Ok(()))) {
                                failed.store(true, std::sync::atomic::Ordering::Relaxed);
                            }
                        }
                    }
                })
            })
            .collect();
        let send = |batch: Vec<(PathBuf, Node)>| -> Result<()> {
            let plan = prepare(&batch)?;
            // Cannot fail: the receiver outlives this scope.
            let _ = tx.send((plan, batch));
            Ok(())
        };
        let mut sent = Ok(());
        let mut batch: Vec<(PathBuf, Node)> = Vec::new();
        let mut batch_bytes = 0;
        for item in ls {
            if failed_now() {
                break;
            }
            let (path, node) = match item.map_err(|e| target.fail(e)) {
                Ok(item) => item,
                Err(e) => {
                    sent = Err(e);
                    break;
                }
            };
            if node.is_dir() {
                // Created with its batch, but its permissions are set last,
                // with its times: a read-only folder would refuse the files
                // of later batches (to anyone but root).
                let mut writable = node.clone();
                writable.meta.mode = None;
                folders.push((path.clone(), node));
                batch.push((path, writable));
            } else {
                files += 1;
                symlinks += u64::from(node.is_symlink());
                bytes += node.meta.size;
                batch_bytes += node.meta.size;
                batch.push((path, node));
            }
            if batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                sent = send(std::mem::take(&mut batch));
                if sent.is_err() {
                    break;
                }
            }
        }
        if sent.is_ok() && !failed_now() {
            sent = send(batch);
        }
        drop(tx);
        // A writer's error first: a preparation may fail because of it.
        for writer in running {
            writer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        }
        sent
    })?;
    if !folders.is_empty() {
        restore_batch(prepare(&folders)?, folders)?;
    }
    if let Some(bar) = &bar {
        bar.finish();
    }
    Ok(Restored {
        repository: target.id.clone(),
        site: target.site.clone(),
        location: target.location.clone(),
        snapshot: snap.id.to_hex().as_str().to_owned(),
        data_time_ms: time_ms(&snap),
        files,
        symlinks,
        bytes,
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
        fell_back: Vec::new(),
    })
}

/// What to restore, where, from which site first.
pub struct Request<'a> {
    /// The directory to restore into (created if missing).
    pub to: &'a Path,
    pub which: Pick,
    /// The site to try first; the others follow in plan order.
    pub site: Option<&'a str>,
    pub progress: Option<&'a crate::progress::TerminalBars>,
}

/// Restores backup `id` as `request` says, from its site first when
/// given, then from the backup's targets in plan order.
pub fn restore(
    plan: &plan::Plan,
    id: &str,
    env: &Resolver,
    cache: &Path,
    request: &Request<'_>,
) -> Result<Restored> {
    let (to, which, site) = (request.to, &request.which, request.site);
    let (_, mut targets) = targets(plan, id, env, cache, request.progress)?;
    if let Some(site) = site {
        if !targets.iter().any(|t| t.site == site) {
            return Err(BackupError::NothingToRestore {
                backup: id.to_owned(),
                why: format!("it has no copy on site \"{site}\""),
            });
        }
        // Stable: the chosen site first, the others in plan order.
        targets.sort_by_key(|t| t.site != site);
    }
    let mut fell_back = Vec::new();
    for target in &targets {
        match guarded(target, || restore_from(plan, target, id, which, to)) {
            Ok(mut r) => {
                r.fell_back = fell_back;
                return Ok(r);
            }
            // A destination that refuses writes refuses them from any site.
            Err(e @ BackupError::Destination { .. }) => return Err(e),
            Err(e) => {
                // Not "no site could restore…" inside "no site could restore…".
                let why = match e {
                    BackupError::NothingToRestore { why, .. } => why,
                    other => other.to_string(),
                };
                fell_back.push(format!("site \"{}\" ({}): {why}", target.site, target.id));
            }
        }
    }
    Err(BackupError::NothingToRestore {
        backup: id.to_owned(),
        why: fell_back.join("; "),
    })
}
