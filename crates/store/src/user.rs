//! People who log in to the portal: their role, their password (an
//! argon2id hash with OWASP's parameters, never the password), the
//! lockout after failed logins (per account and per client address), and
//! their sessions, kept under the SHA-256 of the session id so that the
//! store never holds a usable cookie.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::{Column, Result, Store, StoreError, now_ms};

/// The shortest password accepted, in characters (NIST SP 800-63B asks
/// for at least 8; without a second factor, more).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Failed logins in a row after which an account is locked.
pub const ACCOUNT_LOCK_AFTER: i64 = 5;
/// How long a lock lasts, and the window of the per-address limit.
pub const LOCK_MS: i64 = 15 * 60 * 1000;
/// Failed logins from one address within [`LOCK_MS`] after which that
/// address must wait.
pub const ADDRESS_LIMIT: i64 = 20;

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Everything: every tenant, users, tenants.
    MspAdmin,
    /// Every tenant: watch, acknowledge, run jobs and drills, edit plans.
    MspOperator,
    /// Their tenant: plan edits within the trust rules, contacts, users,
    /// maintenance windows, drill confirmations.
    ClientAdmin,
    /// Their tenant, read only.
    ClientViewer,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::MspAdmin,
        Role::MspOperator,
        Role::ClientAdmin,
        Role::ClientViewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::MspAdmin => "msp-admin",
            Role::MspOperator => "msp-operator",
            Role::ClientAdmin => "client-admin",
            Role::ClientViewer => "client-viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The MSP's roles reach every tenant and belong to none.
    pub fn is_msp(self) -> bool {
        matches!(self, Role::MspAdmin | Role::MspOperator)
    }

    /// Whether the role may change anything at all.
    pub fn writes(self) -> bool {
        self != Role::ClientViewer
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person who logs in, as listed: never their password's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// Their tenant (client roles only).
    pub tenant: Option<String>,
    /// The language they chose (`fr`, `en`); none: their tenant's plan's.
    pub language: Option<String>,
    /// The time zone they read dates in (IANA name); none: their
    /// tenant's plan's.
    pub timezone: Option<String>,
    pub created_ms: i64,
    /// When their password was last set.
    pub password_ms: i64,
    /// Until when the account is locked after failed logins.
    pub locked_until_ms: Option<i64>,
}

impl User {
    /// Whether this person may see `tenant` at all.
    pub fn reaches(&self, tenant: &str) -> bool {
        self.role.is_msp() || self.tenant.as_deref() == Some(tenant)
    }
}

/// Why a user could not be added or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserProblem {
    /// Not an e-mail address.
    BadEmail(String),
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    ShortPassword,
    /// A client role names no tenant.
    TenantNeeded(Role),
    /// An MSP role names a tenant.
    TenantRefused(Role),
    /// The e-mail is already a user's.
    Exists(String),
    /// No user has this e-mail.
    Unknown(String),
    /// The tenant does not exist.
    UnknownTenant(String),
}

impl UserProblem {
    /// The problem in `lang`, for the person who asked (the command line,
    /// the portal's people page).
    pub fn told(&self, lang: rempart_i18n::Lang) -> String {
        use rempart_i18n::t;
        match self {
            UserProblem::BadEmail(e) => t!(lang, "user-bad-email", email = e.as_str()),
            UserProblem::ShortPassword => t!(lang, "user-short-password", min = MIN_PASSWORD_CHARS),
            UserProblem::TenantNeeded(r) => t!(lang, "user-tenant-needed", role = r.as_str()),
            UserProblem::TenantRefused(r) => t!(lang, "user-tenant-refused", role = r.as_str()),
            UserProblem::Exists(e) => t!(lang, "user-exists", email = e.as_str()),
            UserProblem::Unknown(e) => t!(lang, "user-unknown", email = e.as_str()),
            UserProblem::UnknownTenant(id) => t!(lang, "user-unknown-tenant", tenant = id.as_str()),
        }
    }
}

impl std::fmt::Display for UserProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UserProblem::BadEmail(e) => write!(f, "\"{e}\" is not an e-mail address"),
            UserProblem::ShortPassword => write!(
                f,
                "the password is shorter than {MIN_PASSWORD_CHARS} characters"
            ),
            UserProblem::TenantNeeded(r) => write!(f, "a {r} belongs to one tenant: give --tenant"),
            UserProblem::TenantRefused(r) => {
                write!(f, "a {r} reaches every tenant: leave --tenant out")
            }
            UserProblem::Exists(e) => write!(f, "there is already a user {e}"),
            UserProblem::Unknown(e) => write!(f, "no user {e}"),
            UserProblem::UnknownTenant(t) => write!(f, "no tenant \"{t}\""),
        }
    }
}

fn problem(p: UserProblem) -> StoreError {
    StoreError::User(p)
}

/// What a login attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Welcome(User),
    /// Wrong e-mail or password (which one is not said).
    Refused,
    /// The account is locked until then, after too many failures.
    Locked {
        until_ms: i64,
    },
    /// Too many failures from this address: wait until then.
    Throttled {
        until_ms: i64,
    },
}

/// An e-mail as kept: trimmed and lower-cased, if it looks like one.
fn email(text: &str) -> Result<String> {
    let e = text.trim().to_lowercase();
    let ok = e.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.is_empty()
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !e.contains(char::is_whitespace)
            && e.matches('@').count() == 1
    }) && e.chars().count() <= 254;
    if ok {
        Ok(e)
    } else {
        Err(problem(UserProblem::BadEmail(text.trim().to_owned())))
    }
}

/// The argon2id hash of `password` (OWASP: 19 MiB, 2 passes, 1 lane: the
/// crate's defaults), computed off the async threads.
async fn hash(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(problem(UserProblem::ShortPassword));
    }
    let password = Zeroizing::new(password.to_owned());
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Corrupt(format!("cannot hash a password: {e}")))
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("password hashing stopped: {e}")))?
}

/// Whether `password` matches the stored `hash` (false for a hash this
/// version cannot read).
async fn verify(password: &str, hash: String) -> bool {
    let password = Zeroizing::new(password.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A hash no password matches, verified for an unknown e-mail so that a
/// refusal takes as long whether the account exists or not.
static DECOY: LazyLock<String> = LazyLock::new(|| {
    let mut bytes = [0u8; 32];
    let _ = getrandom::fill(&mut bytes);
    Argon2::default()
        .hash_password(&bytes)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

const USER_COLUMNS: &str =
    "id, email, role, tenant_id, language, timezone, created_ms, password_ms, locked_until_ms";

fn user_row(r: &sqlx::any::AnyRow) -> Result<User> {
    let role: String = r.col("role")?;
    Ok(User {
        id: r.col("id")?,
        email: r.col("email")?,
        role: Role::parse(&role).ok_or_else(|| {
            StoreError::Corrupt(format!("a user has the unknown role \"{role}\""))
        })?,
        tenant: r.col("tenant_id")?,
        language: r.col("language")?,
        timezone: r.col("timezone")?,
        created_ms: r.col("created_ms")?,
        password_ms: r.col("password_ms")?,
        locked_until_ms: r.col("locked_until_ms")?,
    })
}

/// The SHA-256 of a session id, as kept.
fn session_key(id: &str) -> String {
    crate::sha256_hex(id)
}

/// A session to keep.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// The session id, as the cookie carries it (kept only hashed).
    pub id: &'a str,
    pub user_id: Option<i64>,
    /// The session's data (JSON).
    pub data: &'a str,
    pub expiry_ms: i64,
    pub address: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// A session as listed to its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    /// The first characters of the id's hash: enough to name it, useless
    /// as a cookie.
    pub handle: String,
    pub created_ms: i64,
    pub seen_ms: i64,
    pub expiry_ms: i64,
    pub address: Option<String>,
    pub user_agent: Option<String>,
}

/// How many hex digits of the hash name a session.
const HANDLE_LEN: usize = 16;

/// The handle [`SessionInfo`] names a session by, from its id.
pub fn session_handle(id: &str) -> String {
    session_key(id).chars().take(HANDLE_LEN).collect()
}

impl Store {
    /// Adds a person; their password is kept only as an argon2id hash.
    pub async fn add_user(
        &self,
        email_text: &str,
        password: &str,
        role: Role,
        tenant: Option<&str>,
    ) -> Result<User> {
        let email = email(email_text)?;
        match (role.is_msp(), tenant) {
            (true, Some(_)) => return Err(problem(UserProblem::TenantRefused(role))),
            (false, None) => return Err(problem(UserProblem::TenantNeeded(role))),
            (false, Some(t)) => {
                self.tenant(t).await.map_err(|e| match e {
                    StoreError::UnknownTenant(t) => problem(UserProblem::UnknownTenant(t)),
                    other => other,
                })?;
            }
            (true, None) => {}
        }
        if self.user(&email).await?.is_some() {
            return Err(problem(UserProblem::Exists(email)));
        }
        let hashed = hash(password).await?;
        let now = now_ms();
        let row = sqlx::query(
            "INSERT INTO app_user (email, password_hash, role, tenant_id, created_ms, password_ms) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(&email)
        .bind(&hashed)
        .bind(role.as_str())
        .bind(tenant)
        .bind(now)
        .fetch_one(self.pool())
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                problem(UserProblem::Exists(email.clone()))
            }
            _ => StoreError::Database {
                doing: "adding a user",
                source: e,
            },
        })?;
        Ok(User {
            id: row.col("id")?,
            email,
            role,
            tenant: tenant.map(str::to_owned),
            language: None,
            timezone: None,
            created_ms: now,
            password_ms: now,
            locked_until_ms: None,
        })
    }

    /// The person with this e-mail (any case).
    pub async fn user(&self, email: &str) -> Result<Option<User>> {
        let email = email.trim().to_lowercase();
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM app_user WHERE email = $1"
        )))
        .bind(&email)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::db("reading a user"))?;
        row.as_ref().map(user_row).transpose()
    }

    /// The person with this id.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM app_user WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::db("reading a user"))?;
        row.as_ref().map(user_row).transpose()
    }

    /// Every person, or those of one tenant, by e-mail.
    pub async fn users(&self, tenant: Option<&str>) -> Result<Vec<User>> {
        let rows = match tenant {
            Some(t) => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {USER_COLUMNS} FROM app_user WHERE tenant_id = $1 ORDER BY email"
                )))
                .bind(t)
                .fetch_all(self.pool())
                .await
            }
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {USER_COLUMNS} FROM app_user ORDER BY email"
                )))
                .fetch_all(self.pool())
                .await
            }
        }
        .map_err(StoreError::db("listing users"))?;
        rows.iter().map(user_row).collect()
    }

    /// Removes a person and ends their sessions.
    pub async fn remove_user(&self, email: &str) -> Result<User> {
        let user = self
            .user(email)
            .await?
            .ok_or_else(|| problem(UserProblem::Unknown(email.trim().to_owned())))?;
        let mut tx = self.begin("removing a user").await?;
        sqlx::query("DELETE FROM portal_session WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("ending a user's sessions"))?;
        sqlx::query("DELETE FROM app_user WHERE id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("removing a user"))?;
        tx.commit()
            .await
            .map_err(StoreError::db("removing a user"))?;
        Ok(user)
    }

    /// Sets a person's password, lifts any lock, and ends their sessions
    /// (but `keep`, the session that made the change, when given).
    pub async fn set_password(
        &self,
        email: &str,
        password: &str,
        keep: Option<&str>,
    ) -> Result<User> {
        let user = self
            .user(email)
            .await?
            .ok_or_else(|| problem(UserProblem::Unknown(email.trim().to_owned())))?;
        let hashed = hash(password).await?;
        let now = now_ms();
        let mut tx = self.begin("setting a password").await?;
        sqlx::query(
            "UPDATE app_user SET password_hash = $2, password_ms = $3, failed_logins = 0, locked_until_ms = NULL WHERE id = $1",
        )
        .bind(user.id)
        .bind(&hashed)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("setting a password"))?;
        sqlx::query("DELETE FROM portal_session WHERE user_id = $1 AND id_hash <> $2")
            .bind(user.id)
            .bind(keep.map(session_key).unwrap_or_default())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("ending a user's sessions"))?;
        tx.commit()
            .await
            .map_err(StoreError::db("setting a password"))?;
        Ok(User {
            password_ms: now,
            locked_until_ms: None,
            ..user
        })
    }

    /// Sets the language a person reads the portal in (none: their
    /// tenant's plan's).
    pub async fn set_user_language(&self, id: i64, language: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE app_user SET language = $2 WHERE id = $1")
            .bind(id)
            .bind(language)
            .execute(self.pool())
            .await
            .map_err(StoreError::db("setting a user's language"))?;
        Ok(())
    }

    /// Sets the time zone a person reads dates in (an IANA name, checked
    /// by the caller; none: their tenant's plan's).
    pub async fn set_user_timezone(&self, id: i64, timezone: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE app_user SET timezone = $2 WHERE id = $1")
            .bind(id)
            .bind(timezone)
            .execute(self.pool())
            .await
            .map_err(StoreError::db("setting a user's time zone"))?;
        Ok(())
    }

    /// Checks a login. Failures count per account (locked for
    /// [`LOCK_MS`] after [`ACCOUNT_LOCK_AFTER`] in a row) and per client
    /// address (held back after [`ADDRESS_LIMIT`] within [`LOCK_MS`]);
    /// an unknown e-mail costs as much time as a wrong password.
    pub async fn login(&self, email: &str, password: &str, address: &str) -> Result<Login> {
        let now = now_ms();
        let since = now - LOCK_MS;
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at_ms) AS first FROM login_failure WHERE address = $1 AND at_ms > $2",
        )
        .bind(address)
        .bind(since)
        .fetch_one(self.pool())
        .await
        .map_err(StoreError::db("counting failed logins"))?;
        let failures: i64 = row.col("n")?;
        if failures >= ADDRESS_LIMIT {
            let first: Option<i64> = row.col("first")?;
            return Ok(Login::Throttled {
                until_ms: first.unwrap_or(now) + LOCK_MS,
            });
        }
        let found = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, password_hash FROM app_user WHERE email = $1"
        )))
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::db("reading a user"))?;
        let Some(found) = found else {
            verify(password, DECOY.clone()).await;
            self.failed_from(address, now).await?;
            return Ok(Login::Refused);
        };
        let user = user_row(&found)?;
        let id = user.id;
        if let Some(until) = user.locked_until_ms.filter(|u| *u > now) {
            self.failed_from(address, now).await?;
            return Ok(Login::Locked { until_ms: until });
        }
        if verify(password, found.col("password_hash")?).await {
            sqlx::query(
                "UPDATE app_user SET failed_logins = 0, locked_until_ms = NULL WHERE id = $1",
            )
            .bind(id)
            .execute(self.pool())
            .await
            .map_err(StoreError::db("recording a login"))?;
            return Ok(Login::Welcome(User {
                locked_until_ms: None,
                ..user
            }));
        }
        self.failed_from(address, now).await?;
        // One statement: two wrong passwords at once still count twice.
        let row = sqlx::query(
            "UPDATE app_user SET failed_logins = failed_logins + 1, locked_until_ms = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until_ms END WHERE id = $1 RETURNING failed_logins, locked_until_ms",
        )
        .bind(id)
        .bind(ACCOUNT_LOCK_AFTER)
        .bind(now + LOCK_MS)
        .fetch_one(self.pool())
        .await
        .map_err(StoreError::db("recording a failed login"))?;
        let failed: i64 = row.col("failed_logins")?;
        if failed >= ACCOUNT_LOCK_AFTER {
            // The count starts again once the lock is over.
            sqlx::query("UPDATE app_user SET failed_logins = 0 WHERE id = $1")
                .bind(id)
                .execute(self.pool())
                .await
                .map_err(StoreError::db("recording a failed login"))?;
            let until: Option<i64> = row.col("locked_until_ms")?;
            return Ok(Login::Locked {
                until_ms: until.unwrap_or(now + LOCK_MS),
            });
        }
        Ok(Login::Refused)
    }

    /// Records a failed login from `address`, forgetting those older than
    /// the limit's window.
    async fn failed_from(&self, address: &str, now: i64) -> Result<()> {
        sqlx::query("DELETE FROM login_failure WHERE at_ms <= $1")
            .bind(now - LOCK_MS)
            .execute(self.pool())
            .await
            .map_err(StoreError::db("forgetting old failed logins"))?;
        sqlx::query("INSERT INTO login_failure (address, at_ms) VALUES ($1, $2)")
            .bind(address)
            .bind(now)
            .execute(self.pool())
            .await
            .map_err(StoreError::db("recording a failed login"))?;
        Ok(())
    }

    /// Keeps a session (creating or replacing it).
    pub async fn save_session(&self, s: &NewSession<'_>) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO portal_session (id_hash, user_id, data, expiry_ms, created_ms, seen_ms, address, user_agent) VALUES ($1, $2, $3, $4, $5, $5, $6, $7) \
             ON CONFLICT (id_hash) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expiry_ms = excluded.expiry_ms, seen_ms = excluded.seen_ms, \
             address = COALESCE(excluded.address, portal_session.address), user_agent = COALESCE(excluded.user_agent, portal_session.user_agent)",
        )
        .bind(session_key(s.id))
        .bind(s.user_id)
        .bind(s.data)
        .bind(s.expiry_ms)
        .bind(now)
        .bind(s.address)
        .bind(s.user_agent)
        .execute(self.pool())
        .await
        .map_err(StoreError::db("saving a session"))?;
        Ok(())
    }

    /// Whether a session with this id exists (expired or not).
    pub async fn session_exists(&self, id: &str) -> Result<bool> {
        let row = sqlx::query("SELECT 1 AS one FROM portal_session WHERE id_hash = $1")
            .bind(session_key(id))
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::db("reading a session"))?;
        Ok(row.is_some())
    }

    /// A session's data, unless it has expired.
    pub async fn load_session(&self, id: &str) -> Result<Option<String>> {
        let row =
            sqlx::query("SELECT data FROM portal_session WHERE id_hash = $1 AND expiry_ms > $2")
                .bind(session_key(id))
                .bind(now_ms())
                .fetch_optional(self.pool())
                .await
                .map_err(StoreError::db("reading a session"))?;
        row.map(|r| r.col("data")).transpose()
    }

    pub async fn delete_session(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM portal_session WHERE id_hash = $1")
            .bind(session_key(id))
            .execute(self.pool())
            .await
            .map_err(StoreError::db("ending a session"))?;
        Ok(())
    }

    /// A person's sessions that have not expired, newest first.
    pub async fn sessions_of(&self, user_id: i64) -> Result<Vec<SessionInfo>> {
        let rows = sqlx::query(
            "SELECT id_hash, created_ms, seen_ms, expiry_ms, address, user_agent FROM portal_session WHERE user_id = $1 AND expiry_ms > $2 ORDER BY seen_ms DESC",
        )
        .bind(user_id)
        .bind(now_ms())
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::db("listing sessions"))?;
        rows.iter()
            .map(|r| {
                let hash: String = r.col("id_hash")?;
                Ok(SessionInfo {
                    handle: hash.chars().take(HANDLE_LEN).collect::<String>(),
                    created_ms: r.col("created_ms")?,
                    seen_ms: r.col("seen_ms")?,
                    expiry_ms: r.col("expiry_ms")?,
                    address: r.col("address")?,
                    user_agent: r.col("user_agent")?,
                })
            })
            .collect()
    }

    /// Ends one of a person's sessions, named by its handle; false when
    /// they have no such session.
    pub async fn revoke_session(&self, user_id: i64, handle: &str) -> Result<bool> {
        if handle.len() != HANDLE_LEN || !handle.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM portal_session WHERE user_id = $1 AND SUBSTR(id_hash, 1, {HANDLE_LEN}) = $2"
        )))
        .bind(user_id)
        .bind(handle.to_ascii_lowercase())
        .execute(self.pool())
        .await
        .map_err(StoreError::db("ending a session"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Forgets expired sessions; returns how many.
    pub async fn delete_expired_sessions(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM portal_session WHERE expiry_ms <= $1")
            .bind(now_ms())
            .execute(self.pool())
            .await
            .map_err(StoreError::db("forgetting expired sessions"))?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mails_are_kept_lower_case_and_checked() {
        assert_eq!(email(" Alice@Example.COM ").unwrap(), "alice@example.com");
        for bad in [
            "alice",
            "@example.com",
            "alice@",
            "a b@example.com",
            "a@b@c",
            "a@.com",
        ] {
            assert!(
                matches!(email(bad), Err(StoreError::User(UserProblem::BadEmail(_)))),
                "{bad}"
            );
        }
    }

    #[test]
    fn roles_read_back_as_written() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!(Role::MspOperator.is_msp() && !Role::ClientAdmin.is_msp());
        assert!(!Role::ClientViewer.writes() && Role::ClientAdmin.writes());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery", h.clone()).await);
        assert!(!verify("correct horse batterY", h).await);
        assert!(!verify("anything", "not a hash".into()).await);
        assert!(matches!(
            hash("short").await,
            Err(StoreError::User(UserProblem::ShortPassword))
        ));
    }
}
