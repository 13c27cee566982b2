//! The monthly service report (kind `sla`), for the client: over one
//! month in the organisation's time zone, each monitored service's uptime
//! against the plan's `[sla]` target (checks made in maintenance windows
//! left out), each outage with its cause, its duration and the checks that
//! opened and closed it; each process's RTO and RPO as of the evidence
//! head; the drills, backups, copies, verifications and repairs of the
//! month, each cited.
//!
//! Everything is counted up to the evidence head's time (`as_of_ms`), never
//! the clock's: a month not over stops there, an outage still open then
//! ends there, and only the checks counted in minutes begun by then count.
//! The same evidence gives the same document.

use std::fmt::Write;

use rempart_core::assessment::{DrillRun, ProcessAssessment, Status};
use rempart_core::charts::{self, Days, Point};
use rempart_core::evidence::measure::{self, Measure};
use rempart_core::evidence::{Evidence, EvidenceKind, Outcome};
use rempart_core::plan::Plan;
use rempart_core::sla::{Downtime, Uptime};
use rempart_i18n::{Lang, t};
use rempart_store::{EvidenceQuery, TenantScope};

use crate::doc::{Block, Cell, Section, Tone};
use crate::words::Words;
use crate::{ReportError, Sources};

/// What the SLA report reads from the store, for one month.
pub struct SlaData {
    /// `2026-11`.
    pub month: String,
    /// The month's first instant, in ms.
    pub from_ms: i64,
    /// The next month's first instant, in ms.
    pub to_ms: i64,
    /// Where counting stops: the month's end, or the evidence head's time
    /// for a month not over.
    pub until_ms: i64,
    /// Each monitor of the plan, in the plan's order.
    pub monitors: Vec<MonitorMonth>,
    /// The month's backup, copy, verify, repair and drill records, in
    /// the log's order.
    pub records: Vec<Evidence>,
}

/// One monitored service over the month.
pub struct MonitorMonth {
    pub id: String,
    /// The plan's name for it, or its id.
    pub label: String,
    /// The plan's uptime target, in percent.
    pub target: Option<f64>,
    pub uptime: Uptime,
    /// Each day of the month, in order.
    pub days: Vec<Uptime>,
    pub outages: Vec<Outage>,
}

/// An outage, within the month.
pub struct Outage {
    pub downtime: Downtime,
    /// Clipped to the month; an outage open at `until_ms` ends there.
    pub start_ms: i64,
    pub end_ms: i64,
    pub duration_ms: i64,
    /// Still going on at `until_ms`.
    pub ongoing: bool,
    /// The check (a `probe` record) that confirmed the failure.
    pub opened: Option<Evidence>,
    /// The check that ended it (the recovery, or another state).
    pub closed: Option<Evidence>,
}

/// How long before an outage's start its check may have started.
const CHECK_LOOKBACK_MS: i64 = 3_600_000;

/// The kinds of record the report lists for the month.
const ACTIVITY: [EvidenceKind; 5] = [
    EvidenceKind::Backup,
    EvidenceKind::Copy,
    EvidenceKind::Verify,
    EvidenceKind::Repair,
    EvidenceKind::Drill,
];

/// Reads month `month` (`YYYY-MM`; default the month of the evidence
/// head) of `tenant` up to `as_of_ms`.
pub async fn gather(
    tenant: &TenantScope,
    plan: &Plan,
    month: Option<&str>,
    as_of_ms: i64,
) -> Result<SlaData, ReportError> {
    let tz = plan.organization.timezone.as_str();
    let (month, from_ms, to_ms) =
        rempart_core::sla::month_bounds(month, tz, as_of_ms).map_err(ReportError::Usage)?;
    let until_ms = as_of_ms.clamp(from_ms, to_ms);
    let days = rempart_core::sla::day_bounds(from_ms, to_ms, tz);
    let downtimes = if until_ms > from_ms {
        tenant.downtimes(from_ms, until_ms).await?
    } else {
        Vec::new()
    };
    let mut monitors = Vec::with_capacity(plan.monitors.len());
    for m in &plan.monitors {
        let id = m.id.as_str();
        // Buckets that began before the head: a month over (what the
        // monthly job reports) reads the same every time; in a month still
        // running, the head's own minute may fill for up to a minute.
        let buckets = tenant.buckets(id, from_ms, until_ms).await?;
        let mut outages = Vec::new();
        for d in downtimes.iter().filter(|d| d.monitor == id) {
            let (start_ms, end_ms, duration_ms) =
                rempart_core::sla::clipped(d, from_ms, until_ms, until_ms);
            if duration_ms == 0 {
                continue;
            }
            let ongoing = d.end_ms.is_none_or(|end| end > until_ms);
            let opened = change(tenant, id, d.start_ms, Some(&d.state), as_of_ms).await?;
            let closed = match d.end_ms {
                Some(end) if !ongoing => change(tenant, id, end, None, as_of_ms).await?,
                _ => None,
            };
            outages.push(Outage {
                downtime: d.clone(),
                start_ms,
                end_ms,
                duration_ms,
                ongoing,
                opened,
                closed,
            });
        }
        monitors.push(MonitorMonth {
            id: id.to_owned(),
            label: m.name.clone().unwrap_or_else(|| id.to_owned()),
            target: plan
                .sla
                .as_ref()
                .and_then(|s| s.targets.iter().find(|t| t.monitor == m.id))
                .map(|t| t.uptime.0),
            uptime: rempart_core::sla::uptime(&buckets, from_ms, to_ms),
            days: days
                .iter()
                .map(|(_, s, e)| rempart_core::sla::uptime(&buckets, *s, *e))
                .collect(),
            outages,
        });
    }
    let mut records = Vec::new();
    if until_ms > from_ms {
        for kind in ACTIVITY {
            records.extend(
                tenant
                    .evidence_all(&EvidenceQuery {
                        kind: Some(kind),
                        from_ms: Some(from_ms),
                        to_ms: Some(until_ms),
                        ..EvidenceQuery::default()
                    })
                    .await?
                    .into_iter()
                    .filter(|e| e.recorded_ms <= as_of_ms),
            );
        }
    }
    records.sort_by_key(|e| e.seq);
    Ok(SlaData {
        month,
        from_ms,
        to_ms,
        until_ms,
        monitors,
        records,
    })
}

/// The check of `monitor` that changed its state at `at_ms` (to `state`,
/// or to any state when `None`): the `probe` record the supervisor wrote
/// with the change.
async fn change(
    tenant: &TenantScope,
    monitor: &str,
    at_ms: i64,
    state: Option<&str>,
    as_of_ms: i64,
) -> Result<Option<Evidence>, ReportError> {
    let found = tenant
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::Probe),
            subject: Some(monitor.to_owned()),
            from_ms: Some(at_ms - CHECK_LOOKBACK_MS),
            to_ms: Some(at_ms + 1),
            ..EvidenceQuery::default()
        })
        .await?;
    Ok(found.into_iter().rev().find(|e| {
        let changed = e.record.measurements["changed"].as_str();
        e.recorded_ms <= as_of_ms
            && e.record.finished_ms == at_ms
            && changed.is_some()
            && state.is_none_or(|s| changed == Some(s))
    }))
}

/// `November 2026` / `novembre 2026`.
fn month_name(w: &Words, month: &str) -> String {
    let (y, m) = month.split_once('-').unwrap_or((month, "1"));
    let number: u32 = m.parse().unwrap_or(1);
    t!(w.lang, "sla-doc-month", month = number, year = y)
}

/// The period covered: the month, or the month up to the head's time
/// when it is not over.
fn period(w: &Words, data: &SlaData) -> String {
    let month = month_name(w, &data.month);
    if data.until_ms < data.to_ms {
        t!(
            w.lang,
            "sla-doc-period-partial",
            month = month,
            until = w.time(data.until_ms)
        )
    } else {
        month
    }
}

/// The title page's line naming the period, for [`crate::build`].
pub fn period_fact(s: &Sources) -> Option<(String, String)> {
    let data = s.sla.as_ref()?;
    Some((t!(s.words.lang, "sla-doc-period"), period(&s.words, data)))
}

/// `99.512 %` (`99,512 %` in French): at most three decimals, and never
/// rounded up to 100 when a check failed.
fn percent(w: &Words, p: f64) -> String {
    let mut text = format!("{p:.3}");
    if p < 100.0 && text == "100.000" {
        text = "99.999".into();
    }
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match w.lang {
        Lang::Fr => format!("{}\u{a0}%", text.replace('.', ",")),
        Lang::En => format!("{text}\u{a0}%"),
    }
}

/// A number with its thousands apart: `43 200`.
fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn sections(s: &Sources) -> Vec<Section> {
    let Some(data) = &s.sla else {
        return vec![crate::common::evidence_section(s)];
    };
    vec![
        summary(s, data),
        availability(s, data),
        objectives(s),
        activity(s, data),
        drills(s, data),
        crate::common::evidence_section(s),
    ]
}

/// Met, missed, or not measured, for each monitor with a target.
struct Targets<'a> {
    with_target: Vec<&'a MonitorMonth>,
    measured: usize,
    missed: Vec<&'a MonitorMonth>,
}

fn targets(data: &SlaData) -> Targets<'_> {
    let with_target: Vec<&MonitorMonth> = data
        .monitors
        .iter()
        .filter(|m| m.target.is_some())
        .collect();
    let measured = with_target
        .iter()
        .filter(|m| m.uptime.percent.is_some())
        .count();
    let missed = with_target
        .iter()
        .copied()
        .filter(|m| matches!((m.uptime.percent, m.target), (Some(p), Some(t)) if p < t))
        .collect();
    Targets {
        with_target,
        measured,
        missed,
    }
}

/// Runs of `records` of `kinds`: (how many, how many failed).
fn runs(records: &[Evidence], kinds: &[EvidenceKind]) -> (usize, usize) {
    let mine: Vec<&Evidence> = records
        .iter()
        .filter(|e| kinds.contains(&e.record.kind))
        .collect();
    let failed = mine
        .iter()
        .filter(|e| e.record.outcome != Outcome::Success)
        .count();
    (mine.len(), failed)
}

/// The summary's label → value lines (also the e-mail's).
fn key_figures(s: &Sources, data: &SlaData) -> Vec<(String, String)> {
    let w = &s.words;
    let lang = w.lang;
    let tg = targets(data);
    let mut rows = vec![(t!(lang, "sla-doc-period"), period(w, data))];
    rows.push((
        t!(lang, "sla-doc-fact-targets"),
        if tg.measured == 0 {
            w.unmeasured()
        } else {
            t!(
                lang,
                "sla-doc-fraction",
                part = tg.measured - tg.missed.len(),
                whole = tg.measured
            )
        },
    ));
    let outages: Vec<&Outage> = data.monitors.iter().flat_map(|m| &m.outages).collect();
    let checked = data.monitors.iter().any(|m| m.uptime.checks > 0);
    rows.push((
        t!(lang, "sla-doc-fact-outages"),
        if outages.is_empty() && !checked {
            w.unmeasured()
        } else if outages.is_empty() {
            t!(lang, "report-none")
        } else {
            t!(
                lang,
                "sla-doc-outages-total",
                count = outages.len(),
                down = w.duration(outages.iter().map(|o| o.duration_ms).sum())
            )
        },
    ));
    let said_runs = |(n, failed): (usize, usize)| {
        if n == 0 {
            w.unmeasured()
        } else {
            t!(lang, "sla-doc-runs", count = n, failed = failed)
        }
    };
    rows.push((
        t!(lang, "sla-doc-fact-backups"),
        said_runs(runs(
            &data.records,
            &[EvidenceKind::Backup, EvidenceKind::Copy],
        )),
    ));
    rows.push((
        t!(lang, "sla-doc-fact-verifications"),
        said_runs(runs(&data.records, &[EvidenceKind::Verify])),
    ));
    let (drilled, failed) = runs(&data.records, &[EvidenceKind::Drill]);
    rows.push((
        t!(lang, "sla-doc-fact-drills"),
        if drilled == 0 {
            w.unmeasured()
        } else {
            t!(
                lang,
                "sla-doc-drills-count",
                count = drilled,
                passed = drilled - failed
            )
        },
    ));
    let processes = &s.audited.assessment.processes;
    if !processes.is_empty() {
        let within = processes
            .iter()
            .filter(|p| p.status == Status::Compliant)
            .count();
        rows.push((
            t!(lang, "sla-doc-fact-processes"),
            t!(
                lang,
                "sla-doc-fraction",
                part = within,
                whole = processes.len()
            ),
        ));
    }
    rows
}

/// The month in a few lines, for the e-mail that carries the report.
pub fn summary_text(s: &Sources) -> String {
    let Some(data) = &s.sla else {
        return String::new();
    };
    key_figures(s, data)
        .into_iter()
        .map(|(label, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `November 2026` for the e-mail's subject.
pub fn period_text(s: &Sources) -> String {
    s.sla
        .as_ref()
        .map(|data| period(&s.words, data))
        .unwrap_or_default()
}

fn summary(s: &Sources, data: &SlaData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let tg = targets(data);
    let verdict = if tg.with_target.is_empty() {
        Block::Callout {
            tone: Tone::Muted,
            text: t!(lang, "sla-doc-no-target"),
        }
    } else if tg.measured == 0 {
        Block::Callout {
            tone: Tone::Muted,
            text: t!(lang, "sla-doc-targets-unmeasured"),
        }
    } else if tg.missed.is_empty() {
        Block::Callout {
            tone: Tone::Good,
            text: t!(lang, "sla-doc-targets-met", count = tg.measured),
        }
    } else {
        let names: Vec<String> = tg
            .missed
            .iter()
            .map(|m| {
                t!(
                    lang,
                    "sla-doc-missed-one",
                    service = m.label.as_str(),
                    uptime = m.uptime.percent.map(|p| percent(w, p)).unwrap_or_default(),
                    target = m.target.map(|p| percent(w, p)).unwrap_or_default()
                )
            })
            .collect();
        Block::Callout {
            tone: Tone::Bad,
            text: t!(
                lang,
                "sla-doc-targets-missed",
                missed = tg.missed.len(),
                count = tg.measured,
                names = names.join(", ")
            ),
        }
    };
    Section {
        title: t!(lang, "sla-doc-summary"),
        blocks: vec![
            Block::Paragraph {
                text: t!(
                    lang,
                    "sla-doc-intro",
                    period = period(w, data),
                    organization = s.plan.organization.name.as_str()
                ),
            },
            verdict,
            Block::Facts {
                rows: key_figures(s, data),
            },
        ],
        subsections: vec![],
    }
}

/// The uptime cell: the figure, green when the target is met, red when
/// not, muted without a check.
fn uptime_cell(w: &Words, m: &MonitorMonth) -> Cell {
    match (m.uptime.percent, m.target) {
        (None, _) => Cell::toned(w.unmeasured(), Tone::Muted),
        (Some(p), Some(t)) if p >= t => Cell::toned(
            t!(w.lang, "sla-doc-met", uptime = percent(w, p)),
            Tone::Good,
        ),
        (Some(p), Some(_)) => Cell::toned(
            t!(w.lang, "sla-doc-missed", uptime = percent(w, p)),
            Tone::Bad,
        ),
        (Some(p), None) => Cell::plain(percent(w, p)),
    }
}

fn availability(s: &Sources, data: &SlaData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let mut blocks = vec![Block::Paragraph {
        text: t!(
            lang,
            "sla-doc-availability-intro",
            zone = s.plan.organization.timezone.as_str()
        ),
    }];
    if data.monitors.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Muted,
            text: w.unmeasured(),
        });
    } else {
        let rows = data
            .monitors
            .iter()
            .map(|m| {
                let measured = m.uptime.checks + m.uptime.maintenance > 0;
                let down: i64 = m.outages.iter().map(|o| o.duration_ms).sum();
                vec![
                    Cell::plain(&m.label),
                    m.target.map_or_else(
                        || Cell::toned("—", Tone::Muted),
                        |t| Cell::plain(percent(w, t)),
                    ),
                    uptime_cell(w, m),
                    Cell::plain(count(m.uptime.checks)),
                    Cell::plain(count(m.uptime.maintenance)),
                    if measured || !m.outages.is_empty() {
                        Cell::plain(m.outages.len().to_string())
                    } else {
                        Cell::toned("—", Tone::Muted)
                    },
                    if m.outages.is_empty() {
                        Cell::toned("—", Tone::Muted)
                    } else {
                        Cell::plain(w.duration(down))
                    },
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                t!(lang, "sla-doc-col-service"),
                t!(lang, "report-col-target"),
                t!(lang, "sla-doc-col-uptime"),
                t!(lang, "sla-doc-col-checks"),
                t!(lang, "sla-doc-col-maintenance"),
                t!(lang, "sla-doc-col-outages"),
                t!(lang, "sla-doc-col-downtime"),
            ],
            widths: vec![4, 2, 4, 2, 2, 2, 3],
            rows,
        });
        blocks.push(Block::Figure {
            svg: month_chart(w, data),
            caption: t!(lang, "sla-doc-chart-caption", period = period(w, data)),
            width_percent: 100,
        });
    }
    Section {
        title: t!(lang, "sla-doc-availability"),
        blocks,
        subsections: vec![outages(s, data)],
    }
}

/// Every service's month in one picture: its name, a bar per day (the
/// portal's uptime bars, drawn by `rempart_core::charts`), and its
/// month's uptime; the days numbered underneath.
fn month_chart(w: &Words, data: &SlaData) -> String {
    const LABEL: usize = 150;
    const BARS: usize = 372;
    const FIGURE: usize = 78;
    const ROW: usize = 24;
    const BAR: usize = 15;
    const TOP: usize = 4;
    let days = data.monitors.first().map_or(0, |m| m.days.len()).max(1);
    let width = LABEL + BARS + FIGURE;
    let height = TOP + data.monitors.len() * ROW + 18;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"Libertinus Serif, serif\">"
    );
    let label = t!(w.lang, "sla-doc-chart-label");
    for (i, m) in data.monitors.iter().enumerate() {
        let y = TOP + i * ROW;
        if i % 2 == 0 {
            let _ = write!(
                svg,
                "<rect x=\"0\" y=\"{}\" width=\"{width}\" height=\"{ROW}\" fill=\"#f4f6f9\"/>",
                y
            );
        }
        let mut name: String = m.label.chars().take(26).collect();
        if m.label.chars().count() > 26 {
            name.push('…');
        }
        let _ = write!(
            svg,
            "<text x=\"6\" y=\"{}\" font-size=\"11\" fill=\"#1b2733\">{}</text>",
            y + ROW / 2 + 4,
            escape(&name)
        );
        let runs: Vec<Days> = m
            .days
            .iter()
            .map(|d| Days {
                count: 1,
                percent: d.percent,
                title: d.percent.map(|p| percent(w, p)).unwrap_or_default(),
            })
            .collect();
        let bars = charts::uptime_bars(&runs, m.target, &format!("{label} — {}", m.label));
        // The bars as drawn for the portal, placed in their row.
        let placed = bars.replacen(
            "<svg ",
            &format!(
                "<svg x=\"{LABEL}\" y=\"{}\" width=\"{BARS}\" height=\"{BAR}\" ",
                y + (ROW - BAR) / 2
            ),
            1,
        );
        svg.push_str(&placed);
        let (text, colour) = match m.uptime.percent {
            Some(p) => (percent(w, p), charts::day_colour(Some(p), m.target)),
            None => ("—".to_owned(), charts::INK),
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"end\" fill=\"{colour}\">{}</text>",
            width - 6,
            y + ROW / 2 + 4,
            escape(&text)
        );
    }
    // Day numbers under the bars: 1, 5, 10… and the last.
    let axis = TOP + data.monitors.len() * ROW + 13;
    let slot = BARS as f64 / (days * 8 - 2).max(1) as f64;
    let mut marks: Vec<usize> = vec![1];
    marks.extend((5..days.saturating_sub(2)).step_by(5));
    if days > 1 {
        marks.push(days);
    }
    for day in marks {
        let x = LABEL as f64 + ((day - 1) * 8 + 3) as f64 * slot;
        let _ = write!(
            svg,
            "<text x=\"{x:.1}\" y=\"{axis}\" font-size=\"9\" text-anchor=\"middle\" fill=\"{}\">{day}</text>",
            charts::INK
        );
    }
    svg.push_str("</svg>");
    svg
}

fn state_word(w: &Words, state: &str) -> String {
    match state {
        "down" => t!(w.lang, "sla-doc-state-down"),
        _ => t!(w.lang, "sla-doc-state-unreachable"),
    }
}

/// What caused an outage, in the reader's language when the check said
/// it so: the failed check's own words, or the parents an unreachable
/// service depends on.
fn cause(w: &Words, o: &Outage) -> String {
    if o.downtime.state == "unreachable" {
        let parents: Vec<String> = o
            .opened
            .as_ref()
            .and_then(|e| e.record.measurements["parents_down"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.as_str().map(str::to_owned))
            .collect();
        if !parents.is_empty() {
            return t!(
                w.lang,
                "sla-doc-cause-parents",
                parents = parents.join(", ")
            );
        }
    }
    match &o.opened {
        Some(e) => e.record.told(w.lang),
        None => o.downtime.cause.clone(),
    }
}

fn outages(s: &Sources, data: &SlaData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let rows: Vec<Vec<Cell>> = data
        .monitors
        .iter()
        .flat_map(|m| m.outages.iter().map(move |o| (m, o)))
        .map(|(m, o)| {
            let records = match (&o.opened, &o.closed) {
                (Some(a), Some(b)) => format!("#{} → #{}", a.seq, b.seq),
                (Some(a), None) => format!("#{}", a.seq),
                (None, Some(b)) => format!("→ #{}", b.seq),
                (None, None) => "—".to_owned(),
            };
            vec![
                Cell::plain(&m.label),
                Cell::toned(
                    state_word(w, &o.downtime.state),
                    if o.downtime.state == "down" {
                        Tone::Bad
                    } else {
                        Tone::Warn
                    },
                ),
                Cell::plain(w.time(o.start_ms)),
                if o.ongoing {
                    Cell::toned(
                        t!(lang, "sla-doc-ongoing", at = w.time(o.end_ms)),
                        Tone::Warn,
                    )
                } else {
                    Cell::plain(w.time(o.end_ms))
                },
                Cell::plain(w.duration(o.duration_ms)),
                Cell::plain(cause(w, o)),
                Cell::plain(records),
            ]
        })
        .collect();
    let blocks = if rows.is_empty() {
        vec![Block::Paragraph {
            text: t!(lang, "sla-doc-no-outage", period = period(w, data)),
        }]
    } else {
        vec![
            Block::Paragraph {
                text: t!(lang, "sla-doc-outages-intro"),
            },
            Block::Table {
                columns: vec![
                    t!(lang, "sla-doc-col-service"),
                    t!(lang, "sla-doc-col-state"),
                    t!(lang, "sla-doc-col-start"),
                    t!(lang, "sla-doc-col-end"),
                    t!(lang, "sla-doc-col-duration"),
                    t!(lang, "sla-doc-col-cause"),
                    t!(lang, "sla-doc-col-records"),
                ],
                widths: vec![4, 4, 4, 4, 3, 7, 4],
                rows,
            },
        ]
    };
    Section {
        title: t!(lang, "sla-doc-outages"),
        blocks,
        subsections: vec![],
    }
}

fn status_cell(w: &Words, status: Status) -> Cell {
    let tone = match status {
        Status::Compliant => Tone::Good,
        Status::AtRisk | Status::Untested => Tone::Warn,
        Status::Breached => Tone::Bad,
    };
    Cell::toned(status.text(w.lang.into()), tone)
}

/// The `drill` record of run `d`.
fn drill_record<'a>(s: &'a Sources, d: &DrillRun) -> Option<&'a Evidence> {
    s.audited.records.iter().rev().find(|e| {
        e.record.kind == EvidenceKind::Drill
            && e.record.subject == d.scenario
            && e.record.measurements["run"].as_str() == Some(d.run.as_str())
    })
}

/// The record that holds process `p`'s newest restore point: a
/// successful backup or copy of the backup that sets its exposure.
fn restore_point_record<'a>(s: &'a Sources, p: &ProcessAssessment) -> Option<&'a Evidence> {
    let backup = p.restore_point_backup.as_deref()?;
    let successes = || {
        s.audited.records.iter().filter(move |e| {
            matches!(e.record.kind, EvidenceKind::Backup | EvidenceKind::Copy)
                && e.record.subject == backup
                && e.record.outcome == Outcome::Success
        })
    };
    successes()
        .filter(|e| {
            measure::SiteRun::read(&e.record).and_then(|m| m.data_time_ms) == p.restore_point_ms
        })
        .max_by_key(|e| e.seq)
        .or_else(|| successes().max_by_key(|e| e.seq))
}

fn objectives(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let processes = &s.audited.assessment.processes;
    let rows = processes
        .iter()
        .map(|p| {
            let rto = match (
                p.achieved_rto_ms,
                p.last_passing_drill
                    .as_ref()
                    .and_then(|d| drill_record(s, d)),
            ) {
                (Some(v), Some(e)) => Cell::toned(
                    format!(
                        "{} ({})",
                        w.duration(v),
                        w.cite(e.seq, e.record.finished_ms)
                    ),
                    if v > p.rto_target_ms {
                        Tone::Bad
                    } else {
                        Tone::Good
                    },
                ),
                _ => Cell::toned(w.unmeasured(), Tone::Muted),
            };
            let rpo = match (p.rpo_exposure_ms, restore_point_record(s, p)) {
                (Some(v), Some(e)) => Cell::toned(
                    format!(
                        "{} ({})",
                        w.duration(v),
                        w.cite(e.seq, e.record.finished_ms)
                    ),
                    if v > p.rpo_target_ms {
                        Tone::Bad
                    } else {
                        Tone::Good
                    },
                ),
                _ => Cell::toned(w.unmeasured(), Tone::Muted),
            };
            vec![
                Cell::plain(&p.name),
                Cell::plain(w.duration(p.rto_target_ms)),
                rto,
                Cell::plain(w.duration(p.rpo_target_ms)),
                rpo,
                status_cell(w, p.status),
            ]
        })
        .collect();
    let mut blocks = vec![
        Block::Paragraph {
            text: t!(lang, "sla-doc-objectives-intro", at = w.time(s.as_of_ms)),
        },
        Block::Table {
            columns: vec![
                t!(lang, "report-col-process"),
                t!(lang, "report-col-rto-target"),
                t!(lang, "sla-doc-col-rto-achieved"),
                t!(lang, "report-col-rpo-target"),
                t!(lang, "sla-doc-col-rpo-exposure"),
                t!(lang, "report-col-status"),
            ],
            widths: vec![3, 3, 4, 3, 4, 3],
            rows,
        },
    ];
    let reasons: Vec<String> = processes
        .iter()
        .filter(|p| p.status != Status::Compliant)
        .flat_map(|p| {
            p.reasons.iter().map(|r| {
                t!(
                    lang,
                    "sla-doc-reason",
                    process = p.name.as_str(),
                    why = r.text(lang.into())
                )
            })
        })
        .collect();
    if !reasons.is_empty() {
        blocks.push(Block::List { items: reasons });
    }
    // Each process's recovery time over the drills of the last year.
    for p in processes {
        let scenarios: Vec<&str> = s
            .plan
            .scenarios
            .iter()
            .filter(|sc| sc.process.as_str() == p.id)
            .map(|sc| sc.id.as_str())
            .collect();
        let year_ago = s.as_of_ms - 365 * 86_400_000;
        let mut runs: Vec<(&Evidence, DrillRun)> = s
            .audited
            .records
            .iter()
            .filter(|e| {
                e.record.kind == EvidenceKind::Drill
                    && e.record.finished_ms >= year_ago
                    && scenarios.contains(&e.record.subject.as_str())
            })
            .filter_map(|e| DrillRun::from_evidence(&e.record).map(|d| (e, d)))
            .filter(|(_, d)| d.rto_ms.is_some())
            .collect();
        if runs.len() < 2 {
            continue;
        }
        runs.sort_by_key(|(e, _)| (e.record.finished_ms, e.seq));
        let points: Vec<Point> = runs
            .iter()
            .map(|(e, d)| Point {
                value_ms: d.rto_ms.unwrap_or(0),
                passed: d.passed,
                title: w.cite(e.seq, e.record.finished_ms),
            })
            .collect();
        let first = runs.first().map_or(0, |(e, _)| e.record.finished_ms);
        let last = runs.last().map_or(0, |(e, _)| e.record.finished_ms);
        let caption = t!(
            lang,
            "sla-doc-rto-trend",
            process = p.name.as_str(),
            target = w.duration(p.rto_target_ms)
        );
        blocks.push(Block::Figure {
            svg: charts::trend(
                &points,
                p.rto_target_ms,
                &w.duration(p.rto_target_ms),
                &w.day(first),
                &w.day(last),
                &caption,
            ),
            caption,
            width_percent: 60,
        });
    }
    Section {
        title: t!(lang, "sla-doc-objectives"),
        blocks,
        subsections: vec![],
    }
}

fn outcome_word(w: &Words, outcome: Outcome) -> String {
    if outcome == Outcome::Success {
        t!(w.lang, "sla-doc-outcome-success")
    } else {
        t!(w.lang, "sla-doc-outcome-failure")
    }
}

/// `(n, failed)` as cells: the count, and the failures red when any.
fn run_cells(n: usize, failed: usize) -> [Cell; 2] {
    [
        Cell::plain(n.to_string()),
        if failed > 0 {
            Cell::toned(failed.to_string(), Tone::Bad)
        } else {
            Cell::plain("0")
        },
    ]
}

fn activity(s: &Sources, data: &SlaData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let backups = plan
        .backups
        .iter()
        .map(|b| {
            let mine: Vec<&Evidence> = data
                .records
                .iter()
                .filter(|e| {
                    matches!(e.record.kind, EvidenceKind::Backup | EvidenceKind::Copy)
                        && e.record.subject == b.id.as_str()
                })
                .collect();
            let name = b.name.clone().unwrap_or_else(|| b.id.to_string());
            if mine.is_empty() {
                return vec![
                    Cell::plain(name),
                    Cell::toned(w.unmeasured(), Tone::Muted),
                    Cell::plain(""),
                    Cell::plain(""),
                    Cell::plain(""),
                ];
            }
            let failed = mine
                .iter()
                .filter(|e| e.record.outcome != Outcome::Success)
                .count();
            let successes: Vec<&&Evidence> = mine
                .iter()
                .filter(|e| e.record.outcome == Outcome::Success)
                .collect();
            let latest = successes
                .iter()
                .max_by_key(|e| (e.record.finished_ms, e.seq));
            let point = successes
                .iter()
                .filter_map(|e| measure::SiteRun::read(&e.record).and_then(|m| m.data_time_ms))
                .max();
            let [runs, failed] = run_cells(mine.len(), failed);
            vec![
                Cell::plain(name),
                runs,
                failed,
                latest.map_or_else(
                    || Cell::toned(w.unmeasured(), Tone::Muted),
                    |e| Cell::plain(w.cite(e.seq, e.record.finished_ms)),
                ),
                point.map_or_else(
                    || Cell::toned(w.unmeasured(), Tone::Muted),
                    |t| Cell::plain(w.time(t)),
                ),
            ]
        })
        .collect();
    // Each repository, then the evidence log's own daily check.
    let mut checked: Vec<(String, String)> = plan
        .repositories
        .iter()
        .map(|r| {
            (
                r.id.to_string(),
                r.name.clone().unwrap_or_else(|| r.id.to_string()),
            )
        })
        .collect();
    checked.push((
        rempart_engine::executor::evidence_audit::SUBJECT.to_owned(),
        t!(lang, "sla-doc-evidence-log"),
    ));
    let verifications = checked
        .iter()
        .map(|(id, name)| {
            let mine: Vec<&Evidence> = data
                .records
                .iter()
                .filter(|e| e.record.kind == EvidenceKind::Verify && e.record.subject == *id)
                .collect();
            let latest = mine.iter().max_by_key(|e| (e.record.finished_ms, e.seq));
            let Some(latest) = latest else {
                return vec![
                    Cell::plain(name),
                    Cell::toned(w.unmeasured(), Tone::Muted),
                    Cell::plain(""),
                    Cell::plain(""),
                ];
            };
            let failed = mine
                .iter()
                .filter(|e| e.record.outcome != Outcome::Success)
                .count();
            let [runs, failed] = run_cells(mine.len(), failed);
            let ok = latest.record.outcome == Outcome::Success;
            vec![
                Cell::plain(name),
                runs,
                failed,
                Cell::toned(
                    t!(
                        lang,
                        "sla-doc-latest",
                        outcome = outcome_word(w, latest.record.outcome),
                        cite = w.cite(latest.seq, latest.record.finished_ms)
                    ),
                    if ok { Tone::Good } else { Tone::Bad },
                ),
            ]
        })
        .collect();
    let blocks = vec![
        Block::Paragraph {
            text: t!(lang, "sla-doc-activity-intro"),
        },
        Block::Table {
            columns: vec![
                t!(lang, "sla-doc-col-backup"),
                t!(lang, "sla-doc-col-runs"),
                t!(lang, "sla-doc-col-failed"),
                t!(lang, "sla-doc-col-latest-success"),
                t!(lang, "sla-doc-col-restore-point"),
            ],
            widths: vec![3, 2, 2, 5, 3],
            rows: backups,
        },
        Block::Table {
            columns: vec![
                t!(lang, "sla-doc-col-repository"),
                t!(lang, "sla-doc-col-runs"),
                t!(lang, "sla-doc-col-failed"),
                t!(lang, "sla-doc-col-latest"),
            ],
            widths: vec![3, 2, 2, 8],
            rows: verifications,
        },
    ];
    let repairs: Vec<String> = data
        .records
        .iter()
        .filter(|e| e.record.kind == EvidenceKind::Repair)
        .map(|e| {
            t!(
                lang,
                "sla-doc-repair",
                repository = e.record.subject.as_str(),
                outcome = outcome_word(w, e.record.outcome),
                cite = w.cite(e.seq, e.record.finished_ms)
            )
        })
        .collect();
    let subsections = if repairs.is_empty() {
        vec![]
    } else {
        vec![Section {
            title: t!(lang, "sla-doc-repairs"),
            blocks: vec![Block::List { items: repairs }],
            subsections: vec![],
        }]
    };
    Section {
        title: t!(lang, "sla-doc-activity"),
        blocks,
        subsections,
    }
}

fn drills(s: &Sources, data: &SlaData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let mut rows = Vec::new();
    for sc in &plan.scenarios {
        let process = plan.processes.iter().find(|p| p.id == sc.process);
        let rto_goal = process.map(|p| crate::common::ms(p.rto));
        let rpo_goal = process.map(|p| crate::common::ms(p.rpo));
        let runs: Vec<(&Evidence, DrillRun)> = data
            .records
            .iter()
            .filter(|e| e.record.kind == EvidenceKind::Drill && e.record.subject == sc.id.as_str())
            .filter_map(|e| DrillRun::from_evidence(&e.record).map(|d| (e, d)))
            .collect();
        if runs.is_empty() {
            rows.push(vec![
                Cell::plain(&sc.name),
                Cell::toned(t!(lang, "sla-doc-not-drilled"), Tone::Muted),
                Cell::toned(w.unmeasured(), Tone::Muted),
                Cell::toned(w.unmeasured(), Tone::Muted),
                Cell::plain(""),
            ]);
            continue;
        }
        let figure = |v: Option<i64>, goal: Option<i64>| match v {
            Some(v) => Cell::toned(
                w.duration(v),
                if goal.is_some_and(|g| v > g) {
                    Tone::Bad
                } else {
                    Tone::Good
                },
            ),
            None => Cell::toned(w.unmeasured(), Tone::Muted),
        };
        for (e, d) in runs {
            rows.push(vec![
                Cell::plain(&sc.name),
                Cell::toned(
                    if d.passed {
                        t!(lang, "drill-doc-step-ok")
                    } else {
                        t!(lang, "drill-doc-step-failed")
                    },
                    if d.passed { Tone::Good } else { Tone::Bad },
                ),
                figure(d.rto_ms, rto_goal),
                figure(d.rpo_ms, rpo_goal),
                Cell::plain(w.cite(e.seq, e.record.finished_ms)),
            ]);
        }
    }
    let mut blocks = vec![Block::Paragraph {
        text: t!(lang, "sla-doc-drills-intro"),
    }];
    if !rows.is_empty() {
        blocks.push(Block::Table {
            columns: vec![
                t!(lang, "sla-doc-col-scenario"),
                t!(lang, "sla-doc-col-result"),
                t!(lang, "sla-doc-col-rto-measured"),
                t!(lang, "sla-doc-col-rpo-measured"),
                t!(lang, "sla-doc-col-record"),
            ],
            widths: vec![4, 3, 3, 3, 4],
            rows,
        });
    }
    Section {
        title: t!(lang, "sla-doc-drills"),
        blocks,
        subsections: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn words(lang: Lang) -> Words {
        Words {
            lang,
            zone: Tz::Europe__Paris,
        }
    }

    #[test]
    fn percentages_read_as_each_language_writes_them() {
        let (en, fr) = (words(Lang::En), words(Lang::Fr));
        assert_eq!(percent(&en, 99.5123), "99.512\u{a0}%");
        assert_eq!(percent(&fr, 99.5123), "99,512\u{a0}%");
        assert_eq!(percent(&en, 99.5), "99.5\u{a0}%");
        assert_eq!(percent(&en, 100.0), "100\u{a0}%");
        // A failed check never reads as 100 %.
        assert_eq!(percent(&en, 99.99996), "99.999\u{a0}%");
    }

    #[test]
    fn months_are_named_in_each_language() {
        assert_eq!(month_name(&words(Lang::En), "2026-11"), "November 2026");
        assert_eq!(month_name(&words(Lang::Fr), "2026-02"), "février 2026");
        assert_eq!(count(43_200), "43\u{a0}200");
        assert_eq!(count(7), "7");
    }
}
