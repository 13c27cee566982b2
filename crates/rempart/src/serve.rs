//! `rempart serve`: loads the plans, runs the scheduler and its executors,
//! serves HTTP; stops gracefully on SIGTERM or Ctrl-C, reloads plans on SIGHUP.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};
use rempart_core::plan::trust::Author;
use rempart_core::plan::{self, finding};
use rempart_engine::{Metrics, Runner, RunnerConfig, planner};
use rempart_store::{Location, ManagedBy, Store, StoreError, now_ms};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

use crate::out::t;
use crate::{Global, exit};

#[derive(Args)]
pub struct ServeArgs {
    /// A directory of plans, one tenant per `*.toml` (the tenant id is the file name)
    #[arg(long, conflicts_with = "demo")]
    plans: Option<PathBuf>,
    /// Serve a demo plan written under the data dir (created on first
    /// start), as tenant "demo", apart from your own plans
    #[arg(long)]
    demo: bool,
    /// Serve the plan even when its tenant already holds another
    /// organisation's plan (that tenant's records stay, under the new plan)
    #[arg(long)]
    force: bool,
    /// Address to serve HTTP on
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The server's address as people reach it, for the acknowledgement
    /// links in alerts (default: http://LISTEN)
    #[arg(long, env = "REMPART_PUBLIC_URL")]
    public_url: Option<String>,
    /// Log lines as text or JSON
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// On SIGTERM, seconds running jobs may take to finish
    #[arg(long, default_value_t = 30)]
    grace: u64,
    /// Seconds a claimed job is reserved before another server may retry it
    #[arg(long, default_value_t = 60)]
    lease: u64,
    /// Most jobs one tenant runs at once, across servers
    #[arg(long, default_value_t = 4)]
    per_tenant_limit: i64,
    /// Most jobs this server runs at once
    #[arg(long, default_value_t = 16)]
    max_running: usize,
    /// Most monitor checks this server runs at once
    #[arg(long, default_value_t = 512)]
    max_checks: usize,
    /// A monitor's check is recorded as evidence at least this often
    /// (every change of result or state always is; every check is counted
    /// for the SLA); 0s records every check
    #[arg(long, default_value = "10m", value_parser = parse_duration)]
    record_every: std::time::Duration,
    /// Longest an HTTP request may take before it is answered 408
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    request_timeout: std::time::Duration,
    /// How long the acknowledgement link in an alert works after it is sent
    #[arg(long, default_value = "7d", value_parser = parse_duration)]
    ack_links_valid: std::time::Duration,
    /// New alerts (and recoveries) to one receiver closer than this go out
    /// together, in one message at the end of the window; the first of an
    /// incident goes at once; 0s sends each alone
    #[arg(long, default_value = "1m", value_parser = parse_duration)]
    group_alerts: std::time::Duration,
}

fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    rempart_core::plan::Duration::parse(text)
        .map(|d| std::time::Duration::from_millis(d.as_millis()))
        .map_err(|why| why.to_string())
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

use crate::tenancy::DEFAULT_TENANT;

/// The tenant of `serve --demo`: the demo never mixes with a plan of
/// one's own, which `serve -c FILE` serves as [`DEFAULT_TENANT`].
pub const DEMO_TENANT: &str = "demo";

/// Where the plans come from.
enum Source {
    /// One file, and the tenant it rules.
    File(PathBuf, String),
    /// `DIR/*.toml`, one tenant each.
    Dir(PathBuf),
    /// No plan file: the store's tenants, whose plans come through the
    /// API and the portal.
    Store,
}

/// The server's log lines by default: Rempart's own at info; the backup
/// engine's progress chatter (rustic's "getting snapshot...", one line per
/// phase, some empty) only when `REMPART_LOG` asks for it, its warnings
/// always.
const DEFAULT_LOG: &str = "info,rustic_core=warn,rustic_backend=warn,opendal=warn";

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("REMPART_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

pub fn run(g: &Global, args: ServeArgs) -> u8 {
    init_logs(args.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            fail!("cannot start the async runtime: {e}");
            return exit::USAGE;
        }
    };
    runtime.block_on(serve(g, args))
}

/// Ids of the tenants a plans directory defines, with their files.
fn plan_files(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            files.push((stem.to_owned(), path.clone()));
        }
    }
    files.sort();
    Ok(files)
}

/// Reads one plan file into its tenant: a valid plan becomes the active
/// version and sets the jobs; an invalid one is reported and the previous
/// version stays. A tenant that holds another organisation's plan file is
/// left as it is unless `force`. Returns whether the tenant has an active
/// plan.
async fn load(store: &Store, tenant: &str, file: &Path, force: bool) -> bool {
    let source = match crate::plan_cmd::read_text(file, rempart_i18n::Lang::En) {
        Ok(s) => s,
        Err(why) => {
            tracing::error!(tenant, "{why}; the previous version stays active");
            return false;
        }
    };
    // The absolute path: relative paths in the plan start from its folder.
    let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_owned());
    let ruled = ManagedBy::File(absolute.display().to_string());
    let checked = plan::check(&source);
    let organization = checked.plan.as_ref().map(|p| p.organization.name.clone());
    let scope = match store.tenant(tenant).await {
        Ok(s) => s,
        Err(StoreError::UnknownTenant(_)) => {
            let name = organization.clone().unwrap_or_else(|| tenant.to_owned());
            match store.upsert_tenant(tenant, &name, &ruled).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::error!(tenant, error = %e, "cannot create the tenant");
                    return false;
                }
            }
        }
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot read the tenant");
            return false;
        }
    };
    let held = match scope.info().await {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot read the tenant");
            return false;
        }
    };
    match held.managed_by {
        ManagedBy::Api => {
            // A plan sent through the API is never overwritten by a file.
            tracing::error!(
                tenant,
                file = %absolute.display(),
                "this tenant's plan comes through the API: the file is not loaded (remove it, or serve it under another tenant id)"
            );
            return matches!(scope.active_plan_head().await, Ok(Some(_)));
        }
        ManagedBy::File(previous) if ManagedBy::File(previous.clone()) != ruled => {
            // Another file: the same organisation's plan moved, or another
            // organisation's plan that would take over its records.
            if let Some(name) = organization.as_ref().filter(|n| **n != held.name)
                && !force
            {
                tracing::error!(
                    tenant,
                    "tenant \"{tenant}\" holds the plan of \"{}\" ({previous}); {} is the plan of \"{name}\": it is not loaded. Serve it under another tenant id (--tenant ID, or another file name in a plans directory), or let it take that tenant's place and records with --force",
                    held.name,
                    absolute.display()
                );
                return false;
            }
            tracing::info!(tenant, from = %previous, to = %absolute.display(), "the tenant's plan file moved");
            if let Err(e) = scope.set_managed_by(&ruled).await {
                tracing::error!(tenant, error = %e, "cannot record the plan file");
                return false;
            }
        }
        ManagedBy::File(_) => {}
    }
    let by = format!("file:{}", absolute.display());
    match planner::apply(&scope, &source, &by, Author::Msp).await {
        Ok((version, jobs)) => {
            // The tenant bears its organisation's name, as the plan says it.
            if let Some(name) = organization.filter(|n| *n != held.name)
                && let Err(e) = store.upsert_tenant(tenant, &name, &ruled).await
            {
                tracing::warn!(tenant, error = %e, "cannot rename the tenant");
            }
            tracing::info!(
                tenant,
                version = version.version,
                jobs = jobs.specs.len(),
                "plan loaded"
            );
            if let Some(valid) = checked.valid_plan() {
                warn_unresolved(&scope, &absolute, &source, &checked, valid).await;
            }
            for item in &jobs.not_run_yet {
                tracing::info!(
                    tenant,
                    "declared but not run by this version of Rempart yet: {item}"
                );
            }
            true
        }
        Err(StoreError::InvalidPlan(checked)) => {
            let report = finding::render(
                &file.display().to_string(),
                Some(&source),
                &checked.findings,
                rempart_i18n::Lang::En,
            );
            tracing::error!(
                tenant,
                "the plan has errors; the previous version stays active\n{report}"
            );
            matches!(scope.active_plan().await, Ok(Some(_)))
        }
        Err(e) => {
            tracing::error!(tenant, error = %e, "cannot store the plan");
            false
        }
    }
}

/// Says, as one warning, every secret of the plan that does not resolve
/// on this server and every path it names that does not exist, at their
/// lines: what would fail later, said when the plan is (re)loaded.
async fn warn_unresolved(
    scope: &rempart_store::TenantScope,
    file: &Path,
    source: &str,
    checked: &plan::Checked,
    valid: &plan::Plan,
) {
    let active = rempart_engine::ActivePlan {
        plan: Arc::new(valid.clone()),
        base: file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_owned),
        author: Author::Msp,
    };
    let env = match active.resolver(scope).await {
        Ok(env) => env,
        Err(why) => {
            tracing::warn!(
                tenant = scope.id(),
                "cannot read the tenant's stored secrets: {why}"
            );
            rempart_backup::secrets::Resolver::msp(&active.base)
        }
    };
    let findings = crate::plan_cmd::unresolved(checked, valid, &env);
    if findings.is_empty() {
        return;
    }
    let report = finding::render(
        &file.display().to_string(),
        Some(source),
        &findings,
        rempart_i18n::Lang::En,
    );
    tracing::warn!(
        tenant = scope.id(),
        unresolved = findings.len(),
        "secrets or paths the plan names cannot be found on this server; what needs them fails until they are:\n{}",
        env.scrubber.scrub(report.trim_end())
    );
}

/// Loads every plan of `source`; returns how many tenants have a plan.
async fn load_all(store: &Store, source: &Source, force: bool) -> usize {
    match source {
        Source::Store => 0,
        Source::File(file, tenant) => usize::from(load(store, tenant, file, force).await),
        Source::Dir(dir) => match plan_files(dir) {
            Ok(files) => {
                let mut loaded = 0;
                for (tenant, file) in files {
                    if let Err(why) = plan::Id::parse(&tenant) {
                        tracing::error!(file = %file.display(), "skipped: its name is not a tenant id ({why})");
                        continue;
                    }
                    loaded += usize::from(load(store, &tenant, &file, force).await);
                }
                loaded
            }
            Err(e) => {
                tracing::error!(dir = %dir.display(), error = %e, "cannot read the plans directory");
                0
            }
        },
    }
}

/// A name unique to this process among the servers sharing a store.
fn owner_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "host".into());
    format!("{host}:{}:{}", std::process::id(), now_ms())
}

async fn serve(g: &Global, args: ServeArgs) -> u8 {
    let location = match &g.database_url {
        Some(url) => Location::Url(url.clone()),
        None => Location::DataDir(g.data_dir.clone()),
    };
    let store = match Store::open(&location).await {
        Ok(s) => s.with_key_dir(&g.data_dir),
        Err(e) => {
            tracing::error!("{e}");
            return exit::USAGE;
        }
    };
    let source = if args.demo {
        match crate::demo::prepare(&g.data_dir) {
            Ok(file) => Source::File(file, DEMO_TENANT.to_owned()),
            Err(e) => {
                tracing::error!(
                    "cannot prepare the demo under {}: {e}",
                    g.data_dir.display()
                );
                return exit::USAGE;
            }
        }
    } else if let Some(dir) = &args.plans {
        Source::Dir(dir.clone())
    } else {
        let tenant = g
            .tenant
            .clone()
            .unwrap_or_else(|| DEFAULT_TENANT.to_owned());
        if let Err(why) = plan::Id::parse(&tenant) {
            tracing::error!("--tenant \"{tenant}\" is not a tenant id: {why}");
            return exit::USAGE;
        }
        let implicit =
            g.plan.is_none() && !std::path::Path::new(crate::tenancy::PLAN_FILE).exists();
        let tenants = store.tenants().await.map(|t| t.len()).unwrap_or_default();
        if implicit && tenants > 0 {
            tracing::info!(
                tenants,
                "no plan file: serving the store's tenants, whose plans come through the API and the portal"
            );
            Source::Store
        } else {
            Source::File(g.plan_path(), tenant)
        }
    };
    let loaded = load_all(&store, &source, args.force).await;
    rempart_engine::trim_memory();
    if loaded == 0 && matches!(source, Source::File(..)) {
        tracing::error!("no valid plan to serve: fix it (rempart plan check) and start again");
        return exit::FOUND;
    }
    if args.demo {
        if let Err(e) = crate::demo::ensure_token(&store, &g.data_dir).await {
            tracing::warn!(error = %e, "cannot write the demo API token");
        }
        crate::demo::init_repositories(&g.data_dir).await;
        crate::demo::first_runs(&store).await;
        crate::demo::other_clients(&store).await;
    }
    // The demo's portal logins, new at each start, shown once below.
    let demo_logins = if args.demo {
        match crate::demo::ensure_users(&store).await {
            Ok(logins) => logins,
            Err(why) => {
                tracing::warn!("cannot create the demo's portal users: {why}");
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };

    // Before anything answers (/healthz): a SIGTERM from then on stops
    // the server gracefully, never kills it mid-start.
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::error!("cannot install signal handlers");
        return exit::USAGE;
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(
                "cannot listen on {}: {e} (another server there? choose one with --listen)",
                args.listen
            );
            return exit::USAGE;
        }
    };
    let metrics = Arc::new(Metrics::default());
    let owner = owner_name();
    let mut config = RunnerConfig::new(owner.clone());
    config.lease = Duration::from_secs(args.lease.max(3));
    config.grace = Duration::from_secs(args.grace);
    config.per_tenant_limit = args.per_tenant_limit.max(1);
    config.max_running = args.max_running.max(1);
    config.data_dir = g.data_dir.clone();
    // The SMTP relay for e-mail alerts, checked before anything starts.
    let smtp = match rempart_engine::notify::channel::Smtp::from_env() {
        Ok(s) => s,
        Err(why) => {
            tracing::error!("{why}");
            return exit::USAGE;
        }
    };
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    // Plans parsed once for the runner, the supervisor and the sender.
    let plans = rempart_engine::PlanCache::default();
    let runner = tokio::spawn(
        Runner::new(store.clone(), config, metrics.clone())
            .with_plans(plans.clone())
            // The monthly SLA report: made by the report crate, above the engine.
            .with_executor(planner::SLA_REPORT, Arc::new(rempart_report::SlaReportJob))
            // The daily offline crisis kit, under <data dir>/kits/<tenant>/.
            .with_executor(planner::CRISIS_KIT, Arc::new(rempart_report::CrisisKitJob))
            .run(shutdown_rx.clone()),
    );
    // Every monitor, checked on its interval from memory; a heartbeat
    // also as soon as a ping for it is written.
    let (ping_wake, pinged) = tokio::sync::mpsc::unbounded_channel();
    // The tenants' status pages, kept from the supervisor's memory.
    let board = rempart_engine::StatusBoard::default();
    let supervisor = tokio::spawn(
        rempart_engine::Supervisor::new(
            store.clone(),
            rempart_engine::SupervisorConfig {
                data_dir: g.data_dir.clone(),
                max_checks: args.max_checks.max(1),
                sample_every: args.record_every,
                ..Default::default()
            },
            metrics.clone(),
        )
        .with_plans(plans.clone())
        .with_pings(pinged)
        .with_board(board.clone())
        .run(shutdown_rx.clone()),
    );
    // Notifications queued by jobs, drills and the API, delivered with retries.
    let mut sender = rempart_engine::notify::sender::Sender::new(
        store.clone(),
        owner.clone(),
        g.data_dir.clone(),
        smtp,
        Some(
            args.public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", args.listen)),
        ),
        i64::try_from(args.ack_links_valid.as_millis()).unwrap_or(i64::MAX),
    )
    .await
    .with_plans(plans.clone());
    sender.group_ms = i64::try_from(args.group_alerts.as_millis()).unwrap_or(i64::MAX);
    let sender = tokio::spawn(sender.run(shutdown_rx.clone()));

    // SLA buckets: minutes into hours after 48 h, hours into days after 90 days.
    let mut housekeeping_stop = shutdown_rx.clone();
    let housekeeping_store = store.clone();
    let housekeeping = tokio::spawn(async move {
        loop {
            match housekeeping_store
                .roll_up_buckets(rempart_store::now_ms())
                .await
            {
                Ok(n) if n > 0 => tracing::info!(buckets = n, "SLA buckets rolled up"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "cannot roll up SLA buckets"),
            }
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(3_600)) => {}
                _ = housekeeping_stop.wait_for(|s| *s) => break,
            }
        }
    });

    let app = rempart_web::router(rempart_web::AppState {
        store: store.clone(),
        metrics,
        pings: rempart_web::PingSink::spawn(store.clone(), Some(ping_wake)),
        plans,
        gauges: rempart_web::GaugeInputs::default(),
        request_timeout: args.request_timeout,
        data_dir: g.data_dir.clone(),
        shutdown: shutdown_rx.clone(),
        status: board,
        kept: rempart_web::Kept::default(),
        secure_cookies: args
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
    });
    tracing::info!(listen = %args.listen, owner, tenants = loaded, "rempart serve ready");
    if !demo_logins.is_empty() {
        let lang = g.lang(None);
        let address = args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", args.listen));
        let mut text = t!(lang, "demo-portal", address = address);
        for (email, role, password) in &demo_logins {
            let line = t!(
                lang,
                "demo-login",
                role = role.as_str(),
                email = email.as_str(),
                password = password.as_str()
            );
            text.push('\n');
            text.push_str(&line);
        }
        // For the person at the terminal, not the log: the passwords are
        // the demo's, new at each start.
        eprintln!("{text}");
    }
    let mut http_shutdown = shutdown_rx.clone();
    let http = tokio::spawn(async move {
        // The peer's address: the portal's per-address login limit.
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = http_shutdown.wait_for(|s| *s).await;
        })
        .await
    });

    loop {
        tokio::select! {
            _ = term.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
            _ = hup.recv() => {
                tracing::info!("SIGHUP: reloading plans");
                load_all(&store, &source, args.force).await;
                rempart_engine::trim_memory();
            }
        }
    }
    tracing::info!("stopping");
    let _ = shutdown_tx.send(true);
    let _ = runner.await;
    let _ = supervisor.await;
    let _ = sender.await;
    let _ = housekeeping.await;
    match http.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::error!(error = %e, "HTTP server error"),
        Err(e) => tracing::error!(error = %e, "HTTP task failed"),
    }
    store.close().await;
    tracing::info!("stopped");
    0
}
