//! `http`: a GET held against `expect`: the status (any 2xx when none is
//! given), text the body must contain, the slowest acceptable answer.
//! Redirects are followed (up to 10); certificates are verified.

use std::time::{Duration, Instant};

use rempart_core::plan::Expect;
use serde_json::json;

use super::{Check, CheckFuture, Probe, ProbeCx, elapsed_ms};

pub struct Http {
    pub url: String,
    pub expect: Option<Expect>,
}

impl Probe for Http {
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a> {
        Box::pin(get(&self.url, self.expect.as_ref(), cx.timeout))
    }
}

/// An error and its causes on one line ("error sending request: connection refused").
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let next = c.to_string();
        if !text.contains(&next) {
            text += &format!(": {next}");
        }
        cause = c.source();
    }
    text
}

/// One GET of `url` held against `expect`, within `timeout`.
pub async fn get(url: &str, expect: Option<&Expect>, timeout: Duration) -> Check {
    let clock = Instant::now();
    let client = match reqwest::Client::builder().timeout(timeout).build() {
        Ok(c) => c,
        Err(e) => return Check::down(0, format!("cannot build an HTTP client: {e}"), json!({})),
    };
    let response = match client.get(url).send().await {
        Ok(r) => r,
        Err(e) => {
            return Check::down(
                elapsed_ms(clock),
                format!("GET {url}: {}", error_chain(&e)),
                json!({ "timed_out": e.is_timeout() }),
            );
        }
    };
    let status = response.status().as_u16();
    let body = response.text().await;
    let latency = elapsed_ms(clock);
    let m = json!({ "status": status, "latency_ms": latency });
    let body = match body {
        Ok(b) => b,
        Err(e) => return Check::down(latency, format!("GET {url}: reading the body: {e}"), m),
    };
    match expect.and_then(|e| e.status) {
        Some(w) if w != status => {
            return Check::down(
                latency,
                format!("GET {url}: status {status}, expected {w}"),
                m,
            );
        }
        None if !(200..300).contains(&status) => {
            return Check::down(
                latency,
                format!("GET {url}: status {status}, expected 2xx"),
                m,
            );
        }
        _ => {}
    }
    if let Some(text) = expect.and_then(|e| e.body_contains.as_deref())
        && !body.contains(text)
    {
        return Check::down(
            latency,
            format!("GET {url}: status {status}, but the body lacks {text:?}"),
            m,
        );
    }
    if let Some(max) = expect.and_then(|e| e.max_latency)
        && u64::try_from(latency).unwrap_or(u64::MAX) > max.as_millis()
    {
        return Check::down(
            latency,
            format!("GET {url}: answered in {latency} ms, slower than {max}"),
            m,
        );
    }
    Check::up(
        latency,
        format!("GET {url}: status {status} in {latency} ms"),
        m,
    )
}
