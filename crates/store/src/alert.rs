//! Alerts under escalation, and the server's own secrets.

use serde::Serialize;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;

use crate::{Column, Result, Store, StoreError, TenantScope};

/// An alert: a monitor down, escalated step by step until acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub tenant: String,
    pub monitor: String,
    pub escalation: String,
    pub opened_ms: i64,
    /// The last escalation step notified (from 0).
    pub step: i64,
    pub next_due_ms: Option<i64>,
    pub acked_ms: Option<i64>,
    pub acked_by: Option<String>,
    pub resolved_ms: Option<i64>,
}

const COLUMNS: &str = "id, tenant_id, monitor, escalation, opened_ms, step, next_due_ms, acked_ms, acked_by, resolved_ms";

fn row(r: &AnyRow) -> Result<Alert> {
    Ok(Alert {
        id: r.col("id")?,
        tenant: r.col("tenant_id")?,
        monitor: r.col("monitor")?,
        escalation: r.col("escalation")?,
        opened_ms: r.col("opened_ms")?,
        step: r.col("step")?,
        next_due_ms: r.col("next_due_ms")?,
        acked_ms: r.col("acked_ms")?,
        acked_by: r.col("acked_by")?,
        resolved_ms: r.col("resolved_ms")?,
    })
}

impl TenantScope {
    /// Opens an alert for `monitor`, its first step notified now and the
    /// next one due at `next_due_ms`. A monitor has one open alert at a
    /// time: when it has one already (a change written again after the
    /// store refused it once), that one is returned.
    pub async fn open_alert(
        &self,
        monitor: &str,
        escalation: &str,
        now_ms: i64,
        next_due_ms: Option<i64>,
    ) -> Result<Alert> {
        let open = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM alert WHERE tenant_id = $1 AND monitor = $2 AND resolved_ms IS NULL ORDER BY id LIMIT 1"
        )))
        .bind(&self.tenant)
        .bind(monitor)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("opening an alert"))?;
        if let Some(r) = open {
            return row(&r);
        }
        let r = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO alert (tenant_id, monitor, escalation, opened_ms, step, next_due_ms)
             VALUES ($1, $2, $3, $4, 0, $5) RETURNING {COLUMNS}"
        )))
        .bind(&self.tenant)
        .bind(monitor)
        .bind(escalation)
        .bind(now_ms)
        .bind(next_due_ms)
        .fetch_one(self.store.pool())
        .await
        .map_err(StoreError::db("opening an alert"))?;
        self.changed(crate::What::Alert).await;
        row(&r)
    }

    /// Closes `monitor`'s open alert (it is back); returns it. Asked again
    /// for the same moment (a change written again), returns the alert it
    /// closed then.
    pub async fn resolve_alert(&self, monitor: &str, now_ms: i64) -> Result<Option<Alert>> {
        let r = sqlx::query(AssertSqlSafe(format!(
            "UPDATE alert SET resolved_ms = $3, next_due_ms = NULL
             WHERE tenant_id = $1 AND monitor = $2 AND resolved_ms IS NULL RETURNING {COLUMNS}"
        )))
        .bind(&self.tenant)
        .bind(monitor)
        .bind(now_ms)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("resolving an alert"))?;
        if r.is_some() {
            self.changed(crate::What::Alert).await;
            return r.as_ref().map(row).transpose();
        }
        let again = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM alert WHERE tenant_id = $1 AND monitor = $2 AND resolved_ms = $3 ORDER BY id DESC LIMIT 1"
        )))
        .bind(&self.tenant)
        .bind(monitor)
        .bind(now_ms)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("resolving an alert"))?;
        again.as_ref().map(row).transpose()
    }

    /// Acknowledges alert `id`: its escalation stops. `None` when the
    /// tenant has no such alert; an alert acknowledged already keeps its
    /// first acknowledgement.
    pub async fn ack_alert(&self, id: i64, by: &str, now_ms: i64) -> Result<Option<Alert>> {
        sqlx::query(
            "UPDATE alert SET acked_ms = $3, acked_by = $4, next_due_ms = NULL
             WHERE tenant_id = $1 AND id = $2 AND acked_ms IS NULL",
        )
        .bind(&self.tenant)
        .bind(id)
        .bind(now_ms)
        .bind(by)
        .execute(self.store.pool())
        .await
        .map_err(StoreError::db("acknowledging an alert"))?;
        self.changed(crate::What::Alert).await;
        self.alert(id).await
    }

    pub async fn alert(&self, id: i64) -> Result<Option<Alert>> {
        let r = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM alert WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(&self.tenant)
        .bind(id)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("reading an alert"))?;
        r.as_ref().map(row).transpose()
    }

    /// The newest alerts first.
    pub async fn alerts(&self, limit: u32) -> Result<Vec<Alert>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM alert WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2"
        )))
        .bind(&self.tenant)
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("listing alerts"))?;
        rows.iter().map(row).collect()
    }
}

impl Store {
    /// The tenants with an alert not over yet.
    pub async fn tenants_with_open_alerts(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT DISTINCT tenant_id FROM alert WHERE resolved_ms IS NULL")
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::db("listing open alerts"))?;
        rows.iter().map(|r| r.col("tenant_id")).collect()
    }

    /// Claims alerts whose next escalation step is due, for `owner`, until
    /// `now + lease_ms`: one server escalates each.
    pub async fn claim_due_alerts(
        &self,
        owner: &str,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<Vec<Alert>> {
        let sql = format!(
            "UPDATE alert SET lease_owner = $1, lease_until = $2
             WHERE id IN (
                SELECT id FROM alert
                WHERE next_due_ms IS NOT NULL AND next_due_ms <= $3
                  AND (lease_until IS NULL OR lease_until < $3)
                ORDER BY next_due_ms LIMIT 32{})
               AND (lease_until IS NULL OR lease_until < $3)
             RETURNING {COLUMNS}",
            self.backend().skip_locked()
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(owner)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::db("claiming due alerts"))?;
        rows.iter().map(row).collect()
    }

    /// Records that step `step` of alert `id` was notified, the next one
    /// due at `next_due_ms` (none: the escalation is over). Does nothing
    /// to an alert acknowledged or resolved meanwhile.
    pub async fn advance_alert(
        &self,
        id: i64,
        owner: &str,
        step: i64,
        next_due_ms: Option<i64>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE alert SET step = $3, next_due_ms = $4, lease_owner = NULL, lease_until = NULL
             WHERE id = $1 AND lease_owner = $2 AND acked_ms IS NULL AND resolved_ms IS NULL",
        )
        .bind(id)
        .bind(owner)
        .bind(step)
        .bind(next_due_ms)
        .execute(self.pool())
        .await
        .map_err(StoreError::db("advancing an alert"))?;
        Ok(done.rows_affected() > 0)
    }

    /// The server secret `name`, created (random, hex) on first use; every
    /// server on one database gets the same.
    pub async fn server_secret(&self, name: &str) -> Result<String> {
        let doing = "reading a server secret";
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| StoreError::Corrupt(format!("no randomness: {e}")))?;
        let fresh: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        sqlx::query(
            "INSERT INTO server_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .execute(self.pool())
        .await
        .map_err(StoreError::db(doing))?;
        let r = sqlx::query("SELECT value FROM server_secret WHERE name = $1")
            .bind(name)
            .fetch_one(self.pool())
            .await
            .map_err(StoreError::db(doing))?;
        r.col("value")
    }
}
