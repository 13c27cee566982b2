//! `backup`: runs a plan backup (snapshot on the first target, copies on
//! the others) and records one evidence record per site.

use std::path::PathBuf;

use rempart_backup::secrets::Resolver;
use std::sync::Arc;

use rempart_backup::BackupError;
use rempart_backup::run::SiteResult;
use rempart_core::evidence::measure::{Measure, SiteRun};
use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_core::plan::{DEFAULT_JOB_TIMEOUT, Plan};
use rempart_store::{RepositoryLocks, TenantScope, now_ms};

use super::{JobContext, JobResult};

pub const KIND: &str = "backup";

/// Runs backup `id` off the async threads (rustic is synchronous and its
/// S3 backend starts its own runtime).
async fn run_blocking(
    plan: Arc<Plan>,
    id: String,
    env: Resolver,
    cache: PathBuf,
) -> Result<Vec<SiteResult>, BackupError> {
    tokio::task::spawn_blocking(move || rempart_backup::run::run(&plan, &id, &env, &cache))
        .await
        .unwrap_or_else(|e| {
            Err(BackupError::Source {
                backup: String::new(),
                why: format!("the backup task stopped: {e}"),
            })
        })
}

/// Writes the evidence of a backup run: one record per site, or one
/// failure record when the run failed before any site. Returns the number
/// of records, or the run's error (after recording it).
pub async fn record(
    tenant: &TenantScope,
    backup: &str,
    started_ms: i64,
    result: Result<Vec<SiteResult>, BackupError>,
    job_run: Option<i64>,
) -> JobResult {
    let records: Vec<NewEvidence> = match &result {
        Ok(sites) => sites
            .iter()
            .map(|s| {
                let kind = if s.action == "backup" {
                    EvidenceKind::Backup
                } else {
                    EvidenceKind::Copy
                };
                let mut run = SiteRun {
                    repository: s.repository.clone(),
                    site: s.site.clone(),
                    location: s.location.clone(),
                    ..SiteRun::default()
                };
                let mut said = None;
                let (outcome, message) = match &s.outcome {
                    Ok(info) => {
                        run.snapshot = Some(info.id.clone());
                        run.data_time_ms = Some(info.time_ms);
                        run.summary = Some(info.summary.clone());
                        let plain = rempart_i18n::say!(
                            "said-backup-snapshot",
                            snapshot = &info.id[..8.min(info.id.len())],
                            repository = s.repository.as_str(),
                            site = s.site.as_str()
                        );
                        let noticed = noticed_text(&info.summary);
                        let message = rempart_i18n::english(&plain) + &noticed;
                        // What was noticed while reading is said as it was.
                        if noticed.is_empty() {
                            said = Some(plain);
                        }
                        (Outcome::Success, message)
                    }
                    Err(why) => (Outcome::Failure, why.clone()),
                };
                let mut measurements = run.to_value();
                if let Some(said) = said {
                    measurements["say"] = said;
                }
                NewEvidence {
                    kind,
                    subject: backup.to_owned(),
                    started_ms: s.started_ms,
                    finished_ms: s.finished_ms,
                    outcome,
                    measurements,
                    message,
                    job_run,
                }
            })
            .collect(),
        Err(e) => vec![NewEvidence {
            kind: EvidenceKind::Backup,
            subject: backup.to_owned(),
            started_ms,
            finished_ms: now_ms(),
            outcome: Outcome::Failure,
            measurements: SiteRun::default().to_value(),
            message: e.to_string(),
            job_run,
        }],
    };
    let n = records.len() as u64;
    tenant
        .append_batch(records)
        .await
        .map_err(|e| e.to_string())?;
    match result {
        Ok(_) => Ok(n),
        Err(e) => Err(e.into()),
    }
}

pub async fn run(cx: &JobContext) -> JobResult {
    let plan = Arc::clone(cx.plan()?);
    let started_ms = now_ms();
    let cache = cx.data_dir.join("cache/rustic");
    let timeout = plan
        .backups
        .iter()
        .find(|b| b.id.as_str() == cx.job.subject)
        .and_then(|b| b.timeout)
        .unwrap_or(DEFAULT_JOB_TIMEOUT);
    let (env, _watch) = cx.stoppable(timeout, &format!("backup \"{}\"", cx.job.subject));
    let locks = lock_targets(&cx.tenant, &plan, &cx.job.subject, false).await?;
    let result = run_blocking(
        plan.clone(),
        cx.job.subject.clone(),
        env.clone(),
        cache.clone(),
    )
    .await;
    locks.release().await;
    let primary_ok =
        matches!(&result, Ok(sites) if sites.first().is_some_and(|s| s.outcome.is_ok()));
    let written = record(
        &cx.tenant,
        &cx.job.subject,
        started_ms,
        result,
        Some(cx.job.run_id),
    )
    .await?;
    if primary_ok {
        // Retention runs in the backup's own job: never at the same time as it.
        let said = apply_retention(&cx.tenant, plan, cx.job.subject.clone(), env, cache).await;
        for line in said {
            tracing::info!("{}", rempart_i18n::english(&line));
        }
    }
    Ok(written)
}

/// Takes the store's locks on the repositories backup `id` writes: shared
/// for the backup and its copies, exclusive for its retention (prune), so
/// servers sharing one PostgreSQL never prune beside a backup. (On one
/// host the backup engine's file lock does the same.)
pub async fn lock_targets(
    tenant: &TenantScope,
    plan: &Plan,
    id: &str,
    exclusive: bool,
) -> Result<RepositoryLocks, String> {
    let targets: Vec<&str> = plan
        .backups
        .iter()
        .filter(|b| b.id.as_str() == id)
        .flat_map(|b| b.targets.iter().map(|t| t.as_str()))
        .collect();
    tenant
        .lock_repositories(&targets, exclusive)
        .await
        .map_err(|e| e.to_string())
}

/// Applies the backup's retention off the async threads, its repositories
/// locked; returns one sentence per repository (`say!`), for logs (in
/// English) and terminals (in the reader's language).
pub async fn apply_retention(
    tenant: &TenantScope,
    plan: Arc<Plan>,
    id: String,
    env: Resolver,
    cache: PathBuf,
) -> Vec<serde_json::Value> {
    let backup = id.clone();
    let not_applied = |why: String| {
        rempart_i18n::say!(
            "said-retention-not-applied",
            backup = backup.as_str(),
            why = why
        )
    };
    let locks = match lock_targets(tenant, &plan, &id, true).await {
        Ok(l) => l,
        Err(e) => return vec![not_applied(e.to_string())],
    };
    let outcome = tokio::task::spawn_blocking(move || {
        rempart_backup::retention::apply(&plan, &id, &env, &cache)
    })
    .await;
    locks.release().await;
    match outcome {
        Ok(Ok(done)) => done
            .iter()
            .map(|p| {
                rempart_i18n::say!(
                    "said-retention",
                    backup = backup.as_str(),
                    repository = p.repository.as_str(),
                    site = p.site.as_str(),
                    kept = p.kept,
                    forgotten = p.forgotten
                )
            })
            .collect(),
        Ok(Err(e)) => vec![not_applied(e.to_string())],
        Err(e) => vec![not_applied(format!("the retention task stopped: {e}"))],
    }
}

/// What a backup noticed about its source, for the evidence message:
/// files changed while being read, files that could not be read.
pub fn noticed_text(summary: &serde_json::Value) -> String {
    let count = |key: &str| summary[key].as_u64().unwrap_or(0);
    let mut text = String::new();
    let changed = count("files_changed_while_read");
    if changed > 0 {
        text += &format!(
            "; {changed} file(s) changed while being read (their copy may be inconsistent), first {}",
            summary["changed_while_read"][0].as_str().unwrap_or("?")
        );
    }
    if let Some(bad) = summary["snapshots_unreadable"]
        .as_array()
        .filter(|b| !b.is_empty())
    {
        text += &format!(
            "; the repository is damaged: {} snapshot file(s) cannot be read, first {} (`rempart verify` names the damage)",
            bad.len(),
            bad[0].as_str().map_or("?", |id| &id[..8.min(id.len())])
        );
    }
    let unreadable = count("files_unreadable");
    if unreadable > 0 {
        text += &format!(
            "; {unreadable} file(s) could not be read and are not in the snapshot, first {}",
            summary["unreadable"][0].as_str().unwrap_or("?")
        );
    }
    text
}
