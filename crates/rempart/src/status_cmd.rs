//! `rempart status`: each process's targets against what was measured.

use rempart_core::assessment::{Assessment, Rule32110, Status, human};
use rempart_core::plan::{self, Language, Plan};
use rempart_store::{TenantScope, now_ms};

use crate::backup_cmd::{evidence_scope, load_plan};
use crate::evidence_cmd::{open_store, runtime};
use crate::serve::DEFAULT_TENANT;
use crate::{Global, exit};

#[derive(clap::Args)]
pub struct StatusArgs {
    /// Tenant, with its active plan in the store (default: the plan file, or the default tenant's active plan)
    #[arg(long)]
    tenant: Option<String>,
    #[arg(long)]
    json: bool,
}

/// The tenant's active plan, from the store.
async fn stored_plan(tenant: &TenantScope) -> Result<Plan, u8> {
    let version = match tenant.active_plan().await {
        Ok(Some(v)) => v,
        Ok(None) => {
            eprintln!(
                "error: tenant \"{}\" has no plan yet (rempart serve loads it)",
                tenant.id()
            );
            return Err(exit::USAGE);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Err(exit::USAGE);
        }
    };
    plan::check(&version.source).plan.ok_or_else(|| {
        eprintln!(
            "error: tenant \"{}\"'s active plan no longer parses",
            tenant.id()
        );
        exit::USAGE
    })
}

pub fn run(g: &Global, args: StatusArgs) -> u8 {
    // The plan file when there is one (it becomes the default tenant's
    // active plan, as with every other command), the store's otherwise.
    let from_file = args.tenant.is_none() && g.plan.exists();
    let file_plan = if from_file {
        match load_plan(g) {
            Ok(p) => Some(p),
            Err(code) => return code,
        }
    } else {
        None
    };
    runtime(async {
        let (tenant, plan) = match file_plan {
            Some((plan, _, text)) => match evidence_scope(g, &plan, &text).await {
                Ok(t) => (t, plan),
                Err(code) => return code,
            },
            None => {
                let store = match open_store(g).await {
                    Ok(s) => s,
                    Err(code) => return code,
                };
                let id = args.tenant.as_deref().unwrap_or(DEFAULT_TENANT);
                let tenant = match store.tenant(id).await {
                    Ok(t) => t,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return exit::USAGE;
                    }
                };
                match stored_plan(&tenant).await {
                    Ok(p) => (tenant, p),
                    Err(code) => return code,
                }
            }
        };
        let now = now_ms();
        let a = match rempart_engine::status::assess(&tenant, &plan, now).await {
            Ok(a) => a,
            Err(e) => {
                eprintln!("error: {e}");
                return exit::FOUND;
            }
        };
        let lang = plan.organization.language;
        if args.json {
            println!(
                "{:#}",
                rempart_engine::status::to_json(tenant.id(), &a, lang)
            );
        } else {
            print_human(&plan, &a, lang);
        }
        if a.vital_failing() { exit::FOUND } else { 0 }
    })
}

fn figure(measured: Option<i64>, target: i64) -> String {
    format!(
        "{}/{}",
        measured.map_or_else(|| "?".to_owned(), human),
        human(target)
    )
}

fn print_human(plan: &Plan, a: &Assessment, lang: Language) {
    let fr = lang == Language::Fr;
    println!(
        "{} — {}",
        plan.organization.name,
        if fr {
            "état mesuré des processus (mesuré/objectif)"
        } else {
            "measured status of each process (measured/target)"
        }
    );
    for p in &a.processes {
        let drill = match &p.last_drill {
            Some(d) => format!(
                "{} {} {} ({})",
                if fr { "exercice" } else { "drill" },
                d.run,
                if d.passed { "ok" } else { "KO" },
                human(a.now_ms - d.finished_ms)
            ),
            None => (if fr { "aucun exercice" } else { "no drill" }).to_owned(),
        };
        let status = p.status.text(lang);
        let status = if p.status == Status::Compliant {
            status.to_owned()
        } else {
            status.to_uppercase()
        };
        println!(
            "{:<18} {:<9} {:<11} RTO {:<14} RPO {:<14} {}",
            p.id,
            p.criticality.as_str(),
            status,
            figure(p.achieved_rto_ms, p.rto_target_ms),
            figure(p.rpo_exposure_ms, p.rpo_target_ms),
            drill
        );
        for r in &p.reasons {
            println!("    - {}", r.text(lang));
        }
    }
    if !a.backups.is_empty() {
        println!("3-2-1-1-0:");
        for b in &a.backups {
            println!("  {}", rule_line(b, fr));
        }
    }
}

fn rule_line(b: &Rule32110, fr: bool) -> String {
    let mark = |ok: bool| if ok { "✔" } else { "✘" };
    let (offsite, immutable, errors) = if fr {
        ("hors site", "immuable", "erreur(s)")
    } else {
        ("off-site", "immutable", "error(s)")
    };
    let text = format!(
        "{:<16} {} {} copies, {} {} sites, {} {offsite}, {} {immutable}, {} {} {errors}",
        b.backup,
        mark(b.copies >= 3),
        b.copies,
        mark(b.sites >= 2),
        b.sites,
        mark(b.offsite),
        mark(b.immutable),
        mark(b.errors.is_empty()),
        b.errors.len()
    );
    match b.errors.first() {
        Some(e) => format!("{text} — {e}"),
        None => text,
    }
}
