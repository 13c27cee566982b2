//! `rempart crisis …`: declare a crisis, follow and steer it (the cell's
//! answers, the checklist, notes and decisions, messages, regulatory
//! submissions, corrective actions), close it, and write the offline
//! crisis kit. Every change is a `crisis` record in the evidence chain
//! (`rempart_engine::crisis`); `rempart serve` delivers the calls and
//! passes silent people over to their alternates.

use std::sync::Arc;

use clap::Subcommand;
use rempart_core::crisis::{Clock, Crisis, Event, Task, TaskState};
use rempart_core::plan::Plan;
use rempart_engine::crisis::{self as engine, Declaration, Refused};
use rempart_store::{TenantScope, now_ms};
use serde_json::json;
use tokio::sync::watch;

use crate::evidence_cmd::runtime;
use crate::out::{Out, Tone, duration, print_json, print_table, t};
use crate::tenancy::{self, Intent, Tenancy};
use crate::{Global, cli_identity, exit};

#[derive(Subcommand)]
pub enum CrisisCommand {
    /// Declare a crisis: the crisis cell is called in order (`rempart serve` sends the calls); joins the open one if there is one
    Declare {
        /// What is happening, e.g. "Server room flooded"
        #[arg(long)]
        title: Option<String>,
        /// 1 (most severe) to 4
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=4))]
        severity: u8,
        /// A scenario whose steps go on the checklist (repeat for several)
        #[arg(long = "scenario")]
        scenarios: Vec<String>,
        /// A process that is down (repeat for several); its scenarios go on the checklist
        #[arg(long = "process")]
        processes: Vec<String>,
        /// An exercise: the plan's [[exercise]] id (its injects arrive on time), or "adhoc"
        #[arg(long, num_args = 0..=1, default_missing_value = "adhoc")]
        exercise: Option<String>,
        /// A significant incident (NIS2 art. 23): the 24 h / 72 h / 1 month deadlines run
        #[arg(long)]
        significant: bool,
        /// Personal data is involved: the GDPR art. 33 72 h deadline runs
        #[arg(long)]
        personal_data: bool,
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// The open crisis (or the one named): the cell, the checklist, the deadlines, the actions
    Status {
        /// A past crisis' id (default: the open one)
        #[arg(long)]
        crisis: Option<String>,
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// Everything that happened in the crisis, in order, with its evidence numbers
    Timeline {
        /// A past crisis' id (default: the open one)
        #[arg(long)]
        crisis: Option<String>,
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// The tenant's crises, newest first
    List {
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// Add a note, or a decision, to the open crisis' timeline
    Note {
        /// What was noted or decided
        text: String,
        /// It is a decision
        #[arg(long)]
        decision: bool,
    },
    /// Mark a checklist task started, done, skipped or to do; or run it (a restore, command, http or sql step, for real)
    Task {
        /// The task's key, as `crisis status` lists it (task:isolate, restore-erp#1…)
        key: String,
        /// start, done, skip, todo or run
        action: String,
        /// Why, or what was found
        #[arg(long)]
        note: Option<String>,
    },
    /// Record a person's answer given another way (by phone): on it (yes) or cannot (no)
    Answer {
        /// The contact's id
        contact: String,
        /// yes or no
        answer: String,
    },
    /// Send one of the plan's [[crisis_message]] templates, filled with the crisis' facts
    Send {
        /// The message's id
        message: String,
    },
    /// Record a regulatory submission: nis2-early-warning, nis2-notification, nis2-final-report, gdpr
    Submit {
        /// nis2-early-warning, nis2-notification, nis2-final-report or gdpr
        clock: String,
        /// The authority's reference, e.g. the CERT-FR ticket
        #[arg(long)]
        reference: Option<String>,
    },
    /// Mark an affected process as working again: its achieved RTO ends there
    Recovered {
        /// The process's id
        process: String,
    },
    /// Exercises: send the cell an event now (beside the plan's timed injects); their reaction is timed
    Inject {
        /// What happens, as the cell will read it
        text: String,
    },
    /// Add a corrective action (tracked until done), or mark one done
    #[command(subcommand)]
    Action(ActionCommand),
    /// Close the open crisis: each process's achieved RTO and RPO are measured from the evidence
    Close {
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// Write the offline crisis kit to a folder (a phone, a USB stick): the cell with its phones, the first-hour checklist, the runbooks, the messages, the deadlines and the restic commands that restore every backup without Rempart
    Kit {
        /// The folder to write: created, or the kit in it replaced (a folder holding anything else is refused)
        #[arg(short = 'o', long = "output")]
        output: std::path::PathBuf,
        /// Print what was written as JSON, for scripts
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ActionCommand {
    /// A new corrective action
    Add {
        /// A short id, e.g. "offsite-nas"
        id: String,
        /// What will be done, e.g. "A daily copy off site"
        #[arg(long)]
        title: String,
        /// Contact or team in charge
        #[arg(long)]
        owner: Option<String>,
        /// Due date, YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
    },
    /// A corrective action is done
    Done {
        /// The action's id
        id: String,
    },
}

pub fn run(g: &Global, cmd: CrisisCommand) -> u8 {
    runtime(async move {
        let t = match tenancy::open(g, Intent::Write).await {
            Ok(t) => t,
            Err(code) => return code,
        };
        let out = Out::new(g, Some(&t.plan));
        let by = cli_identity();
        match cmd {
            CrisisCommand::Declare {
                title,
                severity,
                scenarios,
                processes,
                exercise,
                significant,
                personal_data,
                json,
            } => {
                let d = Declaration {
                    title: title.unwrap_or_default(),
                    severity,
                    scenarios,
                    processes,
                    exercise,
                    significant,
                    personal_data,
                };
                match engine::declare(&t.scope, &t.plan, &d, &by).await {
                    Ok((c, new)) => {
                        if json {
                            show_json(&t, &c).await
                        } else {
                            let (id, roles) = (c.id.as_str(), c.roles.len());
                            if new {
                                println!(
                                    "{}",
                                    t!(out.lang, "crisis-cli-declared", id = id, roles = roles)
                                );
                            } else {
                                println!("{}", t!(out.lang, "crisis-cli-joined", id = id));
                            }
                            show(&out, &t, &c).await
                        }
                    }
                    Err(e) => refused(e),
                }
            }
            CrisisCommand::Status { crisis, json } => match pick(&t.scope, crisis).await {
                Ok(c) if json => show_json(&t, &c).await,
                Ok(c) => show(&out, &t, &c).await,
                Err(e) => refused(e),
            },
            CrisisCommand::Timeline { crisis, json } => match pick(&t.scope, crisis).await {
                Ok(c) => timeline(&out, &t, &c, json).await,
                Err(e) => refused(e),
            },
            CrisisCommand::List { json } => list(&out, &t, json).await,
            CrisisCommand::Note { text, decision } => {
                recorded(&out, &t, &by, Event::Note { text, decision }).await
            }
            CrisisCommand::Task { key, action, note } => {
                let state = match action.as_str() {
                    "start" => TaskState::Started,
                    "done" => TaskState::Done,
                    "skip" => TaskState::Skipped,
                    "todo" => TaskState::Todo,
                    "run" => return run_task(g, &out, &t, &key, &by).await,
                    other => {
                        fail!(
                            "\"{other}\" is not a task action: use start, done, skip, todo or run"
                        );
                        return exit::USAGE;
                    }
                };
                recorded(
                    &out,
                    &t,
                    &by,
                    Event::Task {
                        task: key,
                        state,
                        note,
                    },
                )
                .await
            }
            CrisisCommand::Answer { contact, answer } => {
                let available = match answer.as_str() {
                    "yes" | "oui" => true,
                    "no" | "non" => false,
                    other => {
                        fail!("\"{other}\" is not an answer: use yes or no");
                        return exit::USAGE;
                    }
                };
                let c = match engine::open(&t.scope).await {
                    Ok(c) => c,
                    Err(e) => return refused(e),
                };
                match engine::answer(&t.scope, &t.plan, &c.id, &contact, available, &by).await {
                    Ok(c) => show(&out, &t, &c).await,
                    Err(e) => refused(e),
                }
            }
            CrisisCommand::Send { message } => {
                match engine::send(&t.scope, &t.plan, &message, &by).await {
                    Ok((_, receivers)) => {
                        println!(
                            "{}",
                            t!(
                                out.lang,
                                "crisis-cli-sent",
                                receivers = receivers.join(", ")
                            )
                        );
                        0
                    }
                    Err(e) => refused(e),
                }
            }
            CrisisCommand::Submit { clock, reference } => {
                let Some(clock) = Clock::parse(&clock) else {
                    fail!(
                        "\"{clock}\" is not a deadline: use nis2-early-warning, nis2-notification, nis2-final-report or gdpr"
                    );
                    return exit::USAGE;
                };
                recorded(&out, &t, &by, Event::Submitted { clock, reference }).await
            }
            CrisisCommand::Recovered { process } => {
                recorded(&out, &t, &by, Event::Recovered { process }).await
            }
            CrisisCommand::Inject { text } => {
                match engine::inject(&t.scope, &t.plan, &text, &by).await {
                    Ok(_) => {
                        println!("{}", t!(out.lang, "crisis-cli-injected"));
                        0
                    }
                    Err(e) => refused(e),
                }
            }
            CrisisCommand::Action(ActionCommand::Add {
                id,
                title,
                owner,
                due,
            }) => {
                recorded(
                    &out,
                    &t,
                    &by,
                    Event::Action {
                        id,
                        title,
                        owner,
                        due,
                    },
                )
                .await
            }
            CrisisCommand::Action(ActionCommand::Done { id }) => {
                recorded(&out, &t, &by, Event::ActionDone { id }).await
            }
            CrisisCommand::Close { json } => match engine::close(&t.scope, &t.plan, &by).await {
                Ok(c) if json => show_json(&t, &c).await,
                Ok(c) => {
                    println!(
                        "{}",
                        t!(
                            out.lang,
                            "crisis-cli-closed",
                            id = c.id.as_str(),
                            lasted = duration(c.closed_ms.unwrap_or(c.declared_ms) - c.declared_ms)
                        )
                    );
                    show(&out, &t, &c).await
                }
                Err(e) => refused(e),
            },
            CrisisCommand::Kit { output, json } => kit(&out, &t, &output, json).await,
        }
    })
}

/// `rempart crisis kit -o DIR`: the kit written, its digest recorded.
async fn kit(out: &Out, t: &Tenancy, dir: &std::path::Path, json: bool) -> u8 {
    use rempart_report::{KitError, ReportError};
    let written = rempart_report::kit::produce(
        &t.scope,
        &t.plan,
        &t.env.base,
        out.lang,
        dir,
        &cli_identity(),
        now_ms(),
        false,
    )
    .await;
    let k = match written {
        Ok(Some(k)) => k,
        // Only a job asks to skip an unchanged kit.
        Ok(None) => return 0,
        Err(e @ (KitError::NotAKit(_) | KitError::Report(ReportError::Usage(_)))) => {
            fail!("{e}");
            return exit::USAGE;
        }
        Err(e) => {
            fail!("{e}");
            return exit::FOUND;
        }
    };
    if json {
        print_json(&json!({
            "dir": k.dir,
            "files": k.files.iter().map(|(name, bytes, sha256)| json!({"path": name, "bytes": bytes, "sha256": sha256})).collect::<Vec<_>>(),
            "sha256": k.sha256,
            "head_seq": k.head_seq,
            "evidence_seq": k.evidence.seq,
        }));
    } else {
        println!(
            "{}",
            t!(
                out.lang,
                "kit-written",
                dir = k.dir.display().to_string(),
                files = k.files.len(),
                head = k.head_seq,
                sha = k.sha256.as_str(),
                seq = k.evidence.seq
            )
        );
    }
    0
}

/// The exit code and message of a refusal.
fn refused(e: Refused) -> u8 {
    fail!("{e}");
    match e {
        Refused::Invalid(_) | Refused::NoCrisis(_) => exit::USAGE,
        Refused::Failed(_) => exit::FOUND,
    }
}

/// The crisis named, or the open one.
async fn pick(scope: &TenantScope, id: Option<String>) -> Result<Crisis, Refused> {
    match id {
        Some(id) => engine::load(scope, &id)
            .await?
            .ok_or_else(|| Refused::NoCrisis(format!("there is no crisis {id}"))),
        None => engine::open(scope).await,
    }
}

async fn recorded(out: &Out, t: &Tenancy, by: &str, event: Event) -> u8 {
    match engine::record(&t.scope, &t.plan, by, event).await {
        Ok((_, e)) => {
            println!("{}", t!(out.lang, "crisis-cli-recorded", seq = e.seq));
            0
        }
        Err(e) => refused(e),
    }
}

async fn run_task(g: &Global, out: &Out, t: &Tenancy, key: &str, by: &str) -> u8 {
    let (_stop, cancel) = watch::channel(false);
    let d = rempart_engine::drill::Drill {
        tenant: &t.scope,
        plan: Arc::new(t.plan.clone()),
        env: t.env.clone(),
        data_dir: g.data_dir.clone(),
        cancel,
        job_run: None,
        report: None,
        lang: out.lang,
    };
    match engine::run_task(&d, key, by).await {
        Ok((_, ran)) => {
            let said = ran.record.record.told(out.lang);
            let (took, seq) = (duration(ran.duration_ms), ran.record.seq);
            if ran.passed {
                println!(
                    "{}",
                    t!(
                        out.lang,
                        "crisis-cli-ran",
                        task = key,
                        duration = took,
                        seq = seq,
                        said = said
                    )
                );
            } else {
                println!(
                    "{}",
                    t!(
                        out.lang,
                        "crisis-cli-ran-failed",
                        task = key,
                        duration = took,
                        seq = seq,
                        said = said
                    )
                );
            }
            if ran.passed { 0 } else { exit::FOUND }
        }
        Err(e) => refused(e),
    }
}

async fn show_json(t: &Tenancy, c: &Crisis) -> u8 {
    match engine::checklist(&t.scope, &t.plan, c).await {
        Ok(list) => {
            let mut v = engine::to_json(&t.plan, c, &list, now_ms());
            v["tenant"] = json!(t.scope.id());
            print_json(&v);
            0
        }
        Err(e) => refused(e),
    }
}

/// The crisis for people: its heading, the cell, the deadlines, the
/// checklist, the actions and, once closed, what it cost.
async fn show(out: &Out, t: &Tenancy, c: &Crisis) -> u8 {
    let list = match engine::checklist(&t.scope, &t.plan, c).await {
        Ok(l) => l,
        Err(e) => return refused(e),
    };
    let lang = out.lang;
    let plan = &t.plan;
    let now = now_ms();
    let exercise = if c.is_exercise() { "yes" } else { "no" };
    println!(
        "{}",
        out.paint(
            &t!(
                lang,
                "crisis-cli-heading",
                exercise = exercise,
                id = c.id.as_str(),
                title = c.title.as_str(),
                severity = c.severity
            ),
            if c.closed_ms.is_some() {
                Tone::Plain
            } else {
                Tone::Bad
            }
        )
    );
    println!(
        "{}",
        t!(
            lang,
            "crisis-cli-declared-at",
            at = out.time(c.declared_ms),
            by = c.declared_by.as_str(),
            seq = c.declared_seq
        )
    );
    println!("\n{}", t!(lang, "crisis-cli-cell"));
    let mut table = out.table(&[
        t!(lang, "crisis-col-role"),
        t!(lang, "crisis-col-holder"),
        t!(lang, "crisis-col-state"),
    ]);
    for (id, role) in engine::roles(plan) {
        let r = c.roles.iter().find(|r| r.role == id);
        let state = r.map_or("not-called", engine::role_state);
        let tone = match state {
            "on-it" => Tone::Good,
            "missing" | "cannot" => Tone::Bad,
            _ => Tone::Warn,
        };
        let holder = r.and_then(|r| r.holder.as_deref()).map_or_else(
            || engine::contact_name(plan, &id),
            |h| engine::contact_name(plan, h),
        );
        let role = if role.is_empty() {
            engine::contact_name(plan, &id)
        } else {
            role
        };
        table.add_row(vec![
            out.cell(role, Tone::Plain),
            out.cell(holder, Tone::Plain),
            out.cell(t!(lang, "crisis-role-state", state = state), tone),
        ]);
    }
    print_table(&table);
    let clocks = engine::clocks(c, now);
    if !clocks.is_empty() {
        println!("\n{}", t!(lang, "crisis-cli-clocks"));
        for k in &clocks {
            let name = t!(lang, "crisis-clock", clock = k.clock.as_str());
            let (line, tone) = match k.submitted_ms {
                Some(at) => (
                    t!(
                        lang,
                        "crisis-clock-submitted",
                        clock = name,
                        at = out.time(at)
                    ),
                    Tone::Good,
                ),
                None if k.overdue => (
                    t!(
                        lang,
                        "crisis-clock-overdue",
                        clock = name,
                        deadline = out.time(k.deadline_ms)
                    ),
                    Tone::Bad,
                ),
                None => (
                    t!(
                        lang,
                        "crisis-clock-due",
                        clock = name,
                        deadline = out.time(k.deadline_ms),
                        left = duration(k.deadline_ms - now)
                    ),
                    Tone::Warn,
                ),
            };
            println!("  {}", out.paint(&line, tone));
        }
    }
    println!("\n{}", t!(lang, "crisis-cli-checklist"));
    print_checklist(out, plan, c, &list);
    if !c.actions.is_empty() {
        println!("\n{}", t!(lang, "crisis-cli-actions"));
        for a in &c.actions {
            let done = a.done_ms.map_or_else(
                || t!(lang, "crisis-action-open"),
                |at| t!(lang, "crisis-action-done", at = out.time(at)),
            );
            println!(
                "  {} — {} ({}{}) {done}",
                a.id,
                a.title,
                a.owner
                    .as_deref()
                    .map_or_else(String::new, |o| engine::contact_name(plan, o)),
                a.due
                    .as_deref()
                    .map_or_else(String::new, |d| format!(", {d}")),
            );
        }
    }
    if c.closed_ms.is_some() {
        println!("\n{}", t!(lang, "crisis-cli-outcome"));
        for o in &c.outcomes {
            let rpo = o.rpo_ms.map_or_else(
                || t!(lang, "crisis-rpo-not-measured"),
                |ms| {
                    t!(
                        lang,
                        "crisis-rpo",
                        rpo = duration(ms),
                        target = duration(o.rpo_target_ms),
                        seq = o.rpo_record.unwrap_or_default()
                    )
                },
            );
            let tone = if o.rto_ms <= o.rto_target_ms {
                Tone::Good
            } else {
                Tone::Bad
            };
            println!(
                "  {}",
                out.paint(
                    &t!(
                        lang,
                        "crisis-rto",
                        process = o.process.as_str(),
                        rto = duration(o.rto_ms),
                        target = duration(o.rto_target_ms),
                        seq = o.from_record
                    ),
                    tone
                )
            );
            println!("    {rpo}");
        }
    }
    0
}

fn print_checklist(out: &Out, plan: &Plan, c: &Crisis, list: &[Task]) {
    let lang = out.lang;
    let mut table = out.table(&[
        t!(lang, "crisis-col-task"),
        t!(lang, "crisis-col-title"),
        t!(lang, "crisis-col-owner"),
        t!(lang, "crisis-col-state"),
    ]);
    for task in list {
        let p = c.task(&task.key);
        let state = p.map_or(TaskState::Todo, |p| p.state);
        let tone = match state {
            TaskState::Done => Tone::Good,
            TaskState::Skipped => Tone::Plain,
            TaskState::Started => Tone::Warn,
            TaskState::Todo => Tone::Plain,
        };
        let mut text = t!(lang, "crisis-task-state", state = state.as_str());
        if let Some((passed, ms, seq)) = p.and_then(|p| p.run) {
            text = format!(
                "{text} · {}",
                t!(
                    lang,
                    "crisis-task-ran",
                    passed = if passed { "yes" } else { "no" },
                    duration = duration(ms),
                    seq = seq
                )
            );
        }
        let title = match task.within_ms {
            Some(ms) => format!("{} ({})", task.title, duration(ms)),
            None => task.title.clone(),
        };
        table.add_row(vec![
            out.cell(&task.key, Tone::Plain),
            out.cell(title, Tone::Plain),
            out.cell(
                task.owner
                    .as_deref()
                    .map_or_else(String::new, |o| engine::contact_name(plan, o)),
                Tone::Plain,
            ),
            out.cell(text, tone),
        ]);
    }
    print_table(&table);
}

async fn timeline(out: &Out, t: &Tenancy, c: &Crisis, json: bool) -> u8 {
    let records = match engine::timeline(&t.scope, c).await {
        Ok(r) => r,
        Err(e) => return refused(e),
    };
    if json {
        print_json(&json!({
            "tenant": t.scope.id(),
            "crisis": c.id,
            "records": records,
        }));
        return 0;
    }
    let lang = out.lang;
    let mut table = out.table(&[
        t!(lang, "evidence-col-seq"),
        t!(lang, "crisis-col-time"),
        t!(lang, "crisis-col-what"),
    ]);
    for e in &records {
        let by = e.record.measurements["by"].as_str().unwrap_or_default();
        let what = if by.is_empty() || by == engine::BY_REMPART {
            e.record.told(lang)
        } else {
            format!("{} — {by}", e.record.told(lang))
        };
        table.add_row(vec![
            out.cell(e.seq, Tone::Plain),
            out.cell(out.time(e.record.finished_ms), Tone::Plain),
            out.cell(format!("[{}] {what}", e.record.kind.as_str()), Tone::Plain),
        ]);
    }
    print_table(&table);
    0
}

async fn list(out: &Out, t: &Tenancy, json: bool) -> u8 {
    let rows = match t.scope.crises(100).await {
        Ok(r) => r,
        Err(e) => {
            fail!("{e}");
            return exit::FOUND;
        }
    };
    let mut all = Vec::new();
    for r in &rows {
        match engine::load(&t.scope, &r.id).await {
            Ok(Some(c)) => all.push(c),
            Ok(None) => {}
            Err(e) => return refused(e),
        }
    }
    if json {
        let v: Vec<_> = all
            .iter()
            .map(|c| {
                json!({
                    "id": c.id, "title": c.title, "severity": c.severity,
                    "exercise": c.exercise, "declared_ms": c.declared_ms,
                    "closed_ms": c.closed_ms,
                })
            })
            .collect();
        print_json(&json!({ "tenant": t.scope.id(), "crises": v }));
        return 0;
    }
    let lang = out.lang;
    if all.is_empty() {
        println!("{}", t!(lang, "crisis-cli-none-ever"));
        return 0;
    }
    let mut table = out.table(&[
        t!(lang, "crisis-col-crisis"),
        t!(lang, "crisis-col-title"),
        t!(lang, "crisis-col-time"),
        t!(lang, "crisis-col-state"),
    ]);
    for c in &all {
        let state = match c.closed_ms {
            Some(at) => t!(lang, "crisis-closed-at", at = out.time(at)),
            None => t!(lang, "crisis-status-open"),
        };
        let title = c.marked_title(engine::EXERCISE_MARK);
        table.add_row(vec![
            out.cell(&c.id, Tone::Plain),
            out.cell(title, Tone::Plain),
            out.cell(out.time(c.declared_ms), Tone::Plain),
            out.cell(state, Tone::Plain),
        ]);
    }
    print_table(&table);
    0
}
