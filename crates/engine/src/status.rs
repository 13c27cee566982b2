//! A tenant's status: its plan assessed against its evidence, read from
//! the store (the arithmetic is `rempart_core::assessment`'s).

use rempart_core::assessment::{self, Assessment};
use rempart_core::evidence::NewEvidence;
use rempart_core::plan::{Language, Plan};
use rempart_store::{EvidenceQuery, StoreError, TenantScope};
use serde_json::json;

/// How far back the assessment reads: past the yearly drill rule.
pub const LOOKBACK_MS: i64 = 400 * 86_400_000;

/// The records the assessment reads, oldest first.
pub async fn evidence(tenant: &TenantScope, now_ms: i64) -> Result<Vec<NewEvidence>, StoreError> {
    let mut out = Vec::new();
    for kind in assessment::KINDS {
        let query = EvidenceQuery {
            kind: Some(kind),
            from_ms: Some(now_ms - LOOKBACK_MS),
            ..EvidenceQuery::default()
        };
        out.extend(
            tenant
                .evidence_all(&query)
                .await?
                .into_iter()
                .map(|e| e.record),
        );
    }
    Ok(out)
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
