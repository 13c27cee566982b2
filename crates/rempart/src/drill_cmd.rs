//! `rempart drill run|list|show|confirm`: recovery drills by hand, writing
//! the same evidence as scheduled ones.

use std::io::IsTerminal;
use std::sync::Arc;

use clap::Subcommand;
use rempart_core::assessment::human;
use rempart_core::evidence::{Evidence, EvidenceKind, Outcome};
use rempart_engine::drill::{self, Drill};
use rempart_store::{EvidenceQuery, TenantScope};
use serde_json::json;
use tokio::sync::watch;

use crate::evidence_cmd::runtime;
use crate::out::{Out, Tone, print_json, print_table, t};
use crate::tenancy::{self, Intent, Tenancy};
use crate::{Global, exit};

#[derive(Subcommand)]
pub enum DrillCommand {
    /// Run a scenario now, for real: exit 0 when it passes, 1 when it fails
    Run {
        /// Scenario id
        scenario: String,
        /// Only check it can run (backups have snapshots, secrets resolve); runs and records nothing
        #[arg(long)]
        dry_run: bool,
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// List drill runs, newest first
    List {
        /// Only this scenario's runs
        #[arg(long)]
        scenario: Option<String>,
        /// At most this many runs
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// Show one run: each step with its outcome, duration and output digest
    Show {
        /// Run id, as `drill list` shows it
        run: String,
        /// Print JSON, for scripts
        #[arg(long)]
        json: bool,
    },
    /// Confirm a manual step of a running drill (the wait counts in the measured time)
    Confirm {
        /// Run id, as the running drill prints it
        run: String,
        /// Step number (from 1)
        step: u64,
        /// What was checked
        #[arg(long)]
        note: Option<String>,
        /// Who checked it, as the record names them (default: cli:$USER)
        #[arg(long)]
        by: Option<String>,
    },
}

pub fn run(g: &Global, cmd: DrillCommand) -> u8 {
    match cmd {
        DrillCommand::Run {
            scenario,
            dry_run,
            json,
        } => run_drill(g, &scenario, dry_run, json),
        DrillCommand::List {
            scenario,
            limit,
            json,
        } => with_tenant(g, |t, out| list(t, out, scenario, limit, json)),
        DrillCommand::Show { run, json } => with_tenant(g, |t, out| show(t, out, run, json)),
        DrillCommand::Confirm {
            run,
            step,
            note,
            by,
        } => with_tenant(g, |t, out| confirm(t, out, run, step, note, by)),
    }
}

/// Runs `body` with the tenant's scope of an existing store, speaking the
/// language of the plan it runs (unless `--lang` says otherwise).
fn with_tenant<F, Fut>(g: &Global, body: F) -> u8
where
    F: FnOnce(TenantScope, Out) -> Fut,
    Fut: std::future::Future<Output = u8>,
{
    runtime(async {
        match tenancy::scope(g, Intent::Read).await {
            Ok(scope) => {
                let out = crate::out::for_tenant(g, &scope).await;
                body(scope, out).await
            }
            Err(code) => code,
        }
    })
}

fn run_drill(g: &Global, scenario: &str, dry_run: bool, json: bool) -> u8 {
    runtime(async {
        let Tenancy {
            scope: tenant,
            plan,
            env,
        } = match tenancy::open(g, Intent::Write).await {
            Ok(t) => t,
            Err(code) => return code,
        };
        if let Err(why) = drill::scenario(&plan, scenario) {
            fail!("{why}");
            return exit::USAGE;
        }
        let lang = Out::new(g, Some(&plan)).lang;
        let (stop, cancel) = watch::channel(false);
        // Ctrl-C stops the running step (its process group is killed);
        // cleanup steps still run and the sandbox is removed.
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("{}", t!(lang, "drill-stopping"));
                let _ = stop.send(true);
            }
        });
        let report: Option<drill::Report> = (!json).then(|| {
            let tty = std::io::stdout().is_terminal();
            Arc::new(move |line: &str| {
                if tty {
                    println!("{line}");
                } else {
                    println!("{}", line.trim_end());
                }
            }) as drill::Report
        });
        let d = Drill {
            tenant: &tenant,
            plan: Arc::new(plan),
            env,
            data_dir: g.data_dir.clone(),
            cancel,
            job_run: None,
            report,
            lang,
        };
        if dry_run {
            return match drill::dry_run(&d, scenario).await {
                Ok(found) => {
                    if json {
                        print_json(
                            &json!({ "scenario": scenario, "steps": found.lines, "problems": found.problems }),
                        );
                    } else {
                        println!("{}", t!(lang, "drill-dry-run", scenario = scenario));
                        for line in &found.lines {
                            println!("  {line}");
                        }
                        for p in &found.problems {
                            fail!("{p}");
                        }
                        if found.problems.is_empty() {
                            println!("{}", t!(lang, "drill-dry-run-ready"));
                        }
                    }
                    if found.problems.is_empty() {
                        0
                    } else {
                        exit::FOUND
                    }
                }
                Err(why) => {
                    fail!("{why}");
                    exit::USAGE
                }
            };
        }
        match drill::run(&d, scenario).await {
            Ok(ran) => {
                if json {
                    print_json(&json!({
                        "run": ran.run,
                        "passed": ran.passed,
                        "drill": ran.record,
                        "steps": ran.steps,
                    }));
                }
                if ran.passed { 0 } else { exit::FOUND }
            }
            Err(why) => {
                fail!("{why}");
                exit::FOUND
            }
        }
    })
}

/// Every record of `query`, oldest first.
async fn all(tenant: &TenantScope, query: EvidenceQuery) -> Result<Vec<Evidence>, u8> {
    tenant.evidence_all(&query).await.map_err(|e| {
        fail!("{e}");
        exit::FOUND
    })
}

/// A drill record as one JSON object for scripts.
fn run_json(e: &Evidence) -> serde_json::Value {
    let r = &e.record;
    let m = &r.measurements;
    json!({
        "run": m["run"],
        "scenario": r.subject,
        "process": m["process"],
        "outcome": r.outcome,
        "started_ms": r.started_ms,
        "finished_ms": r.finished_ms,
        "rto_ms": m["rto_ms"],
        "rpo_ms": m["rpo_ms"],
        "detect_ms": m["detect_ms"],
        "recover_ms": m["recover_ms"],
        "message": r.message,
        "seq": e.seq,
    })
}

fn opt_human(v: &serde_json::Value) -> String {
    v.as_i64().map_or_else(|| "-".to_owned(), human)
}

async fn list(
    tenant: TenantScope,
    out: Out,
    scenario: Option<String>,
    limit: usize,
    json: bool,
) -> u8 {
    let query = EvidenceQuery {
        kind: Some(EvidenceKind::Drill),
        subject: scenario,
        ..EvidenceQuery::default()
    };
    let records = match all(&tenant, query).await {
        Ok(r) => r,
        Err(code) => return code,
    };
    let newest: Vec<&Evidence> = records.iter().rev().take(limit).collect();
    if json {
        let runs: Vec<_> = newest.iter().map(|e| run_json(e)).collect();
        print_json(&json!({ "tenant": tenant.id(), "runs": runs }));
        return 0;
    }
    let lang = out.lang;
    if newest.is_empty() {
        println!("{}", t!(lang, "drill-none-yet"));
        return 0;
    }
    let mut table = out.table(&[
        t!(lang, "drill-col-run"),
        t!(lang, "drill-col-started"),
        t!(lang, "drill-col-outcome"),
        t!(lang, "drill-col-rto"),
        t!(lang, "drill-col-rpo"),
        t!(lang, "drill-col-message"),
    ]);
    for e in newest {
        let r = &e.record;
        let m = &r.measurements;
        table.add_row(vec![
            out.cell(m["run"].as_str().unwrap_or("?"), Tone::Plain),
            out.cell(out.time(r.started_ms), Tone::Plain),
            outcome_cell(&out, r.outcome),
            out.cell(opt_human(&m["rto_ms"]), Tone::Plain),
            out.cell(opt_human(&m["rpo_ms"]), Tone::Plain),
            out.cell(r.told(lang), Tone::Plain),
        ]);
    }
    print_table(&table);
    0
}

/// "passed" in green, "FAILED" in red, in the output's language.
fn outcome_cell(out: &Out, outcome: Outcome) -> comfy_table::Cell {
    match outcome {
        Outcome::Success => out.cell(t!(out.lang, "outcome-success"), Tone::Good),
        Outcome::Failure => out.cell(t!(out.lang, "outcome-failure"), Tone::Bad),
    }
}

async fn show(tenant: TenantScope, out: Out, run: String, json: bool) -> u8 {
    let lang = out.lang;
    let steps = match all(
        &tenant,
        EvidenceQuery {
            kind: Some(EvidenceKind::DrillStep),
            subject: Some(run.clone()),
            ..EvidenceQuery::default()
        },
    )
    .await
    {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Some(first) = steps.first() else {
        fail!("{}", t!(lang, "drill-no-run", run = run.as_str()));
        return exit::USAGE;
    };
    let scenario = first.record.measurements["scenario"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let summary = match all(
        &tenant,
        EvidenceQuery {
            kind: Some(EvidenceKind::Drill),
            subject: Some(scenario.clone()),
            from_ms: Some(first.record.started_ms - 60_000),
            ..EvidenceQuery::default()
        },
    )
    .await
    {
        Ok(s) => s
            .into_iter()
            .find(|e| e.record.measurements["run"].as_str() == Some(run.as_str())),
        Err(code) => return code,
    };
    if json {
        print_json(&json!({
            "run": run,
            "scenario": scenario,
            "drill": summary.as_ref().map(run_json),
            "steps": steps,
        }));
        return 0;
    }
    match &summary {
        Some(s) => {
            let outcome = match s.record.outcome {
                Outcome::Success => out.paint(&t!(lang, "outcome-success"), Tone::Good),
                Outcome::Failure => out.paint(&t!(lang, "outcome-failure"), Tone::Bad),
            };
            println!(
                "{}",
                t!(
                    lang,
                    "drill-show-heading",
                    run = run.as_str(),
                    scenario = scenario.as_str(),
                    outcome = outcome
                )
            );
            println!("  {}", s.record.told(lang));
        }
        None => println!(
            "{}",
            t!(
                lang,
                "drill-show-running",
                run = run.as_str(),
                scenario = scenario.as_str()
            )
        ),
    }
    let mut table = out.table(&[
        "#".to_owned(),
        t!(lang, "drill-col-step"),
        t!(lang, "drill-col-kind"),
        t!(lang, "drill-col-outcome"),
        t!(lang, "drill-col-duration"),
        t!(lang, "drill-col-message"),
    ]);
    for e in &steps {
        let r = &e.record;
        let m = &r.measurements;
        let mut message = r.told(lang);
        if let Some(digest) = m["stdout"]["sha256"].as_str() {
            message.push('\n');
            message.push_str(&t!(
                lang,
                "drill-step-output",
                bytes = m["stdout"]["bytes"].as_i64().unwrap_or(0),
                digest = &digest[..16.min(digest.len())]
            ));
        }
        let outcome = match r.outcome {
            Outcome::Success => out.cell(t!(lang, "step-outcome-success"), Tone::Good),
            Outcome::Failure => out.cell(t!(lang, "step-outcome-failure"), Tone::Bad),
        };
        table.add_row(vec![
            out.cell(&m["index"], Tone::Plain),
            out.cell(m["name"].as_str().unwrap_or(""), Tone::Plain),
            out.cell(m["kind"].as_str().unwrap_or(""), Tone::Plain),
            outcome,
            out.cell(opt_human(&m["duration_ms"]), Tone::Plain),
            out.cell(message, Tone::Plain),
        ]);
    }
    print_table(&table);
    0
}

async fn confirm(
    tenant: TenantScope,
    out: Out,
    run: String,
    step: u64,
    note: Option<String>,
    by: Option<String>,
) -> u8 {
    // Only a manual step of a drill running now, reached and not ended.
    let Some(active) = rempart_engine::active_plan(
        &tenant,
        std::path::Path::new("."),
        &rempart_engine::PlanCache::default(),
    )
    .await
    else {
        let id = tenant.id();
        fail!(
            "{}",
            t!(
                crate::out::spoken(),
                "cli-tenant-no-plan-no-drill",
                tenant = id
            )
        );
        return exit::USAGE;
    };
    match drill::confirmable(&tenant, &active.plan, &run, step, rempart_store::now_ms()).await {
        Ok(Ok(())) => {}
        Ok(Err(why)) => {
            fail!("{why}");
            return exit::USAGE;
        }
        Err(e) => {
            fail!("{e}");
            return exit::FOUND;
        }
    }
    // A name given with --by is recorded with the account that typed it.
    let by = match by.map(|b| b.trim().to_owned()).filter(|b| !b.is_empty()) {
        Some(name) => format!("{name} ({})", crate::cli_identity()),
        None => crate::cli_identity(),
    };
    match tenant
        .append(drill::confirmation(&run, step, &by, note.as_deref()))
        .await
    {
        Ok(e) => {
            println!(
                "{}",
                t!(
                    out.lang,
                    "drill-confirmed",
                    step = step,
                    run = run.as_str(),
                    by = by.as_str(),
                    seq = e.seq
                )
            );
            0
        }
        Err(e) => {
            fail!("{e}");
            exit::FOUND
        }
    }
}
