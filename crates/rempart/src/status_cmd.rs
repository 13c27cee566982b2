//! `rempart status`: each process's targets against what was measured.

use rempart_core::assessment::{Assessment, Rule32110, Status, human};
use rempart_core::plan::{Language, Plan};
use rempart_store::{TenantScope, now_ms};
use serde_json::json;

use crate::evidence_cmd::runtime;
use crate::out::{Lang, Out, Tone, duration, print_json, print_table, t};
use crate::tenancy::{self, Intent};
use crate::{Global, exit};

#[derive(clap::Args)]
pub struct StatusArgs {
    /// Print JSON, for scripts
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
                fail!("{e}");
                return exit::FOUND;
            }
        };
        let out = Out::new(g, Some(&plan));
        if args.json {
            print_json(&rempart_engine::status::to_json(
                tenant.id(),
                &a,
                out.lang.into(),
            ));
        } else {
            print_human(&out, tenant.id(), &plan, &a);
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

/// The organisation, the tenant and what the command shows.
pub(crate) fn heading(out: &Out, plan: &Plan, tenant: &str, what: &str) -> String {
    t!(
        out.lang,
        "tenant-heading",
        organization = plan.organization.name.as_str(),
        tenant = tenant,
        what = what
    )
}

fn print_human(out: &Out, tenant: &str, plan: &Plan, a: &Assessment) {
    let lang = out.lang;
    let language: Language = lang.into();
    println!("{}", heading(out, plan, tenant, &t!(lang, "status-title")));
    let mut table = out.table(&[
        t!(lang, "status-col-process"),
        t!(lang, "status-col-criticality"),
        t!(lang, "status-col-status"),
        t!(lang, "status-col-rto"),
        t!(lang, "status-col-rpo"),
        t!(lang, "status-col-last-drill"),
    ]);
    for p in &a.processes {
        let drill = match &p.last_drill {
            Some(d) => t!(
                lang,
                "status-last-drill",
                run = d.run.as_str(),
                outcome = if d.passed {
                    t!(lang, "outcome-success")
                } else {
                    t!(lang, "outcome-failure")
                },
                ago = out.ago(a.now_ms - d.finished_ms)
            ),
            None => t!(lang, "status-no-drill"),
        };
        let (status, tone) = match p.status {
            Status::Compliant => (p.status.text(language).to_owned(), Tone::Good),
            Status::AtRisk | Status::Untested => {
                (p.status.text(language).to_uppercase(), Tone::Warn)
            }
            Status::Breached => (p.status.text(language).to_uppercase(), Tone::Bad),
        };
        table.add_row(vec![
            out.cell(&p.id, Tone::Plain),
            out.cell(p.criticality.as_str(), Tone::Plain),
            out.cell(status, tone),
            out.cell(figure(p.achieved_rto_ms, p.rto_target_ms), Tone::Plain),
            out.cell(figure(p.rpo_exposure_ms, p.rpo_target_ms), Tone::Plain),
            out.cell(drill, Tone::Plain),
        ]);
    }
    print_table(&table);
    for p in &a.processes {
        for r in &p.reasons {
            println!("  {} — {}", p.id, r.text(language));
        }
    }
    if !a.backups.is_empty() {
        println!();
        println!("{}", t!(lang, "status-rule-title"));
        for b in &a.backups {
            println!("  {}", rule_line(out, b));
        }
    }
}

fn rule_line(out: &Out, b: &Rule32110) -> String {
    let mark = |ok: bool| {
        if ok {
            out.paint("✔", Tone::Good)
        } else {
            out.paint("✘", Tone::Bad)
        }
    };
    let lang = out.lang;
    let text = format!(
        "{}: {}",
        b.backup,
        t!(
            lang,
            "status-rule-line",
            copies_ok = mark(b.copies >= 3),
            copies = t!(lang, "count-copies", count = b.copies),
            sites_ok = mark(b.sites >= 2),
            sites = t!(lang, "count-sites", count = b.sites),
            offsite_ok = mark(b.offsite),
            immutable_ok = mark(b.immutable),
            errors_ok = mark(b.errors.is_empty()),
            errors = t!(lang, "count-errors", count = b.errors.len())
        )
    );
    match b.errors.first() {
        Some(e) => format!("{text} — {e}"),
        None => text,
    }
}

#[derive(clap::Args)]
pub struct MonitorsArgs {
    /// Print JSON, for scripts
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
                fail!("{e}");
                return exit::FOUND;
            }
        };
        let failing = rows.as_array().into_iter().flatten().any(|m| {
            matches!(m["state"].as_str(), Some("down" | "unreachable"))
                && m["maintenance"].is_null()
        });
        let out = Out::new(g, Some(&plan));
        if args.json {
            print_json(&json!({ "tenant": tenant.id(), "now_ms": now, "monitors": rows }));
        } else {
            let lang = out.lang;
            println!(
                "{}",
                heading(&out, &plan, tenant.id(), &t!(lang, "monitors-title"))
            );
            let mut table = out.table(&[
                t!(lang, "monitors-col-monitor"),
                t!(lang, "monitors-col-kind"),
                t!(lang, "monitors-col-state"),
                t!(lang, "monitors-col-since"),
                t!(lang, "monitors-col-checked"),
            ]);
            let mut said = Vec::new();
            for m in rows.as_array().into_iter().flatten() {
                let in_maintenance = m["maintenance"].is_string();
                let (state, tone) = match m["state"].as_str() {
                    Some("up") => (t!(lang, "monitor-state-up"), Tone::Good),
                    Some("down") => (t!(lang, "monitor-state-down"), Tone::Bad),
                    Some("unreachable") => (t!(lang, "monitor-state-unreachable"), Tone::Bad),
                    _ => (t!(lang, "monitor-state-unknown"), Tone::Warn),
                };
                let tone = if in_maintenance { Tone::Warn } else { tone };
                let mut notes = Vec::new();
                if let Some(w) = m["maintenance"].as_str() {
                    notes.push(t!(lang, "monitor-maintenance", window = w));
                }
                if m["flapping"] == true {
                    notes.push(t!(lang, "monitor-flapping"));
                }
                let state = if notes.is_empty() {
                    state
                } else {
                    format!("{state} ({})", notes.join(", "))
                };
                let since = m["since_ms"]
                    .as_i64()
                    .map(|s| t!(lang, "for-duration", duration = duration(now - s)))
                    .unwrap_or_default();
                let checked = m["last_check_ms"]
                    .as_i64()
                    .map_or_else(|| t!(lang, "monitor-never-checked"), |c| out.ago(now - c));
                let id = m["id"].as_str().unwrap_or("");
                table.add_row(vec![
                    out.cell(id, Tone::Plain),
                    out.cell(m["kind"].as_str().unwrap_or(""), Tone::Plain),
                    out.cell(state, tone),
                    out.cell(since, Tone::Plain),
                    out.cell(checked, Tone::Plain),
                ]);
                let text = rempart_i18n::tell(lang, &m["last_said"])
                    .or_else(|| m["last_message"].as_str().map(str::to_owned));
                if let Some(text) = text {
                    said.push(format!("  {id} — {}", clip(&text, 100)));
                }
            }
            print_table(&table);
            for line in said {
                println!("{line}");
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
    /// Print JSON, for scripts
    #[arg(long)]
    json: bool,
}

pub fn sla(g: &Global, args: SlaArgs) -> u8 {
    with_tenant_plan(g, |tenant, plan| async move {
        let now = now_ms();
        let tz = plan.organization.timezone.clone();
        let (month, from, to) =
            match rempart_core::sla::month_bounds(args.month.as_deref(), &tz, now) {
                Ok(b) => b,
                Err(why) => {
                    fail!("{why}");
                    return exit::USAGE;
                }
            };
        let outages = match tenant.downtimes(from, to).await {
            Ok(d) => d,
            Err(e) => {
                fail!("{e}");
                return exit::FOUND;
            }
        };
        let days = rempart_core::sla::day_bounds(from, to, &tz);
        let mut rows = Vec::new();
        let mut breached = false;
        for m in &plan.monitors {
            let buckets = match tenant.buckets(m.id.as_str(), from, to).await {
                Ok(b) => b,
                Err(e) => {
                    fail!("{e}");
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
        let out = Out::new(g, Some(&plan));
        if args.json {
            print_json(
                &json!({ "tenant": tenant.id(), "month": month, "timezone": tz, "from_ms": from, "to_ms": to, "monitors": rows }),
            );
        } else {
            print_sla(&out, &plan, tenant.id(), &month, &tz, &rows);
        }
        if breached { exit::FOUND } else { 0 }
    })
}

/// A percentage as the language writes it: `99.500 %`, `99,500 %`.
fn percent(lang: Lang, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

fn print_sla(
    out: &Out,
    plan: &Plan,
    tenant: &str,
    month: &str,
    tz: &str,
    rows: &[serde_json::Value],
) {
    let lang = out.lang;
    println!(
        "{}",
        heading(
            out,
            plan,
            tenant,
            &t!(lang, "sla-title", month = month, timezone = tz)
        )
    );
    let mut table = out.table(&[
        t!(lang, "sla-col-monitor"),
        t!(lang, "sla-col-uptime"),
        t!(lang, "sla-col-target"),
        t!(lang, "sla-col-outages"),
    ]);
    let mut details = Vec::new();
    for r in rows {
        let monitor = r["monitor"].as_str().unwrap_or("");
        let pct = r["uptime_percent"].as_f64().map_or_else(
            || t!(lang, "sla-no-check"),
            |p| format!("{} %", percent(lang, p, 3)),
        );
        let shown = |t: f64| {
            percent(lang, t, 3)
                .trim_end_matches(['0'])
                .trim_end_matches(['.', ','])
                .to_owned()
        };
        let (target, tone) = match (r["target_percent"].as_f64(), r["compliant"].as_bool()) {
            (Some(t), Some(true)) => (t!(lang, "sla-target-met", target = shown(t)), Tone::Good),
            (Some(t), Some(false)) => (
                t!(lang, "sla-target-breached", target = shown(t)),
                Tone::Bad,
            ),
            (Some(t), None) => (t!(lang, "sla-target", target = shown(t)), Tone::Plain),
            _ => (t!(lang, "sla-no-target"), Tone::Plain),
        };
        let outages = r["outages"].as_array().map_or(0, Vec::len);
        let counts = t!(
            lang,
            "sla-counts",
            outages = t!(lang, "count-outages", count = outages),
            down = duration(r["down_ms"].as_i64().unwrap_or(0)),
            maintenance = t!(
                lang,
                "count-checks-in-maintenance",
                count = r["maintenance_checks"].as_i64().unwrap_or(0)
            )
        );
        table.add_row(vec![
            out.cell(monitor, Tone::Plain),
            out.cell(pct, tone),
            out.cell(target, tone),
            out.cell(counts, Tone::Plain),
        ]);
        let below: Vec<String> = r["days"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| {
                let p = d["uptime_percent"].as_f64()?;
                (p < 100.0).then(|| {
                    format!(
                        "{} {} %",
                        d["date"].as_str().unwrap_or(""),
                        percent(lang, p, 3)
                    )
                })
            })
            .collect();
        if !below.is_empty() {
            details.push(format!(
                "  {monitor} — {}",
                t!(lang, "sla-days-below", days = below.join(", "))
            ));
        }
        for o in r["outages"].as_array().into_iter().flatten() {
            let state = match o["state"].as_str().unwrap_or("") {
                "down" => t!(lang, "sla-outage-down"),
                _ => t!(lang, "sla-outage-unreachable"),
            };
            let end = if o["open"] == true {
                t!(lang, "sla-outage-ongoing")
            } else {
                out.time(o["end_ms"].as_i64().unwrap_or(0))
            };
            details.push(format!(
                "  {monitor} — {state} {} → {end} ({}): {}",
                out.time(o["start_ms"].as_i64().unwrap_or(0)),
                duration(o["duration_ms"].as_i64().unwrap_or(0)),
                o["cause"].as_str().unwrap_or("")
            ));
        }
    }
    print_table(&table);
    for line in details {
        println!("{line}");
    }
}
