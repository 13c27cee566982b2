//! Tenants' active plans as the server runs them: parsed once per change
//! and shared, with the folder their relative paths start from, who wrote
//! them, and how their secrets resolve. A plan a client wrote is held
//! again to the trust rules each time it is handed out, so a folder the
//! MSP no longer allows stops being used at once.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rempart_backup::secrets::Resolver;
use rempart_core::plan::trust::Author;
use rempart_core::plan::{self, Plan};
use rempart_store::TenantScope;

use crate::trust;

/// Parsed active plans, per tenant, with the hash of the text they came
/// from: a plan is parsed only when it changed, once for every part of
/// the server that shares the cache (runner, supervisor, sender), one
/// parse at a time (a 10 000-monitor plan takes tens of MiB to parse).
#[derive(Clone, Default)]
pub struct PlanCache(Arc<PlanCacheInner>);

#[derive(Default)]
struct PlanCacheInner {
    plans: Mutex<HashMap<String, (String, Arc<Plan>)>>,
    parsing: tokio::sync::Mutex<()>,
    /// Client plans refused at run time, said once per plan and folders.
    refused: Mutex<HashSet<String>>,
}

impl PlanCache {
    fn get(&self, tenant: &str, sha256: &str) -> Option<Arc<Plan>> {
        let plans = self
            .0
            .plans
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        plans
            .get(tenant)
            .filter(|(sha, _)| sha == sha256)
            .map(|(_, plan)| plan.clone())
    }

    /// Whether `key` is refused for the first time (to say it once).
    fn first_refusal(&self, key: String) -> bool {
        self.0
            .refused
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key)
    }
}

/// A tenant's active plan, ready to run.
#[derive(Clone)]
pub struct ActivePlan {
    pub plan: Arc<Plan>,
    /// The folder relative paths start from: a plan file's folder, the
    /// data dir for an MSP plan sent through the API, the tenant's first
    /// allowed folder for a client's plan.
    pub base: PathBuf,
    pub author: Author,
}

impl ActivePlan {
    /// How this plan's secrets and paths resolve: the tenant's stored
    /// secrets are opened only when the plan names some; every secret the
    /// plan names that resolves is known to the resolver's scrubber.
    pub async fn resolver(&self, tenant: &TenantScope) -> Result<Resolver, String> {
        let mut env = Resolver::msp(&self.base);
        env.server_secrets = self.author == Author::Msp;
        if !self.plan.stored_secret_names().is_empty() {
            env = env.with_stored(tenant.secret_values().await.map_err(|e| e.to_string())?);
        }
        env.learn(&self.plan);
        Ok(env)
    }
}

/// The tenant's active plan, parsed; `None` when it has none, or when a
/// client wrote it and it no longer holds to the trust rules (logged once).
pub async fn active_plan(
    tenant: &TenantScope,
    data_dir: &Path,
    cache: &PlanCache,
) -> Option<ActivePlan> {
    let rempart_store::PlanHead {
        sha256,
        accepted_by,
        author,
        ..
    } = tenant.active_plan_head().await.ok()??;
    let plan = match cache.get(tenant.id(), &sha256) {
        Some(plan) => plan,
        None => parse(tenant, cache, &sha256).await?,
    };
    let base = match author {
        Author::Msp => accepted_by
            .strip_prefix("file:")
            .and_then(|f| Path::new(f).parent())
            .map_or_else(|| data_dir.to_owned(), Path::to_owned),
        Author::Client => {
            let roots = tenant.roots().await.ok()?;
            let allowed = trust::Roots::resolve(&roots);
            let findings = trust::client_findings(&plan, &plan::SourceMap::default(), &allowed);
            if let Some(first) = findings.first() {
                let key = format!("{}/{sha256}/{}", tenant.id(), roots.join(":"));
                if cache.first_refusal(key) {
                    tracing::error!(
                        tenant = tenant.id(),
                        problems = findings.len(),
                        "the plan a client wrote no longer holds to the trust rules; nothing of it runs until it is fixed: {} ({})",
                        first.message,
                        first.path
                    );
                }
                return None;
            }
            allowed.base().unwrap_or_else(|| data_dir.to_owned())
        }
    };
    Some(ActivePlan { plan, base, author })
}

/// Parses the tenant's active plan into the cache, one parse at a time.
async fn parse(tenant: &TenantScope, cache: &PlanCache, sha256: &str) -> Option<Arc<Plan>> {
    let _one_at_a_time = cache.0.parsing.lock().await;
    if let Some(plan) = cache.get(tenant.id(), sha256) {
        return Some(plan);
    }
    // The version read now (a newer one may have come since the hash).
    let version = tenant.active_plan().await.ok()??;
    let plan = Arc::new(plan::check(&version.source).plan?);
    cache
        .0
        .plans
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(tenant.id().to_owned(), (version.sha256, plan.clone()));
    drop(version.source);
    crate::trim_memory();
    Some(plan)
}
