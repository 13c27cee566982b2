//! API tokens: generated once, shown once, kept only as a SHA-256 hash.

use serde::Serialize;

use crate::{Column, Result, Store, StoreError, now_ms};

/// Prefix of every token, so a leaked one is recognisable (secret scanners).
pub const TOKEN_PREFIX: &str = "rpt_";

/// What a token may reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "scope", content = "tenant", rename_all = "lowercase")]
pub enum TokenScope {
    /// Every tenant of the server: the MSP.
    Msp,
    /// One tenant only.
    Tenant(String),
    /// Only `/metrics` (a Prometheus scraper): no tenant's data.
    Metrics,
}

impl TokenScope {
    /// Whether this scope may see `tenant`.
    pub fn allows(&self, tenant: &str) -> bool {
        match self {
            TokenScope::Msp => true,
            TokenScope::Tenant(t) => t == tenant,
            TokenScope::Metrics => false,
        }
    }

    /// Whether this scope may read `/metrics` (every tenant's gauges).
    pub fn reads_metrics(&self) -> bool {
        matches!(self, TokenScope::Msp | TokenScope::Metrics)
    }
}

/// A token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub scope: TokenScope,
    pub created_ms: i64,
}

fn digest(token: &str) -> String {
    crate::sha256_hex(token)
}

impl Store {
    /// Creates a token and returns its secret, which is not stored and
    /// cannot be shown again.
    pub async fn create_token(&self, name: &str, scope: &TokenScope) -> Result<(ApiToken, String)> {
        if let TokenScope::Tenant(t) = scope {
            self.tenant(t).await?;
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| StoreError::Corrupt(format!("no randomness available: {e}")))?;
        let secret: String = std::iter::once(TOKEN_PREFIX.to_owned())
            .chain(bytes.iter().map(|b| format!("{b:02x}")))
            .collect();
        let created_ms = now_ms();
        let (tenant, purpose) = match scope {
            TokenScope::Msp => (None, "api"),
            TokenScope::Tenant(t) => (Some(t.as_str()), "api"),
            TokenScope::Metrics => (None, "metrics"),
        };
        let row = sqlx::query(
            "INSERT INTO api_token (name, token_hash, tenant_id, created_ms, purpose) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(name)
        .bind(digest(&secret))
        .bind(tenant)
        .bind(created_ms)
        .bind(purpose)
        .fetch_one(self.pool())
        .await
        .map_err(StoreError::db("creating a token"))?;
        let token = ApiToken {
            id: row.col("id")?,
            name: name.to_owned(),
            scope: scope.clone(),
            created_ms,
        };
        Ok((token, secret))
    }

    /// The presented token, if it is known and not revoked.
    pub async fn authenticate(&self, secret: &str) -> Result<Option<ApiToken>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT id, name, tenant_id, created_ms, purpose FROM api_token WHERE token_hash = $1 AND revoked_ms IS NULL",
        )
        .bind(digest(secret))
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::db("checking a token"))?;
        match row.as_ref().map(token_row).transpose() {
            // A token this version cannot read authenticates nothing.
            Err(StoreError::Corrupt(_)) => Ok(None),
            other => other,
        }
    }

    /// Revokes a token by id; false when there is no such active token.
    pub async fn revoke_token(&self, id: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE api_token SET revoked_ms = $2 WHERE id = $1 AND revoked_ms IS NULL",
        )
        .bind(id)
        .bind(now_ms())
        .execute(self.pool())
        .await
        .map_err(StoreError::db("revoking a token"))?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn tokens(&self) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, name, tenant_id, created_ms, purpose FROM api_token WHERE revoked_ms IS NULL ORDER BY id",
        )
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::db("listing tokens"))?;
        rows.iter().map(token_row).collect()
    }
}

fn token_row(r: &sqlx::any::AnyRow) -> Result<ApiToken> {
    let tenant: Option<String> = r.col("tenant_id")?;
    let purpose: String = r.col("purpose")?;
    // Anything not written by this version reaches nothing (fails closed).
    let scope = match (purpose.as_str(), tenant) {
        ("metrics", None) => TokenScope::Metrics,
        ("api", Some(t)) => TokenScope::Tenant(t),
        ("api", None) => TokenScope::Msp,
        (other, _) => {
            return Err(StoreError::Corrupt(format!(
                "token {} has the purpose \"{other}\", which this version does not know",
                r.col::<i64>("id")?
            )));
        }
    };
    Ok(ApiToken {
        id: r.col("id")?,
        name: r.col("name")?,
        scope,
        created_ms: r.col("created_ms")?,
    })
}
