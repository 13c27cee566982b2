//! `probe` of a `command` monitor: runs the monitor's command in its own
//! process group, with a timeout, and records what it found: exit code,
//! duration, a digest of the output, and whether the expectation held.

use std::process::Stdio;
use std::time::{Duration, Instant};

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_core::plan::{Monitor, MonitorKind};
use rempart_store::now_ms;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::process::Command;

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

/// Reads a stream to its end, keeping at most [`OUTPUT_LIMIT`] bytes.
async fn collect(mut stream: impl tokio::io::AsyncRead + Unpin) -> (Vec<u8>, u64) {
    let mut kept = Vec::new();
    let mut total = 0u64;
    let mut buf = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        total += n as u64;
        let room = OUTPUT_LIMIT.saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
    (kept, total)
}

/// Kills the whole process group: the shell and whatever it started.
fn kill_group(pid: Option<u32>) {
    if let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()) {
        // SAFETY: killpg only sends a signal; the group id is our child's pid.
        unsafe {
            libc::killpg(pid, libc::SIGKILL);
        }
    }
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
    let clock = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start `sh -c` for monitor \"{}\": {e}", m.id))?;
    let pid = child.id();
    let stdout = child.stdout.take().map(|s| tokio::spawn(collect(s)));
    let stderr = child.stderr.take().map(|s| tokio::spawn(collect(s)));

    let mut cancel = cx.cancel.clone();
    let status = tokio::select! {
        status = child.wait() => Some(status.map_err(|e| format!("waiting for the command: {e}"))?),
        () = tokio::time::sleep(timeout) => None,
        () = crate::runner::cancelled(&mut cancel) => {
            kill_group(pid);
            let _ = child.wait().await;
            return Err("cancelled before the probe finished".into());
        }
    };
    if status.is_none() {
        kill_group(pid);
        let _ = child.wait().await;
    }
    let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (out, out_bytes) = match stdout {
        Some(t) => t.await.unwrap_or_default(),
        None => (Vec::new(), 0),
    };
    let (_, err_bytes) = match stderr {
        Some(t) => t.await.unwrap_or_default(),
        None => (Vec::new(), 0),
    };
    let digest: String = Sha256::digest(&out)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let exit_code = status.and_then(|s| s.code());
    let text_ok = expect_text
        .as_deref()
        .is_none_or(|t| String::from_utf8_lossy(&out).contains(t));
    let (outcome, message) = match exit_code {
        None if status.is_none() => (
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
                "timed_out": status.is_none(),
                "stdout_bytes": out_bytes,
                "stderr_bytes": err_bytes,
                "stdout_sha256": digest,
            }),
            message,
            job_run: Some(cx.job.run_id),
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(1)
}
