//! `backup`: the RPO watch. Down when the backup's newest restore point
//! present on all its sites (and not known damaged) is older than the
//! tightest RPO of the processes it protects (its schedule's longest gap
//! when it protects no process), or when it has none.

use std::time::Instant;

use rempart_core::assessment::{backup_watch, human};
use rempart_store::now_ms;
use serde_json::json;

use super::{Check, CheckFuture, Probe, ProbeCx, elapsed_ms};

pub struct BackupAge {
    pub backup: String,
}

impl Probe for BackupAge {
    fn check<'a>(&'a self, cx: &'a ProbeCx<'a>) -> CheckFuture<'a> {
        Box::pin(async move {
            let clock = Instant::now();
            let now = now_ms();
            let evidence = match crate::status::evidence(cx.tenant, now).await {
                Ok(e) => e,
                Err(e) => {
                    return Check::down(
                        elapsed_ms(clock),
                        format!("cannot read the evidence: {e}"),
                        json!({}),
                    );
                }
            };
            let Some(w) = backup_watch(cx.plan, &evidence, &self.backup) else {
                return Check::down(
                    0,
                    format!("the plan has no backup \"{}\"", self.backup),
                    json!({}),
                );
            };
            let limit = w.rpo_ms.or_else(|| {
                cx.plan
                    .backups
                    .iter()
                    .find(|b| b.id.as_str() == self.backup)
                    .and_then(|b| b.schedule.longest_gap())
                    .map(|g| i64::try_from(g.as_millis()).unwrap_or(i64::MAX))
            });
            let ms = elapsed_ms(clock);
            match (w.newest_ms, limit) {
                (None, _) => Check::down(
                    ms,
                    format!(
                        "backup \"{}\" has no intact restore point on {}",
                        self.backup,
                        w.missing_on.join(", ")
                    ),
                    json!({ "missing_on": w.missing_on, "limit_ms": limit }),
                ),
                (Some(t), Some(limit)) if now - t > limit => Check::down(
                    ms,
                    format!(
                        "newest restore point of \"{}\" on all its sites is {} old, past {}",
                        self.backup,
                        human(now - t),
                        human(limit)
                    ),
                    json!({ "age_ms": now - t, "limit_ms": limit, "restore_point_ms": t }),
                ),
                (Some(t), limit) => Check::up_said(
                    ms,
                    rempart_i18n::say!(
                        "said-probe-backup",
                        backup = self.backup.as_str(),
                        age = human(now - t)
                    ),
                    json!({ "age_ms": now - t, "limit_ms": limit, "restore_point_ms": t }),
                ),
            }
        })
    }
}
