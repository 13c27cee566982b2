//! Heartbeats: a token per monitor, and the pings received.

use serde::Serialize;

use crate::{Column, Result, Store, StoreError, TenantScope};

/// What a heartbeat monitor has heard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heartbeat {
    pub monitor: String,
    pub token: String,
    pub created_ms: i64,
    /// The last success (`/ping/{token}`, or exit code 0).
    pub last_ping_ms: Option<i64>,
    /// The last `/start`.
    pub last_start_ms: Option<i64>,
    /// The last `/fail` or non-zero exit code.
    pub last_fail_ms: Option<i64>,
    pub last_exit: Option<i64>,
    pub pings: i64,
    /// The body of the last ping that carried one (the job's output), at
    /// most [`BODY_LIMIT`] bytes, with when and with which kind of ping
    /// (`success`, `start`, `fail`, `log` or the exit code) it came.
    pub last_body: Option<String>,
    pub last_body_ms: Option<i64>,
    pub last_body_kind: Option<String>,
    /// The body sent with the last failure.
    pub last_fail_body: Option<String>,
}

/// The bytes of a ping's body that are kept (the first ones), as
/// Healthchecks keeps them (its `PING_BODY_LIMIT`).
pub const BODY_LIMIT: usize = 10_000;

/// A ping: success, start, failure, an exit code, or a log line that
/// changes nothing (`/log`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ping {
    Success,
    Start,
    Fail,
    Exit(i64),
    Log,
}

impl Ping {
    /// How a body's kind is shown: `success`, `start`, `fail`, `log`, or the exit code.
    pub fn kind(self) -> String {
        match self {
            Ping::Success => "success".into(),
            Ping::Start => "start".into(),
            Ping::Fail => "fail".into(),
            Ping::Log => "log".into(),
            Ping::Exit(code) => code.to_string(),
        }
    }
}

/// A body as it is kept: its first [`BODY_LIMIT`] bytes (cut at a
/// character), invalid UTF-8 replaced, and a note of its full size
/// (`total` bytes) when it was cut. `None` for an empty body.
pub fn kept_body(body: &[u8], total: u64) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    if body.len() <= BODY_LIMIT && total <= BODY_LIMIT as u64 {
        return Some(String::from_utf8_lossy(body).into_owned());
    }
    let head = &body[..BODY_LIMIT.min(body.len())];
    // A character cut in two at the limit is dropped, not replaced.
    let head = match std::str::from_utf8(head) {
        Err(e) if e.error_len().is_none() => &head[..e.valid_up_to()],
        _ => head,
    };
    let mut text = String::from_utf8_lossy(head).into_owned();
    text.push_str(&format!(
        "\n… (cut: the first {BODY_LIMIT} of {total} bytes kept)"
    ));
    Some(text)
}

/// A ping that arrived: its token, what it says, when, and its body (as
/// [`kept_body`] keeps it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinged {
    pub token: String,
    pub ping: Ping,
    pub at_ms: i64,
    pub body: Option<String>,
}

impl TenantScope {
    /// What `monitor` has heard, its token created (random) on first use.
    pub async fn ensure_heartbeat(&self, monitor: &str, now_ms: i64) -> Result<Heartbeat> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| StoreError::Corrupt(format!("no randomness: {e}")))?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        sqlx::query(
            "INSERT INTO heartbeat (token, tenant_id, monitor, created_ms) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant_id, monitor) DO NOTHING",
        )
        .bind(&token)
        .bind(&self.tenant)
        .bind(monitor)
        .bind(now_ms)
        .execute(self.store.pool())
        .await
        .map_err(StoreError::db("creating a heartbeat token"))?;
        self.heartbeat(monitor)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("the heartbeat of \"{monitor}\" vanished")))
    }

    /// What `monitor` has heard; `None` before its token exists.
    pub async fn heartbeat(&self, monitor: &str) -> Result<Option<Heartbeat>> {
        let r = sqlx::query(
            "SELECT monitor, token, created_ms, last_ping_ms, last_start_ms, last_fail_ms, last_exit, pings,
                    last_body, last_body_ms, last_body_kind, last_fail_body
             FROM heartbeat WHERE tenant_id = $1 AND monitor = $2",
        )
        .bind(&self.tenant)
        .bind(monitor)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("reading a heartbeat"))?;
        r.map(|r| {
            Ok(Heartbeat {
                monitor: r.col("monitor")?,
                token: r.col("token")?,
                created_ms: r.col("created_ms")?,
                last_ping_ms: r.col("last_ping_ms")?,
                last_start_ms: r.col("last_start_ms")?,
                last_fail_ms: r.col("last_fail_ms")?,
                last_exit: r.col("last_exit")?,
                pings: r.col("pings")?,
                last_body: r.col("last_body")?,
                last_body_ms: r.col("last_body_ms")?,
                last_body_kind: r.col("last_body_kind")?,
                last_fail_body: r.col("last_fail_body")?,
            })
        })
        .transpose()
    }
}

impl Store {
    /// Records pings in one transaction (group commit); for each, the
    /// tenant and monitor of its token, `None` when the token is unknown.
    pub async fn record_pings(&self, pings: &[Pinged]) -> Result<Vec<Option<(String, String)>>> {
        let doing = "recording pings";
        let mut tx = self.begin(doing).await?;
        let mut known = Vec::with_capacity(pings.len());
        for p in pings {
            // $1 token, $2 time; then what this kind of ping sets.
            let exit = match p.ping {
                Ping::Exit(code) => code,
                _ => 1,
            };
            let failed = matches!(p.ping, Ping::Fail) || matches!(p.ping, Ping::Exit(c) if c != 0);
            let mut sets = vec!["pings = pings + 1".to_owned()];
            match p.ping {
                Ping::Start => sets.push("last_start_ms = $2".into()),
                Ping::Success | Ping::Exit(0) => {
                    sets.push("last_ping_ms = $2".into());
                    sets.push("last_exit = 0".into());
                }
                Ping::Fail | Ping::Exit(_) => {
                    sets.push("last_fail_ms = $2".into());
                    sets.push("last_exit = $3".into());
                    sets.push("last_fail_body = $4".into());
                }
                Ping::Log => {}
            }
            if p.body.is_some() {
                let (body, kind) = if failed { ("$4", "$5") } else { ("$3", "$4") };
                sets.push(format!("last_body = {body}"));
                sets.push("last_body_ms = $2".into());
                sets.push(format!("last_body_kind = {kind}"));
            }
            let sql = format!(
                "UPDATE heartbeat SET {} WHERE token = $1 RETURNING tenant_id, monitor",
                sets.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&p.token)
                .bind(p.at_ms);
            if failed {
                query = query.bind(exit).bind(p.body.clone());
            }
            if p.body.is_some() {
                // A failure's body is $4 already.
                if !failed {
                    query = query.bind(p.body.clone());
                }
                query = query.bind(p.ping.kind());
            }
            let row = query
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::db(doing))?;
            known.push(match row {
                Some(r) => Some((r.col("tenant_id")?, r.col("monitor")?)),
                None => None,
            });
        }
        tx.commit().await.map_err(StoreError::db(doing))?;
        Ok(known)
    }
}
