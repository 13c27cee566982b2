//! The monthly SLA report's job (`sla-report`, planned by the engine on
//! the 1st of each month in the organisation's time zone): the previous
//! month's report is made as a PDF in the organisation's language, kept
//! as a `report` record ([`crate::make`]), and queued in the outbox, PDF
//! attached, for each contact of the plan's `[sla] report_to`.
//!
//! Once per month, whatever happens: the e-mails are queued in one
//! transaction under the key `sla-report/YYYY-MM`, and a run that finds
//! that key already queued (a retry after a crash, a second server, a
//! "run now") does nothing. A run that dies after keeping its record but
//! before queueing makes the document again when retried: the e-mails
//! carry that second document, whose digest its own record keeps.

use std::future::Future;
use std::pin::Pin;

use rempart_engine::executor::{Executor, JobContext, JobError, JobResult};
use rempart_engine::notify::{self, Message};
use rempart_i18n::{Lang, t};
use rempart_store::{Attachment, now_ms};

use crate::{Format, Kind, ReportError, Wanted};

/// The executor the server hands to the runner for
/// [`rempart_engine::planner::SLA_REPORT`] jobs.
pub struct SlaReportJob;

impl Executor for SlaReportJob {
    fn run<'a>(
        &'a self,
        cx: &'a JobContext,
    ) -> Pin<Box<dyn Future<Output = JobResult> + Send + 'a>> {
        Box::pin(run(cx))
    }
}

/// What the outbox holds a month's e-mails under.
pub fn dedup_key(month: &str) -> String {
    format!("sla-report/{month}")
}

fn failed(e: ReportError) -> JobError {
    match e {
        ReportError::Usage(why) => JobError::Permanent(why),
        // The store or the PDF engine: worth another try.
        other => JobError::Transient(other.to_string()),
    }
}

async fn run(cx: &JobContext) -> JobResult {
    let plan = cx.plan()?;
    let to: Vec<String> = plan
        .sla
        .as_ref()
        .map(|s| s.report_to.iter().map(ToString::to_string).collect())
        .unwrap_or_default();
    if to.is_empty() {
        return Ok(0);
    }
    let tz = plan.organization.timezone.as_str();
    let month = rempart_core::sla::month_before(now_ms(), tz).ok_or_else(|| {
        JobError::Permanent(format!(
            "the organisation's time zone \"{tz}\" is not one this server knows"
        ))
    })?;
    let key = dedup_key(&month);
    if cx.tenant.queued(&key).await.map_err(|e| e.to_string())? {
        return Ok(0);
    }
    let lang: Lang = plan.organization.language.into();
    let locations = crate::locations(plan, |p| cx.env.path(p).display().to_string());
    let sources = crate::gather(
        &cx.tenant,
        plan,
        &Wanted {
            kind: Kind::Sla,
            month: Some(month.clone()),
            run: None,
            crisis: None,
        },
        lang,
        locations,
        Some(cx.env.base.clone()),
        now_ms(),
    )
    .await
    .map_err(failed)?;
    let made = crate::make(
        &cx.tenant,
        &sources,
        Kind::Sla,
        Format::Pdf,
        &format!("job:{}", rempart_engine::planner::SLA_REPORT),
        now_ms(),
    )
    .await
    .map_err(failed)?;
    let organization = plan.organization.name.as_str();
    let period = crate::sla::period_text(&sources);
    let message = Message {
        subject: t!(
            lang,
            "sla-doc-mail-subject",
            organization = organization,
            period = period.as_str()
        ),
        text: t!(
            lang,
            "sla-doc-mail-text",
            organization = organization,
            period = period.as_str(),
            summary = crate::sla::summary_text(&sources),
            sha256 = made.sha256.as_str(),
            seq = made.evidence.seq
        ),
        kind: "report",
        alert: None,
    };
    let attachment = Attachment {
        file_name: format!("sla-{}-{month}.pdf", cx.tenant.id()),
        content_type: made.format.content_type().to_owned(),
        content: made.bytes,
    };
    notify::queue_with(&cx.tenant, plan, &to, &message, &key, Some(&attachment)).await?;
    Ok(1)
}
