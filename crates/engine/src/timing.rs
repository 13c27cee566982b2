//! When a job runs next: its schedule in the organisation's time zone, a
//! small steady jitter so that many jobs on one schedule do not start in
//! the same second, and an exponential backoff after a failure.

use rempart_core::plan::Schedule;
use sha2::{Digest, Sha256};

/// Longest jitter added to a run, in milliseconds.
pub const MAX_JITTER_MS: i64 = 30_000;
/// First retry delay after a failed run, in milliseconds.
pub const FIRST_RETRY_MS: i64 = 30_000;
/// Longest retry delay, in milliseconds.
pub const MAX_RETRY_MS: i64 = 3_600_000;
/// Failed attempts after which the job waits for its next scheduled slot.
pub const MAX_ATTEMPTS: i64 = 5;

/// A steady offset for one job, at most a tenth of its interval and
/// [`MAX_JITTER_MS`]: the same job always gets the same offset.
pub fn jitter_ms(key: &str, schedule: &Schedule) -> i64 {
    let cap = match schedule {
        Schedule::Every(d) => {
            (i64::try_from(d.as_millis()).unwrap_or(i64::MAX) / 10).min(MAX_JITTER_MS)
        }
        Schedule::Cron(_) => MAX_JITTER_MS,
    };
    if cap <= 0 {
        return 0;
    }
    let digest = Sha256::digest(key.as_bytes());
    let mut n = [0u8; 8];
    n.copy_from_slice(&digest[..8]);
    i64::try_from(u64::from_le_bytes(n) % u64::try_from(cap).unwrap_or(1)).unwrap_or(0)
}

/// The next run after `now_ms` for a job on `schedule`.
pub fn next_run(key: &str, schedule: &Schedule, now_ms: i64, tz: &str) -> Option<i64> {
    schedule
        .next_after(now_ms, tz)
        .map(|t| t + jitter_ms(key, schedule))
}

/// When to retry after failed attempt number `attempt` (from 1): 30 s,
/// 1 min, 2 min… at most an hour, never after the next scheduled run.
/// `None` once [`MAX_ATTEMPTS`] have failed: wait for the schedule.
pub fn retry_at(attempt: i64, now_ms: i64, next_scheduled: Option<i64>) -> Option<i64> {
    if attempt >= MAX_ATTEMPTS {
        return next_scheduled;
    }
    let exponent = u32::try_from(attempt.clamp(1, 20) - 1).unwrap_or(0);
    let delay = FIRST_RETRY_MS
        .saturating_mul(1i64 << exponent)
        .min(MAX_RETRY_MS);
    let retry = now_ms + delay;
    Some(next_scheduled.map_or(retry, |n| retry.min(n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every(text: &str) -> Schedule {
        Schedule::parse(text).unwrap()
    }

    #[test]
    fn jitter_is_steady_and_bounded() {
        let s = every("every 1h");
        let a = jitter_ms("acme/backup/erp", &s);
        assert_eq!(a, jitter_ms("acme/backup/erp", &s));
        assert!((0..MAX_JITTER_MS).contains(&a));
        // Short intervals get at most a tenth of their length.
        let short = every("every 10s");
        for key in ["a", "b", "c", "d", "e"] {
            assert!(jitter_ms(key, &short) < 1_000);
        }
        let spread: std::collections::HashSet<i64> =
            (0..50).map(|i| jitter_ms(&format!("job{i}"), &s)).collect();
        assert!(spread.len() > 40, "jitter spreads jobs out");
    }

    #[test]
    fn next_run_follows_the_schedule_plus_jitter() {
        let s = every("every 15m");
        let next = next_run("k", &s, 1_000_000, "UTC").unwrap();
        assert_eq!(next, 1_000_000 + 900_000 + jitter_ms("k", &s));
    }

    #[test]
    fn retries_back_off_then_wait_for_the_schedule() {
        let now = 0;
        let far = Some(10 * 3_600_000);
        assert_eq!(retry_at(1, now, far), Some(30_000));
        assert_eq!(retry_at(2, now, far), Some(60_000));
        assert_eq!(retry_at(4, now, far), Some(240_000));
        assert_eq!(retry_at(5, now, far), far);
        // Never later than the next scheduled run.
        assert_eq!(retry_at(3, now, Some(50_000)), Some(50_000));
        // On-demand jobs retry on the same curve.
        assert_eq!(retry_at(1, now, None), Some(30_000));
        assert_eq!(retry_at(5, now, None), None);
    }
}
