//! `icmp`: four echo requests, 200 ms apart; down when the loss is over
//! `max_loss` (any loss when not given: 100 % loss is always down) or the
//! mean round trip is over `max_latency`. Needs an ICMP socket: unprivileged
//! where `net.ipv4.ping_group_range` allows it, raw (CAP_NET_RAW) otherwise.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde_json::json;
use surge_ping::{Client, Config, ICMP, PingIdentifier, PingSequence};

use super::{Check, CheckFuture, Probe, ProbeCx, elapsed_ms};

/// Echo requests per check.
const COUNT: u16 = 4;

pub struct Icmp {
    /// A host name or an address.
    pub host: String,
    pub max_loss: Option<f64>,
    pub max_latency: Option<rempart_core::plan::Duration>,
}

async fn address(host: &str) -> Result<IpAddr, String> {
    if let Ok(ip) = host.parse() {
        return Ok(ip);
    }
    tokio::net::lookup_host((host, 0))
        .await
        .map_err(|e| format!("{host}: {e}"))?
        .next()
        .map(|a| a.ip())
        .ok_or_else(|| format!("{host}: no address"))
}

impl Probe for Icmp {
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a> {
        Box::pin(async move {
            let clock = Instant::now();
            let ip = match address(&self.host).await {
                Ok(ip) if cx.public_only && crate::reach::internal(ip) => {
                    return Check::down(
                        elapsed_ms(clock),
                        format!(
                            "{} is an address of the MSP's own networks, which a client's plan may not reach",
                            self.host
                        ),
                        json!({}),
                    );
                }
                Ok(ip) => ip,
                Err(why) => return Check::down(elapsed_ms(clock), why, json!({})),
            };
            let kind = if ip.is_ipv4() { ICMP::V4 } else { ICMP::V6 };
            let client = match Client::new(&Config::builder().kind(kind).build()) {
                Ok(c) => c,
                Err(e) => {
                    return Check::down(
                        0,
                        format!(
                            "cannot open an ICMP socket ({e}): give Rempart CAP_NET_RAW, or allow its group in net.ipv4.ping_group_range"
                        ),
                        json!({}),
                    );
                }
            };
            let mut ident = [0u8; 2];
            let _ = getrandom::fill(&mut ident);
            let mut pinger = client
                .pinger(ip, PingIdentifier(u16::from_be_bytes(ident)))
                .await;
            // Each echo waits at most its share of the timeout.
            let each = (cx.timeout / u32::from(COUNT)).max(Duration::from_millis(100));
            pinger.timeout(each);
            let mut rtts = Vec::new();
            for seq in 0..COUNT {
                if let Ok((_, rtt)) = pinger.ping(PingSequence(seq), &[0; 16]).await {
                    rtts.push(rtt.as_secs_f64() * 1_000.0);
                }
                if seq + 1 < COUNT {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            let loss = 100.0 * f64::from(COUNT - u16::try_from(rtts.len()).unwrap_or(COUNT))
                / f64::from(COUNT);
            let mean = (!rtts.is_empty()).then(|| rtts.iter().sum::<f64>() / rtts.len() as f64);
            let ms = elapsed_ms(clock);
            let m = json!({ "address": ip.to_string(), "sent": COUNT, "received": rtts.len(), "loss_percent": loss, "rtt_mean_ms": mean });
            let Some(mean) = mean else {
                return Check::down(
                    ms,
                    format!("{} ({ip}): no echo reply to {COUNT} requests", self.host),
                    m,
                );
            };
            if loss > self.max_loss.unwrap_or(0.0) {
                return Check::down(ms, format!("{} ({ip}): {loss}% loss", self.host), m);
            }
            if let Some(max) = self.max_latency
                && mean > max.as_millis() as f64
            {
                return Check::down(
                    ms,
                    format!(
                        "{} ({ip}): {mean:.1} ms mean round trip, slower than {max}",
                        self.host
                    ),
                    m,
                );
            }
            Check::up_said(
                ms,
                rempart_i18n::say!(
                    "said-probe-icmp",
                    host = self.host.as_str(),
                    ip = ip.to_string(),
                    mean = format!("{mean:.1}"),
                    loss = loss
                ),
                m,
            )
        })
    }
}
