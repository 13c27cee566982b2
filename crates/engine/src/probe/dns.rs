//! `dns`: one query over UDP, to the server the target names
//! (`name@host:port`) or the system's first nameserver; up when the answer
//! holds a record of the expected type (`A` unless given) and, when given,
//! the expected value, within the slowest acceptable time.

use std::str::FromStr;
use std::time::{Duration, Instant};

use hickory_proto::op::{Message, MessageType, Query, ResponseCode};
use hickory_proto::rr::{Name, RecordType};
use serde_json::json;

use super::{Check, CheckFuture, Probe, ProbeCx, elapsed_ms};

pub struct Dns {
    /// `name` or `name@host:port`.
    pub target: String,
    pub record: Option<String>,
    pub value: Option<String>,
    pub max_latency: Option<rempart_core::plan::Duration>,
}

/// The first `nameserver` of /etc/resolv.conf, on port 53.
fn system_server() -> Result<String, String> {
    let conf = std::fs::read_to_string("/etc/resolv.conf")
        .map_err(|e| format!("no DNS server given and /etc/resolv.conf is unreadable: {e}"))?;
    conf.lines()
        .filter_map(|l| l.trim().strip_prefix("nameserver"))
        .map(str::trim)
        .next()
        .map(|ip| {
            if ip.contains(':') {
                format!("[{ip}]:53")
            } else {
                format!("{ip}:53")
            }
        })
        .ok_or_else(|| "no DNS server given and none in /etc/resolv.conf".to_owned())
}

/// A record's value as people write it: no trailing dot on names.
fn text(value: &str) -> String {
    value.trim_end_matches('.').trim_matches('"').to_owned()
}

async fn query(
    name: &str,
    server: &str,
    rtype: RecordType,
    timeout: Duration,
) -> Result<Message, String> {
    let fqdn =
        Name::from_utf8(name).map_err(|e| format!("\"{name}\" is not a domain name: {e}"))?;
    let mut id = [0u8; 2];
    getrandom::fill(&mut id).map_err(|e| e.to_string())?;
    let mut message = Message::new();
    message
        .set_id(u16::from_be_bytes(id))
        .set_recursion_desired(true)
        .add_query(Query::query(fqdn, rtype));
    let bytes = message.to_vec().map_err(|e| e.to_string())?;
    let bind = if server.starts_with('[') {
        "[::]:0"
    } else {
        "0.0.0.0:0"
    };
    let socket = tokio::net::UdpSocket::bind(bind)
        .await
        .map_err(|e| e.to_string())?;
    socket
        .connect(server)
        .await
        .map_err(|e| format!("{server}: {e}"))?;
    socket
        .send(&bytes)
        .await
        .map_err(|e| format!("{server}: {e}"))?;
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(timeout, socket.recv(&mut buf))
        .await
        .map_err(|_| format!("{server}: no answer within {} ms", timeout.as_millis()))?
        .map_err(|e| format!("{server}: {e}"))?;
    let answer =
        Message::from_vec(&buf[..n]).map_err(|e| format!("{server}: unreadable answer: {e}"))?;
    if answer.id() != message.id() || answer.message_type() != MessageType::Response {
        return Err(format!("{server}: an answer to another question"));
    }
    Ok(answer)
}

impl Probe for Dns {
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a> {
        Box::pin(async move {
            let clock = Instant::now();
            let (name, server) = match self.target.split_once('@') {
                Some((n, s)) => (n.to_owned(), Ok(s.to_owned())),
                None => (self.target.clone(), system_server()),
            };
            let server = match server {
                Ok(s) => s,
                Err(why) => return Check::down(0, why, json!({})),
            };
            // A client's plan asks the server's own resolver, or a public one.
            if cx.public_only
                && self.target.contains('@')
                && let Err(why) = crate::reach::resolve(&server, true).await
            {
                return Check::down(0, why, json!({}));
            }
            let wanted = self.record.as_deref().unwrap_or("A");
            let rtype = match RecordType::from_str(&wanted.to_ascii_uppercase()) {
                Ok(t) => t,
                Err(_) => {
                    return Check::down(0, format!("unknown record type \"{wanted}\""), json!({}));
                }
            };
            let answer = match query(&name, &server, rtype, cx.timeout).await {
                Ok(a) => a,
                Err(why) => {
                    return Check::down(
                        elapsed_ms(clock),
                        format!("{name} {rtype}: {why}"),
                        json!({ "server": server }),
                    );
                }
            };
            let ms = elapsed_ms(clock);
            let values: Vec<String> = answer
                .answers()
                .iter()
                .filter(|r| r.record_type() == rtype)
                .map(|r| text(&r.data().to_string()))
                .collect();
            let m = json!({ "server": server, "record": rtype.to_string(), "values": values, "latency_ms": ms });
            if answer.response_code() != ResponseCode::NoError {
                return Check::down(ms, format!("{name} {rtype}: {}", answer.response_code()), m);
            }
            if values.is_empty() {
                return Check::down(ms, format!("{name} has no {rtype} record"), m);
            }
            if let Some(want) = &self.value
                && !values.iter().any(|v| *v == text(want))
            {
                return Check::down(
                    ms,
                    format!("{name} {rtype} is {}, not {want}", values.join(", ")),
                    m,
                );
            }
            if let Some(max) = self.max_latency
                && u64::try_from(ms).unwrap_or(u64::MAX) > max.as_millis()
            {
                return Check::down(
                    ms,
                    format!("{name} {rtype} answered in {ms} ms, slower than {max}"),
                    m,
                );
            }
            Check::up_said(
                ms,
                rempart_i18n::say!(
                    "said-probe-dns",
                    name = name.to_string(),
                    rtype = rtype.to_string(),
                    values = values.join(", "),
                    ms = ms
                ),
                m,
            )
        })
    }
}
