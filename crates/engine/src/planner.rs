//! From a tenant's plan to the jobs the scheduler keeps for it.

use rempart_core::plan::trust::Author;
use rempart_core::plan::{self, Plan, Schedule};
use rempart_store::{JobSpec, PlanVersion, StoreError, TenantScope, now_ms};

use crate::executor::{adopt, backup, drill, evidence_audit, verify};
use crate::timing;

/// The jobs a plan asks for, and what it asks for that this version of
/// Rempart does not run yet (said once in the log, never silently dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jobs {
    pub specs: Vec<JobSpec>,
    pub not_run_yet: Vec<String>,
}

/// How often each tenant's evidence log is re-verified.
pub const EVIDENCE_AUDIT_EVERY: &str = "every 1d";

/// The monthly SLA report's job: the previous month's report made and
/// e-mailed to the plan's `[sla] report_to` contacts. Its executor is the
/// report crate's (handed to the runner by the server).
pub const SLA_REPORT: &str = "sla-report";
/// Its subject: one such job per tenant.
pub const SLA_REPORT_SUBJECT: &str = "monthly";
/// On the 1st of each month at 06:00, in the organisation's time zone.
pub const SLA_REPORT_SCHEDULE: &str = "0 6 1 * *";

/// The offline crisis kit, made again each day for a plan that prepares
/// crisis mode (`[crisis]` or a `[[crisis_task]]`) and written to
/// `<data dir>/kits/<tenant>/`. Its executor is the report crate's.
pub const CRISIS_KIT: &str = "crisis-kit";
/// Its subject: one such job per tenant.
pub const CRISIS_KIT_SUBJECT: &str = "daily";

/// The jobs of `plan` for `tenant`, new ones first due from `now_ms`.
pub fn jobs(tenant: &str, plan: &Plan, now_ms: i64) -> Jobs {
    let tz = plan.organization.timezone.as_str();
    let mut specs = Vec::new();
    let mut not_run_yet = Vec::new();

    let audit = Schedule::parse(EVIDENCE_AUDIT_EVERY).ok();
    let key = format!("{tenant}/{}/evidence-log", evidence_audit::KIND);
    specs.push(JobSpec {
        kind: evidence_audit::KIND.into(),
        subject: evidence_audit::SUBJECT.into(),
        schedule: audit.as_ref().map(ToString::to_string),
        first_due_ms: audit.and_then(|s| timing::next_run(&key, &s, now_ms, tz)),
    });

    // Monitors are the supervisor's (checked from memory, not queued as
    // jobs); one it cannot schedule is said, not dropped silently.
    for m in &plan.monitors {
        if crate::supervisor::every(m).is_none() {
            not_run_yet.push(format!("monitor \"{}\" ({})", m.id, m.kind));
        }
    }
    for b in &plan.backups {
        let key = format!("{tenant}/{}/{}", backup::KIND, b.id);
        specs.push(JobSpec {
            kind: backup::KIND.into(),
            subject: b.id.to_string(),
            schedule: Some(b.schedule.to_string()),
            first_due_ms: timing::next_run(&key, &b.schedule, now_ms, tz),
        });
    }
    // Snapshots another tool made count from the first minute: a backup
    // that adopts them is looked at now, then every few minutes.
    if let Ok(every) = Schedule::parse(adopt::EVERY) {
        for b in plan.backups.iter().filter(|b| b.adopt.is_some()) {
            specs.push(JobSpec {
                kind: adopt::KIND.into(),
                subject: b.id.to_string(),
                schedule: Some(every.to_string()),
                first_due_ms: Some(now_ms),
            });
        }
    }
    if let Ok(daily) = Schedule::parse("every 1d") {
        for r in &plan.repositories {
            let key = format!("{tenant}/{}/{}", verify::KIND, r.id);
            specs.push(JobSpec {
                kind: verify::KIND.into(),
                subject: r.id.to_string(),
                schedule: Some(daily.to_string()),
                first_due_ms: timing::next_run(&key, &daily, now_ms, tz),
            });
        }
    }
    for s in &plan.scenarios {
        let Some(schedule) = &s.drill else { continue };
        let key = format!("{tenant}/{}/{}", drill::KIND, s.id);
        specs.push(JobSpec {
            kind: drill::KIND.into(),
            subject: s.id.to_string(),
            schedule: Some(schedule.to_string()),
            first_due_ms: timing::next_run(&key, schedule, now_ms, tz),
        });
    }
    if plan.sla.as_ref().is_some_and(|s| !s.report_to.is_empty())
        && let Ok(monthly) = Schedule::parse(SLA_REPORT_SCHEDULE)
    {
        let key = format!("{tenant}/{SLA_REPORT}/{SLA_REPORT_SUBJECT}");
        specs.push(JobSpec {
            kind: SLA_REPORT.into(),
            subject: SLA_REPORT_SUBJECT.into(),
            schedule: Some(monthly.to_string()),
            first_due_ms: timing::next_run(&key, &monthly, now_ms, tz),
        });
    }
    if (plan.crisis.is_some() || !plan.crisis_tasks.is_empty())
        && let Ok(daily) = Schedule::parse("every 1d")
    {
        specs.push(JobSpec {
            kind: CRISIS_KIT.into(),
            subject: CRISIS_KIT_SUBJECT.into(),
            schedule: Some(daily.to_string()),
            // The first kit at once: the folder is there from the start.
            first_due_ms: Some(now_ms),
        });
    }
    Jobs { specs, not_run_yet }
}

/// Checks `source` and, when valid, makes it the tenant's active plan and
/// brings its jobs in line with it. A rejected plan changes nothing. A
/// client's plan is also held to the trust rules: one that holds what
/// only the MSP may set is refused ([`StoreError::Refused`]).
pub async fn apply(
    tenant: &TenantScope,
    source: &str,
    accepted_by: &str,
    author: Author,
) -> Result<(PlanVersion, Jobs), StoreError> {
    let mut checked = plan::check(source);
    if author == Author::Client
        && let Some(p) = &checked.plan
    {
        let roots = crate::trust::Roots::resolve(&tenant.roots().await?);
        let refused = crate::trust::client_findings(p, &checked.spans, &roots);
        if !refused.is_empty() {
            checked.add(refused);
            return Err(StoreError::Refused(Box::new(checked)));
        }
    }
    let (version, plan) = tenant
        .accept_checked(source, checked, accepted_by, author)
        .await?;
    let jobs = jobs(tenant.id(), &plan, now_ms());
    tenant.sync_jobs(&jobs.specs).await?;
    Ok((version, jobs))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = include_str!("../../core/tests/plans/base.toml");

    #[test]
    fn a_plan_gets_its_audit_backups_and_verifications() {
        let text = format!(
            "{PLAN}\n[[monitor]]\nid = \"disk\"\nkind = \"command\"\ntarget = \"df -h /\"\ninterval = \"5m\"\nescalation = \"default\"\n"
        );
        let checked = rempart_core::plan::check(&text);
        let plan = checked.valid_plan().expect("valid plan");
        let jobs = jobs("acme", plan, 1_000_000);
        let kinds: Vec<(&str, &str, Option<&str>)> = jobs
            .specs
            .iter()
            .map(|s| (s.kind.as_str(), s.subject.as_str(), s.schedule.as_deref()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("evidence-audit", "evidence-log", Some("every 1d")),
                ("backup", "db", Some("every 1h")),
                ("verify", "nas", Some("every 1d")),
                ("verify", "s3", Some("every 1d")),
            ]
        );
        // A backup follows its schedule from now: its first run is an hour away.
        let backup_due = jobs.specs[1].first_due_ms.unwrap();
        assert!((1_000_000 + 3_600_000..1_000_000 + 3_630_000).contains(&backup_due));
        assert!(jobs.not_run_yet.is_empty(), "{:?}", jobs.not_run_yet);
    }

    #[test]
    fn a_plan_naming_report_receivers_gets_the_monthly_report_job() {
        let text = format!("{PLAN}\n[sla]\nreport_to = [\"boss\"]\n");
        let checked = rempart_core::plan::check(&text);
        let plan = checked.valid_plan().expect("valid plan");
        // 2026-11-15T12:00Z: next due on 1 December, 06:00 in Paris (05:00Z).
        let now = 1_794_744_000_000;
        let jobs = jobs("acme", plan, now);
        let monthly = jobs
            .specs
            .iter()
            .find(|s| s.kind == SLA_REPORT)
            .expect("the monthly report job");
        assert_eq!(monthly.subject, SLA_REPORT_SUBJECT);
        assert_eq!(monthly.schedule.as_deref(), Some(SLA_REPORT_SCHEDULE));
        let due = monthly.first_due_ms.unwrap();
        let first_of_december = 1_796_101_200_000;
        assert!(
            (first_of_december..first_of_december + timing::MAX_JITTER_MS).contains(&due),
            "{due}"
        );
        // Without receivers, no job.
        let none = rempart_core::plan::check(PLAN);
        let jobs = super::jobs("acme", none.valid_plan().unwrap(), now);
        assert!(jobs.specs.iter().all(|s| s.kind != SLA_REPORT));
    }
}
