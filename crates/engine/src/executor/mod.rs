//! Executors: one module per job kind. Each reads what it needs from the
//! job context, does the work, and writes its evidence.

pub mod adopt;
pub mod backup;
pub mod drill;
pub mod evidence_audit;
pub mod verify;

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use rempart_backup::secrets::Resolver;
use rempart_backup::stop::Stop;
use rempart_core::plan::Plan;
use rempart_store::{ClaimedJob, Store, TenantScope};
use tokio::sync::watch;

/// What an executor gets to do one run of a job.
pub struct JobContext {
    pub store: Store,
    pub tenant: TenantScope,
    pub job: ClaimedJob,
    /// The tenant's active plan, if it has one.
    pub plan: Option<Arc<Plan>>,
    /// How the plan's secrets and paths resolve (its relative paths start
    /// from the plan file's folder, the data dir for a plan sent through
    /// the API, or a client's first allowed folder).
    pub env: Resolver,
    /// The server's data dir (caches live under it).
    pub data_dir: PathBuf,
    /// Becomes true when the run must stop: shutdown past its grace
    /// period, or the lease was lost to another server.
    pub cancel: watch::Receiver<bool>,
}

/// Ends the watch on a run's cancellation when the run ends.
pub struct StopGuard(tokio::task::JoinHandle<()>);

impl StopGuard {
    /// Aborts `watch` when dropped.
    pub fn new(watch: tokio::task::JoinHandle<()>) -> StopGuard {
        StopGuard(watch)
    }
}

impl Drop for StopGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl JobContext {
    /// The plan's resolver for work that must stop past `timeout` (`what`
    /// names it) or when the run is cancelled (shutdown past its grace, the
    /// lease lost to another server). Keep the guard while the work runs.
    pub fn stoppable(
        &self,
        timeout: rempart_core::plan::Duration,
        what: &str,
    ) -> (Resolver, StopGuard) {
        let mut env = self.env.clone();
        env.stop = Stop::never();
        env.stop.after(
            std::time::Duration::from_millis(timeout.as_millis()),
            format!("{what} ran past its timeout ({timeout})"),
        );
        let stop = env.stop.clone();
        let mut cancel = self.cancel.clone();
        let watch = tokio::spawn(async move {
            crate::runner::cancelled(&mut cancel).await;
            stop.stop(
                "the run was cancelled: the server is stopping, or another server took its lease",
            );
        });
        (env, StopGuard(watch))
    }

    /// The tenant's active plan, or why the job cannot run without one.
    pub fn plan(&self) -> Result<&Arc<Plan>, JobError> {
        self.plan.as_ref().ok_or_else(|| {
            JobError::Permanent(format!(
                "tenant \"{}\" has no active plan it may run",
                self.tenant.id()
            ))
        })
    }
}

/// Why a run could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Retrying cannot help until the plan, a secret or the server
    /// changes (no plan, an unknown kind, a wrong password): the job
    /// waits for its next scheduled run.
    #[error("{0}")]
    Permanent(String),
    /// Worth trying again soon (a store, a network, a repository that did
    /// not answer): retried with backoff.
    #[error("{0}")]
    Transient(String),
}

impl JobError {
    pub fn permanent(&self) -> bool {
        matches!(self, JobError::Permanent(_))
    }

    /// The same kind of error, its text changed.
    #[must_use]
    pub fn map(self, f: impl FnOnce(String) -> String) -> JobError {
        match self {
            JobError::Permanent(s) => JobError::Permanent(f(s)),
            JobError::Transient(s) => JobError::Transient(f(s)),
        }
    }
}

impl From<String> for JobError {
    fn from(why: String) -> JobError {
        JobError::Transient(why)
    }
}

impl From<rempart_backup::BackupError> for JobError {
    fn from(e: rempart_backup::BackupError) -> JobError {
        use rempart_backup::BackupError as B;
        let permanent = matches!(
            e,
            B::Secret { .. }
                | B::WrongPassword { .. }
                | B::NotInitialised { .. }
                | B::NotInPlan { .. }
                | B::Usage(_)
        );
        if permanent {
            JobError::Permanent(e.to_string())
        } else {
            JobError::Transient(e.to_string())
        }
    }
}

/// The number of evidence records written, or why the run could not be
/// done. A run that was done and found a problem (a probe that failed) is
/// a success of the job: its evidence says what it found.
pub type JobResult = Result<u64, JobError>;

/// The executor of a job kind that the engine plans but that a crate
/// above it runs: the monthly SLA report is made by the report crate,
/// which depends on the engine. The server hands these to the runner
/// ([`crate::Runner::with_executor`]).
pub trait Executor: Send + Sync {
    /// Runs one job of its kind, as the executors here do.
    fn run<'a>(
        &'a self,
        cx: &'a JobContext,
    ) -> Pin<Box<dyn Future<Output = JobResult> + Send + 'a>>;
}

/// The executors from above the engine, by job kind.
pub type Executors = BTreeMap<String, Arc<dyn Executor>>;

/// Runs one job with the executor of its kind (the engine's own, else one
/// of `more`).
pub async fn run(cx: &JobContext, more: &Executors) -> JobResult {
    match cx.job.kind.as_str() {
        evidence_audit::KIND => evidence_audit::run(cx).await,
        backup::KIND => backup::run(cx).await,
        adopt::KIND => adopt::run(cx).await,
        verify::KIND => verify::run(cx).await,
        drill::KIND => drill::run(cx).await,
        other => match more.get(other) {
            Some(executor) => executor.run(cx).await,
            None => Err(JobError::Permanent(format!(
                "this version of Rempart has no executor for jobs of kind \"{other}\""
            ))),
        },
    }
}
