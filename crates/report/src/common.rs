//! What every document says the same way: plan words in the reader's
//! language, and the closing section on the evidence it was made from.

use rempart_core::plan::{Criticality, Duration, Schedule, SiteKind, StepAction};
use rempart_i18n::t;

use crate::Sources;
use crate::doc::{Block, Section};
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
