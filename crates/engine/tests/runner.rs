//! The runner against a real store: a run missed while no server was up
//! runs once at start-up, not once per missed slot; a job that cannot
//! succeed by retrying waits for its schedule instead of backing off.

use std::sync::Arc;
use std::time::Duration;

use rempart_engine::{Metrics, Runner, RunnerConfig, planner};
use rempart_store::{Location, Store, now_ms};
use sqlx::{AnyPool, Executor};

const PLAN: &str = include_str!("../../core/tests/plans/base.toml");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_run_runs_once_then_follows_its_schedule() {
    let dir = std::env::temp_dir().join(format!("rempart-runner-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&Location::DataDir(dir.clone())).await.unwrap();
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    // A drill of one command step, every minute (a job of the queue).
    let plan = format!(
        "{PLAN}\n[[scenario]]\nid = \"tick\"\nname = \"Tick\"\nprocess = \"billing\"\ndrill = \"every 1m\"\nsteps = [{{ name = \"run\", command = \"true\" }}]\n"
    );
    planner::apply(&acme, &plan, "test", rempart_core::plan::trust::Author::Msp)
        .await
        .unwrap();
    // The server was down for ten minutes: ten slots of "every 1m" missed.
    let raw = AnyPool::connect(&format!("sqlite://{}", dir.join("rempart.db").display()))
        .await
        .unwrap();
    let ten_minutes_ago = now_ms() - 600_000;
    raw.execute(sqlx::AssertSqlSafe(format!(
        "UPDATE job SET due_ms = {ten_minutes_ago} WHERE kind = 'drill' AND subject = 'tick'"
    )))
    .await
    .unwrap();
    // The plan's other jobs stay out of the way.
    raw.execute("UPDATE job SET due_ms = NULL WHERE subject <> 'tick'")
        .await
        .unwrap();

    let metrics = Arc::new(Metrics::default());
    let mut config = RunnerConfig::new("test");
    config.data_dir = dir.clone();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let runner = tokio::spawn(Runner::new(store.clone(), config, metrics.clone()).run(stopped));
    // Its end recorded, the job is due again: nothing of the missed slots is left.
    let tick = wait_for_end(&acme, "tick").await;
    stop.send(true).unwrap();
    runner.await.unwrap();

    let runs = acme.job_runs(tick.id, 100).await.unwrap();
    assert_eq!(runs.len(), 1, "one run for ten missed slots");
    let next = tick.due_ms.unwrap();
    let from_now = next - runs[0].finished_ms.unwrap();
    assert!(
        (60_000..66_000).contains(&from_now),
        "next run a minute (+ jitter) later: {from_now} ms"
    );
    assert_eq!(
        metrics.jobs_run.load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    raw.close().await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The job `subject` once a run of it has ended and been recorded.
async fn wait_for_end(tenant: &rempart_store::TenantScope, subject: &str) -> rempart_store::Job {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let jobs = tenant.jobs().await.unwrap();
        if let Some(j) = jobs
            .into_iter()
            .find(|j| j.subject == subject && j.last_outcome.is_some() && j.lease_owner.is_none())
        {
            return j;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "job {subject} never ended"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_cannot_succeed_waits_for_its_schedule() {
    let dir = std::env::temp_dir().join(format!("rempart-runner-perm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&Location::DataDir(dir.clone())).await.unwrap();
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    planner::apply(&acme, PLAN, "test", rempart_core::plan::trust::Author::Msp)
        .await
        .unwrap();
    let raw = AnyPool::connect(&format!("sqlite://{}", dir.join("rempart.db").display()))
        .await
        .unwrap();
    raw.execute("UPDATE job SET due_ms = NULL").await.unwrap();
    // A kind this version has no executor for (a newer server queued it),
    // and a backup whose repository was never created: neither gets
    // better by retrying in 30 s.
    let now = now_ms();
    raw.execute(sqlx::AssertSqlSafe(format!(
        "INSERT INTO job (tenant_id, kind, subject, schedule, due_ms) VALUES ('acme', 'mystery', 'x', 'every 1h', {now})"
    )))
    .await
    .unwrap();
    raw.execute(sqlx::AssertSqlSafe(format!(
        "UPDATE job SET due_ms = {now} WHERE kind = 'backup' AND subject = 'db'"
    )))
    .await
    .unwrap();
    let mut config = RunnerConfig::new("test");
    config.data_dir = dir.clone();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let runner =
        tokio::spawn(Runner::new(store.clone(), config, Arc::new(Metrics::default())).run(stopped));
    let mystery = wait_for_end(&acme, "x").await;
    let backup = wait_for_end(&acme, "db").await;
    stop.send(true).unwrap();
    runner.await.unwrap();
    assert!(
        mystery
            .last_error
            .as_deref()
            .unwrap()
            .contains("no executor for jobs of kind \"mystery\""),
        "{mystery:?}"
    );
    for job in [&mystery, &backup] {
        let due = job.due_ms.expect("due again") - now;
        assert!(
            due >= 3_000_000,
            "{} {} retried in {due} ms instead of at its schedule: {:?}",
            job.kind,
            job.subject,
            job.last_error
        );
    }
    raw.close().await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
