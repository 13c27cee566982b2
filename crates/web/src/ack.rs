//! `GET /ack/{tenant}/{alert}/{signature}`: the acknowledgement link of an
//! alert. The HMAC signature (the server's `ack` secret) is the proof: no
//! login from a phone at 3 a.m. Acknowledging stops the escalation and is
//! recorded as `confirmation` evidence.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Html;

use crate::AppState;

fn page(status: StatusCode, fr: &str, en: &str) -> (StatusCode, Html<String>) {
    (
        status,
        Html(format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Rempart</title></head>\
             <body><p lang=\"fr\">{fr}</p><p lang=\"en\">{en}</p></body></html>"
        )),
    )
}

/// Constant-time comparison of two signatures.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub async fn ack(
    State(state): State<AppState>,
    Path((tenant, id, signature)): Path<(String, i64, String)>,
) -> (StatusCode, Html<String>) {
    let refused = || {
        page(
            StatusCode::NOT_FOUND,
            "Lien d'acquittement inconnu ou altéré.",
            "Unknown or altered acknowledgement link.",
        )
    };
    let Ok(key) = state.store.server_secret("ack").await else {
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Serveur indisponible, réessayez.",
            "Server unavailable, try again.",
        );
    };
    if !same(
        &rempart_engine::notify::ack_signature(&key, &tenant, id),
        &signature,
    ) {
        return refused();
    }
    let Ok(scope) = state.store.tenant(&tenant).await else {
        return refused();
    };
    match rempart_engine::notify::alert::acknowledge(&scope, id, "link", "link").await {
        Ok(Some(acked)) => {
            if let Some(e) = acked.unrecorded {
                tracing::warn!(error = %e, "cannot record the acknowledgement of alert {id}");
            }
            let alert = acked.alert;
            page(
                StatusCode::OK,
                &format!(
                    "Alerte {id} ({}) acquittée : l'escalade s'arrête.",
                    alert.monitor
                ),
                &format!(
                    "Alert {id} ({}) acknowledged: escalation stops.",
                    alert.monitor
                ),
            )
        }
        Ok(None) => refused(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot acknowledge alert {id}");
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Serveur indisponible, réessayez.",
                "Server unavailable, try again.",
            )
        }
    }
}
