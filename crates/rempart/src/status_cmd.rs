//! `rempart status`: each process's targets against what was measured.

use rempart_core::assessment::{Assessment, Rule32110, Status, human};
use rempart_core::plan::{Language, Plan};
use rempart_store::{TenantScope, now_ms};
use serde_json::json;

use crate::evidence_cmd::runtime;
use crate::tenancy::{self, Intent};
use crate::{Global, exit};

#[derive(clap::Args)]
pub struct StatusArgs {
    #[arg(long)]
    json: bool,
}

/// Runs `body` with the tenant and its plan (see [`tenancy`]); reads only.
pub(crate) fn with_tenant_plan<F, Fut>(g: &Global, body: F) -> u8
where
    F: FnOnce(TenantScope, Plan) -> Fut,
    Fut: std::future::Future<Output = u8>,
{
    runtime(async {
        match tenancy::open(g, Intent::Read).await {
            Ok(t) => body(t.scope, t.plan).await,
            Err(code) => code,
        }
    })
}

pub fn run(g: &Global, args: StatusArgs) -> u8 {
    with_tenant_plan(g, |tenant, plan| async move {
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
            print_human(tenant.id(), &plan, &a, lang);
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

fn print_human(tenant: &str, plan: &Plan, a: &Assessment, lang: Language) {
    let fr = lang == Language::Fr;
    println!(
        "{} ({} \"{tenant}\") — {}",
        plan.organization.name,
        if fr { "client" } else { "tenant" },
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
pub struct MonitorsArgs {
    #[arg(long)]
    json: bool,
}

/// One line of text, at most `max` characters.
fn clip(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() <= max {
        line.to_owned()
    } else {
        line.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
    }
}

pub fn monitors(g: &Global, args: MonitorsArgs) -> u8 {
    with_tenant_plan(g, |tenant, plan| async move {
        let now = now_ms();
        let rows = match rempart_engine::status::monitors(&tenant, &plan, now).await {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: {e}");
                return exit::FOUND;
            }
        };
        let failing = rows.as_array().into_iter().flatten().any(|m| {
            matches!(m["state"].as_str(), Some("down" | "unreachable"))
                && m["maintenance"].is_null()
        });
        if args.json {
            println!(
                "{:#}",
                json!({ "tenant": tenant.id(), "now_ms": now, "monitors": rows })
            );
        } else {
            let fr = plan.organization.language == Language::Fr;
            let say = |en: &'static str, french: &'static str| if fr { french } else { en };
            println!(
                "{} ({} \"{}\") — {}",
                plan.organization.name,
                say("tenant", "client"),
                tenant.id(),
                say("monitors", "supervision")
            );
            for m in rows.as_array().into_iter().flatten() {
                let state = match m["state"].as_str() {
                    Some("up") => say("up", "en service"),
                    Some("down") => say("DOWN", "EN PANNE"),
                    Some("unreachable") => say("unreachable", "injoignable"),
                    _ => say("unknown", "inconnu"),
                };
                let since = m["since_ms"]
                    .as_i64()
                    .map(|s| format!("{} {}", say("for", "depuis"), human(now - s)))
                    .unwrap_or_default();
                let checked = m["last_check_ms"].as_i64().map_or_else(
                    || say("never checked", "jamais contrôlé").to_owned(),
                    |c| {
                        if fr {
                            format!("contrôlé il y a {}", human(now - c))
                        } else {
                            format!("checked {} ago", human(now - c))
                        }
                    },
                );
                let mut notes = Vec::new();
                if let Some(w) = m["maintenance"].as_str() {
                    notes.push(format!("maintenance {w}"));
                }
                if m["flapping"] == true {
                    notes.push(say("flapping", "instable").to_owned());
                }
                let notes = if notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", notes.join(", "))
                };
                println!(
                    "{:<20} {:<9} {state:<12} {since:<18} {checked}{notes}",
                    m["id"].as_str().unwrap_or(""),
                    m["kind"].as_str().unwrap_or(""),
                );
                if let Some(said) = m["last_message"].as_str() {
                    println!("    {}", clip(said, 100));
                }
            }
        }
        if failing { exit::FOUND } else { 0 }
    })
}

#[derive(clap::Args)]
pub struct SlaArgs {
    /// The month, YYYY-MM (default: this month, in the organisation's time zone)
    #[arg(long)]
    month: Option<String>,
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

/// The days of `[from, to)` in zone `tz`: (YYYY-MM-DD, first instant, next day's).
fn day_bounds(from: i64, to: i64, tz: &str) -> Vec<(String, i64, i64)> {
    use chrono::TimeZone;
    let Ok(zone) = tz.parse::<chrono_tz::Tz>() else {
        return Vec::new();
    };
    let Some(mut day) =
        chrono::DateTime::from_timestamp_millis(from).map(|t| t.with_timezone(&zone).date_naive())
    else {
        return Vec::new();
    };
    let start_of = |d: chrono::NaiveDate| {
        zone.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.timestamp_millis())
    };
    let mut days = Vec::new();
    while let (Some(start), Some(next)) = (start_of(day), day.succ_opt()) {
        if start >= to {
            break;
        }
        let end = start_of(next).unwrap_or(to).min(to);
        days.push((day.format("%Y-%m-%d").to_string(), start.max(from), end));
        day = next;
    }
    days
}

pub fn sla(g: &Global, args: SlaArgs) -> u8 {
    with_tenant_plan(g, |tenant, plan| async move {
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
        let days = day_bounds(from, to, &tz);
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
            // Each day that has checks (days older than 90 days are whole UTC days).
            let daily: Vec<serde_json::Value> = days
                .iter()
                .map(|(date, s, e)| (date, rempart_core::sla::uptime(&buckets, *s, *e)))
                .filter(|(_, d)| d.checks + d.maintenance > 0)
                .map(|(date, d)| {
                    json!({ "date": date, "uptime_percent": d.percent, "checks": d.checks, "up": d.up, "maintenance_checks": d.maintenance })
                })
                .collect();
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
                "days": daily,
            }));
        }
        if args.json {
            println!(
                "{:#}",
                json!({ "tenant": tenant.id(), "month": month, "timezone": tz, "from_ms": from, "to_ms": to, "monitors": rows })
            );
        } else {
            let fr = plan.organization.language == Language::Fr;
            let say = |en: &'static str, french: &'static str| if fr { french } else { en };
            println!(
                "{} ({} \"{}\") — SLA {month} ({tz})",
                plan.organization.name,
                say("tenant", "client"),
                tenant.id()
            );
            for r in &rows {
                let pct = r["uptime_percent"].as_f64().map_or_else(
                    || say("no check", "aucun contrôle").to_owned(),
                    |p| format!("{p:.3}%"),
                );
                let target = match (r["target_percent"].as_f64(), r["compliant"].as_bool()) {
                    (Some(t), Some(true)) => format!(
                        "{} {t}%: {}",
                        say("target", "objectif"),
                        say("compliant", "conforme")
                    ),
                    (Some(t), Some(false)) => format!(
                        "{} {t}%: {}",
                        say("target", "objectif"),
                        say("BREACHED", "NON TENU")
                    ),
                    (Some(t), None) => format!("{} {t}%", say("target", "objectif")),
                    _ => say("no target", "sans objectif").to_owned(),
                };
                let (outages, down, maintenance) = (
                    r["outages"].as_array().map_or(0, Vec::len),
                    human(r["down_ms"].as_i64().unwrap_or(0)),
                    &r["maintenance_checks"],
                );
                let counts = if fr {
                    format!(
                        "{outages} panne(s), {down} d'arrêt, {maintenance} contrôle(s) en maintenance"
                    )
                } else {
                    format!(
                        "{outages} outage(s), {down} down, {maintenance} check(s) in maintenance"
                    )
                };
                println!(
                    "{:<20} {:>10}  {target:<28} {counts}",
                    r["monitor"].as_str().unwrap_or(""),
                    pct,
                );
                let below: Vec<String> = r["days"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|d| {
                        let p = d["uptime_percent"].as_f64()?;
                        (p < 100.0).then(|| format!("{} {p:.3}%", d["date"].as_str().unwrap_or("")))
                    })
                    .collect();
                if !below.is_empty() {
                    println!(
                        "    {} {}",
                        say("days under 100%:", "jours sous 100 % :"),
                        below.join(", ")
                    );
                }
                for o in r["outages"].as_array().into_iter().flatten() {
                    let state = match (o["state"].as_str().unwrap_or(""), fr) {
                        ("down", true) => "panne",
                        ("unreachable", true) => "injoignable",
                        (other, _) => other,
                    };
                    println!(
                        "    {} {} → {}{} ({}): {}",
                        state,
                        crate::evidence_cmd::ms_to_text(o["start_ms"].as_i64().unwrap_or(0)),
                        crate::evidence_cmd::ms_to_text(o["end_ms"].as_i64().unwrap_or(0)),
                        if o["open"] == true {
                            say(" (ongoing)", " (en cours)")
                        } else {
                            ""
                        },
                        human(o["duration_ms"].as_i64().unwrap_or(0)),
                        o["cause"].as_str().unwrap_or("")
                    );
                }
            }
        }
        if breached { exit::FOUND } else { 0 }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_cut_into_its_local_days_summer_time_included() {
        let (month, from, to) = month_bounds(Some("2026-10"), "Europe/Paris", 0).unwrap();
        assert_eq!(month, "2026-10");
        let days = day_bounds(from, to, "Europe/Paris");
        assert_eq!(days.len(), 31);
        assert_eq!((days[0].0.as_str(), days[0].1), ("2026-10-01", from));
        assert_eq!(days[30].2, to);
        for pair in days.windows(2) {
            assert_eq!(pair[0].2, pair[1].1, "days follow one another");
        }
        let hours = |d: &(String, i64, i64)| (d.2 - d.1) / 3_600_000;
        // Summer time ends on the 25th: that day has 25 hours.
        assert_eq!(hours(&days[24]), 25, "{}", days[24].0);
        assert_eq!(hours(&days[23]), 24);
    }
}
