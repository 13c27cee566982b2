//! Live pages: a server-sent-events stream per tenant (`/t/{tenant}/live`)
//! and one for the overview (`/live`, every tenant the person reaches).
//! An event says only that something changed (`event: change`, the kinds
//! in its data); the page's script (`assets/live.js`) then reads the page
//! again, with the person's own session, and swaps in its live part. So a
//! stream never carries a tenant's data, and what a person sees is always
//! what their page would show on a reload.
//!
//! Changes come from the store's feed: in-process on SQLite, through
//! PostgreSQL's `LISTEN/NOTIFY` from every server on one database.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use rempart_store::{Change, What};
use tokio::sync::broadcast::error::RecvError;

use super::Person;
use crate::AppState;

/// Changes that come together (a backup's record and its job's end) make
/// one event: the page reads itself once.
const GATHER: Duration = Duration::from_millis(250);
/// A comment this often keeps proxies from closing a quiet stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A tenant's changes (404 like its pages when the person does not reach it).
pub(crate) async fn tenant(
    State(state): State<AppState>,
    person: Person,
    Path(tenant): Path<String>,
) -> Response {
    let scope = match person.tenant(&state, &tenant).await {
        Ok(scope) => scope,
        Err(page) => return page,
    };
    let id = scope.id().to_owned();
    stream(&state, move |c| c.concerns(&id))
}

/// The changes of every tenant the person reaches.
pub(crate) async fn overview(State(state): State<AppState>, person: Person) -> Response {
    let user = person.user;
    stream(&state, move |c| {
        c.what == What::Everything || user.reaches(&c.tenant)
    })
}

/// The events of the changes `wanted` keeps, until the server stops.
fn stream(state: &AppState, wanted: impl Fn(&Change) -> bool + Send + 'static) -> Response {
    let start = (state.store.changes(), state.shutdown.clone(), wanted);
    let events = futures_util::stream::unfold(start, |(mut rx, mut stop, wanted)| async move {
        let mut kinds: BTreeSet<&'static str> = BTreeSet::new();
        // The first change this page cares about…
        while kinds.is_empty() {
            tokio::select! {
                got = rx.recv() => match got {
                    Ok(c) if wanted(&c) => { kinds.insert(c.what.as_str()); }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => { kinds.insert(What::Everything.as_str()); }
                    Err(RecvError::Closed) => return None,
                },
                _ = stop.wait_for(|s| *s) => return None,
            }
        }
        // …and those right behind it.
        let until = tokio::time::Instant::now() + GATHER;
        loop {
            match tokio::time::timeout_at(until, rx.recv()).await {
                Ok(Ok(c)) if wanted(&c) => {
                    kinds.insert(c.what.as_str());
                }
                Ok(Ok(_)) => {}
                Ok(Err(RecvError::Lagged(_))) => {
                    kinds.insert(What::Everything.as_str());
                }
                Ok(Err(RecvError::Closed)) | Err(_) => break,
            }
        }
        let data = kinds.into_iter().collect::<Vec<_>>().join(" ");
        let event = Event::default().event("change").data(data);
        Some((Ok::<_, Infallible>(event), (rx, stop, wanted)))
    });
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            // nginx would otherwise hold the events back.
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)),
    )
        .into_response()
}

/// The pages' script: follows the stream named by the page's
/// `data-live` element and swaps in its new content.
pub(crate) async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/live.js"),
    )
        .into_response()
}
