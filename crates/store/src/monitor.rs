//! Each monitor's state between two checks.

use std::collections::BTreeMap;

use rempart_core::monitoring::Tracker;

use crate::{Column, Result, StoreError, TenantScope};

fn parse(text: &str) -> Result<Tracker> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("a monitor's state is not readable: {e}")))
}

impl TenantScope {
    /// Every monitor state the tenant has, with when it was saved.
    pub async fn all_monitor_states(&self) -> Result<BTreeMap<String, (Tracker, i64)>> {
        let rows = sqlx::query(
            "SELECT monitor, tracker, updated_ms FROM monitor_state WHERE tenant_id = $1",
        )
        .bind(&self.tenant)
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("reading monitor states"))?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.col::<String>("monitor")?,
                    (
                        parse(&r.col::<String>("tracker")?)?,
                        r.col::<i64>("updated_ms")?,
                    ),
                ))
            })
            .collect()
    }

    /// Saves `monitor`'s state.
    pub async fn save_monitor_state(
        &self,
        monitor: &str,
        tracker: &Tracker,
        now_ms: i64,
    ) -> Result<()> {
        self.save_monitor_states(&[(monitor, tracker)], now_ms)
            .await?;
        self.changed(crate::What::Monitor).await;
        Ok(())
    }

    /// Saves the states of several monitors in one transaction.
    pub async fn save_monitor_states(
        &self,
        states: &[(&str, &Tracker)],
        now_ms: i64,
    ) -> Result<()> {
        if states.is_empty() {
            return Ok(());
        }
        let doing = "saving monitor states";
        let mut tx = self.store.begin(doing).await?;
        for (monitor, tracker) in states {
            let text = serde_json::to_string(tracker)
                .map_err(|e| StoreError::Corrupt(format!("cannot write a monitor's state: {e}")))?;
            sqlx::query(
                "INSERT INTO monitor_state (tenant_id, monitor, tracker, updated_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (tenant_id, monitor) DO UPDATE SET tracker = excluded.tracker, updated_ms = excluded.updated_ms",
            )
            .bind(&self.tenant)
            .bind(*monitor)
            .bind(text)
            .bind(now_ms)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?;
        }
        tx.commit().await.map_err(StoreError::db(doing))
    }
}
