//! The disaster-recovery plan (PRA): scope and sites, the crisis cell and
//! its call tree, each scenario's runbook with its timings at the latest
//! drill and the RTO/RPO measured against the targets, and how to restore
//! every backup with `restic` alone, on the day Rempart itself is gone.

use rempart_core::assessment::{DrillRun, Status};
use rempart_core::evidence::measure::{self, Measure};
use rempart_core::evidence::{Evidence, EvidenceKind};
use rempart_core::plan::{Location, Plan, SecretRef, Source, StepAction};
use rempart_i18n::t;

use crate::Sources;
use crate::doc::{Block, Cell, Section, Tone};
use crate::words::Words;

pub fn sections(s: &Sources) -> Vec<Section> {
    vec![
        scope(s),
        crisis_cell(s),
        scenarios(s),
        without_rempart(s),
        crate::common::evidence_section(s),
    ]
}

fn status_cell(w: &Words, status: Status) -> Cell {
    let tone = match status {
        Status::Compliant => Tone::Good,
        Status::AtRisk | Status::Untested => Tone::Warn,
        Status::Breached => Tone::Bad,
    };
    Cell::toned(status.text(w.lang.into()), tone)
}

fn scope(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let mut blocks = vec![Block::Paragraph {
        text: t!(
            lang,
            "pra-scope-intro",
            organization = plan.organization.name.as_str(),
            processes = plan.processes.len(),
            backups = plan.backups.len(),
            scenarios = plan.scenarios.len()
        ),
    }];
    if let Some(msp) = &plan.organization.msp {
        blocks.push(Block::Facts {
            rows: vec![(t!(lang, "report-msp"), msp.clone())],
        });
    }
    blocks.push(Block::Table {
        columns: vec![
            t!(lang, "report-col-site"),
            t!(lang, "report-col-kind"),
            t!(lang, "report-col-name"),
            t!(lang, "report-col-address"),
        ],
        widths: vec![2, 2, 3, 4],
        rows: plan
            .sites
            .iter()
            .map(|site| {
                vec![
                    Cell::plain(site.id.as_str()),
                    Cell::plain(crate::common::site_kind(w, site.kind)),
                    Cell::plain(site.name.clone().unwrap_or_default()),
                    Cell::plain(site.address.clone().unwrap_or_default()),
                ]
            })
            .collect(),
    });
    let rows = s
        .audited
        .assessment
        .processes
        .iter()
        .map(|p| {
            vec![
                Cell::plain(&p.name),
                Cell::plain(crate::common::criticality(w, p.criticality)),
                Cell::plain(w.duration(p.rto_target_ms)),
                Cell::plain(w.duration(p.rpo_target_ms)),
                status_cell(w, p.status),
            ]
        })
        .collect();
    blocks.push(Block::Table {
        columns: vec![
            t!(lang, "report-col-process"),
            t!(lang, "report-col-criticality"),
            t!(lang, "report-col-rto-target"),
            t!(lang, "report-col-rpo-target"),
            t!(lang, "report-col-status"),
        ],
        widths: vec![4, 2, 2, 2, 2],
        rows,
    });
    Section {
        title: t!(lang, "pra-scope"),
        blocks,
        subsections: vec![],
    }
}

/// A contact's name, or the id when the plan has no such contact.
pub(crate) fn who(plan: &Plan, id: &str) -> String {
    plan.contacts
        .iter()
        .find(|c| c.id.as_str() == id)
        .map(|c| c.name.clone())
        .or_else(|| {
            plan.teams
                .iter()
                .find(|t| t.id.as_str() == id)
                .map(|t| t.name.clone())
        })
        .unwrap_or_else(|| id.to_owned())
}

fn crisis_cell(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let mut blocks = vec![Block::Paragraph {
        text: t!(lang, "pra-cell-intro"),
    }];
    blocks.push(Block::Table {
        columns: vec![
            t!(lang, "report-col-name"),
            t!(lang, "report-col-role"),
            t!(lang, "report-col-phone"),
            t!(lang, "report-col-email"),
            t!(lang, "report-col-alternates"),
        ],
        widths: vec![3, 3, 3, 4, 3],
        rows: plan
            .contacts
            .iter()
            .map(|c| {
                let alternates: Vec<String> =
                    c.alternates.iter().map(|a| who(plan, a.as_str())).collect();
                vec![
                    Cell::plain(&c.name),
                    Cell::plain(c.role.clone().unwrap_or_default()),
                    Cell::plain(c.phone.clone().unwrap_or_default()),
                    Cell::plain(c.email.clone().unwrap_or_default()),
                    if alternates.is_empty() && c.role.is_some() {
                        Cell::toned(t!(lang, "pra-no-alternate"), Tone::Warn)
                    } else {
                        Cell::plain(alternates.join(", "))
                    },
                ]
            })
            .collect(),
    });
    let mut subsections = Vec::new();
    if !plan.teams.is_empty() {
        let mut items = Vec::new();
        for team in &plan.teams {
            let order: Vec<String> = team
                .members
                .iter()
                .enumerate()
                .map(|(i, m)| format!("{}. {}", i + 1, who(plan, m.as_str())))
                .collect();
            let lead = team
                .lead
                .as_ref()
                .map(|l| t!(lang, "pra-team-lead", lead = who(plan, l.as_str())))
                .unwrap_or_default();
            items.push(format!("{}{lead} — {}", team.name, order.join(" → ")));
        }
        subsections.push(Section {
            title: t!(lang, "pra-call-tree"),
            blocks: vec![
                Block::Paragraph {
                    text: t!(lang, "pra-call-tree-intro"),
                },
                Block::List { items },
            ],
            subsections: vec![],
        });
    }
    if !plan.escalations.is_empty() {
        let rows = plan
            .escalations
            .iter()
            .flat_map(|e| {
                e.steps.iter().map(move |step| {
                    let names: Vec<String> =
                        step.notify.iter().map(|n| who(plan, n.as_str())).collect();
                    vec![
                        Cell::plain(e.id.as_str()),
                        Cell::plain(w.duration(crate::common::ms(step.after))),
                        Cell::plain(names.join(", ")),
                    ]
                })
            })
            .collect();
        subsections.push(Section {
            title: t!(lang, "pra-escalation"),
            blocks: vec![Block::Table {
                columns: vec![
                    t!(lang, "report-col-policy"),
                    t!(lang, "report-col-after"),
                    t!(lang, "report-col-notify"),
                ],
                widths: vec![2, 1, 5],
                rows,
            }],
            subsections: vec![],
        });
    }
    Section {
        title: t!(lang, "pra-cell"),
        blocks,
        subsections,
    }
}

/// The latest `drill` record of `scenario`, and what it measured.
fn latest_drill<'a>(s: &'a Sources, scenario: &str) -> Option<(&'a Evidence, DrillRun)> {
    s.audited
        .records
        .iter()
        .filter(|e| e.record.kind == EvidenceKind::Drill && e.record.subject == scenario)
        .max_by_key(|e| (e.record.finished_ms, e.seq))
        .and_then(|e| DrillRun::from_evidence(&e.record).map(|d| (e, d)))
}

fn latest_passing<'a>(s: &'a Sources, scenario: &str) -> Option<(&'a Evidence, DrillRun)> {
    s.audited
        .records
        .iter()
        .filter(|e| e.record.kind == EvidenceKind::Drill && e.record.subject == scenario)
        .filter_map(|e| DrillRun::from_evidence(&e.record).map(|d| (e, d)))
        .filter(|(_, d)| d.passed)
        .max_by_key(|(e, _)| (e.record.finished_ms, e.seq))
}

fn scenarios(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let mut subsections = Vec::new();
    for sc in &plan.scenarios {
        let process = plan.processes.iter().find(|p| p.id == sc.process);
        let owner = process
            .and_then(|p| p.owner.as_ref())
            .map(|o| who(plan, o.as_str()));
        let mut facts = vec![(
            t!(lang, "report-col-process"),
            process.map_or_else(|| sc.process.to_string(), |p| p.name.clone()),
        )];
        if let Some(owner) = &owner {
            facts.push((t!(lang, "report-owner"), owner.clone()));
        }
        facts.push((
            t!(lang, "report-drill-schedule"),
            sc.drill.as_ref().map_or_else(
                || t!(lang, "report-none"),
                |d| crate::common::schedule(w, d),
            ),
        ));
        let mut blocks = vec![Block::Facts { rows: facts }];
        if let Some(d) = &sc.description {
            blocks.push(Block::Paragraph { text: d.clone() });
        }
        let latest = latest_drill(s, sc.id.as_str());
        let timings: Vec<serde_json::Value> = latest
            .as_ref()
            .and_then(|(e, _)| measure::DrillRun::read(&e.record))
            .map(|m| m.steps)
            .unwrap_or_default();
        let rows = sc
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let doer = match &step.action {
                    StepAction::Manual(m) => m.who.as_ref().map(|x| who(plan, x.as_str())),
                    _ => None,
                }
                .or_else(|| owner.clone())
                .unwrap_or_default();
                let timing = timings
                    .iter()
                    // Drill records number steps from 1.
                    .find(|t| {
                        t.get("index").and_then(serde_json::Value::as_u64) == Some(i as u64 + 1)
                    });
                let took = match (timing, &latest) {
                    (Some(t), Some((e, _))) => {
                        let ms = t.get("duration_ms").and_then(serde_json::Value::as_i64);
                        let ok =
                            t.get("outcome").and_then(serde_json::Value::as_str) == Some("success");
                        match ms {
                            Some(ms) => Cell::toned(
                                format!("{} (#{})", w.duration(ms), e.seq),
                                if ok { Tone::Plain } else { Tone::Bad },
                            ),
                            None => Cell::toned(w.unmeasured(), Tone::Muted),
                        }
                    }
                    _ => Cell::toned(w.unmeasured(), Tone::Muted),
                };
                let mut name = step.name.clone();
                if step.cleanup {
                    name = t!(lang, "pra-cleanup-step", name = name);
                }
                vec![
                    Cell::plain((i + 1).to_string()),
                    Cell::plain(name),
                    Cell::plain(crate::common::step_kind(w, &step.action)),
                    Cell::plain(doer),
                    took,
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                "#".into(),
                t!(lang, "report-col-step"),
                t!(lang, "report-col-kind"),
                t!(lang, "report-col-who"),
                t!(lang, "report-col-took"),
            ],
            widths: vec![1, 7, 2, 3, 3],
            rows,
        });
        // The RTO and RPO the latest passing drill achieved.
        let passing = latest_passing(s, sc.id.as_str());
        blocks.push(crate::common::objectives(
            w,
            (
                process.map(|p| crate::common::ms(p.rto)),
                process.map(|p| crate::common::ms(p.rpo)),
            ),
            (
                passing.as_ref().and_then(|(_, d)| d.rto_ms),
                passing.as_ref().and_then(|(_, d)| d.rpo_ms),
            ),
            passing.as_ref().map(|(e, _)| (e.seq, e.record.finished_ms)),
        ));
        if let Some((e, d)) = &latest
            && !d.passed
        {
            blocks.push(Block::Callout {
                tone: Tone::Bad,
                text: t!(
                    lang,
                    "pra-last-drill-failed",
                    cite = w.cite(e.seq, e.record.finished_ms),
                    why = d.failure.clone().unwrap_or_default()
                ),
            });
        }
        subsections.push(Section {
            title: sc.name.clone(),
            blocks,
            subsections: vec![],
        });
    }
    Section {
        title: t!(lang, "pra-scenarios"),
        blocks: vec![Block::Paragraph {
            text: t!(lang, "pra-scenarios-intro"),
        }],
        subsections,
    }
}

/// Where a secret is kept, never its value.
pub(crate) fn kept_where(s: &Sources, secret: &SecretRef) -> String {
    let w = &s.words;
    match secret {
        SecretRef::Env { env } => t!(w.lang, "pra-secret-env", name = env.as_str()),
        SecretRef::File { file } => t!(w.lang, "pra-secret-file", path = s.path(file)),
        SecretRef::Secret { secret } => {
            t!(w.lang, "pra-secret-store", name = secret.as_str())
        }
    }
}

/// The shell line that hands `secret` to restic as `var`.
fn export(s: &Sources, var: &str, file_var: Option<&str>, secret: &SecretRef) -> String {
    let w = &s.words;
    match (secret, file_var) {
        (SecretRef::File { file }, Some(fv)) => {
            format!("export {fv}={}", shell_quote(&s.path(file)))
        }
        (SecretRef::File { file }, None) => {
            format!("export {var}=\"$(cat {})\"", shell_quote(&s.path(file)))
        }
        (SecretRef::Env { env }, _) => format!("export {var}=\"${env}\""),
        (SecretRef::Secret { .. }, _) => {
            format!("export {var}='…'   # {}", t!(w.lang, "pra-from-vault"))
        }
    }
}

/// `text` as one shell word.
pub fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:=@%,".contains(c))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The restic commands that list and restore backup `b` from repository `r`.
pub fn restic_commands(
    s: &Sources,
    b: &rempart_core::plan::Backup,
    r: &rempart_core::plan::Repository,
) -> Vec<String> {
    let mut lines = Vec::new();
    let repository = s
        .locations
        .get(r.id.as_str())
        .cloned()
        .unwrap_or_else(|| r.location.to_string());
    lines.push(format!(
        "export RESTIC_REPOSITORY={}",
        shell_quote(&repository)
    ));
    lines.push(export(
        s,
        "RESTIC_PASSWORD",
        Some("RESTIC_PASSWORD_FILE"),
        &r.password,
    ));
    if let Location::S3 { .. } = r.location {
        if let Some(key) = &r.access_key_id {
            lines.push(export(s, "AWS_ACCESS_KEY_ID", None, key));
        }
        if let Some(secret) = &r.secret_access_key {
            lines.push(export(s, "AWS_SECRET_ACCESS_KEY", None, secret));
        }
        lines.push(format!(
            "export AWS_DEFAULT_REGION={}",
            shell_quote(r.region.as_deref().unwrap_or("us-east-1"))
        ));
    }
    let target = shell_quote(&format!("/var/tmp/restore-{}", b.id));
    let tag = shell_quote(&format!("backup={}", b.id));
    lines.push(format!("restic snapshots --tag {tag}"));
    match &b.source {
        Source::Paths(_) => {
            lines.push(format!(
                "restic restore latest --tag {tag} --target {target}"
            ));
        }
        Source::Command(c) => {
            lines.push(format!(
                "restic dump latest --tag {tag} {} > {}",
                shell_quote(&format!("/{}", c.filename)),
                shell_quote(&c.filename)
            ));
        }
    }
    lines
}

pub(crate) fn without_rempart(s: &Sources) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let mut subsections = Vec::new();
    for b in &plan.backups {
        let mut blocks = Vec::new();
        let protects: Vec<String> = b
            .protects
            .iter()
            .map(|a| {
                plan.assets
                    .iter()
                    .find(|x| x.id == *a)
                    .map_or_else(|| a.to_string(), |x| x.name.clone())
            })
            .collect();
        let what = match &b.source {
            Source::Paths(p) => t!(lang, "pra-source-paths", paths = p.paths.join(", ")),
            Source::Command(c) => t!(
                lang,
                "pra-source-command",
                command = c.command.as_str(),
                file = c.filename.as_str()
            ),
        };
        let point = s
            .audited
            .assessment
            .backups
            .iter()
            .find(|r| r.backup == b.id.as_str())
            .and_then(|r| r.restore_point_ms);
        let latest = s
            .audited
            .records
            .iter()
            .filter(|e| {
                matches!(e.record.kind, EvidenceKind::Backup | EvidenceKind::Copy)
                    && e.record.subject == b.id.as_str()
                    && e.record.outcome == rempart_core::evidence::Outcome::Success
            })
            .max_by_key(|e| (e.record.finished_ms, e.seq));
        blocks.push(Block::Facts {
            rows: vec![
                (t!(lang, "pra-protects"), protects.join(", ")),
                (t!(lang, "pra-source"), what),
                (
                    t!(lang, "report-schedule"),
                    crate::common::schedule(w, &b.schedule),
                ),
                (
                    t!(lang, "pra-restore-point"),
                    match (point, latest) {
                        (Some(p), Some(e)) => {
                            format!("{} ({})", w.time(p), w.cite(e.seq, e.record.finished_ms))
                        }
                        _ => w.unmeasured(),
                    },
                ),
            ],
        });
        for target in &b.targets {
            let Some(r) = plan.repositories.iter().find(|r| r.id == *target) else {
                continue;
            };
            let site = plan.sites.iter().find(|x| x.id == r.site);
            let place = site.map_or_else(
                || r.site.to_string(),
                |x| {
                    format!(
                        "{} ({})",
                        x.name.clone().unwrap_or_else(|| x.id.to_string()),
                        crate::common::site_kind(w, x.kind)
                    )
                },
            );
            let mut location = r.location.to_string();
            if let Some(endpoint) = &r.endpoint {
                location = format!("{location} — {endpoint}");
            }
            let mut rows = vec![
                (t!(lang, "pra-where"), location),
                (t!(lang, "report-col-site"), place),
                (t!(lang, "pra-password"), kept_where(s, &r.password)),
            ];
            if let Some(key) = &r.access_key_id {
                rows.push((t!(lang, "pra-access-key"), kept_where(s, key)));
            }
            if let Some(secret) = &r.secret_access_key {
                rows.push((t!(lang, "pra-secret-key"), kept_where(s, secret)));
            }
            if r.immutable {
                rows.push((t!(lang, "pra-immutable"), t!(lang, "pra-immutable-yes")));
            }
            blocks.push(Block::Paragraph {
                text: t!(
                    lang,
                    "pra-from-repository",
                    repository = r.name.clone().unwrap_or_else(|| r.id.to_string())
                ),
            });
            blocks.push(Block::Facts { rows });
            blocks.push(Block::Code {
                lines: restic_commands(s, b, r),
            });
        }
        subsections.push(Section {
            title: b.name.clone().unwrap_or_else(|| b.id.to_string()),
            blocks,
            subsections: vec![],
        });
    }
    Section {
        title: t!(lang, "pra-without-rempart"),
        blocks: vec![
            Block::Paragraph {
                text: t!(lang, "pra-without-intro"),
            },
            Block::Callout {
                tone: Tone::Warn,
                text: t!(lang, "pra-no-password-here"),
            },
        ],
        subsections,
    }
}
