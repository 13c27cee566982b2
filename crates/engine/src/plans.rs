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

/// A parsed plan version, with who sent it (read from the same row).
#[derive(Clone)]
struct Parsed {
    sha256: String,
    plan: Arc<Plan>,
    accepted_by: String,
    author: Author,
}

#[derive(Default)]
struct PlanCacheInner {
    plans: Mutex<HashMap<String, Parsed>>,
    parsing: tokio::sync::Mutex<()>,
    /// Client plans refused at run time, said once per plan and folders.
    refused: Mutex<HashSet<String>>,
}

impl PlanCache {
    fn get(&self, tenant: &str, sha256: &str) -> Option<Parsed> {
        let plans = self
            .0
            .plans
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        plans.get(tenant).filter(|p| p.sha256 == sha256).cloned()
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

/// The tenant's active plan, parsed; `None` when it has none, when the
/// store cannot be read, or when a client wrote it and it no longer holds
/// to the trust rules (logged once; see [`active_plan_checked`]).
pub async fn active_plan(
    tenant: &TenantScope,
    data_dir: &Path,
    cache: &PlanCache,
) -> Option<ActivePlan> {
    active_plan_checked(tenant, data_dir, cache)
        .await
        .ok()
        .flatten()
}

/// [`active_plan`], telling a plan refused by the trust rules (`Err`, why)
/// from none at all (`Ok(None)`).
pub async fn active_plan_checked(
    tenant: &TenantScope,
    data_dir: &Path,
    cache: &PlanCache,
) -> Result<Option<ActivePlan>, String> {
    let Ok(Some(head)) = tenant.active_plan_head().await else {
        return Ok(None);
    };
    let parsed = match cache.get(tenant.id(), &head.sha256) {
        Some(p) => p,
        None => match parse(tenant, cache, &head.sha256).await {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    // Who wrote it comes with the text it was parsed from, never from a
    // newer head read beside it.
    let Parsed {
        plan,
        accepted_by,
        author,
        sha256,
    } = parsed;
    let base = match author {
        Author::Msp => accepted_by
            .strip_prefix("file:")
            .and_then(|f| Path::new(f).parent())
            .map_or_else(|| data_dir.to_owned(), Path::to_owned),
        Author::Client => {
            let Ok(roots) = tenant.roots().await else {
                return Ok(None);
            };
            let allowed = trust::Roots::resolve(&roots);
            let findings = trust::client_findings(&plan, &plan::SourceMap::default(), &allowed);
            if let Some(first) = findings.first() {
                let why = format!(
                    "its plan (version sent by a client, or through the API before who sent it was recorded) holds what only the MSP may set: {} ({}); nothing of it runs until it is sent again",
                    first.message, first.path
                );
                let key = format!("{}/{sha256}/{}", tenant.id(), roots.join(":"));
                if cache.first_refusal(key) {
                    tracing::error!(tenant = tenant.id(), problems = findings.len(), "{why}");
                }
                return Err(why);
            }
            allowed.base().unwrap_or_else(|| data_dir.to_owned())
        }
    };
    Ok(Some(ActivePlan { plan, base, author }))
}

/// Parses the tenant's active plan into the cache, one parse at a time.
async fn parse(tenant: &TenantScope, cache: &PlanCache, sha256: &str) -> Option<Parsed> {
    let _one_at_a_time = cache.0.parsing.lock().await;
    if let Some(p) = cache.get(tenant.id(), sha256) {
        return Some(p);
    }
    // The version read now (a newer one may have come since the hash).
    let version = tenant.active_plan().await.ok()??;
    let parsed = Parsed {
        plan: Arc::new(plan::check(&version.source).plan?),
        sha256: version.sha256,
        accepted_by: version.accepted_by,
        author: version.author,
    };
    cache
        .0
        .plans
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(tenant.id().to_owned(), parsed.clone());
    drop(version.source);
    crate::trim_memory();
    Some(parsed)
}
