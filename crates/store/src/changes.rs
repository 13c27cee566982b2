//! What changes in a tenant as it changes (a monitor's state, an alert, a
//! job, a new record, the plan), told to whoever watches: the portal's live
//! pages. On SQLite, within this process (a broadcast channel). On
//! PostgreSQL, through `pg_notify` on one channel, heard by every server
//! with `LISTEN` (its own notifications included): a browser connected to
//! one server sees what another server did.
//!
//! A change says only which tenant and what kind of thing changed; the
//! page reads the store again, through the reader's own access rights.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::{Backend, Store, TenantScope};

/// PostgreSQL's notification channel.
const CHANNEL: &str = "rempart_changes";

/// Changes kept for a slow reader before it is told it missed some
/// ([`broadcast::error::RecvError::Lagged`]: it reads everything again).
const BUFFER: usize = 1024;

/// What kind of thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum What {
    Monitor,
    Alert,
    Job,
    Evidence,
    Plan,
    /// Changes may have been missed (the listening connection was lost):
    /// every tenant's page reads again. Its tenant is empty.
    Everything,
}

impl What {
    pub fn as_str(self) -> &'static str {
        match self {
            What::Monitor => "monitor",
            What::Alert => "alert",
            What::Job => "job",
            What::Evidence => "evidence",
            What::Plan => "plan",
            What::Everything => "everything",
        }
    }

    fn parse(s: &str) -> Option<What> {
        [
            What::Monitor,
            What::Alert,
            What::Job,
            What::Evidence,
            What::Plan,
            What::Everything,
        ]
        .into_iter()
        .find(|w| w.as_str() == s)
    }
}

/// One change: which tenant, what kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub tenant: String,
    pub what: What,
}

impl Change {
    /// Whether a page of `tenant` must read again.
    pub fn concerns(&self, tenant: &str) -> bool {
        self.what == What::Everything || self.tenant == tenant
    }

    fn payload(&self) -> String {
        format!("{}:{}", self.what.as_str(), self.tenant)
    }

    fn from_payload(p: &str) -> Option<Change> {
        let (what, tenant) = p.split_once(':')?;
        Some(Change {
            tenant: tenant.to_owned(),
            what: What::parse(what)?,
        })
    }
}

/// The store's change feed (shared by its clones).
pub(crate) struct Feed {
    tx: broadcast::Sender<Change>,
    /// PostgreSQL: the database's URL, for the listening connection
    /// (never logged).
    listen_url: Option<String>,
    listening: OnceLock<()>,
}

impl Feed {
    pub(crate) fn new(listen_url: Option<String>) -> Arc<Feed> {
        Arc::new(Feed {
            tx: broadcast::channel(BUFFER).0,
            listen_url,
            listening: OnceLock::new(),
        })
    }
}

impl Store {
    /// Tells watchers that `what` changed in `tenant`. Never fails the
    /// caller: a change not told costs a page a late refresh, not data.
    pub(crate) async fn changed(&self, tenant: &str, what: What) {
        let change = Change {
            tenant: tenant.to_owned(),
            what,
        };
        match self.backend {
            Backend::Sqlite => {
                // No receiver is not an error: nobody watches.
                let _ = self.feed.tx.send(change);
            }
            Backend::Postgres => {
                // `pg_notify` returns void, which the Any driver cannot
                // read: count the row instead.
                let sent =
                    sqlx::query("SELECT COUNT(*) AS n FROM (SELECT pg_notify($1, $2)) AS sent")
                        .bind(CHANNEL)
                        .bind(change.payload())
                        .execute(self.pool())
                        .await;
                if let Err(e) = sent {
                    tracing::debug!(tenant, what = what.as_str(), error = %e, "cannot tell a change");
                }
            }
        }
    }

    /// Every change from now on, in every tenant (the reader filters). On
    /// PostgreSQL the first call starts this process's listening
    /// connection, which reconnects by itself and then reports
    /// [`What::Everything`].
    pub fn changes(&self) -> broadcast::Receiver<Change> {
        let rx = self.feed.tx.subscribe();
        if let Some(url) = &self.feed.listen_url {
            self.feed.listening.get_or_init(|| {
                tokio::spawn(listen(url.clone(), self.feed.tx.clone()));
            });
        }
        rx
    }
}

impl TenantScope {
    /// Tells watchers that `what` changed in this tenant.
    pub async fn changed(&self, what: What) {
        self.store.changed(&self.tenant, what).await;
    }
}

/// PostgreSQL: hears every server's changes and passes them on; a lost
/// connection is opened again, and its readers told to read everything.
async fn listen(url: String, tx: broadcast::Sender<Change>) {
    let everything = || Change {
        tenant: String::new(),
        what: What::Everything,
    };
    let mut first = true;
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    if !first {
                        let _ = tx.send(everything());
                    }
                    first = false;
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(n)) => {
                                if let Some(c) = Change::from_payload(n.payload()) {
                                    let _ = tx.send(c);
                                }
                            }
                            // The connection was lost; the listener
                            // reconnects on the next call.
                            Ok(None) => {
                                let _ = tx.send(everything());
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "the change feed's connection failed; opening it again");
                                break;
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot listen to the change feed"),
            },
            Err(e) => tracing::warn!(error = %e, "cannot open the change feed's connection"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reads_back_from_its_payload() {
        for what in [
            What::Monitor,
            What::Alert,
            What::Job,
            What::Evidence,
            What::Plan,
        ] {
            let c = Change {
                tenant: "acme-1".into(),
                what,
            };
            assert_eq!(Change::from_payload(&c.payload()), Some(c));
        }
        assert_eq!(Change::from_payload("nonsense"), None);
        assert_eq!(Change::from_payload("weather:acme"), None);
    }
}
