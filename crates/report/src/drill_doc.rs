//! The report of one drill run (kind `drill`): what an auditor asks for
//! after a restore test. The run, its verdict, the RTO and RPO it
//! measured against the targets, each step with its time, outcome and
//! the digests of its outputs, each with its evidence record.

use rempart_core::assessment::DrillRun;
use rempart_core::evidence::measure::{self, Measure};
use rempart_core::evidence::{Evidence, EvidenceKind, Outcome};
use rempart_core::plan::Plan;
use rempart_i18n::t;
use rempart_store::{EvidenceQuery, TenantScope};
use serde_json::Value;

use crate::doc::{Block, Cell, Section, Tone};
use crate::{ReportError, Sources};

/// The run and its steps' records.
pub struct DrillData {
    pub run: Evidence,
    pub steps: Vec<Evidence>,
}

/// The drill run named `run` (default: the latest up to record `upto`).
pub async fn gather(
    tenant: &TenantScope,
    plan: &Plan,
    run: Option<&str>,
    upto: i64,
) -> Result<DrillData, ReportError> {
    let runs: Vec<Evidence> = tenant
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::Drill),
            ..EvidenceQuery::default()
        })
        .await?
        .into_iter()
        .filter(|e| e.seq <= upto)
        .filter(|e| {
            plan.scenarios
                .iter()
                .any(|s| s.id.as_str() == e.record.subject)
        })
        .collect();
    let name = |e: &Evidence| {
        e.record.measurements["run"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    let found = match run {
        Some(r) => runs.iter().rev().find(|e| name(e) == r).cloned(),
        None => runs.iter().max_by_key(|e| e.seq).cloned(),
    };
    let Some(found) = found else {
        return Err(ReportError::Usage(match run {
            Some(r) => {
                format!("no drill run \"{r}\" in the evidence: `rempart drill list` names the runs")
            }
            None => "no drill has run yet: run one with `rempart drill run SCENARIO`".into(),
        }));
    };
    let steps = tenant
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::DrillStep),
            subject: Some(name(&found)),
            ..EvidenceQuery::default()
        })
        .await?
        .into_iter()
        .filter(|e| e.seq <= upto)
        .collect();
    Ok(DrillData { run: found, steps })
}

/// `sha256` of an output, shortened for a table, or nothing.
fn digest(v: &Value) -> Option<String> {
    let sha = v.get("sha256")?.as_str()?;
    let bytes = v.get("bytes").and_then(Value::as_u64).unwrap_or(0);
    (bytes > 0).then(|| format!("{}… ({bytes} B)", &sha[..sha.len().min(16)]))
}

pub fn sections(s: &Sources) -> Vec<Section> {
    let w = &s.words;
    let lang = w.lang;
    let Some(data) = &s.drill else {
        return vec![crate::common::evidence_section(s)];
    };
    let e = &data.run;
    let d = DrillRun::from_evidence(&e.record).unwrap_or(DrillRun {
        run: String::new(),
        scenario: e.record.subject.clone(),
        started_ms: e.record.started_ms,
        finished_ms: e.record.finished_ms,
        passed: e.record.outcome == Outcome::Success,
        rto_ms: None,
        rpo_ms: None,
        restored: vec![],
        failure: None,
    });
    let m = measure::DrillRun::read(&e.record).unwrap_or_default();
    let scenario = s
        .plan
        .scenarios
        .iter()
        .find(|x| x.id.as_str() == d.scenario);
    let process = scenario.and_then(|sc| s.plan.processes.iter().find(|p| p.id == sc.process));
    let cite = w.cite(e.seq, e.record.finished_ms);

    let verdict = if d.passed {
        Block::Callout {
            tone: Tone::Good,
            text: t!(lang, "drill-doc-passed", cite = cite.clone()),
        }
    } else {
        Block::Callout {
            tone: Tone::Bad,
            text: t!(
                lang,
                "drill-doc-failed",
                cite = cite.clone(),
                why = e.record.told(lang)
            ),
        }
    };
    let mut run_facts = vec![
        (t!(lang, "drill-doc-run"), d.run.clone()),
        (
            t!(lang, "drill-doc-scenario"),
            scenario.map_or_else(|| d.scenario.clone(), |x| x.name.clone()),
        ),
    ];
    if let Some(p) = process {
        run_facts.push((t!(lang, "report-col-process"), p.name.clone()));
    }
    run_facts.push((t!(lang, "drill-doc-started"), w.time(e.record.started_ms)));
    run_facts.push((t!(lang, "drill-doc-finished"), w.time(e.record.finished_ms)));
    run_facts.push((t!(lang, "drill-doc-evidence"), cite.clone()));

    let figures = crate::common::objectives(
        w,
        (
            process.map(|p| crate::common::ms(p.rto)),
            process.map(|p| crate::common::ms(p.rpo)),
        ),
        (d.rto_ms, d.rpo_ms),
        Some((e.seq, e.record.finished_ms)),
    );

    // Each step, from its own record.
    let mut steps: Vec<&Evidence> = data.steps.iter().collect();
    steps.sort_by_key(|x| (x.record.measurements["index"].as_u64(), x.seq));
    let rows = steps
        .iter()
        .map(|x| {
            let sm = &x.record.measurements;
            let ok = x.record.outcome == Outcome::Success;
            let mut outputs = Vec::new();
            for stream in ["stdout", "stderr"] {
                if let Some(dg) = sm.get(stream).and_then(digest) {
                    outputs.push(format!("{stream} {dg}"));
                }
            }
            if let Some(snap) = sm.get("snapshot").and_then(Value::as_str) {
                let short: String = snap.chars().take(8).collect();
                outputs.push(t!(lang, "drill-doc-snapshot", snapshot = short));
            }
            // Steps are numbered from 1, as `rempart drill show` numbers them.
            let index = sm["index"].as_u64().unwrap_or(0);
            vec![
                Cell::plain(index.to_string()),
                Cell::plain(sm["name"].as_str().unwrap_or_default()),
                Cell::toned(
                    if ok {
                        t!(lang, "drill-doc-step-ok")
                    } else {
                        t!(lang, "drill-doc-step-failed")
                    },
                    if ok { Tone::Good } else { Tone::Bad },
                ),
                Cell::plain(w.duration(sm["duration_ms"].as_i64().unwrap_or(0))),
                Cell::plain(x.record.told(lang)),
                Cell::plain(if outputs.is_empty() {
                    format!("#{}", x.seq)
                } else {
                    format!("#{} · {}", x.seq, outputs.join(" · "))
                }),
            ]
        })
        .collect();
    let steps_table = Block::Table {
        columns: vec![
            "#".into(),
            t!(lang, "report-col-step"),
            t!(lang, "drill-doc-col-outcome"),
            t!(lang, "drill-doc-col-took"),
            t!(lang, "drill-doc-col-said"),
            t!(lang, "drill-doc-col-proof"),
        ],
        widths: vec![1, 4, 2, 2, 5, 5],
        rows,
    };
    let mut restored_blocks = Vec::new();
    if !m.restored.is_empty() {
        restored_blocks.push(Block::Table {
            columns: vec![
                t!(lang, "drill-doc-col-backup"),
                t!(lang, "report-col-site"),
                t!(lang, "drill-doc-col-snapshot"),
                t!(lang, "drill-doc-col-data-time"),
                t!(lang, "drill-doc-col-size"),
            ],
            widths: vec![3, 2, 2, 3, 3],
            rows: m
                .restored
                .iter()
                .map(|r| {
                    vec![
                        Cell::plain(&r.backup),
                        Cell::plain(&r.site),
                        Cell::plain(&r.snapshot[..r.snapshot.len().min(8)]),
                        r.data_time_ms.map_or_else(
                            || Cell::toned(w.unmeasured(), Tone::Muted),
                            |t| Cell::plain(w.time(t)),
                        ),
                        Cell::plain(t!(lang, "drill-doc-size", files = r.files, bytes = r.bytes)),
                    ]
                })
                .collect(),
        });
    }
    let mut out = vec![
        Section {
            title: t!(lang, "drill-doc-summary"),
            blocks: vec![verdict, Block::Facts { rows: run_facts }, figures],
            subsections: vec![],
        },
        Section {
            title: t!(lang, "drill-doc-steps"),
            blocks: vec![
                Block::Paragraph {
                    text: t!(lang, "drill-doc-steps-intro"),
                },
                steps_table,
            ],
            subsections: vec![],
        },
    ];
    if !restored_blocks.is_empty() {
        out.push(Section {
            title: t!(lang, "drill-doc-restored"),
            blocks: restored_blocks,
            subsections: vec![],
        });
    }
    out.push(crate::common::evidence_section(s));
    out
}
