//! Control-plane benchmarks, each against a named peer in the same run:
//!
//! 1. evidence insert rate (batched, hash-chained) on SQLite and PostgreSQL,
//!    against plain multi-row INSERTs of the same rows into the same table
//!    shape without the chain (the database's own speed);
//! 2. an idle `rempart serve` holding 10 000 scheduled jobs, against the
//!    same server holding 1: CPU and peak RSS over a minute;
//! 3. API latency of evidence queries over 1 000 000 records, against the
//!    same queries made directly through the store (no HTTP, no JSON).
//!
//! Run with `scripts/bench` (release build); results go to BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_store::{EvidenceQuery, Location, Store, TenantScope};
use sqlx::{AnyPool, Executor};

const BATCH: usize = 1_000;

fn record(i: usize) -> NewEvidence {
    let kinds = [
        EvidenceKind::Backup,
        EvidenceKind::Probe,
        EvidenceKind::Copy,
        EvidenceKind::Verify,
    ];
    NewEvidence {
        kind: kinds[i % kinds.len()],
        subject: format!("subject-{}", i % 50),
        started_ms: 1_700_000_000_000 + i64::try_from(i).unwrap_or(0) * 1_000,
        finished_ms: 1_700_000_000_000 + i64::try_from(i).unwrap_or(0) * 1_000 + 750,
        outcome: if i.is_multiple_of(17) {
            Outcome::Failure
        } else {
            Outcome::Success
        },
        measurements: serde_json::json!({ "bytes_added": i * 31, "files": { "new": i % 7, "changed": i % 3 } }),
        message: format!("run {i} done"),
        job_run: None,
    }
}

async fn chained_inserts(tenant: &TenantScope, n: usize) -> f64 {
    let start = Instant::now();
    for b in 0..n / BATCH {
        let batch = (0..BATCH).map(|i| record(b * BATCH + i)).collect();
        tenant.append_batch(batch).await.expect("append");
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// The peer: the same rows, same columns, multi-row INSERTs in one
/// transaction per batch, no hashing and no head row.
async fn plain_inserts(url: &str, n: usize) -> f64 {
    let pool = AnyPool::connect(url).await.expect("connect");
    pool.execute(
        "CREATE TABLE plain (tenant_id TEXT NOT NULL, seq BIGINT NOT NULL, recorded_ms BIGINT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, started_ms BIGINT NOT NULL, finished_ms BIGINT NOT NULL, outcome TEXT NOT NULL, measurements TEXT NOT NULL, message TEXT NOT NULL, job_run BIGINT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (tenant_id, seq))",
    )
    .await
    .expect("create plain");
    let start = Instant::now();
    let mut seq = 0i64;
    for b in 0..n / BATCH {
        let mut tx = pool.begin().await.expect("begin");
        for chunk in (0..BATCH).collect::<Vec<_>>().chunks(64) {
            let mut sql = String::from("INSERT INTO plain VALUES ");
            for (row, _) in chunk.iter().enumerate() {
                let p: Vec<String> = (1..=13).map(|c| format!("${}", row * 13 + c)).collect();
                if row > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("({})", p.join(",")));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for &i in chunk {
                let r = record(b * BATCH + i);
                seq += 1;
                q = q
                    .bind("bench")
                    .bind(seq)
                    .bind(0i64)
                    .bind(r.kind.as_str())
                    .bind(r.subject)
                    .bind(r.started_ms)
                    .bind(r.finished_ms)
                    .bind(r.outcome.as_str())
                    .bind(r.measurements.to_string())
                    .bind(r.message)
                    .bind(None::<i64>)
                    .bind("0".repeat(64))
                    .bind("1".repeat(64));
            }
            q.execute(&mut *tx).await.expect("insert");
        }
        tx.commit().await.expect("commit");
    }
    pool.close().await;
    n as f64 / start.elapsed().as_secs_f64()
}

fn admin_url() -> String {
    std::env::var("REMPART_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

async fn fresh_pg(name: &str) -> String {
    let admin = admin_url();
    let pool = AnyPool::connect(&admin)
        .await
        .expect("PostgreSQL (scripts/services)");
    let _ = pool
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await;
    pool.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create database");
    pool.close().await;
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(b, _)| b)
        .to_owned();
    format!("{base}/{name}")
}

async fn drop_pg(name: &str) {
    let pool = AnyPool::connect(&admin_url()).await.expect("admin");
    let _ = pool
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await;
    pool.close().await;
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rempart-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

async fn bench_inserts(n: usize) {
    println!("## Evidence insert rate ({n} records, batches of {BATCH})\n");
    println!("| database | Rempart (chained) | peer: plain INSERT | ratio |");
    println!("|---|---|---|---|");
    let dir = scratch("insert");
    let store = Store::open(&Location::DataDir(dir.join("data")))
        .await
        .expect("sqlite");
    let tenant = store
        .upsert_tenant("bench", "Bench", &rempart_store::ManagedBy::Api)
        .await
        .expect("tenant");
    let ours = chained_inserts(&tenant, n).await;
    store.close().await;
    let peer = plain_inserts(
        &format!("sqlite://{}?mode=rwc", dir.join("plain.db").display()),
        n,
    )
    .await;
    println!(
        "| SQLite | {ours:.0} records/s | {peer:.0} records/s | {:.2} |",
        ours / peer
    );
    let _ = std::fs::remove_dir_all(&dir);

    let url = fresh_pg("rempart_bench_insert").await;
    let store = Store::open(&Location::Url(url.clone())).await.expect("pg");
    let tenant = store
        .upsert_tenant("bench", "Bench", &rempart_store::ManagedBy::Api)
        .await
        .expect("tenant");
    let ours = chained_inserts(&tenant, n).await;
    store.close().await;
    let peer = plain_inserts(&url, n).await;
    println!(
        "| PostgreSQL | {ours:.0} records/s | {peer:.0} records/s | {:.2} |\n",
        ours / peer
    );
    drop_pg("rempart_bench_insert").await;
}

/// CPU seconds (user + system) and peak RSS (KiB) of a process, from /proc.
fn cpu_and_peak_rss(pid: u32) -> (f64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, r)| r)
        .split_whitespace()
        .collect();
    let ticks: f64 = fields
        .get(11)
        .and_then(|u| u.parse::<f64>().ok())
        .unwrap_or(0.0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(0.0);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf only reads a constant.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks / hz, hwm)
}

fn serve(plans: &Path, data: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args(["serve", "--plans"])
        .arg(plans)
        .arg("--data-dir")
        .arg(data)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .env("REMPART_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve")
}

fn wait_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while ureq::get(&format!("http://127.0.0.1:{port}/healthz"))
        .call()
        .is_err()
    {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn plan_with_monitors(n: usize) -> String {
    let mut plan = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/plans/base.toml"
    ))
    .expect("base plan");
    for i in 0..n {
        plan.push_str(&format!(
            "\n[[monitor]]\nid = \"m{i}\"\nkind = \"command\"\ntarget = \"true\"\ninterval = \"1d\"\n"
        ));
    }
    plan
}

/// An idle server: jobs scheduled for tomorrow, nothing due.
async fn idle_server(jobs: usize, seconds: u64, port: u16) -> (f64, u64, usize) {
    let dir = scratch(&format!("idle-{jobs}"));
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).expect("plans");
    std::fs::write(plans.join("bench.toml"), plan_with_monitors(jobs)).expect("plan");
    let data = dir.join("data");
    // Load the plan once and push every job to tomorrow, so the measured
    // server only schedules.
    let store = Store::open(&Location::DataDir(data.clone()))
        .await
        .expect("store");
    let tenant = store
        .upsert_tenant("bench", "Bench", &rempart_store::ManagedBy::Api)
        .await
        .expect("tenant");
    rempart_engine::planner::apply(
        &tenant,
        &plan_with_monitors(jobs),
        "bench",
        rempart_core::plan::trust::Author::Msp,
    )
    .await
    .expect("plan");
    let raw = AnyPool::connect(&format!("sqlite://{}", data.join("rempart.db").display()))
        .await
        .expect("raw");
    raw.execute(sqlx::AssertSqlSafe(format!(
        "UPDATE job SET due_ms = {}",
        rempart_store::now_ms() + 86_400_000
    )))
    .await
    .expect("postpone");
    raw.close().await;
    let scheduled = tenant.jobs().await.expect("jobs").len();
    store.close().await;

    let mut child = serve(&plans, &data, port);
    wait_healthy(port);
    let (cpu0, _) = cpu_and_peak_rss(child.id());
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let (cpu1, peak) = cpu_and_peak_rss(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    (cpu1 - cpu0, peak, scheduled)
}

async fn bench_idle(seconds: u64) {
    println!("## Idle `rempart serve` with 10 000 scheduled jobs ({seconds} s)\n");
    println!("| server | jobs scheduled | CPU over {seconds} s | CPU share | peak RSS |");
    println!("|---|---|---|---|---|");
    for (label, n, port) in [("10 000 jobs", 10_000, 18_091), ("peer: 1 job", 0, 18_092)] {
        let (cpu, peak, scheduled) = idle_server(n, seconds, port).await;
        println!(
            "| {label} | {scheduled} | {cpu:.2} s | {:.2} % | {:.1} MiB |",
            cpu / seconds as f64 * 100.0,
            peak as f64 / 1024.0
        );
    }
    println!();
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn bench_api(records: usize, queries: usize, port: u16) {
    println!("## Evidence queries over {records} records ({queries} queries, one client)\n");
    let dir = scratch("api");
    let data = dir.join("data");
    let store = Store::open(&Location::DataDir(data.clone()))
        .await
        .expect("store");
    let tenant = store
        .upsert_tenant("bench", "Bench", &rempart_store::ManagedBy::Api)
        .await
        .expect("tenant");
    let load = Instant::now();
    chained_inserts(&tenant, records).await;
    let loaded = load.elapsed().as_secs_f64();
    let (_, token) = store
        .create_token("bench", &rempart_store::TokenScope::Msp)
        .await
        .expect("token");
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).expect("plans");

    // The query mix: a page by kind, by subject, by time window, deep paging.
    let kinds = ["backup", "probe", "copy", "verify"];
    let mix = |i: usize| -> (String, EvidenceQuery) {
        let from = 1_700_000_000_000 + (i as i64 * 7_919 % records as i64) * 1_000;
        match i % 4 {
            0 => (
                format!("kind={}&limit=100", kinds[(i / 4) % 4]),
                EvidenceQuery {
                    kind: EvidenceKind::parse(kinds[(i / 4) % 4]),
                    limit: 100,
                    ..Default::default()
                },
            ),
            1 => (
                format!("subject=subject-{}&limit=100", i % 50),
                EvidenceQuery {
                    subject: Some(format!("subject-{}", i % 50)),
                    limit: 100,
                    ..Default::default()
                },
            ),
            2 => (
                format!("from_ms={from}&to_ms={}&limit=100", from + 3_600_000),
                EvidenceQuery {
                    from_ms: Some(from),
                    to_ms: Some(from + 3_600_000),
                    limit: 100,
                    ..Default::default()
                },
            ),
            _ => {
                let after = (i * 104_729 % records) as i64;
                (
                    format!("after={after}&limit=100"),
                    EvidenceQuery {
                        after_seq: Some(after),
                        limit: 100,
                        ..Default::default()
                    },
                )
            }
        }
    };
    let mut direct = Vec::with_capacity(queries);
    for i in 0..queries {
        let (_, q) = mix(i);
        let t = Instant::now();
        let page = tenant.evidence(&q).await.expect("query");
        direct.push(t.elapsed().as_secs_f64() * 1_000.0);
        assert!(!page.is_empty() || i % 4 == 2);
    }
    store.close().await;

    let mut child = serve(&plans, &data, port);
    wait_healthy(port);
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let mut api = Vec::with_capacity(queries);
    let mut api_by_class = Vec::with_capacity(queries);
    for i in 0..queries {
        let (qs, _) = mix(i);
        let url = format!("http://127.0.0.1:{port}/api/v1/tenants/bench/evidence?{qs}");
        let t = Instant::now();
        let mut r = agent
            .get(&url)
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .expect("API answers");
        let _ = r.body_mut().read_to_vec().expect("body");
        let ms = t.elapsed().as_secs_f64() * 1_000.0;
        api.push(ms);
        api_by_class.push((i % 4, ms));
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    direct.sort_by(f64::total_cmp);
    api.sort_by(f64::total_cmp);
    println!("(loading the {records} chained records took {loaded:.1} s)\n");
    println!("| path | p50 | p99 | max |");
    println!("|---|---|---|---|");
    for (label, v) in [
        ("API (HTTP + auth + JSON)", &api),
        ("peer: store query in-process", &direct),
    ] {
        println!(
            "| {label} | {:.2} ms | {:.2} ms | {:.2} ms |",
            percentile(v, 0.5),
            percentile(v, 0.99),
            v[v.len() - 1]
        );
    }
    println!(
        "\np99 ratio API / direct: {:.2}\n",
        percentile(&api, 0.99) / percentile(&direct, 0.99)
    );
    println!("| API query class | p50 | p99 |");
    println!("|---|---|---|");
    for (class, label) in [
        "by kind",
        "by subject",
        "by time window",
        "page after a seq",
    ]
    .iter()
    .enumerate()
    {
        let mut v: Vec<f64> = api_by_class
            .iter()
            .filter(|(c, _)| *c == class)
            .map(|(_, t)| *t)
            .collect();
        v.sort_by(f64::total_cmp);
        println!(
            "| {label} | {:.2} ms | {:.2} ms |",
            percentile(&v, 0.5),
            percentile(&v, 0.99)
        );
    }
    println!();
}

fn main() {
    sqlx::any::install_default_drivers();
    // `cargo bench` passes `--bench`; other arguments are ignored.
    let quick = std::env::var("REMPART_BENCH_QUICK").is_ok();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        bench_inserts(if quick { 20_000 } else { 200_000 }).await;
        bench_idle(if quick { 5 } else { 60 }).await;
        bench_api(
            if quick { 20_000 } else { 1_000_000 },
            if quick { 200 } else { 2_000 },
            18_093,
        )
        .await;
    });
}
