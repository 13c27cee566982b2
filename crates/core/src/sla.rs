//! SLA arithmetic, pure: uptime over a period from check buckets, with
//! checks made in maintenance windows left out, and the outages that fell
//! in it.

use serde::{Deserialize, Serialize};

/// Checks of one monitor over one bucket (a minute, an hour or a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    pub start_ms: i64,
    pub length_ms: i64,
    pub checks: i64,
    /// Checks that passed, out of maintenance.
    pub up: i64,
    /// Checks made in a maintenance window: not counted for the SLA.
    pub maintenance: i64,
    pub latency_sum_ms: i64,
}

/// A confirmed outage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Downtime {
    pub monitor: String,
    /// `down` or `unreachable`.
    pub state: String,
    pub start_ms: i64,
    /// `None` while it lasts.
    pub end_ms: Option<i64>,
    pub cause: String,
}

/// Uptime over one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uptime {
    pub from_ms: i64,
    pub to_ms: i64,
    /// Checks counted (maintenance excluded).
    pub checks: i64,
    pub up: i64,
    pub maintenance: i64,
    /// Percent of counted checks that passed; `None` without any.
    pub percent: Option<f64>,
}

/// Uptime over `[from, to)` from `buckets` (each counted in the period it starts in).
pub fn uptime(buckets: &[Bucket], from_ms: i64, to_ms: i64) -> Uptime {
    let inside = buckets
        .iter()
        .filter(|b| b.start_ms >= from_ms && b.start_ms < to_ms);
    let (mut checks, mut up, mut maintenance) = (0, 0, 0);
    for b in inside {
        checks += b.checks - b.maintenance;
        up += b.up;
        maintenance += b.maintenance;
    }
    Uptime {
        from_ms,
        to_ms,
        checks,
        up,
        maintenance,
        percent: (checks > 0).then(|| up as f64 * 100.0 / checks as f64),
    }
}

/// An outage clipped to `[from, to)` (an open one runs to `now`), with its
/// duration in ms.
pub fn clipped(d: &Downtime, from_ms: i64, to_ms: i64, now_ms: i64) -> (i64, i64, i64) {
    let start = d.start_ms.max(from_ms);
    let end = d.end_ms.unwrap_or(now_ms).min(to_ms);
    (start, end, (end - start).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(start_ms: i64, checks: i64, up: i64, maintenance: i64) -> Bucket {
        Bucket {
            start_ms,
            length_ms: 60_000,
            checks,
            up,
            maintenance,
            latency_sum_ms: 0,
        }
    }

    #[test]
    fn maintenance_checks_count_neither_for_nor_against() {
        let buckets = [
            b(0, 10, 10, 0),
            b(60_000, 10, 2, 8),
            b(120_000, 10, 9, 0),
            b(999_999, 5, 0, 0),
        ];
        let u = uptime(&buckets, 0, 180_000);
        assert_eq!((u.checks, u.up, u.maintenance), (22, 21, 8));
        assert_eq!(u.percent.map(|p| (p * 100.0).round() / 100.0), Some(95.45));
        assert_eq!(
            uptime(&buckets, 200_000, 300_000).percent,
            None,
            "no check, no figure"
        );
    }

    #[test]
    fn outages_are_clipped_to_the_period() {
        let d = Downtime {
            monitor: "web".into(),
            state: "down".into(),
            start_ms: 50,
            end_ms: None,
            cause: String::new(),
        };
        assert_eq!(clipped(&d, 100, 1_000, 400), (100, 400, 300));
        let closed = Downtime {
            end_ms: Some(2_000),
            ..d
        };
        assert_eq!(clipped(&closed, 100, 1_000, 5_000), (100, 1_000, 900));
    }
}
