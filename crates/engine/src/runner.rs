//! The runner: claims due jobs with a lease, runs each with its executor,
//! renews the lease while it runs, records the end and the next run.
//!
//! Guarantees come from the store's claim: a job never overlaps itself, a
//! job runs on one server only, and a job whose server died is retried
//! once its lease has expired. A run missed while every server was down is
//! simply due: it runs once, and its next run is computed from then.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use rempart_core::plan::{Plan, Schedule};
use rempart_store::{ClaimedJob, RunEnd, Store, now_ms};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::Instrument;

use crate::executor::{self, Executor, Executors, JobContext, JobError};
use crate::metrics::Metrics;
use crate::plans::{PlanCache, active_plan};
use crate::timing;

#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// This process's name in leases: unique per running server.
    pub owner: String,
    /// How long a claim holds before another server may take the job over.
    pub lease: Duration,
    /// Most jobs one tenant may run at once, across all servers.
    pub per_tenant_limit: i64,
    /// Most jobs this process runs at once.
    pub max_running: usize,
    /// Longest sleep between two looks at the queue.
    pub poll: Duration,
    /// On shutdown, how long running jobs may take to finish.
    pub grace: Duration,
    /// The server's data dir: caches, and the base of plans sent by API.
    pub data_dir: PathBuf,
}

impl RunnerConfig {
    pub fn new(owner: impl Into<String>) -> Self {
        RunnerConfig {
            owner: owner.into(),
            lease: Duration::from_secs(60),
            per_tenant_limit: 4,
            max_running: 16,
            poll: Duration::from_millis(500),
            grace: Duration::from_secs(30),
            data_dir: PathBuf::from("rempart-data"),
        }
    }
}

pub struct Runner {
    store: Store,
    config: RunnerConfig,
    metrics: Arc<Metrics>,
    plans: PlanCache,
    /// Executors of job kinds run from above the engine.
    more: Arc<Executors>,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Runner {
    pub fn new(store: Store, config: RunnerConfig, metrics: Arc<Metrics>) -> Self {
        Runner {
            store,
            config,
            metrics,
            plans: PlanCache::default(),
            more: Arc::default(),
        }
    }

    /// Shares `plans` (parsed once for the whole server).
    #[must_use]
    pub fn with_plans(mut self, plans: PlanCache) -> Self {
        self.plans = plans;
        self
    }

    /// Runs jobs of `kind` with `executor` (a kind the engine plans but
    /// whose work lives in a crate above it).
    #[must_use]
    pub fn with_executor(mut self, kind: &str, executor: Arc<dyn Executor>) -> Self {
        Arc::make_mut(&mut self.more).insert(kind.to_owned(), executor);
        self
    }

    /// Runs until `shutdown` becomes true, then stops claiming, gives
    /// running jobs the grace period, cancels the rest and releases
    /// every lease this process holds.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let (cancel_tx, cancel_rx) = watch::channel(false);
        let mut running: JoinSet<()> = JoinSet::new();
        let mut store_down = false;
        loop {
            if *shutdown.borrow() {
                break;
            }
            while running.try_join_next().is_some() {}
            let mut claimed_any = false;
            while running.len() < self.config.max_running {
                let claim = self
                    .store
                    .claim(
                        &self.config.owner,
                        now_ms(),
                        millis(self.config.lease),
                        self.config.per_tenant_limit,
                    )
                    .await;
                if claim.is_ok() && store_down {
                    tracing::info!("the store answers again; claiming resumes");
                    store_down = false;
                }
                match claim {
                    Ok(Some(job)) => {
                        claimed_any = true;
                        let span = tracing::info_span!(
                            "job",
                            tenant = %job.tenant,
                            kind = %job.kind,
                            subject = %job.subject,
                            run = job.run_id,
                            attempt = job.attempt
                        );
                        running.spawn(
                            run_one(
                                self.store.clone(),
                                self.config.clone(),
                                self.metrics.clone(),
                                job,
                                cancel_rx.clone(),
                                self.plans.clone(),
                                self.more.clone(),
                            )
                            .instrument(span),
                        );
                    }
                    Ok(None) => break,
                    Err(e) => {
                        // The database went away: say it once, keep trying.
                        if !store_down {
                            tracing::error!(error = %e, "cannot claim jobs; retrying");
                            store_down = true;
                        }
                        break;
                    }
                }
            }
            if claimed_any {
                continue;
            }
            tokio::select! {
                _ = shutdown.changed() => {}
                _ = tokio::time::sleep(self.config.poll) => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
            }
        }
        tracing::info!(
            running = running.len(),
            grace_s = self.config.grace.as_secs(),
            "stopping: no new job; waiting for running jobs"
        );
        let drained = tokio::time::timeout(self.config.grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                left = running.len(),
                "grace period over: cancelling the remaining jobs"
            );
            let _ = cancel_tx.send(true);
            let _ = tokio::time::timeout(Duration::from_secs(5), async {
                while running.join_next().await.is_some() {}
            })
            .await;
            running.abort_all();
        }
        match self.store.release_all(&self.config.owner).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(released = n, "leases released"),
            Err(e) => tracing::error!(error = %e, "cannot release leases; they will expire"),
        }
    }
}

/// Resolves once `flag` is true (never, if its sender is gone). The
/// guard `wait_for` returns is not `Send`: it is dropped here.
pub(crate) async fn cancelled(flag: &mut watch::Receiver<bool>) {
    if flag.wait_for(|c| *c).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Runs the job's executor, renewing its lease alongside; a lost lease or
/// the end of the shutdown grace cancels it.
async fn run_leased(
    store: &Store,
    config: &RunnerConfig,
    job: &ClaimedJob,
    cx: &JobContext,
    cancel_tx: watch::Sender<bool>,
    mut shutdown_cancel: watch::Receiver<bool>,
    more: &Executors,
) -> executor::JobResult {
    let renew_every = config.lease / 3;
    let work = executor::run(cx, more);
    tokio::pin!(work);
    loop {
        tokio::select! {
            r = &mut work => break r,
            () = tokio::time::sleep(renew_every) => {
                let until = now_ms() + millis(config.lease);
                match store.renew(job, &config.owner, until).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!("lease lost to another server: stopping this run");
                        let _ = cancel_tx.send(true);
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot renew the lease"),
                }
            }
            () = cancelled(&mut shutdown_cancel) => {
                let _ = cancel_tx.send(true);
            }
        }
    }
}

/// One run of one job: the executor, with its lease renewed alongside.
async fn run_one(
    store: Store,
    config: RunnerConfig,
    metrics: Arc<Metrics>,
    job: ClaimedJob,
    shutdown_cancel: watch::Receiver<bool>,
    plans: PlanCache,
    more: Arc<Executors>,
) {
    metrics.jobs_running.fetch_add(1, Ordering::Relaxed);
    let (cancel_tx, cancel_rx) = watch::channel(false);
    let mut plan: Option<Arc<Plan>> = None;
    let result: executor::JobResult = match store.tenant(&job.tenant).await {
        Err(e) => Err(JobError::Transient(e.to_string())),
        Ok(tenant) => {
            let loaded = active_plan(&tenant, &config.data_dir, &plans).await;
            let env = match &loaded {
                Some(active) => active.resolver(&tenant).await,
                None => Ok(rempart_backup::secrets::Resolver::msp(&config.data_dir)),
            };
            plan = loaded.map(|a| a.plan);
            match env {
                Err(why) => Err(JobError::Transient(why)),
                Ok(env) => {
                    let scrubber = env.scrubber.clone();
                    let cx = JobContext {
                        store: store.clone(),
                        tenant: tenant.with_scrubber(scrubber.clone()),
                        job: job.clone(),
                        plan: plan.clone(),
                        env,
                        data_dir: config.data_dir.clone(),
                        cancel: cancel_rx,
                    };
                    run_leased(
                        &store,
                        &config,
                        &job,
                        &cx,
                        cancel_tx,
                        shutdown_cancel,
                        &more,
                    )
                    .await
                    .map_err(|why| why.map(|text| scrubber.scrub(&text)))
                }
            }
        }
    };
    let now = now_ms();
    let tz = plan
        .as_ref()
        .map_or("UTC", |p| p.organization.timezone.as_str())
        .to_owned();
    let key = format!("{}/{}/{}", job.tenant, job.kind, job.subject);
    let next_scheduled = job
        .schedule
        .as_deref()
        .and_then(|s| Schedule::parse(s).ok())
        .and_then(|s| timing::next_run(&key, &s, now, &tz));
    let end = match &result {
        Ok(written) => {
            metrics
                .evidence_written
                .fetch_add(*written, Ordering::Relaxed);
            tracing::info!(evidence = written, "job done");
            RunEnd {
                success: true,
                error: None,
                next_due_ms: next_scheduled,
            }
        }
        Err(why) if why.permanent() => {
            // Retrying cannot help: the job waits for its schedule (or a person).
            metrics.jobs_failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(error = %why, next = next_scheduled, "job failed; not retried before its next scheduled run");
            RunEnd {
                success: false,
                error: Some(why.to_string()),
                next_due_ms: next_scheduled,
            }
        }
        Err(why) => {
            metrics.jobs_failed.fetch_add(1, Ordering::Relaxed);
            let retry = timing::retry_at(job.attempt, now, next_scheduled);
            tracing::warn!(error = %why, retry_at = retry, "job failed");
            RunEnd {
                success: false,
                error: Some(why.to_string()),
                next_due_ms: retry,
            }
        }
    };
    metrics.jobs_run.fetch_add(1, Ordering::Relaxed);
    metrics.jobs_running.fetch_sub(1, Ordering::Relaxed);
    match store.finish(&job, &config.owner, now, &end).await {
        Ok(true) => {}
        Ok(false) => tracing::warn!("the lease had been lost; the new owner keeps the job"),
        Err(e) => {
            tracing::error!(error = %e, "cannot record the end of the run; the lease will expire and the job be retried")
        }
    }
}
