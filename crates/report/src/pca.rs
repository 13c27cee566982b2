//! The business-continuity plan (PCA): the BIA with each process's impact
//! over time, the dependency graph of processes and assets, redundancy
//! and failover measures as measured, 3-2-1-1-0 per backup, and the risk
//! register with its heat maps.

use std::collections::{BTreeMap, BTreeSet};

use rempart_core::assessment::DrillRun;
use rempart_core::audit::{Rule, Verdict};
use rempart_core::evidence::EvidenceKind;
use rempart_core::evidence::measure::{self, Measure};
use rempart_core::plan::{Plan, StepAction};
use rempart_i18n::t;

use crate::Sources;
use crate::common::ms;
use crate::doc::{Block, Cell, Section, Tone};

pub fn sections(s: &Sources) -> Vec<Section> {
    let mut out = vec![bia(s), dependencies(s), redundancy(s), rule_32110(s)];
    if !s.plan.risks.is_empty() {
        out.push(crate::audit_doc::risk_register(s));
    }
    out.push(crate::common::evidence_section(s));
    out
}

fn bia(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let rows = plan
        .processes
        .iter()
        .map(|p| {
            let owner = p
                .owner
                .as_ref()
                .and_then(|o| plan.contacts.iter().find(|c| c.id == *o))
                .map(|c| c.name.clone())
                .unwrap_or_default();
            vec![
                Cell::plain(&p.name),
                Cell::plain(crate::common::criticality(w, p.criticality)),
                Cell::plain(owner),
                Cell::plain(w.duration(ms(p.rto))),
                Cell::plain(w.duration(ms(p.rpo))),
                p.mtpd.map_or_else(
                    || Cell::toned(t!(lang, "report-none"), Tone::Muted),
                    |m| Cell::plain(w.duration(ms(m))),
                ),
                Cell::plain(p.mbco.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let mut subsections = Vec::new();
    for p in &plan.processes {
        let mut blocks = Vec::new();
        if let Some(d) = &p.description {
            blocks.push(Block::Paragraph { text: d.clone() });
        }
        let a = s
            .audited
            .assessment
            .processes
            .iter()
            .find(|x| x.id == p.id.as_str());
        blocks.push(Block::Facts {
            rows: vec![
                (
                    t!(lang, "pca-achieved-rto"),
                    match a.and_then(|a| a.last_passing_drill.as_ref().zip(a.achieved_rto_ms)) {
                        Some((d, rto)) => format!("{} ({})", w.duration(rto), cite_drill(s, d)),
                        None => w.unmeasured(),
                    },
                ),
                (
                    t!(lang, "pca-rpo-exposure"),
                    match a.and_then(|a| a.rpo_exposure_ms.zip(a.restore_point_backup.clone())) {
                        Some((exposure, backup)) => t!(
                            lang,
                            "pca-exposure",
                            exposure = w.duration(exposure),
                            backup = backup,
                            at = w.time(s.as_of_ms)
                        ),
                        None => w.unmeasured(),
                    },
                ),
            ],
        });
        if !p.impacts.is_empty() {
            let mut steps: Vec<(String, u8)> = p
                .impacts
                .iter()
                .map(|i| (w.duration(ms(i.after)), i.severity))
                .collect();
            let afters: Vec<i64> = p.impacts.iter().map(|i| ms(i.after)).collect();
            let before = |limit: i64| afters.iter().filter(|a| **a < limit).count();
            let mut marks = vec![(before(ms(p.rto)), t!(lang, "pca-mark-rto"))];
            if let Some(m) = p.mtpd {
                marks.push((before(ms(m)), t!(lang, "pca-mark-mtpd")));
            }
            steps.truncate(12);
            blocks.push(Block::Figure {
                svg: crate::charts::impact_chart(&steps, &marks),
                caption: t!(lang, "pca-impact-caption", process = p.name.as_str()),
                // About 11 % of the text width a column, as the bars read best.
                width_percent: (steps.len() as u32 * 11 + 8).clamp(30, 80),
            });
            blocks.push(Block::Table {
                columns: vec![
                    t!(lang, "pca-col-after"),
                    t!(lang, "pca-col-severity"),
                    t!(lang, "pca-col-impact"),
                ],
                widths: vec![2, 1, 7],
                rows: p
                    .impacts
                    .iter()
                    .map(|i| {
                        vec![
                            Cell::plain(w.duration(ms(i.after))),
                            Cell::toned(
                                format!("{}/5", i.severity),
                                match i.severity {
                                    0..=2 => Tone::Good,
                                    3 => Tone::Warn,
                                    _ => Tone::Bad,
                                },
                            ),
                            Cell::plain(&i.description),
                        ]
                    })
                    .collect(),
            });
        }
        subsections.push(Section {
            title: p.name.clone(),
            blocks,
            subsections: vec![],
        });
    }
    Section {
        title: t!(lang, "pca-bia"),
        blocks: vec![
            Block::Paragraph {
                text: t!(lang, "pca-bia-intro"),
            },
            Block::Table {
                columns: vec![
                    t!(lang, "report-col-process"),
                    t!(lang, "report-col-criticality"),
                    t!(lang, "report-owner"),
                    t!(lang, "report-col-rto-target"),
                    t!(lang, "report-col-rpo-target"),
                    t!(lang, "pca-col-mtpd"),
                    t!(lang, "pca-col-mbco"),
                ],
                widths: vec![4, 2, 3, 2, 2, 2, 5],
                rows,
            },
        ],
        subsections,
    }
}

fn cite_drill(s: &Sources, d: &DrillRun) -> String {
    s.audited
        .records
        .iter()
        .find(|e| {
            e.record.kind == EvidenceKind::Drill
                && e.record.finished_ms == d.finished_ms
                && e.record.subject == d.scenario
        })
        .map(|e| s.words.cite(e.seq, e.record.finished_ms))
        .unwrap_or_default()
}

/// Each node's layer: processes first, then what they need, in order of
/// distance (the longest path, so that a node sits right of all that
/// needs it).
fn layers(plan: &Plan) -> (Vec<crate::charts::Node>, Vec<(String, String)>) {
    let mut edges: Vec<(String, String)> = Vec::new();
    let mut names: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for p in &plan.processes {
        names.insert(p.id.to_string(), (p.name.clone(), true));
        for d in &p.depends_on {
            edges.push((p.id.to_string(), d.to_string()));
        }
    }
    for a in &plan.assets {
        names.insert(a.id.to_string(), (a.name.clone(), false));
        for d in &a.depends_on {
            edges.push((a.id.to_string(), d.to_string()));
        }
    }
    let mut layer: BTreeMap<String, usize> = names.keys().map(|k| (k.clone(), 0)).collect();
    // Longest-path layering; a cycle (refused by the plan check) stops
    // after as many rounds as nodes.
    for _ in 0..names.len() {
        let mut changed = false;
        for (from, to) in &edges {
            let next = layer.get(from).copied().unwrap_or(0) + 1;
            if let Some(l) = layer.get_mut(to)
                && *l < next
            {
                *l = next;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Processes needed by nothing stay in the first column; assets
    // nothing needs are left out (they are in the inventory, not at risk here).
    let needed: BTreeSet<&str> = edges.iter().map(|(_, to)| to.as_str()).collect();
    let mut nodes: Vec<crate::charts::Node> = names
        .iter()
        .filter(|(id, (_, process))| *process || needed.contains(id.as_str()))
        .map(|(id, (name, process))| (id.clone(), name.clone(), layer[id], *process))
        .collect();
    nodes.sort_by_key(|n| (n.2, !n.3, n.1.clone()));
    (nodes, edges)
}

fn dependencies(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let (nodes, edges) = layers(&s.plan);
    let mut blocks = vec![Block::Paragraph {
        text: t!(lang, "pca-dependencies-intro"),
    }];
    if nodes.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Muted,
            text: t!(lang, "pca-no-dependencies"),
        });
    } else {
        let columns = nodes.iter().map(|n| n.2).max().unwrap_or(0) + 1;
        blocks.push(Block::Figure {
            svg: crate::charts::dependency_graph(&nodes, &edges),
            caption: t!(lang, "pca-dependencies-caption"),
            width_percent: (columns as u32 * 30).clamp(40, 100),
        });
    }
    Section {
        title: t!(lang, "pca-dependencies"),
        blocks,
        subsections: vec![],
    }
}

fn redundancy(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let rows = plan
        .processes
        .iter()
        .map(|p| {
            let deps = rempart_core::assessment::dependencies(plan, p);
            let backups: Vec<String> = plan
                .backups
                .iter()
                .filter(|b| b.protects.iter().any(|a| deps.contains(a.as_str())))
                .map(|b| {
                    let sites: BTreeSet<&str> = b
                        .targets
                        .iter()
                        .filter_map(|t| plan.repositories.iter().find(|r| r.id == *t))
                        .map(|r| r.site.as_str())
                        .collect();
                    format!(
                        "{} ({})",
                        b.id,
                        sites.into_iter().collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            let monitors: Vec<String> = plan
                .monitors
                .iter()
                .filter(|m| m.asset.as_ref().is_some_and(|a| deps.contains(a.as_str())))
                .map(|m| m.id.to_string())
                .collect();
            // Failover: scenarios that simulate an incident and wait for
            // the service to come back; their last measured recovery.
            let failovers: Vec<String> = plan
                .scenarios
                .iter()
                .filter(|sc| sc.process == p.id)
                .filter(|sc| {
                    sc.steps
                        .iter()
                        .any(|st| matches!(st.action, StepAction::Simulate(_)))
                })
                .map(|sc| {
                    let last = s
                        .audited
                        .records
                        .iter()
                        .filter(|e| {
                            e.record.kind == EvidenceKind::Drill
                                && e.record.subject == sc.id.as_str()
                        })
                        .max_by_key(|e| (e.record.finished_ms, e.seq));
                    let measured = last.and_then(|e| {
                        let m = measure::DrillRun::read(&e.record)?;
                        let f = m.failover.first()?;
                        let recover = f.recover_ms?;
                        Some(t!(
                            lang,
                            "pca-failover-measured",
                            recover = w.duration(recover),
                            cite = w.cite(e.seq, e.record.finished_ms)
                        ))
                    });
                    format!(
                        "{}: {}",
                        sc.name,
                        measured.unwrap_or_else(|| w.unmeasured())
                    )
                })
                .collect();
            let none = || Cell::toned(t!(lang, "report-none"), Tone::Warn);
            let list = |v: Vec<String>| {
                if v.is_empty() {
                    none()
                } else {
                    Cell::plain(v.join("; "))
                }
            };
            vec![
                Cell::plain(&p.name),
                list(backups),
                list(failovers),
                list(monitors),
            ]
        })
        .collect();
    Section {
        title: t!(lang, "pca-redundancy"),
        blocks: vec![
            Block::Paragraph {
                text: t!(lang, "pca-redundancy-intro"),
            },
            Block::Table {
                columns: vec![
                    t!(lang, "report-col-process"),
                    t!(lang, "pca-col-backups"),
                    t!(lang, "pca-col-failover"),
                    t!(lang, "pca-col-monitors"),
                ],
                widths: vec![3, 4, 5, 3],
                rows,
            },
        ],
        subsections: vec![],
    }
}

fn rule_32110(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let flag = |b: bool| Cell::toned(w.yes_no(b), if b { Tone::Good } else { Tone::Bad });
    let rows = s
        .audited
        .assessment
        .backups
        .iter()
        .map(|r| {
            let finding = s
                .audited
                .audit
                .findings
                .iter()
                .find(|f| f.rule == Rule::Backup32110 && f.subject == r.backup);
            let cited: Vec<String> = finding
                .map(|f| f.evidence.iter().map(|c| format!("#{}", c.seq)).collect())
                .unwrap_or_default();
            vec![
                Cell::plain(&r.backup),
                Cell::toned(
                    r.copies.to_string(),
                    if r.copies >= 3 { Tone::Good } else { Tone::Bad },
                ),
                Cell::toned(
                    r.sites.to_string(),
                    if r.sites >= 2 { Tone::Good } else { Tone::Bad },
                ),
                flag(r.offsite),
                flag(r.immutable),
                Cell::toned(
                    r.errors.len().to_string(),
                    if r.errors.is_empty() {
                        Tone::Good
                    } else {
                        Tone::Bad
                    },
                ),
                match finding.map(|f| f.verdict) {
                    Some(Verdict::Pass) => Cell::toned(t!(lang, "audit-verdict-pass"), Tone::Good),
                    _ => Cell::toned(t!(lang, "audit-verdict-fail"), Tone::Bad),
                },
                if cited.is_empty() {
                    Cell::toned(w.unmeasured(), Tone::Muted)
                } else {
                    Cell::plain(cited.join(" "))
                },
            ]
        })
        .collect();
    Section {
        title: t!(lang, "pca-32110"),
        blocks: vec![
            Block::Paragraph {
                text: t!(lang, "pca-32110-intro"),
            },
            Block::Table {
                columns: vec![
                    t!(lang, "drill-doc-col-backup"),
                    t!(lang, "pca-col-copies"),
                    t!(lang, "pca-col-sites"),
                    t!(lang, "pca-col-offsite"),
                    t!(lang, "pca-col-immutable"),
                    t!(lang, "pca-col-errors"),
                    t!(lang, "audit-col-verdict"),
                    t!(lang, "audit-col-evidence"),
                ],
                widths: vec![4, 1, 1, 1, 2, 1, 2, 3],
                rows,
            },
        ],
        subsections: vec![],
    }
}
