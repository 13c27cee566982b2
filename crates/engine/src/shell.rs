//! Runs a shell command the way probes and drill steps need it: in its own
//! process group (a timeout or a cancel kills the shell and whatever it
//! started), output read to its end with the first bytes kept and the
//! whole digested.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::process::Command;
use tokio::sync::watch;

/// How long output is still read once the shell has exited.
const OUTPUT_GRACE: Duration = Duration::from_secs(1);

/// What one output stream held.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// The first bytes, up to the caller's limit.
    pub kept: Vec<u8>,
    /// Every byte written.
    pub bytes: u64,
    /// SHA-256 of every byte written, in hex.
    pub sha256: String,
}

impl Output {
    /// The kept bytes as text (lossy), with a mark when cut.
    pub fn text(&self) -> String {
        let mut t = String::from_utf8_lossy(&self.kept).into_owned();
        if self.bytes > self.kept.len() as u64 {
            t.push_str(&format!("… [{} bytes in all]", self.bytes));
        }
        t
    }

    pub fn to_json(&self) -> serde_json::Value {
        json!({ "text": self.text(), "bytes": self.bytes, "sha256": self.sha256 })
    }
}

/// How a command ended.
#[derive(Debug, Clone)]
pub struct Finished {
    /// `None` when killed (timeout, cancel or a signal).
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub duration_ms: i64,
    pub stdout: Output,
    pub stderr: Output,
}

/// A command to run with `sh -c`.
pub struct Shell<'a> {
    pub command: &'a str,
    pub timeout: Duration,
    /// Working directory (the caller's otherwise).
    pub dir: Option<&'a Path>,
    pub env: Vec<(&'static str, String)>,
    /// Bytes of each stream kept.
    pub keep: usize,
}

/// Reads a stream to its end, keeping the first `keep` bytes and hashing all.
async fn collect(mut stream: impl tokio::io::AsyncRead + Unpin, keep: usize) -> Output {
    let mut out = Output::default();
    let mut hash = Sha256::new();
    let mut buf = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        out.bytes += n as u64;
        hash.update(&buf[..n]);
        let room = keep.saturating_sub(out.kept.len());
        out.kept.extend_from_slice(&buf[..n.min(room)]);
    }
    out.sha256 = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    out
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

/// Why a command could not be run to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellError {
    /// `sh` could not start.
    Start(String),
    /// The run was cancelled (shutdown); the command was killed.
    Cancelled,
}

impl std::fmt::Display for ShellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShellError::Start(why) => write!(f, "cannot start `sh -c`: {why}"),
            ShellError::Cancelled => f.write_str("cancelled before the command finished"),
        }
    }
}

/// Runs `spec` to its end, its timeout or `cancel`, whichever comes first.
pub async fn run(
    spec: Shell<'_>,
    cancel: &mut watch::Receiver<bool>,
) -> Result<Finished, ShellError> {
    let clock = Instant::now();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(spec.command)
        // The key that opens every tenant's secrets is the server's alone.
        .env_remove(rempart_store::MASTER_KEY_ENV)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    if let Some(dir) = spec.dir {
        command.current_dir(dir);
    }
    for (k, v) in &spec.env {
        command.env(k, v);
    }
    let mut child = command
        .spawn()
        .map_err(|e| ShellError::Start(e.to_string()))?;
    let pid = child.id();
    let stdout = child
        .stdout
        .take()
        .map(|s| tokio::spawn(collect(s, spec.keep)));
    let stderr = child
        .stderr
        .take()
        .map(|s| tokio::spawn(collect(s, spec.keep)));
    let status = tokio::select! {
        status = child.wait() => status.ok(),
        () = tokio::time::sleep(spec.timeout) => None,
        () = crate::runner::cancelled(cancel) => {
            kill_group(pid);
            let _ = child.wait().await;
            return Err(ShellError::Cancelled);
        }
    };
    let timed_out = status.is_none();
    if timed_out {
        kill_group(pid);
        let _ = child.wait().await;
    }
    let duration_ms = i64::try_from(clock.elapsed().as_millis()).unwrap_or(i64::MAX);
    // A process the command left running in the background (a service a
    // step restarts) may keep the pipes open: its output is not waited for.
    let read = |t: Option<tokio::task::JoinHandle<Output>>| async move {
        let Some(t) = t else {
            return Output::default();
        };
        let abort = t.abort_handle();
        match tokio::time::timeout(OUTPUT_GRACE, t).await {
            Ok(done) => done.unwrap_or_default(),
            Err(_) => {
                abort.abort();
                Output::default()
            }
        }
    };
    let stdout = read(stdout).await;
    let stderr = read(stderr).await;
    Ok(Finished {
        exit_code: status.and_then(|s| s.code()),
        timed_out,
        duration_ms,
        stdout,
        stderr,
    })
}
