//! `rempart status`: each process's targets against what was measured.

use rempart_core::assessment::{Assessment, Rule32110, Status, human};
use rempart_core::plan::{self, Language, Plan};
use rempart_store::{TenantScope, now_ms};
use serde_json::json;

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

/// The plan to read from a file, when the command reads one: `-c` when
/// it exists and no tenant is named (it becomes the default tenant's
/// active plan, as with every other command); the store's otherwise.
fn file_plan(
    g: &Global,
    tenant: Option<&str>,
) -> Result<Option<(Plan, std::path::PathBuf, String)>, u8> {
    if tenant.is_none() && g.plan.exists() {
        load_plan(g).map(Some)
    } else {
        Ok(None)
    }
}

/// The tenant and its plan, from the file or from the store.
async fn scope_and_plan(
    g: &Global,
    tenant: Option<&str>,
    file: Option<(Plan, std::path::PathBuf, String)>,
) -> Result<(TenantScope, Plan), u8> {
    if let Some((plan, _, text)) = file {
        return evidence_scope(g, &plan, &text).await.map(|t| (t, plan));
    }
    let store = open_store(g).await?;
    let id = tenant.unwrap_or(DEFAULT_TENANT);
    let scope = store.tenant(id).await.map_err(|e| {
        eprintln!("error: {e}");
        exit::USAGE
    })?;
    let plan = stored_plan(&scope).await?;
    Ok((scope, plan))
}

/// Runs `body` with the tenant and its plan (from the file or the store).
pub(crate) fn with_tenant_plan<F, Fut>(g: &Global, tenant: Option<&str>, body: F) -> u8
where
    F: FnOnce(TenantScope, Plan) -> Fut,
    Fut: std::future::Future<Output = u8>,
{
    let file = match file_plan(g, tenant) {
        Ok(f) => f,
        Err(code) => return code,
    };
    runtime(async {
        match scope_and_plan(g, tenant, file).await {
            Ok((t, p)) => body(t, p).await,
            Err(code) => code,
        }
    })
}

pub fn run(g: &Global, args: StatusArgs) -> u8 {
    with_tenant_plan(g, args.tenant.as_deref(), |tenant, plan| async move {
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

#[derive(clap::Args)]
pub struct SlaArgs {
    /// The month, YYYY-MM (default: this month, in the organisation's time zone)
    #[arg(long)]
    month: Option<String>,
    /// Tenant, with its active plan in the store
    #[arg(long)]
    tenant: Option<String>,
    #[arg(long)]
    json: bool,
}

/// The month's first instant and the next month's, in ms, in zone `tz`.
fn month_bounds(month: Option<&str>, tz: &str, now: i64) -> Result<(String, i64, i64), String> {
    use chrono::{Datelike, TimeZone};
    let zone: chrono_tz::Tz = tz
        .parse()
        .map_err(|_| format!("unknown time zone \"{tz}\""))?;
    let (y, m) = match month {
        Some(text) => {
            let bad = || format!("\"{text}\" is not a month such as 2026-11");
            let (y, m) = text.split_once('-').ok_or_else(bad)?;
            let y: i32 = y.parse().map_err(|_| bad())?;
            let m: u32 = m.parse().map_err(|_| bad())?;
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            (y, m)
        }
        None => {
            let today = chrono::DateTime::from_timestamp_millis(now)
                .unwrap_or_default()
                .with_timezone(&zone);
            (today.year(), today.month())
        }
    };
    let first = |y: i32, m: u32| {
        zone.with_ymd_and_hms(y, m, 1, 0, 0, 0)
            .earliest()
            .map(|t| t.timestamp_millis())
            .ok_or_else(|| format!("{y}-{m:02} cannot be placed in {tz}"))
    };
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Ok((format!("{y}-{m:02}"), first(y, m)?, first(ny, nm)?))
}

pub fn sla(g: &Global, args: SlaArgs) -> u8 {
    with_tenant_plan(g, args.tenant.as_deref(), |tenant, plan| async move {
        let now = now_ms();
        let tz = plan.organization.timezone.clone();
        let (month, from, to) = match month_bounds(args.month.as_deref(), &tz, now) {
            Ok(b) => b,
            Err(why) => {
                eprintln!("error: {why}");
                return exit::USAGE;
            }
        };
        let outages = match tenant.downtimes(from, to).await {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}");
                return exit::FOUND;
            }
        };
        let mut rows = Vec::new();
        let mut breached = false;
        for m in &plan.monitors {
            let buckets = match tenant.buckets(m.id.as_str(), from, to).await {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("error: {e}");
                    return exit::FOUND;
                }
            };
            let u = rempart_core::sla::uptime(&buckets, from, to);
            let target = plan
                .sla
                .as_ref()
                .and_then(|s| s.targets.iter().find(|t| t.monitor == m.id))
                .map(|t| t.uptime.0);
            let compliant = match (u.percent, target) {
                (Some(p), Some(t)) => Some(p >= t),
                _ => None,
            };
            breached |= compliant == Some(false);
            let mine: Vec<_> = outages
                .iter()
                .filter(|d| d.monitor == m.id.as_str())
                .map(|d| {
                    let (start, end, ms) = rempart_core::sla::clipped(d, from, to, now);
                    json!({ "state": d.state, "start_ms": start, "end_ms": end, "open": d.end_ms.is_none(), "duration_ms": ms, "cause": d.cause })
                })
                .collect();
            let down_ms: i64 = mine.iter().filter_map(|d| d["duration_ms"].as_i64()).sum();
            rows.push(json!({
                "monitor": m.id,
                "uptime_percent": u.percent,
                "checks": u.checks,
                "up": u.up,
                "maintenance_checks": u.maintenance,
                "target_percent": target,
                "compliant": compliant,
                "down_ms": down_ms,
                "outages": mine,
            }));
        }
        if args.json {
            println!(
                "{:#}",
                json!({ "tenant": tenant.id(), "month": month, "timezone": tz, "from_ms": from, "to_ms": to, "monitors": rows })
            );
        } else {
            println!("{} — SLA {month} ({tz})", plan.organization.name);
            for r in &rows {
                let pct = r["uptime_percent"]
                    .as_f64()
                    .map_or_else(|| "no check".to_owned(), |p| format!("{p:.3}%"));
                let target = match (r["target_percent"].as_f64(), r["compliant"].as_bool()) {
                    (Some(t), Some(true)) => format!("target {t}%: compliant"),
                    (Some(t), Some(false)) => format!("target {t}%: BREACHED"),
                    (Some(t), None) => format!("target {t}%"),
                    _ => "no target".to_owned(),
                };
                println!(
                    "{:<20} {:>10}  {target:<28} {} outage(s), {} down, {} check(s) in maintenance",
                    r["monitor"].as_str().unwrap_or(""),
                    pct,
                    r["outages"].as_array().map_or(0, Vec::len),
                    human(r["down_ms"].as_i64().unwrap_or(0)),
                    r["maintenance_checks"]
                );
                for o in r["outages"].as_array().into_iter().flatten() {
                    println!(
                        "    {} {} → {}{} ({}): {}",
                        o["state"].as_str().unwrap_or(""),
                        crate::evidence_cmd::ms_to_text(o["start_ms"].as_i64().unwrap_or(0)),
                        crate::evidence_cmd::ms_to_text(o["end_ms"].as_i64().unwrap_or(0)),
                        if o["open"] == true { " (ongoing)" } else { "" },
                        human(o["duration_ms"].as_i64().unwrap_or(0)),
                        o["cause"].as_str().unwrap_or("")
                    );
                }
            }
        }
        if breached { exit::FOUND } else { 0 }
    })
}
