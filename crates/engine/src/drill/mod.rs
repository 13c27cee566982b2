//! The scenario runner: runs a plan scenario's steps in order, for real,
//! each with its timeout, and records what happened.
//!
//! - Each step writes a `drill-step` record as soon as it ends (subject:
//!   the run id), so a crash loses no finished step.
//! - After a failure the remaining steps are skipped, except those marked
//!   `cleanup`, which always run.
//! - Commands run in the sandbox (`<data dir>/drills/<run>/`), with
//!   `REMPART_SANDBOX`, `REMPART_RESTORE_DIR` (where the latest restore
//!   step restored to), `REMPART_DRILL_RUN` and `REMPART_SCENARIO` set.
//! - The sandbox, and any restore directory the run created, is always
//!   removed.
//! - The run ends with one `drill` record (subject: the scenario): its
//!   outcome, the **achieved RTO** (the recovery steps' total time, cleanup
//!   steps excluded), the **achieved RPO** (the incident point, i.e. the
//!   drill's start, minus the restored data's time), and for failover
//!   drills the time to detect and to recover after each `simulate`.

mod steps;

use rempart_i18n::t;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rempart_backup::secrets::Resolver;
use rempart_core::evidence::measure::{self, Measure};
use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_core::plan::{Plan, Scenario, StepAction};
use rempart_store::{EvidenceQuery, StoreError, TenantScope, now_ms};
use serde_json::{Value, json};
use tokio::sync::watch;

pub use steps::{DEFAULT_EVERY, confirmation, default_timeout};

/// Where a drill's lines for people go (a terminal, the log).
pub type Report = Arc<dyn Fn(&str) + Send + Sync>;

/// What a drill needs to run.
pub struct Drill<'a> {
    pub tenant: &'a TenantScope,
    pub plan: Arc<Plan>,
    /// How the plan's secrets and paths resolve.
    pub env: Resolver,
    /// Rempart's data dir: the sandbox and the repositories' cache live there.
    pub data_dir: PathBuf,
    /// Becomes true when the run must stop (shutdown).
    pub cancel: watch::Receiver<bool>,
    pub job_run: Option<i64>,
    pub report: Option<Report>,
    /// The language of the report (a server's log lines stay English).
    pub lang: rempart_i18n::Lang,
}

impl Drill<'_> {
    /// Notes on the job's run what the drill is doing now (the portal
    /// follows it there); a drill run by hand has no job run.
    async fn progress(&self, now: Value) {
        if let Some(run) = self.job_run
            && let Err(e) = self.tenant.set_run_progress(run, &now).await
        {
            tracing::warn!(error = %e, "cannot note a drill's progress");
        }
    }

    /// One line of progress: to the report in its language, else to the
    /// log in English.
    fn say(&self, line: impl Fn(rempart_i18n::Lang) -> String) {
        match &self.report {
            Some(r) => r(&self.env.scrubber.scrub(&line(self.lang))),
            None => tracing::info!("{}", self.env.scrubber.scrub(&line(rempart_i18n::Lang::En))),
        }
    }
}

/// A drill that ran, with the records it wrote.
#[derive(Debug, Clone)]
pub struct Ran {
    pub run: String,
    pub passed: bool,
    /// The run's `drill` record.
    pub record: NewEvidence,
    /// The `drill-step` records, in order.
    pub steps: Vec<NewEvidence>,
}

/// The run id: the scenario and the start time in UTC, to the second.
pub fn run_id(scenario: &str, started_ms: i64) -> String {
    let at = chrono::DateTime::from_timestamp_millis(started_ms).unwrap_or_default();
    format!("{scenario}-{}", at.format("%Y%m%d-%H%M%S"))
}

/// The scenario `id` of the plan, or an error naming the known ones.
pub fn scenario<'p>(plan: &'p Plan, id: &str) -> Result<&'p Scenario, String> {
    plan.scenarios
        .iter()
        .find(|s| s.id.as_str() == id)
        .ok_or_else(|| {
            let known: Vec<&str> = plan.scenarios.iter().map(|s| s.id.as_str()).collect();
            if known.is_empty() {
                format!("the plan has no scenario \"{id}\" (it has none)")
            } else {
                format!(
                    "the plan has no scenario \"{id}\"; its scenarios: {}",
                    known.join(", ")
                )
            }
        })
}

/// Why a confirmation is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unconfirmable {
    /// No such run is running (unknown scenario, a run id that is not one,
    /// a run that cannot still be running), or no such step: 404.
    NotFound(String),
    /// The step is not a manual one, has ended, or is not reached yet; or
    /// the run has ended: 409.
    Conflict(String),
}

impl std::fmt::Display for Unconfirmable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unconfirmable::NotFound(why) | Unconfirmable::Conflict(why) => f.write_str(why),
        }
    }
}

/// The scenario and start time a run id names (`{scenario}-YYYYMMDD-HHMMSS`, UTC).
fn parse_run_id(run: &str) -> Option<(&str, i64)> {
    let (rest, time) = run.rsplit_once('-')?;
    let (scenario, day) = rest.rsplit_once('-')?;
    let at =
        chrono::NaiveDateTime::parse_from_str(&format!("{day}-{time}"), "%Y%m%d-%H%M%S").ok()?;
    Some((scenario, at.and_utc().timestamp_millis()))
}

/// Whether step `step` (from 1) of drill `run` may be confirmed now: the
/// run is one of `plan`'s scenarios, started and still running (not ended,
/// and younger than its steps' timeouts allow), and the step is a manual
/// step it has reached and not ended. Checked before anything is recorded:
/// a confirmation of nothing is never evidence.
pub async fn confirmable(
    tenant: &TenantScope,
    plan: &Plan,
    run: &str,
    step: u64,
    now_ms: i64,
) -> Result<Result<(), Unconfirmable>, StoreError> {
    let no_run = || Unconfirmable::NotFound(format!("no drill {run} is running"));
    let Some((id, started_ms)) = parse_run_id(run) else {
        return Ok(Err(no_run()));
    };
    let Some(scenario) = plan.scenarios.iter().find(|s| s.id.as_str() == id) else {
        return Ok(Err(no_run()));
    };
    // The longest it can run: every step to its timeout, and a minute.
    let longest_ms: i64 = scenario
        .steps
        .iter()
        .map(|s| {
            let t = s.timeout.map_or_else(
                || default_timeout(&s.action),
                |t| std::time::Duration::from_millis(t.as_millis()),
            );
            i64::try_from(t.as_millis()).unwrap_or(i64::MAX)
        })
        .fold(60_000i64, i64::saturating_add);
    if started_ms > now_ms + 1_000 || now_ms.saturating_sub(started_ms) > longest_ms {
        return Ok(Err(no_run()));
    }
    let count = scenario.steps.len();
    let index = match usize::try_from(step) {
        Ok(i) if (1..=count).contains(&i) => i,
        _ => {
            return Ok(Err(Unconfirmable::NotFound(format!(
                "drill {run} has no step {step}: its steps are numbered 1 to {count}"
            ))));
        }
    };
    if !matches!(scenario.steps[index - 1].action, StepAction::Manual(_)) {
        return Ok(Err(Unconfirmable::Conflict(format!(
            "step {step} of drill {run} is not a manual step: only those take a confirmation"
        ))));
    }
    let ended = tenant
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::Drill),
            subject: Some(id.to_owned()),
            from_ms: Some(started_ms - 1_000),
            ..EvidenceQuery::default()
        })
        .await?
        .iter()
        .any(|e| e.record.measurements["run"].as_str() == Some(run));
    if ended {
        return Ok(Err(Unconfirmable::Conflict(format!(
            "drill {run} has ended"
        ))));
    }
    let steps = tenant
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::DrillStep),
            subject: Some(run.to_owned()),
            ..EvidenceQuery::default()
        })
        .await?;
    let done = |i: usize| {
        steps
            .iter()
            .any(|e| e.record.measurements["index"].as_u64() == Some(i as u64))
    };
    if done(index) {
        return Ok(Err(Unconfirmable::Conflict(format!(
            "step {step} of drill {run} has already ended"
        ))));
    }
    if index > 1 && !done(index - 1) {
        return Ok(Err(Unconfirmable::Conflict(format!(
            "drill {run} has not reached step {step} yet"
        ))));
    }
    Ok(Ok(()))
}

/// How one step ended.
pub(crate) struct StepDone {
    pub outcome: Outcome,
    pub message: String,
    pub measurements: Value,
}

impl StepDone {
    pub fn ok(message: impl Into<String>, measurements: Value) -> StepDone {
        StepDone {
            outcome: Outcome::Success,
            message: message.into(),
            measurements,
        }
    }

    /// Passed, with a sentence kept to be said in the reader's language
    /// (`rempart_i18n::say!`): its English text is the message.
    pub fn ok_said(said: Value, mut measurements: Value) -> StepDone {
        let message = rempart_i18n::english(&said);
        if let Some(m) = measurements.as_object_mut() {
            m.insert("say".into(), said);
        }
        StepDone::ok(message, measurements)
    }

    pub fn failed(message: impl Into<String>, measurements: Value) -> StepDone {
        StepDone {
            outcome: Outcome::Failure,
            message: message.into(),
            measurements,
        }
    }
}

/// What a step sees of its run.
pub(crate) struct StepCx<'a> {
    pub drill: &'a Drill<'a>,
    pub run: &'a str,
    pub scenario: &'a Scenario,
    /// 1-based.
    pub index: usize,
    pub sandbox: &'a Path,
    pub timeout: std::time::Duration,
    /// The run's cancel flag; never raised for cleanup steps, which run
    /// (within their timeout) even when the drill is stopped.
    pub cancel: watch::Receiver<bool>,
    /// Where the latest restore step of the run restored to.
    pub restore_dir: Option<PathBuf>,
}

/// Removes a folder when dropped: the sandbox goes whatever happens.
struct Remove(Vec<PathBuf>);

impl Drop for Remove {
    fn drop(&mut self) {
        for dir in &self.0 {
            if dir.exists()
                && let Err(e) = std::fs::remove_dir_all(dir)
            {
                tracing::warn!("cannot remove the drill folder {}: {e}", dir.display());
            }
        }
    }
}

/// A sandbox untouched for this long belongs to a drill whose process was
/// killed (a running drill's guard removes its own): it is removed.
const STALE_SANDBOX: std::time::Duration = std::time::Duration::from_secs(2 * 86_400);

fn remove_stale_sandboxes(drills: &Path) {
    let Ok(entries) = std::fs::read_dir(drills) else {
        return;
    };
    for e in entries.flatten() {
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_SANDBOX);
        if stale && std::fs::remove_dir_all(e.path()).is_ok() {
            tracing::info!(
                "removed the sandbox of an interrupted drill: {}",
                e.path().display()
            );
        }
    }
}

/// Runs scenario `id` as a drill and records it. An `Err` is bad input (no
/// such scenario) or a store that cannot record; a drill that ran and
/// failed is an `Ok` whose `passed` is false.
pub async fn run(d: &Drill<'_>, id: &str) -> Result<Ran, String> {
    let plan = Arc::clone(&d.plan);
    let scenario = scenario(&plan, id)?;
    let incident_ms = now_ms();
    let run = run_id(id, incident_ms);
    remove_stale_sandboxes(&d.data_dir.join("drills"));
    let sandbox = d.data_dir.join("drills").join(&run);
    std::fs::create_dir_all(&sandbox)
        .map_err(|e| format!("cannot create the drill sandbox {}: {e}", sandbox.display()))?;
    // Absolute: commands run inside it and get paths under it.
    let sandbox = std::fs::canonicalize(&sandbox).unwrap_or(sandbox);
    let mut removed = Remove(vec![sandbox.clone()]);
    d.say(|l| {
        t!(
            l,
            "drill-report-start",
            run = run.as_str(),
            scenario = scenario.name.as_str(),
            steps = scenario.steps.len(),
            process = scenario.process.as_str()
        )
    });

    let total = scenario.steps.len();
    let mut records: Vec<NewEvidence> = Vec::new();
    let mut summary: Vec<Value> = Vec::new();
    let mut failed: Option<(usize, String)> = None;
    let mut rto_ms: i64 = 0;
    let mut restored: Vec<measure::Restored> = Vec::new();
    // (index, end) of each step that ran, for detect/recover times.
    let mut ends: Vec<(usize, &'static str, bool, i64)> = Vec::new();

    for (i, step) in scenario.steps.iter().enumerate() {
        let index = i + 1;
        let kind = step.action.kind();
        if failed.is_some() && !step.cleanup {
            summary.push(
                json!({ "index": index, "name": step.name, "kind": kind, "outcome": "skipped" }),
            );
            d.say(|l| {
                t!(
                    l,
                    "drill-report-skipped",
                    index = index,
                    total = total,
                    step = step.name.as_str()
                )
            });
            continue;
        }
        let timeout = step.timeout.map_or_else(
            || default_timeout(&step.action),
            |t| std::time::Duration::from_millis(t.as_millis()),
        );
        d.say(|l| {
            t!(
                l,
                "drill-report-step",
                index = index,
                total = total,
                step = step.name.as_str(),
                kind = kind
            )
        });
        d.progress(json!({
            "run": run,
            "scenario": id,
            "step": index,
            "total": total,
            "name": step.name,
            "kind": kind,
        }))
        .await;
        let cx = StepCx {
            drill: d,
            run: &run,
            scenario,
            index,
            sandbox: &sandbox,
            timeout,
            cancel: if step.cleanup {
                watch::channel(false).1
            } else {
                d.cancel.clone()
            },
            restore_dir: restored
                .last()
                .and_then(|r| r.to.as_ref())
                .map(PathBuf::from),
        };
        let started_ms = now_ms();
        let clock = std::time::Instant::now();
        let (done, created) = steps::run(&cx, step).await;
        removed.0.extend(created);
        let finished_ms = now_ms();
        let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
        let ok = done.outcome == Outcome::Success;
        if !step.cleanup {
            rto_ms += duration_ms;
        }
        if ok
            && let StepAction::Restore(_) = step.action
            && let Ok(r) = serde_json::from_value(done.measurements.clone())
        {
            restored.push(r);
        }
        ends.push((index, kind, ok, finished_ms));
        d.say(|l| {
            let message = rempart_i18n::told(l, &done.measurements, &done.message);
            let duration = rempart_core::assessment::human(duration_ms);
            if ok {
                t!(
                    l,
                    "drill-report-step-ok",
                    duration = duration,
                    message = message
                )
            } else {
                t!(
                    l,
                    "drill-report-step-failed",
                    duration = duration,
                    message = message
                )
            }
        });
        let mut m = json!({
            "run": run,
            "scenario": id,
            "process": scenario.process.as_str(),
            "index": index,
            "name": step.name,
            "kind": kind,
            "cleanup": step.cleanup,
            "duration_ms": duration_ms,
            "timeout_ms": i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX),
        });
        if let (Some(m), Some(extra)) = (m.as_object_mut(), done.measurements.as_object()) {
            m.extend(extra.clone());
        }
        let record = NewEvidence {
            kind: EvidenceKind::DrillStep,
            subject: run.clone(),
            started_ms,
            finished_ms,
            outcome: done.outcome,
            measurements: m,
            message: done.message.clone(),
            job_run: d.job_run,
        };
        // Written as the step ends: a crash loses no finished step.
        d.tenant
            .append(record.clone())
            .await
            .map_err(|e| format!("cannot record step {index} of drill {run}: {e}"))?;
        records.push(record);
        summary.push(json!({
            "index": index, "name": step.name, "kind": kind, "cleanup": step.cleanup,
            "outcome": done.outcome.as_str(), "duration_ms": duration_ms,
        }));
        if !ok && failed.is_none() {
            failed = Some((
                index,
                format!("step {index} \"{}\" failed: {}", step.name, done.message),
            ));
        }
    }
    drop(removed);

    let finished_ms = now_ms();
    let data_time_ms = restored.iter().filter_map(|r| r.data_time_ms).min();
    let rpo_ms = data_time_ms.map(|t| (incident_ms - t).max(0));
    let failover = failover_times(&ends);
    let passed = failed.is_none();
    let human = rempart_core::assessment::human;
    let said = match (&failed, rpo_ms) {
        (Some(_), _) => None,
        (None, Some(rpo)) => Some(rempart_i18n::say!(
            "said-drill-passed-rpo",
            rto = human(rto_ms),
            rpo = human(rpo)
        )),
        (None, None) => Some(rempart_i18n::say!("said-drill-passed", rto = human(rto_ms))),
    };
    let message = match (&failed, &said) {
        (Some((_, why)), _) => why.clone(),
        (None, Some(said)) => rempart_i18n::english(said),
        (None, None) => String::new(),
    };
    let mut record = NewEvidence {
        kind: EvidenceKind::Drill,
        subject: id.to_owned(),
        started_ms: incident_ms,
        finished_ms,
        outcome: if passed {
            Outcome::Success
        } else {
            Outcome::Failure
        },
        measurements: measure::DrillRun {
            run: run.clone(),
            process: scenario.process.to_string(),
            incident_ms,
            rto_ms: Some(rto_ms),
            duration_ms: finished_ms - incident_ms,
            rpo_ms,
            data_time_ms,
            detect_ms: failover.first().and_then(|f| f.detect_ms),
            recover_ms: failover.first().and_then(|f| f.recover_ms),
            restored,
            steps: summary,
            failed_step: failed.as_ref().map(|(i, _)| *i),
            failover,
        }
        .to_value(),
        message: message.clone(),
        job_run: d.job_run,
    };
    if let Some(said) = said {
        record.measurements["say"] = said;
    }
    d.tenant
        .append(record.clone())
        .await
        .map_err(|e| format!("cannot record drill {run}: {e}"))?;
    d.say(|l| {
        t!(
            l,
            "drill-report-end",
            run = run.as_str(),
            message = record.told(l)
        )
    });
    Ok(Ran {
        run,
        passed,
        record,
        steps: records,
    })
}

/// One step run on its own, for real, outside a drill (a crisis
/// checklist): its `drill-step` record as stored, and whether it passed.
pub struct StepRan {
    pub record: rempart_core::evidence::Evidence,
    pub passed: bool,
    pub duration_ms: i64,
    /// What a restore step restored.
    pub restored: Option<measure::Restored>,
}

/// Runs step `index` (from 1) of scenario `id` for real, as the run
/// `run`, in `workdir` (kept afterwards: in a crisis, what a step restored
/// is the point, so nothing it made is removed), and records it as a
/// `drill-step` record whose measurements carry `extra` (e.g. the crisis).
pub async fn run_step(
    d: &Drill<'_>,
    id: &str,
    index: usize,
    run: &str,
    workdir: &Path,
    extra: Value,
) -> Result<StepRan, String> {
    let plan = Arc::clone(&d.plan);
    let scenario = scenario(&plan, id)?;
    let step = index
        .checked_sub(1)
        .and_then(|i| scenario.steps.get(i))
        .ok_or_else(|| {
            format!(
                "scenario \"{id}\" has no step {index} (it has {})",
                scenario.steps.len()
            )
        })?;
    std::fs::create_dir_all(workdir)
        .map_err(|e| format!("cannot create {}: {e}", workdir.display()))?;
    let workdir = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_owned());
    let timeout = step.timeout.map_or_else(
        || default_timeout(&step.action),
        |t| std::time::Duration::from_millis(t.as_millis()),
    );
    let cx = StepCx {
        drill: d,
        run,
        scenario,
        index,
        sandbox: &workdir,
        timeout,
        cancel: d.cancel.clone(),
        restore_dir: None,
    };
    let started_ms = now_ms();
    let clock = std::time::Instant::now();
    let (done, _kept) = steps::run(&cx, step).await;
    let finished_ms = now_ms();
    let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
    let passed = done.outcome == Outcome::Success;
    let restored = match step.action {
        StepAction::Restore(_) if passed => serde_json::from_value(done.measurements.clone()).ok(),
        _ => None,
    };
    let mut m = json!({
        "run": run,
        "scenario": id,
        "process": scenario.process.as_str(),
        "index": index,
        "name": step.name,
        "kind": step.action.kind(),
        "cleanup": step.cleanup,
        "duration_ms": duration_ms,
        "timeout_ms": i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX),
    });
    if let Some(m) = m.as_object_mut() {
        if let Some(extra) = done.measurements.as_object() {
            m.extend(extra.clone());
        }
        if let Some(extra) = extra.as_object() {
            m.extend(extra.clone());
        }
    }
    let record = d
        .tenant
        .append(NewEvidence {
            kind: EvidenceKind::DrillStep,
            subject: run.to_owned(),
            started_ms,
            finished_ms,
            outcome: done.outcome,
            measurements: m,
            message: done.message,
            job_run: d.job_run,
        })
        .await
        .map_err(|e| format!("cannot record step {index} of {run}: {e}"))?;
    Ok(StepRan {
        record,
        passed,
        duration_ms,
        restored,
    })
}

/// After each `simulate` step: the time until the first `wait_for` that
/// passed after it (the outage is seen: detect) and until the last one
/// before the next `simulate` (the service is back: recover).
fn failover_times(ends: &[(usize, &'static str, bool, i64)]) -> Vec<measure::Failover> {
    let mut out = Vec::new();
    for (at, (index, kind, ok, end)) in ends.iter().enumerate() {
        if *kind != "simulate" || !ok {
            continue;
        }
        let waits: Vec<i64> = ends[at + 1..]
            .iter()
            .take_while(|(_, k, _, _)| *k != "simulate")
            .filter(|(_, k, ok, _)| *k == "wait_for" && *ok)
            .map(|(_, _, _, e)| e - end)
            .collect();
        out.push(measure::Failover {
            simulate_step: *index,
            detect_ms: waits.first().copied(),
            recover_ms: (waits.len() > 1).then(|| waits.last().copied()).flatten(),
        });
    }
    out
}

/// What a dry run finds: one line per step, and the problems that would
/// make the drill fail before it starts.
pub struct DryRun {
    pub lines: Vec<String>,
    pub problems: Vec<String>,
}

/// Checks scenario `id` without running it: the backups it restores have
/// a snapshot on the site asked, the secrets it needs resolve. Nothing is
/// written and nothing is recorded.
pub async fn dry_run(d: &Drill<'_>, id: &str) -> Result<DryRun, String> {
    let plan = Arc::clone(&d.plan);
    let scenario = scenario(&plan, id)?;
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (i, step) in scenario.steps.iter().enumerate() {
        let timeout = step.timeout.map_or_else(
            || default_timeout(&step.action),
            |t| std::time::Duration::from_millis(t.as_millis()),
        );
        let timeout =
            rempart_core::assessment::human(i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX));
        let (index, total, name, kind) = (
            i + 1,
            scenario.steps.len(),
            step.name.as_str(),
            step.action.kind(),
        );
        lines.push(if step.cleanup {
            t!(
                d.lang,
                "drill-dry-run-cleanup-step",
                index = index,
                total = total,
                step = name,
                kind = kind,
                timeout = timeout
            )
        } else {
            t!(
                d.lang,
                "drill-dry-run-step",
                index = index,
                total = total,
                step = name,
                kind = kind,
                timeout = timeout
            )
        });
        if let Some(problem) = steps::check(d, step).await {
            problems.push(format!("step {} \"{}\": {problem}", i + 1, step.name));
        }
    }
    Ok(DryRun { lines, problems })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_name_the_scenario_and_the_utc_second() {
        assert_eq!(run_id("erp", 1_795_953_600_123), "erp-20261129-120000");
    }

    #[test]
    fn detect_and_recover_are_measured_from_the_end_of_each_simulate() {
        let ends = [
            (1, "simulate", true, 1_000),
            (2, "wait_for", true, 1_400),
            (3, "command", true, 2_000),
            (4, "wait_for", true, 2_900),
            (5, "simulate", true, 5_000),
            (6, "wait_for", true, 5_250),
        ];
        let f = failover_times(&ends);
        let at = |simulate_step, detect_ms, recover_ms| measure::Failover {
            simulate_step,
            detect_ms,
            recover_ms,
        };
        assert_eq!(f, [at(1, Some(400), Some(1_900)), at(5, Some(250), None)]);
    }
}
