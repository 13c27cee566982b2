//! A crisis' post-incident report (kind `crisis`): what happened, who
//! was reached and when, what it cost against the RTO and RPO, the
//! regulatory deadlines, the checklist as it was worked, the decisions,
//! the messages sent, the reaction times of an exercise, the corrective
//! actions (the lessons learned) and the whole timeline. Every time and
//! figure cites the crisis record it comes from.

use rempart_core::crisis::{self, Crisis, Event, Record, Task, TaskState};
use rempart_core::evidence::Evidence;
use rempart_core::plan::Plan;
use rempart_engine::crisis::{self as engine, Refused};
use rempart_i18n::t;
use rempart_store::TenantScope;

use crate::doc::{Block, Cell, Section, Tone};
use crate::words::Words;
use crate::{ReportError, Sources};

/// The crisis, its checklist and everything recorded during it.
pub struct CrisisData {
    pub crisis: Crisis,
    /// Every record of the tenant during the crisis, in order
    /// (`engine::crisis::timeline`).
    pub timeline: Vec<Evidence>,
    pub checklist: Vec<Task>,
}

fn refused(e: Refused) -> ReportError {
    match e {
        Refused::Invalid(why) | Refused::NoCrisis(why) => ReportError::Usage(why),
        Refused::Failed(why) => ReportError::Engine(why),
    }
}

/// Crisis `id` of `tenant` (default: the newest, open or closed).
pub async fn gather(
    tenant: &TenantScope,
    plan: &Plan,
    id: Option<&str>,
) -> Result<CrisisData, ReportError> {
    let rows = tenant.crises(1000).await?;
    let known = || {
        rows.iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let id = match id {
        Some(id) if rows.iter().any(|r| r.id == id) => id.to_owned(),
        Some(id) if rows.is_empty() => {
            return Err(ReportError::Usage(format!(
                "there is no crisis \"{id}\": none was ever declared for this tenant"
            )));
        }
        Some(id) => {
            return Err(ReportError::Usage(format!(
                "there is no crisis \"{id}\"; known: {} (`rempart crisis list` names them)",
                known()
            )));
        }
        None => match rows.first() {
            Some(r) => r.id.clone(),
            None => {
                return Err(ReportError::Usage(
                    "no crisis was ever declared for this tenant: `rempart crisis declare` starts one (or an exercise)"
                        .into(),
                ));
            }
        },
    };
    let crisis = engine::load(tenant, &id)
        .await
        .map_err(refused)?
        .ok_or_else(|| {
            ReportError::Usage(format!(
                "crisis \"{id}\" has no declaration in the evidence; known: {}",
                known()
            ))
        })?;
    let timeline = engine::timeline(tenant, &crisis).await.map_err(refused)?;
    let checklist = engine::checklist(tenant, plan, &crisis)
        .await
        .map_err(refused)?;
    Ok(CrisisData {
        crisis,
        timeline,
        checklist,
    })
}

/// The title page's mark: an exercise is never taken for the real thing.
pub fn mark(s: &Sources) -> Option<String> {
    let data = s.crisis.as_ref()?;
    data.crisis
        .is_exercise()
        .then(|| engine::EXERCISE_MARK.to_owned())
}

/// The title page's line naming the crisis.
pub fn crisis_fact(s: &Sources) -> Option<(String, String)> {
    let c = &s.crisis.as_ref()?.crisis;
    Some((
        t!(s.words.lang, "crisis-doc-crisis"),
        format!("{} ({})", c.title, c.id),
    ))
}

/// Who did something, for a reader: a person's name or login, or Rempart.
fn who(plan: &Plan, by: &str) -> String {
    match by.split_once(':') {
        Some(("link", contact)) => engine::contact_name(plan, contact),
        Some(("job", _)) => "Rempart".into(),
        Some((_, name)) => name.to_owned(),
        None if by == engine::BY_REMPART => "Rempart".into(),
        None => by.to_owned(),
    }
}

fn process_name(plan: &Plan, id: &str) -> String {
    plan.processes
        .iter()
        .find(|p| p.id.as_str() == id)
        .map_or_else(|| id.to_owned(), |p| p.name.clone())
}

/// "14:02 (#12)": a time and the record it comes from.
fn at(w: &Words, r: &Record) -> String {
    format!("{} (#{})", w.time(r.at_ms), r.seq)
}

/// A record's time, found in the timeline by its number.
fn time_of(data: &CrisisData, seq: i64) -> Option<i64> {
    data.timeline
        .iter()
        .find(|e| e.seq == seq)
        .map(|e| e.record.finished_ms)
}

fn cite(w: &Words, data: &CrisisData, seq: i64) -> String {
    match time_of(data, seq) {
        Some(ms) => w.cite(seq, ms),
        None => format!("#{seq}"),
    }
}

pub fn sections(s: &Sources) -> Vec<Section> {
    let Some(data) = &s.crisis else {
        return vec![crate::common::evidence_section(s)];
    };
    let mut out = vec![
        summary(s, data),
        cell(s, data),
        outcome(s, data),
        deadlines(s, data),
        checklist(s, data),
        notes(s, data),
        messages(s, data),
    ];
    if data.crisis.is_exercise() {
        out.push(reactions(s, data));
    }
    out.push(actions(s, data));
    out.push(timeline(s, data));
    out.push(crate::common::evidence_section(s));
    out
}

fn section(title: String, blocks: Vec<Block>) -> Section {
    Section {
        title,
        blocks,
        subsections: vec![],
    }
}

fn summary(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let c = &data.crisis;
    let mut blocks = Vec::new();
    if c.is_exercise() {
        let exercise = crisis::exercise(&s.plan, c).map_or_else(
            || c.exercise.clone().unwrap_or_default(),
            |x| x.title.clone(),
        );
        blocks.push(Block::Callout {
            tone: Tone::Warn,
            text: t!(lang, "crisis-doc-exercise", exercise = exercise),
        });
    }
    let closed = c
        .records
        .iter()
        .rev()
        .find(|r| matches!(r.event, Event::Closed { .. }));
    let mut rows = vec![
        (t!(lang, "crisis-doc-title"), c.title.clone()),
        (t!(lang, "crisis-doc-id"), c.id.clone()),
        (
            t!(lang, "crisis-doc-severity"),
            t!(lang, "crisis-doc-severity-value", severity = c.severity),
        ),
        (
            t!(lang, "crisis-doc-declared"),
            t!(
                lang,
                "crisis-doc-at-by",
                at = w.time(c.declared_ms),
                by = who(&s.plan, &c.declared_by),
                seq = c.declared_seq
            ),
        ),
    ];
    match (c.closed_ms, closed) {
        (Some(end), Some(r)) => {
            rows.push((
                t!(lang, "crisis-doc-closed"),
                t!(
                    lang,
                    "crisis-doc-at-by",
                    at = w.time(end),
                    by = who(&s.plan, &r.by),
                    seq = r.seq
                ),
            ));
            rows.push((
                t!(lang, "crisis-doc-duration"),
                w.duration(end - c.declared_ms),
            ));
        }
        _ => {
            rows.push((
                t!(lang, "crisis-doc-closed"),
                t!(lang, "crisis-doc-still-open", at = w.time(s.as_of_ms)),
            ));
            rows.push((
                t!(lang, "crisis-doc-duration"),
                t!(
                    lang,
                    "crisis-doc-so-far",
                    duration = w.duration((s.as_of_ms - c.declared_ms).max(0))
                ),
            ));
        }
    }
    let processes: Vec<String> = c
        .processes
        .iter()
        .map(|p| process_name(&s.plan, p))
        .collect();
    rows.push((
        t!(lang, "crisis-doc-processes"),
        if processes.is_empty() {
            t!(lang, "report-none")
        } else {
            processes.join(", ")
        },
    ));
    let scenarios: Vec<String> = c
        .scenarios
        .iter()
        .map(|id| {
            s.plan
                .scenarios
                .iter()
                .find(|x| x.id.as_str() == id)
                .map_or_else(|| id.clone(), |x| x.name.clone())
        })
        .collect();
    if !scenarios.is_empty() {
        rows.push((t!(lang, "crisis-doc-scenarios"), scenarios.join(", ")));
    }
    rows.push((
        t!(lang, "crisis-doc-regulatory"),
        match (c.significant, c.personal_data) {
            (true, true) => t!(lang, "crisis-doc-regulatory-both"),
            (true, false) => t!(lang, "crisis-doc-regulatory-nis2"),
            (false, true) => t!(lang, "crisis-doc-regulatory-gdpr"),
            (false, false) => t!(lang, "crisis-doc-regulatory-none"),
        },
    ));
    blocks.push(Block::Facts { rows });
    let decisions = c
        .records
        .iter()
        .filter(|r| matches!(r.event, Event::Note { decision: true, .. }))
        .count();
    let open_actions = c.actions.iter().filter(|a| a.done_ms.is_none()).count();
    blocks.push(Block::Paragraph {
        text: t!(
            lang,
            "crisis-doc-summary-counts",
            records = data.timeline.len(),
            decisions = decisions,
            actions = c.actions.len(),
            open = open_actions
        ),
    });
    section(t!(lang, "crisis-doc-summary"), blocks)
}

fn cell(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let c = &data.crisis;
    let rows = engine::roles(plan)
        .into_iter()
        .map(|(id, role)| {
            let r = c.roles.iter().find(|r| r.role == id);
            let role = if role.is_empty() {
                engine::contact_name(plan, &id)
            } else {
                role
            };
            let holder = r.and_then(|r| r.holder.clone());
            let called = holder.as_ref().and_then(|h| {
                c.records.iter().rev().find(|x| {
                    matches!(&x.event, Event::Called { role, contact } if *role == id && contact == h)
                })
            });
            let answered = match (holder.as_ref(), called) {
                (Some(h), Some(call)) => c.records.iter().find(|x| {
                    x.seq > call.seq
                        && matches!(&x.event, Event::Answered { contact, .. } if contact == h)
                }),
                _ => None,
            };
            let answer = match (r, answered) {
                (Some(r), _) if r.missing => {
                    Cell::toned(t!(lang, "crisis-doc-nobody-reached"), Tone::Bad)
                }
                (_, Some(x)) => match x.event {
                    Event::Answered {
                        available: true, ..
                    } => Cell::toned(
                        t!(lang, "crisis-doc-on-it", at = at(w, x)),
                        Tone::Good,
                    ),
                    _ => Cell::toned(t!(lang, "crisis-doc-cannot", at = at(w, x)), Tone::Bad),
                },
                (Some(_), None) if called.is_some() => {
                    Cell::toned(t!(lang, "crisis-doc-no-answer"), Tone::Warn)
                }
                _ => Cell::toned(t!(lang, "crisis-doc-not-called"), Tone::Muted),
            };
            let passed: Vec<String> = c
                .records
                .iter()
                .filter_map(|x| match &x.event {
                    Event::PassedOver { role, contact, .. } if *role == id => Some(format!(
                        "{} (#{})",
                        engine::contact_name(plan, contact),
                        x.seq
                    )),
                    _ => None,
                })
                .collect();
            vec![
                Cell::plain(role),
                Cell::plain(
                    holder
                        .as_deref()
                        .map_or_else(|| engine::contact_name(plan, &id), |h| {
                            engine::contact_name(plan, h)
                        }),
                ),
                called.map_or_else(
                    || Cell::toned(t!(lang, "crisis-doc-not-called"), Tone::Muted),
                    |x| Cell::plain(at(w, x)),
                ),
                answer,
                Cell::plain(passed.join("\n")),
            ]
        })
        .collect();
    section(
        t!(lang, "crisis-doc-cell"),
        vec![
            Block::Paragraph {
                text: t!(
                    lang,
                    "crisis-doc-cell-intro",
                    within = w.duration(crisis::answer_within_ms(plan))
                ),
            },
            Block::Table {
                columns: vec![
                    t!(lang, "report-col-role"),
                    t!(lang, "crisis-doc-col-held-by"),
                    t!(lang, "crisis-doc-col-called"),
                    t!(lang, "crisis-doc-col-answer"),
                    t!(lang, "crisis-doc-col-passed-over"),
                ],
                widths: vec![4, 3, 3, 4, 3],
                rows,
            },
        ],
    )
}

fn outcome(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let c = &data.crisis;
    let mut blocks = vec![Block::Paragraph {
        text: t!(lang, "crisis-doc-outcome-intro"),
    }];
    let columns = vec![
        t!(lang, "report-col-process"),
        t!(lang, "report-col-rto-target"),
        t!(lang, "crisis-doc-col-rto"),
        t!(lang, "report-col-rpo-target"),
        t!(lang, "crisis-doc-col-rpo"),
        t!(lang, "crisis-doc-col-measured-from"),
    ];
    let widths = vec![4, 3, 4, 3, 4, 5];
    let toned = |value: i64, target: i64| {
        Cell::toned(
            w.duration(value),
            if value > target {
                Tone::Bad
            } else {
                Tone::Good
            },
        )
    };
    if c.processes.is_empty() {
        blocks.push(Block::Paragraph {
            text: t!(lang, "crisis-doc-no-process"),
        });
    } else if c.closed_ms.is_none() {
        blocks.push(Block::Callout {
            tone: Tone::Muted,
            text: t!(lang, "crisis-doc-outcome-open"),
        });
        let rows = c
            .processes
            .iter()
            .filter_map(|id| s.plan.processes.iter().find(|p| p.id.as_str() == id))
            .map(|p| {
                vec![
                    Cell::plain(&p.name),
                    Cell::plain(w.duration(crate::common::ms(p.rto))),
                    Cell::toned(w.unmeasured(), Tone::Muted),
                    Cell::plain(w.duration(crate::common::ms(p.rpo))),
                    Cell::toned(w.unmeasured(), Tone::Muted),
                    Cell::plain(""),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns,
            widths,
            rows,
        });
    } else {
        let rows = c
            .outcomes
            .iter()
            .map(|o| {
                let mut from = vec![
                    t!(
                        lang,
                        "crisis-doc-rto-from",
                        cite = w.cite(o.from_record, o.from_ms)
                    ),
                    if o.marked {
                        t!(
                            lang,
                            "crisis-doc-marked-recovered",
                            at = w.time(o.recovered_ms)
                        )
                    } else {
                        t!(lang, "crisis-doc-not-marked", at = w.time(o.recovered_ms))
                    },
                ];
                let rpo = match (o.rpo_ms, o.rpo_record) {
                    (Some(ms), Some(seq)) => {
                        from.push(t!(lang, "crisis-doc-rpo-from", cite = cite(w, data, seq)));
                        toned(ms, o.rpo_target_ms)
                    }
                    _ => {
                        from.push(t!(lang, "crisis-doc-rpo-why"));
                        Cell::toned(w.unmeasured(), Tone::Muted)
                    }
                };
                vec![
                    Cell::plain(process_name(&s.plan, &o.process)),
                    Cell::plain(w.duration(o.rto_target_ms)),
                    toned(o.rto_ms, o.rto_target_ms),
                    Cell::plain(w.duration(o.rpo_target_ms)),
                    rpo,
                    Cell::plain(from.join("\n")),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns,
            widths,
            rows,
        });
    }
    section(t!(lang, "crisis-doc-outcome"), blocks)
}

fn deadlines(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let c = &data.crisis;
    let clocks = crisis::clocks(c, s.as_of_ms);
    let mut blocks = Vec::new();
    if clocks.is_empty() {
        blocks.push(Block::Paragraph {
            text: t!(lang, "crisis-doc-no-deadline"),
        });
    } else {
        blocks.push(Block::Paragraph {
            text: t!(lang, "crisis-doc-deadlines-intro"),
        });
        let rows = clocks
            .iter()
            .map(|k| {
                let record = c.records.iter().find(
                    |r| matches!(&r.event, Event::Submitted { clock, .. } if *clock == k.clock),
                );
                let state = match (k.submitted_ms, record) {
                    (Some(ms), Some(r)) => Cell::toned(
                        t!(
                            lang,
                            "crisis-doc-submitted",
                            at = at(w, r),
                            late = if ms > k.deadline_ms { "yes" } else { "no" }
                        ),
                        if ms > k.deadline_ms {
                            Tone::Warn
                        } else {
                            Tone::Good
                        },
                    ),
                    _ if k.overdue => Cell::toned(t!(lang, "crisis-doc-overdue"), Tone::Bad),
                    _ => Cell::toned(t!(lang, "crisis-doc-not-submitted"), Tone::Warn),
                };
                vec![
                    Cell::plain(t!(lang, "crisis-clock", clock = k.clock.as_str())),
                    Cell::plain(w.time(k.deadline_ms)),
                    state,
                    Cell::plain(k.reference.clone().unwrap_or_default()),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                t!(lang, "crisis-doc-col-obligation"),
                t!(lang, "crisis-doc-col-deadline"),
                t!(lang, "crisis-doc-col-submitted"),
                t!(lang, "crisis-doc-col-reference"),
            ],
            widths: vec![4, 3, 4, 3],
            rows,
        });
    }
    section(t!(lang, "crisis-doc-deadlines"), blocks)
}

fn task_state(w: &Words, state: TaskState) -> Cell {
    let text = t!(w.lang, "crisis-task-state", state = state.as_str());
    match state {
        TaskState::Done => Cell::toned(text, Tone::Good),
        TaskState::Started => Cell::toned(text, Tone::Warn),
        TaskState::Skipped => Cell::toned(text, Tone::Muted),
        TaskState::Todo => Cell::plain(text),
    }
}

fn checklist(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let plan = &s.plan;
    let c = &data.crisis;
    let rows = data
        .checklist
        .iter()
        .map(|task| {
            let progress = c.task(&task.key);
            let last = c.records.iter().rev().find(|r| match &r.event {
                Event::Task { task: k, .. } | Event::StepRun { task: k, .. } => *k == task.key,
                _ => false,
            });
            let mut title = task.title.clone();
            if let Some(ms) = task.within_ms {
                title = t!(
                    lang,
                    "crisis-doc-within",
                    task = title,
                    within = w.duration(ms)
                );
            }
            let runs: Vec<String> = c
                .records
                .iter()
                .filter_map(|r| match &r.event {
                    Event::StepRun {
                        task: k,
                        passed,
                        duration_ms,
                        record,
                    } if *k == task.key => Some(t!(
                        lang,
                        "crisis-doc-run",
                        passed = if *passed { "yes" } else { "no" },
                        duration = w.duration(*duration_ms),
                        cite = cite(w, data, *record)
                    )),
                    _ => None,
                })
                .collect();
            let mut changed = last.map_or_else(String::new, |r| {
                format!("{}\n{}", at(w, r), who(plan, &r.by))
            });
            if let Some(note) = progress.and_then(|p| p.note.clone()) {
                changed = format!(
                    "{changed}\n{}",
                    t!(lang, "crisis-doc-task-note", note = note)
                );
            }
            vec![
                Cell::plain(title),
                Cell::plain(
                    task.owner
                        .as_deref()
                        .map_or_else(String::new, |o| engine::contact_name(plan, o)),
                ),
                task_state(w, progress.map_or(TaskState::Todo, |p| p.state)),
                Cell::plain(changed),
                if runs.is_empty() {
                    Cell::plain("")
                } else {
                    Cell::plain(runs.join("\n"))
                },
            ]
        })
        .collect();
    section(
        t!(lang, "crisis-doc-checklist"),
        vec![
            Block::Paragraph {
                text: t!(lang, "crisis-doc-checklist-intro"),
            },
            Block::Table {
                columns: vec![
                    t!(lang, "crisis-doc-col-task"),
                    t!(lang, "crisis-doc-col-owner"),
                    t!(lang, "report-col-status"),
                    t!(lang, "crisis-doc-col-changed"),
                    t!(lang, "crisis-doc-col-runs"),
                ],
                widths: vec![5, 3, 2, 3, 4],
                rows,
            },
        ],
    )
}

fn notes(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let c = &data.crisis;
    let said = |decision: bool| -> Vec<String> {
        c.records
            .iter()
            .filter_map(|r| match &r.event {
                Event::Note { text, decision: d } if *d == decision => Some(t!(
                    lang,
                    "crisis-doc-note",
                    text = text.as_str(),
                    at = w.time(r.at_ms),
                    by = who(&s.plan, &r.by),
                    seq = r.seq
                )),
                _ => None,
            })
            .collect()
    };
    let list = |items: Vec<String>, none: String| {
        if items.is_empty() {
            Block::Paragraph { text: none }
        } else {
            Block::List { items }
        }
    };
    Section {
        title: t!(lang, "crisis-doc-notes"),
        blocks: vec![],
        subsections: vec![
            section(
                t!(lang, "crisis-doc-decisions"),
                vec![list(said(true), t!(lang, "crisis-doc-no-decision"))],
            ),
            section(
                t!(lang, "crisis-doc-other-notes"),
                vec![list(said(false), t!(lang, "crisis-doc-no-note"))],
            ),
        ],
    }
}

fn messages(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let rows: Vec<Vec<Cell>> = data
        .crisis
        .records
        .iter()
        .filter_map(|r| match &r.event {
            Event::Sent {
                audience,
                subject,
                receivers,
                text,
                public,
                ..
            } => {
                let mut what = subject.clone();
                if !text.is_empty() {
                    what = format!("{what}\n{text}");
                }
                let mut to: Vec<String> = receivers
                    .iter()
                    .map(|x| receiver_name(&s.plan, x))
                    .collect();
                if *public {
                    to.push(t!(lang, "crisis-doc-status-page"));
                }
                Some(vec![
                    Cell::plain(at(w, r)),
                    Cell::plain(what),
                    Cell::plain(t!(
                        lang,
                        "crisis-doc-audience",
                        audience = audience.as_str()
                    )),
                    Cell::plain(to.join(", ")),
                ])
            }
            _ => None,
        })
        .collect();
    let block = if rows.is_empty() {
        Block::Paragraph {
            text: t!(lang, "crisis-doc-no-message"),
        }
    } else {
        Block::Table {
            columns: vec![
                t!(lang, "crisis-doc-col-sent"),
                t!(lang, "crisis-doc-col-message"),
                t!(lang, "crisis-doc-col-audience"),
                t!(lang, "crisis-doc-col-to"),
            ],
            widths: vec![3, 7, 2, 3],
            rows,
        }
    };
    section(t!(lang, "crisis-doc-messages"), vec![block])
}

/// A receiver as the outbox names it (`contact:ID`, `channel:ID`): the
/// contact's or team's name, else the channel's id.
fn receiver_name(plan: &Plan, receiver: &str) -> String {
    let id = receiver.split_once(':').map_or(receiver, |(_, id)| id);
    owner_name(plan, id)
}

fn reactions(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let c = &data.crisis;
    let r = crisis::reactions(c);
    let took = |ms: Option<i64>, none: String| match ms {
        Some(ms) => Cell::plain(w.duration(ms)),
        None => Cell::toned(none, Tone::Warn),
    };
    // `reactions` lists the calls in the order of their records.
    let called = c.records.iter().filter_map(|x| match &x.event {
        Event::Called { role, .. } => Some((x, role)),
        _ => None,
    });
    let calls = r
        .answers
        .iter()
        .zip(called)
        .map(|((contact, ms), (record, role))| {
            let role = s
                .plan
                .contacts
                .iter()
                .find(|x| x.id.as_str() == role)
                .and_then(|x| x.role.clone())
                .unwrap_or_else(|| engine::contact_name(&s.plan, role));
            vec![
                Cell::plain(engine::contact_name(&s.plan, contact)),
                Cell::plain(role),
                Cell::plain(at(w, record)),
                took(*ms, t!(lang, "crisis-doc-no-answer")),
            ]
        })
        .collect();
    let injects: Vec<Vec<Cell>> = r
        .injects
        .iter()
        .map(|(index, ms)| {
            let record = c
                .records
                .iter()
                .find(|x| matches!(&x.event, Event::Injected { index: i, .. } if i == index));
            let text = record
                .and_then(|x| match &x.event {
                    Event::Injected { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            vec![
                Cell::plain(text),
                record.map_or_else(|| Cell::plain(""), |x| Cell::plain(at(w, x))),
                took(*ms, t!(lang, "crisis-doc-no-reaction")),
            ]
        })
        .collect();
    let mut blocks = vec![
        Block::Paragraph {
            text: t!(lang, "crisis-doc-reactions-intro"),
        },
        Block::Table {
            columns: vec![
                t!(lang, "crisis-doc-col-person"),
                t!(lang, "report-col-role"),
                t!(lang, "crisis-doc-col-called"),
                t!(lang, "crisis-doc-col-time-to-answer"),
            ],
            widths: vec![3, 4, 3, 2],
            rows: calls,
        },
    ];
    if !injects.is_empty() {
        blocks.push(Block::Table {
            columns: vec![
                t!(lang, "crisis-doc-col-inject"),
                t!(lang, "crisis-doc-col-delivered"),
                t!(lang, "crisis-doc-col-time-to-react"),
            ],
            widths: vec![6, 3, 3],
            rows: injects,
        });
    }
    section(t!(lang, "crisis-doc-reactions"), blocks)
}

fn actions(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let c = &data.crisis;
    let today = {
        use chrono::TimeZone;
        w.zone
            .timestamp_millis_opt(s.as_of_ms)
            .single()
            .map(|t| t.date_naive())
    };
    let mut blocks = vec![Block::Paragraph {
        text: t!(lang, "crisis-doc-actions-intro"),
    }];
    if c.actions.is_empty() {
        blocks.push(Block::Callout {
            tone: Tone::Warn,
            text: t!(lang, "crisis-doc-no-action"),
        });
    } else {
        let rows = c
            .actions
            .iter()
            .map(|a| {
                let due = a
                    .due
                    .as_deref()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                let due_text = due.map_or_else(String::new, |d| match lang {
                    rempart_i18n::Lang::Fr => d.format("%d/%m/%Y").to_string(),
                    rempart_i18n::Lang::En => d.format("%Y-%m-%d").to_string(),
                });
                let past_due = matches!((due, today), (Some(d), Some(now)) if now > d);
                let state = match a.done_ms {
                    Some(ms) => Cell::toned(
                        t!(lang, "crisis-doc-action-done", at = w.day(ms)),
                        Tone::Good,
                    ),
                    None if past_due => Cell::toned(t!(lang, "crisis-doc-action-late"), Tone::Bad),
                    None => Cell::toned(t!(lang, "crisis-doc-action-open"), Tone::Warn),
                };
                vec![
                    Cell::plain(format!("{}\n({})", a.title, a.id)),
                    Cell::plain(
                        a.owner
                            .as_deref()
                            .map_or_else(String::new, |o| owner_name(&s.plan, o)),
                    ),
                    Cell::plain(due_text),
                    state,
                    Cell::plain(format!("#{}", a.record)),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                t!(lang, "crisis-doc-col-action"),
                t!(lang, "crisis-doc-col-owner"),
                t!(lang, "crisis-doc-col-due"),
                t!(lang, "report-col-status"),
                t!(lang, "drill-doc-evidence"),
            ],
            widths: vec![6, 3, 2, 3, 2],
            rows,
        });
    }
    section(t!(lang, "crisis-doc-actions"), blocks)
}

/// A contact's or a team's name, else the id.
fn owner_name(plan: &Plan, id: &str) -> String {
    plan.teams
        .iter()
        .find(|t| t.id.as_str() == id)
        .map_or_else(|| engine::contact_name(plan, id), |t| t.name.clone())
}

fn timeline(s: &Sources, data: &CrisisData) -> Section {
    let w = &s.words;
    let lang = w.lang;
    let rows = data
        .timeline
        .iter()
        .map(|e| {
            let by = e.record.measurements["by"].as_str().unwrap_or_default();
            let by = if by.is_empty() {
                String::new()
            } else {
                who(&s.plan, by)
            };
            vec![
                Cell::plain(format!("#{}", e.seq)),
                Cell::plain(w.time(e.record.finished_ms)),
                Cell::plain(e.record.told(lang)),
                Cell::plain(by),
            ]
        })
        .collect();
    section(
        t!(lang, "crisis-doc-timeline"),
        vec![
            Block::Paragraph {
                text: t!(lang, "crisis-doc-timeline-intro"),
            },
            Block::Table {
                columns: vec![
                    "#".into(),
                    t!(lang, "crisis-doc-col-time"),
                    t!(lang, "crisis-doc-col-what"),
                    t!(lang, "crisis-doc-col-by"),
                ],
                widths: vec![1, 3, 9, 3],
                rows,
            },
        ],
    )
}
