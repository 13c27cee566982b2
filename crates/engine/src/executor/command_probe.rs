//! `probe` of a `command` monitor: runs the monitor's command in its own
//! process group, with a timeout, and records what it found: exit code,
//! duration, a digest of the output, and whether the expectation held.

use std::time::Duration;

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_core::plan::{Monitor, MonitorKind};
use rempart_store::now_ms;
use serde_json::json;

use crate::shell::{self, Shell};

use super::{JobContext, JobResult};

pub const KIND: &str = "probe";
/// Timeout when the monitor gives none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Output kept for matching; the rest is read and counted, not kept.
const OUTPUT_LIMIT: usize = 64 * 1024;

/// The monitor a probe job runs, from the tenant's active plan.
fn monitor(cx: &JobContext) -> Result<&Monitor, String> {
    let plan = cx.plan()?;
    plan.monitors
        .iter()
        .find(|m| m.id.as_str() == cx.job.subject && m.kind == MonitorKind::Command)
        .ok_or_else(|| format!("the plan has no command monitor \"{}\"", cx.job.subject))
}

pub async fn run(cx: &JobContext) -> JobResult {
    let m = monitor(cx)?;
    let command = m
        .target
        .as_deref()
        .ok_or_else(|| format!("monitor \"{}\" has no command", m.id))?;
    let timeout = m
        .timeout
        .map_or(DEFAULT_TIMEOUT, |t| Duration::from_millis(t.as_millis()));
    let expect_exit = m
        .expect
        .as_ref()
        .and_then(|e| e.exit_code)
        .map_or(0, i32::from);
    let expect_text = m.expect.as_ref().and_then(|e| e.body_contains.clone());

    let started_ms = now_ms();
    let mut cancel = cx.cancel.clone();
    let done = shell::run(
        Shell {
            command,
            timeout,
            dir: None,
            env: Vec::new(),
            keep: OUTPUT_LIMIT,
        },
        &mut cancel,
    )
    .await
    .map_err(|e| format!("monitor \"{}\": {e}", m.id))?;
    let duration_ms = done.duration_ms;
    let out = &done.stdout.kept;
    let exit_code = done.exit_code;
    let text_ok = expect_text
        .as_deref()
        .is_none_or(|t| String::from_utf8_lossy(out).contains(t));
    let (outcome, message) = match exit_code {
        None if done.timed_out => (
            Outcome::Failure,
            format!("timed out after {} ms", timeout.as_millis()),
        ),
        None => (Outcome::Failure, "killed by a signal".to_owned()),
        Some(code) if code != expect_exit => (
            Outcome::Failure,
            format!("exit {code} (expected {expect_exit}) in {duration_ms} ms"),
        ),
        Some(code) if !text_ok => (
            Outcome::Failure,
            format!(
                "exit {code} in {duration_ms} ms, but the output lacks {:?}",
                expect_text.unwrap_or_default()
            ),
        ),
        Some(code) => (Outcome::Success, format!("exit {code} in {duration_ms} ms")),
    };
    cx.tenant
        .append(NewEvidence {
            kind: EvidenceKind::Probe,
            subject: m.id.to_string(),
            started_ms,
            finished_ms: now_ms(),
            outcome,
            measurements: json!({
                "exit_code": exit_code,
                "duration_ms": duration_ms,
                "timed_out": done.timed_out,
                "stdout_bytes": done.stdout.bytes,
                "stderr_bytes": done.stderr.bytes,
                "stdout_sha256": done.stdout.sha256,
            }),
            message,
            job_run: Some(cx.job.run_id),
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(1)
}
