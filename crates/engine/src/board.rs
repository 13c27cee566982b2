//! The public status pages' content, kept in memory by the supervisor
//! (`[status_page]` of each plan: its title and the state of the monitors
//! it lists), so that a tenant's status page stays up while the database
//! does not answer: it is exactly when people look at it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use rempart_core::monitoring::{Health, Tracker};
use rempart_core::plan::{Language, Plan};

/// What one tenant's status page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicStatus {
    pub title: String,
    /// Open to anyone; else only to the tenant's people.
    pub public: bool,
    pub language: Language,
    pub timezone: String,
    pub monitors: Vec<Shown>,
    /// When the supervisor last wrote it (ms since the epoch).
    pub at_ms: i64,
}

/// One monitor on a status page.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub name: String,
    /// `None` before its first confirmed state.
    pub state: Option<Health>,
    pub since_ms: i64,
}

impl PublicStatus {
    /// `plan`'s status page, each monitor's state read by `tracker`;
    /// `None` when the plan has none.
    pub fn of(
        plan: &Plan,
        tracker: impl Fn(&str) -> Option<Tracker>,
        at_ms: i64,
    ) -> Option<PublicStatus> {
        let page = plan.status_page.as_ref()?;
        let monitors = page
            .monitors
            .iter()
            .filter_map(|id| {
                let m = plan.monitors.iter().find(|m| &m.id == id)?;
                let t = tracker(id.as_str()).unwrap_or_default();
                Some(Shown {
                    name: m.name.clone().unwrap_or_else(|| m.id.to_string()),
                    state: t.state,
                    since_ms: t.since_ms,
                })
            })
            .collect();
        Some(PublicStatus {
            title: page.title.clone(),
            public: page.public,
            language: plan.organization.language,
            timezone: plan.organization.timezone.clone(),
            monitors,
            at_ms,
        })
    }
}

/// Every tenant's status page, as the supervisor last saw it.
#[derive(Debug, Clone, Default)]
pub struct StatusBoard(Arc<RwLock<HashMap<String, PublicStatus>>>);

impl StatusBoard {
    pub fn get(&self, tenant: &str) -> Option<PublicStatus> {
        self.0.read().ok()?.get(tenant).cloned()
    }

    /// Replaces every page at once (tenants without one are dropped).
    pub fn replace(&self, pages: HashMap<String, PublicStatus>) {
        if let Ok(mut all) = self.0.write() {
            *all = pages;
        }
    }
}
