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
}

/// A ping: success, start, failure, or an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ping {
    Success,
    Start,
    Fail,
    Exit(i64),
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
            "SELECT monitor, token, created_ms, last_ping_ms, last_start_ms, last_fail_ms, last_exit, pings
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
            })
        })
        .transpose()
    }
}

impl Store {
    /// Records pings in one transaction (group commit); for each, whether
    /// its token is known.
    pub async fn record_pings(&self, pings: &[(String, Ping, i64)]) -> Result<Vec<bool>> {
        let doing = "recording pings";
        let mut tx = self.begin(doing).await?;
        let mut known = Vec::with_capacity(pings.len());
        for (token, ping, at) in pings {
            let query = match ping {
                Ping::Start => sqlx::query(
                    "UPDATE heartbeat SET last_start_ms = $2, pings = pings + 1 WHERE token = $1",
                )
                .bind(token)
                .bind(at),
                Ping::Success | Ping::Exit(0) => sqlx::query(
                    "UPDATE heartbeat SET last_ping_ms = $2, last_exit = 0, pings = pings + 1 WHERE token = $1",
                )
                .bind(token)
                .bind(at),
                Ping::Fail | Ping::Exit(_) => sqlx::query(
                    "UPDATE heartbeat SET last_fail_ms = $2, last_exit = $3, pings = pings + 1 WHERE token = $1",
                )
                .bind(token)
                .bind(at)
                .bind(match ping {
                    Ping::Exit(code) => *code,
                    _ => 1,
                }),
            };
            let done = query
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db(doing))?;
            known.push(done.rows_affected() > 0);
        }
        tx.commit().await.map_err(StoreError::db(doing))?;
        Ok(known)
    }
}
