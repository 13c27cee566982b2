//! Tenants (an MSP's clients) and their plan versions.

use rempart_core::plan::{self, Id};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;

use crate::{Column, Result, Store, StoreError, now_ms};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub id: String,
    pub name: String,
    pub created_ms: i64,
}

/// One accepted version of a tenant's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanVersion {
    pub version: i64,
    /// The plan file's text, as accepted.
    pub source: String,
    pub sha256: String,
    /// Who sent it: `file:/etc/rempart/plans/acme.toml`, `api:token-name`…
    pub accepted_by: String,
    pub accepted_ms: i64,
}

/// Access to one tenant's data. Every query it runs is bound to its
/// tenant: this is the one place tenant scoping happens.
#[derive(Clone)]
pub struct TenantScope {
    pub(crate) store: Store,
    pub(crate) tenant: String,
}

impl Store {
    /// Creates the tenant, or renames it if it exists.
    pub async fn upsert_tenant(&self, id: &str, name: &str) -> Result<TenantScope> {
        Id::parse(id).map_err(|why| StoreError::BadTenantId {
            id: id.to_owned(),
            why,
        })?;
        let mut tx = self.begin("creating a tenant").await?;
        sqlx::query(
            "INSERT INTO tenant (id, name, created_ms) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        )
        .bind(id)
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("creating a tenant"))?;
        sqlx::query(
            "INSERT INTO evidence_head (tenant_id, seq, hash, start_seq, start_hash)
             VALUES ($1, 0, $2, 0, $2) ON CONFLICT (tenant_id) DO NOTHING",
        )
        .bind(id)
        .bind(rempart_core::evidence::GENESIS)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("creating a tenant"))?;
        tx.commit()
            .await
            .map_err(StoreError::db("creating a tenant"))?;
        Ok(TenantScope {
            store: self.clone(),
            tenant: id.to_owned(),
        })
    }

    pub async fn tenants(&self) -> Result<Vec<Tenant>> {
        let rows = sqlx::query("SELECT id, name, created_ms FROM tenant ORDER BY id")
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::db("listing tenants"))?;
        rows.iter()
            .map(|r| {
                Ok(Tenant {
                    id: r.col("id")?,
                    name: r.col("name")?,
                    created_ms: r.col("created_ms")?,
                })
            })
            .collect()
    }

    /// The scope of an existing tenant.
    pub async fn tenant(&self, id: &str) -> Result<TenantScope> {
        let found = sqlx::query("SELECT id FROM tenant WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::db("finding a tenant"))?;
        match found {
            Some(_) => Ok(TenantScope {
                store: self.clone(),
                tenant: id.to_owned(),
            }),
            None => Err(StoreError::UnknownTenant(id.to_owned())),
        }
    }
}

impl TenantScope {
    pub fn id(&self) -> &str {
        &self.tenant
    }

    /// Checks `source` and, when it has no error, makes it the active plan.
    /// Sending the active plan again adds no version. A rejected plan
    /// leaves the previous version active and returns its findings.
    pub async fn accept_plan(&self, source: &str, accepted_by: &str) -> Result<PlanVersion> {
        self.accept_checked(source, accepted_by)
            .await
            .map(|(version, _)| version)
    }

    /// [`TenantScope::accept_plan`], also returning the parsed plan, so
    /// the caller need not parse it again.
    pub async fn accept_checked(
        &self,
        source: &str,
        accepted_by: &str,
    ) -> Result<(PlanVersion, plan::Plan)> {
        let checked = plan::check(source);
        let parsed = match (checked.errors(), &checked.plan) {
            (0, Some(p)) => p.clone(),
            _ => return Err(StoreError::InvalidPlan(Box::new(checked))),
        };
        let sha256: String = Sha256::digest(source.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if let Some(active) = self.active_plan().await?
            && active.sha256 == sha256
        {
            return Ok((active, parsed));
        }
        let accepted_ms = now_ms();
        // The version number is taken in the INSERT itself, so two writers cannot reuse one.
        let row = sqlx::query(
            "INSERT INTO plan_version (tenant_id, version, source, sha256, accepted_by, accepted_ms)
             VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM plan_version WHERE tenant_id = $1), $2, $3, $4, $5)
             RETURNING version",
        )
        .bind(&self.tenant)
        .bind(source)
        .bind(&sha256)
        .bind(accepted_by)
        .bind(accepted_ms)
        .fetch_one(self.store.pool())
        .await
        .map_err(StoreError::db("saving a plan version"))?;
        let version = PlanVersion {
            version: row.col("version")?,
            source: source.to_owned(),
            sha256,
            accepted_by: accepted_by.to_owned(),
            accepted_ms,
        };
        Ok((version, parsed))
    }

    /// The newest accepted plan, if any.
    pub async fn active_plan(&self) -> Result<Option<PlanVersion>> {
        let rows = self.plan_rows("ORDER BY version DESC LIMIT 1").await?;
        Ok(rows.into_iter().next())
    }

    /// The newest accepted plan's sha256 and origin, without its text
    /// (cheap to ask often: a cache keyed by the hash knows whether it changed).
    pub async fn active_plan_head(&self) -> Result<Option<(String, String)>> {
        let row = sqlx::query(
            "SELECT sha256, accepted_by FROM plan_version WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(&self.tenant)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("reading the active plan"))?;
        row.map(|r| Ok((r.col("sha256")?, r.col("accepted_by")?)))
            .transpose()
    }

    /// Every accepted version, oldest first.
    pub async fn plan_versions(&self) -> Result<Vec<PlanVersion>> {
        self.plan_rows("ORDER BY version").await
    }

    async fn plan_rows(&self, order: &'static str) -> Result<Vec<PlanVersion>> {
        let sql = format!(
            "SELECT version, source, sha256, accepted_by, accepted_ms FROM plan_version
             WHERE tenant_id = $1 {order}"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(&self.tenant)
            .fetch_all(self.store.pool())
            .await
            .map_err(StoreError::db("reading plan versions"))?;
        rows.iter()
            .map(|r| {
                Ok(PlanVersion {
                    version: r.col("version")?,
                    source: r.col("source")?,
                    sha256: r.col("sha256")?,
                    accepted_by: r.col("accepted_by")?,
                    accepted_ms: r.col("accepted_ms")?,
                })
            })
            .collect()
    }
}
