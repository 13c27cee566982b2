//! Counters of this process, exposed by `/metrics` in Prometheus' text format.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Metrics {
    /// Job runs finished, successful or not.
    pub jobs_run: AtomicU64,
    /// Job runs that failed (to be retried).
    pub jobs_failed: AtomicU64,
    /// Job runs going on now in this process.
    pub jobs_running: AtomicI64,
    /// Evidence records written by this process's jobs and supervisor.
    pub evidence_written: AtomicU64,
    /// Monitor checks finished by the supervisor.
    pub checks_run: AtomicU64,
    /// Monitor turns skipped: the previous check was still running.
    pub checks_late: AtomicU64,
    /// Monitors under supervision.
    pub monitors: AtomicI64,
}

impl Metrics {
    /// The Prometheus text exposition, with the queue depth read from the store.
    pub fn render(&self, queue_depth: Option<i64>) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: String| {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            let _ = writeln!(out, "{name} {value}");
        };
        metric(
            "rempart_jobs_run_total",
            "counter",
            "Job runs finished by this process.",
            self.jobs_run.load(Ordering::Relaxed).to_string(),
        );
        metric(
            "rempart_jobs_failed_total",
            "counter",
            "Job runs that failed and will be retried.",
            self.jobs_failed.load(Ordering::Relaxed).to_string(),
        );
        metric(
            "rempart_jobs_running",
            "gauge",
            "Job runs in progress in this process.",
            self.jobs_running.load(Ordering::Relaxed).to_string(),
        );
        metric(
            "rempart_evidence_written_total",
            "counter",
            "Evidence records written by this process's jobs and supervisor.",
            self.evidence_written.load(Ordering::Relaxed).to_string(),
        );
        metric(
            "rempart_checks_total",
            "counter",
            "Monitor checks finished by this process.",
            self.checks_run.load(Ordering::Relaxed).to_string(),
        );
        metric(
            "rempart_checks_late_total",
            "counter",
            "Monitor turns skipped because the previous check was still running.",
            self.checks_late.load(Ordering::Relaxed).to_string(),
        );
        metric(
            "rempart_monitors",
            "gauge",
            "Monitors under supervision by this process.",
            self.monitors.load(Ordering::Relaxed).to_string(),
        );
        if let Some(depth) = queue_depth {
            metric(
                "rempart_queue_depth",
                "gauge",
                "Jobs due and not running, all tenants.",
                depth.to_string(),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        m.jobs_run.fetch_add(3, Ordering::Relaxed);
        let text = m.render(Some(7));
        assert!(text.contains("# TYPE rempart_jobs_run_total counter\nrempart_jobs_run_total 3\n"));
        assert!(text.contains("rempart_queue_depth 7\n"));
        assert!(!m.render(None).contains("queue_depth"));
    }
}
