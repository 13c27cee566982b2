//! Operations endpoints: health, Prometheus metrics, the OpenAPI document.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use std::fmt::Write as _;

use rempart_store::now_ms;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

/// The OpenAPI document, as generated from the handlers.
pub async fn openapi(
    axum::Extension(doc): axum::Extension<Arc<utoipa::openapi::OpenApi>>,
) -> Json<utoipa::openapi::OpenApi> {
    Json(doc.as_ref().clone())
}

/// 200 when the store answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.queue_depth(now_ms()).await {
        Ok(_) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok" }))),
        Err(e) => {
            tracing::warn!(error = %e, "health check: store unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "store unreachable" })),
            )
        }
    }
}

/// Prometheus' text format; needs a server-wide (MSP) or metrics token:
/// the gauges name every tenant and process.
pub async fn metrics(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<impl IntoResponse, ApiError> {
    if !caller.scope.reads_metrics() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "/metrics needs a server-wide (MSP) token or a metrics token (rempart token create --metrics)",
        ));
    }
    let depth = state.store.queue_depth(now_ms()).await.ok();
    let mut text = state.metrics.render(depth);
    text.push_str(&process_gauges(&state).await);
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text))
}

/// The evidence each tenant's gauges are computed from, read again only
/// when its log has changed (a scrape reads one number per tenant), with
/// the plan it was assessed against.
#[derive(Clone, Default)]
pub struct GaugeInputs(Arc<Mutex<HashMap<String, Inputs>>>);

struct Inputs {
    head: i64,
    loaded_ms: i64,
    records: Arc<Vec<rempart_core::evidence::NewEvidence>>,
}

/// How often the evidence window is read again even if the log has not
/// changed: records leave the lookback window as time goes.
const REREAD_MS: i64 = 3_600_000;

impl GaugeInputs {
    async fn records(
        &self,
        scope: &rempart_store::TenantScope,
        now: i64,
    ) -> Result<Arc<Vec<rempart_core::evidence::NewEvidence>>, rempart_store::StoreError> {
        let head = scope.evidence_head().await?;
        {
            let cache = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(i) = cache.get(scope.id())
                && i.head == head
                && now - i.loaded_ms < REREAD_MS
            {
                return Ok(i.records.clone());
            }
        }
        let records = Arc::new(rempart_engine::status::evidence(scope, now).await?);
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                scope.id().to_owned(),
                Inputs {
                    head,
                    loaded_ms: now,
                    records: records.clone(),
                },
            );
        Ok(records)
    }
}

/// Each process of each tenant with a plan, assessed now: measured RPO
/// exposure and achieved RTO (seconds; absent until measured), targets,
/// and status (0 compliant, 1 at-risk, 2 untested, 3 breached).
async fn process_gauges(state: &AppState) -> String {
    let now = now_ms();
    let mut rows: Vec<(String, String, rempart_core::assessment::ProcessAssessment)> = Vec::new();
    for t in state.store.tenants().await.unwrap_or_default() {
        let Ok(scope) = state.store.tenant(&t.id).await else {
            continue;
        };
        let Ok(plan) = crate::api::status::active_plan(&state.plans, &scope).await else {
            continue;
        };
        match state.gauges.records(&scope, now).await {
            // The assessment itself is arithmetic on the records: exposure grows with time.
            Ok(records) => rows.extend(
                rempart_core::assessment::assess(&plan, &records, now)
                    .processes
                    .into_iter()
                    .map(|p| (t.id.clone(), p.id.clone(), p)),
            ),
            Err(e) => tracing::warn!(tenant = %t.id, error = %e, "metrics: cannot assess"),
        }
    }
    type Gauge = fn(&rempart_core::assessment::ProcessAssessment) -> Option<f64>;
    let gauges: [(&str, &str, Gauge); 5] = [
        (
            "rempart_process_rpo_seconds",
            "Now minus the newest intact restore point on all sites (RPO exposure).",
            |p| p.rpo_exposure_ms.map(|v| v as f64 / 1000.0),
        ),
        (
            "rempart_process_rto_seconds",
            "Recovery time of the latest passing drill (achieved RTO).",
            |p| p.achieved_rto_ms.map(|v| v as f64 / 1000.0),
        ),
        (
            "rempart_process_rpo_target_seconds",
            "The process's RPO target.",
            |p| Some(p.rpo_target_ms as f64 / 1000.0),
        ),
        (
            "rempart_process_rto_target_seconds",
            "The process's RTO target.",
            |p| Some(p.rto_target_ms as f64 / 1000.0),
        ),
        (
            "rempart_process_status",
            "0 compliant, 1 at-risk, 2 untested, 3 breached.",
            |p| Some(f64::from(p.status.gauge())),
        ),
    ];
    let mut out = String::new();
    for (name, help, value) in gauges {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for (tenant, process, p) in &rows {
            if let Some(v) = value(p) {
                let _ = writeln!(
                    out,
                    "{name}{{tenant=\"{tenant}\",process=\"{process}\"}} {v}"
                );
            }
        }
    }
    out
}
