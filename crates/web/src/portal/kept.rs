//! What the portal's heavy pages are made of, kept per tenant: an
//! overview line, a dashboard's measured part. A value is dropped as soon
//! as the store's change feed says its tenant changed (a live page then
//! reads the new state); otherwise it is served for [`FRESH_MS`], then
//! served while one task makes it again (ages and freshness grow by
//! themselves), and made again before answering once [`STALE_MS`] passed.
//! One computation per value at a time: readers of a value being made wait
//! for it instead of making it again.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::OnceCell;

/// Served as is this long after it was made (ms).
pub const FRESH_MS: i64 = 20_000;
/// Past this age it is made again before answering (ms).
pub const STALE_MS: i64 = 120_000;

/// The tenant a value belongs to, and what else it depends on (language,
/// time zone…).
pub type Key = (String, String);

/// The "tenant" of a value made of every tenant's: dropped when any changes.
pub const EVERY_TENANT: &str = "*";

struct Slot<V> {
    /// When its making began.
    made_ms: i64,
    cell: Arc<OnceCell<V>>,
    refreshing: bool,
}

struct Inner<V> {
    slots: HashMap<Key, Slot<V>>,
    /// Per tenant, how many times it changed: a value made before a change
    /// is not put back after it.
    changes: HashMap<String, u64>,
    /// How many times everything changed (a lost notification).
    epoch: u64,
}

impl<V> Inner<V> {
    fn change(&self, tenant: &str) -> (u64, u64) {
        (self.epoch, self.changes.get(tenant).copied().unwrap_or(0))
    }
}

/// Values kept per tenant; see the module's documentation.
pub struct Kept<V> {
    inner: Arc<Mutex<Inner<V>>>,
    following: Arc<OnceLock<()>>,
}

impl<V> Clone for Kept<V> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            following: self.following.clone(),
        }
    }
}

impl<V> Default for Kept<V> {
    fn default() -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                slots: HashMap::new(),
                changes: HashMap::new(),
                epoch: 0,
            })),
            following: Arc::default(),
        }
    }
}

impl<V: Clone + Send + Sync + 'static> Kept<V> {
    /// The value for `key`, kept or made by `make`.
    pub async fn get<F, Fut>(&self, store: &rempart_store::Store, key: Key, make: F) -> V
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = V> + Send + 'static,
    {
        self.follow(store);
        let now = rempart_store::now_ms();
        enum Then<V> {
            Serve(V),
            ServeAndRemake(V, (u64, u64)),
            Wait(Arc<OnceCell<V>>),
        }
        let then = {
            let Ok(mut inner) = self.inner.lock() else {
                return make().await;
            };
            let change = inner.change(&key.0);
            match inner.slots.get_mut(&key) {
                Some(slot) => match slot.cell.get() {
                    Some(v) if now - slot.made_ms < FRESH_MS => Then::Serve(v.clone()),
                    Some(v) if now - slot.made_ms < STALE_MS && slot.refreshing => {
                        Then::Serve(v.clone())
                    }
                    Some(v) if now - slot.made_ms < STALE_MS => {
                        slot.refreshing = true;
                        Then::ServeAndRemake(v.clone(), change)
                    }
                    // Being made: wait for it.
                    None => Then::Wait(slot.cell.clone()),
                    Some(_) => {
                        *slot = Slot {
                            made_ms: now,
                            cell: Arc::new(OnceCell::new()),
                            refreshing: false,
                        };
                        Then::Wait(slot.cell.clone())
                    }
                },
                None => {
                    let cell = Arc::new(OnceCell::new());
                    inner.slots.insert(
                        key.clone(),
                        Slot {
                            made_ms: now,
                            cell: cell.clone(),
                            refreshing: false,
                        },
                    );
                    Then::Wait(cell)
                }
            }
        };
        match then {
            Then::Serve(v) => v,
            Then::ServeAndRemake(v, change) => {
                let inner = self.inner.clone();
                tokio::spawn(async move {
                    let value = make().await;
                    let Ok(mut inner) = inner.lock() else { return };
                    // Not if the tenant changed meanwhile: it is read again.
                    if inner.change(&key.0) == change {
                        let slot = Slot {
                            made_ms: now,
                            cell: Arc::new(OnceCell::new_with(Some(value))),
                            refreshing: false,
                        };
                        inner.slots.insert(key, slot);
                    }
                });
                v
            }
            Then::Wait(cell) => cell.get_or_init(make).await.clone(),
        }
    }

    /// Starts, once, dropping a tenant's values when it changes.
    fn follow(&self, store: &rempart_store::Store) {
        self.following.get_or_init(|| {
            let mut changes = store.changes();
            let inner = self.inner.clone();
            tokio::spawn(async move {
                use tokio::sync::broadcast::error::RecvError;
                loop {
                    let tenant = match changes.recv().await {
                        Ok(c) if c.what != rempart_store::What::Everything => Some(c.tenant),
                        Ok(_) | Err(RecvError::Lagged(_)) => None,
                        Err(RecvError::Closed) => return,
                    };
                    let Ok(mut inner) = inner.lock() else { return };
                    match tenant {
                        Some(tenant) => {
                            inner
                                .slots
                                .retain(|(t, _), _| *t != tenant && t != EVERY_TENANT);
                            *inner.changes.entry(tenant).or_default() += 1;
                            *inner.changes.entry(EVERY_TENANT.to_owned()).or_default() += 1;
                        }
                        None => {
                            inner.slots.clear();
                            inner.epoch += 1;
                        }
                    }
                }
            });
        });
    }
}
