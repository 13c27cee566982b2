//! Heartbeat pings, Healthchecks-compatible: `GET` or `POST`
//! `/ping/{token}` (success), `/ping/{token}/start`, `/ping/{token}/fail`,
//! `/ping/{token}/{exit code}` (0 is a success), `/ping/{token}/log` (a
//! message that changes nothing). A POSTed body (the job's output) is kept,
//! its first [`rempart_store::BODY_LIMIT`] bytes. No login: the token is
//! the secret. Pings are written in batches (one transaction for everything
//! that arrived meanwhile), and each answer waits for its batch to commit:
//! an `OK` is never lost. Once written, the supervisor is told, so the
//! monitor's state follows the ping at once.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use http_body_util::BodyExt as _;
use rempart_store::{Ping, Pinged, Store, kept_body, now_ms};
use tokio::sync::{mpsc, oneshot};

use crate::AppState;

/// Most pings written in one transaction.
const BATCH: usize = 2_048;

type Pending = (Pinged, oneshot::Sender<Result<bool, String>>);

/// Where a written ping's (tenant, monitor) is announced: the supervisor
/// checks that monitor at once.
pub type PingWake = mpsc::UnboundedSender<(String, String)>;

/// Where the ping handlers send pings to be written.
#[derive(Clone)]
pub struct PingSink(mpsc::Sender<Pending>);

impl PingSink {
    /// Starts the writer task; each ping written is announced on `wake`.
    pub fn spawn(store: Store, wake: Option<PingWake>) -> PingSink {
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
                let (pings, replies): (Vec<Pinged>, Vec<_>) = batch.into_iter().unzip();
                match store.record_pings(&pings).await {
                    Ok(known) => {
                        for (reply, k) in replies.into_iter().zip(known) {
                            let _ = reply.send(Ok(k.is_some()));
                            if let (Some(wake), Some(heard)) = (&wake, k) {
                                let _ = wake.send(heard);
                            }
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot record pings");
                        for reply in replies {
                            let _ = reply.send(Err(e.to_string()));
                        }
                    }
                }
            }
        });
        PingSink(tx)
    }

    async fn record(&self, token: String, ping: Ping, body: Body) -> (StatusCode, &'static str) {
        let at_ms = now_ms();
        let Some(body) = read_body(body).await else {
            return (
                StatusCode::BAD_REQUEST,
                "the request body could not be read\n",
            );
        };
        let (reply, answer) = oneshot::channel();
        let pinged = Pinged {
            token,
            ping,
            at_ms,
            body: kept_body(&body.0, body.1),
        };
        if self.0.send((pinged, reply)).await.is_err() {
            return (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n");
        }
        match answer.await {
            Ok(Ok(true)) => (StatusCode::OK, "OK\n"),
            Ok(Ok(false)) => (StatusCode::NOT_FOUND, "not found\n"),
            _ => (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n"),
        }
    }
}

/// A body of any size, read as it comes: its first `BODY_LIMIT` bytes
/// (one more, to know it was cut) and its full size; the rest is read and
/// dropped, so a job sending a long log still gets its `OK`. `None` when
/// the client broke off.
async fn read_body(mut body: Body) -> Option<(Vec<u8>, u64)> {
    let mut kept = Vec::new();
    let mut total: u64 = 0;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.ok()?.into_data() else {
            continue; // trailers
        };
        total += data.len() as u64;
        let room = (rempart_store::BODY_LIMIT + 1).saturating_sub(kept.len());
        kept.extend_from_slice(&data[..room.min(data.len())]);
    }
    Some((kept, total))
}

pub async fn success(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Body,
) -> (StatusCode, &'static str) {
    state.pings.record(token, Ping::Success, body).await
}

pub async fn signal(
    State(state): State<AppState>,
    Path((token, what)): Path<(String, String)>,
    body: Body,
) -> (StatusCode, &'static str) {
    let ping = match what.as_str() {
        "start" => Ping::Start,
        "fail" => Ping::Fail,
        "log" => Ping::Log,
        code => match code.parse::<u8>() {
            Ok(c) => Ping::Exit(i64::from(c)),
            Err(_) => {
                return (
                    StatusCode::BAD_REQUEST,
                    "expected /start, /fail, /log or an exit code 0-255\n",
                );
            }
        },
    };
    state.pings.record(token, ping, body).await
}
