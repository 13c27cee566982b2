//! Which tenant, and which plan, a one-shot command means. Every command
//! looks for its plan in the same order: the file `-c FILE` or
//! `$REMPART_PLAN` names (which must exist), else `./rempart.toml`, else the
//! plan the store holds for the tenant; when none is found the error says
//! what was tried.
//!
//! - `--tenant T` (or `$REMPART_TENANT`): that tenant, which must exist;
//!   its plan is its file when a file on this server rules it, its stored
//!   plan otherwise.
//! - Otherwise, when there is a plan file: the tenant that file rules. A
//!   command that writes evidence into a store that has no tenant at all
//!   creates `default` for it and says so; nothing else ever creates a
//!   tenant.
//! - Otherwise the store's only tenant.
//!
//! When none of these says which tenant, the error lists the store's
//! tenants and what rules each.

use std::path::{Path, PathBuf};

use rempart_backup::secrets::Resolver;
use rempart_core::plan::trust::Author;
use rempart_core::plan::{self, Plan};
use rempart_store::{Location, ManagedBy, Store, StoreError, Tenant, TenantScope};

use rempart_i18n::{Lang, t};

use crate::{Global, exit};

/// The tenant a server with one plan file (`serve -c FILE`) gives it.
pub const DEFAULT_TENANT: &str = "default";

/// The plan file looked for in the current folder.
pub const PLAN_FILE: &str = "rempart.toml";

/// The plan file to use: the one `-c` or `$REMPART_PLAN` names (an error
/// when it does not exist), else `./rempart.toml` when there is one.
pub fn plan_file(g: &Global) -> Result<Option<PathBuf>, u8> {
    match &g.plan {
        Some(file) if file.exists() => Ok(Some(file.clone())),
        Some(file) => {
            let lang = g.lang(None);
            fail!(
                "{}",
                t!(
                    lang,
                    "cli-plan-missing",
                    file = file.display().to_string(),
                    default = PLAN_FILE
                )
            );
            Err(exit::USAGE)
        }
        None => Ok(Path::new(PLAN_FILE)
            .exists()
            .then(|| PathBuf::from(PLAN_FILE))),
    }
}

/// Whether the options name a store that exists (a database URL, or the
/// embedded store's file).
fn store_exists(g: &Global) -> bool {
    g.database_url.is_some() || g.data_dir.join(rempart_store::DATABASE_FILE).exists()
}

/// What was tried to find a plan, for an error that found none.
fn tried(g: &Global) -> String {
    let here = std::env::current_dir().map_or_else(|_| ".".into(), |d| d.display().to_string());
    let lang = g.lang(None);
    let store = if store_exists(g) {
        t!(lang, "cli-store-no-plan")
    } else {
        let file = g.data_dir.join(rempart_store::DATABASE_FILE);
        t!(lang, "cli-no-store-at", file = file.display().to_string())
    };
    t!(
        lang,
        "cli-no-plan-found",
        default = PLAN_FILE,
        here = here,
        store = store
    )
}

/// What the command will do with the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Only read: never creates a store or a tenant.
    Read,
    /// Write evidence: a store without any tenant gets `default`, ruled
    /// by the plan file.
    Write,
}

/// A tenant and its plan, ready for a command.
pub struct Tenancy {
    pub scope: TenantScope,
    pub plan: Plan,
    /// How the plan's secrets and paths resolve on this machine.
    pub env: Resolver,
}

/// The store the global options name. A read never creates one.
pub async fn store(g: &Global, intent: Intent) -> Result<Store, u8> {
    let location = match &g.database_url {
        Some(url) => Location::Url(url.clone()),
        None => {
            let file = g.data_dir.join(rempart_store::DATABASE_FILE);
            if intent == Intent::Read && !file.exists() {
                if plan_file(g)?.is_none() {
                    fail!("{}", tried(g));
                } else {
                    let file = file.display().to_string();
                    fail!(
                        "{}",
                        t!(g.lang(None), "cli-no-store-start-serve", file = file)
                    );
                }
                return Err(exit::USAGE);
            }
            Location::DataDir(g.data_dir.clone())
        }
    };
    Store::open(&location)
        .await
        .map(|s| s.with_key_dir(&g.data_dir))
        .map_err(|e| {
            fail!("{e}");
            exit::USAGE
        })
}

/// A command that writes evidence creates the store only for a plan
/// file, which then rules its tenant; without one it says what it tried.
fn no_store_without_a_plan(g: &Global) -> Result<(), u8> {
    if !store_exists(g) && plan_file(g)?.is_none() {
        fail!("{}", tried(g));
        return Err(exit::USAGE);
    }
    Ok(())
}

/// The tenant (see the module's rules), for commands that need no plan.
pub async fn scope(g: &Global, intent: Intent) -> Result<TenantScope, u8> {
    no_store_without_a_plan(g)?;
    let store = store(g, intent).await?;
    let tenant = pick(g, &store, intent).await?;
    store.tenant(&tenant.id).await.map_err(fail)
}

/// The tenant (see the module's rules) and its plan.
pub async fn open(g: &Global, intent: Intent) -> Result<Tenancy, u8> {
    no_store_without_a_plan(g)?;
    let store = store(g, intent).await?;
    let tenant = pick(g, &store, intent).await?;
    let scope = store.tenant(&tenant.id).await.map_err(fail)?;
    let (plan, base, author) = match &tenant.managed_by {
        ManagedBy::File(path) => {
            let path = PathBuf::from(path);
            let text = read(g, &path)?;
            let plan = valid(g, &path.display().to_string(), &text)?;
            if intent == Intent::Write {
                accept(&scope, &path, &text).await?;
            }
            (plan, folder(&path), Author::Msp)
        }
        ManagedBy::Api => {
            let data_dir = absolute(&g.data_dir);
            let cache = rempart_engine::PlanCache::default();
            let Some(active) = rempart_engine::active_plan(&scope, &data_dir, &cache).await else {
                let id = tenant.id.as_str();
                fail!(
                    "{}",
                    t!(g.lang(None), "cli-tenant-no-runnable-plan", tenant = id)
                );
                return Err(exit::USAGE);
            };
            ((*active.plan).clone(), active.base, active.author)
        }
    };
    let mut env = Resolver::msp(&base);
    env.server_secrets = author == Author::Msp;
    if !plan.stored_secret_names().is_empty() {
        env = env.with_stored(scope.secret_values().await.map_err(fail)?);
    }
    env.learn(&plan);
    let scope = scope.with_scrubber(env.scrubber.clone());
    Ok(Tenancy { scope, plan, env })
}

/// Which tenant the options and the plan file name (the module's rules).
async fn pick(g: &Global, store: &Store, intent: Intent) -> Result<Tenant, u8> {
    let tenants = store.tenants().await.map_err(fail)?;
    let file = plan_file(g)?.map(|f| absolute(&f));
    Ok(match (&g.tenant, &file) {
        (Some(id), _) => tenants
            .iter()
            .find(|t| &t.id == id)
            .cloned()
            .ok_or_else(|| {
                let lang = g.lang(None);
                let list = listed(lang, &tenants);
                fail!(
                    "{}",
                    t!(
                        lang,
                        "cli-no-such-tenant",
                        tenant = id.as_str(),
                        list = list
                    )
                );
                exit::USAGE
            })?,
        (None, Some(file)) => {
            let ruled = ManagedBy::File(file.display().to_string());
            match tenants.iter().find(|t| t.managed_by == ruled) {
                Some(t) => t.clone(),
                None if tenants.is_empty() && intent == Intent::Write => {
                    let text = read(g, file)?;
                    let name = plan::check(&text)
                        .plan
                        .map_or_else(|| DEFAULT_TENANT.to_owned(), |p| p.organization.name);
                    store
                        .upsert_tenant(DEFAULT_TENANT, &name, &ruled)
                        .await
                        .map_err(fail)?;
                    eprintln!(
                        "note: this store had no tenant: tenant \"{DEFAULT_TENANT}\" now holds the plan {}",
                        file.display()
                    );
                    store
                        .tenant(DEFAULT_TENANT)
                        .await
                        .map_err(fail)?
                        .info()
                        .await
                        .map_err(fail)?
                }
                None => {
                    let lang = g.lang(None);
                    let list = listed(lang, &tenants);
                    let file = file.display().to_string();
                    fail!(
                        "{}",
                        t!(lang, "cli-no-tenant-for-plan", file = file, list = list)
                    );
                    return Err(exit::USAGE);
                }
            }
        }
        (None, None) => match tenants.as_slice() {
            [only] => only.clone(),
            [] => {
                fail!("{}", tried(g));
                return Err(exit::USAGE);
            }
            _ => {
                let lang = g.lang(None);
                let list = listed(lang, &tenants);
                fail!(
                    "{}",
                    t!(lang, "cli-which-tenant", default = PLAN_FILE, list = list)
                );
                return Err(exit::USAGE);
            }
        },
    })
}

/// The plan, for commands that need no store (`repo init`, `backup
/// list`, `verify`): the plan file with the tenant's stored secrets when a
/// tenant holds it; without a plan file, the plan the store holds for the
/// tenant. The same order as every command (see the module).
pub async fn plan_only(g: &Global) -> Result<(Plan, Resolver), u8> {
    let Some(file) = plan_file(g)? else {
        if g.tenant.is_some() || store_exists(g) {
            return open(g, Intent::Read).await.map(|t| (t.plan, t.env));
        }
        fail!("{}", tried(g));
        return Err(exit::USAGE);
    };
    if g.tenant.is_some() || store_exists(g) {
        let store = store(g, Intent::Read).await?;
        let tenants = store.tenants().await.map_err(fail)?;
        let ruled = ManagedBy::File(absolute(&file).display().to_string());
        if g.tenant.is_some() || tenants.iter().any(|t| t.managed_by == ruled) {
            return open(g, Intent::Read).await.map(|t| (t.plan, t.env));
        }
    }
    let text = read(g, &file)?;
    let plan = valid(g, &file.display().to_string(), &text)?;
    Ok((plan, Resolver::msp(&folder(&absolute(&file)))))
}

/// A plan's text as `plan check` and `plan show` read it, in the same
/// order as every command: the plan file, else the plan the store holds
/// for the tenant (its file, or the version sent through the API).
pub struct PlanText {
    /// How findings name it: the file, or `tenant "acme" plan v3`.
    pub name: String,
    pub text: String,
    /// The folder its relative paths start from.
    pub base: PathBuf,
}

/// The plan's text (see [`PlanText`]); never creates a store or a tenant.
pub fn plan_text(g: &Global) -> Result<PlanText, u8> {
    if let Some(file) = plan_file(g)? {
        let text = read(g, &file)?;
        return Ok(PlanText {
            name: file.display().to_string(),
            base: folder(&file),
            text,
        });
    }
    if g.tenant.is_none() && !store_exists(g) {
        fail!("{}", tried(g));
        return Err(exit::USAGE);
    }
    crate::evidence_cmd::block_on(async {
        let store = store(g, Intent::Read).await?;
        let tenant = pick(g, &store, Intent::Read).await?;
        match &tenant.managed_by {
            ManagedBy::File(path) => {
                let path = PathBuf::from(path);
                let text = read(g, &path)?;
                Ok(PlanText {
                    name: path.display().to_string(),
                    base: folder(&path),
                    text,
                })
            }
            ManagedBy::Api => {
                let scope = store.tenant(&tenant.id).await.map_err(fail)?;
                let Some(version) = scope.active_plan().await.map_err(fail)? else {
                    let id = tenant.id.as_str();
                    fail!("{}", t!(g.lang(None), "cli-tenant-no-plan", tenant = id));
                    return Err(exit::USAGE);
                };
                Ok(PlanText {
                    name: format!("tenant \"{}\" plan v{}", tenant.id, version.version),
                    base: absolute(&g.data_dir),
                    text: version.source,
                })
            }
        }
    })
}

fn fail(e: StoreError) -> u8 {
    fail!("{e}");
    exit::USAGE
}

/// The tenants, one a line, to end an error with.
fn listed(lang: Lang, tenants: &[Tenant]) -> String {
    if tenants.is_empty() {
        return t!(lang, "cli-tenants-none");
    }
    let lines: Vec<String> = tenants
        .iter()
        .map(|t| {
            let rule = match &t.managed_by {
                ManagedBy::File(f) => t!(lang, "cli-tenant-ruled-by-file", file = f.as_str()),
                ManagedBy::Api => t!(lang, "cli-tenant-ruled-by-api"),
            };
            format!("  {} — {} ({rule})", t.id, t.name)
        })
        .collect();
    t!(lang, "cli-tenants-name-one", list = lines.join("\n"))
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_owned())
    })
}

/// The folder a plan file's relative paths start from.
fn folder(file: &Path) -> PathBuf {
    file.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

fn read(g: &Global, path: &Path) -> Result<String, u8> {
    crate::plan_cmd::read_text(path, g.lang(None)).map_err(|why| {
        fail!("{why}");
        exit::USAGE
    })
}

/// The plan of `text`, or every problem it has on stderr.
fn valid(g: &Global, name: &str, text: &str) -> Result<Plan, u8> {
    let checked = plan::check(text);
    match checked.valid_plan() {
        Some(p) => Ok(p.clone()),
        None => {
            let lang = g.lang_checked(&checked);
            eprint!(
                "{}",
                plan::finding::render(name, Some(text), &checked.findings, lang)
            );
            fail!("{}", t!(lang, "cli-plan-has-errors"));
            Err(exit::USAGE)
        }
    }
}

/// Makes the file's text the tenant's active plan, as a reload of
/// `serve` would, so evidence written by hand sits with the plan it ran.
async fn accept(scope: &TenantScope, file: &Path, text: &str) -> Result<(), u8> {
    let by = format!("file:{}", file.display());
    rempart_engine::planner::apply(scope, text, &by, Author::Msp)
        .await
        .map(|_| ())
        .map_err(fail)
}
