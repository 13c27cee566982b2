//! `drill`: runs a scenario on its drill schedule (see [`crate::drill`]).
//! A drill that ran and failed is a success of the job: its evidence says
//! what failed.

use std::sync::Arc;

use super::{JobContext, JobResult};
use crate::drill::{self, Drill};

pub const KIND: &str = "drill";

pub async fn run(cx: &JobContext) -> JobResult {
    let plan = Arc::clone(cx.plan()?);
    let d = Drill {
        tenant: &cx.tenant,
        plan,
        env: cx.env.clone(),
        data_dir: cx.data_dir.clone(),
        cancel: cx.cancel.clone(),
        job_run: Some(cx.job.run_id),
        report: None,
        lang: rempart_i18n::Lang::En,
    };
    let ran = drill::run(&d, &cx.job.subject).await?;
    Ok(ran.steps.len() as u64 + 1)
}
