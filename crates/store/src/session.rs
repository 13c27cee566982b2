//! tower-sessions' `SessionStore` over the store's `portal_session`
//! table, on SQLite and PostgreSQL alike (the published SQLx store pins
//! an older sqlx). The record is kept whole as JSON; the session id only
//! as its SHA-256. A record's `user_id`, `address` and `user_agent`
//! entries are also kept in their own columns, so that a person can list
//! and end their sessions.

use tower_sessions_core::session::{Id, Record};
use tower_sessions_core::session_store::{self, SessionStore};

use crate::{NewSession, Store};

/// The keys of a session's data that the portal sets at login.
pub const SESSION_USER: &str = "user_id";
pub const SESSION_ADDRESS: &str = "address";
pub const SESSION_AGENT: &str = "user_agent";

/// A session whose data did not change is written again (its expiry and
/// "last seen" moved on) at most this often: a page view is not a write.
const REWRITE_AFTER_MS: i64 = 60_000;

/// The portal's sessions, kept in the store.
#[derive(Clone)]
pub struct PortalSessions {
    store: Store,
    /// Per session id: a digest of its data and when it was last written.
    written: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, (u64, i64)>>>,
}

impl PortalSessions {
    pub fn new(store: Store) -> PortalSessions {
        PortalSessions {
            store,
            written: Default::default(),
        }
    }

    /// Whether `id`'s record with data `digest` needs writing at `now`
    /// (and, if so, notes it written).
    fn due(&self, id: &str, digest: u64, now: i64) -> bool {
        let Ok(mut written) = self.written.lock() else {
            return true;
        };
        if let Some((d, at)) = written.get(id)
            && *d == digest
            && now - at < REWRITE_AFTER_MS
        {
            return false;
        }
        if written.len() > 10_000 {
            written.retain(|_, (_, at)| now - *at < REWRITE_AFTER_MS);
        }
        written.insert(id.to_owned(), (digest, now));
        true
    }

    fn forget(&self, id: &str) {
        if let Ok(mut written) = self.written.lock() {
            written.remove(id);
        }
    }
}

impl std::fmt::Debug for PortalSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalSessions").finish_non_exhaustive()
    }
}

fn backend(e: crate::StoreError) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait::async_trait]
impl SessionStore for PortalSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // 128 random bits make a collision all but impossible; still, a
        // new session never takes over an existing one.
        while self
            .store
            .session_exists(&record.id.to_string())
            .await
            .map_err(backend)?
        {
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(record)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let text = |key: &str| record.data.get(key).and_then(|v| v.as_str());
        let id = record.id.to_string();
        let expiry_ms = i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000_000)
            .unwrap_or(i64::MAX);
        // The data alone (not its expiry, which moves at every request), in
        // key order: each request loads it into a new, differently ordered map.
        let digest = {
            use std::hash::{Hash, Hasher};
            let sorted: std::collections::BTreeMap<_, _> = record.data.iter().collect();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            serde_json::to_string(&sorted)
                .unwrap_or_default()
                .hash(&mut h);
            h.finish()
        };
        if !self.due(&id, digest, crate::now_ms()) {
            return Ok(());
        }
        let saved = self
            .store
            .save_session(&NewSession {
                id: &id,
                user_id: record.data.get(SESSION_USER).and_then(|v| v.as_i64()),
                data: &data,
                expiry_ms,
                address: text(SESSION_ADDRESS),
                user_agent: text(SESSION_AGENT),
            })
            .await
            .map_err(backend);
        if saved.is_err() {
            self.forget(&id);
        }
        saved
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(data) = self
            .store
            .load_session(&id.to_string())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        serde_json::from_str(&data)
            .map(Some)
            .map_err(|e| session_store::Error::Decode(e.to_string()))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.forget(&id.to_string());
        self.store
            .delete_session(&id.to_string())
            .await
            .map_err(backend)
    }
}
