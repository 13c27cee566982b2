//! Tenants' secrets: sealed with the server's master key (AES-256-GCM),
//! written write-only, listed by name and date, opened only to run the
//! tenant's own plan. Each change is recorded as `secret` evidence
//! without its value, in the same transaction.
//!
//! The master key is 32 random bytes, given as 64 hexadecimal digits by
//! `REMPART_MASTER_KEY`, or by a systemd credential named
//! `rempart-master-key` (`LoadCredential=`), or kept in
//! `<data dir>/master.key` (created, mode 0600, the first time a secret is
//! stored). Servers sharing a PostgreSQL store need the same key: each
//! sealed secret names the key it was sealed with, so a server with
//! another key says so instead of failing obscurely.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
pub use rempart_core::secrets::SecretValues;
use serde::Serialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{Column, Result, StoreError, TenantScope, now_ms};

/// The environment variable that gives the master key (64 hex digits).
pub const MASTER_KEY_ENV: &str = "REMPART_MASTER_KEY";
/// The systemd credential that gives the master key.
pub const MASTER_KEY_CREDENTIAL: &str = "rempart-master-key";
/// The file that keeps the master key inside the data dir.
pub const MASTER_KEY_FILE: &str = "master.key";

/// The server's master key and its public id (a digest, to tell keys apart).
pub struct MasterKey {
    key: LessSafeKey,
    pub id: String,
    /// Where it came from, for messages.
    pub source: String,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterKey")
            .field("id", &self.id)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

impl MasterKey {
    /// A key from its 64 hex digits; `source` names where they came from.
    pub fn from_hex(text: &str, source: &str) -> Result<MasterKey> {
        let bad = || {
            StoreError::Secrets(format!(
                "the master key from {source} is not 64 hexadecimal digits (make one with: openssl rand -hex 32)"
            ))
        };
        let bytes = Zeroizing::new(unhex(text.trim()).ok_or_else(bad)?);
        if bytes.len() != 32 {
            return Err(bad());
        }
        let unbound = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| bad())?;
        let mut h = Sha256::new();
        h.update(b"rempart master key id\n");
        h.update(&*bytes);
        Ok(MasterKey {
            key: LessSafeKey::new(unbound),
            id: hex(&h.finalize()[..8]),
            source: source.to_owned(),
        })
    }

    /// The key given to this server: `REMPART_MASTER_KEY`, the systemd
    /// credential, or `<data_dir>/master.key`; `None` when there is none.
    pub fn load(data_dir: &Path) -> Result<Option<MasterKey>> {
        if let Ok(text) = std::env::var(MASTER_KEY_ENV) {
            return MasterKey::from_hex(&text, MASTER_KEY_ENV).map(Some);
        }
        if let Some(dir) = std::env::var_os("CREDENTIALS_DIRECTORY") {
            let file = PathBuf::from(dir).join(MASTER_KEY_CREDENTIAL);
            if file.exists() {
                return read_key_file(&file).map(Some);
            }
        }
        let file = data_dir.join(MASTER_KEY_FILE);
        if file.exists() {
            return read_key_file(&file).map(Some);
        }
        Ok(None)
    }

    /// [`MasterKey::load`], creating `<data_dir>/master.key` when no key
    /// is given anywhere.
    pub fn load_or_create(data_dir: &Path) -> Result<MasterKey> {
        if let Some(key) = MasterKey::load(data_dir)? {
            return Ok(key);
        }
        let file = data_dir.join(MASTER_KEY_FILE);
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut *bytes)
            .map_err(|e| StoreError::Secrets(format!("no randomness available: {e}")))?;
        let text = Zeroizing::new(hex(&*bytes));
        let written = (|| {
            use std::io::Write as _;
            use std::os::unix::fs::OpenOptionsExt as _;
            std::fs::create_dir_all(data_dir)?;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&file)?;
            f.write_all(text.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()
        })();
        match written {
            Ok(()) => MasterKey::from_hex(&text, &file.display().to_string()),
            // Another process made it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_key_file(&file),
            Err(e) => Err(StoreError::Secrets(format!(
                "cannot write the master key {}: {e}",
                file.display()
            ))),
        }
    }

    fn aad(tenant: &str, name: &str) -> Vec<u8> {
        format!("rempart secret\n{tenant}\n{name}").into_bytes()
    }

    /// `value` sealed for `tenant`'s secret `name`: hex of nonce ‖ ciphertext ‖ tag.
    fn seal(&self, tenant: &str, name: &str, value: &[u8]) -> Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|e| StoreError::Secrets(format!("no randomness available: {e}")))?;
        let mut data = Zeroizing::new(value.to_vec());
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(MasterKey::aad(tenant, name)),
                &mut *data,
            )
            .map_err(|_| StoreError::Secrets("cannot seal the secret".into()))?;
        Ok(format!("{}{}", hex(&nonce), hex(&data)))
    }

    /// The value sealed by [`MasterKey::seal`] for the same tenant and name.
    fn open(&self, tenant: &str, name: &str, sealed: &str) -> Result<Zeroizing<String>> {
        let broken = || {
            StoreError::Secrets(format!(
                "secret \"{name}\" of tenant \"{tenant}\" cannot be opened with the master key {} ({}): it was altered, or sealed for another tenant",
                self.id, self.source
            ))
        };
        let bytes = unhex(sealed).ok_or_else(broken)?;
        if bytes.len() < NONCE_LEN {
            return Err(broken());
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| broken())?;
        let mut data = Zeroizing::new(rest.to_vec());
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(MasterKey::aad(tenant, name)), &mut data)
            .map_err(|_| broken())?;
        String::from_utf8(plain.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| broken())
    }
}

fn read_key_file(file: &Path) -> Result<MasterKey> {
    let text = Zeroizing::new(std::fs::read_to_string(file).map_err(|e| {
        StoreError::Secrets(format!(
            "cannot read the master key {}: {e}",
            file.display()
        ))
    })?);
    MasterKey::from_hex(&text, &file.display().to_string())
}

/// A stored secret as listed: its name and dates, never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretInfo {
    pub name: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// Who set it last: `cli:<user>`, `api:<token name>`…
    pub updated_by: String,
}

/// Where the server's master key comes from, loaded once when first needed.
#[derive(Clone)]
pub struct Vault {
    data_dir: PathBuf,
    key: Arc<Mutex<Option<Arc<MasterKey>>>>,
}

impl Vault {
    pub fn new(data_dir: &Path) -> Vault {
        Vault {
            data_dir: data_dir.to_owned(),
            key: Arc::default(),
        }
    }

    fn key(&self, create: bool) -> Result<Option<Arc<MasterKey>>> {
        let mut slot = self
            .key
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(k) = &*slot {
            return Ok(Some(k.clone()));
        }
        let loaded = if create {
            Some(MasterKey::load_or_create(&self.data_dir)?)
        } else {
            MasterKey::load(&self.data_dir)?
        };
        *slot = loaded.map(Arc::new);
        Ok(slot.clone())
    }
}

const MAX_SECRET_BYTES: usize = 64 * 1024;

impl TenantScope {
    /// Sets (creates or replaces) the secret `name`, recording the change
    /// as `secret` evidence (without the value) in the same transaction.
    pub async fn set_secret(&self, name: &str, value: &str, by: &str) -> Result<SecretInfo> {
        rempart_core::plan::check_secret_name(name)
            .map_err(|why| StoreError::BadSecret(why.to_string()))?;
        let value = value.trim_end_matches(['\n', '\r']);
        if value.is_empty() {
            return Err(StoreError::BadSecret(format!(
                "secret \"{name}\" would be empty: give its value on standard input or as the request body"
            )));
        }
        if value.len() > MAX_SECRET_BYTES {
            return Err(StoreError::BadSecret(format!(
                "secret \"{name}\" is over {MAX_SECRET_BYTES} bytes"
            )));
        }
        let key = self
            .store
            .vault
            .key(true)?
            .ok_or_else(|| StoreError::Secrets("no master key".into()))?;
        let sealed = key.seal(&self.tenant, name, value.as_bytes())?;
        let now = now_ms();
        let doing = "storing a secret";
        let mut tx = self.store.begin(doing).await?;
        let existed =
            sqlx::query("SELECT created_ms FROM tenant_secret WHERE tenant_id = $1 AND name = $2")
                .bind(&self.tenant)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::db(doing))?;
        let created_ms = match &existed {
            Some(r) => r.col("created_ms")?,
            None => now,
        };
        sqlx::query(
            "INSERT INTO tenant_secret (tenant_id, name, key_id, sealed, created_ms, updated_ms, updated_by)
             VALUES ($1, $2, $3, $4, $5, $5, $6)
             ON CONFLICT (tenant_id, name) DO UPDATE SET key_id = excluded.key_id,
               sealed = excluded.sealed, updated_ms = excluded.updated_ms, updated_by = excluded.updated_by",
        )
        .bind(&self.tenant)
        .bind(name)
        .bind(&key.id)
        .bind(&sealed)
        .bind(now)
        .bind(by)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?;
        let action = if existed.is_some() { "replaced" } else { "set" };
        self.append_in(&mut tx, vec![secret_evidence(name, action, by, now)], doing)
            .await?;
        tx.commit().await.map_err(StoreError::db(doing))?;
        Ok(SecretInfo {
            name: name.to_owned(),
            created_ms,
            updated_ms: now,
            updated_by: by.to_owned(),
        })
    }

    /// Removes the secret `name` (recorded as evidence); false when there
    /// was none.
    pub async fn remove_secret(&self, name: &str, by: &str) -> Result<bool> {
        let doing = "removing a secret";
        let mut tx = self.store.begin(doing).await?;
        let done = sqlx::query("DELETE FROM tenant_secret WHERE tenant_id = $1 AND name = $2")
            .bind(&self.tenant)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.append_in(
            &mut tx,
            vec![secret_evidence(name, "removed", by, now_ms())],
            doing,
        )
        .await?;
        tx.commit().await.map_err(StoreError::db(doing))?;
        Ok(true)
    }

    /// The tenant's secrets by name, without their values.
    pub async fn secrets(&self) -> Result<Vec<SecretInfo>> {
        let rows = sqlx::query(
            "SELECT name, created_ms, updated_ms, updated_by FROM tenant_secret WHERE tenant_id = $1 ORDER BY name",
        )
        .bind(&self.tenant)
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("listing secrets"))?;
        rows.iter()
            .map(|r| {
                Ok(SecretInfo {
                    name: r.col("name")?,
                    created_ms: r.col("created_ms")?,
                    updated_ms: r.col("updated_ms")?,
                    updated_by: r.col("updated_by")?,
                })
            })
            .collect()
    }

    /// The tenant's secrets, opened, for a job of its own plan. A tenant
    /// without secrets needs no master key.
    pub async fn secret_values(&self) -> Result<SecretValues> {
        let rows =
            sqlx::query("SELECT name, key_id, sealed FROM tenant_secret WHERE tenant_id = $1")
                .bind(&self.tenant)
                .fetch_all(self.store.pool())
                .await
                .map_err(StoreError::db("reading secrets"))?;
        if rows.is_empty() {
            return Ok(SecretValues::default());
        }
        let key = self.store.vault.key(false)?.ok_or_else(|| {
            StoreError::Secrets(format!(
                "tenant \"{}\" has stored secrets but this server has no master key: give it the key they were sealed with ({MASTER_KEY_ENV}, the systemd credential {MASTER_KEY_CREDENTIAL}, or {MASTER_KEY_FILE} in the data dir)",
                self.tenant
            ))
        })?;
        let mut values = Vec::with_capacity(rows.len());
        for r in &rows {
            let name: String = r.col("name")?;
            let key_id: String = r.col("key_id")?;
            if key_id != key.id {
                return Err(StoreError::Secrets(format!(
                    "secret \"{name}\" of tenant \"{}\" was sealed with the master key {key_id}, but this server has the key {} ({}): give every server the same key",
                    self.tenant, key.id, key.source
                )));
            }
            let sealed: String = r.col("sealed")?;
            let value = key.open(&self.tenant, &name, &sealed)?;
            values.push((name, value));
        }
        Ok(SecretValues::from_pairs(values))
    }
}

fn secret_evidence(name: &str, action: &str, by: &str, now: i64) -> NewEvidence {
    NewEvidence {
        kind: EvidenceKind::Secret,
        subject: name.to_owned(),
        started_ms: now,
        finished_ms: now,
        outcome: Outcome::Success,
        measurements: serde_json::json!({ "action": action, "by": by }),
        message: format!("secret \"{name}\" {action} by {by}"),
        job_run: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_for_its_tenant_and_name() {
        let key = MasterKey::from_hex(&"ab".repeat(32), "test").unwrap();
        let sealed = key.seal("acme", "nas", b"hunter2").unwrap();
        assert!(!sealed.contains(&hex(b"hunter2")));
        assert_eq!(
            key.open("acme", "nas", &sealed).unwrap().as_str(),
            "hunter2"
        );
        assert!(key.open("other", "nas", &sealed).is_err());
        assert!(key.open("acme", "s3", &sealed).is_err());
        let other = MasterKey::from_hex(&"cd".repeat(32), "test").unwrap();
        assert_ne!(key.id, other.id);
        assert!(other.open("acme", "nas", &sealed).is_err());
    }

    #[test]
    fn a_bad_key_is_named_with_its_source() {
        let e = MasterKey::from_hex("not hex", MASTER_KEY_ENV).unwrap_err();
        assert!(e.to_string().contains(MASTER_KEY_ENV), "{e}");
        assert!(MasterKey::from_hex(&"ab".repeat(16), "x").is_err());
    }
}
