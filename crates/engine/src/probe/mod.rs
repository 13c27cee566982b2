//! Probes: one module per monitor kind, each behind the [`Probe`] trait.
//! A probe makes one check and says whether the target is up, how long it
//! took and why; it never panics and never outlives its timeout.

pub mod backup;
pub mod command;
pub mod dns;
pub mod heartbeat;
pub mod http;
pub mod icmp;
pub mod tcp;
pub mod tls;

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::time::Duration;

use rempart_core::plan::{Monitor, MonitorKind, Plan};
use rempart_store::TenantScope;
use serde_json::Value;
use tokio::sync::watch;

/// What one check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub up: bool,
    /// Time the check took, in ms.
    pub latency_ms: i64,
    /// One line for people: what was seen, or why it is down.
    pub message: String,
    /// Figures of the kind (status code, exit code, age…).
    pub measurements: Value,
}

impl Check {
    pub fn up(latency_ms: i64, message: impl Into<String>, measurements: Value) -> Check {
        Check {
            up: true,
            latency_ms,
            message: message.into(),
            measurements,
        }
    }

    /// Up, with a sentence kept to be said in the reader's language
    /// (`rempart_i18n::say!`): its English text is the message.
    pub fn up_said(latency_ms: i64, said: Value, mut measurements: Value) -> Check {
        let message = rempart_i18n::english(&said);
        if let Some(m) = measurements.as_object_mut() {
            m.insert("say".into(), said);
        }
        Check::up(latency_ms, message, measurements)
    }

    /// Down, with a sentence kept to be said in the reader's language.
    pub fn down_said(latency_ms: i64, said: Value, measurements: Value) -> Check {
        Check {
            up: false,
            ..Check::up_said(latency_ms, said, measurements)
        }
    }

    pub fn down(latency_ms: i64, message: impl Into<String>, measurements: Value) -> Check {
        Check {
            up: false,
            latency_ms,
            message: message.into(),
            measurements,
        }
    }
}

/// What a check may use besides its own settings.
pub struct ProbeCx<'a> {
    pub tenant: &'a TenantScope,
    pub plan: &'a Plan,
    pub base: &'a Path,
    /// A client's plan: only public addresses may be reached (`reach`).
    pub public_only: bool,
    pub timeout: Duration,
    /// Raised when the check must stop (shutdown).
    pub cancel: watch::Receiver<bool>,
}

pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = Check> + Send + 'a>>;

/// One kind of check.
pub trait Probe: Send + Sync {
    /// One check, done within `cx.timeout`.
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a>;
}

/// How often a heartbeat monitor is judged (it has a `period`, not an `interval`).
pub const HEARTBEAT_EVERY: rempart_core::plan::Duration =
    rempart_core::plan::Duration::from_secs(30);

/// Timeout when the monitor gives none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The probe of monitor `m`, or why this version cannot check it.
pub fn for_monitor(m: &Monitor) -> Result<Box<dyn Probe>, String> {
    let target = || {
        m.target
            .clone()
            .ok_or_else(|| format!("monitor \"{}\" has no target", m.id))
    };
    let expect = m.expect.as_ref();
    Ok(match m.kind {
        MonitorKind::Http => Box::new(http::Http::new(m, target()?)?),
        MonitorKind::Tcp => Box::new(tcp::Tcp {
            address: target()?,
            max_latency: expect.and_then(|e| e.max_latency),
        }),
        MonitorKind::Command => Box::new(command::Command {
            command: target()?,
            expect_exit: expect.and_then(|e| e.exit_code).unwrap_or(0),
            expect_text: expect.and_then(|e| e.body_contains.clone()),
        }),
        MonitorKind::Backup => Box::new(backup::BackupAge { backup: target()? }),
        MonitorKind::Dns => Box::new(dns::Dns {
            target: target()?,
            record: expect.and_then(|e| e.record.clone()),
            value: expect.and_then(|e| e.value.clone()),
            max_latency: expect.and_then(|e| e.max_latency),
        }),
        MonitorKind::Icmp => Box::new(icmp::Icmp {
            host: target()?,
            max_loss: expect.and_then(|e| e.max_loss).map(|p| p.0),
            max_latency: expect.and_then(|e| e.max_latency),
        }),
        MonitorKind::Tls => Box::new(tls::Tls {
            address: target()?,
            min_days_valid: expect.and_then(|e| e.min_days_valid),
            ca: m.ca.clone(),
        }),
        MonitorKind::Heartbeat => Box::new(heartbeat::Heartbeat {
            monitor: m.id.to_string(),
            period: m
                .period
                .clone()
                .ok_or_else(|| format!("heartbeat monitor \"{}\" has no period", m.id))?,
            grace_ms: m.grace.map_or(heartbeat::DEFAULT_GRACE_MS, |g| {
                i64::try_from(g.as_millis()).unwrap_or(i64::MAX)
            }),
        }),
    })
}

pub(crate) fn elapsed_ms(since: std::time::Instant) -> i64 {
    i64::try_from(since.elapsed().as_millis()).unwrap_or(i64::MAX)
}
