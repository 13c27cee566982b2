//! Rempart's engine: what the plan asks to run, when, and the executors
//! that run it.
//!
//! - [`planner`] turns a tenant's plan into job specifications;
//! - [`timing`] computes when a job runs next (schedule, jitter, backoff);
//! - [`executor`] holds one module per job kind behind one trait;
//! - [`drill`] runs a scenario's steps for real and records the achieved
//!   RTO and RPO; [`status`] assesses a tenant from its plan and evidence;
//! - [`supervisor`] checks every monitor on its interval from memory;
//! - [`runner`] claims due jobs from the store with a lease, runs them,
//!   renews the lease while they run, and stops gracefully.

pub mod audit;
pub mod board;
pub mod crisis;
pub mod drill;
pub mod executor;
pub mod metrics;
pub mod notify;
pub mod planner;
pub mod plans;
pub mod probe;
pub mod reach;
pub mod runner;
pub mod shell;
pub mod status;
pub mod supervisor;
pub mod timing;
pub mod trust;

pub use board::{PublicStatus, StatusBoard};
pub use metrics::Metrics;
pub use plans::{ActivePlan, PlanCache, active_plan, active_plan_checked};
pub use runner::{Runner, RunnerConfig};
pub use supervisor::{Supervisor, SupervisorConfig};

/// Gives the memory freed since to the system (glibc keeps freed heap
/// otherwise: after parsing a large plan, tens of MiB of it).
pub fn trim_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks and releases the allocator's free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
