//! Tenants (an MSP's clients) and their plan versions.

use rempart_core::plan::trust::Author;
use rempart_core::plan::{self, Id};
use rempart_core::secrets::Scrubber;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;

use crate::{Column, Result, Store, StoreError, now_ms};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub id: String,
    pub name: String,
    pub created_ms: i64,
    pub managed_by: ManagedBy,
}

/// What rules a tenant's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum ManagedBy {
    /// A plan file on the server (absolute path): read-only through the API.
    File(String),
    /// The API (and later the portal).
    Api,
}

impl ManagedBy {
    fn parse(text: &str) -> ManagedBy {
        match text.strip_prefix("file:") {
            Some(path) => ManagedBy::File(path.to_owned()),
            None => ManagedBy::Api,
        }
    }

    pub fn as_text(&self) -> String {
        match self {
            ManagedBy::File(path) => format!("file:{path}"),
            ManagedBy::Api => "api".to_owned(),
        }
    }
}

impl From<ManagedBy> for String {
    fn from(m: ManagedBy) -> String {
        m.as_text()
    }
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
    /// Whether the MSP or a client wrote it (a client's plan may not run
    /// or read anything on the server).
    pub author: Author,
}

/// A plan version without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanHead {
    pub version: i64,
    pub sha256: String,
    pub accepted_by: String,
    pub author: Author,
}

/// Access to one tenant's data. Every query it runs is bound to its
/// tenant: this is the one place tenant scoping happens.
#[derive(Clone)]
pub struct TenantScope {
    pub(crate) store: Store,
    pub(crate) tenant: String,
    /// What evidence written through this scope is scrubbed of (secret
    /// values a job resolved; credentials-looking text always).
    pub(crate) scrubber: Scrubber,
}

impl Store {
    /// Creates the tenant, ruled by `managed_by`, or renames it if it
    /// exists (what rules an existing tenant is left as it is).
    pub async fn upsert_tenant(
        &self,
        id: &str,
        name: &str,
        managed_by: &ManagedBy,
    ) -> Result<TenantScope> {
        Id::parse(id).map_err(|why| StoreError::BadTenantId {
            id: id.to_owned(),
            why: why.to_string(),
        })?;
        let mut tx = self.begin("creating a tenant").await?;
        sqlx::query(
            "INSERT INTO tenant (id, name, created_ms, managed_by) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        )
        .bind(id)
        .bind(name)
        .bind(now_ms())
        .bind(managed_by.as_text())
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
            scrubber: Scrubber::default(),
        })
    }

    pub async fn tenants(&self) -> Result<Vec<Tenant>> {
        let rows = sqlx::query("SELECT id, name, created_ms, managed_by FROM tenant ORDER BY id")
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::db("listing tenants"))?;
        rows.iter()
            .map(|r| {
                let managed_by: String = r.col("managed_by")?;
                Ok(Tenant {
                    id: r.col("id")?,
                    name: r.col("name")?,
                    created_ms: r.col("created_ms")?,
                    managed_by: ManagedBy::parse(&managed_by),
                })
            })
            .collect()
    }

    /// Every tenant's allowed folders: (tenant, folder).
    pub async fn all_roots(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT tenant_id, path FROM tenant_root ORDER BY tenant_id, path")
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::db("reading the tenants' folders"))?;
        rows.iter()
            .map(|r| Ok((r.col("tenant_id")?, r.col("path")?)))
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
                scrubber: Scrubber::default(),
            }),
            None => Err(StoreError::UnknownTenant(id.to_owned())),
        }
    }
}

impl TenantScope {
    pub fn id(&self) -> &str {
        &self.tenant
    }

    /// This scope, its evidence scrubbed of what `scrubber` knows.
    #[must_use]
    pub fn with_scrubber(mut self, scrubber: Scrubber) -> TenantScope {
        self.scrubber = scrubber;
        self
    }

    /// The tenant's name, creation time and what rules its plan.
    pub async fn info(&self) -> Result<Tenant> {
        let r = sqlx::query("SELECT id, name, created_ms, managed_by FROM tenant WHERE id = $1")
            .bind(&self.tenant)
            .fetch_optional(self.store.pool())
            .await
            .map_err(StoreError::db("reading a tenant"))?
            .ok_or_else(|| StoreError::UnknownTenant(self.tenant.clone()))?;
        let managed_by: String = r.col("managed_by")?;
        Ok(Tenant {
            id: r.col("id")?,
            name: r.col("name")?,
            created_ms: r.col("created_ms")?,
            managed_by: ManagedBy::parse(&managed_by),
        })
    }

    /// Sets what rules the tenant's plan.
    pub async fn set_managed_by(&self, managed_by: &ManagedBy) -> Result<()> {
        sqlx::query("UPDATE tenant SET managed_by = $2 WHERE id = $1")
            .bind(&self.tenant)
            .bind(managed_by.as_text())
            .execute(self.store.pool())
            .await
            .map_err(StoreError::db("setting what rules a tenant's plan"))?;
        Ok(())
    }

    /// The folders under which a client's plan may name local paths.
    pub async fn roots(&self) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT path FROM tenant_root WHERE tenant_id = $1 ORDER BY added_ms, path",
        )
        .bind(&self.tenant)
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("reading a tenant's folders"))?;
        rows.iter().map(|r| r.col("path")).collect()
    }

    /// Replaces the folders under which a client's plan may name local paths.
    pub async fn set_roots(&self, roots: &[String]) -> Result<()> {
        let doing = "setting a tenant's folders";
        let mut tx = self.store.begin(doing).await?;
        sqlx::query("DELETE FROM tenant_root WHERE tenant_id = $1")
            .bind(&self.tenant)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?;
        let now = now_ms();
        for (i, root) in (0..).zip(roots) {
            sqlx::query("INSERT INTO tenant_root (tenant_id, path, added_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(&self.tenant)
                .bind(root)
                .bind(now + i)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db(doing))?;
        }
        tx.commit().await.map_err(StoreError::db(doing))
    }

    /// Checks `source` and, when it has no error, makes it the active plan.
    /// Sending the active plan again adds no version. A rejected plan
    /// leaves the previous version active and returns its findings.
    pub async fn accept_plan(
        &self,
        source: &str,
        accepted_by: &str,
        author: Author,
    ) -> Result<PlanVersion> {
        let checked = plan::check(source);
        self.accept_checked(source, checked, accepted_by, author)
            .await
            .map(|(version, _)| version)
    }

    /// [`TenantScope::accept_plan`] for a plan already checked (the
    /// caller may add findings of its own: the trust rules), also
    /// returning the parsed plan, so the caller need not parse it again.
    pub async fn accept_checked(
        &self,
        source: &str,
        checked: plan::Checked,
        accepted_by: &str,
        author: Author,
    ) -> Result<(PlanVersion, plan::Plan)> {
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
            && active.author == author
        {
            return Ok((active, parsed));
        }
        let accepted_ms = now_ms();
        // The version number is taken in the INSERT itself, so two writers cannot reuse one.
        let row = sqlx::query(
            "INSERT INTO plan_version (tenant_id, version, source, sha256, accepted_by, accepted_ms, author)
             VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM plan_version WHERE tenant_id = $1), $2, $3, $4, $5, $6)
             RETURNING version",
        )
        .bind(&self.tenant)
        .bind(source)
        .bind(&sha256)
        .bind(accepted_by)
        .bind(accepted_ms)
        .bind(author.as_str())
        .fetch_one(self.store.pool())
        .await
        .map_err(StoreError::db("saving a plan version"))?;
        let version = PlanVersion {
            version: row.col("version")?,
            source: source.to_owned(),
            sha256,
            accepted_by: accepted_by.to_owned(),
            accepted_ms,
            author,
        };
        self.changed(crate::What::Plan).await;
        Ok((version, parsed))
    }

    /// The newest accepted plan, if any.
    pub async fn active_plan(&self) -> Result<Option<PlanVersion>> {
        let rows = self.plan_rows("ORDER BY version DESC LIMIT 1").await?;
        Ok(rows.into_iter().next())
    }

    /// The newest accepted plan without its text (cheap to ask often: a
    /// cache keyed by the hash knows whether it changed).
    pub async fn active_plan_head(&self) -> Result<Option<PlanHead>> {
        let row = sqlx::query(
            "SELECT version, sha256, accepted_by, author FROM plan_version WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(&self.tenant)
        .fetch_optional(self.store.pool())
        .await
        .map_err(StoreError::db("reading the active plan"))?;
        row.map(|r| {
            let author: String = r.col("author")?;
            Ok(PlanHead {
                version: r.col("version")?,
                sha256: r.col("sha256")?,
                accepted_by: r.col("accepted_by")?,
                author: author_of(&author)?,
            })
        })
        .transpose()
    }

    /// Every accepted version, oldest first.
    pub async fn plan_versions(&self) -> Result<Vec<PlanVersion>> {
        self.plan_rows("ORDER BY version").await
    }

    async fn plan_rows(&self, order: &'static str) -> Result<Vec<PlanVersion>> {
        let sql = format!(
            "SELECT version, source, sha256, accepted_by, accepted_ms, author FROM plan_version
             WHERE tenant_id = $1 {order}"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(&self.tenant)
            .fetch_all(self.store.pool())
            .await
            .map_err(StoreError::db("reading plan versions"))?;
        rows.iter()
            .map(|r| {
                let author: String = r.col("author")?;
                Ok(PlanVersion {
                    version: r.col("version")?,
                    source: r.col("source")?,
                    sha256: r.col("sha256")?,
                    accepted_by: r.col("accepted_by")?,
                    accepted_ms: r.col("accepted_ms")?,
                    author: author_of(&author)?,
                })
            })
            .collect()
    }
}

fn author_of(text: &str) -> Result<Author> {
    Author::parse(text)
        .ok_or_else(|| StoreError::Corrupt(format!("a plan version's author is \"{text}\"")))
}
