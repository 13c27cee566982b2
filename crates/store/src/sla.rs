//! SLA accounting: check buckets (minute, hour, day) and outages.

pub use rempart_core::sla::{Bucket, Downtime};
use sqlx::AssertSqlSafe;

use crate::{Column, Result, Store, StoreError, TenantScope};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;
/// Minute buckets are kept this long, hours this long; days forever.
pub const KEEP_MINUTES_MS: i64 = 48 * HOUR_MS;
pub const KEEP_HOURS_MS: i64 = 90 * DAY_MS;

fn length(resolution: &str) -> i64 {
    match resolution {
        "hour" => HOUR_MS,
        "day" => DAY_MS,
        _ => MINUTE_MS,
    }
}

impl TenantScope {
    /// Adds counted checks to their monitors' minute buckets (each
    /// `start_ms` a whole minute), in one transaction: the supervisor
    /// counts in memory and writes a few seconds' worth at once.
    pub async fn record_checks(&self, counts: &[(String, Bucket)]) -> Result<()> {
        if counts.is_empty() {
            return Ok(());
        }
        let doing = "counting checks";
        let mut tx = self.store.begin(doing).await?;
        for (monitor, b) in counts {
            sqlx::query(
                "INSERT INTO monitor_bucket (tenant_id, monitor, resolution, start_ms, checks, up, maintenance, latency_sum_ms)
                 VALUES ($1, $2, 'minute', $3, $4, $5, $6, $7)
                 ON CONFLICT (tenant_id, monitor, resolution, start_ms) DO UPDATE SET
                   checks = monitor_bucket.checks + excluded.checks, up = monitor_bucket.up + excluded.up,
                   maintenance = monitor_bucket.maintenance + excluded.maintenance,
                   latency_sum_ms = monitor_bucket.latency_sum_ms + excluded.latency_sum_ms",
            )
            .bind(&self.tenant)
            .bind(monitor)
            .bind(b.start_ms - b.start_ms.rem_euclid(MINUTE_MS))
            .bind(b.checks)
            .bind(b.up)
            .bind(b.maintenance)
            .bind(b.latency_sum_ms.max(0))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?;
        }
        tx.commit().await.map_err(StoreError::db(doing))
    }

    /// `monitor`'s buckets of every resolution starting in `[from, to)`, oldest first.
    pub async fn buckets(&self, monitor: &str, from_ms: i64, to_ms: i64) -> Result<Vec<Bucket>> {
        let rows = sqlx::query(
            "SELECT resolution, start_ms, checks, up, maintenance, latency_sum_ms FROM monitor_bucket
             WHERE tenant_id = $1 AND monitor = $2 AND start_ms >= $3 AND start_ms < $4 ORDER BY start_ms",
        )
        .bind(&self.tenant)
        .bind(monitor)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("reading check buckets"))?;
        rows.iter()
            .map(|r| {
                Ok(Bucket {
                    start_ms: r.col("start_ms")?,
                    length_ms: length(&r.col::<String>("resolution")?),
                    checks: r.col("checks")?,
                    up: r.col("up")?,
                    maintenance: r.col("maintenance")?,
                    latency_sum_ms: r.col("latency_sum_ms")?,
                })
            })
            .collect()
    }

    /// Every monitor's checks per day over `[from, to)`, in one query, the
    /// day of a bucket counted in a zone `offset_ms` ahead of UTC: monitor
    /// → (day number since 1970-01-01 in that zone, a bucket summing the
    /// day). For the portal's 90-day bars: a few rows per monitor and day,
    /// whatever the resolution kept. (A zone whose offset changed within
    /// the period — summer time — has the hour of the change counted on
    /// the neighbouring day.)
    pub async fn daily_checks(
        &self,
        from_ms: i64,
        to_ms: i64,
        offset_ms: i64,
    ) -> Result<std::collections::HashMap<String, Vec<(i64, Bucket)>>> {
        let rows = sqlx::query(
            "SELECT monitor, (start_ms + $4) / 86400000 AS day,
                    CAST(SUM(checks) AS BIGINT) AS checks, CAST(SUM(up) AS BIGINT) AS up,
                    CAST(SUM(maintenance) AS BIGINT) AS maintenance,
                    CAST(SUM(latency_sum_ms) AS BIGINT) AS latency_sum_ms
             FROM monitor_bucket
             WHERE tenant_id = $1 AND start_ms >= $2 AND start_ms < $3
             GROUP BY monitor, (start_ms + $4) / 86400000 ORDER BY monitor, day",
        )
        .bind(&self.tenant)
        .bind(from_ms)
        .bind(to_ms)
        .bind(offset_ms)
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("reading checks per day"))?;
        let mut out: std::collections::HashMap<String, Vec<(i64, Bucket)>> =
            std::collections::HashMap::new();
        for r in &rows {
            let day: i64 = r.col("day")?;
            out.entry(r.col("monitor")?).or_default().push((
                day,
                Bucket {
                    start_ms: day * DAY_MS - offset_ms,
                    length_ms: DAY_MS,
                    checks: r.col("checks")?,
                    up: r.col("up")?,
                    maintenance: r.col("maintenance")?,
                    latency_sum_ms: r.col("latency_sum_ms")?,
                },
            ));
        }
        Ok(out)
    }

    /// An outage of `monitor` begins.
    pub async fn open_downtime(
        &self,
        monitor: &str,
        state: &str,
        at_ms: i64,
        cause: &str,
    ) -> Result<()> {
        // Written again after the store refused it once: already there.
        let open = sqlx::query(
            "SELECT 1 AS one FROM downtime WHERE tenant_id = $1 AND monitor = $2 AND state = $3 AND start_ms = $4 AND end_ms IS NULL",
        )
        .bind(&self.tenant)
        .bind(monitor)
        .bind(state)
        .bind(at_ms)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("opening an outage"))?;
        if open.is_some() {
            return Ok(());
        }
        // One open outage per monitor: a change down → unreachable closes the first.
        self.close_downtime(monitor, at_ms).await?;
        sqlx::query("INSERT INTO downtime (tenant_id, monitor, state, start_ms, cause) VALUES ($1, $2, $3, $4, $5)")
            .bind(&self.tenant)
            .bind(monitor)
            .bind(state)
            .bind(at_ms)
            .bind(cause)
            .execute(self.store.pool())
            .await
            .map_err(StoreError::db("opening an outage"))?;
        Ok(())
    }

    /// `monitor`'s open outage ends.
    pub async fn close_downtime(&self, monitor: &str, at_ms: i64) -> Result<()> {
        sqlx::query("UPDATE downtime SET end_ms = $3 WHERE tenant_id = $1 AND monitor = $2 AND end_ms IS NULL")
            .bind(&self.tenant)
            .bind(monitor)
            .bind(at_ms)
            .execute(self.store.pool())
            .await
            .map_err(StoreError::db("closing an outage"))?;
        Ok(())
    }

    /// Outages overlapping `[from, to)`, oldest first.
    pub async fn downtimes(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Downtime>> {
        let rows = sqlx::query(
            "SELECT monitor, state, start_ms, end_ms, cause FROM downtime
             WHERE tenant_id = $1 AND start_ms < $3 AND (end_ms IS NULL OR end_ms > $2) ORDER BY start_ms",
        )
        .bind(&self.tenant)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("reading outages"))?;
        rows.iter()
            .map(|r| {
                Ok(Downtime {
                    monitor: r.col("monitor")?,
                    state: r.col("state")?,
                    start_ms: r.col("start_ms")?,
                    end_ms: r.col("end_ms")?,
                    cause: r.col("cause")?,
                })
            })
            .collect()
    }
}

impl Store {
    /// Rolls minute buckets older than 48 h into hours and hours older
    /// than 90 days into days, in one transaction each. Returns the buckets
    /// rolled up.
    pub async fn roll_up_buckets(&self, now_ms: i64) -> Result<u64> {
        let mut rolled = 0;
        for (from, to, len, keep) in [
            ("minute", "hour", HOUR_MS, KEEP_MINUTES_MS),
            ("hour", "day", DAY_MS, KEEP_HOURS_MS),
        ] {
            let doing = "rolling up check buckets";
            // Whole target buckets only: everything before the cut is older than `keep`.
            let cut = (now_ms - keep) - (now_ms - keep).rem_euclid(len);
            let mut tx = self.begin(doing).await?;
            let sql = format!(
                "INSERT INTO monitor_bucket (tenant_id, monitor, resolution, start_ms, checks, up, maintenance, latency_sum_ms)
                 SELECT tenant_id, monitor, '{to}', start_ms - (start_ms % {len}), SUM(checks), SUM(up), SUM(maintenance), SUM(latency_sum_ms)
                 FROM monitor_bucket WHERE resolution = '{from}' AND start_ms < $1
                 GROUP BY tenant_id, monitor, start_ms - (start_ms % {len})
                 ON CONFLICT (tenant_id, monitor, resolution, start_ms) DO UPDATE SET
                   checks = monitor_bucket.checks + excluded.checks, up = monitor_bucket.up + excluded.up,
                   maintenance = monitor_bucket.maintenance + excluded.maintenance,
                   latency_sum_ms = monitor_bucket.latency_sum_ms + excluded.latency_sum_ms"
            );
            sqlx::query(AssertSqlSafe(sql))
                .bind(cut)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db(doing))?;
            let gone = sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM monitor_bucket WHERE resolution = '{from}' AND start_ms < $1"
            )))
            .bind(cut)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?;
            rolled += gone.rows_affected();
            tx.commit().await.map_err(StoreError::db(doing))?;
        }
        Ok(rolled)
    }
}
