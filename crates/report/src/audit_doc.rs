//! The compliance audit as a document: the summary, each rule's findings
//! with the evidence that decided them and what to do, the regulatory
//! texts mapped to the rules, and the risk register with its heat maps.

use rempart_core::audit::{Finding, RiskScore, Rule, Severity, Verdict, frameworks, score_level};
use rempart_i18n::t;

use crate::Sources;
use crate::doc::{Block, Cell, Section, Tone};
use crate::words::Words;

pub fn sections(s: &Sources) -> Vec<Section> {
    let mut out = vec![summary(s), findings(s), mapping(s)];
    if !s.plan.risks.is_empty() {
        out.push(risk_register(s));
    }
    out.push(crate::common::evidence_section(s));
    out
}

fn verdict_cell(w: &Words, f: &Finding) -> Cell {
    let mut text = f.verdict.text(w.lang);
    if f.regression {
        text = t!(w.lang, "audit-doc-regression", verdict = text);
    }
    let tone = match f.verdict {
        Verdict::Pass => Tone::Good,
        Verdict::Fail => Tone::Bad,
        Verdict::NotApplicable => Tone::Muted,
    };
    Cell::toned(text, tone)
}

fn summary(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let a = &s.audited.audit;
    let high = a.findings.iter().filter(|f| f.blocking()).count();
    let regressions: Vec<String> = a
        .findings
        .iter()
        .filter(|f| f.regression)
        .map(|f| subject_line(w, f))
        .collect();
    let mut blocks = vec![
        Block::Paragraph {
            text: t!(lang, "audit-doc-intro"),
        },
        Block::Facts {
            rows: vec![
                (
                    t!(lang, "audit-doc-pass"),
                    a.count(Verdict::Pass).to_string(),
                ),
                (
                    t!(lang, "audit-doc-fail"),
                    a.count(Verdict::Fail).to_string(),
                ),
                (t!(lang, "audit-doc-high"), high.to_string()),
                (
                    t!(lang, "audit-doc-na"),
                    a.count(Verdict::NotApplicable).to_string(),
                ),
            ],
        },
    ];
    blocks.push(if high > 0 {
        Block::Callout {
            tone: Tone::Bad,
            text: t!(lang, "audit-doc-blocking", high = high),
        }
    } else {
        Block::Callout {
            tone: Tone::Good,
            text: t!(lang, "audit-doc-clear"),
        }
    });
    if !regressions.is_empty() {
        blocks.push(Block::Paragraph {
            text: t!(lang, "audit-doc-regressions"),
        });
        blocks.push(Block::List { items: regressions });
    }
    Section {
        title: t!(lang, "audit-doc-summary"),
        blocks,
        subsections: vec![],
    }
}

fn subject_line(w: &Words, f: &Finding) -> String {
    if f.subject.is_empty() {
        f.rule.title(w.lang)
    } else {
        format!("{} — {}", f.rule.title(w.lang), f.subject)
    }
}

fn findings(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let mut subsections = Vec::new();
    for rule in Rule::ALL {
        let mine: Vec<&Finding> = s
            .audited
            .audit
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut blocks = vec![Block::Facts {
            rows: vec![
                (t!(lang, "audit-doc-clauses"), rule.clauses().join(" · ")),
                (
                    t!(lang, "audit-doc-severity"),
                    mine.iter()
                        .map(|f| f.severity)
                        .max()
                        .map(|x| x.text(lang))
                        .unwrap_or_default(),
                ),
            ],
        }];
        let rows = mine
            .iter()
            .map(|f| {
                let cited: Vec<String> = f.evidence.iter().map(|c| w.cited(c)).collect();
                vec![
                    Cell::plain(if f.subject.is_empty() {
                        s.tenant.clone()
                    } else {
                        f.subject.clone()
                    }),
                    verdict_cell(w, f),
                    Cell::plain(f.detail.text(lang)),
                    if cited.is_empty() {
                        Cell::toned(t!(lang, "audit-doc-plan-decides"), Tone::Muted)
                    } else {
                        Cell::plain(cited.join("; "))
                    },
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                t!(lang, "audit-col-subject"),
                t!(lang, "audit-col-verdict"),
                t!(lang, "audit-col-detail"),
                t!(lang, "audit-col-evidence"),
            ],
            widths: vec![3, 2, 5, 4],
            rows,
        });
        if mine.iter().any(|f| f.verdict == Verdict::Fail) {
            blocks.push(Block::Callout {
                tone: Tone::Warn,
                text: t!(lang, "audit-doc-fix", fix = rule.remediation(lang)),
            });
        }
        subsections.push(Section {
            title: rule.title(lang),
            blocks,
            subsections: vec![],
        });
    }
    Section {
        title: t!(lang, "audit-doc-findings"),
        blocks: vec![],
        subsections,
    }
}

fn mapping(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let mut subsections = Vec::new();
    for (title, rules) in frameworks(lang) {
        let rows = rules
            .iter()
            .map(|rule| {
                let mine: Vec<&Finding> = s
                    .audited
                    .audit
                    .findings
                    .iter()
                    .filter(|f| f.rule == *rule)
                    .collect();
                let failing = mine.iter().filter(|f| f.verdict == Verdict::Fail).count();
                let passing = mine.iter().filter(|f| f.verdict == Verdict::Pass).count();
                let cell = if failing > 0 {
                    Cell::toned(t!(lang, "audit-doc-failing", count = failing), Tone::Bad)
                } else if passing > 0 {
                    Cell::toned(t!(lang, "audit-doc-holds"), Tone::Good)
                } else {
                    Cell::toned(t!(lang, "audit-verdict-na"), Tone::Muted)
                };
                vec![
                    Cell::plain(rule.title(lang)),
                    Cell::plain(rule.clauses().join(" · ")),
                    cell,
                ]
            })
            .collect();
        subsections.push(Section {
            title,
            blocks: vec![Block::Table {
                columns: vec![
                    t!(lang, "audit-col-rule"),
                    t!(lang, "audit-doc-clauses"),
                    t!(lang, "audit-col-verdict"),
                ],
                widths: vec![4, 4, 2],
                rows,
            }],
            subsections: vec![],
        });
    }
    Section {
        title: t!(lang, "audit-doc-mapping"),
        blocks: vec![Block::Paragraph {
            text: t!(lang, "audit-doc-mapping-intro"),
        }],
        subsections,
    }
}

fn score_tone(score: u8) -> Tone {
    match score_level(score) {
        Severity::Low => Tone::Good,
        Severity::Medium => Tone::Warn,
        Severity::High => Tone::Bad,
    }
}

/// The risk register: the heat maps (declared, residual) and the table.
pub fn risk_register(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let risks: &[RiskScore] = &s.audited.audit.risks;
    let label = |i: usize| format!("R{}", i + 1);
    let declared: Vec<(String, u8, u8)> = risks
        .iter()
        .enumerate()
        .map(|(i, r)| (label(i), r.probability, r.impact))
        .collect();
    let residual: Vec<(String, u8, u8)> = risks
        .iter()
        .enumerate()
        .map(|(i, r)| (label(i), r.residual_probability, r.impact))
        .collect();
    let p = t!(lang, "audit-doc-probability");
    let i = t!(lang, "audit-doc-impact");
    let rows = risks
        .iter()
        .enumerate()
        .map(|(n, r)| {
            vec![
                Cell::plain(label(n)),
                Cell::plain(&r.title),
                Cell::toned(r.declared_text(), score_tone(r.inherent)),
                Cell::toned(r.residual_text(), score_tone(r.residual)),
                if r.mitigations.is_empty() {
                    Cell::toned(t!(lang, "report-none"), Tone::Muted)
                } else {
                    Cell::plain(r.mitigations_text(lang))
                },
            ]
        })
        .collect();
    Section {
        title: t!(lang, "audit-doc-risks"),
        blocks: vec![
            Block::Paragraph {
                text: t!(lang, "audit-doc-risks-intro"),
            },
            Block::Figure {
                svg: crate::charts::heat_map(&declared, &p, &i),
                caption: t!(lang, "audit-doc-heat-declared"),
                width_percent: 55,
            },
            Block::Figure {
                svg: crate::charts::heat_map(&residual, &p, &i),
                caption: t!(lang, "audit-doc-heat-residual", at = w.time(s.as_of_ms)),
                width_percent: 55,
            },
            Block::Table {
                columns: vec![
                    "#".into(),
                    t!(lang, "audit-col-risk"),
                    t!(lang, "audit-col-inherent"),
                    t!(lang, "audit-col-residual"),
                    t!(lang, "audit-col-mitigations"),
                ],
                widths: vec![1, 5, 2, 2, 6],
                rows,
            },
        ],
        subsections: vec![],
    }
}
