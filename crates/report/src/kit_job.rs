//! The daily crisis kit job (`crisis-kit`, planned by the engine for a
//! plan that prepares crisis mode): the tenant's kit is made again in the
//! organisation's language and put in `<data dir>/kits/<tenant>/` in
//! place of the previous one, atomically ([`crate::kit::write`]), so the
//! folder an MSP copies or syncs elsewhere is never half written. A kit
//! the same to the byte as the one in place (no new evidence, the same
//! plan) is neither written nor recorded again.

use std::future::Future;
use std::pin::Pin;

use rempart_engine::executor::{Executor, JobContext, JobError, JobResult};
use rempart_i18n::Lang;
use rempart_store::now_ms;

use crate::ReportError;
use crate::kit::KitError;

/// The executor the server hands to the runner for
/// [`rempart_engine::planner::CRISIS_KIT`] jobs.
pub struct CrisisKitJob;

impl Executor for CrisisKitJob {
    fn run<'a>(
        &'a self,
        cx: &'a JobContext,
    ) -> Pin<Box<dyn Future<Output = JobResult> + Send + 'a>> {
        Box::pin(run(cx))
    }
}

/// Where the server keeps `tenant`'s kit.
pub fn kit_dir(data_dir: &std::path::Path, tenant: &str) -> std::path::PathBuf {
    data_dir.join("kits").join(tenant)
}

fn failed(e: KitError) -> JobError {
    match e {
        KitError::Report(ReportError::Usage(why)) => JobError::Permanent(why),
        // A folder that is not a kit stays until someone moves it.
        KitError::NotAKit(_) => JobError::Permanent(e.to_string()),
        // The store, the PDF engine, the disk: worth another try.
        other => JobError::Transient(other.to_string()),
    }
}

async fn run(cx: &JobContext) -> JobResult {
    let plan = cx.plan()?;
    let lang: Lang = plan.organization.language.into();
    let written = crate::kit::produce(
        &cx.tenant,
        plan,
        &cx.env.base,
        lang,
        &kit_dir(&cx.data_dir, cx.tenant.id()),
        &format!("job:{}", rempart_engine::planner::CRISIS_KIT),
        now_ms(),
        true,
    )
    .await
    .map_err(failed)?;
    Ok(u64::from(written.is_some()))
}
