//! Heartbeat pings, Healthchecks-compatible: `GET` or `POST`
//! `/ping/{token}` (success), `/ping/{token}/start`, `/ping/{token}/fail`,
//! `/ping/{token}/{exit code}` (0 is a success). No login: the token is the
//! secret. Pings are written in batches (one transaction for everything
//! that arrived meanwhile), and each answer waits for its batch to commit:
//! an `OK` is never lost.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use rempart_store::{Ping, Store, now_ms};
use tokio::sync::{mpsc, oneshot};

use crate::AppState;

/// Most pings written in one transaction.
const BATCH: usize = 2_048;

type Pending = (String, Ping, i64, oneshot::Sender<Result<bool, String>>);

/// Where the ping handlers send pings to be written.
#[derive(Clone)]
pub struct PingSink(mpsc::Sender<Pending>);

impl PingSink {
    /// Starts the writer task.
    pub fn spawn(store: Store) -> PingSink {
        let (tx, mut rx) = mpsc::channel::<Pending>(BATCH * 4);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < BATCH {
                    match rx.try_recv() {
                        Ok(p) => batch.push(p),
                        Err(_) => break,
                    }
                }
                let pings: Vec<(String, Ping, i64)> = batch
                    .iter()
                    .map(|(t, p, at, _)| (t.clone(), *p, *at))
                    .collect();
                match store.record_pings(&pings).await {
                    Ok(known) => {
                        for ((_, _, _, reply), k) in batch.into_iter().zip(known) {
                            let _ = reply.send(Ok(k));
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot record pings");
                        for (_, _, _, reply) in batch {
                            let _ = reply.send(Err(e.to_string()));
                        }
                    }
                }
            }
        });
        PingSink(tx)
    }

    async fn record(&self, token: String, ping: Ping) -> (StatusCode, &'static str) {
        let (reply, answer) = oneshot::channel();
        if self.0.send((token, ping, now_ms(), reply)).await.is_err() {
            return (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n");
        }
        match answer.await {
            Ok(Ok(true)) => (StatusCode::OK, "OK\n"),
            Ok(Ok(false)) => (StatusCode::NOT_FOUND, "not found\n"),
            _ => (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n"),
        }
    }
}

pub async fn success(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> (StatusCode, &'static str) {
    state.pings.record(token, Ping::Success).await
}

pub async fn signal(
    State(state): State<AppState>,
    Path((token, what)): Path<(String, String)>,
) -> (StatusCode, &'static str) {
    let ping = match what.as_str() {
        "start" => Ping::Start,
        "fail" => Ping::Fail,
        code => match code.parse::<u8>() {
            Ok(c) => Ping::Exit(i64::from(c)),
            Err(_) => {
                return (
                    StatusCode::BAD_REQUEST,
                    "expected /start, /fail or an exit code 0-255\n",
                );
            }
        },
    };
    state.pings.record(token, ping).await
}
