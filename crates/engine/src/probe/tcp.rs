//! `tcp`: a connection to host:port, within the timeout and, when given,
//! the slowest acceptable time.

use std::time::{Duration, Instant};

use serde_json::json;

use super::{Check, CheckFuture, Probe, ProbeCx, elapsed_ms};

pub struct Tcp {
    pub address: String,
    pub max_latency: Option<rempart_core::plan::Duration>,
}

impl Probe for Tcp {
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a> {
        Box::pin(async move {
            let c = connect(&self.address, cx.timeout, cx.public_only).await;
            match self.max_latency {
                Some(max)
                    if c.up
                        && u64::try_from(c.latency_ms).unwrap_or(u64::MAX) > max.as_millis() =>
                {
                    Check::down(
                        c.latency_ms,
                        format!(
                            "{} accepted in {} ms, slower than {max}",
                            self.address, c.latency_ms
                        ),
                        c.measurements,
                    )
                }
                _ => c,
            }
        })
    }
}

/// One connection attempt to `address` within `timeout`; with
/// `public_only`, never to an address of the server's own networks.
pub async fn connect(address: &str, timeout: Duration, public_only: bool) -> Check {
    let clock = Instant::now();
    let attempt = async {
        let addrs = crate::reach::resolve(address, public_only)
            .await
            .map_err(std::io::Error::other)?;
        tokio::net::TcpStream::connect(&addrs[..]).await
    };
    match tokio::time::timeout(timeout, attempt).await {
        Ok(Ok(_)) => {
            let ms = elapsed_ms(clock);
            Check::up_said(
                ms,
                rempart_i18n::say!("said-probe-tcp", address = address.to_string(), ms = ms),
                json!({ "latency_ms": ms }),
            )
        }
        Ok(Err(e)) => Check::down(elapsed_ms(clock), format!("{address}: {e}"), json!({})),
        Err(_) => Check::down(
            elapsed_ms(clock),
            format!("{address}: no answer within {} ms", timeout.as_millis()),
            json!({ "timed_out": true }),
        ),
    }
}
