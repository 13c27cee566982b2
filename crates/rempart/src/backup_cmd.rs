//! `rempart repo init`, `rempart backup run|list`, `rempart restore`: the
//! backup engine by hand, writing the same evidence as scheduled runs.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use std::io::IsTerminal;

use rempart_backup::BackupError;
use rempart_backup::progress::TerminalBars;
use rempart_backup::repository::{Initialised, Target, init_in_plan};
use rempart_backup::restore::{Pick, Request, Restored};
use rempart_backup::secrets::Resolver;
use rempart_backup::stop::Stop;
use rempart_backup::verify::Verified;
use rempart_core::evidence::measure::{self, Measure};
use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_core::plan::{self, Plan};
use rempart_engine::executor::backup as backup_job;
use rempart_store::now_ms;
use serde_json::json;

use crate::evidence_cmd::{parse_time, runtime};
use crate::out::{Out, Tone, duration, print_json, print_table, t};
use crate::tenancy::{self, Intent, Tenancy};
use crate::{Global, exit};

#[derive(Subcommand)]
pub enum RepoCommand {
    /// Create the plan's repositories (all, or those named); existing ones are checked, not touched
    Init {
        /// Repository ids (default: every repository of the plan)
        ids: Vec<String>,
    },
}

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Back up now: a snapshot on the first target, then copies on the others
    Run {
        /// Backup id
        id: String,
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// List the snapshots of a backup (or of all) on each site
    List(ListArgs),
    /// Record the snapshots another tool (restic) made that a backup adopts (its `adopt` rule), so they count in the RPO
    Adopt {
        /// Backup id (default: every backup with an `adopt` rule)
        id: Option<String>,
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct ListArgs {
    /// Backup id (default: all)
    id: Option<String>,
    /// Only this site
    #[arg(long)]
    site: Option<String>,
    /// Every snapshot of the repositories, with its origin: made by Rempart, adopted, or of no backup
    #[arg(long)]
    all: bool,
    /// Print JSON, for scripts
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// Only these repositories (default: all of the plan's)
    #[arg(long = "repository")]
    repositories: Vec<String>,
    /// Also read this share of the stored data: 100%, 10%, 3/7 (slice 3 of 7), 500MiB
    #[arg(long, value_parser = read_data_share)]
    read_data: Option<String>,
    /// Print JSON, for scripts
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct RepairArgs {
    /// The repository to heal
    repository: String,
    /// The repository (another site of the same backups) to heal it from
    #[arg(long)]
    from: String,
    /// Share of the data the verifies before and after read (default 100%)
    #[arg(long, value_parser = read_data_share)]
    read_data: Option<String>,
    /// Print JSON, for scripts
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// Backup id
    id: String,
    /// Directory to restore into (created if missing)
    #[arg(long)]
    to: PathBuf,
    /// `latest` or a snapshot id (or its first characters)
    #[arg(long, default_value = "latest", conflicts_with = "before")]
    snapshot: String,
    /// The newest snapshot taken at or before this time (RFC 3339)
    #[arg(long, value_parser = parse_time)]
    before: Option<i64>,
    /// Restore from this site first (the others are tried if it fails)
    #[arg(long)]
    site: Option<String>,
    /// Print JSON, for scripts
    #[arg(long)]
    json: bool,
}

fn cache_dir(g: &Global) -> PathBuf {
    g.data_dir.join("cache/rustic")
}

/// Exit code for an engine error: the user's input (plan, password,
/// repository not created) is 2, anything found while running is 1.
fn code(e: &BackupError) -> u8 {
    match e {
        BackupError::Secret { .. }
        | BackupError::WrongPassword { .. }
        | BackupError::NotInitialised { .. }
        | BackupError::NotInPlan { .. }
        | BackupError::Usage(_) => exit::USAGE,
        _ => exit::FOUND,
    }
}

pub fn repo(g: &Global, cmd: RepoCommand) -> u8 {
    let RepoCommand::Init { ids } = cmd;
    let (plan, env) = match runtime_plan_only(g) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let ids: Vec<String> = if ids.is_empty() {
        plan.repositories.iter().map(|r| r.id.to_string()).collect()
    } else {
        ids
    };
    let lang = Out::new(g, Some(&plan)).lang;
    let mut worst = 0;
    for id in ids {
        // Local folders are created; S3 buckets must exist.
        let outcome = init_in_plan(&plan, &id, &env, &cache_dir(g));
        let id = id.as_str();
        match outcome {
            Ok((t, Initialised::Created)) => println!(
                "{}",
                t!(
                    lang,
                    "repo-created",
                    id = id,
                    location = t.location.as_str()
                )
            ),
            Ok((t, Initialised::SharingKeyWith(peer))) => println!(
                "{}",
                t!(
                    lang,
                    "repo-created-sharing",
                    id = id,
                    location = t.location.as_str(),
                    peer = peer.as_str()
                )
            ),
            Ok((t, Initialised::Existing { version })) => {
                println!(
                    "{}",
                    t!(
                        lang,
                        "repo-existing",
                        id = id,
                        location = t.location.as_str()
                    )
                );
                if version == 1 {
                    println!("{}", t!(lang, "repo-version-1", id = id));
                }
            }
            Err(e) => {
                fail!("{e}");
                worst = worst.max(code(&e));
            }
        }
    }
    worst
}

/// A `--read-data` share, checked before anything runs.
fn read_data_share(text: &str) -> Result<String, String> {
    rempart_backup::verify::parse_subset(text)
        .map(|_| text.to_owned())
        .map_err(|e| e.to_string())
}

/// Makes `env` stop at `timeout` (`what` names the work) or on Ctrl-C;
/// what was under way is then not kept as a good snapshot.
fn stoppable(env: &mut Resolver, timeout: plan::Duration, what: &str) {
    env.stop = Stop::never();
    env.stop.after(
        std::time::Duration::from_millis(timeout.as_millis()),
        format!("{what} ran past its timeout ({timeout})"),
    );
    let stop = env.stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("stopping: nothing of this run is kept as a good snapshot");
            stop.stop("interrupted (Ctrl-C)");
        }
    });
}

/// The tenant and plan of a command that writes evidence, its work
/// stopping at the timeout `limit` reads from the plan (24h when none),
/// or on Ctrl-C.
async fn open_stoppable(
    g: &Global,
    what: &str,
    limit: impl FnOnce(&Plan) -> Option<plan::Duration>,
) -> Result<Tenancy, u8> {
    let mut t = tenancy::open(g, Intent::Write).await?;
    let timeout = limit(&t.plan).unwrap_or(plan::DEFAULT_JOB_TIMEOUT);
    stoppable(&mut t.env, timeout, what);
    Ok(t)
}

/// The plan file alone (with the stored secrets of the tenant it rules).
fn runtime_plan_only(g: &Global) -> Result<(Plan, Resolver), u8> {
    let mut out = Err(exit::USAGE);
    let code = runtime(async {
        out = tenancy::plan_only(g).await;
        0
    });
    if code != 0 {
        return Err(code);
    }
    out
}

pub fn backup(g: &Global, cmd: BackupCommand) -> u8 {
    match cmd {
        BackupCommand::List(args) => match runtime_plan_only(g) {
            Ok((plan, env)) => list(g, &plan, &env, args),
            Err(code) => code,
        },
        BackupCommand::Adopt { id, json } => adopt(g, id, json),
        BackupCommand::Run { id, json } => runtime(async {
            let what = format!("backup \"{id}\"");
            let timeout = |p: &Plan| {
                p.backups
                    .iter()
                    .find(|b| b.id.as_str() == id)
                    .and_then(|b| b.timeout)
            };
            let Tenancy { scope, plan, env } = match open_stoppable(g, &what, timeout).await {
                Ok(t) => t,
                Err(code) => return code,
            };
            let started_ms = now_ms();
            // Bars on a terminal only, and never with --json.
            let bars = (!json && std::io::stderr().is_terminal()).then(TerminalBars::new);
            let (p, i, b, c) = (plan.clone(), id.clone(), env.clone(), cache_dir(g));
            let locks = match backup_job::lock_targets(&scope, &plan, &id, false).await {
                Ok(l) => l,
                Err(e) => {
                    fail!("{}", env.scrubber.scrub(&e.to_string()));
                    return exit::FOUND;
                }
            };
            let result = tokio::task::spawn_blocking(move || {
                rempart_backup::run::run_with_progress(&p, &i, &b, &c, bars.as_ref())
            })
            .await
            .unwrap_or_else(|e| {
                Err(BackupError::Source {
                    backup: id.clone(),
                    why: format!("the backup task stopped: {e}"),
                })
            });
            locks.release().await;
            let exit_code = match &result {
                Err(e) => code(e),
                Ok(sites) if sites.iter().any(|s| s.outcome.is_err()) => exit::FOUND,
                // The snapshot is good, but a repository holds snapshot
                // files that cannot be read: damage to look at.
                Ok(sites)
                    if sites.iter().any(|s| {
                        s.outcome.as_ref().is_ok_and(|i| {
                            i.summary["snapshots_unreadable"]
                                .as_array()
                                .is_some_and(|b| !b.is_empty())
                        })
                    }) =>
                {
                    exit::FOUND
                }
                Ok(_) => 0,
            };
            if let Ok(sites) = &result {
                print_sites(&Out::new(g, Some(&plan)), &id, sites, json, &env.scrubber);
            }
            let primary_ok =
                matches!(&result, Ok(sites) if sites.first().is_some_and(|s| s.outcome.is_ok()));
            match backup_job::record(&scope, &id, started_ms, result, None).await {
                Ok(_) => {}
                Err(e) => fail!("{}", env.scrubber.scrub(&e.to_string())),
            }
            if primary_ok {
                let lang = Out::new(g, Some(&plan)).lang;
                let plan = std::sync::Arc::new(plan);
                for said in backup_job::apply_retention(&scope, plan, id, env, cache_dir(g)).await {
                    eprintln!("{}", rempart_i18n::tell(lang, &said).unwrap_or_default());
                }
            }
            exit_code
        }),
    }
}

/// `backup adopt`: scans each backup with an `adopt` rule (or the one
/// named) and records the snapshots not yet on record.
fn adopt(g: &Global, id: Option<String>, json: bool) -> u8 {
    runtime(async {
        let Tenancy { scope, plan, env } = match tenancy::open(g, Intent::Write).await {
            Ok(t) => t,
            Err(code) => return code,
        };
        let ids: Vec<String> = match &id {
            Some(id) => vec![id.clone()],
            None => plan
                .backups
                .iter()
                .filter(|b| b.adopt.is_some())
                .map(|b| b.id.to_string())
                .collect(),
        };
        if ids.is_empty() {
            fail!("{}", t!(crate::out::spoken(), "cli-no-backup-adopts"));
            return exit::USAGE;
        }
        let mut worst = 0;
        let mut report = Vec::new();
        for id in ids {
            let (p, i, e, c) = (plan.clone(), id.clone(), env.clone(), cache_dir(g));
            let scans =
                tokio::task::spawn_blocking(move || rempart_backup::adopt::scan(&p, &i, &e, &c))
                    .await
                    .unwrap_or_else(|e| {
                        Err(BackupError::Usage(format!("the adopt task stopped: {e}")))
                    });
            let scans = match scans {
                Ok(s) => s,
                Err(e) => {
                    fail!("{}", env.scrubber.scrub(&e.to_string()));
                    worst = worst.max(code(&e));
                    continue;
                }
            };
            let done =
                match rempart_engine::executor::adopt::record(&scope, &id, &scans, None).await {
                    Ok(d) => d,
                    Err(e) => {
                        fail!("{}", env.scrubber.scrub(&e));
                        worst = worst.max(exit::FOUND);
                        continue;
                    }
                };
            for (repo, why) in &done.unreadable {
                let why = env.scrubber.scrub(why);
                let lang = crate::out::spoken();
                caution!(
                    "{}",
                    t!(
                        lang,
                        "cli-repository-unreadable",
                        backup = id.as_str(),
                        repository = repo.as_str(),
                        why = why
                    )
                );
                worst = worst.max(exit::FOUND);
            }
            if !json {
                for scan in &scans {
                    let Ok(found) = &scan.outcome else { continue };
                    let new: Vec<&rempart_backup::adopt::Found> = found
                        .iter()
                        .filter(|f| {
                            done.new
                                .iter()
                                .any(|(r, s)| *r == scan.repository && *s == f.info.id)
                        })
                        .collect();
                    println!(
                        "{id}: {} snapshot(s) adopted on {} ({}), {} new{}",
                        found.len(),
                        scan.repository,
                        scan.site,
                        new.len(),
                        found
                            .last()
                            .map(|f| format!(
                                ", newest {} of {}",
                                &f.info.id[..8.min(f.info.id.len())],
                                crate::evidence_cmd::ms_to_text(f.info.time_ms)
                            ))
                            .unwrap_or_default()
                    );
                }
            }
            report.push(json!({
                "backup": id,
                "new": done.new.iter().map(|(r, s)| json!({"repository": r, "snapshot": s})).collect::<Vec<_>>(),
                "already_on_record": done.known,
                "unreadable": done.unreadable.iter().map(|(r, w)| json!({"repository": r, "why": env.scrubber.scrub(w)})).collect::<Vec<_>>(),
            }));
        }
        if json {
            print_json(&json!({ "backups": report }));
        }
        worst
    })
}

fn print_sites(
    out: &Out,
    id: &str,
    sites: &[rempart_backup::run::SiteResult],
    json: bool,
    scrubber: &rempart_core::secrets::Scrubber,
) {
    if json {
        let v: Vec<serde_json::Value> = sites
            .iter()
            .map(|s| {
                json!({
                    "backup": id,
                    "action": s.action,
                    "repository": s.repository,
                    "site": s.site,
                    "location": s.location,
                    "duration_ms": s.finished_ms - s.started_ms,
                    "snapshot": s.outcome.as_ref().ok().map(|i| &i.id),
                    "summary": s.outcome.as_ref().ok().map(|i| &i.summary),
                    "error": s.outcome.as_ref().err().map(|e| scrubber.scrub(e)),
                })
            })
            .collect();
        print_json(&json!({ "backup": id, "sites": v }));
        return;
    }
    let lang = out.lang;
    for s in sites {
        if let Ok(i) = &s.outcome {
            let noticed = backup_job::noticed_text(&i.summary);
            if !noticed.is_empty() {
                caution!("{id}: {}", noticed.trim_start_matches("; "));
            }
        }
        let action = match s.action {
            "copy" => t!(lang, "backup-action-copy"),
            _ => t!(lang, "backup-action-backup"),
        };
        match &s.outcome {
            Ok(i) => {
                let n = |key: &str| i.summary[key].as_u64().unwrap_or(0);
                println!(
                    "{}",
                    t!(
                        lang,
                        "backup-site-done",
                        backup = id,
                        action = action,
                        repository = s.repository.as_str(),
                        site = s.site.as_str(),
                        snapshot = &i.id[..8.min(i.id.len())],
                        duration = duration(s.finished_ms - s.started_ms),
                        new = n("files_new"),
                        changed = n("files_changed"),
                        unchanged = n("files_unmodified"),
                        added = n("bytes_added")
                    )
                );
            }
            Err(why) => println!(
                "{}",
                out.paint(
                    &t!(
                        lang,
                        "backup-site-failed",
                        backup = id,
                        action = action,
                        repository = s.repository.as_str(),
                        site = s.site.as_str(),
                        why = scrubber.scrub(why)
                    ),
                    Tone::Bad
                )
            ),
        }
    }
}

fn list(g: &Global, plan: &Plan, env: &Resolver, args: ListArgs) -> u8 {
    let ListArgs {
        id,
        site,
        all,
        json,
    } = args;
    let backups: Vec<&plan::Backup> = plan
        .backups
        .iter()
        .filter(|b| id.as_deref().is_none_or(|i| b.id.as_str() == i))
        .collect();
    if backups.is_empty() {
        let id = id.unwrap_or_default();
        fail!(
            "{}",
            t!(crate::out::spoken(), "cli-no-such-backup", backup = id)
        );
        return exit::USAGE;
    }
    // Each repository once, in the order the backups name them.
    let mut repos: Vec<&str> = Vec::new();
    for b in &backups {
        for t in &b.targets {
            if !repos.contains(&t.as_str()) {
                repos.push(t.as_str());
            }
        }
    }
    let mut rows = Vec::new();
    let mut unreadable: Vec<serde_json::Value> = Vec::new();
    let mut worst = 0;
    for repo in repos {
        let target = match Target::from_plan(plan, repo, env, &cache_dir(g)) {
            Ok(t) => t,
            Err(e) => {
                fail!("{e}");
                worst = worst.max(code(&e));
                continue;
            }
        };
        if site.as_deref().is_some_and(|s| s != target.site) {
            continue;
        }
        let snaps = target
            .open()
            .and_then(|r| rempart_backup::snapshots::all(&target, &r));
        let (mut snaps, bad) = match snaps {
            Ok(found) => found,
            Err(e) => {
                caution!("{e}");
                worst = worst.max(exit::FOUND);
                continue;
            }
        };
        // One snapshot file that cannot be read hides no other.
        for u in bad {
            caution!(
                "repository \"{}\" ({}): snapshot {} cannot be read: {}",
                target.id,
                target.site,
                u.id,
                u.why
            );
            worst = worst.max(exit::FOUND);
            unreadable.push(json!({
                "repository": target.id,
                "site": target.site,
                "snapshot": u.id,
                "why": u.why,
            }));
        }
        snaps.sort_unstable();
        for s in &snaps {
            let owner = rempart_backup::snapshots::owner(plan, &target.id, s);
            let (backup, origin) = match owner {
                Some((b, o)) if backups.iter().any(|x| x.id == b.id) => (b.id.as_str(), o.as_str()),
                // Another backup's, or no backup's: shown with --all only.
                Some((b, o)) if all => (b.id.as_str(), o.as_str()),
                None if all => ("", "other"),
                _ => continue,
            };
            let sum = s.summary.as_ref();
            rows.push(json!({
                "backup": backup,
                "origin": origin,
                "repository": target.id,
                "site": target.site,
                "snapshot": s.id.to_hex().as_str(),
                "time": s.time.timestamp().to_string(),
                "host": s.hostname,
                "paths": s.paths.iter().collect::<Vec<_>>(),
                "tags": s.tags.iter().collect::<Vec<_>>(),
                "program": s.program_version,
                "files": sum.map(|x| x.total_files_processed),
                "bytes": sum.map(|x| x.total_bytes_processed),
            }));
        }
    }
    if json {
        print_json(&json!({ "snapshots": rows, "unreadable": unreadable }));
        return worst;
    }
    let out = Out::new(g, Some(plan));
    let lang = out.lang;
    if rows.is_empty() {
        if all {
            println!("{}", t!(lang, "backup-list-none-all"));
        } else {
            println!("{}", t!(lang, "backup-list-none"));
        }
        return worst;
    }
    let count = |v: &serde_json::Value| v.as_u64().map_or("?".to_owned(), |n| n.to_string());
    let mut table = out.table(&[
        t!(lang, "backup-col-backup"),
        t!(lang, "backup-col-site"),
        t!(lang, "backup-col-repository"),
        t!(lang, "backup-col-snapshot"),
        t!(lang, "backup-col-time"),
        t!(lang, "backup-col-files"),
        t!(lang, "backup-col-bytes"),
        t!(lang, "backup-col-origin"),
    ]);
    for r in &rows {
        let backup = r["backup"].as_str().unwrap_or("");
        let origin = match r["origin"].as_str().unwrap_or("") {
            "rempart" => String::new(),
            o => {
                let paths: Vec<&str> = r["paths"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|p| p.as_str()).collect())
                    .unwrap_or_default();
                let another = t!(lang, "backup-origin-another-tool");
                t!(
                    lang,
                    "backup-origin-detail",
                    origin = if o == "adopted" {
                        t!(lang, "backup-origin-adopted")
                    } else {
                        t!(lang, "backup-origin-other")
                    },
                    program = r["program"]
                        .as_str()
                        .filter(|p| !p.is_empty())
                        .unwrap_or(another.as_str()),
                    host = r["host"].as_str().unwrap_or(""),
                    paths = paths.join(" ")
                )
            }
        };
        let time = r["time"].as_str().map_or_else(String::new, |t| {
            chrono::DateTime::parse_from_rfc3339(t)
                .map_or_else(|_| t.to_owned(), |at| out.time(at.timestamp_millis()))
        });
        table.add_row(vec![
            out.cell(if backup.is_empty() { "-" } else { backup }, Tone::Plain),
            out.cell(r["site"].as_str().unwrap_or(""), Tone::Plain),
            out.cell(r["repository"].as_str().unwrap_or(""), Tone::Plain),
            out.cell(
                r["snapshot"]
                    .as_str()
                    .and_then(|s| s.get(..8))
                    .unwrap_or(""),
                Tone::Plain,
            ),
            out.cell(time, Tone::Plain),
            out.cell(count(&r["files"]), Tone::Plain),
            out.cell(count(&r["bytes"]), Tone::Plain),
            out.cell(origin, Tone::Plain),
        ]);
    }
    print_table(&table);
    worst
}

pub fn verify(g: &Global, args: VerifyArgs) -> u8 {
    runtime(async {
        let Tenancy { scope, plan, env } =
            match open_stoppable(g, "the verification", |_| None).await {
                Ok(t) => t,
                Err(code) => return code,
            };
        let ids: Vec<String> = if args.repositories.is_empty() {
            plan.repositories.iter().map(|r| r.id.to_string()).collect()
        } else {
            args.repositories.clone()
        };
        let out = Out::new(g, Some(&plan));
        let mut worst = 0;
        let mut reports = Vec::new();
        for id in ids {
            let started_ms = now_ms();
            let (p, b, c, share, repo) = (
                plan.clone(),
                env.clone(),
                cache_dir(g),
                args.read_data.clone(),
                id.clone(),
            );
            let result = tokio::task::spawn_blocking(move || {
                rempart_backup::verify::verify(&p, &repo, &b, &c, share.as_deref())
            })
            .await
            .unwrap_or_else(|e| {
                Err(BackupError::Source {
                    backup: String::new(),
                    why: format!("the verify task stopped: {e}"),
                })
            });
            if let Err(e) =
                rempart_engine::executor::verify::record(&scope, &id, started_ms, &result, None)
                    .await
            {
                crate::out::cannot_record(e);
            }
            match result {
                Ok(v) => {
                    if !v.errors.is_empty() {
                        worst = worst.max(exit::FOUND);
                    }
                    if !args.json {
                        match (v.errors.as_slice(), v.read_data.as_deref()) {
                            ([], None) => println!(
                                "{}",
                                out.paint(
                                    &t!(
                                        out.lang,
                                        "verify-sound",
                                        id = id.as_str(),
                                        duration = duration(
                                            i64::try_from(v.duration_ms).unwrap_or(i64::MAX)
                                        )
                                    ),
                                    Tone::Good
                                )
                            ),
                            ([], Some(share)) => println!(
                                "{}",
                                out.paint(
                                    &t!(
                                        out.lang,
                                        "verify-sound-read",
                                        id = id.as_str(),
                                        duration = duration(
                                            i64::try_from(v.duration_ms).unwrap_or(i64::MAX)
                                        ),
                                        share = share
                                    ),
                                    Tone::Good
                                )
                            ),
                            _ => print_damage(&out, &v),
                        }
                    }
                    reports.push(v.to_value());
                }
                Err(e) => {
                    fail!("{}", env.scrubber.scrub(&e.to_string()));
                    worst = worst.max(code(&e));
                    reports.push(json!({ "repository": id, "error": e.to_string() }));
                }
            }
        }
        if args.json {
            print_json(&json!({ "repositories": reports }));
        }
        worst
    })
}

/// A damaged repository: the problems, the packs, the snapshots hit.
fn print_damage(out: &Out, v: &Verified) {
    let lang = out.lang;
    let id = v.repository.as_str();
    println!(
        "{}",
        out.paint(
            &t!(lang, "verify-damaged", id = id, count = v.errors.len()),
            Tone::Bad
        )
    );
    for e in &v.errors {
        println!("  {e}");
    }
    for p in &v.damaged_packs {
        println!("  {}", t!(lang, "verify-damaged-pack", pack = p.as_str()));
    }
    for a in &v.affected_snapshots {
        let of = if a.backup.is_empty() {
            t!(lang, "verify-of-no-backup")
        } else {
            t!(lang, "verify-of-backup", backup = a.backup.as_str())
        };
        println!(
            "  {}",
            t!(
                lang,
                "verify-snapshot-hit",
                snapshot = &a.snapshot[..8.min(a.snapshot.len())],
                of = of,
                time = out.time(a.time_ms),
                count = a.files_total
            )
        );
        for f in &a.files {
            if f.ends_with('/') {
                println!("    {}", t!(lang, "verify-folder", path = f.as_str()));
            } else {
                println!("    {}", t!(lang, "verify-file", path = f.as_str()));
            }
        }
        if a.files_total > a.files.len() as u64 {
            println!(
                "    {}",
                t!(
                    lang,
                    "verify-more",
                    count = a.files_total - a.files.len() as u64
                )
            );
        }
    }
    if !v.affected_snapshots.is_empty() || !v.damaged_packs.is_empty() {
        println!("  {}", t!(lang, "verify-heal-hint", id = id));
    }
}

pub fn repair(g: &Global, args: RepairArgs) -> u8 {
    runtime(async {
        let Tenancy { scope, plan, env } = match open_stoppable(g, "the repair", |_| None).await {
            Ok(t) => t,
            Err(code) => return code,
        };
        let started_ms = now_ms();
        let (p, b, c, share) = (
            plan.clone(),
            env.clone(),
            cache_dir(g),
            args.read_data.clone(),
        );
        let (repo, from) = (args.repository.clone(), args.from.clone());
        let locks = match scope.lock_repositories(&[&args.repository], true).await {
            Ok(l) => l,
            Err(e) => {
                fail!("{}", env.scrubber.scrub(&e.to_string()));
                return exit::FOUND;
            }
        };
        let result = tokio::task::spawn_blocking(move || {
            rempart_backup::repair::repair(&p, &repo, &from, &b, &c, share.as_deref())
        })
        .await
        .unwrap_or_else(|e| {
            Err(BackupError::Source {
                backup: String::new(),
                why: format!("the repair task stopped: {e}"),
            })
        });
        locks.release().await;
        let (outcome, measurements, message) = match &result {
            Ok(r) if r.after.errors.is_empty() => (
                Outcome::Success,
                r.measure().to_value(),
                format!(
                    "repository \"{}\" healed from \"{}\" and verified sound",
                    r.repository, r.from
                ),
            ),
            Ok(r) => (
                Outcome::Failure,
                r.measure().to_value(),
                format!(
                    "repository \"{}\" still damaged after repair from \"{}\": {}",
                    r.repository,
                    r.from,
                    r.after.errors.first().map_or("", String::as_str)
                ),
            ),
            Err(e) => (
                Outcome::Failure,
                measure::Repair {
                    repository: args.repository.clone(),
                    from: args.from.clone(),
                    ..measure::Repair::default()
                }
                .to_value(),
                e.to_string(),
            ),
        };
        let record = NewEvidence {
            kind: EvidenceKind::Repair,
            subject: args.repository.clone(),
            started_ms,
            finished_ms: now_ms(),
            outcome,
            measurements,
            message,
            job_run: None,
        };
        if let Err(e) = scope.append(record).await {
            crate::out::cannot_record(e);
        }
        match result {
            Ok(r) => {
                let out = Out::new(g, Some(&plan));
                let lang = out.lang;
                let (id, from) = (r.repository.as_str(), r.from.as_str());
                if args.json {
                    print_json(&r.measure().to_value());
                } else {
                    let found = r.before.damaged_packs.len() + r.before.errors.len();
                    if found == 0 && r.snapshots_copied == 0 {
                        println!("{}", t!(lang, "repair-nothing", id = id));
                    }
                    for p in &r.packs_replaced {
                        println!(
                            "{}",
                            t!(
                                lang,
                                "repair-pack-replaced",
                                id = id,
                                pack = p.as_str(),
                                from = from
                            )
                        );
                    }
                    for p in &r.packs_rebuilt {
                        println!(
                            "{}",
                            t!(
                                lang,
                                "repair-pack-rebuilt",
                                id = id,
                                pack = p.as_str(),
                                from = from
                            )
                        );
                    }
                    if r.snapshots_copied > 0 {
                        println!(
                            "{}",
                            t!(
                                lang,
                                "repair-snapshots-copied",
                                id = id,
                                count = r.snapshots_copied,
                                from = from
                            )
                        );
                    }
                }
                if r.after.errors.is_empty() {
                    if !args.json {
                        let nothing = t!(lang, "repair-read-nothing");
                        println!(
                            "{}",
                            out.paint(
                                &t!(
                                    lang,
                                    "repair-sound",
                                    id = id,
                                    share =
                                        r.after.read_data.as_deref().unwrap_or(nothing.as_str())
                                ),
                                Tone::Good
                            )
                        );
                    }
                    0
                } else {
                    if !args.json {
                        print_damage(&out, &r.after);
                    }
                    exit::FOUND
                }
            }
            Err(e) => {
                fail!("{}", env.scrubber.scrub(&e.to_string()));
                code(&e)
            }
        }
    })
}

pub fn restore(g: &Global, args: RestoreArgs) -> u8 {
    let which = match (args.before, args.snapshot.as_str()) {
        (Some(t), _) => Pick::Before(t),
        (None, "latest") => Pick::Latest,
        (None, id) => Pick::Id(id.to_owned()),
    };
    runtime(async {
        let Tenancy { scope, plan, env } = match open_stoppable(g, "the restore", |_| None).await {
            Ok(t) => t,
            Err(code) => return code,
        };
        let started_ms = now_ms();
        let lang = Out::new(g, Some(&plan)).lang;
        let (id, to, site, cache) = (
            args.id.clone(),
            args.to.clone(),
            args.site.clone(),
            cache_dir(g),
        );
        let bars = (!args.json && std::io::stderr().is_terminal()).then(TerminalBars::new);
        let scrubber = env.scrubber.clone();
        let result = tokio::task::spawn_blocking(move || {
            let request = Request {
                to: &to,
                which,
                site: site.as_deref(),
                progress: bars.as_ref(),
            };
            rempart_backup::restore::restore(&plan, &id, &env, &cache, &request)
        })
        .await
        .unwrap_or_else(|e| {
            Err(BackupError::Source {
                backup: args.id.clone(),
                why: format!("the restore task stopped: {e}"),
            })
        });
        let finished_ms = now_ms();
        let record = restore_evidence(&args.id, started_ms, finished_ms, &result);
        if let Err(e) = scope.append(record).await {
            crate::out::cannot_record(e);
        }
        match result {
            Ok(r) => {
                for why in &r.fell_back {
                    let why = why.to_string();
                    caution!(
                        "{}",
                        t!(crate::out::spoken(), "cli-restore-fell-back", why = why)
                    );
                }
                if args.json {
                    print_json(&restored_json(&args.id, &r, finished_ms));
                } else {
                    let symlinks = match r.symlinks {
                        0 => String::new(),
                        n => t!(lang, "restore-symlinks", count = n),
                    };
                    println!(
                        "{}",
                        t!(
                            lang,
                            "restore-done",
                            backup = args.id.as_str(),
                            snapshot = &r.snapshot[..8.min(r.snapshot.len())],
                            repository = r.repository.as_str(),
                            site = r.site.as_str(),
                            to = args.to.display().to_string(),
                            files = r.files,
                            symlinks = symlinks,
                            bytes = r.bytes,
                            duration = duration(i64::try_from(r.duration_ms).unwrap_or(i64::MAX)),
                            age = duration(finished_ms - r.data_time_ms)
                        )
                    );
                }
                0
            }
            Err(e) => {
                fail!("{}", scrubber.scrub(&e.to_string()));
                code(&e)
            }
        }
    })
}

fn restored_json(id: &str, r: &Restored, finished_ms: i64) -> serde_json::Value {
    json!({
        "backup": id,
        "repository": r.repository,
        "site": r.site,
        "location": r.location,
        "snapshot": r.snapshot,
        "files": r.files,
        "symlinks": r.symlinks,
        "bytes": r.bytes,
        "duration_ms": r.duration_ms,
        "data_time_ms": r.data_time_ms,
        "data_age_ms": finished_ms - r.data_time_ms,
        "fell_back": r.fell_back,
    })
}

/// The evidence of a restore: its duration is the floor of the RTO, the
/// age of the data restored the RPO actually achieved.
fn restore_evidence(
    id: &str,
    started_ms: i64,
    finished_ms: i64,
    result: &Result<Restored, BackupError>,
) -> NewEvidence {
    let (outcome, measurements, message) = match result {
        Ok(r) => (
            Outcome::Success,
            restored_json(id, r, finished_ms),
            format!("restored from {} ({})", r.repository, r.site),
        ),
        Err(e) => (Outcome::Failure, json!({ "backup": id }), e.to_string()),
    };
    NewEvidence {
        kind: EvidenceKind::Restore,
        subject: id.to_owned(),
        started_ms,
        finished_ms,
        outcome,
        measurements,
        message,
        job_run: None,
    }
}
