//! Which crisis is open, per tenant, and when its next action is due. What
//! happened in a crisis is in its `crisis` evidence records, not here.

use serde::Serialize;
use sqlx::any::AnyRow;

use crate::{Column, Result, Store, StoreError, TenantScope};

/// A crisis as the table knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrisisRow {
    pub tenant: String,
    pub id: String,
    pub declared_ms: i64,
    pub closed_ms: Option<i64>,
    pub next_due_ms: Option<i64>,
}

/// What a declaration found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    /// A new crisis, with this id.
    New(String),
    /// The tenant had an open crisis already: the declaration joins it.
    Joined(String),
}

const COLUMNS: &str = "tenant_id, id, declared_ms, closed_ms, next_due_ms";

fn row(r: &AnyRow) -> Result<CrisisRow> {
    Ok(CrisisRow {
        tenant: r.col("tenant_id")?,
        id: r.col("id")?,
        declared_ms: r.col("declared_ms")?,
        closed_ms: r.col("closed_ms")?,
        next_due_ms: r.col("next_due_ms")?,
    })
}

impl TenantScope {
    /// Opens crisis `id`, declared at `declared_ms`, unless the tenant has
    /// an open one: then that one is returned to join. Two servers
    /// declaring at once open one crisis (a unique index holds one open
    /// crisis per tenant). An id already taken by a closed crisis (one
    /// declared in the same second) gets a suffix: `-2`, `-3`…
    pub async fn open_crisis(&self, id: &str, declared_ms: i64) -> Result<Declared> {
        let doing = "declaring a crisis";
        for attempt in 0..8 {
            let id = if attempt == 0 {
                id.to_owned()
            } else {
                format!("{id}-{}", attempt + 1)
            };
            if let Some(open) = self.current_crisis().await? {
                return Ok(Declared::Joined(open.id));
            }
            let inserted = sqlx::query(
                "INSERT INTO crisis (tenant_id, id, declared_ms, next_due_ms) VALUES ($1, $2, $3, $3)",
            )
            .bind(&self.tenant)
            .bind(&id)
            .bind(declared_ms)
            .execute(self.store.pool())
            .await;
            match inserted {
                Ok(_) => {
                    self.changed(crate::What::Evidence).await;
                    return Ok(Declared::New(id));
                }
                // Another declaration won the race (joined at the next
                // turn), or the id was a closed crisis' (the next suffix).
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => continue,
                Err(e) => return Err(StoreError::db(doing)(e)),
            }
        }
        Err(StoreError::Corrupt(
            "a crisis could neither be opened nor found open".into(),
        ))
    }

    /// The tenant's open crisis, if any.
    pub async fn current_crisis(&self) -> Result<Option<CrisisRow>> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM crisis WHERE tenant_id = $1 AND closed_ms IS NULL"
        )))
        .bind(&self.tenant)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("reading the open crisis"))?;
        r.as_ref().map(row).transpose()
    }

    /// Crisis `id`, open or closed.
    pub async fn crisis_row(&self, id: &str) -> Result<Option<CrisisRow>> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM crisis WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(&self.tenant)
        .bind(id)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("reading a crisis"))?;
        r.as_ref().map(row).transpose()
    }

    /// The tenant's crises, newest first.
    pub async fn crises(&self, limit: u32) -> Result<Vec<CrisisRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM crisis WHERE tenant_id = $1 ORDER BY declared_ms DESC, id DESC LIMIT $2"
        )))
        .bind(&self.tenant)
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("listing crises"))?;
        rows.iter().map(row).collect()
    }

    /// Marks crisis `id` closed at `closed_ms`; false when it was not open.
    pub async fn close_crisis(&self, id: &str, closed_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE crisis SET closed_ms = $3, next_due_ms = NULL, lease_owner = NULL, lease_until = NULL
             WHERE tenant_id = $1 AND id = $2 AND closed_ms IS NULL",
        )
        .bind(&self.tenant)
        .bind(id)
        .bind(closed_ms)
        .execute(self.store.pool())
        .await
        .map_err(StoreError::db("closing a crisis"))?;
        self.changed(crate::What::Evidence).await;
        Ok(done.rows_affected() > 0)
    }

    /// Holds open crisis `id` for `holder` until `now + hold_ms`, when
    /// nobody else holds it: true when this call got it.
    pub async fn hold_crisis(
        &self,
        id: &str,
        holder: &str,
        now_ms: i64,
        hold_ms: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE crisis SET lease_owner = $3, lease_until = $4
             WHERE tenant_id = $1 AND id = $2
               AND (lease_until IS NULL OR lease_until < $5 OR lease_owner = $3)",
        )
        .bind(&self.tenant)
        .bind(id)
        .bind(holder)
        .bind(now_ms + hold_ms)
        .bind(now_ms)
        .execute(self.store.pool())
        .await
        .map_err(StoreError::db("holding a crisis"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Lets crisis `id` go after acting on it, its next action due at
    /// `next_due_ms` (an open crisis only).
    pub async fn release_crisis_hold(
        &self,
        id: &str,
        holder: &str,
        next_due_ms: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE crisis SET lease_owner = NULL, lease_until = NULL,
                next_due_ms = CASE WHEN closed_ms IS NULL THEN $4 ELSE NULL END
             WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3",
        )
        .bind(&self.tenant)
        .bind(id)
        .bind(holder)
        .bind(next_due_ms)
        .execute(self.store.pool())
        .await
        .map_err(StoreError::db("releasing a crisis"))?;
        Ok(())
    }

    /// Removes crisis `id` that has no declaration record (a crash between
    /// opening it and recording the declaration).
    pub async fn forget_crisis(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM crisis WHERE tenant_id = $1 AND id = $2")
            .bind(&self.tenant)
            .bind(id)
            .execute(self.store.pool())
            .await
            .map_err(StoreError::db("removing a crisis never recorded"))?;
        Ok(())
    }
}

impl Store {
    /// Claims open crises whose next action is due, for `owner`, until
    /// `now + lease_ms`: one server acts on each.
    pub async fn claim_due_crises(
        &self,
        owner: &str,
        now_ms: i64,
        lease_ms: i64,
    ) -> Result<Vec<CrisisRow>> {
        let sql = format!(
            "UPDATE crisis SET lease_owner = $1, lease_until = $2
             WHERE (tenant_id, id) IN (
                SELECT tenant_id, id FROM crisis
                WHERE closed_ms IS NULL AND next_due_ms IS NOT NULL AND next_due_ms <= $3
                  AND (lease_until IS NULL OR lease_until < $3)
                ORDER BY next_due_ms LIMIT 32{})
               AND (lease_until IS NULL OR lease_until < $3)
             RETURNING {COLUMNS}",
            self.backend().skip_locked()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(owner)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::db("claiming due crises"))?;
        rows.iter().map(row).collect()
    }

    /// Hands crisis `id` of `tenant` back after acting on it, its next
    /// action due at `next_due_ms`.
    pub async fn release_crisis(
        &self,
        tenant: &str,
        id: &str,
        owner: &str,
        next_due_ms: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE crisis SET next_due_ms = $4, lease_owner = NULL, lease_until = NULL
             WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3 AND closed_ms IS NULL",
        )
        .bind(tenant)
        .bind(id)
        .bind(owner)
        .bind(next_due_ms)
        .execute(self.pool())
        .await
        .map_err(StoreError::db("releasing a crisis"))?;
        Ok(())
    }
}
