//! A tenant's status: its plan assessed against its evidence, read from
//! the store (the arithmetic is `rempart_core::assessment`'s).

use rempart_core::assessment::{self, Assessment};
use rempart_core::evidence::{Evidence, NewEvidence};
use rempart_core::plan::{Language, Plan};
use rempart_store::{EvidenceQuery, StoreError, TenantScope};
use serde_json::json;

/// Every monitor of `plan` as the supervisor last saved it (every few
/// seconds): `state` (up, down, unreachable; null before its first
/// confirmed state), `since_ms`, `last_check_ms`, `last_message`,
/// `failing_checks` in a row, `flapping`, the `maintenance` window covering
/// it now. For `rempart monitors --json` and the API.
/// What a heartbeat heard, as `rempart heartbeat --json`, `monitors` and
/// the API show it (its token apart: it is the ping URL's secret).
pub fn heard(h: &rempart_store::Heartbeat) -> serde_json::Value {
    json!({
        "last_ping_ms": h.last_ping_ms,
        "last_start_ms": h.last_start_ms,
        "last_fail_ms": h.last_fail_ms,
        "last_exit": h.last_exit,
        "pings": h.pings,
        "last_body": h.last_body,
        "last_body_ms": h.last_body_ms,
        "last_body_kind": h.last_body_kind,
        "last_fail_body": h.last_fail_body,
    })
}

pub async fn monitors(
    tenant: &TenantScope,
    plan: &Plan,
    now_ms: i64,
) -> Result<serde_json::Value, StoreError> {
    let states = tenant.all_monitor_states().await?;
    let windows = tenant.maintenance_windows(now_ms).await?;
    let mut rows: Vec<serde_json::Value> = Vec::with_capacity(plan.monitors.len());
    for m in &plan.monitors {
        // What a heartbeat heard: its last pings, and the body the job
        // sent with the latest (its output) and with its last failure.
        let heard = if m.kind == rempart_core::plan::MonitorKind::Heartbeat {
            tenant.heartbeat(m.id.as_str()).await?.as_ref().map(heard)
        } else {
            None
        };
        rows.push({
            let id = m.id.as_str();
            let (t, saved_ms) = match states.get(id) {
                Some((t, at)) => (t.clone(), Some(*at)),
                None => (rempart_core::monitoring::Tracker::default(), None),
            };
            let checked = t.last_check_ms > 0;
            json!({
                "id": id,
                "name": m.name,
                "kind": m.kind.as_str(),
                "target": m.target,
                "depends_on": m.depends_on,
                "state": t.state.map(rempart_core::monitoring::Health::as_str),
                "since_ms": t.state.map(|_| t.since_ms),
                "last_check_ms": checked.then_some(t.last_check_ms),
                "last_message": checked.then_some(t.last_message),
                "last_said": if checked { t.last_said } else { None },
                "failing_checks": t.fails,
                "flapping": t.flapping,
                "maintenance": crate::supervisor::maintenance_window(plan, &windows, id, now_ms),
                "saved_ms": saved_ms,
                "heartbeat": heard,
            })
        });
    }
    Ok(serde_json::Value::Array(rows))
}

/// How far back the assessment reads: past the yearly drill rule.
pub const LOOKBACK_MS: i64 = 400 * 86_400_000;

/// The records the assessment reads, numbered, kind by kind.
pub async fn records(tenant: &TenantScope, now_ms: i64) -> Result<Vec<Evidence>, StoreError> {
    let mut out = Vec::new();
    for kind in assessment::KINDS {
        let query = EvidenceQuery {
            kind: Some(kind),
            from_ms: Some(now_ms - LOOKBACK_MS),
            ..EvidenceQuery::default()
        };
        out.extend(tenant.evidence_all(&query).await?);
    }
    Ok(out)
}

/// The records the assessment reads, kind by kind.
pub async fn evidence(tenant: &TenantScope, now_ms: i64) -> Result<Vec<NewEvidence>, StoreError> {
    Ok(records(tenant, now_ms)
        .await?
        .into_iter()
        .map(|e| e.record)
        .collect())
}

/// `plan` assessed from `tenant`'s evidence at `now_ms`.
pub async fn assess(
    tenant: &TenantScope,
    plan: &Plan,
    now_ms: i64,
) -> Result<Assessment, StoreError> {
    let records = evidence(tenant, now_ms).await?;
    Ok(assessment::assess(plan, &records, now_ms))
}

/// The assessment for scripts and the API: figures in ms, reasons with a
/// code and a sentence in the organisation's language.
pub fn to_json(tenant: &str, a: &Assessment, lang: Language) -> serde_json::Value {
    let processes: Vec<_> = a
        .processes
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p).unwrap_or_default();
            v["reasons"] = p
                .reasons
                .iter()
                .map(|r| {
                    let mut j = serde_json::to_value(r).unwrap_or_default();
                    j["text"] = json!(r.text(lang));
                    j
                })
                .collect();
            v
        })
        .collect();
    json!({
        "tenant": tenant,
        "now_ms": a.now_ms,
        "vital_failing": a.vital_failing(),
        "processes": processes,
        "backups": a.backups,
    })
}
