//! The runner against a real store: a run missed while no server was up
//! runs once at start-up, not once per missed slot.

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
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.send(true).unwrap();
    runner.await.unwrap();

    let jobs = acme.jobs().await.unwrap();
    let tick = jobs.iter().find(|j| j.subject == "tick").unwrap();
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
