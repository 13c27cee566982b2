//! Repository locks across servers. Backups take a shared lock on the
//! repositories they write, prune and repair an exclusive one, so a prune
//! never runs beside a backup on the same repository even when several
//! servers share one PostgreSQL (session advisory locks, held on one
//! connection for the work's duration). On SQLite there is one host, and
//! the backup engine's file lock in the data directory is enough: the
//! guard is then empty.

use sqlx::Any;
use sqlx::pool::PoolConnection;

use crate::{Backend, Result, StoreError, TenantScope};

/// Held repository locks; give them back with [`RepositoryLocks::release`].
/// Dropped without it, the connection is closed, which ends the session
/// and so its locks.
pub struct RepositoryLocks {
    conn: Option<PoolConnection<Any>>,
}

/// The advisory lock key of `name` (`rempart-repository/<tenant>/<id>`,
/// `rempart-role/<role>`: distinct namespaces, so no tenant or repository
/// name can take a role's lock).
fn key(name: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(name.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

impl TenantScope {
    /// Waits for and takes the locks of `repositories` (shared, or
    /// exclusive), in one fixed order so two servers never wait on each
    /// other in a cycle.
    pub async fn lock_repositories(
        &self,
        repositories: &[&str],
        exclusive: bool,
    ) -> Result<RepositoryLocks> {
        if self.store.backend() != Backend::Postgres {
            return Ok(RepositoryLocks { conn: None });
        }
        let mut keys: Vec<i64> = repositories
            .iter()
            .map(|r| key(&format!("rempart-repository/{}/{r}", self.tenant)))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut conn = self
            .store
            .pool()
            .acquire()
            .await
            .map_err(StoreError::db("taking a connection for repository locks"))?;
        let call = if exclusive {
            "SELECT pg_advisory_lock($1)::text"
        } else {
            "SELECT pg_advisory_lock_shared($1)::text"
        };
        for k in keys {
            sqlx::query(call)
                .bind(k)
                .fetch_optional(&mut *conn)
                .await
                .map_err(StoreError::db("locking a repository"))?;
        }
        Ok(RepositoryLocks { conn: Some(conn) })
    }
}

impl RepositoryLocks {
    /// Gives the locks back and the connection to the pool.
    pub async fn release(mut self) {
        if let Some(mut conn) = self.conn.take()
            && sqlx::query("SELECT pg_advisory_unlock_all()::text")
                .execute(&mut *conn)
                .await
                .is_err()
        {
            // Unsure: end the session rather than pool a locked connection.
            drop(conn.detach());
        }
    }
}

impl Drop for RepositoryLocks {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            drop(conn.detach());
        }
    }
}

/// This server's hold on a role only one server may play at a time (the
/// supervisor: two servers sharing a PostgreSQL must not both probe).
/// Held as long as the value lives; on SQLite there is one host, and the
/// guard is empty.
pub struct Leadership {
    conn: Option<PoolConnection<Any>>,
}

impl Drop for Leadership {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Closing the session gives the lock back.
            drop(conn.detach());
        }
    }
}

impl Leadership {
    /// Whether the role is still this server's: on PostgreSQL, whether the
    /// session holding its lock still answers (a database restart ends the
    /// session, and another server may take the role).
    pub async fn held(&mut self) -> bool {
        match self.conn.as_mut() {
            None => true,
            Some(conn) => sqlx::query("SELECT 1 AS alive")
                .fetch_optional(&mut **conn)
                .await
                .is_ok(),
        }
    }
}

impl crate::Store {
    /// Takes the role `role` if no other server holds it, without waiting.
    pub async fn try_lead(&self, role: &str) -> Result<Option<Leadership>> {
        if self.backend() != Backend::Postgres {
            return Ok(Some(Leadership { conn: None }));
        }
        let mut conn = self
            .pool()
            .acquire()
            .await
            .map_err(StoreError::db("taking a connection for a role lock"))?;
        let row = sqlx::query("SELECT CASE WHEN pg_try_advisory_lock($1) THEN 1 ELSE 0 END AS got")
            .bind(key(&format!("rempart-role/{role}")))
            .fetch_one(&mut *conn)
            .await
            .map_err(StoreError::db("taking a role lock"))?;
        let got: i32 = crate::Column::col(&row, "got")?;
        Ok((got == 1).then_some(Leadership { conn: Some(conn) }))
    }
}
