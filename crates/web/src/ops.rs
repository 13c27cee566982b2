//! Operations endpoints: health, Prometheus metrics, the OpenAPI document.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use std::fmt::Write as _;

use rempart_store::{Store, now_ms};

use crate::AppState;

pub fn routes(doc: Arc<utoipa::openapi::OpenApi>) -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
}

/// 200 when the store answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
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

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let depth = state.store.queue_depth(now_ms()).await.ok();
    let mut text = state.metrics.render(depth);
    text.push_str(&process_gauges(&state.store, &state.plans).await);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}

/// Each process of each tenant with a plan, assessed now: measured RPO
/// exposure and achieved RTO (seconds; absent until measured), targets,
/// and status (0 compliant, 1 at-risk, 2 untested, 3 breached).
async fn process_gauges(store: &Store, plans: &rempart_engine::PlanCache) -> String {
    let now = now_ms();
    let mut rows: Vec<(String, String, rempart_core::assessment::ProcessAssessment)> = Vec::new();
    for t in store.tenants().await.unwrap_or_default() {
        let Ok(scope) = store.tenant(&t.id).await else {
            continue;
        };
        let Ok(plan) = crate::api::status::active_plan(plans, &scope).await else {
            continue;
        };
        match rempart_engine::status::assess(&scope, &plan, now).await {
            Ok(a) => rows.extend(
                a.processes
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
