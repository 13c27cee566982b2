//! The charts people see, as SVG text drawn here, once: the portal puts
//! them in its pages and the PRA/PCA and SLA documents embed the very same
//! pictures. Every colour is an attribute (no `style`, no CSS class), so a
//! chart looks the same inline in a page under a strict
//! Content-Security-Policy, as an `<img>`, or inside a PDF. Words on a
//! chart (dates, durations, tooltips) come from the caller, already in the
//! reader's language.
//!
//! Three pictures, each a handful of rectangles and lines: a charting
//! library would bring font measurement and layout for what these few
//! shapes do not need.

use std::fmt::Write;

/// Colours, the portal's own.
pub const GOOD: &str = "#1e7b4f";
pub const WARN: &str = "#d89b00";
pub const BAD: &str = "#b42318";
pub const NONE: &str = "#c9d2dc";
pub const INK: &str = "#5b6776";

/// Text for SVG or HTML (attributes and content).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Consecutive days of a monitor's uptime bar that read the same (say,
/// a month at 100 %): as many bars, one tooltip for them all. A page of
/// many monitors stays light (a bar is a few bytes; a tooltip each would
/// be most of the page) while every day still says what it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Days {
    /// How many days, at least one.
    pub count: usize,
    /// Percent of the days' counted checks that passed; `None`: no check.
    pub percent: Option<f64>,
    /// What the bars say when pointed at (`1–30 Nov: 100 %`).
    pub title: String,
}

/// The colour of a day: green at or above the target (or at 100 % without
/// one), amber within a point below it, red under that, grey without checks.
pub fn day_colour(percent: Option<f64>, target: Option<f64>) -> &'static str {
    let Some(p) = percent else { return NONE };
    let goal = target.unwrap_or(100.0);
    if p >= goal {
        GOOD
    } else if p >= goal - 1.0 {
        WARN
    } else {
        BAD
    }
}

/// Uptime bars, one per day, oldest on the left (as public status pages
/// draw them), each run of days one shape; `label` names the whole
/// picture for screen readers.
pub fn uptime_bars(runs: &[Days], target: Option<f64>, label: &str) -> String {
    const BAR: usize = 6;
    const GAP: usize = 2;
    let days: usize = runs.iter().map(|r| r.count.max(1)).sum();
    let width = (days.max(1) * (BAR + GAP)).saturating_sub(GAP);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart uptime-bars" viewBox="0 0 {width} 30" preserveAspectRatio="none" role="img" aria-label="{}">"#,
        escape(label)
    );
    let mut day = 0;
    for run in runs {
        svg.push_str("<path d=\"");
        for _ in 0..run.count.max(1) {
            let _ = write!(svg, "M{} 0h{BAR}v30h-{BAR}z", day * (BAR + GAP));
            day += 1;
        }
        let _ = write!(
            svg,
            r#"" fill="{}"><title>{}</title></path>"#,
            day_colour(run.percent, target),
            escape(&run.title)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One measured point of a trend (a drill's achieved RTO).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub value_ms: i64,
    pub passed: bool,
    pub title: String,
}

/// A measured figure over successive runs (oldest first) against its
/// target: the target as a dashed line, each run a dot (green within the
/// target and passed, red otherwise) joined by a line. `axis` labels the
/// target line and the two ends (`4 h`, first date, last date).
pub fn trend(
    points: &[Point],
    target_ms: i64,
    target_label: &str,
    first_label: &str,
    last_label: &str,
    label: &str,
) -> String {
    const W: f64 = 320.0;
    const H: f64 = 120.0;
    const LEFT: f64 = 8.0;
    const RIGHT: f64 = 312.0;
    const TOP: f64 = 10.0;
    const BOTTOM: f64 = 96.0;
    let highest = points
        .iter()
        .map(|p| p.value_ms)
        .max()
        .unwrap_or(0)
        .max(target_ms)
        .max(1) as f64
        * 1.15;
    let y = |ms: i64| BOTTOM - (ms.max(0) as f64 / highest) * (BOTTOM - TOP);
    let x = |i: usize| match points.len() {
        0 | 1 => (LEFT + RIGHT) / 2.0,
        n => LEFT + (RIGHT - LEFT) * i as f64 / (n - 1) as f64,
    };
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" viewBox="0 0 {W} {H}" role="img" aria-label="{}">"#,
        escape(label)
    );
    let _ = write!(
        svg,
        r#"<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="{NONE}" stroke-width="1"/>"#
    );
    let ty = y(target_ms);
    let _ = write!(
        svg,
        r#"<line x1="{LEFT}" y1="{ty:.1}" x2="{RIGHT}" y2="{ty:.1}" stroke="{INK}" stroke-width="1" stroke-dasharray="4 3"/><text x="{RIGHT}" y="{:.1}" text-anchor="end" font-size="10" font-family="sans-serif" fill="{INK}">{}</text>"#,
        ty - 3.0,
        escape(target_label)
    );
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.value_ms)))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{INK}" stroke-width="1.5"/>"#,
            path.join(" ")
        );
    }
    for (i, p) in points.iter().enumerate() {
        let colour = if p.passed && p.value_ms <= target_ms {
            GOOD
        } else {
            BAD
        };
        let _ = write!(
            svg,
            r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{colour}"><title>{}</title></circle>"#,
            x(i),
            y(p.value_ms),
            escape(&p.title)
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{LEFT}" y="{}" font-size="10" font-family="sans-serif" fill="{INK}">{}</text><text x="{RIGHT}" y="{}" text-anchor="end" font-size="10" font-family="sans-serif" fill="{INK}">{}</text>"#,
        H - 6.0,
        escape(first_label),
        H - 6.0,
        escape(last_label)
    );
    svg.push_str("</svg>");
    svg
}

/// A month's uptime against its target, as one bar on a scale from
/// `floor` % to 100 % (uptimes live near the top); the target is a mark.
pub fn sla_bar(percent: Option<f64>, target: Option<f64>, label: &str) -> String {
    let floor = target.map_or(95.0, |t| (t - 2.0).clamp(0.0, 98.0));
    let at = |p: f64| ((p - floor) / (100.0 - floor)).clamp(0.0, 1.0) * 100.0;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart sla-bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label="{}"><rect width="100" height="8" rx="4" fill="#eef1f5"/>"##,
        escape(label)
    );
    if let Some(p) = percent {
        let _ = write!(
            svg,
            r#"<rect width="{:.2}" height="8" rx="4" fill="{}"/>"#,
            at(p),
            day_colour(Some(p), target)
        );
    }
    if let Some(t) = target {
        let _ = write!(
            svg,
            r#"<rect x="{:.2}" width="1" height="8" fill="{INK}"/>"#,
            (at(t) - 0.5).max(0.0)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_coloured_against_the_target() {
        assert_eq!(day_colour(None, Some(99.9)), NONE);
        assert_eq!(day_colour(Some(99.95), Some(99.9)), GOOD);
        assert_eq!(day_colour(Some(99.0), Some(99.9)), WARN);
        assert_eq!(day_colour(Some(97.0), Some(99.9)), BAD);
        assert_eq!(day_colour(Some(99.99), None), WARN);
        assert_eq!(day_colour(Some(100.0), None), GOOD);
    }

    #[test]
    fn a_bar_per_day_a_tooltip_per_run_and_words_escaped() {
        let runs: Vec<Days> = (0..30)
            .map(|i| Days {
                count: 3,
                percent: (i % 2 == 0).then_some(100.0),
                title: format!("run {i} <&>"),
            })
            .collect();
        let svg = uptime_bars(&runs, Some(99.9), "web \"uptime\"");
        assert_eq!(svg.matches("h6v30h-6z").count(), 90, "a bar per day");
        assert_eq!(svg.matches("<title>").count(), 30, "a tooltip per run");
        assert_eq!(svg.matches(&format!("fill=\"{GOOD}\"")).count(), 15);
        assert_eq!(svg.matches(&format!("fill=\"{NONE}\"")).count(), 15);
        // The last bar ends at the picture's right edge.
        assert!(svg.contains("viewBox=\"0 0 718 30\"") && svg.contains("M712 0h6"));
        assert!(svg.contains("run 3 &lt;&amp;&gt;") && !svg.contains("<&>"));
        assert!(svg.contains("aria-label=\"web &quot;uptime&quot;\""));
        assert!(
            !svg.contains("style"),
            "no inline style: the CSP forbids it"
        );
    }

    #[test]
    fn a_trend_marks_runs_over_the_target() {
        let points = [
            Point {
                value_ms: 3_600_000,
                passed: true,
                title: "1 h".into(),
            },
            Point {
                value_ms: 18_000_000,
                passed: true,
                title: "5 h".into(),
            },
            Point {
                value_ms: 1_800_000,
                passed: false,
                title: "failed".into(),
            },
        ];
        let svg = trend(&points, 14_400_000, "4 h", "Jan", "Mar", "RTO");
        assert_eq!(svg.matches(&format!("fill=\"{GOOD}\"")).count(), 1);
        assert_eq!(svg.matches(&format!("fill=\"{BAD}\"")).count(), 2);
        assert!(svg.contains("<polyline"));
        // One run: a dot, no line.
        let one = trend(&points[..1], 14_400_000, "4 h", "Jan", "Jan", "RTO");
        assert!(!one.contains("<polyline") && one.contains("<circle"));
    }

    #[test]
    fn the_sla_bar_puts_the_target_on_its_scale() {
        let svg = sla_bar(Some(99.95), Some(99.9), "SLA");
        assert!(svg.contains(&format!("fill=\"{GOOD}\"")));
        let none = sla_bar(None, Some(99.9), "SLA");
        assert!(!none.contains(GOOD) && none.contains(INK));
    }
}
