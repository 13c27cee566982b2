//! One function per step kind. Each returns how the step ended; none
//! panics or returns early without saying why.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use rempart_backup::restore::{Pick, Request};
use rempart_backup::secrets::Resolver;
use rempart_core::evidence::measure::Restored;
use rempart_core::evidence::{EvidenceKind, Outcome};
use rempart_core::plan::{
    Condition, HttpStep, ManualStep, NotifyStep, RestoreStep, SqlStep, Step, StepAction,
    WaitForStep, WaitUntil,
};
use rempart_store::EvidenceQuery;
use serde_json::json;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Row, ValueRef};

use super::{Drill, StepCx, StepDone};
use crate::shell::{self, Shell};

/// Time between two polls of a `wait_for` step when it gives none.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(1);
/// Output of a command kept in the evidence, per stream (the whole is digested).
const KEEP: usize = 4 * 1024;

/// A step's timeout when the plan gives none.
pub fn default_timeout(action: &StepAction) -> Duration {
    let minutes = match action {
        StepAction::Restore(_) => 4 * 60,
        StepAction::Command(_) | StepAction::Simulate(_) => 60,
        StepAction::Http(_) | StepAction::Notify(_) => 1,
        StepAction::Sql(_) => 5,
        StepAction::WaitFor(_) => 15,
        StepAction::Manual(_) => 8 * 60,
    };
    Duration::from_secs(minutes * 60)
}

/// Runs one step; also returns the folders it created outside the sandbox
/// (removed with it at the end of the run).
pub(super) async fn run(cx: &StepCx<'_>, step: &Step) -> (StepDone, Vec<PathBuf>) {
    match &step.action {
        StepAction::Restore(r) => restore(cx, r).await,
        StepAction::Command(c) => (command(cx, &c.command, c.expect_exit, false).await, vec![]),
        StepAction::Simulate(s) => (command(cx, &s.simulate, 0, true).await, vec![]),
        StepAction::Http(h) => (http_step(cx, h).await, vec![]),
        StepAction::Sql(s) => (sql(cx, s).await, vec![]),
        StepAction::WaitFor(w) => (wait_for(cx, w).await, vec![]),
        StepAction::Manual(m) => (manual(cx, m).await, vec![]),
        StepAction::Notify(n) => (notify(cx, &step.name, n).await, vec![]),
    }
}

/// What would make `step` fail before it does anything (dry run).
pub(super) async fn check(d: &Drill<'_>, step: &Step) -> Option<String> {
    match &step.action {
        StepAction::Restore(r) => {
            let (plan, env, cache) = (d.plan.clone(), d.env.clone(), cache(d));
            let (backup, site) = (
                r.restore.to_string(),
                r.site.as_ref().map(ToString::to_string),
            );
            let found = tokio::task::spawn_blocking(move || {
                has_snapshot(&plan, &backup, site.as_deref(), &env, &cache)
            })
            .await;
            match found {
                Ok(Ok(true)) => None,
                Ok(Ok(false)) => Some(format!(
                    "backup \"{}\" has no snapshot{} yet: run `rempart backup run {}` first",
                    r.restore,
                    r.site
                        .as_ref()
                        .map_or(String::new(), |s| format!(" on site \"{s}\"")),
                    r.restore
                )),
                Ok(Err(e)) => Some(e),
                Err(e) => Some(format!("the check stopped: {e}")),
            }
        }
        StepAction::Sql(s) => d
            .env
            .resolve(&s.database, "the database URL")
            .err()
            .map(|e| e.to_string()),
        _ => None,
    }
}

/// Whether backup `id` has a snapshot on `site` (on any of its sites
/// when `None`).
fn has_snapshot(
    plan: &rempart_core::plan::Plan,
    id: &str,
    site: Option<&str>,
    env: &Resolver,
    cache: &std::path::Path,
) -> Result<bool, String> {
    let backup = plan
        .backups
        .iter()
        .find(|b| b.id.as_str() == id)
        .ok_or_else(|| format!("the plan has no backup \"{id}\""))?;
    let mut errors = Vec::new();
    for repo in &backup.targets {
        let target = rempart_backup::repository::Target::from_plan(plan, repo.as_str(), env, cache)
            .map_err(|e| e.to_string())?;
        if site.is_some_and(|s| s != target.site) {
            continue;
        }
        match target.open().map(|r| r.get_all_snapshots()) {
            Ok(Ok(snaps)) if snaps.iter().any(|s| s.label == id) => return Ok(true),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => errors.push(format!("{repo}: {e}")),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(false)
    } else {
        Err(errors.join("; "))
    }
}

fn cache(d: &Drill<'_>) -> PathBuf {
    d.data_dir.join("cache/rustic")
}

async fn restore(cx: &StepCx<'_>, r: &RestoreStep) -> (StepDone, Vec<PathBuf>) {
    let d = cx.drill;
    let backup = r.restore.to_string();
    let (to, created) = match &r.to {
        None => (cx.sandbox.join(&backup), vec![]),
        Some(to) => {
            let to = d.env.path(to);
            let occupied = std::fs::read_dir(&to).is_ok_and(|mut e| e.next().is_some());
            if occupied {
                let why = format!(
                    "{} is not empty: a drill restores into an empty or new folder, which it removes afterwards",
                    to.display()
                );
                return (StepDone::failed(why, json!({ "backup": backup })), vec![]);
            }
            (to.clone(), vec![to])
        }
    };
    let targets: Vec<&str> = d
        .plan
        .backups
        .iter()
        .filter(|b| b.id == r.restore)
        .flat_map(|b| b.targets.iter().map(|t| t.as_str()))
        .collect();
    // A restore beside a prune would see packs vanish: shared lock.
    let locks = match d.tenant.lock_repositories(&targets, false).await {
        Ok(l) => l,
        Err(e) => {
            return (
                StepDone::failed(e.to_string(), json!({ "backup": backup })),
                created,
            );
        }
    };
    // The restore stops itself at the step's timeout or when the drill is
    // cancelled, instead of running on after the step gave up on it.
    let mut env = d.env.clone();
    env.stop = rempart_backup::stop::Stop::never();
    env.stop.after(
        cx.timeout,
        format!(
            "the restore step ran past its timeout ({})",
            human(cx.timeout)
        ),
    );
    let stop = env.stop.clone();
    let mut cancel = cx.cancel.clone();
    let _watch = crate::executor::StopGuard::new(tokio::spawn(async move {
        crate::runner::cancelled(&mut cancel).await;
        stop.stop("the drill was cancelled");
    }));
    let (plan, env, cache_dir, site, dest) = (
        d.plan.clone(),
        env,
        cache(d),
        r.site.as_ref().map(ToString::to_string),
        to.clone(),
    );
    let id = backup.clone();
    let task = tokio::task::spawn_blocking(move || {
        let request = Request {
            to: &dest,
            which: Pick::Latest,
            site: site.as_deref(),
            progress: None,
        };
        rempart_backup::restore::restore(&plan, &id, &env, &cache_dir, &request)
    });
    let outcome = tokio::time::timeout(cx.timeout, task).await;
    locks.release().await;
    let done = match outcome {
        Err(_) => StepDone::failed(
            format!("the restore did not finish within {}", human(cx.timeout)),
            json!({ "backup": backup, "timed_out": true }),
        ),
        Ok(Err(e)) => StepDone::failed(
            format!("the restore task stopped: {e}"),
            json!({ "backup": backup }),
        ),
        Ok(Ok(Err(e))) => StepDone::failed(e.to_string(), json!({ "backup": backup })),
        Ok(Ok(Ok(done))) => {
            let said = rempart_i18n::say!(
                "said-step-restored",
                snapshot = &done.snapshot[..8.min(done.snapshot.len())],
                backup = backup.as_str(),
                repository = done.repository.as_str(),
                site = done.site.as_str(),
                files = done.files,
                bytes = done.bytes
            );
            let mut message = rempart_i18n::english(&said);
            // The sites that failed first are said as they failed.
            let said = if done.fell_back.is_empty() {
                Some(said)
            } else {
                message += &format!("; fell back after: {}", done.fell_back.join("; "));
                None
            };
            let restored = Restored {
                backup: backup.clone(),
                repository: done.repository,
                site: done.site,
                snapshot: done.snapshot,
                data_time_ms: Some(done.data_time_ms),
                files: done.files,
                bytes: done.bytes,
                to: Some(to.display().to_string()),
                fell_back: done.fell_back,
            };
            let mut m = serde_json::to_value(&restored).unwrap_or_default();
            if let Some(said) = said {
                m["say"] = said;
            }
            StepDone::ok(message, m)
        }
    };
    (done, created)
}

fn human(d: Duration) -> String {
    rempart_core::assessment::human(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The environment of a drill's commands: where the sandbox is, where
/// the latest restore went.
fn env(cx: &StepCx<'_>) -> Vec<(&'static str, String)> {
    let mut env = vec![
        ("REMPART_SANDBOX", cx.sandbox.display().to_string()),
        ("REMPART_DRILL_RUN", cx.run.to_owned()),
        ("REMPART_SCENARIO", cx.scenario.id.to_string()),
    ];
    if let Some(dir) = &cx.restore_dir {
        env.push(("REMPART_RESTORE_DIR", dir.display().to_string()));
    }
    env
}

async fn command(cx: &StepCx<'_>, command: &str, expect_exit: u8, simulate: bool) -> StepDone {
    let mut cancel = cx.cancel.clone();
    let spec = Shell {
        command,
        timeout: cx.timeout,
        dir: Some(cx.sandbox),
        env: env(cx),
        keep: KEEP,
    };
    let done = match shell::run(spec, &mut cancel).await {
        Ok(done) => done,
        Err(e) => return StepDone::failed(e.to_string(), json!({ "simulate": simulate })),
    };
    let m = json!({
        "exit_code": done.exit_code,
        "expect_exit": expect_exit,
        "timed_out": done.timed_out,
        "stdout": done.stdout.to_json(),
        "stderr": done.stderr.to_json(),
        "simulate": simulate,
    });
    match done.exit_code {
        _ if done.timed_out => StepDone::failed(
            format!(
                "killed after its timeout of {} (with its process group)",
                human(cx.timeout)
            ),
            m,
        ),
        None => StepDone::failed("killed by a signal", m),
        Some(code) if code == i32::from(expect_exit) => {
            StepDone::ok_said(rempart_i18n::say!("said-step-exit", code = code), m)
        }
        Some(code) => {
            let err = done.stderr.text();
            let tail = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            StepDone::failed(
                format!(
                    "exit {code} (expected {expect_exit}){}",
                    if tail.is_empty() {
                        String::new()
                    } else {
                        format!(": {tail}")
                    }
                ),
                m,
            )
        }
    }
}

async fn http_step(cx: &StepCx<'_>, h: &HttpStep) -> StepDone {
    let public_only = !cx.drill.env.server_secrets;
    let c = crate::probe::http::get(&h.http, h.expect.as_ref(), cx.timeout, public_only).await;
    let mut m = c.measurements;
    m["url"] = json!(h.http);
    if c.up {
        StepDone::ok(c.message, m)
    } else {
        StepDone::failed(c.message, m)
    }
}

/// A database URL for people: user, host, port and database, never the password.
fn database_label(options: &PgConnectOptions) -> String {
    format!(
        "postgres://{}@{}:{}/{}",
        options.get_username(),
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("")
    )
}

/// The first column of the first row as PostgreSQL prints it (`t`/`f`
/// for booleans, read as `true`/`false`), `NULL` for null, `None` for no row.
async fn first_value(options: &PgConnectOptions, sql: &str) -> Result<Option<String>, sqlx::Error> {
    let mut conn = options.connect().await?;
    // The simple protocol: values come as text, whatever their type.
    let row = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_optional(&mut conn)
        .await?;
    let value = match row {
        None => None,
        Some(row) => {
            let raw = row.try_get_raw(0)?;
            Some(if raw.is_null() {
                "NULL".to_owned()
            } else {
                same_bool(raw.as_str().map_err(sqlx::Error::Decode)?).to_owned()
            })
        }
    };
    let _ = sqlx::Connection::close(conn).await;
    Ok(value)
}

/// PostgreSQL prints booleans `t`/`f`: an expectation may use either form.
fn same_bool(text: &str) -> &str {
    match text {
        "t" => "true",
        "f" => "false",
        other => other,
    }
}

async fn sql(cx: &StepCx<'_>, s: &SqlStep) -> StepDone {
    let url = match cx.drill.env.resolve(&s.database, "the database URL") {
        Ok(u) => u,
        Err(e) => return StepDone::failed(e.to_string(), json!({})),
    };
    let options = match PgConnectOptions::from_str(&url) {
        Ok(o) => o.log_statements(tracing::log::LevelFilter::Off),
        Err(_) => {
            return StepDone::failed(
                "the database URL is not a PostgreSQL URL (postgres://user:password@host:port/database)",
                json!({}),
            );
        }
    };
    let label = database_label(&options);
    // Whatever the server or driver says, the password never leaves.
    let password = url::Url::parse(&url)
        .ok()
        .and_then(|u| u.password().map(str::to_owned))
        .filter(|p| !p.is_empty());
    let scrub = |text: String| match &password {
        Some(p) => text.replace(p.as_str(), "***"),
        None => text,
    };
    let m = json!({ "database": label, "sql": s.sql, "expect": s.expect });
    let value = match tokio::time::timeout(cx.timeout, first_value(&options, &s.sql)).await {
        Err(_) => {
            return StepDone::failed(
                format!("database {label}: no answer within {}", human(cx.timeout)),
                m,
            );
        }
        Ok(Err(e)) => return StepDone::failed(scrub(format!("database {label}: {e}")), m),
        Ok(Ok(v)) => v,
    };
    let mut m = m;
    m["value"] = json!(value);
    match (value, &s.expect) {
        (None, _) => StepDone::failed(format!("database {label}: the query returned no row"), m),
        (Some(v), Some(want)) if v.trim() == same_bool(want.trim()) => StepDone::ok_said(
            rempart_i18n::say!(
                "said-step-sql",
                database = label.as_str(),
                value = v.as_str()
            ),
            m,
        ),
        (Some(v), Some(want)) => {
            StepDone::failed(format!("database {label}: got {v}, expected {want}"), m)
        }
        (Some(v), None) if v == "false" || v == "NULL" => {
            StepDone::failed(format!("database {label}: the query answered {v}"), m)
        }
        (Some(v), None) => StepDone::ok_said(
            rempart_i18n::say!(
                "said-step-sql",
                database = label.as_str(),
                value = v.as_str()
            ),
            m,
        ),
    }
}

/// Polls `condition` once: `Ok` when it holds, `Err(why)` when not.
async fn probe(cx: &StepCx<'_>, condition: &Condition, limit: Duration) -> Result<String, String> {
    let public_only = !cx.drill.env.server_secrets;
    match condition {
        Condition::Http(h) => {
            let c = crate::probe::http::get(&h.http, h.expect.as_ref(), limit, public_only).await;
            if c.up { Ok(c.message) } else { Err(c.message) }
        }
        Condition::Tcp(t) => {
            let c = crate::probe::tcp::connect(&t.tcp, limit, public_only).await;
            if c.up { Ok(c.message) } else { Err(c.message) }
        }
        Condition::Command(c) => {
            let mut cancel = cx.cancel.clone();
            let spec = Shell {
                command: &c.command,
                timeout: limit,
                dir: Some(cx.sandbox),
                env: env(cx),
                keep: KEEP,
            };
            match shell::run(spec, &mut cancel).await {
                Ok(done) if done.exit_code == Some(i32::from(c.expect_exit)) => {
                    Ok(format!("`{}` exited {}", c.command, c.expect_exit))
                }
                Ok(done) if done.timed_out => Err(format!("`{}` timed out", c.command)),
                Ok(done) => Err(format!("`{}` exited {:?}", c.command, done.exit_code)),
                Err(e) => Err(e.to_string()),
            }
        }
    }
}

async fn wait_for(cx: &StepCx<'_>, w: &WaitForStep) -> StepDone {
    let every = w
        .every
        .map_or(DEFAULT_EVERY, |e| Duration::from_millis(e.as_millis()));
    let down = w.until == Some(WaitUntil::Down);
    let clock = Instant::now();
    let mut polls = 0u64;
    let mut cancel = cx.cancel.clone();
    loop {
        polls += 1;
        let left = cx.timeout.saturating_sub(clock.elapsed());
        // One poll takes at most the interval (at least a second) and never past the timeout.
        let limit = every
            .max(Duration::from_secs(1))
            .min(left.max(Duration::from_millis(100)));
        let result = probe(cx, &w.wait_for, limit).await;
        let elapsed = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
        let m = json!({ "until": if down { "down" } else { "up" }, "polls": polls, "waited_ms": elapsed });
        match (result, down) {
            (Ok(msg), false) => {
                return StepDone::ok_said(
                    rempart_i18n::say!("said-step-up-after", polls = polls, seen = msg),
                    m,
                );
            }
            (Err(why), true) => {
                return StepDone::ok_said(
                    rempart_i18n::say!("said-step-down-after", polls = polls, seen = why),
                    m,
                );
            }
            (last, _) if clock.elapsed() + every > cx.timeout => {
                let last = match last {
                    Ok(m) | Err(m) => m,
                };
                return StepDone::failed(
                    format!(
                        "still {} after {} ({polls} polls); last: {last}",
                        if down { "up" } else { "down" },
                        human(cx.timeout)
                    ),
                    m,
                );
            }
            _ => {}
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = crate::runner::cancelled(&mut cancel) => {
                return StepDone::failed("cancelled while waiting", m);
            }
        }
    }
}

async fn manual(cx: &StepCx<'_>, m: &ManualStep) -> StepDone {
    let d = cx.drill;
    d.say(|l| {
        let command = format!("rempart drill confirm {} {}", cx.run, cx.index);
        match &m.who {
            Some(who) => rempart_i18n::t!(
                l,
                "drill-report-manual-who",
                who = who.as_str(),
                what = m.manual.as_str(),
                command = command
            ),
            None => rempart_i18n::t!(
                l,
                "drill-report-manual",
                what = m.manual.as_str(),
                command = command
            ),
        }
    });
    let from_ms = rempart_store::now_ms();
    let clock = Instant::now();
    let mut cancel = cx.cancel.clone();
    let query = EvidenceQuery {
        kind: Some(EvidenceKind::Confirmation),
        subject: Some(cx.run.to_owned()),
        from_ms: Some(from_ms - 1_000),
        limit: EvidenceQuery::MAX_LIMIT,
        ..EvidenceQuery::default()
    };
    loop {
        match d.tenant.evidence(&query).await {
            Ok(found) => {
                let mine = found.iter().find(|e| {
                    e.record.outcome == Outcome::Success
                        && e.record.measurements["step"].as_u64() == Some(cx.index as u64)
                });
                if let Some(e) = mine {
                    let by = e.record.measurements["by"].as_str().unwrap_or("?");
                    let note = e.record.measurements["note"].as_str();
                    let said = match note {
                        Some(n) => {
                            rempart_i18n::say!("said-step-confirmed-note", by = by, note = n)
                        }
                        None => rempart_i18n::say!("said-step-confirmed", by = by),
                    };
                    return StepDone::ok_said(
                        said,
                        json!({
                            "instruction": m.manual,
                            "who": m.who,
                            "confirmed_by": by,
                            "note": note,
                            "confirmation_seq": e.seq,
                        }),
                    );
                }
            }
            Err(e) => tracing::warn!("drill {}: cannot read confirmations: {e}", cx.run),
        }
        if clock.elapsed() >= cx.timeout {
            return StepDone::failed(
                format!("nobody confirmed within {}", human(cx.timeout)),
                json!({ "instruction": m.manual, "who": m.who, "timed_out": true }),
            );
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(1).min(cx.timeout.saturating_sub(clock.elapsed()))) => {}
            () = crate::runner::cancelled(&mut cancel) => {
                return StepDone::failed("cancelled while waiting for a confirmation", json!({}));
            }
        }
    }
}

/// Queues the message for each receiver (written before it is sent: the
/// server's sender delivers it, with retries, and records the delivery).
async fn notify(cx: &StepCx<'_>, step_name: &str, n: &NotifyStep) -> StepDone {
    let d = cx.drill;
    let lang: rempart_i18n::Lang = d.plan.organization.language.into();
    let message = crate::notify::Message {
        subject: rempart_i18n::t!(
            lang,
            "drill-notify-subject",
            scenario = cx.scenario.name.as_str(),
            step = step_name
        ),
        text: n.message.clone().unwrap_or_else(|| step_name.to_owned()),
        kind: "drill",
        alert: None,
    };
    let to: Vec<String> = n.notify.iter().map(ToString::to_string).collect();
    let key = format!("drill/{}/{}", cx.run, cx.index);
    match crate::notify::queue(d.tenant, &d.plan, &to, &message, &key).await {
        Ok(receivers) => StepDone::ok_said(
            rempart_i18n::say!("said-step-queued", receivers = receivers.join(", ")),
            json!({ "queued": receivers, "dedup_key": key }),
        ),
        Err(why) => StepDone::failed(why, json!({ "to": to })),
    }
}

/// The confirmation a person gives a manual step (`rempart drill confirm`).
pub fn confirmation(
    run: &str,
    step: u64,
    by: &str,
    note: Option<&str>,
) -> rempart_core::evidence::NewEvidence {
    let now = rempart_store::now_ms();
    rempart_core::evidence::NewEvidence {
        kind: EvidenceKind::Confirmation,
        subject: run.to_owned(),
        started_ms: now,
        finished_ms: now,
        outcome: Outcome::Success,
        measurements: json!({ "step": step, "by": by, "note": note }),
        message: format!("step {step} of drill {run} confirmed by {by}"),
        job_run: None,
    }
}
