//! Alerts on a monitor's confirmed changes: one message when it goes down
//! (naming the monitors that depend on it: the root cause, once), one when
//! it is back, to the first step of its escalation, in the organisation's
//! language.

use rempart_core::assessment::human;
use rempart_core::monitoring::{Change, Health};
use rempart_core::plan::{Language, Monitor, Plan};
use rempart_store::TenantScope;

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

/// The ids the first step of `m`'s escalation notifies at once.
fn first_receivers(plan: &Plan, m: &Monitor) -> Vec<String> {
    let id = m.escalation.as_ref().map_or("default", |e| e.as_str());
    plan.escalations
        .iter()
        .find(|e| e.id.as_str() == id)
        .and_then(|e| e.steps.first())
        .map(|s| s.notify.iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// Queues the alert of `change` (already known to alert), with what the
/// check said. Returns the receivers.
pub async fn raise(
    tenant: &TenantScope,
    plan: &Plan,
    m: &Monitor,
    change: &Change,
    said: &str,
) -> Result<Vec<String>, String> {
    let fr = plan.organization.language == Language::Fr;
    let name = m.name.clone().unwrap_or_else(|| m.id.to_string());
    let (subject, text, key) = match change.to {
        Health::Down => {
            let children = dependents(plan, m.id.as_str());
            let mut text = said.to_owned();
            if !children.is_empty() {
                text += &if fr {
                    format!(
                        "\nCause première : aussi touchés (ils en dépendent) : {}",
                        children.join(", ")
                    )
                } else {
                    format!(
                        "\nRoot cause: also affected (they depend on it): {}",
                        children.join(", ")
                    )
                };
            }
            (
                format!("[{}] {name}", if fr { "PANNE" } else { "DOWN" }),
                text,
                format!("alert/{}/{}/down", m.id, change.at_ms),
            )
        }
        _ => {
            let lasted = human(change.at_ms - change.previous_since_ms);
            (
                format!("[{}] {name}", if fr { "RÉTABLI" } else { "UP" }),
                if fr {
                    format!("{said}\nDe nouveau disponible après {lasted} d'interruption.")
                } else {
                    format!("{said}\nBack after {lasted} down.")
                },
                format!("alert/{}/{}/up", m.id, change.previous_since_ms),
            )
        }
    };
    let to = first_receivers(plan, m);
    if to.is_empty() {
        return Ok(Vec::new());
    }
    let message = Message {
        subject,
        text,
        kind: "alert",
    };
    queue(tenant, plan, &to, &message, &key).await
}
