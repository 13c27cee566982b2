//! One run of a plan backup: a snapshot on the first target, then a copy
//! of that snapshot on every other target. Each site's result is reported
//! apart, for its own evidence record.

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Instant;

use rempart_core::plan::{self, Source};
use rustic_core::repofile::SnapshotFile;
use rustic_core::{
    BackupOptions, ErrorKind, Excludes, FileType, Id, LocalSource, PathList, RusticError,
    SnapshotOptions,
};
use serde_json::json;

use crate::prewalk::Prewalked;
use crate::progress::TerminalBars;
use crate::repository::Target;
use crate::secrets::Resolver;
use crate::stream::StreamSource;
use crate::transfer::transfer;
use crate::watched::{Noticed, Watched};
use crate::{BackupError, Result};

/// A snapshot as stored on one site.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotInfo {
    /// Full hex id.
    pub id: String,
    /// The time of the data it holds, ms since the Unix epoch.
    pub time_ms: i64,
    pub summary: serde_json::Value,
}

/// What happened on one site.
#[derive(Debug)]
pub struct SiteResult {
    pub repository: String,
    pub site: String,
    pub location: String,
    /// `backup` for the first target, `copy` for the others.
    pub action: &'static str,
    pub started_ms: i64,
    pub finished_ms: i64,
    pub outcome: Result<SnapshotInfo, String>,
}

impl SiteResult {
    /// A copy to `target` that failed before it started.
    fn failed_copy(target: &Target, why: String) -> SiteResult {
        SiteResult {
            repository: target.id.clone(),
            site: target.site.clone(),
            location: target.location.clone(),
            action: "copy",
            started_ms: now_ms(),
            finished_ms: now_ms(),
            outcome: Err(why),
        }
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The figures of a snapshot's summary, as evidence measurements.
pub(crate) fn info(snap: &SnapshotFile) -> SnapshotInfo {
    let summary = snap.summary.as_ref().map_or(json!({}), |s| {
        json!({
            "files_new": s.files_new,
            "files_changed": s.files_changed,
            "files_unmodified": s.files_unmodified,
            "files_processed": s.total_files_processed,
            "dirs_new": s.dirs_new,
            "bytes_processed": s.total_bytes_processed,
            "bytes_added": s.data_added,
            "bytes_stored": s.data_added_packed,
            "duration_ms": (s.backup_duration * 1_000.0).round(),
        })
    });
    SnapshotInfo {
        id: snap.id.to_hex().as_str().to_owned(),
        time_ms: snap.time.timestamp().as_millisecond(),
        summary,
    }
}

/// The targets of backup `id`, first the primary.
pub fn targets(
    plan: &plan::Plan,
    id: &str,
    env: &Resolver,
    cache: &Path,
    progress: Option<&TerminalBars>,
) -> Result<(plan::Backup, Vec<Target>)> {
    let backup = plan
        .backups
        .iter()
        .find(|b| b.id.as_str() == id)
        .cloned()
        .ok_or_else(|| BackupError::NotInPlan {
            what: "backup",
            id: id.to_owned(),
        })?;
    let targets = backup
        .targets
        .iter()
        .map(|t| Target::from_plan(plan, t.as_str(), env, cache).map(|t| t.with_progress(progress)))
        .collect::<Result<Vec<_>>>()?;
    Ok((backup, targets))
}

fn snapshot_template(backup: &str) -> std::result::Result<SnapshotFile, Box<RusticError>> {
    SnapshotOptions::default()
        .label(backup.to_owned())
        .command(format!("rempart backup run {backup}"))
        // `rempart` marks Rempart's snapshots; `backup=ID` lets restic
        // alone select one backup's snapshots (`--tag backup=ID`): a
        // command's output is stored under a relative path, which
        // restic's `--path` filter does not match.
        .add_tags(&format!("rempart,backup={backup}"))?
        .to_snapshot()
}

/// Runs backup `id` of `plan`: a snapshot on its first target, then copies.
/// Fails before any site result when the source or the first target fails.
pub fn run(plan: &plan::Plan, id: &str, env: &Resolver, cache: &Path) -> Result<Vec<SiteResult>> {
    run_with_progress(plan, id, env, cache, None)
}

/// [`run`], drawing progress bars when `progress` is given.
pub fn run_with_progress(
    plan: &plan::Plan,
    id: &str,
    env: &Resolver,
    cache: &Path,
    progress: Option<&TerminalBars>,
) -> Result<Vec<SiteResult>> {
    let (backup, targets) = targets(plan, id, env, cache, progress)?;
    let Some((primary, others)) = targets.split_first() else {
        return Err(BackupError::NotInPlan {
            what: "target of backup",
            id: id.to_owned(),
        });
    };
    let started_ms = now_ms();
    let _lock = primary.lock(false)?;
    // The walk of a folder source starts before the repository is opened
    // (see `prewalk`).
    let input = match &backup.source {
        Source::Paths(s) => walk_paths(primary, id, env, s)?,
        Source::Command(c) => Input::Command(c),
    };
    let repo = primary.apply_compression(primary.open()?)?;
    // The index files there before the backup: those after it that are
    // new describe the packs it wrote (see `transfer`).
    let index_before: HashSet<Id> = if others.is_empty() {
        HashSet::new()
    } else {
        list_index(primary)?
    };
    let repo = repo.to_indexed_ids().map_err(|e| primary.fail(e))?;
    let template = snapshot_template(id).map_err(|e| primary.fail(e))?;
    let mut noticed = Noticed::default();
    let snap = match input {
        Input::Walked(walked) => {
            let snap = repo
                .archive(&walked.options, &walked.source, template, &walked.paths)
                .map_err(|e| primary.fail(e))?;
            noticed = walked.source.noticed();
            snap
        }
        Input::Command(c) => backup_command(&repo, primary, id, &c.command, &c.filename, template)?,
    };
    let mut results = vec![SiteResult {
        repository: primary.id.clone(),
        site: primary.site.clone(),
        location: primary.location.clone(),
        action: "backup",
        started_ms,
        finished_ms: now_ms(),
        outcome: Ok(with_unreadable_snapshots(
            with_deleted(with_noticed(info(&snap), &noticed), &repo, &snap),
            primary,
            &repo,
        )),
    }];
    if others.is_empty() {
        return Ok(results);
    }
    // Copies read from the primary with its full index.
    let source = match repo.to_indexed().map_err(|e| primary.fail(e)) {
        Ok(s) => Some(s),
        Err(e) => {
            for t in others {
                results.push(SiteResult::failed_copy(t, e.to_string()));
            }
            None
        }
    };
    if let Some(source) = source {
        let new_index: Vec<Id> = match list_index(primary) {
            Ok(after) => after.difference(&index_before).copied().collect(),
            // Without the list every blob goes through `copy`: slower, same result.
            Err(_) => Vec::new(),
        };
        let copies: Vec<SiteResult> = std::thread::scope(|scope| {
            let running: Vec<_> = others
                .iter()
                .map(|t| {
                    let (source, snap, new_index) = (&source, &snap, &new_index);
                    scope.spawn(move || {
                        let started_ms = now_ms();
                        let outcome = guarded(t, || {
                            copy_one(plan, source, snap, primary, t, new_index, progress)
                        });
                        SiteResult {
                            repository: t.id.clone(),
                            site: t.site.clone(),
                            location: t.location.clone(),
                            action: "copy",
                            started_ms,
                            finished_ms: now_ms(),
                            outcome: outcome.map_err(|e| e.to_string()),
                        }
                    })
                })
                .collect();
            running
                .into_iter()
                .zip(others)
                .map(|(r, t)| {
                    r.join().unwrap_or_else(|_| {
                        SiteResult::failed_copy(t, "the copy stopped unexpectedly".into())
                    })
                })
                .collect()
        });
        results.extend(copies);
    }
    Ok(results)
}

/// Adds to a backup's figures the files that changed while being read
/// and those that could not be read (counts, and the first few by name).
fn with_noticed(mut info: SnapshotInfo, noticed: &Noticed) -> SnapshotInfo {
    const NAMED: usize = 20;
    if let Some(summary) = info.summary.as_object_mut() {
        summary.insert(
            "files_changed_while_read".into(),
            json!(noticed.changed.len()),
        );
        summary.insert("files_unreadable".into(), json!(noticed.unreadable.len()));
        if !noticed.changed.is_empty() {
            let named: Vec<&String> = noticed.changed.iter().take(NAMED).collect();
            summary.insert("changed_while_read".into(), json!(named));
        }
        if !noticed.unreadable.is_empty() {
            let named: Vec<&String> = noticed.unreadable.iter().take(NAMED).collect();
            summary.insert("unreadable".into(), json!(named));
        }
    }
    info
}

/// What a backup reads, ready before the repository is opened.
enum Input<'a> {
    /// A folder source, checked and already walking (see `prewalk`).
    Walked(Box<Walked>),
    Command(&'a plan::CommandSource),
}

/// What rustic's `archive` takes for a folder source.
struct Walked {
    options: BackupOptions,
    paths: Vec<PathBuf>,
    source: Watched<Prewalked<LocalSource>>,
}

/// A folder source, checked and walking (see `prewalk`).
fn walk_paths(
    primary: &Target,
    id: &str,
    env: &Resolver,
    s: &plan::PathsSource,
) -> Result<Input<'static>> {
    let mut paths: Vec<PathBuf> = Vec::with_capacity(s.paths.len());
    for p in &s.paths {
        let path = env.path(p);
        if !path.exists() {
            return Err(BackupError::MissingSource {
                backup: id.to_owned(),
                path: path.display().to_string(),
            });
        }
        paths.push(path);
    }
    if paths.is_empty() {
        return Err(BackupError::Source {
            backup: id.to_owned(),
            why: "no path to back up".into(),
        });
    }
    let source = paths
        .into_iter()
        .collect::<PathList>()
        .sanitize()
        .map_err(|e| {
            primary.fail(RusticError::with_source(
                ErrorKind::InvalidInput,
                "cannot read the source paths",
                e,
            ))
        })?;
    let globs: Vec<String> = s
        .exclude
        .iter()
        .map(|g| {
            if g.starts_with('!') {
                g.clone()
            } else {
                format!("!{g}")
            }
        })
        .collect();
    let options = BackupOptions::default().excludes(Excludes::default().globs(globs));
    let paths = source.paths();
    let local = LocalSource::new(
        options.ignore_save_opts,
        &options.excludes,
        &options.ignore_filter_opts,
        &paths,
    )
    .map_err(|e| primary.fail(e))?;
    Ok(Input::Walked(Box::new(Walked {
        options,
        paths,
        source: Watched::new(Prewalked::new(local)),
    })))
}

/// Adds the files that were in the parent snapshot and are gone now:
/// the parent's files minus those found again (changed or not).
fn with_deleted<S: rustic_core::Open>(
    mut info: SnapshotInfo,
    repo: &rustic_core::Repository<S>,
    snap: &SnapshotFile,
) -> SnapshotInfo {
    let deleted = snap.parent.as_ref().and_then(|parent| {
        let parent: SnapshotFile = repo.get_file(parent).ok()?;
        let (before, now) = (parent.summary?, snap.summary.as_ref()?);
        Some(
            before
                .total_files_processed
                .saturating_sub(now.files_changed + now.files_unmodified),
        )
    });
    if let Some(summary) = info.summary.as_object_mut() {
        summary.insert("files_deleted".into(), json!(deleted.unwrap_or(0)));
    }
    info
}

/// Adds the snapshot files of the repository that cannot be read (cut
/// short, corrupted): the backup itself went well, but the repository is
/// damaged, and the run says so (`snapshots_unreadable`, full ids).
fn with_unreadable_snapshots<S: rustic_core::Open>(
    mut info: SnapshotInfo,
    target: &Target,
    repo: &rustic_core::Repository<S>,
) -> SnapshotInfo {
    let bad: Vec<String> = crate::snapshots::all(target, repo)
        .map(|(_, bad)| bad.into_iter().map(|u| u.id).collect())
        .unwrap_or_default();
    if let Some(summary) = info.summary.as_object_mut()
        && !bad.is_empty()
    {
        summary.insert("snapshots_unreadable".into(), json!(bad));
    }
    info
}

fn list_index(target: &Target) -> Result<HashSet<Id>> {
    Ok(target
        .storage()
        .list(FileType::Index)
        .map_err(|e| target.fail(e))?
        .into_iter()
        .collect())
}

/// Runs rustic work on one repository, turning a panic inside rustic
/// (seen on damaged pack files) into an error that names the repository.
pub(crate) fn guarded<T>(target: &Target, work: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(result) => result,
        // The panic's own text is rustic's internals: not for people.
        Err(_) => Err(target.fail(RusticError::new(
            ErrorKind::Internal,
            format!(
                "reading it stopped unexpectedly; its data may be damaged: run `rempart verify --repository {}`",
                target.id
            ),
        ))),
    }
}

/// Copies to `target` the snapshots of `snap`'s backup it lacks (`snap`
/// included), and returns `snap`'s copy there. When `target` shares the
/// primary's master key, the packs the backup wrote (listed by the index
/// files `new_index`) are moved as files first, so `copy` finds their
/// blobs there and only checks the snapshot's trees.
fn copy_one(
    plan: &plan::Plan,
    source: &rustic_core::Repository<rustic_core::IndexedFullStatus>,
    snap: &SnapshotFile,
    primary: &Target,
    target: &Target,
    new_index: &[Id],
    progress: Option<&TerminalBars>,
) -> Result<SnapshotInfo> {
    let _lock = target.lock(false)?;
    let dest = target.open()?;
    let moved = if !new_index.is_empty() && Target::shares_key(source, &dest) {
        Some(transfer(source, primary, target, new_index, progress)?)
    } else {
        None
    };
    let dest = dest.to_indexed_ids().map_err(|e| target.fail(e))?;
    // Every snapshot of this backup the target lacks, so a copy missed
    // earlier (site down) catches up now; those it adopted too (restic's,
    // made before Rempart): a restore point counts once every target
    // holds it.
    let wanted: Vec<SnapshotFile> = crate::snapshots::readable(primary, source)?
        .into_iter()
        .filter(|s| crate::snapshots::belongs(plan, &snap.label, &primary.id, s).is_some())
        .collect();
    let todo = dest
        .relevant_copy_snapshots(|_| true, &wanted)
        .map_err(|e| target.fail(e))?;
    let relevant: Vec<&SnapshotFile> = todo.iter().filter(|c| c.relevant).map(|c| &c.sn).collect();
    if !relevant.is_empty() {
        source.copy(&dest, relevant).map_err(|e| target.fail(e))?;
    }
    let copied = crate::snapshots::readable(target, &dest)?
        .into_iter()
        .find(|s| s.time == snap.time)
        .ok_or_else(|| BackupError::Source {
            backup: snap.label.clone(),
            why: format!("the copy to \"{}\" is not there after copying", target.id),
        })?;
    let mut info = info(&copied);
    if let (Some(m), Some(summary)) = (moved, info.summary.as_object_mut()) {
        summary.insert("packs_moved".into(), json!(m.packs));
        summary.insert("bytes_moved".into(), json!(m.bytes));
    }
    Ok(info)
}

/// Streams a command's standard output into the snapshot under
/// `filename`. A command that fails leaves no snapshot behind.
fn backup_command<S: rustic_core::IndexedIds>(
    repo: &rustic_core::Repository<S>,
    target: &Target,
    backup: &str,
    command: &str,
    filename: &str,
    template: SnapshotFile,
) -> Result<SnapshotFile> {
    let failed = |why: String| BackupError::CommandFailed {
        backup: backup.to_owned(),
        command: command.to_owned(),
        why,
    };
    // Its own process group: a stop kills the command and all it started.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        // The key that opens every tenant's secrets is the server's alone.
        .env_remove("REMPART_MASTER_KEY")
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("could not start: {e}")))?;
    let group = i32::try_from(child.id()).ok();
    // Drain stderr on the side, keeping its tail for the error message.
    let stderr = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut all = Vec::new();
            let _ = err.read_to_end(&mut all);
            let tail = all.len().saturating_sub(2_000);
            String::from_utf8_lossy(&all[tail..]).trim().to_owned()
        })
    });
    // Watches for a stop while the command runs: the whole group is killed,
    // so its output ends and the archive with it.
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let stop = target.stop_handle();
    let watcher = std::thread::spawn(move || {
        loop {
            match done_rx.recv_timeout(std::time::Duration::from_millis(100)) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                _ => return,
            }
            if stop.reason().is_some() {
                if let Some(pgid) = group {
                    // SAFETY: kill(2) on the process group this function created.
                    unsafe {
                        libc::kill(-pgid, libc::SIGKILL);
                    }
                }
                return;
            }
        }
    });
    let path = PathBuf::from(filename);
    // rustic reads its source in small pieces; a large buffer spares the
    // pipe one system call per piece.
    let source = StreamSource {
        path: path.clone(),
        reader: Mutex::new(
            child
                .stdout
                .take()
                .map(|out| std::io::BufReader::with_capacity(4 << 20, out)),
        ),
    };
    let mut options = BackupOptions::default();
    // The stream has no size or mtime to compare: always read it.
    options.parent_opts.force = true;
    let clock = Instant::now();
    let archived = repo.archive(&options, &source, template, &[path]);
    let status = child
        .wait()
        .map_err(|e| failed(format!("could not be waited for: {e}")));
    let _ = done_tx.send(());
    let _ = watcher.join();
    if let Some(pgid) = group {
        // What the command left running in its group goes with it.
        // SAFETY: kill(2) on the process group this function created.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
    let status = status?;
    let err_tail = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    // A stop kills the command before its output ends and makes the
    // repository refuse writes: what was archived then is never kept.
    let complete = status.success()
        && archived.as_ref().is_ok_and(|s| {
            s.summary
                .as_ref()
                .is_some_and(|m| m.total_files_processed == 1)
        });
    if !complete && let Some(why) = target.stopped() {
        return Err(BackupError::Stopped {
            why: format!("{why} (the command `{command}` was killed with its process group)"),
        });
    }
    let snap = archived.map_err(|e| target.fail(e))?;
    let processed = snap.summary.as_ref().map_or(0, |s| s.total_files_processed);
    let problem = if !status.success() {
        Some(match status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "was killed by a signal".to_owned(),
        })
    } else if processed != 1 {
        Some("could not be read to its end".to_owned())
    } else {
        None
    };
    if let Some(why) = problem {
        repo.delete_snapshots(&[snap.id])
            .map_err(|e| target.fail(e))?;
        let stderr = if err_tail.is_empty() {
            String::new()
        } else {
            format!(" — stderr: {err_tail}")
        };
        return Err(failed(format!(
            "{why} after {} ms{stderr}",
            clock.elapsed().as_millis()
        )));
    }
    Ok(snap)
}
