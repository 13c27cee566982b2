//! What every document says the same way: plan words in the reader's
//! language, and the closing section on the evidence it was made from.

use rempart_core::plan::{Criticality, Duration, Schedule, SiteKind, StepAction};
use rempart_i18n::t;

use crate::Sources;
use crate::doc::{Block, Cell, Section, Tone};
use crate::words::Words;

pub fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

pub fn site_kind(w: &Words, kind: SiteKind) -> String {
    match kind {
        SiteKind::Primary => t!(w.lang, "report-site-primary"),
        SiteKind::Secondary => t!(w.lang, "report-site-secondary"),
        SiteKind::Cloud => t!(w.lang, "report-site-cloud"),
    }
}

pub fn criticality(w: &Words, c: Criticality) -> String {
    match c {
        Criticality::Vital => t!(w.lang, "report-criticality-vital"),
        Criticality::Essential => t!(w.lang, "report-criticality-essential"),
        Criticality::Secondary => t!(w.lang, "report-criticality-secondary"),
    }
}

/// "every 7d" / "toutes les 7d", or the cron pattern.
pub fn schedule(w: &Words, s: &Schedule) -> String {
    match s {
        Schedule::Every(d) => t!(w.lang, "report-every", every = w.duration(ms(*d))),
        Schedule::Cron(p) => t!(w.lang, "report-cron", pattern = p.as_str()),
    }
}

pub fn step_kind(w: &Words, a: &StepAction) -> String {
    match a {
        StepAction::Restore(_) => t!(w.lang, "report-step-restore"),
        StepAction::Command(_) => t!(w.lang, "report-step-command"),
        StepAction::Http(_) => t!(w.lang, "report-step-http"),
        StepAction::Sql(_) => t!(w.lang, "report-step-sql"),
        StepAction::WaitFor(_) => t!(w.lang, "report-step-wait"),
        StepAction::Manual(_) => t!(w.lang, "report-step-manual"),
        StepAction::Notify(_) => t!(w.lang, "report-step-notify"),
        StepAction::Simulate(_) => t!(w.lang, "report-step-simulate"),
    }
}

/// The last section of every document: the evidence it stands on, and
/// how to check it.
pub fn evidence_section(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let mut rows = vec![(t!(lang, "report-tenant"), s.tenant.clone())];
    match &s.head {
        Some(h) => {
            rows.push((t!(lang, "report-head-seq"), format!("#{}", h.seq)));
            rows.push((t!(lang, "report-head-hash"), h.hash.clone()));
            rows.push((t!(lang, "report-as-of"), w.time(h.recorded_ms)));
        }
        None => rows.push((t!(lang, "report-head-seq"), t!(lang, "report-no-evidence"))),
    }
    if let Some(f) = s
        .audited
        .audit
        .findings
        .iter()
        .find(|f| f.rule == rempart_core::audit::Rule::EvidenceChainIntact)
    {
        let cited: Vec<String> = f.evidence.iter().map(|c| w.cited(c)).collect();
        let mut said = f.detail.text(lang);
        if !cited.is_empty() {
            said = format!("{said} ({})", cited.join("; "));
        }
        rows.push((t!(lang, "report-chain"), said));
    }
    Section {
        title: t!(lang, "report-evidence"),
        blocks: vec![
            Block::Paragraph {
                text: t!(lang, "report-evidence-intro"),
            },
            Block::Facts { rows },
            Block::Code {
                lines: vec![
                    format!("rempart evidence verify --tenant {}", s.tenant),
                    format!(
                        "rempart evidence list --tenant {} --kind report --json",
                        s.tenant
                    ),
                ],
            },
        ],
        subsections: vec![],
    }
}

/// A process's RTO and RPO targets against what a drill measured, the
/// drill cited (`drill`: its record's number and time); a figure past its
/// target reads red, one without a drill "not measured yet".
pub fn objectives(
    w: &Words,
    targets: (Option<i64>, Option<i64>),
    measured: (Option<i64>, Option<i64>),
    drill: Option<(i64, i64)>,
) -> Block {
    let lang = w.lang;
    let target = |ms: Option<i64>| ms.map(|m| w.duration(m)).unwrap_or_default();
    let figure = |value: Option<i64>, goal: Option<i64>| match (value, drill) {
        (Some(v), Some((seq, at))) => Cell::toned(
            format!("{} ({})", w.duration(v), w.cite(seq, at)),
            if goal.is_some_and(|g| v > g) {
                Tone::Bad
            } else {
                Tone::Good
            },
        ),
        _ => Cell::toned(w.unmeasured(), Tone::Muted),
    };
    Block::Table {
        columns: vec![
            t!(lang, "report-col-objective"),
            t!(lang, "report-col-target"),
            t!(lang, "report-col-measured"),
        ],
        widths: vec![2, 2, 6],
        rows: vec![
            vec![
                Cell::plain(t!(lang, "report-rto")),
                Cell::plain(target(targets.0)),
                figure(measured.0, targets.0),
            ],
            vec![
                Cell::plain(t!(lang, "report-rpo")),
                Cell::plain(target(targets.1)),
                figure(measured.1, targets.1),
            ],
        ],
    }
}
