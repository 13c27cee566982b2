//! `probe`: one check of a monitor (see [`crate::probe`]), recorded as
//! `probe` evidence: up or down, the time it took, what was seen, and the
//! monitor's confirmed state; a confirmed change queues its alert.

use std::time::Duration;

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_core::monitoring::{Health, Rules};
use rempart_core::plan::MonitorKind;
use rempart_store::now_ms;
use serde_json::json;

use super::{JobContext, JobResult};
use crate::probe::{self, DEFAULT_TIMEOUT, ProbeCx};

pub const KIND: &str = "probe";

pub async fn run(cx: &JobContext) -> JobResult {
    let plan = cx.plan()?;
    let m = plan
        .monitors
        .iter()
        .find(|m| m.id.as_str() == cx.job.subject)
        .ok_or_else(|| format!("the plan has no monitor \"{}\"", cx.job.subject))?;
    let check = probe::for_monitor(m)?;
    let timeout = m
        .timeout
        .map_or(DEFAULT_TIMEOUT, |t| Duration::from_millis(t.as_millis()));
    let started_ms = now_ms();
    let pcx = ProbeCx {
        tenant: &cx.tenant,
        plan,
        base: &cx.plan_base,
        timeout,
        cancel: cx.cancel.clone(),
    };
    let found = check.check(&pcx).await;
    if *cx.cancel.borrow() {
        return Err("cancelled before the probe finished".into());
    }
    // The state: confirmed before it flips, unreachable under a parent
    // that is down or whose last check failed (its own confirmation may
    // still be under way: the root cause alerts, not its consequences).
    let ids: Vec<&str> = std::iter::once(m.id.as_str())
        .chain(m.depends_on.iter().map(|d| d.as_str()))
        .collect();
    let states = cx
        .tenant
        .monitor_states(&ids)
        .await
        .map_err(|e| e.to_string())?;
    let mut tracker = states.get(m.id.as_str()).cloned().unwrap_or_default();
    let parents_down: Vec<String> = m
        .depends_on
        .iter()
        .filter(|p| {
            states
                .get(p.as_str())
                .is_some_and(|t| t.fails > 0 || t.state.is_some_and(|h| h != Health::Up))
        })
        .map(ToString::to_string)
        .collect();
    let rules = Rules {
        // A heartbeat's grace already confirms a missed ping.
        confirm: m.confirm.unwrap_or(if m.kind == MonitorKind::Heartbeat {
            1
        } else {
            2
        }),
        recover: m.recover.unwrap_or(1),
        ..Rules::default()
    };
    let now = now_ms();
    // In a maintenance window the check is recorded, the state is left as
    // it was: no alert now, and a real outage is confirmed after it.
    let stored = cx
        .tenant
        .maintenance_windows(now)
        .await
        .map_err(|e| e.to_string())?;
    let window: Option<String> = plan
        .maintenances
        .iter()
        .find(|w| w.covers(m.id.as_str(), now, &plan.organization.timezone))
        .map(|w| w.id.to_string())
        .or_else(|| {
            stored
                .iter()
                .find(|w| w.covers(m.id.as_str(), now))
                .map(|w| format!("api-{}", w.id))
        });
    let change = match window {
        Some(_) => None,
        None => tracker.observe(found.up, now, &found.message, &parents_down, rules),
    };
    cx.tenant
        .save_monitor_state(m.id.as_str(), &tracker, now)
        .await
        .map_err(|e| e.to_string())?;
    // SLA accounting: the check in its minute bucket, outages as they open and close.
    let sla = async {
        cx.tenant
            .record_check(
                m.id.as_str(),
                now,
                found.up,
                window.is_some(),
                found.latency_ms,
            )
            .await?;
        match change.as_ref().map(|c| c.to) {
            Some(Health::Up) => cx.tenant.close_downtime(m.id.as_str(), now).await,
            Some(Health::Down) => {
                cx.tenant
                    .open_downtime(m.id.as_str(), "down", now, &found.message)
                    .await
            }
            Some(Health::Unreachable) => {
                let cause = format!("depends on {}, which is down", parents_down.join(", "));
                cx.tenant
                    .open_downtime(m.id.as_str(), "unreachable", now, &cause)
                    .await
            }
            None => Ok(()),
        }
    };
    sla.await.map_err(|e| e.to_string())?;
    if let Some(c) = change.as_ref().filter(|c| c.alert) {
        match crate::notify::alert::raise(&cx.tenant, plan, m, c, &found.message).await {
            Ok(to) => {
                tracing::info!(monitor = %m.id, state = c.to.as_str(), receivers = ?to, "alert queued")
            }
            Err(why) => tracing::warn!(monitor = %m.id, "cannot queue the alert: {why}"),
        }
    }
    let mut measurements = json!({
        "kind": m.kind.as_str(),
        "up": found.up,
        "latency_ms": found.latency_ms,
        "state": tracker.state.map(Health::as_str),
        "flapping": tracker.flapping,
        "changed": change.as_ref().map(|c| c.to.as_str()),
        "parents_down": parents_down,
        "maintenance": window,
    });
    if let (Some(all), Some(extra)) = (measurements.as_object_mut(), found.measurements.as_object())
    {
        all.extend(extra.clone());
    }
    cx.tenant
        .append(NewEvidence {
            kind: EvidenceKind::Probe,
            subject: m.id.to_string(),
            started_ms,
            finished_ms: now_ms(),
            outcome: if found.up {
                Outcome::Success
            } else {
                Outcome::Failure
            },
            measurements,
            message: found.message,
            job_run: Some(cx.job.run_id),
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(1)
}
