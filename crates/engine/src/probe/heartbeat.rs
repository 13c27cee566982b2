//! `heartbeat`: the job pings Rempart (`/ping/{token}`, Healthchecks-style)
//! on its own `period`; down when a ping is late past `grace`, when the
//! last signal was a failure (`/fail`, a non-zero exit code), or when a
//! run that said `/start` has not finished within `grace`.

use rempart_core::assessment::human;
use rempart_core::plan::Schedule;
use rempart_i18n::say;
use rempart_store::{Heartbeat as Heard, now_ms};
use serde_json::json;

use super::{Check, CheckFuture, Probe, ProbeCx};

/// Grace when the monitor gives none.
pub const DEFAULT_GRACE_MS: i64 = 5 * 60_000;

pub struct Heartbeat {
    pub monitor: String,
    pub period: Schedule,
    pub grace_ms: i64,
}

fn at(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(
        || ms.to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%SZ").to_string(),
    )
}

/// Characters of a failed job's output shown in its alert (its end: where
/// the error usually is). The whole kept body is in `heartbeat --json`.
const OUTPUT_SHOWN: usize = 1_000;

/// The last `n` characters of `text` (all of it when shorter), marked when cut.
fn tail(text: &str, n: usize) -> String {
    let text = text.trim_end();
    let count = text.chars().count();
    if count <= n {
        return text.to_owned();
    }
    let start = text.char_indices().nth(count - n).map_or(0, |(i, _)| i);
    format!("…{}", &text[start..])
}

/// Up or down, and why (a sentence kept to be said in the reader's
/// language, `rempart_i18n::say!`), from what was heard, at `now_ms`.
pub fn judge(
    period: &Schedule,
    grace_ms: i64,
    tz: &str,
    h: &Heard,
    now_ms: i64,
) -> (bool, serde_json::Value) {
    let last_ok = h.last_ping_ms;
    if let Some(fail) = h.last_fail_ms
        && last_ok.is_none_or(|ok| fail > ok)
    {
        let exit = h.last_exit.unwrap_or(1);
        let said = match h.last_fail_body.as_deref() {
            Some(body) => say!(
                "said-heartbeat-failed-output",
                exit = exit,
                at = at(fail),
                output = format!("\n{}", tail(body, OUTPUT_SHOWN))
            ),
            None => say!("said-heartbeat-failed", exit = exit, at = at(fail)),
        };
        return (false, said);
    }
    if let Some(start) = h.last_start_ms
        && last_ok.is_none_or(|ok| start > ok)
        && now_ms - start > grace_ms
    {
        return (
            false,
            say!(
                "said-heartbeat-hung",
                at = at(start),
                grace = human(grace_ms)
            ),
        );
    }
    let since = last_ok.unwrap_or(h.created_ms);
    match period.next_after(since, tz) {
        Some(expected) if now_ms > expected + grace_ms => (
            false,
            match last_ok {
                Some(ok) => say!(
                    "said-heartbeat-late",
                    last = at(ok),
                    expected = at(expected),
                    grace = human(grace_ms)
                ),
                None => say!(
                    "said-heartbeat-never",
                    expected = at(expected),
                    grace = human(grace_ms)
                ),
            },
        ),
        _ => (
            true,
            match last_ok {
                Some(ok) => say!("said-heartbeat-last", at = at(ok)),
                None => say!("said-heartbeat-waiting"),
            },
        ),
    }
}

impl Probe for Heartbeat {
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a> {
        Box::pin(async move {
            let now = now_ms();
            // Read first: the token is made once, the write is rare.
            let heard = match cx.tenant.heartbeat(&self.monitor).await {
                Ok(Some(h)) => Ok(h),
                Ok(None) => cx.tenant.ensure_heartbeat(&self.monitor, now).await,
                Err(e) => Err(e),
            };
            let h = match heard {
                Ok(h) => h,
                Err(e) => {
                    return Check::down(0, format!("cannot read the heartbeat: {e}"), json!({}));
                }
            };
            let (up, said) = judge(
                &self.period,
                self.grace_ms,
                &cx.plan.organization.timezone,
                &h,
                now,
            );
            let m = json!({
                "last_ping_ms": h.last_ping_ms,
                "last_start_ms": h.last_start_ms,
                "last_fail_ms": h.last_fail_ms,
                "last_exit": h.last_exit,
                "pings": h.pings,
                "last_body_ms": h.last_body_ms,
                "last_body_kind": h.last_body_kind,
            });
            if up {
                Check::up_said(0, said, m)
            } else {
                Check::down_said(0, said, m)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heard() -> Heard {
        Heard {
            monitor: "nightly".into(),
            token: "t".into(),
            created_ms: 0,
            last_ping_ms: None,
            last_start_ms: None,
            last_fail_ms: None,
            last_exit: None,
            pings: 0,
            last_body: None,
            last_body_ms: None,
            last_body_kind: None,
            last_fail_body: None,
        }
    }

    const H: i64 = 3_600_000;

    #[test]
    fn late_failed_and_hung_jobs_are_down() {
        let every = Schedule::parse("every 1h").unwrap();
        let grace = 10 * 60_000;
        let mut h = heard();
        assert!(
            judge(&every, grace, "UTC", &h, H + grace).0,
            "within the grace of the first hour"
        );
        let said = |r: (bool, serde_json::Value)| (r.0, rempart_i18n::english(&r.1));
        let (up, why) = said(judge(&every, grace, "UTC", &h, H + grace + 1));
        assert!(!up && why.starts_with("never pinged"), "{why}");
        h.last_ping_ms = Some(2 * H);
        assert!(judge(&every, grace, "UTC", &h, 3 * H).0);
        let (up, why) = said(judge(&every, grace, "UTC", &h, 3 * H + grace + 1));
        assert!(!up && why.contains("no ping since"), "{why}");
        // A failure after the last success, then a success clears it.
        h.last_fail_ms = Some(2 * H + 5);
        h.last_exit = Some(3);
        let (up, why) = said(judge(&every, grace, "UTC", &h, 2 * H + 10));
        assert!(!up && why.contains("exit 3"), "{why}");
        // With what the job said: the end of its output.
        h.last_fail_body = Some(format!("{}\nERROR: disk full\n", "x".repeat(5_000)));
        let (_, why) = said(judge(&every, grace, "UTC", &h, 2 * H + 10));
        assert!(
            why.ends_with("ERROR: disk full") && why.contains("its output ends with:\n…"),
            "{why}"
        );
        assert!(why.chars().count() < 1_200, "{why}");
        h.last_ping_ms = Some(2 * H + 20);
        assert!(judge(&every, grace, "UTC", &h, 2 * H + 30).0);
        // Started, never finished.
        h.last_start_ms = Some(2 * H + 40);
        assert!(judge(&every, grace, "UTC", &h, 2 * H + 40 + grace).0);
        let (up, why) = said(judge(&every, grace, "UTC", &h, 2 * H + 41 + grace));
        assert!(!up && why.contains("has not finished within 10m"), "{why}");
    }

    #[test]
    fn cron_periods_expect_the_next_run_after_the_last_ping() {
        // Every day at 02:00 UTC; last ping yesterday 02:05.
        let nightly = Schedule::parse("0 2 * * *").unwrap();
        let day = 24 * H;
        let mut h = heard();
        h.last_ping_ms = Some(10 * day + 2 * H + 5 * 60_000);
        assert!(
            judge(&nightly, H, "UTC", &h, 11 * day + 2 * H + 59 * 60_000).0,
            "tonight's run is in its grace"
        );
        assert!(
            !judge(&nightly, H, "UTC", &h, 11 * day + 3 * H + 1).0,
            "tonight's run is late"
        );
    }
}
