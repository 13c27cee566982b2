//! `command`: a local command in its own process group, killed whole at
//! the timeout; up when it exits with the expected code and, when given,
//! its output contains the expected text.

use serde_json::json;

use super::{Check, CheckFuture, Probe, ProbeCx};
use crate::shell::{self, Shell};

/// Output kept for matching; the rest is read and counted, not kept.
const OUTPUT_LIMIT: usize = 64 * 1024;

pub struct Command {
    pub command: String,
    pub expect_exit: u8,
    pub expect_text: Option<String>,
}

impl Probe for Command {
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a> {
        Box::pin(async move {
            let mut cancel = cx.cancel.clone();
            let spec = Shell {
                command: &self.command,
                timeout: cx.timeout,
                dir: None,
                env: Vec::new(),
                keep: OUTPUT_LIMIT,
            };
            let done = match shell::run(spec, &mut cancel).await {
                Ok(d) => d,
                Err(e) => return Check::down(0, e.to_string(), json!({})),
            };
            let ms = done.duration_ms;
            let m = json!({
                "exit_code": done.exit_code,
                "duration_ms": ms,
                "timed_out": done.timed_out,
                "stdout_bytes": done.stdout.bytes,
                "stderr_bytes": done.stderr.bytes,
                "stdout_sha256": done.stdout.sha256,
            });
            let want = i32::from(self.expect_exit);
            let text_ok = self
                .expect_text
                .as_deref()
                .is_none_or(|t| String::from_utf8_lossy(&done.stdout.kept).contains(t));
            match done.exit_code {
                None if done.timed_out => Check::down(
                    ms,
                    format!("timed out after {} ms", cx.timeout.as_millis()),
                    m,
                ),
                None => Check::down(ms, "killed by a signal", m),
                Some(code) if code != want => Check::down_said(
                    ms,
                    rempart_i18n::say!(
                        "said-probe-exit-unexpected",
                        code = code,
                        want = want,
                        ms = ms
                    ),
                    m,
                ),
                Some(code) if !text_ok => Check::down(
                    ms,
                    format!(
                        "exit {code} in {ms} ms, but the output lacks {:?}",
                        self.expect_text.as_deref().unwrap_or_default()
                    ),
                    m,
                ),
                Some(code) => Check::up_said(
                    ms,
                    rempart_i18n::say!("said-probe-exit", code = code, ms = ms),
                    m,
                ),
            }
        })
    }
}
