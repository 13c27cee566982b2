//! Alerts on a monitor's confirmed changes, in the organisation's
//! language: when it goes down, an alert opens and its escalation's first
//! step is notified (naming the monitors that depend on it: the root cause,
//! once); each next step follows at its `after` (counted from the opening)
//! unless someone acknowledges; when it is back, everyone reached hears it.

use rempart_core::assessment::human;
use rempart_core::monitoring::{Change, Health};
use rempart_core::plan::{Escalation, Monitor, Plan};
use rempart_i18n::{Lang, t};
use rempart_store::{Alert, TenantScope, now_ms};

use super::{Message, queue};

/// The monitors that depend on `id`, directly or through others.
pub fn dependents(plan: &Plan, id: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut todo = vec![id.to_owned()];
    while let Some(parent) = todo.pop() {
        for m in &plan.monitors {
            let child = m.id.to_string();
            if m.depends_on.iter().any(|d| d.as_str() == parent)
                && !found.contains(&child)
                && child != id
            {
                found.push(child.clone());
                todo.push(child);
            }
        }
    }
    found
}

/// The escalation of `m`: its own, or the one named `default`.
fn escalation<'p>(plan: &'p Plan, m: &Monitor) -> Option<&'p Escalation> {
    let id = m.escalation.as_ref().map_or("default", |e| e.as_str());
    plan.escalations.iter().find(|e| e.id.as_str() == id)
}

/// The ids step `step` of `e` notifies.
fn step_receivers(e: &Escalation, step: usize) -> Vec<String> {
    e.steps
        .get(step)
        .map(|s| s.notify.iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// When step `step` of `e` is due for an alert opened at `opened_ms`
/// (each step's `after` counts from the opening); `None` past the last.
pub fn step_due(e: &Escalation, step: usize, opened_ms: i64) -> Option<i64> {
    e.steps
        .get(step)
        .map(|s| opened_ms + i64::try_from(s.after.as_millis()).unwrap_or(i64::MAX))
}

fn down_subject(lang: Lang, name: &str) -> String {
    t!(lang, "alert-down-subject", name = name)
}

/// Queues what `change` (already known to alert) says: when the monitor
/// goes down, an alert is opened and its escalation's first step notified
/// (the next steps follow unless someone acknowledges); when it is back,
/// the alert is closed and everyone notified so far hears it. Returns the
/// receivers.
pub async fn raise(
    tenant: &TenantScope,
    plan: &Plan,
    m: &Monitor,
    change: &Change,
    said: &str,
) -> Result<Vec<String>, String> {
    let lang: Lang = plan.organization.language.into();
    let name = m.name.clone().unwrap_or_else(|| m.id.to_string());
    let Some(e) = escalation(plan, m) else {
        return Ok(Vec::new());
    };
    match change.to {
        Health::Down => {
            let children = dependents(plan, m.id.as_str());
            let mut text = said.to_owned();
            if !children.is_empty() {
                text.push('\n');
                text += &t!(lang, "alert-root-cause", children = children.join(", "));
            }
            let next = step_due(e, 1, change.at_ms).or_else(|| reminder(e, change.at_ms));
            let alert = tenant
                .open_alert(m.id.as_str(), e.id.as_str(), change.at_ms, next)
                .await
                .map_err(|e| e.to_string())?;
            let message = Message {
                subject: down_subject(lang, &name),
                text,
                kind: "alert",
                alert: Some(alert.id),
            };
            let key = format!("alert/{}/step/0", alert.id);
            queue(tenant, plan, &step_receivers(e, 0), &message, &key).await
        }
        _ => {
            let closed = tenant
                .resolve_alert(m.id.as_str(), change.at_ms)
                .await
                .map_err(|e| e.to_string())?;
            let lasted = human(change.at_ms - change.previous_since_ms);
            let message = Message {
                subject: t!(lang, "alert-up-subject", name = name.as_str()),
                text: format!("{said}\n{}", t!(lang, "alert-back-after", lasted = lasted)),
                kind: "recovery",
                alert: closed.as_ref().map(|a| a.id),
            };
            // Everyone the alert reached hears that it is over.
            let reached = closed
                .as_ref()
                .map_or(0, |a| usize::try_from(a.step).unwrap_or(0));
            let to: Vec<String> = (0..=reached).flat_map(|s| step_receivers(e, s)).collect();
            let key = format!("alert/{}/{}/up", m.id, change.previous_since_ms);
            queue(tenant, plan, &to, &message, &key).await
        }
    }
}

/// When the next reminder is due after `now_ms`, if `e` repeats.
fn reminder(e: &Escalation, now_ms: i64) -> Option<i64> {
    e.repeat
        .filter(|r| r.as_millis() > 0)
        .map(|r| now_ms + i64::try_from(r.as_millis()).unwrap_or(i64::MAX))
}

/// Notifies the next step of `alert`, due now (nobody acknowledged it);
/// past the last step, reminds everyone reached, if the escalation repeats.
/// Returns the step notified and when the one after is due.
pub async fn escalate(
    tenant: &TenantScope,
    plan: &Plan,
    alert: &Alert,
) -> Result<(i64, Option<i64>), String> {
    let next = usize::try_from(alert.step + 1).unwrap_or(usize::MAX);
    let Some(e) = plan
        .escalations
        .iter()
        .find(|e| e.id.as_str() == alert.escalation)
    else {
        return Ok((alert.step, None));
    };
    let lang: Lang = plan.organization.language.into();
    let name = plan
        .monitors
        .iter()
        .find(|m| m.id.as_str() == alert.monitor)
        .and_then(|m| m.name.clone())
        .unwrap_or_else(|| alert.monitor.clone());
    let now = now_ms();
    let waited = human(now - alert.opened_ms);
    if next >= e.steps.len() {
        // Past the last step: a reminder to everyone reached.
        let message = Message {
            subject: down_subject(lang, &name),
            text: t!(lang, "alert-reminder", waited = waited.as_str()),
            kind: "alert",
            alert: Some(alert.id),
        };
        let to: Vec<String> = (0..e.steps.len())
            .flat_map(|s| step_receivers(e, s))
            .collect();
        let key = format!("alert/{}/remind/{now}", alert.id);
        queue(tenant, plan, &to, &message, &key).await?;
        return Ok((alert.step, reminder(e, now)));
    }
    let message = Message {
        subject: down_subject(lang, &name),
        text: t!(
            lang,
            "alert-escalated",
            waited = waited.as_str(),
            level = next + 1
        ),
        kind: "alert",
        alert: Some(alert.id),
    };
    let key = format!("alert/{}/step/{next}", alert.id);
    queue(tenant, plan, &step_receivers(e, next), &message, &key).await?;
    let after = step_due(e, next + 1, alert.opened_ms).or_else(|| reminder(e, now));
    Ok((i64::try_from(next).unwrap_or(i64::MAX), after))
}

/// An acknowledgement as it was taken.
pub struct Acknowledged {
    pub alert: Alert,
    /// This call acknowledged it (false: someone had already).
    pub newly: bool,
    /// Why its evidence could not be written, if it could not.
    pub unrecorded: Option<rempart_store::StoreError>,
}

/// Acknowledges alert `id` of `tenant` for `by`, through `via` (`link`,
/// `cli`): its escalation stops, and a new acknowledgement is recorded as
/// `confirmation` evidence. `None` when the tenant has no such alert.
pub async fn acknowledge(
    tenant: &TenantScope,
    id: i64,
    by: &str,
    via: &str,
) -> Result<Option<Acknowledged>, rempart_store::StoreError> {
    let now = now_ms();
    let Some(alert) = tenant.ack_alert(id, by, now).await? else {
        return Ok(None);
    };
    let newly = alert.acked_ms == Some(now);
    let unrecorded = if newly {
        tenant.append(ack_record(&alert, by, via)).await.err()
    } else {
        None
    };
    Ok(Some(Acknowledged {
        alert,
        newly,
        unrecorded,
    }))
}

/// The evidence of alert `a`'s acknowledgement by `by`, through `via`
/// (`link`, `cli`).
fn ack_record(a: &Alert, by: &str, via: &str) -> rempart_core::evidence::NewEvidence {
    let at = a.acked_ms.unwrap_or_else(now_ms);
    let said = rempart_i18n::say!(
        "evidence-alert-acked",
        alert = a.id,
        monitor = a.monitor.as_str(),
        by = by,
        via = via
    );
    rempart_core::evidence::NewEvidence {
        kind: rempart_core::evidence::EvidenceKind::Confirmation,
        subject: format!("alert/{}", a.id),
        started_ms: at,
        finished_ms: at,
        outcome: rempart_core::evidence::Outcome::Success,
        measurements: serde_json::json!({
            "alert": a.id, "monitor": a.monitor, "by": by, "via": via,
            "step": a.step, "opened_ms": a.opened_ms, "waited_ms": at - a.opened_ms,
            "say": said,
        }),
        message: rempart_i18n::english(&said),
        job_run: None,
    }
}
