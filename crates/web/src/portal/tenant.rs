//! A tenant's dashboard: each process's measured RTO and RPO against its
//! targets, the 3-2-1-1-0 rule per backup, the monitors' state, the open
//! alerts (acknowledged from here by the MSP), all from the evidence.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rempart_core::assessment::{ProcessAssessment, Rule32110};
use rempart_core::plan::Language;
use rempart_i18n::{Lang, t};

use super::{Frame, Person, html};
use crate::AppState;

/// `350 ms`, `90 s`, `35 min`, `4 h`, `4 h 10 min`, `3 d 2 h` (`j` in French).
pub(crate) fn human_ms(lang: Lang, ms: i64) -> String {
    let ms = ms.max(0);
    let s = ms / 1000;
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    match (d, h, m) {
        (0, 0, 0) if ms < 1000 => t!(lang, "portal-milliseconds", ms = ms),
        (0, 0, 0) => t!(lang, "portal-seconds", seconds = s),
        (0, 0, m) => t!(lang, "portal-minutes", minutes = m),
        (0, h, 0) => t!(lang, "portal-hours", hours = h),
        (0, h, m) => t!(lang, "portal-hours-minutes", hours = h, minutes = m),
        (d, 0, _) => t!(lang, "portal-days", days = d),
        (d, h, _) => t!(lang, "portal-days-hours", days = d, hours = h),
    }
}

/// A measured figure against its target, as a bar.
pub(crate) struct Gauge {
    pub label: String,
    /// "12 s / 4 h", or "not measured yet".
    pub text: String,
    /// Width of the bar, in percent of the track (the target at 80 %).
    pub width: u32,
    /// `good`, `warn`, `bad` or `none`.
    pub tone: &'static str,
}

fn gauge(lang: Lang, label: String, measured: Option<i64>, target: i64) -> Gauge {
    let target_text = human_ms(lang, target);
    match measured {
        Some(m) => {
            let ratio = m as f64 / target.max(1) as f64;
            Gauge {
                label,
                text: t!(
                    lang,
                    "portal-measured-of-target",
                    measured = human_ms(lang, m),
                    target = target_text
                ),
                // The target sits at 80 % of the track: past it shows.
                width: (ratio * 80.0).clamp(2.0, 100.0) as u32,
                tone: if ratio <= 0.75 {
                    "good"
                } else if ratio <= 1.0 {
                    "warn"
                } else {
                    "bad"
                },
            }
        }
        None => Gauge {
            label,
            text: t!(lang, "portal-not-measured", target = target_text),
            width: 0,
            tone: "none",
        },
    }
}

pub(crate) struct ProcessCard {
    pub name: String,
    pub criticality: String,
    pub class: &'static str,
    pub status: String,
    /// The RTO, then the RPO.
    pub gauges: [Gauge; 2],
    pub reasons: Vec<String>,
    /// The achieved RTO of its drills over the last year (SVG).
    pub trend: Option<String>,
}

fn process_card(lang: Lang, p: &ProcessAssessment) -> ProcessCard {
    let language = Language::from(lang);
    ProcessCard {
        name: p.name.clone(),
        criticality: t!(lang, "portal-criticality", level = p.criticality.as_str()),
        class: p.status.as_str(),
        status: p.status.text(language).to_owned(),
        gauges: [
            gauge(
                lang,
                t!(lang, "portal-rto"),
                p.achieved_rto_ms,
                p.rto_target_ms,
            ),
            gauge(
                lang,
                t!(lang, "portal-rpo"),
                p.rpo_exposure_ms,
                p.rpo_target_ms,
            ),
        ],
        reasons: p.reasons.iter().map(|r| r.text(language)).collect(),
        trend: None,
    }
}

pub(crate) struct BackupRow {
    pub id: String,
    pub copies: String,
    pub sites: String,
    pub offsite: String,
    pub immutable: String,
    pub errors: String,
    pub class: &'static str,
    pub verdict: String,
}

fn backup_row(lang: Lang, b: &Rule32110) -> BackupRow {
    let yes_no = |v: bool| {
        if v {
            t!(lang, "portal-yes")
        } else {
            t!(lang, "portal-no")
        }
    };
    BackupRow {
        id: b.backup.clone(),
        copies: format!("{} / 3", b.copies),
        sites: format!("{} / 2", b.sites),
        offsite: yes_no(b.offsite),
        immutable: yes_no(b.immutable),
        errors: if b.errors.is_empty() {
            "0".to_owned()
        } else {
            b.errors.join(" ; ")
        },
        class: if b.holds { "compliant" } else { "breached" },
        verdict: if b.holds {
            t!(lang, "portal-rule-holds")
        } else {
            t!(lang, "portal-rule-fails")
        },
    }
}

pub(crate) struct MonitorRow {
    pub id: String,
    pub name: String,
    pub class: &'static str,
    pub state: String,
    pub since: String,
    pub message: String,
}

pub(crate) struct AlertRow {
    pub id: i64,
    pub monitor: String,
    pub opened: String,
    pub acked: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/tenant.html")]
struct TenantPage {
    /// The open crisis' heading, if one is open.
    crisis: Option<String>,
    crisis_link: String,
    frame: Frame,
    tabs: Vec<super::Tab>,
    heading: String,
    tenant: String,
    d: std::sync::Arc<Dashboard>,
    processes_heading: String,
    backups_heading: String,
    col_backup: String,
    col_copies: String,
    col_sites: String,
    col_offsite: String,
    col_immutable: String,
    col_errors: String,
    col_rule: String,
    monitors_heading: String,
    col_monitor: String,
    col_state: String,
    col_since: String,
    col_message: String,
    alerts_heading: String,
    no_alert: String,
    ack_label: String,
    may_ack: bool,
    uptime_heading: String,
}

/// A monitor's last 90 days and its month against the `[sla]` target.
pub(crate) struct UptimeRow {
    pub name: String,
    pub month: String,
    pub class: &'static str,
    pub month_bar: String,
    pub bars: String,
}

/// Days shown in the uptime bars.
const UPTIME_DAYS: i64 = 90;

/// A percentage as the language writes it: `99.95 %`, `99,95 %`.
pub(crate) fn percent(lang: Lang, p: f64) -> String {
    let text = format!("{p:.2}");
    match lang {
        Lang::Fr => format!("{}\u{a0}%", text.replace('.', ",")),
        Lang::En => format!("{text}%"),
    }
}

/// The start (ms) of each of the last `n` days in `zone`, oldest first,
/// with its date; the last one is today.
fn local_days(zone: chrono_tz::Tz, now_ms: i64, n: i64) -> Vec<(chrono::NaiveDate, i64)> {
    use chrono::TimeZone;
    let today = chrono::DateTime::from_timestamp_millis(now_ms)
        .unwrap_or_default()
        .with_timezone(&zone)
        .date_naive();
    (0..n)
        .rev()
        .filter_map(|back| {
            let date = today - chrono::Duration::days(back);
            let midnight = date.and_hms_opt(0, 0, 0)?;
            let start = zone.from_local_datetime(&midnight).earliest()?;
            Some((date, start.timestamp_millis()))
        })
        .collect()
}

/// Each monitor's 90 days of uptime (one bar a day) and its month's SLA,
/// from one query that sums the checks per monitor and day.
async fn uptime_rows(
    lang: Lang,
    scope: &rempart_store::TenantScope,
    plan: &rempart_core::plan::Plan,
    zone: chrono_tz::Tz,
    now: i64,
) -> Vec<UptimeRow> {
    use chrono::Offset;
    let days = local_days(zone, now, UPTIME_DAYS);
    let Some(&(_, from)) = days.first() else {
        return Vec::new();
    };
    let offset_ms = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .with_timezone(&zone)
        .offset()
        .fix()
        .local_minus_utc() as i64
        * 1000;
    let epoch = chrono::NaiveDate::default();
    let number = |date: &chrono::NaiveDate| (*date - epoch).num_days();
    let month_first = days
        .iter()
        .rev()
        .find(|(date, _)| chrono::Datelike::day(date) == 1)
        .map_or(number(&days[0].0), |(date, _)| number(date));
    let daily = scope
        .daily_checks(from, now + 1, offset_ms)
        .await
        .unwrap_or_else(|e| {
            tracing::error!(tenant = scope.id(), error = %e, "cannot read checks per day");
            Default::default()
        });
    let none = Vec::new();
    let mut rows = Vec::new();
    for m in &plan.monitors {
        let mine = daily.get(m.id.as_str()).unwrap_or(&none);
        let target = plan
            .sla
            .as_ref()
            .and_then(|s| s.targets.iter().find(|t| t.monitor == m.id))
            .map(|t| t.uptime.0);
        let by_day: std::collections::HashMap<i64, rempart_core::sla::Bucket> =
            mine.iter().map(|(d, b)| (*d, *b)).collect();
        let of_day = |n: i64| {
            let day = by_day.get(&n).map_or(&[][..], std::slice::from_ref);
            rempart_core::sla::uptime(day, i64::MIN, i64::MAX).percent
        };
        // Consecutive days that read the same share their bars' tooltip.
        // (first day, last day, percent, colour and percent as shown)
        type Run = (
            chrono::NaiveDate,
            chrono::NaiveDate,
            Option<f64>,
            (&'static str, Option<String>),
        );
        let mut runs: Vec<Run> = Vec::new();
        for (date, _) in &days {
            let p = of_day(number(date));
            let look = (
                rempart_core::charts::day_colour(p, target),
                p.map(|p| percent(lang, p)),
            );
            match runs.last_mut() {
                Some((_, to, _, seen)) if *seen == look => *to = *date,
                _ => runs.push((*date, *date, p, look)),
            }
        }
        let bars: Vec<rempart_core::charts::Days> = runs
            .into_iter()
            .map(|(from, to, p, _)| {
                let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
                let title = match (p, from == to) {
                    (Some(p), true) => t!(
                        lang,
                        "portal-uptime-day",
                        date = day(from),
                        percent = percent(lang, p)
                    ),
                    (None, true) => t!(lang, "portal-uptime-day-none", date = day(from)),
                    (Some(p), false) => t!(
                        lang,
                        "portal-uptime-days",
                        from = day(from),
                        to = day(to),
                        percent = percent(lang, p)
                    ),
                    (None, false) => t!(
                        lang,
                        "portal-uptime-days-none",
                        from = day(from),
                        to = day(to)
                    ),
                };
                rempart_core::charts::Days {
                    count: (number(&to) - number(&from) + 1) as usize,
                    percent: p,
                    title,
                }
            })
            .collect();
        let month = {
            let buckets: Vec<_> = mine
                .iter()
                .filter(|(d, _)| *d >= month_first)
                .map(|(_, b)| *b)
                .collect();
            rempart_core::sla::uptime(&buckets, i64::MIN, i64::MAX)
        };
        let name = m.name.clone().unwrap_or_else(|| m.id.to_string());
        let (class, text) = match (month.percent, target) {
            (None, _) => ("none", t!(lang, "portal-uptime-month-none")),
            (Some(p), Some(t)) => (
                if p >= t { "compliant" } else { "breached" },
                t!(
                    lang,
                    "portal-uptime-month-target",
                    percent = percent(lang, p),
                    target = percent(lang, t)
                ),
            ),
            (Some(p), None) => (
                "none",
                t!(lang, "portal-uptime-month", percent = percent(lang, p)),
            ),
        };
        rows.push(UptimeRow {
            bars: rempart_core::charts::uptime_bars(
                &bars,
                target,
                &t!(lang, "portal-uptime-label", monitor = name.as_str()),
            ),
            month_bar: rempart_core::charts::sla_bar(month.percent, target, &text),
            month: text,
            class,
            name,
        });
    }
    rows
}

/// The achieved RTO of each process's drills over the last year, as a
/// trend against its target.
async fn rto_trends(
    lang: Lang,
    scope: &rempart_store::TenantScope,
    processes: &[&ProcessAssessment],
    zone: chrono_tz::Tz,
    now: i64,
) -> Vec<Option<String>> {
    let drills = scope
        .evidence_all(&rempart_store::EvidenceQuery {
            kind: Some(rempart_core::evidence::EvidenceKind::Drill),
            from_ms: Some(now - 366 * 86_400_000),
            ..rempart_store::EvidenceQuery::default()
        })
        .await
        .unwrap_or_default();
    let date = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.with_timezone(&zone).format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    processes
        .iter()
        .map(|p| {
            let runs: Vec<_> = drills
                .iter()
                .filter(|e| e.record.measurements["process"].as_str() == Some(p.id.as_str()))
                .filter_map(|e| {
                    let rto = e.record.measurements["rto_ms"].as_i64()?;
                    Some((
                        e.record.started_ms,
                        rto,
                        e.record.outcome == rempart_core::evidence::Outcome::Success,
                    ))
                })
                .collect();
            let (first, last) = (runs.first()?, runs.last()?);
            let points: Vec<rempart_core::charts::Point> = runs
                .iter()
                .map(|(at, rto, passed)| rempart_core::charts::Point {
                    value_ms: *rto,
                    passed: *passed,
                    title: t!(
                        lang,
                        "portal-trend-point",
                        date = date(*at),
                        rto = human_ms(lang, *rto)
                    ),
                })
                .collect();
            Some(rempart_core::charts::trend(
                &points,
                p.rto_target_ms,
                &t!(
                    lang,
                    "portal-trend-target",
                    target = human_ms(lang, p.rto_target_ms)
                ),
                &date(first.0),
                &date(last.0),
                &t!(lang, "portal-trend-label", process = p.name.as_str()),
            ))
        })
        .collect()
}

/// How long ago `ms` was, in words.
pub(crate) fn ago(lang: Lang, ms: i64, now: i64) -> String {
    if now - ms < 1000 {
        return t!(lang, "portal-just-now");
    }
    t!(lang, "portal-ago", duration = human_ms(lang, now - ms))
}

/// The measured part of a dashboard (everything but the frame and the
/// person's controls), made per tenant, language and time zone and kept
/// until the tenant changes (see `kept`).
pub(crate) struct Dashboard {
    /// The tenant's name.
    name: String,
    no_plan: Option<String>,
    processes: Vec<ProcessCard>,
    backups: Vec<BackupRow>,
    monitors: Vec<MonitorRow>,
    alerts: Vec<AlertRow>,
    uptime: Vec<UptimeRow>,
}

/// Reads and assesses `scope` for its dashboard, dates in `zone` (else
/// the plan's).
async fn dashboard(
    state: &AppState,
    scope: &rempart_store::TenantScope,
    lang: Lang,
    zone: Option<chrono_tz::Tz>,
) -> Dashboard {
    let now = rempart_store::now_ms();
    let tenant = scope.id();
    let mut d = Dashboard {
        name: scope
            .info()
            .await
            .map_or_else(|_| tenant.to_owned(), |t| t.name),
        no_plan: None,
        processes: Vec::new(),
        backups: Vec::new(),
        monitors: Vec::new(),
        alerts: Vec::new(),
        uptime: Vec::new(),
    };
    let active = rempart_engine::active_plan(scope, std::path::Path::new("."), &state.plans).await;
    let Some(active) = active else {
        d.no_plan = Some(t!(lang, "portal-tenant-no-plan"));
        return d;
    };
    let plan = &active.plan;
    let zone = zone.unwrap_or_else(|| super::plan_zone(plan));
    d.uptime = uptime_rows(lang, scope, plan, zone, now).await;
    match rempart_engine::status::assess(scope, plan, now).await {
        Ok(a) => {
            let mut processes: Vec<&ProcessAssessment> = a.processes.iter().collect();
            processes.sort_by_key(|p| std::cmp::Reverse(p.status.gauge()));
            let trends = rto_trends(lang, scope, &processes, zone, now).await;
            d.processes = processes
                .into_iter()
                .zip(trends)
                .map(|(p, trend)| ProcessCard {
                    trend,
                    ..process_card(lang, p)
                })
                .collect();
            d.backups = a.backups.iter().map(|b| backup_row(lang, b)).collect();
        }
        Err(e) => tracing::error!(tenant, error = %e, "cannot assess a tenant for its dashboard"),
    }
    let states = scope.all_monitor_states().await.unwrap_or_default();
    for m in &plan.monitors {
        let tracker = states.get(m.id.as_str()).map(|(t, _)| t);
        let (class, state_word) = match tracker.and_then(|t| t.state) {
            Some(rempart_core::monitoring::Health::Up) => ("compliant", t!(lang, "portal-up")),
            Some(rempart_core::monitoring::Health::Down) => ("breached", t!(lang, "portal-down")),
            Some(rempart_core::monitoring::Health::Unreachable) => {
                ("at-risk", t!(lang, "portal-unreachable"))
            }
            None => ("none", t!(lang, "portal-unknown")),
        };
        let message = tracker
            .filter(|t| t.last_check_ms > 0)
            .map(|t| match &t.last_said {
                Some(said) => {
                    rempart_i18n::tell(lang, said).unwrap_or_else(|| t.last_message.clone())
                }
                None => t.last_message.clone(),
            })
            .unwrap_or_default();
        d.monitors.push(MonitorRow {
            id: m.id.to_string(),
            name: m.name.clone().unwrap_or_else(|| m.id.to_string()),
            class,
            state: state_word,
            since: tracker
                .filter(|t| t.state.is_some())
                .map(|t| ago(lang, t.since_ms, now))
                .unwrap_or_default(),
            message,
        });
    }
    let alerts = scope.alerts(50).await.unwrap_or_default();
    d.alerts = alerts
        .into_iter()
        .filter(|a| a.resolved_ms.is_none())
        .map(|a| AlertRow {
            id: a.id,
            monitor: a.monitor,
            opened: ago(lang, a.opened_ms, now),
            acked: a.acked_ms.map(|at| {
                t!(
                    lang,
                    "portal-acked-by",
                    by = a.acked_by.clone().unwrap_or_default(),
                    ago = ago(lang, at, now)
                )
            }),
        })
        .collect();
    // Unacknowledged first.
    d.alerts.sort_by_key(|a| a.acked.is_some());
    d
}

/// `GET /t/{tenant}`.
pub(super) async fn page(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    person: Person,
) -> Response {
    let scope = match person.tenant(&state, &tenant).await {
        Ok(scope) => scope,
        Err(page) => return page,
    };
    let lang = person.lang;
    let zone = person.zone();
    // An open crisis is said first, whatever the page kept.
    let crisis = match rempart_engine::crisis::current(&scope).await {
        Ok(Some(c)) => Some(t!(
            lang,
            "crisis-cli-heading",
            exercise = if c.is_exercise() { "yes" } else { "no" },
            id = c.id.as_str(),
            title = c.title.as_str(),
            severity = c.severity
        )),
        _ => None,
    };
    let key = (
        tenant.clone(),
        format!("{}:{}", lang.code(), zone.map_or("plan", |z| z.name())),
    );
    let of = state.clone();
    let d = state
        .kept
        .dashboards
        .get(&state.store, key, move || async move {
            std::sync::Arc::new(dashboard(&of, &scope, lang, zone).await)
        })
        .await;
    let page = TenantPage {
        crisis,
        crisis_link: t!(lang, "portal-crisis-open-link"),
        frame: person.frame(d.name.clone()).await,
        heading: d.name.clone(),
        tenant: tenant.clone(),
        tabs: super::tabs(lang, &tenant, "dashboard"),
        d,
        processes_heading: t!(lang, "portal-processes"),
        backups_heading: t!(lang, "portal-backups"),
        col_backup: t!(lang, "portal-col-backup"),
        col_copies: t!(lang, "portal-col-copies"),
        col_sites: t!(lang, "portal-col-sites"),
        col_offsite: t!(lang, "portal-col-offsite"),
        col_immutable: t!(lang, "portal-col-immutable"),
        col_errors: t!(lang, "portal-col-errors"),
        col_rule: t!(lang, "portal-col-rule"),
        monitors_heading: t!(lang, "portal-monitors"),
        col_monitor: t!(lang, "portal-col-monitor"),
        col_state: t!(lang, "portal-col-state"),
        col_since: t!(lang, "portal-col-since"),
        col_message: t!(lang, "portal-col-message"),
        alerts_heading: t!(lang, "portal-alerts"),
        no_alert: t!(lang, "portal-no-alert"),
        ack_label: t!(lang, "portal-ack"),
        may_ack: person.user.role.is_msp(),
        uptime_heading: t!(lang, "portal-uptime-heading"),
    };
    html(StatusCode::OK, &page)
}

/// `POST /t/{tenant}/alerts/{id}/ack`: the MSP acknowledges an alert;
/// its escalation stops, and the record names who did it.
pub(super) async fn ack(
    State(state): State<AppState>,
    Path((tenant, id)): Path<(String, i64)>,
    person: Person,
    headers: HeaderMap,
    Form(form): Form<super::CsrfForm>,
) -> Response {
    let scope = match person
        .posted_by(
            &state,
            &headers,
            &form.csrf,
            &tenant,
            rempart_store::Role::is_msp,
        )
        .await
    {
        Ok(scope) => scope,
        Err(refused) => return refused,
    };
    let by = format!("portal:{}", person.user.email);
    match rempart_engine::notify::alert::acknowledge(&scope, id, &by, "portal").await {
        Ok(Some(_)) => Redirect::to(&format!("/t/{tenant}")).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot acknowledge an alert");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(human_ms(Lang::En, 350), "350 ms");
        assert_eq!(human_ms(Lang::En, 12_400), "12 s");
        assert_eq!(human_ms(Lang::En, 4 * 3_600_000), "4 h");
        assert_eq!(human_ms(Lang::Fr, 86_400_000), "1 j");
        assert_eq!(human_ms(Lang::En, 35 * 60_000), "35 min");
        assert_eq!(human_ms(Lang::En, 4 * 3_600_000 + 600_000), "4 h 10 min");
        assert_eq!(human_ms(Lang::Fr, 3 * 86_400_000 + 7_200_000), "3 j 2 h");
        assert_eq!(human_ms(Lang::En, 3 * 86_400_000 + 7_200_000), "3 d 2 h");
    }

    #[test]
    fn a_gauge_puts_the_target_at_four_fifths() {
        let g = gauge(Lang::En, "RTO".into(), Some(3_600_000), 3_600_000);
        assert_eq!((g.width, g.tone), (80, "warn"));
        let g = gauge(Lang::En, "RTO".into(), Some(60_000), 3_600_000);
        assert_eq!(g.tone, "good");
        let g = gauge(Lang::En, "RTO".into(), Some(7_200_000), 3_600_000);
        assert_eq!((g.width, g.tone), (100, "bad"));
        let g = gauge(Lang::Fr, "RPO".into(), None, 3_600_000);
        assert_eq!((g.width, g.tone), (0, "none"));
        assert!(g.text.contains("pas encore mesuré"), "{}", g.text);
    }
}
