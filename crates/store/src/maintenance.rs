//! Maintenance windows set through the API.

use serde::Serialize;
use sqlx::any::AnyRow;

use crate::{Column, Result, StoreError, TenantScope};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    pub id: i64,
    /// Monitor ids; every monitor when empty.
    pub monitors: Vec<String>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub reason: String,
    pub created_by: String,
    pub created_ms: i64,
}

impl Window {
    pub fn covers(&self, monitor: &str, now_ms: i64) -> bool {
        (self.monitors.is_empty() || self.monitors.iter().any(|m| m == monitor))
            && self.start_ms <= now_ms
            && now_ms < self.end_ms
    }
}

fn row(r: &AnyRow) -> Result<Window> {
    let monitors: String = r.col("monitors")?;
    Ok(Window {
        id: r.col("id")?,
        monitors: serde_json::from_str(&monitors)
            .map_err(|e| StoreError::Corrupt(format!("a maintenance window's monitors: {e}")))?,
        start_ms: r.col("start_ms")?,
        end_ms: r.col("end_ms")?,
        reason: r.col("reason")?,
        created_by: r.col("created_by")?,
        created_ms: r.col("created_ms")?,
    })
}

const COLUMNS: &str = "id, monitors, start_ms, end_ms, reason, created_by, created_ms";

impl TenantScope {
    pub async fn add_maintenance(
        &self,
        monitors: &[String],
        start_ms: i64,
        end_ms: i64,
        reason: &str,
        by: &str,
        now_ms: i64,
    ) -> Result<Window> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO maintenance_window (tenant_id, monitors, start_ms, end_ms, reason, created_by, created_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
        )))
        .bind(&self.tenant)
        .bind(serde_json::to_string(monitors).unwrap_or_else(|_| "[]".into()))
        .bind(start_ms)
        .bind(end_ms)
        .bind(reason)
        .bind(by)
        .bind(now_ms)
        .fetch_one(self.store.pool())
        .await
        .map_err(StoreError::db("adding a maintenance window"))?;
        row(&r)
    }

    /// Windows not over at `now_ms`, soonest first.
    pub async fn maintenance_windows(&self, now_ms: i64) -> Result<Vec<Window>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM maintenance_window WHERE tenant_id = $1 AND end_ms > $2 ORDER BY start_ms"
        )))
        .bind(&self.tenant)
        .bind(now_ms)
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("listing maintenance windows"))?;
        rows.iter().map(row).collect()
    }

    /// Removes window `id`; false when the tenant has none such.
    pub async fn remove_maintenance(&self, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM maintenance_window WHERE tenant_id = $1 AND id = $2")
            .bind(&self.tenant)
            .bind(id)
            .execute(self.store.pool())
            .await
            .map_err(StoreError::db("removing a maintenance window"))?;
        Ok(done.rows_affected() > 0)
    }
}
