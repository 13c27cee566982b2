//! `http`: a GET held against `expect`: the status (any 2xx when none is
//! given), text the body must contain, a regular expression it must
//! match, a value at a JSON path, the slowest acceptable answer.
//! Redirects are followed (10 unless the monitor says otherwise);
//! certificates are verified against the platform's roots, plus the
//! monitor's `ca`, unless `tls_verify = false`.
//!
//! Clients are shared by every monitor with the same settings (one
//! connection pool, one TLS configuration): 10 000 monitors of one kind
//! cost one client, not 10 000.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use rempart_core::plan::{Expect, Monitor};
use serde_json::{Value, json};

use super::{Check, CheckFuture, Probe, ProbeCx, elapsed_ms};

/// The most of a body read and held against `expect`.
pub const BODY_LIMIT: usize = 1 << 20;

pub struct Http {
    pub url: String,
    pub expect: Option<Expect>,
    /// `expect.body_matches`, compiled once.
    pub pattern: Option<regex::Regex>,
    /// `expect.json_path` as a JSON pointer.
    pub pointer: Option<String>,
    pub settings: Settings,
    /// The `ca` file, relative to the plan's folder.
    pub ca: Option<String>,
}

/// What makes two clients different.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    pub redirects: u32,
    pub verify: bool,
    /// The CA file and its modification time (a changed file, a new client).
    pub ca: Option<(PathBuf, Option<SystemTime>)>,
    /// For a client's plan: public addresses only (`crate::reach`).
    pub public_only: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            redirects: 10,
            verify: true,
            ca: None,
            public_only: false,
        }
    }
}

impl Http {
    /// The probe of http monitor `m` whose target is `url`.
    pub fn new(m: &Monitor, url: String) -> Result<Http, String> {
        let expect = m.expect.clone();
        let pattern = expect
            .as_ref()
            .and_then(|e| e.body_matches.as_deref())
            .map(|re| {
                regex::Regex::new(re).map_err(|e| {
                    format!(
                        "monitor \"{}\": expect.body_matches is not a regular expression: {e}",
                        m.id
                    )
                })
            })
            .transpose()?;
        let pointer = expect
            .as_ref()
            .and_then(|e| e.json_path.as_deref())
            .map(rempart_core::plan::json_pointer)
            .transpose()?;
        Ok(Http {
            url,
            expect,
            pattern,
            pointer,
            settings: Settings {
                redirects: m.redirects.unwrap_or(10),
                verify: m.tls_verify.unwrap_or(true),
                ca: None,
                public_only: false,
            },
            ca: m.ca.clone(),
        })
    }
}

impl Probe for Http {
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a> {
        Box::pin(async move {
            let mut settings = self.settings.clone();
            if cx.public_only {
                if let Err(why) = crate::reach::check_url(&self.url) {
                    return Check::down(0, why, json!({}));
                }
                settings.public_only = true;
            }
            if let Some(file) = &self.ca
                && settings.verify
            {
                let path = rempart_backup::secrets::plan_path(cx.base, file);
                let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
                settings.ca = Some((path, modified));
            }
            let client = match client(&settings) {
                Ok(c) => c,
                Err(why) => return Check::down(0, why, json!({})),
            };
            let wanted = Wanted {
                expect: self.expect.as_ref(),
                pattern: self.pattern.as_ref(),
                pointer: self.pointer.as_deref(),
            };
            fetch(&client, &self.url, wanted, cx.timeout).await
        })
    }
}

/// The shared client for `settings`, built on first use.
pub fn client(settings: &Settings) -> Result<reqwest::Client, String> {
    static CLIENTS: OnceLock<Mutex<HashMap<Settings, reqwest::Client>>> = OnceLock::new();
    let mut clients = CLIENTS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(c) = clients.get(settings) {
        return Ok(c.clone());
    }
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("rempart/", env!("CARGO_PKG_VERSION"), " (monitor)"))
        .redirect(if settings.redirects == 0 {
            reqwest::redirect::Policy::none()
        } else {
            reqwest::redirect::Policy::limited(settings.redirects as usize)
        })
        .tls_danger_accept_invalid_certs(!settings.verify);
    if settings.public_only {
        builder = crate::reach::public_only(builder, settings.redirects as usize);
    }
    if let Some((path, _)) = &settings.ca {
        let pem = std::fs::read(path)
            .map_err(|e| format!("cannot read the CA file {}: {e}", path.display()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            format!(
                "the CA file {} holds no PEM certificate: {e}",
                path.display()
            )
        })?;
        builder = builder.tls_certs_merge(certs);
    }
    let built = builder
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {}", error_chain(&e)))?;
    clients.insert(settings.clone(), built.clone());
    Ok(built)
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

/// What an answer is held against.
#[derive(Clone, Copy, Default)]
pub struct Wanted<'a> {
    pub expect: Option<&'a Expect>,
    pub pattern: Option<&'a regex::Regex>,
    pub pointer: Option<&'a str>,
}

/// One GET of `url` held against `expect`, within `timeout`, with the
/// default client (drill steps); with `public_only`, never to an address
/// of the server's own networks.
pub async fn get(
    url: &str,
    expect: Option<&Expect>,
    timeout: Duration,
    public_only: bool,
) -> Check {
    if public_only && let Err(why) = crate::reach::check_url(url) {
        return Check::down(0, why, json!({}));
    }
    let settings = Settings {
        public_only,
        ..Settings::default()
    };
    match client(&settings) {
        Ok(c) => {
            let wanted = Wanted {
                expect,
                ..Wanted::default()
            };
            fetch(&c, url, wanted, timeout).await
        }
        Err(why) => Check::down(0, why, json!({})),
    }
}

/// Reads at most [`BODY_LIMIT`] bytes of the body, as text.
async fn body(mut response: reqwest::Response) -> Result<(String, bool), reqwest::Error> {
    let mut bytes = Vec::new();
    let mut cut = false;
    while let Some(chunk) = response.chunk().await? {
        let room = BODY_LIMIT - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            cut = true;
            break;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((String::from_utf8_lossy(&bytes).into_owned(), cut))
}

/// The JSON text of a value as `expect.value` is written: strings bare.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One GET of `url` with `client`, held against `wanted`, within `timeout`.
pub async fn fetch(
    client: &reqwest::Client,
    url: &str,
    wanted: Wanted<'_>,
    timeout: Duration,
) -> Check {
    let clock = Instant::now();
    let expect = wanted.expect;
    let response = match client.get(url).timeout(timeout).send().await {
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
    let body = body(response).await;
    let latency = elapsed_ms(clock);
    let mut m = json!({ "status": status, "latency_ms": latency });
    let (body, cut) = match body {
        Ok(b) => b,
        Err(e) => {
            return Check::down(
                latency,
                format!("GET {url}: reading the body: {}", error_chain(&e)),
                m,
            );
        }
    };
    if cut {
        m["body_cut_at"] = json!(BODY_LIMIT);
    }
    let down = |why: String, m: Value| Check::down(latency, format!("GET {url}: {why}"), m);
    match expect.and_then(|e| e.status) {
        Some(w) if w != status => return down(format!("status {status}, expected {w}"), m),
        None if !(200..300).contains(&status) => {
            return down(format!("status {status}, expected 2xx"), m);
        }
        _ => {}
    }
    if let Some(text) = expect.and_then(|e| e.body_contains.as_deref())
        && !body.contains(text)
    {
        return down(format!("status {status}, but the body lacks {text:?}"), m);
    }
    if let Some(re) = wanted.pattern
        && !re.is_match(&body)
    {
        return down(
            format!(
                "status {status}, but the body does not match /{}/",
                re.as_str()
            ),
            m,
        );
    }
    if let Some(pointer) = wanted.pointer {
        let path = expect
            .and_then(|e| e.json_path.as_deref())
            .unwrap_or(pointer);
        let found = match serde_json::from_str::<Value>(&body) {
            Ok(v) => v.pointer(pointer).cloned(),
            Err(e) => return down(format!("status {status}, but the body is not JSON: {e}"), m),
        };
        match (found, expect.and_then(|e| e.value.as_deref())) {
            (None | Some(Value::Null), _) => {
                return down(format!("status {status}, but {path} is not in the body"), m);
            }
            (Some(v), Some(want)) if as_text(&v) != want => {
                m["json_value"] = v.clone();
                return down(
                    format!(
                        "status {status}, but {path} is {}, expected {want:?}",
                        as_text(&v)
                    ),
                    m,
                );
            }
            (Some(v), _) => m["json_value"] = v,
        }
    }
    if let Some(max) = expect.and_then(|e| e.max_latency)
        && u64::try_from(latency).unwrap_or(u64::MAX) > max.as_millis()
    {
        return down(format!("answered in {latency} ms, slower than {max}"), m);
    }
    Check::up_said(
        latency,
        rempart_i18n::say!(
            "said-probe-http",
            url = url.to_string(),
            status = status,
            ms = latency
        ),
        m,
    )
}
