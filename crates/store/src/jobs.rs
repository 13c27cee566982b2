//! The job queue: one row per scheduled thing of a tenant, claimed with a
//! lease so that a job never runs twice at once, runs exactly once across
//! several servers, and is retried when the server running it dies.

use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::{Column, Result, Store, StoreError, TenantScope};

/// What a tenant's plan schedules: `(kind, subject)` is unique per tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpec {
    /// `backup`, `drill`, `probe`, `evidence-audit`…
    pub kind: String,
    /// The plan element it runs (a backup id…).
    pub subject: String,
    /// The schedule's text (`every 1h`, `0 2 * * *`); `None` for a job run on demand.
    pub schedule: Option<String>,
    /// When a new job first runs (ms since the epoch); `None`: only on demand.
    pub first_due_ms: Option<i64>,
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    pub id: i64,
    pub tenant: String,
    pub kind: String,
    pub subject: String,
    pub schedule: Option<String>,
    /// Next run (ms since the epoch); `None` while it waits for a "run now".
    pub due_ms: Option<i64>,
    /// Consecutive failed attempts.
    pub attempt: i64,
    /// The server running it now, if any.
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    pub last_outcome: Option<String>,
    pub last_error: Option<String>,
    pub last_run_ms: Option<i64>,
}

/// A job claimed by one server: it must finish it (or renew its lease)
/// before `lease_until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub job_id: i64,
    /// This run's id, written on the evidence it produces.
    pub run_id: i64,
    pub tenant: String,
    pub kind: String,
    pub subject: String,
    pub schedule: Option<String>,
    /// 1 for a first try, 2 for the first retry…
    pub attempt: i64,
    pub lease_until: i64,
}

/// What "run now" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunNow {
    Scheduled,
    AlreadyRunning,
    NoSuchJob,
}

/// One run of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobRun {
    pub id: i64,
    pub job_id: i64,
    pub owner: String,
    pub attempt: i64,
    pub started_ms: i64,
    pub finished_ms: Option<i64>,
    pub outcome: Option<String>,
    pub error: Option<String>,
}

/// How a run ended, and when the job runs next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunEnd {
    pub success: bool,
    pub error: Option<String>,
    /// Next run (ms); `None` to wait for a "run now".
    pub next_due_ms: Option<i64>,
}

const JOB_COLUMNS: &str = "id, tenant_id, kind, subject, schedule, due_ms, attempt, lease_owner, lease_until, last_outcome, last_error, last_run_ms";

fn job_row(r: &sqlx::any::AnyRow) -> Result<Job> {
    Ok(Job {
        id: r.col("id")?,
        tenant: r.col("tenant_id")?,
        kind: r.col("kind")?,
        subject: r.col("subject")?,
        schedule: r.col("schedule")?,
        due_ms: r.col("due_ms")?,
        attempt: r.col("attempt")?,
        lease_owner: r.col("lease_owner")?,
        lease_until: r.col("lease_until")?,
        last_outcome: r.col("last_outcome")?,
        last_error: r.col("last_error")?,
        last_run_ms: r.col("last_run_ms")?,
    })
}

impl TenantScope {
    /// Makes the tenant's jobs match `specs`: adds new ones, updates the
    /// schedule of existing ones (keeping their next run), removes those no
    /// longer planned unless one is running.
    pub async fn sync_jobs(&self, specs: &[JobSpec]) -> Result<()> {
        let doing = "updating the tenant's jobs";
        let mut tx = self.store.begin(doing).await?;
        for spec in specs {
            sqlx::query(
                "INSERT INTO job (tenant_id, kind, subject, schedule, due_ms) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (tenant_id, kind, subject) DO UPDATE SET schedule = excluded.schedule,
                   due_ms = CASE WHEN job.schedule IS NULL OR job.due_ms IS NULL OR job.schedule <> excluded.schedule
                                 THEN excluded.due_ms ELSE job.due_ms END",
            )
            .bind(&self.tenant)
            .bind(&spec.kind)
            .bind(&spec.subject)
            .bind(spec.schedule.as_deref())
            .bind(spec.first_due_ms)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?;
        }
        let planned = sqlx::query(
            "SELECT id, kind, subject FROM job WHERE tenant_id = $1 AND lease_owner IS NULL",
        )
        .bind(&self.tenant)
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?;
        for r in &planned {
            let (id, kind, subject): (i64, String, String) =
                (r.col("id")?, r.col("kind")?, r.col("subject")?);
            if !specs.iter().any(|s| s.kind == kind && s.subject == subject) {
                // Its history goes with it; its evidence stays.
                sqlx::query("DELETE FROM job_run WHERE job_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db(doing))?;
                sqlx::query("DELETE FROM job WHERE id = $1 AND tenant_id = $2")
                    .bind(id)
                    .bind(&self.tenant)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db(doing))?;
            }
        }
        tx.commit().await.map_err(StoreError::db(doing))
    }

    pub async fn jobs(&self) -> Result<Vec<Job>> {
        let sql =
            format!("SELECT {JOB_COLUMNS} FROM job WHERE tenant_id = $1 ORDER BY kind, subject");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(&self.tenant)
            .fetch_all(self.store.pool())
            .await
            .map_err(StoreError::db("listing jobs"))?;
        rows.iter().map(job_row).collect()
    }

    /// Makes a job due now, unless it is running already.
    pub async fn run_now(&self, kind: &str, subject: &str, now_ms: i64) -> Result<RunNow> {
        let doing = "scheduling a job now";
        let done = sqlx::query(
            "UPDATE job SET due_ms = $4 WHERE tenant_id = $1 AND kind = $2 AND subject = $3
               AND (lease_until IS NULL OR lease_until < $4)",
        )
        .bind(&self.tenant)
        .bind(kind)
        .bind(subject)
        .bind(now_ms)
        .execute(self.store.pool())
        .await
        .map_err(StoreError::db(doing))?;
        if done.rows_affected() > 0 {
            self.changed(crate::What::Job).await;
            return Ok(RunNow::Scheduled);
        }
        let exists =
            sqlx::query("SELECT id FROM job WHERE tenant_id = $1 AND kind = $2 AND subject = $3")
                .bind(&self.tenant)
                .bind(kind)
                .bind(subject)
                .fetch_optional(self.store.pool())
                .await
                .map_err(StoreError::db(doing))?;
        Ok(if exists.is_some() {
            RunNow::AlreadyRunning
        } else {
            RunNow::NoSuchJob
        })
    }

    /// The runs of one job, newest first.
    pub async fn job_runs(&self, job_id: i64, limit: u32) -> Result<Vec<JobRun>> {
        let sql = format!(
            "SELECT id, job_id, owner, attempt, started_ms, finished_ms, outcome, error FROM job_run
             WHERE tenant_id = $1 AND job_id = $2 ORDER BY id DESC LIMIT {}",
            limit.clamp(1, 1_000)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(&self.tenant)
            .bind(job_id)
            .fetch_all(self.store.pool())
            .await
            .map_err(StoreError::db("listing job runs"))?;
        rows.iter()
            .map(|r| {
                Ok(JobRun {
                    id: r.col("id")?,
                    job_id: r.col("job_id")?,
                    owner: r.col("owner")?,
                    attempt: r.col("attempt")?,
                    started_ms: r.col("started_ms")?,
                    finished_ms: r.col("finished_ms")?,
                    outcome: r.col("outcome")?,
                    error: r.col("error")?,
                })
            })
            .collect()
    }
}

/// A job running now, with what it says it is doing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Running {
    pub kind: String,
    pub subject: String,
    pub run_id: i64,
    pub started_ms: i64,
    /// What the job last said it is doing (a drill: its run and step).
    pub progress: Option<serde_json::Value>,
}

impl TenantScope {
    /// Notes what run `run_id` of this tenant is doing now; watchers are told.
    pub async fn set_run_progress(&self, run_id: i64, progress: &serde_json::Value) -> Result<()> {
        sqlx::query("UPDATE job_run SET progress = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(&self.tenant)
            .bind(run_id)
            .bind(progress.to_string())
            .execute(self.store.pool())
            .await
            .map_err(StoreError::db("noting a job's progress"))?;
        self.changed(crate::What::Job).await;
        Ok(())
    }

    /// The tenant's jobs running now (their lease held), oldest first.
    pub async fn running(&self) -> Result<Vec<Running>> {
        let rows = sqlx::query(
            "SELECT j.kind, j.subject, r.id, r.started_ms, r.progress FROM job j
             JOIN job_run r ON r.id = j.run_id
             WHERE j.tenant_id = $1 AND j.lease_until IS NOT NULL AND r.finished_ms IS NULL
             ORDER BY r.started_ms, r.id",
        )
        .bind(&self.tenant)
        .fetch_all(self.store.pool())
        .await
        .map_err(StoreError::db("listing running jobs"))?;
        rows.iter()
            .map(|r| {
                let progress: Option<String> = r.col("progress")?;
                Ok(Running {
                    kind: r.col("kind")?,
                    subject: r.col("subject")?,
                    run_id: r.col("id")?,
                    started_ms: r.col("started_ms")?,
                    progress: progress.and_then(|p| serde_json::from_str(&p).ok()),
                })
            })
            .collect()
    }
}

impl Store {
    /// Claims at most one due job for `owner`, with a lease until
    /// `now + lease_ms`, skipping tenants already running
    /// `per_tenant_limit` jobs. Safe with several servers on one database:
    /// a job is claimed by one of them only.
    pub async fn claim(
        &self,
        owner: &str,
        now_ms: i64,
        lease_ms: i64,
        per_tenant_limit: i64,
    ) -> Result<Option<ClaimedJob>> {
        let doing = "claiming a job";
        let lease_until = now_ms + lease_ms;
        let mut tx = self.begin(doing).await?;
        // The lease test is repeated outside the sub-select: under
        // PostgreSQL's READ COMMITTED it is re-checked on the locked row.
        let sql = format!(
            "UPDATE job SET lease_owner = $1, lease_until = $2, attempt = attempt + 1
             WHERE id = (
                SELECT j.id FROM job j
                WHERE j.due_ms IS NOT NULL AND j.due_ms <= $3
                  AND (j.lease_until IS NULL OR j.lease_until < $3)
                  AND (SELECT COUNT(*) FROM job r WHERE r.tenant_id = j.tenant_id AND r.lease_until >= $3) < $4
                ORDER BY j.due_ms, j.id LIMIT 1{})
               AND (lease_until IS NULL OR lease_until < $3)
             RETURNING id, tenant_id, kind, subject, schedule, attempt",
            self.backend().skip_locked()
        );
        let Some(row) = sqlx::query(AssertSqlSafe(sql))
            .bind(owner)
            .bind(lease_until)
            .bind(now_ms)
            .bind(per_tenant_limit)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?
        else {
            tx.rollback().await.map_err(StoreError::db(doing))?;
            return Ok(None);
        };
        let job_id: i64 = row.col("id")?;
        let tenant: String = row.col("tenant_id")?;
        let attempt: i64 = row.col("attempt")?;
        let run = sqlx::query(
            "INSERT INTO job_run (job_id, tenant_id, owner, attempt, started_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(job_id)
        .bind(&tenant)
        .bind(owner)
        .bind(attempt)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?;
        let run_id: i64 = run.col("id")?;
        sqlx::query("UPDATE job SET run_id = $2 WHERE id = $1")
            .bind(job_id)
            .bind(run_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?;
        tx.commit().await.map_err(StoreError::db(doing))?;
        self.changed(&tenant, crate::What::Job).await;
        Ok(Some(ClaimedJob {
            job_id,
            run_id,
            tenant,
            kind: row.col("kind")?,
            subject: row.col("subject")?,
            schedule: row.col("schedule")?,
            attempt,
            lease_until,
        }))
    }

    /// Extends a running job's lease. False when the lease was lost
    /// (expired and claimed by another server): the run must stop.
    pub async fn renew(&self, job: &ClaimedJob, owner: &str, until_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE job SET lease_until = $4 WHERE id = $1 AND run_id = $2 AND lease_owner = $3",
        )
        .bind(job.job_id)
        .bind(job.run_id)
        .bind(owner)
        .bind(until_ms)
        .execute(self.pool())
        .await
        .map_err(StoreError::db("renewing a lease"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Records the end of a run and releases the job. False when the lease
    /// had been lost: the run is recorded, the job is left to its new owner.
    pub async fn finish(
        &self,
        job: &ClaimedJob,
        owner: &str,
        now_ms: i64,
        end: &RunEnd,
    ) -> Result<bool> {
        let doing = "finishing a job run";
        let outcome = if end.success { "success" } else { "failure" };
        let mut tx = self.begin(doing).await?;
        let released = sqlx::query(
            "UPDATE job SET lease_owner = NULL, lease_until = NULL, run_id = NULL,
                due_ms = CAST($4 AS BIGINT),
                attempt = CASE WHEN $8 = 1 THEN 0 ELSE attempt END,
                last_outcome = $5, last_error = $7, last_run_ms = $6
             WHERE id = $1 AND run_id = $2 AND lease_owner = $3",
        )
        .bind(job.job_id)
        .bind(job.run_id)
        .bind(owner)
        .bind(end.next_due_ms)
        .bind(outcome)
        .bind(now_ms)
        .bind(end.error.as_deref())
        .bind(i64::from(end.success))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db(doing))?
        .rows_affected()
            > 0;
        sqlx::query("UPDATE job_run SET finished_ms = $2, outcome = $3, error = $4 WHERE id = $1")
            .bind(job.run_id)
            .bind(now_ms)
            .bind(outcome)
            .bind(end.error.as_deref())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db(doing))?;
        tx.commit().await.map_err(StoreError::db(doing))?;
        self.changed(&job.tenant, crate::What::Job).await;
        Ok(released)
    }

    /// Gives back every lease `owner` holds (a graceful shutdown after its
    /// runs ended or were abandoned): the jobs can be claimed at once.
    pub async fn release_all(&self, owner: &str) -> Result<u64> {
        let done = sqlx::query("UPDATE job SET lease_owner = NULL, lease_until = NULL, run_id = NULL WHERE lease_owner = $1")
            .bind(owner)
            .execute(self.pool())
            .await
            .map_err(StoreError::db("releasing leases"))?;
        Ok(done.rows_affected())
    }

    /// Jobs due now and not running, all tenants: the queue depth.
    pub async fn queue_depth(&self, now_ms: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM job WHERE due_ms IS NOT NULL AND due_ms <= $1 AND (lease_until IS NULL OR lease_until < $1)",
        )
        .bind(now_ms)
        .fetch_one(self.pool())
        .await
        .map_err(StoreError::db("measuring the queue"))?;
        row.col("n")
    }

    /// The earliest next run among jobs not running, to know how long to sleep.
    pub async fn next_due(&self) -> Result<Option<i64>> {
        let row = sqlx::query(
            "SELECT MIN(due_ms) AS due FROM job WHERE due_ms IS NOT NULL AND lease_owner IS NULL",
        )
        .fetch_one(self.pool())
        .await
        .map_err(StoreError::db("reading the next due job"))?;
        row.col("due")
    }
}
