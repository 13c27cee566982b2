//! SLA arithmetic, pure: uptime over a period from check buckets, with
//! checks made in maintenance windows left out, the outages that fell in
//! it, and the calendar a monthly report counts in (a month and its days
//! in the organisation's time zone).

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

/// The month `month` (`YYYY-MM`; default the month of `now_ms`) in zone
/// `tz`: its name as `YYYY-MM`, its first instant and the next month's, in
/// ms. `Err` says what is wrong, naming the value.
pub fn month_bounds(
    month: Option<&str>,
    tz: &str,
    now_ms: i64,
) -> Result<(String, i64, i64), String> {
    use chrono::{Datelike, TimeZone};
    let zone: chrono_tz::Tz = tz
        .parse()
        .map_err(|_| format!("unknown time zone \"{tz}\""))?;
    let (y, m) = match month {
        Some(text) => {
            let bad = || format!("\"{text}\" is not a month such as 2026-11");
            let (y, m) = text.split_once('-').ok_or_else(bad)?;
            let y: i32 = y.parse().map_err(|_| bad())?;
            let m: u32 = m.parse().map_err(|_| bad())?;
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            (y, m)
        }
        None => {
            let today = chrono::DateTime::from_timestamp_millis(now_ms)
                .unwrap_or_default()
                .with_timezone(&zone);
            (today.year(), today.month())
        }
    };
    let first = |y: i32, m: u32| {
        zone.with_ymd_and_hms(y, m, 1, 0, 0, 0)
            .earliest()
            .map(|t| t.timestamp_millis())
            .ok_or_else(|| format!("{y}-{m:02} cannot be placed in {tz}"))
    };
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Ok((format!("{y}-{m:02}"), first(y, m)?, first(ny, nm)?))
}

/// The month before the one `now_ms` falls in, in zone `tz`, as `YYYY-MM`
/// (what a report made at the start of a month is about); `None` for an
/// unknown zone or a time out of the calendar's range.
pub fn month_before(now_ms: i64, tz: &str) -> Option<String> {
    use chrono::Datelike;
    let zone: chrono_tz::Tz = tz.parse().ok()?;
    let today = chrono::DateTime::from_timestamp_millis(now_ms)?.with_timezone(&zone);
    let (y, m) = match today.month() {
        1 => (today.year() - 1, 12),
        m => (today.year(), m - 1),
    };
    Some(format!("{y}-{m:02}"))
}

/// The days of `[from, to)` in zone `tz`: (YYYY-MM-DD, first instant,
/// next day's), the first and last clipped to the period.
pub fn day_bounds(from_ms: i64, to_ms: i64, tz: &str) -> Vec<(String, i64, i64)> {
    use chrono::TimeZone;
    let Ok(zone) = tz.parse::<chrono_tz::Tz>() else {
        return Vec::new();
    };
    let Some(mut day) = chrono::DateTime::from_timestamp_millis(from_ms)
        .map(|t| t.with_timezone(&zone).date_naive())
    else {
        return Vec::new();
    };
    let start_of = |d: chrono::NaiveDate| {
        zone.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.timestamp_millis())
    };
    let mut days = Vec::new();
    while let (Some(start), Some(next)) = (start_of(day), day.succ_opt()) {
        if start >= to_ms {
            break;
        }
        let end = start_of(next).unwrap_or(to_ms).min(to_ms);
        days.push((day.format("%Y-%m-%d").to_string(), start.max(from_ms), end));
        day = next;
    }
    days
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

    #[test]
    fn a_month_is_bounded_in_the_organisations_zone() {
        // 2026-11-01T00:00+01:00 and 2026-12-01T00:00+01:00.
        let (name, from, to) = month_bounds(Some("2026-11"), "Europe/Paris", 0).unwrap();
        assert_eq!(
            (name.as_str(), from, to),
            ("2026-11", 1_793_487_600_000, 1_796_079_600_000)
        );
        // December runs into the next year; the default is the month of `now`.
        let (name, _, to) = month_bounds(None, "UTC", 1_765_000_000_000).unwrap();
        assert_eq!((name.as_str(), to), ("2025-12", 1_767_225_600_000));
        for bad in ["2026-13", "2026-0", "november", "2026/11", "2026-"] {
            assert_eq!(
                month_bounds(Some(bad), "UTC", 0).unwrap_err(),
                format!("\"{bad}\" is not a month such as 2026-11")
            );
        }
        assert!(
            month_bounds(None, "Mars/Olympus", 0)
                .unwrap_err()
                .contains("Mars/Olympus")
        );
    }

    #[test]
    fn the_month_before_is_read_in_the_zone() {
        // 2026-12-01T00:30+01:00 is still 30 November in UTC.
        let just_after = 1_796_081_400_000;
        assert_eq!(
            month_before(just_after, "Europe/Paris").as_deref(),
            Some("2026-11")
        );
        assert_eq!(month_before(just_after, "UTC").as_deref(), Some("2026-10"));
        assert_eq!(
            month_before(1_767_225_600_000, "UTC").as_deref(),
            Some("2025-12")
        );
        assert_eq!(month_before(0, "Nowhere"), None);
    }

    #[test]
    fn days_cover_the_month_and_follow_summer_time() {
        let (_, from, to) = month_bounds(Some("2026-03"), "Europe/Paris", 0).unwrap();
        let days = day_bounds(from, to, "Europe/Paris");
        assert_eq!(days.len(), 31);
        assert_eq!(days[0].0, "2026-03-01");
        assert_eq!((days[0].1, days[30].2), (from, to));
        // 29 March 2026 has 23 hours in Paris.
        let short = days.iter().find(|d| d.0 == "2026-03-29").unwrap();
        assert_eq!(short.2 - short.1, 23 * 3_600_000);
        assert!(
            days.windows(2).all(|w| w[0].2 == w[1].1),
            "no gap, no overlap"
        );
        // A period ending mid-day clips its last day.
        let clipped = day_bounds(from, from + 36 * 3_600_000, "Europe/Paris");
        assert_eq!(clipped.len(), 2);
        assert_eq!(clipped[1].2 - clipped[1].1, 12 * 3_600_000);
    }

    #[test]
    fn a_month_is_cut_into_its_local_days_summer_time_included() {
        let (month, from, to) = month_bounds(Some("2026-10"), "Europe/Paris", 0).unwrap();
        assert_eq!(month, "2026-10");
        let days = day_bounds(from, to, "Europe/Paris");
        assert_eq!(days.len(), 31);
        assert_eq!((days[0].0.as_str(), days[0].1), ("2026-10-01", from));
        assert_eq!(days[30].2, to);
        for pair in days.windows(2) {
            assert_eq!(pair[0].2, pair[1].1, "days follow one another");
        }
        let hours = |d: &(String, i64, i64)| (d.2 - d.1) / 3_600_000;
        // Summer time ends on the 25th: that day has 25 hours.
        assert_eq!(hours(&days[24]), 25, "{}", days[24].0);
        assert_eq!(hours(&days[23]), 24);
    }
}
