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

use crate::evidence_cmd::{ms_to_text, runtime};
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
        #[arg(long)]
        json: bool,
    },
    /// Show one run: each step with its outcome, duration and output digest
    Show {
        /// Run id, as `drill list` shows it
        run: String,
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
        } => with_tenant(g, |t| list(t, scenario, limit, json)),
        DrillCommand::Show { run, json } => with_tenant(g, |t| show(t, run, json)),
        DrillCommand::Confirm { run, step, note } => {
            with_tenant(g, |t| confirm(t, run, step, note))
        }
    }
}

/// Runs `body` with the tenant's scope of an existing store.
fn with_tenant<F, Fut>(g: &Global, body: F) -> u8
where
    F: FnOnce(TenantScope) -> Fut,
    Fut: std::future::Future<Output = u8>,
{
    runtime(async {
        match tenancy::scope(g, Intent::Read).await {
            Ok(scope) => body(scope).await,
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
            eprintln!("error: {why}");
            return exit::USAGE;
        }
        let (stop, cancel) = watch::channel(false);
        // Ctrl-C stops the running step (its process group is killed);
        // cleanup steps still run and the sandbox is removed.
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("stopping the drill: cleanup steps still run");
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
        };
        if dry_run {
            return match drill::dry_run(&d, scenario).await {
                Ok(found) => {
                    if json {
                        println!(
                            "{:#}",
                            json!({ "scenario": scenario, "steps": found.lines, "problems": found.problems })
                        );
                    } else {
                        println!("dry run of \"{scenario}\": nothing is run or recorded");
                        for line in &found.lines {
                            println!("  {line}");
                        }
                        for p in &found.problems {
                            eprintln!("error: {p}");
                        }
                        if found.problems.is_empty() {
                            println!("ready to run");
                        }
                    }
                    if found.problems.is_empty() {
                        0
                    } else {
                        exit::FOUND
                    }
                }
                Err(why) => {
                    eprintln!("error: {why}");
                    exit::USAGE
                }
            };
        }
        match drill::run(&d, scenario).await {
            Ok(ran) => {
                if json {
                    println!(
                        "{:#}",
                        json!({
                            "run": ran.run,
                            "passed": ran.passed,
                            "drill": ran.record,
                            "steps": ran.steps,
                        })
                    );
                }
                if ran.passed { 0 } else { exit::FOUND }
            }
            Err(why) => {
                eprintln!("error: {why}");
                exit::FOUND
            }
        }
    })
}

/// Every record of `query`, oldest first.
async fn all(tenant: &TenantScope, query: EvidenceQuery) -> Result<Vec<Evidence>, u8> {
    tenant.evidence_all(&query).await.map_err(|e| {
        eprintln!("error: {e}");
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

async fn list(tenant: TenantScope, scenario: Option<String>, limit: usize, json: bool) -> u8 {
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
        println!("{:#}", json!({ "tenant": tenant.id(), "runs": runs }));
        return 0;
    }
    if newest.is_empty() {
        println!("no drill has run yet (rempart drill run SCENARIO)");
    }
    for e in newest {
        let r = &e.record;
        let m = &r.measurements;
        println!(
            "{:<34} {}  {:<7}  RTO {:>8}  RPO {:>8}  {}",
            m["run"].as_str().unwrap_or("?"),
            ms_to_text(r.started_ms),
            if r.outcome == Outcome::Success {
                "passed"
            } else {
                "FAILED"
            },
            opt_human(&m["rto_ms"]),
            opt_human(&m["rpo_ms"]),
            r.message
        );
    }
    0
}

async fn show(tenant: TenantScope, run: String, json: bool) -> u8 {
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
        eprintln!("error: no drill run \"{run}\" (see rempart drill list)");
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
        println!(
            "{:#}",
            json!({
                "run": run,
                "scenario": scenario,
                "drill": summary.as_ref().map(run_json),
                "steps": steps,
            })
        );
        return 0;
    }
    match &summary {
        Some(s) => println!(
            "drill {run} — scenario \"{scenario}\" — {}\n  {}",
            if s.record.outcome == Outcome::Success {
                "passed"
            } else {
                "FAILED"
            },
            s.record.message
        ),
        None => println!(
            "drill {run} — scenario \"{scenario}\" — still running (or stopped before its end)"
        ),
    }
    for e in &steps {
        let r = &e.record;
        let m = &r.measurements;
        println!(
            "  [{}] {:<30} {:<9} {:<7} {:>8}  {}",
            m["index"],
            m["name"].as_str().unwrap_or(""),
            m["kind"].as_str().unwrap_or(""),
            r.outcome.as_str(),
            opt_human(&m["duration_ms"]),
            r.message
        );
        if let Some(digest) = m["stdout"]["sha256"].as_str() {
            println!(
                "      stdout {} bytes, sha256 {}",
                m["stdout"]["bytes"],
                &digest[..16.min(digest.len())]
            );
        }
    }
    0
}

async fn confirm(tenant: TenantScope, run: String, step: u64, note: Option<String>) -> u8 {
    // Only a manual step of a drill running now, reached and not ended.
    let Some(active) = rempart_engine::active_plan(
        &tenant,
        std::path::Path::new("."),
        &rempart_engine::PlanCache::default(),
    )
    .await
    else {
        eprintln!(
            "error: tenant \"{}\" has no plan: no drill runs",
            tenant.id()
        );
        return exit::USAGE;
    };
    match drill::confirmable(&tenant, &active.plan, &run, step, rempart_store::now_ms()).await {
        Ok(Ok(())) => {}
        Ok(Err(why)) => {
            eprintln!("error: {why}");
            return exit::USAGE;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FOUND;
        }
    }
    let by = crate::cli_identity();
    match tenant
        .append(drill::confirmation(&run, step, &by, note.as_deref()))
        .await
    {
        Ok(e) => {
            println!(
                "step {step} of drill {run} confirmed by {by} (evidence #{})",
                e.seq
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::FOUND
        }
    }
}
