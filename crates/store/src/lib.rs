//! Rempart's persistence: tenants and their plan versions, the
//! hash-chained evidence log, and the job queue.
//!
//! SQLite is the embedded default (`<data dir>/rempart.db`); PostgreSQL
//! serves several `rempart serve` processes. Both go through sqlx's `Any`
//! driver with the same SQL (`$N` parameters), except for a few fragments
//! named in [`Backend`]. Every query on a tenant's data goes through a
//! [`TenantScope`], which binds the tenant itself: no call site passes a
//! tenant id to SQL by hand.

mod alert;
mod changes;
mod crisis;
mod evidence;
mod heartbeat;
mod jobs;
mod lock;
mod maintenance;
mod monitor;
mod outbox;
mod secret;
mod session;
pub mod sla;
mod tenant;
mod token;
mod user;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, AssertSqlSafe, Executor, SqlSafeStr};

pub use alert::Alert;
pub use changes::{Change, What};
pub use crisis::{CrisisRow, Declared};
pub use evidence::{EvidenceQuery, VerifyReport};
pub use heartbeat::{BODY_LIMIT, Heartbeat, Ping, Pinged, kept_body};
pub use jobs::{ClaimedJob, Job, JobRun, JobSpec, RunEnd, RunNow, Running};
pub use lock::{Leadership, RepositoryLocks};
pub use maintenance::Window;
pub use outbox::{Attachment, NewNotification, Notification};
pub use secret::{MASTER_KEY_ENV, MasterKey, SecretInfo, SecretValues, Vault};
pub use session::{PortalSessions, SESSION_ADDRESS, SESSION_AGENT, SESSION_USER};
pub use tenant::{ManagedBy, PlanHead, PlanVersion, Tenant, TenantScope};
pub use token::{ApiToken, TokenScope};
pub use user::{
    ACCOUNT_LOCK_AFTER, ADDRESS_LIMIT, LOCK_MS, Login, MIN_PASSWORD_CHARS, NewSession, Role,
    SessionInfo, User, UserProblem, session_handle,
};

/// Where the store lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// An embedded SQLite database in `<dir>/rempart.db`.
    DataDir(PathBuf),
    /// A database URL: `postgres://…` or `sqlite://…`.
    Url(String),
}

/// Which database engine the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Row locking for the job claim: PostgreSQL skips rows another
    /// server is claiming; SQLite serialises writers anyway.
    fn skip_locked(self) -> &'static str {
        match self {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        }
    }
}

/// What can go wrong in the store, with the place and, where known, the fix.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {place}: {source}")]
    Open {
        place: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("database error while {doing}: {source}")]
    Database {
        doing: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("no tenant \"{0}\"")]
    UnknownTenant(String),
    #[error("invalid tenant id \"{id}\": {why}")]
    BadTenantId { id: String, why: String },
    #[error("the plan has {} error(s); the previous version stays active", .0.errors())]
    InvalidPlan(Box<rempart_core::plan::Checked>),
    /// A client's plan holds what only the MSP may set (its findings say what).
    #[error("the plan holds what only the MSP may set ({} finding(s)); the previous version stays active", .0.findings.iter().filter(|f| f.code == rempart_core::plan::trust::MSP_ONLY || f.code == rempart_core::plan::trust::OUTSIDE_TENANT_ROOTS).count())]
    Refused(Box<rempart_core::plan::Checked>),
    #[error("stored data is not what Rempart wrote: {0}")]
    Corrupt(String),
    /// A stored secret could not be sealed or opened (the message says why).
    #[error("{0}")]
    Secrets(String),
    /// A secret's name or value was refused (the message says why).
    #[error("{0}")]
    BadSecret(String),
    /// A portal user could not be added or changed (the problem says why).
    #[error("{0}")]
    User(UserProblem),
}

impl StoreError {
    pub(crate) fn db(doing: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |source| StoreError::Database { doing, source }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The store: one connection pool and its backend.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The master key that seals tenants' secrets.
    vault: Vault,
    /// What changes, told to the portal's live pages.
    feed: std::sync::Arc<changes::Feed>,
}

/// The SQLite file inside a data directory.
pub const DATABASE_FILE: &str = "rempart.db";

/// Where the master key file is looked for when no data dir is named.
const DEFAULT_KEY_DIR: &str = "rempart-data";

impl Store {
    /// Opens (creating if needed) the store and brings its schema up to date.
    pub async fn open(location: &Location) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let mut vault = Vault::new(Path::new(DEFAULT_KEY_DIR));
        let (url, place) = match location {
            Location::DataDir(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                    place: dir.display().to_string(),
                    source: Box::new(e),
                })?;
                let file = dir.join(DATABASE_FILE);
                vault = Vault::new(dir);
                (sqlite_url(&file), file.display().to_string())
            }
            Location::Url(url) => (url.clone(), redact_url(url)),
        };
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Open {
                place,
                source: "unsupported database URL: use postgres://… or sqlite://… (or --data-dir for the embedded default)".into(),
            });
        };
        let options = AnyConnectOptions::from_str(&url).map_err(|e| StoreError::Open {
            place: place.clone(),
            source: Box::new(e),
        })?;
        let mut pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            .acquire_timeout(Duration::from_secs(30));
        if backend == Backend::Sqlite {
            pool = pool.after_connect(|conn, _| {
                Box::pin(async move {
                    // Wait for another process's write instead of failing;
                    // FULL sync so a power cut loses no committed evidence.
                    conn.execute(
                        "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = pool
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Open {
                place: place.clone(),
                source: Box::new(e),
            })?;
        if backend == Backend::Sqlite {
            // WAL lets one-shot commands read while `serve` writes; it is a
            // property of the file, set once.
            pool.execute("PRAGMA journal_mode = WAL")
                .await
                .map_err(StoreError::db("enabling the SQLite journal"))?;
        }
        let migrator = migrator(backend);
        migrator.run(&pool).await.map_err(|e| StoreError::Open {
            place,
            source: Box::new(e),
        })?;
        let feed = changes::Feed::new((backend == Backend::Postgres).then_some(url));
        Ok(Store {
            pool,
            backend,
            vault,
            feed,
        })
    }

    /// Keeps the master key file in `dir` (the data dir of a server whose
    /// store is a PostgreSQL database).
    #[must_use]
    pub fn with_key_dir(mut self, dir: &Path) -> Store {
        self.vault = Vault::new(dir);
        self
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction; `doing` names the work in the error if it cannot start.
    pub(crate) async fn begin(
        &self,
        doing: &'static str,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            // SQLite: the write lock is taken at once, so `busy_timeout`
            // applies. A deferred transaction that reads, then writes while
            // another connection writes, fails at once with "database is
            // locked" (SQLite cannot wait there without risking a deadlock):
            // seen as a 503 when two API requests set secrets together.
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .map_err(StoreError::db(doing))
    }

    /// Closes every connection, waiting for queries in flight.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The schema migrations, embedded in the binary. They are written once,
/// in SQLite's dialect; PostgreSQL's differs only in its integer and byte types
/// (see [`postgres_dialect`]).
fn migrator(backend: Backend) -> Migrator {
    let migrations: [(&str, &'static str); 16] = [
        (
            "control plane",
            include_str!("../migrations/0001_control_plane.sql"),
        ),
        (
            "api tokens",
            include_str!("../migrations/0002_api_tokens.sql"),
        ),
        (
            "evidence by time",
            include_str!("../migrations/0003_evidence_by_time.sql"),
        ),
        ("outbox", include_str!("../migrations/0004_outbox.sql")),
        (
            "monitor state",
            include_str!("../migrations/0005_monitor_state.sql"),
        ),
        ("alerts", include_str!("../migrations/0006_alerts.sql")),
        ("sla", include_str!("../migrations/0007_sla.sql")),
        (
            "heartbeat",
            include_str!("../migrations/0008_heartbeat.sql"),
        ),
        (
            "maintenance windows",
            include_str!("../migrations/0009_maintenance.sql"),
        ),
        ("trust", include_str!("../migrations/0010_trust.sql")),
        (
            "heartbeat body",
            include_str!("../migrations/0011_heartbeat_body.sql"),
        ),
        (
            "portal users",
            include_str!("../migrations/0012_portal_users.sql"),
        ),
        (
            "run progress",
            include_str!("../migrations/0013_run_progress.sql"),
        ),
        (
            "user time zone",
            include_str!("../migrations/0014_user_timezone.sql"),
        ),
        (
            "outbox attachment",
            include_str!("../migrations/0015_outbox_attachment.sql"),
        ),
        ("crisis", include_str!("../migrations/0016_crisis.sql")),
    ];
    Migrator::with_migrations(
        (1..)
            .zip(migrations)
            .map(|(version, (description, sql))| {
                let sql = match backend {
                    Backend::Sqlite => sql.into_sql_str(),
                    Backend::Postgres => AssertSqlSafe(postgres_dialect(sql)).into_sql_str(),
                };
                Migration::new(
                    version,
                    description.into(),
                    MigrationType::Simple,
                    sql,
                    false,
                )
            })
            .collect(),
    )
}

/// SQLite schema text in PostgreSQL's dialect: 64-bit integers,
/// `BIGSERIAL` for SQLite's auto-incremented row ids, and `BYTEA` for bytes.
fn postgres_dialect(sql: &str) -> String {
    sql.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
        .replace("INTEGER", "BIGINT")
        .replace("BLOB", "BYTEA")
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}?mode=rwc", file.display())
}

/// A database URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Typed column access with the store's error type.
pub(crate) trait Column {
    fn col<'r, T>(&'r self, name: &str) -> Result<T>
    where
        T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>;
}

impl Column for sqlx::any::AnyRow {
    fn col<'r, T>(&'r self, name: &str) -> Result<T>
    where
        T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        sqlx::Row::try_get(self, name).map_err(StoreError::db("reading a row"))
    }
}

/// The SHA-256 of `text`, in hex: how tokens and session ids are kept.
pub(crate) fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_postgres_dialect_only_changes_integer_and_byte_types() {
        let sql = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL, s TEXT, b BLOB);";
        assert_eq!(
            postgres_dialect(sql),
            "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL, s TEXT, b BYTEA);"
        );
    }

    #[test]
    fn urls_lose_their_password() {
        assert_eq!(
            redact_url("postgres://rempart:s3cret@db.example.com:5432/rempart"),
            "postgres://rempart:***@db.example.com:5432/rempart"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
        assert_eq!(redact_url("sqlite://a.db"), "sqlite://a.db");
    }
}
