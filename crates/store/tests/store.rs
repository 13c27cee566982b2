//! The store's behaviour, run once on SQLite and once on PostgreSQL.
//!
//! PostgreSQL is reached at `$REMPART_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); each test gets a fresh
//! database, dropped when the test passes. `scripts/test` starts the server.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_store::{
    EvidenceQuery, JobSpec, Location, RunEnd, RunNow, Store, StoreError, TokenScope, now_ms,
};
use serde_json::json;
use sqlx::{AnyPool, Executor, Row};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// A store on a fresh database, and a raw connection to the same database
/// for tampering "by hand".
struct Db {
    location: Location,
    raw_url: String,
    cleanup: Option<(String, String)>,
}

impl Db {
    async fn sqlite() -> Db {
        let dir: PathBuf = std::env::temp_dir().join(unique("rempart-store-test"));
        let _ = std::fs::remove_dir_all(&dir);
        Db {
            raw_url: format!("sqlite://{}", dir.join("rempart.db").display()),
            location: Location::DataDir(dir),
            cleanup: None,
        }
    }

    async fn postgres() -> Db {
        sqlx::any::install_default_drivers();
        let admin = std::env::var("REMPART_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = unique("rempart_t");
        let pool = AnyPool::connect(&admin).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is needed for the store tests ({admin}): {e}; scripts/test starts it"
            )
        });
        pool.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create a test database");
        pool.close().await;
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Db {
            location: Location::Url(url.clone()),
            raw_url: url,
            cleanup: Some((admin, name)),
        }
    }

    async fn open(&self) -> Store {
        Store::open(&self.location).await.expect("open the store")
    }

    async fn raw(&self) -> AnyPool {
        AnyPool::connect(&self.raw_url)
            .await
            .expect("raw connection")
    }

    async fn drop_it(self) {
        if let Some((admin, name)) = &self.cleanup {
            let pool = AnyPool::connect(admin).await.expect("admin connection");
            let _ = pool
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .await;
            pool.close().await;
        } else if let Location::DataDir(dir) = &self.location {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Runs `body` against both backends.
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            use super::Db;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = Db::sqlite().await;
                super::$name(&db).await;
                db.drop_it().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = Db::postgres().await;
                super::$name(&db).await;
                db.drop_it().await;
            }
        }
    };
}

fn record(kind: EvidenceKind, subject: &str, started_ms: i64) -> NewEvidence {
    NewEvidence {
        kind,
        subject: subject.into(),
        started_ms,
        finished_ms: started_ms + 1_500,
        outcome: Outcome::Success,
        measurements: json!({ "bytes_added": started_ms, "files": { "new": 3 } }),
        message: format!("{subject} done"),
        job_run: None,
    }
}

const PLAN: &str = include_str!("../../core/tests/plans/base.toml");

async fn tenants_are_created_once_and_listed(db: &Db) {
    let store = db.open().await;
    store
        .upsert_tenant("acme", "ACME SARL", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    store
        .upsert_tenant("acme", "ACME SAS", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    store
        .upsert_tenant("dupont", "Dupont", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let tenants = store.tenants().await.unwrap();
    let names: Vec<(&str, &str)> = tenants
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(names, [("acme", "ACME SAS"), ("dupont", "Dupont")]);
    let unknown = store.tenant("nobody").await;
    assert!(matches!(unknown, Err(StoreError::UnknownTenant(t)) if t == "nobody"));
    let bad = store
        .upsert_tenant("a b", "x", &rempart_store::ManagedBy::Api)
        .await;
    assert!(matches!(bad, Err(StoreError::BadTenantId { .. })));
    // Reopening runs the migrations again without harm.
    store.close().await;
    let again = db.open().await;
    assert_eq!(again.tenants().await.unwrap().len(), 2);
}
on_both!(tenants_are_created_once_and_listed);

async fn plan_versions_keep_the_last_valid_one_active(db: &Db) {
    let store = db.open().await;
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    assert!(acme.active_plan().await.unwrap().is_none());
    let v1 = acme
        .accept_plan(
            PLAN,
            "file:plans/acme.toml",
            rempart_core::plan::trust::Author::Msp,
        )
        .await
        .unwrap();
    assert_eq!(v1.version, 1);
    // The same text again adds nothing.
    assert_eq!(
        acme.accept_plan(PLAN, "api:ci", rempart_core::plan::trust::Author::Msp)
            .await
            .unwrap()
            .version,
        1
    );
    // A broken plan is refused with its findings; version 1 stays active.
    let broken = PLAN.replacen("rto = \"4h\"", "rto = \"3d\"", 1);
    match acme
        .accept_plan(&broken, "api:ci", rempart_core::plan::trust::Author::Msp)
        .await
    {
        Err(StoreError::InvalidPlan(checked)) => {
            assert_eq!(checked.findings[0].code, "rto-above-mtpd");
        }
        other => panic!("expected InvalidPlan, got {other:?}"),
    }
    assert_eq!(acme.active_plan().await.unwrap().unwrap().version, 1);
    let edited = PLAN.replacen("rto = \"4h\"", "rto = \"6h\"", 1);
    let v2 = acme
        .accept_plan(&edited, "api:alice", rempart_core::plan::trust::Author::Msp)
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    let versions = acme.plan_versions().await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].accepted_by, "file:plans/acme.toml");
    assert_eq!(versions[1].source, edited);
    let active = acme.active_plan().await.unwrap().unwrap();
    assert_eq!(active.sha256, v2.sha256);
}
on_both!(plan_versions_keep_the_last_valid_one_active);

fn all() -> EvidenceQuery {
    EvidenceQuery {
        limit: 1_000,
        ..Default::default()
    }
}

async fn evidence_is_numbered_chained_and_queried(db: &Db) {
    let store = db.open().await;
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let first = acme
        .append(record(EvidenceKind::Backup, "erp-db", 1_000))
        .await
        .unwrap();
    assert_eq!(first.seq, 1);
    let batch: Vec<NewEvidence> = (0..150)
        .map(|i| {
            let kind = if i % 3 == 0 {
                EvidenceKind::Probe
            } else {
                EvidenceKind::Backup
            };
            let subject = if i % 2 == 0 { "erp-db" } else { "files" };
            record(kind, subject, 2_000 + i)
        })
        .collect();
    let stored = acme.append_batch(batch).await.unwrap();
    assert_eq!(stored.first().unwrap().seq, 2);
    assert_eq!(stored.last().unwrap().seq, 151);
    assert_eq!(stored[0].prev_hash, first.hash);

    let everything = acme.evidence(&all()).await.unwrap();
    assert_eq!(everything.len(), 151);
    assert_eq!(
        everything[10], stored[9],
        "what is read back is what was written"
    );

    let probes = acme
        .evidence(&EvidenceQuery {
            kind: Some(EvidenceKind::Probe),
            subject: Some("erp-db".into()),
            ..all()
        })
        .await
        .unwrap();
    assert_eq!(probes.len(), 25);
    assert!(
        probes
            .iter()
            .all(|e| e.record.kind == EvidenceKind::Probe && e.record.subject == "erp-db")
    );

    let window = acme
        .evidence(&EvidenceQuery {
            from_ms: Some(2_010),
            to_ms: Some(2_020),
            ..all()
        })
        .await
        .unwrap();
    assert_eq!(window.len(), 10);

    // Pages of 40 cover everything once, in order.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = acme
            .evidence(&EvidenceQuery {
                after_seq: after,
                limit: 40,
                ..Default::default()
            })
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.seq);
        seen.extend(page.iter().map(|e| e.seq));
    }
    assert_eq!(seen, (1..=151).collect::<Vec<i64>>());

    let report = acme.verify_evidence().await.unwrap();
    assert_eq!(
        (report.checked, report.head, report.broken),
        (151, 151, None)
    );
}
on_both!(evidence_is_numbered_chained_and_queried);

async fn tampering_by_hand_is_found_and_named(db: &Db) {
    let store = db.open().await;
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let records: Vec<NewEvidence> = (0..100)
        .map(|i| record(EvidenceKind::Restore, "erp-db", i))
        .collect();
    acme.append_batch(records).await.unwrap();
    assert_eq!(acme.verify_evidence().await.unwrap().broken, None);
    let raw = db.raw().await;
    let sql = |q: &'static str| {
        let raw = raw.clone();
        async move { raw.execute(q).await.expect(q) }
    };

    // Edit one figure of record 42.
    sql("UPDATE evidence SET measurements = '{\"bytes_added\":1}' WHERE tenant_id = 'acme' AND seq = 42").await;
    let report = acme.verify_evidence().await.unwrap();
    assert_eq!(report.broken_seq, Some(42));
    assert!(report.broken.unwrap().contains("record #42 was edited"));
    // Put it back: it verifies again.
    sql("UPDATE evidence SET measurements = '{\"bytes_added\":41,\"files\":{\"new\":3}}' WHERE tenant_id = 'acme' AND seq = 42").await;
    assert_eq!(acme.verify_evidence().await.unwrap().broken, None);

    // Turn a failure into a success (or the reverse): named.
    sql("UPDATE evidence SET outcome = 'failure' WHERE tenant_id = 'acme' AND seq = 60").await;
    assert_eq!(acme.verify_evidence().await.unwrap().broken_seq, Some(60));
    sql("UPDATE evidence SET outcome = 'success' WHERE tenant_id = 'acme' AND seq = 60").await;

    // Remove a record in the middle.
    sql("DELETE FROM evidence WHERE tenant_id = 'acme' AND seq = 70").await;
    let report = acme.verify_evidence().await.unwrap();
    assert_eq!(report.broken_seq, Some(70));
    assert!(report.broken.unwrap().contains("record #70 was removed"));

    // Remove only the newest records: the head still knows.
    let tail = store
        .upsert_tenant("tail", "Tail", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let records = (0..10)
        .map(|i| record(EvidenceKind::Probe, "web", i))
        .collect();
    tail.append_batch(records).await.unwrap();
    sql("DELETE FROM evidence WHERE tenant_id = 'tail' AND seq > 8").await;
    let report = tail.verify_evidence().await.unwrap();
    assert_eq!(report.broken_seq, Some(9));
    assert!(report.broken.unwrap().contains("the newest were removed"));
    raw.close().await;
}
on_both!(tampering_by_hand_is_found_and_named);

async fn tenants_never_see_each_other(db: &Db) {
    let store = db.open().await;
    let a = store
        .upsert_tenant("a", "A", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let b = store
        .upsert_tenant("b", "B", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    a.append(record(EvidenceKind::Backup, "secret-a", 1))
        .await
        .unwrap();
    b.append(record(EvidenceKind::Backup, "secret-b", 1))
        .await
        .unwrap();
    let of_b = b.evidence(&all()).await.unwrap();
    assert_eq!(of_b.len(), 1);
    assert_eq!(of_b[0].record.subject, "secret-b");
    assert_eq!(of_b[0].seq, 1, "each tenant has its own log");
    a.sync_jobs(&[spec("x", None)]).await.unwrap();
    assert!(b.jobs().await.unwrap().is_empty());
    assert_eq!(
        b.run_now("backup", "x", 0).await.unwrap(),
        RunNow::NoSuchJob
    );
}
on_both!(tenants_never_see_each_other);

async fn concurrent_appends_keep_one_unbroken_chain(db: &Db) {
    let store = db.open().await;
    store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for w in 0..6 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let acme = store.tenant("acme").await.unwrap();
            for i in 0..30 {
                let subject = format!("w{w}");
                acme.append(record(EvidenceKind::Probe, &subject, i))
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let acme = store.tenant("acme").await.unwrap();
    let report = acme.verify_evidence().await.unwrap();
    assert_eq!(
        (report.checked, report.head, report.broken),
        (180, 180, None)
    );
}
on_both!(concurrent_appends_keep_one_unbroken_chain);

fn spec(subject: &str, due: Option<i64>) -> JobSpec {
    JobSpec {
        kind: "backup".into(),
        subject: subject.into(),
        schedule: Some("every 1h".into()),
        first_due_ms: due,
    }
}

fn success(next_due_ms: Option<i64>) -> RunEnd {
    RunEnd {
        success: true,
        error: None,
        next_due_ms,
    }
}

async fn a_job_never_overlaps_itself_and_is_retried_after_its_lease(db: &Db) {
    let store = db.open().await;
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let t0 = 1_000_000;
    let hour = 3_600_000;
    acme.sync_jobs(&[spec("erp-db", Some(t0)), spec("files", Some(t0 + hour))])
        .await
        .unwrap();
    assert_eq!(store.queue_depth(t0).await.unwrap(), 1);
    assert_eq!(store.next_due().await.unwrap(), Some(t0));

    let job = store.claim("server-a", t0, 60_000, 4).await.unwrap();
    let job = job.expect("a due job");
    assert_eq!((job.subject.as_str(), job.attempt), ("erp-db", 1));
    // Running: nobody else gets it, not even past its due time.
    assert_eq!(
        store
            .claim("server-b", t0 + 1_000, 60_000, 4)
            .await
            .unwrap(),
        None
    );
    let now = acme.run_now("backup", "erp-db", t0 + 1_000).await.unwrap();
    assert_eq!(now, RunNow::AlreadyRunning);
    assert!(store.renew(&job, "server-a", t0 + 120_000).await.unwrap());

    // server-a dies: once its lease has expired, server-b retries the job.
    let retry = store
        .claim("server-b", t0 + 121_000, 60_000, 4)
        .await
        .unwrap();
    let retry = retry.expect("the job is retried");
    assert_eq!((retry.job_id, retry.attempt), (job.job_id, 2));
    let renewed = store.renew(&job, "server-a", t0 + 200_000).await.unwrap();
    assert!(!renewed, "the old lease is gone");
    let end = success(Some(t0 + hour));
    assert!(
        !store
            .finish(&job, "server-a", t0 + 122_000, &end)
            .await
            .unwrap()
    );
    assert!(
        store
            .finish(&retry, "server-b", t0 + 125_000, &end)
            .await
            .unwrap()
    );

    let jobs = acme.jobs().await.unwrap();
    let erp = jobs.iter().find(|j| j.subject == "erp-db").unwrap();
    assert_eq!((erp.attempt, erp.due_ms), (0, Some(t0 + hour)));
    assert_eq!(erp.lease_owner, None);
    assert_eq!(erp.last_outcome.as_deref(), Some("success"));
    let runs = acme.job_runs(erp.id, 10).await.unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].owner, "server-b");
    assert_eq!(runs[0].outcome.as_deref(), Some("success"));

    // Run now, then a failure keeps the attempt count for the backoff.
    let now = acme
        .run_now("backup", "erp-db", t0 + 200_000)
        .await
        .unwrap();
    assert_eq!(now, RunNow::Scheduled);
    let again = store
        .claim("server-a", t0 + 200_000, 60_000, 4)
        .await
        .unwrap();
    let again = again.expect("run now");
    let failed = RunEnd {
        success: false,
        error: Some("repository unreachable".into()),
        next_due_ms: Some(t0 + 260_000),
    };
    assert!(
        store
            .finish(&again, "server-a", t0 + 201_000, &failed)
            .await
            .unwrap()
    );
    let jobs = acme.jobs().await.unwrap();
    let erp = jobs.iter().find(|j| j.subject == "erp-db").unwrap();
    assert_eq!(erp.attempt, 1);
    assert_eq!(erp.last_error.as_deref(), Some("repository unreachable"));

    // A graceful stop releases leases; a job dropped from the plan goes.
    // At t0 + 1h, the failed job's retry (due earlier) comes first.
    let first = store.claim("server-a", t0 + hour, 60_000, 4).await.unwrap();
    assert_eq!(first.expect("retry is due").subject, "erp-db");
    let second = store.claim("server-a", t0 + hour, 60_000, 4).await.unwrap();
    assert_eq!(second.expect("files is due").subject, "files");
    assert_eq!(store.release_all("server-a").await.unwrap(), 2);
    acme.sync_jobs(&[spec("files", Some(t0))]).await.unwrap();
    let left: Vec<String> = acme
        .jobs()
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.subject)
        .collect();
    assert_eq!(left, ["files"]);
}
on_both!(a_job_never_overlaps_itself_and_is_retried_after_its_lease);

async fn the_per_tenant_limit_holds(db: &Db) {
    let store = db.open().await;
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let other = store
        .upsert_tenant("other", "Other", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let five: Vec<JobSpec> = (0..5).map(|i| spec(&format!("b{i}"), Some(0))).collect();
    acme.sync_jobs(&five).await.unwrap();
    other.sync_jobs(&[spec("o", Some(10))]).await.unwrap();
    let mut claimed = Vec::new();
    while let Some(j) = store.claim("s", 100, 60_000, 2).await.unwrap() {
        claimed.push((j.tenant, j.subject));
    }
    let acme_running = claimed.iter().filter(|(t, _)| t == "acme").count();
    assert_eq!(acme_running, 2, "{claimed:?}");
    assert!(
        claimed.contains(&("other".into(), "o".into())),
        "{claimed:?}"
    );
}
on_both!(the_per_tenant_limit_holds);

async fn many_servers_claim_each_job_exactly_once(db: &Db) {
    let store = db.open().await;
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let specs: Vec<JobSpec> = (0..300).map(|i| spec(&format!("j{i}"), Some(i))).collect();
    acme.sync_jobs(&specs).await.unwrap();
    let now = now_ms();
    let mut servers = Vec::new();
    for s in 0..4 {
        // Separate stores: separate connection pools, as separate processes have.
        let store = db.open().await;
        servers.push(tokio::spawn(async move {
            let owner = format!("server-{s}");
            let mut ran = 0;
            while let Some(job) = store.claim(&owner, now, 600_000, 1_000).await.unwrap() {
                assert!(
                    store
                        .finish(&job, &owner, now, &success(None))
                        .await
                        .unwrap()
                );
                ran += 1;
            }
            ran
        }));
    }
    let mut total = 0;
    for s in servers {
        total += s.await.unwrap();
    }
    assert_eq!(total, 300);
    for job in acme.jobs().await.unwrap() {
        let runs = acme.job_runs(job.id, 10).await.unwrap();
        assert_eq!(runs.len(), 1, "job {}", job.subject);
    }
}
on_both!(many_servers_claim_each_job_exactly_once);

async fn tokens_are_kept_hashed_and_scoped(db: &Db) {
    let store = db.open().await;
    store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let (_, msp_secret) = store.create_token("msp", &TokenScope::Msp).await.unwrap();
    let (_, acme_secret) = store
        .create_token("acme-portal", &TokenScope::Tenant("acme".into()))
        .await
        .unwrap();
    assert!(msp_secret.starts_with("rpt_") && msp_secret.len() == 68);
    let msp = store.authenticate(&msp_secret).await.unwrap().unwrap();
    assert_eq!((msp.scope, msp.name.as_str()), (TokenScope::Msp, "msp"));
    let acme = store.authenticate(&acme_secret).await.unwrap().unwrap();
    assert!(acme.scope.allows("acme") && !acme.scope.allows("other"));
    assert_eq!(acme.name, "acme-portal");
    assert_eq!(store.authenticate("rpt_00").await.unwrap(), None);
    assert_eq!(store.authenticate("").await.unwrap(), None);
    let unknown = store
        .create_token("x", &TokenScope::Tenant("nobody".into()))
        .await;
    assert!(matches!(unknown, Err(StoreError::UnknownTenant(_))));
    // Only the hash is in the database.
    let raw = db.raw().await;
    let stored: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM api_token")
        .fetch_all(&raw)
        .await
        .unwrap();
    assert!(
        stored
            .iter()
            .all(|(h,)| h.len() == 64 && !h.contains(&msp_secret[4..]))
    );
    raw.close().await;
    assert!(store.revoke_token(msp.id).await.unwrap());
    assert_eq!(store.authenticate(&msp_secret).await.unwrap(), None);
    assert_eq!(store.tokens().await.unwrap().len(), 1);
}
on_both!(tokens_are_kept_hashed_and_scoped);

/// A 1 MiB tmpfs, unmounted on drop: a disk that fills up for real.
struct TinyDisk(std::path::PathBuf);

impl TinyDisk {
    fn mount() -> TinyDisk {
        let dir = std::env::temp_dir().join(unique("rempart-full-disk"));
        std::fs::create_dir_all(&dir).unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(&dir)
            .status()
            .expect("mount runs");
        assert!(
            status.success(),
            "mounting a tmpfs needs root (CI runs as root)"
        );
        TinyDisk(dir)
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_a_clear_error_and_leaves_no_half_written_evidence() {
    let disk = TinyDisk::mount();
    let store = Store::open(&Location::DataDir(disk.0.join("data")))
        .await
        .expect("a fresh store fits");
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let mut written = 0;
    let error = loop {
        let batch = (0..20)
            .map(|i| NewEvidence {
                message: "x".repeat(4_000),
                ..record(EvidenceKind::Backup, "erp-db", i)
            })
            .collect();
        match acme.append_batch(batch).await {
            Ok(stored) => written += stored.len(),
            Err(e) => break e,
        }
        assert!(written < 10_000, "the disk never filled up");
    };
    let text = error.to_string();
    assert!(
        text.contains("appending evidence") && text.contains("full"),
        "{text}"
    );
    // What was committed is whole and chained; the failed batch left nothing.
    let report = acme.verify_evidence().await.unwrap();
    assert_eq!(report.broken, None, "{report:?}");
    assert_eq!(report.head, i64::try_from(written).unwrap());
    assert_eq!(
        acme.evidence(&all()).await.unwrap().len(),
        written.min(1_000)
    );
    store.close().await;
}

async fn retention_removes_a_prefix_and_the_chain_still_verifies(db: &Db) {
    let store = db.open().await;
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let records = (0..50)
        .map(|i| record(EvidenceKind::Probe, "web", i * 1_000))
        .collect();
    acme.append_batch(records).await.unwrap();
    // Records started before 20 s go: #1 to #20.
    assert_eq!(acme.prune_evidence(20_000, "cli:test").await.unwrap(), 20);
    assert_eq!(acme.prune_evidence(20_000, "cli:test").await.unwrap(), 0);
    let left = acme.evidence(&all()).await.unwrap();
    assert_eq!(left.first().map(|e| e.seq), Some(21));
    let report = acme.verify_evidence().await.unwrap();
    assert_eq!((report.checked, report.head, report.broken), (30, 50, None));
    // Appends go on after the anchor.
    acme.append(record(EvidenceKind::Probe, "web", 99_000))
        .await
        .unwrap();
    assert_eq!(acme.verify_evidence().await.unwrap().checked, 31);
    // Removing a kept record by hand is still caught.
    let raw = db.raw().await;
    raw.execute("DELETE FROM evidence WHERE tenant_id = 'acme' AND seq = 21")
        .await
        .unwrap();
    assert_eq!(acme.verify_evidence().await.unwrap().broken_seq, Some(21));
    // The removal itself is on record.
    let (n, by): (i64, String) = sqlx::query_as("SELECT removed, done_by FROM evidence_retention")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!((n, by.as_str()), (20, "cli:test"));
    raw.close().await;
}
on_both!(retention_removes_a_prefix_and_the_chain_still_verifies);

/// Repository locks: on PostgreSQL a backup (shared) waits while another
/// server prunes the repository (exclusive), shared holders do not wait
/// for each other, and tenants do not share locks. On SQLite (one host,
/// the engine's file lock) they never wait.
async fn repository_locks_keep_a_prune_apart_from_backups(db: &Db) {
    let server_a = db.open().await;
    let server_b = db.open().await;
    let postgres = server_a.backend() == rempart_store::Backend::Postgres;
    let a = server_a
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let b = server_b
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let prune = a.lock_repositories(&["nas"], true).await.unwrap();
    let backup = tokio::spawn(async move {
        let held = b.lock_repositories(&["s3", "nas"], false).await.unwrap();
        let at = std::time::Instant::now();
        held.release().await;
        at
    });
    if postgres {
        // The backup's session is seen waiting on the prune's lock.
        let raw = AnyPool::connect(&db.raw_url).await.unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let waiting: i64 = sqlx::query(
                "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            )
            .fetch_one(&raw)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
            if waiting > 0 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the backup never waited for the prune"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        raw.close().await;
        assert!(!backup.is_finished(), "the backup waits for the prune");
    } else {
        // One host: the engine's file lock does it; the store's never waits.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !backup.is_finished() {
            assert!(
                std::time::Instant::now() < deadline,
                "on SQLite the store's lock made the backup wait"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    let released = std::time::Instant::now();
    prune.release().await;
    let got = tokio::time::timeout(std::time::Duration::from_secs(10), backup)
        .await
        .expect("the backup gets its locks once the prune is done")
        .unwrap();
    if postgres {
        assert!(got >= released);
    }
    // Shared holders, and another tenant's repository of the same name,
    // do not wait.
    let b = server_b
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let other = server_b
        .upsert_tenant("other", "Other", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let one = a.lock_repositories(&["nas"], false).await.unwrap();
    let two = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        b.lock_repositories(&["nas"], false),
    )
    .await
    .expect("shared locks do not wait for each other")
    .unwrap();
    let elsewhere = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        other.lock_repositories(&["nas"], true),
    )
    .await
    .expect("another tenant's \"nas\" is another repository")
    .unwrap();
    // Dropped without release: the session ends and the lock goes with it.
    drop(one);
    two.release().await;
    elsewhere.release().await;
    let again = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        b.lock_repositories(&["nas"], true),
    )
    .await
    .expect("a dropped guard leaves no lock behind")
    .unwrap();
    again.release().await;
}
on_both!(repository_locks_keep_a_prune_apart_from_backups);

/// The outbox: a notification is queued once per channel and key, held by
/// one sender at a time, retried when it fails, and nothing is lost when a
/// sender dies holding it (its lease runs out).
async fn the_outbox_queues_once_and_hands_each_notification_to_one_sender(db: &Db) {
    let store = db.open().await;
    let t = store
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let other = store
        .upsert_tenant("other", "Other", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let note = |channel: &str, key: &str| rempart_store::NewNotification {
        channel: channel.into(),
        dedup_key: key.into(),
        subject: format!("{key} on {channel}"),
        body: json!({ "text": key }),
        attachment: None,
    };
    let now = 1_000_000;
    let batch = [note("hook", "a"), note("hook", "b"), note("mail", "a")];
    assert_eq!(t.enqueue(&batch, now).await.unwrap(), 3);
    // The same key for the same channel is not queued again.
    assert_eq!(t.enqueue(&[note("hook", "a")], now + 5).await.unwrap(), 0);
    assert_eq!(other.enqueue(&[note("hook", "a")], now).await.unwrap(), 1);
    assert_eq!(store.notifications_pending().await.unwrap(), 4);

    // Two senders: each notification goes to one of them.
    let (x, y) = tokio::join!(
        store.claim_notifications("x", now, 30_000, 3),
        store.claim_notifications("y", now, 30_000, 3)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    let mut ids: Vec<i64> = x.iter().chain(&y).map(|n| n.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 4, "{x:?} {y:?}");
    assert_eq!(x.len() + y.len(), 4);
    let all: Vec<_> = x
        .iter()
        .map(|n| (n, "x"))
        .chain(y.iter().map(|n| (n, "y")))
        .collect();
    let hook_a = all
        .iter()
        .find(|(n, _)| n.tenant == "acme" && n.channel == "hook" && n.dedup_key == "a")
        .unwrap();
    assert_eq!(hook_a.0.body, json!({ "text": "a" }));

    // A failure is retried when due, by whoever claims it then.
    let (failed, owner) = all.iter().find(|(n, _)| n.channel == "mail").unwrap();
    assert!(
        !store
            .notification_failed(failed.id, "nobody", now, "no", Some(now + 2_000))
            .await
            .unwrap()
    );
    assert!(
        store
            .notification_failed(
                failed.id,
                owner,
                now,
                "connection refused",
                Some(now + 2_000)
            )
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_notifications("z", now + 1_000, 30_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = store
        .claim_notifications("z", now + 2_000, 30_000, 10)
        .await
        .unwrap();
    assert_eq!(again.iter().map(|n| n.id).collect::<Vec<_>>(), [failed.id]);
    assert_eq!(
        (again[0].attempts, again[0].last_error.as_deref()),
        (1, Some("connection refused"))
    );
    assert!(
        store
            .notification_sent(failed.id, "z", now + 2_100)
            .await
            .unwrap()
    );

    // A sender that died holding some: they come back after its lease.
    for (n, owner) in all
        .iter()
        .filter(|(n, _)| n.id != failed.id && n.id != hook_a.0.id)
    {
        assert!(
            store
                .notification_sent(n.id, owner, now + 10)
                .await
                .unwrap()
        );
    }
    assert!(
        store
            .claim_notifications("w", now + 29_000, 30_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let back = store
        .claim_notifications("w", now + 30_001, 30_000, 10)
        .await
        .unwrap();
    assert_eq!(back.iter().map(|n| n.id).collect::<Vec<_>>(), [hook_a.0.id]);
    // The dead sender's late word no longer counts.
    assert!(
        !store
            .notification_sent(hook_a.0.id, hook_a.1, now + 30_002)
            .await
            .unwrap()
    );
    // Given up: no longer due.
    assert!(
        store
            .notification_failed(hook_a.0.id, "w", now + 30_003, "410 Gone", None)
            .await
            .unwrap()
    );
    assert_eq!(store.notifications_pending().await.unwrap(), 0);
    let listed = t.notifications(10).await.unwrap();
    assert_eq!(listed.len(), 3, "the other tenant's is not listed");
    let gone = listed.iter().find(|n| n.id == hook_a.0.id).unwrap();
    assert_eq!(
        (gone.gave_up_ms, gone.due_ms, gone.sent_ms),
        (Some(now + 30_003), None, None)
    );
    assert!(
        listed
            .iter()
            .filter(|n| n.id != hook_a.0.id)
            .all(|n| n.sent_ms.is_some())
    );
}
on_both!(the_outbox_queues_once_and_hands_each_notification_to_one_sender);

async fn an_attachment_is_kept_whole_with_its_notification(db: &Db) {
    let store = db.open().await;
    let t = store
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    // Every byte value, and more than a page of them.
    let content: Vec<u8> = (0..70_000u32).map(|i| (i % 256) as u8).collect();
    let note = |channel: &str, attachment: Option<rempart_store::Attachment>| {
        rempart_store::NewNotification {
            channel: channel.into(),
            dedup_key: "sla-report/2026-11".into(),
            subject: "Monthly service report".into(),
            body: json!({ "text": "attached" }),
            attachment,
        }
    };
    let pdf = rempart_store::Attachment {
        file_name: "sla-acme-2026-11.pdf".into(),
        content_type: "application/pdf".into(),
        content: content.clone(),
    };
    assert!(!t.queued("sla-report/2026-11").await.unwrap());
    let now = 1_000_000;
    assert_eq!(
        t.enqueue(
            &[
                note("contact:boss", Some(pdf.clone())),
                note("contact:cfo", None)
            ],
            now
        )
        .await
        .unwrap(),
        2
    );
    assert!(t.queued("sla-report/2026-11").await.unwrap());
    assert!(!t.queued("sla-report/2026-10").await.unwrap());
    let claimed = store
        .claim_notifications("x", now, 30_000, 10)
        .await
        .unwrap();
    let boss = claimed
        .iter()
        .find(|n| n.channel == "contact:boss")
        .unwrap();
    assert_eq!(boss.attachment.as_ref(), Some(&pdf), "the very bytes");
    let cfo = claimed.iter().find(|n| n.channel == "contact:cfo").unwrap();
    assert_eq!(cfo.attachment, None);
    // Listed with its name and size, never its bytes.
    let listed = serde_json::to_value(t.notifications(10).await.unwrap()).unwrap();
    let shown = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["channel"] == "contact:boss")
        .unwrap()
        .clone();
    assert_eq!(
        shown["attachment"],
        json!({ "file_name": "sla-acme-2026-11.pdf", "content_type": "application/pdf", "bytes": 70_000 })
    );
}
on_both!(an_attachment_is_kept_whole_with_its_notification);

/// Monitor states: saved (alone or several in one transaction), replaced,
/// read back with when they were saved, per tenant.
async fn monitor_states_are_kept_per_tenant_and_monitor(db: &Db) {
    use rempart_core::monitoring::{Health, Rules, Tracker};
    let store = db.open().await;
    let t = store
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let other = store
        .upsert_tenant("other", "Other", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let mut web = Tracker::default();
    web.observe(true, 1_000, "ok", &[], Rules::default());
    t.save_monitor_state("web", &web, 1_000).await.unwrap();
    t.save_monitor_state("db", &Tracker::default(), 1_000)
        .await
        .unwrap();
    other
        .save_monitor_state("web", &Tracker::default(), 1_000)
        .await
        .unwrap();
    web.observe(
        false,
        2_000,
        "refused",
        &[],
        Rules {
            confirm: 1,
            ..Rules::default()
        },
    );
    let db_tracker = Tracker {
        last_message: "db ok".into(),
        ..Tracker::default()
    };
    t.save_monitor_states(&[("web", &web), ("db", &db_tracker)], 2_000)
        .await
        .unwrap();
    t.save_monitor_states(&[], 3_000).await.unwrap();
    let got = t.all_monitor_states().await.unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got["web"].0.state, Some(Health::Down));
    assert_eq!(got["web"].0.last_message, "refused");
    assert_eq!(
        (got["db"].0.last_message.as_str(), got["db"].1),
        ("db ok", 2_000)
    );
    let theirs = other.all_monitor_states().await.unwrap();
    assert_eq!((theirs.len(), theirs["web"].0.state), (1, None));
    let fresh = store
        .upsert_tenant("fresh", "Fresh", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    assert!(fresh.all_monitor_states().await.unwrap().is_empty());
}
on_both!(monitor_states_are_kept_per_tenant_and_monitor);

/// Alerts: opened, escalated by one server at a time when due, stopped by
/// an acknowledgement or a resolution.
async fn alerts_escalate_when_due_until_acknowledged(db: &Db) {
    let store = db.open().await;
    let t = store
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let a = t
        .open_alert("web", "default", 1_000, Some(4_000))
        .await
        .unwrap();
    let b = t
        .open_alert("db", "default", 1_000, Some(4_000))
        .await
        .unwrap();
    assert_eq!((a.step, a.next_due_ms, a.acked_ms), (0, Some(4_000), None));
    assert!(
        store
            .claim_due_alerts("x", 3_999, 30_000)
            .await
            .unwrap()
            .is_empty()
    );
    let (x, y) = tokio::join!(
        store.claim_due_alerts("x", 4_000, 30_000),
        store.claim_due_alerts("y", 4_000, 30_000)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(
        x.len() + y.len(),
        2,
        "each alert to one server: {x:?} {y:?}"
    );
    let owner = |id: i64| {
        if x.iter().any(|a| a.id == id) {
            "x"
        } else {
            "y"
        }
    };
    assert!(
        store
            .advance_alert(a.id, owner(a.id), 1, Some(9_000))
            .await
            .unwrap()
    );
    // Acknowledged while held: the late advance does not revive it.
    let acked = t.ack_alert(b.id, "boss", 5_000).await.unwrap().unwrap();
    assert_eq!(
        (acked.acked_by.as_deref(), acked.next_due_ms),
        (Some("boss"), None)
    );
    assert!(
        !store
            .advance_alert(b.id, owner(b.id), 1, Some(9_000))
            .await
            .unwrap()
    );
    // A second acknowledgement keeps the first.
    let again = t.ack_alert(b.id, "someone", 6_000).await.unwrap().unwrap();
    assert_eq!(
        (again.acked_by.as_deref(), again.acked_ms),
        (Some("boss"), Some(5_000))
    );
    let due = store.claim_due_alerts("z", 9_000, 30_000).await.unwrap();
    assert_eq!(
        due.iter().map(|d| (d.id, d.step)).collect::<Vec<_>>(),
        [(a.id, 1)]
    );
    // Resolved: nothing more is due.
    let closed = t.resolve_alert("web", 9_500).await.unwrap().unwrap();
    assert_eq!((closed.id, closed.resolved_ms), (a.id, Some(9_500)));
    assert!(t.resolve_alert("web", 9_600).await.unwrap().is_none());
    assert!(
        store
            .claim_due_alerts("z", 100_000, 30_000)
            .await
            .unwrap()
            .is_empty()
    );
    let other = store
        .upsert_tenant("other", "Other", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    assert!(
        other
            .ack_alert(a.id, "intruder", 10_000)
            .await
            .unwrap()
            .is_none(),
        "another tenant's alert"
    );
    assert_eq!(
        store.server_secret("ack").await.unwrap(),
        store.server_secret("ack").await.unwrap()
    );
    assert_eq!(store.server_secret("ack").await.unwrap().len(), 64);
}
on_both!(alerts_escalate_when_due_until_acknowledged);

/// SLA buckets: checks counted per minute, rolled into hours after 48 h
/// and into days after 90 days, totals kept; outages open and close.
async fn check_buckets_roll_up_and_keep_their_totals(db: &Db) {
    use rempart_store::sla::{DAY_MS, HOUR_MS, MINUTE_MS};
    let store = db.open().await;
    let t = store
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let now = 1_000 * DAY_MS + 12 * HOUR_MS;
    // 100 days ago, 3 days ago (twice in one minute), and now.
    let old = now - 100 * DAY_MS;
    let recent = now - 3 * DAY_MS;
    // One check of "web" at `at_ms`, counted as the supervisor counts it.
    let check = |at_ms: i64, up: bool, maintenance: bool, latency_ms: i64| {
        let bucket = rempart_store::sla::Bucket {
            start_ms: at_ms - at_ms.rem_euclid(MINUTE_MS),
            length_ms: MINUTE_MS,
            checks: 1,
            up: i64::from(up && !maintenance),
            maintenance: i64::from(maintenance),
            latency_sum_ms: latency_ms,
        };
        let t = &t;
        async move {
            t.record_checks(&[("web".to_owned(), bucket)])
                .await
                .unwrap()
        }
    };
    check(old, true, false, 10).await;
    check(old + MINUTE_MS, false, false, 30).await;
    check(recent, true, false, 5).await;
    check(recent + 1_000, false, true, 7).await;
    check(now, true, false, 1).await;
    let before = t.buckets("web", 0, i64::MAX).await.unwrap();
    assert_eq!(before.len(), 4, "{before:?}");
    assert_eq!(
        (before[2].checks, before[2].up, before[2].maintenance),
        (2, 1, 1)
    );
    let rolled = store.roll_up_buckets(now).await.unwrap();
    assert!(rolled >= 3, "{rolled}");
    let after = t.buckets("web", 0, i64::MAX).await.unwrap();
    let lengths: Vec<i64> = after.iter().map(|b| b.length_ms).collect();
    assert_eq!(lengths, [DAY_MS, HOUR_MS, MINUTE_MS], "{after:?}");
    assert_eq!(
        (after[0].checks, after[0].up, after[0].latency_sum_ms),
        (2, 1, 40)
    );
    assert_eq!((after[1].checks, after[1].maintenance), (2, 1));
    let total: i64 = after.iter().map(|b| b.checks).sum();
    assert_eq!(total, 5, "nothing lost in the roll-up");
    assert_eq!(store.roll_up_buckets(now).await.unwrap(), 0, "idempotent");

    t.open_downtime("web", "down", 1_000, "connection refused")
        .await
        .unwrap();
    t.open_downtime("web", "unreachable", 2_000, "router down")
        .await
        .unwrap();
    t.close_downtime("web", 5_000).await.unwrap();
    let d = t.downtimes(0, 10_000).await.unwrap();
    let spans: Vec<(&str, i64, Option<i64>)> = d
        .iter()
        .map(|x| (x.state.as_str(), x.start_ms, x.end_ms))
        .collect();
    assert_eq!(
        spans,
        [
            ("down", 1_000, Some(2_000)),
            ("unreachable", 2_000, Some(5_000))
        ]
    );
    assert!(t.downtimes(6_000, 10_000).await.unwrap().is_empty());
}
on_both!(check_buckets_roll_up_and_keep_their_totals);

/// Maintenance windows set through the API: listed until over, scoped to
/// their monitors, removable, per tenant.
async fn maintenance_windows_cover_their_monitors_until_they_end(db: &Db) {
    let store = db.open().await;
    let t = store
        .upsert_tenant("acme", "Acme", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let other = store
        .upsert_tenant("other", "Other", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let web = t
        .add_maintenance(&["web".into()], 1_000, 5_000, "move", "api", 500)
        .await
        .unwrap();
    let all = t
        .add_maintenance(&[], 2_000, 3_000, "power", "api", 500)
        .await
        .unwrap();
    assert!(web.covers("web", 1_000) && !web.covers("db", 1_000) && !web.covers("web", 5_000));
    assert!(all.covers("db", 2_500));
    let ids = |ws: Vec<rempart_store::Window>| ws.iter().map(|w| w.id).collect::<Vec<_>>();
    assert_eq!(
        ids(t.maintenance_windows(2_500).await.unwrap()),
        [web.id, all.id]
    );
    assert_eq!(
        ids(t.maintenance_windows(3_000).await.unwrap()),
        [web.id],
        "the second is over"
    );
    assert!(other.maintenance_windows(0).await.unwrap().is_empty());
    assert!(
        !other.remove_maintenance(web.id).await.unwrap(),
        "another tenant's window"
    );
    assert!(t.remove_maintenance(web.id).await.unwrap());
    assert_eq!(ids(t.maintenance_windows(0).await.unwrap()), [all.id]);
}
on_both!(maintenance_windows_cover_their_monitors_until_they_end);

/// Pings are written with what they carried, on both backends: a failure's
/// body is kept as the last body and the last failure's; a log changes no
/// state; an unknown token is said.
async fn pings_keep_their_bodies(db: &Db) {
    use rempart_store::{Ping, Pinged, kept_body};
    let store = db.open().await;
    store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let acme = store.tenant("acme").await.unwrap();
    let h = acme.ensure_heartbeat("nightly", 1_000).await.unwrap();
    let ping = |ping, at_ms, body: &str| Pinged {
        token: h.token.clone(),
        ping,
        at_ms,
        body: kept_body(body.as_bytes(), body.len() as u64),
    };
    let known = store
        .record_pings(&[
            ping(Ping::Start, 2_000, ""),
            ping(Ping::Exit(3), 3_000, "ERROR: disk full"),
            ping(Ping::Log, 4_000, "cleaning up"),
            Pinged {
                token: "nope".into(),
                ping: Ping::Success,
                at_ms: 5_000,
                body: None,
            },
        ])
        .await
        .unwrap();
    let who = Some(("acme".to_owned(), "nightly".to_owned()));
    assert_eq!(known, [who.clone(), who.clone(), who, None]);
    let h = acme.heartbeat("nightly").await.unwrap().unwrap();
    assert_eq!(
        (
            h.last_start_ms,
            h.last_fail_ms,
            h.last_exit,
            h.last_ping_ms,
            h.pings
        ),
        (Some(2_000), Some(3_000), Some(3), None, 3)
    );
    assert_eq!(h.last_fail_body.as_deref(), Some("ERROR: disk full"));
    assert_eq!(
        (
            h.last_body.as_deref(),
            h.last_body_ms,
            h.last_body_kind.as_deref()
        ),
        (Some("cleaning up"), Some(4_000), Some("log"))
    );
    // A success without a body leaves the last body as it was.
    store
        .record_pings(&[ping(Ping::Success, 6_000, "")])
        .await
        .unwrap();
    let h = acme.heartbeat("nightly").await.unwrap().unwrap();
    assert_eq!((h.last_ping_ms, h.last_exit), (Some(6_000), Some(0)));
    assert_eq!(h.last_body.as_deref(), Some("cleaning up"));
    // Cut at the limit, at a character, its full size said.
    let long = "é".repeat(6_000);
    let kept = kept_body(long.as_bytes(), long.len() as u64).unwrap();
    assert!(kept.starts_with(&"é".repeat(5_000)), "{}", &kept[..20]);
    assert!(
        kept.ends_with("… (cut: the first 10000 of 12000 bytes kept)"),
        "{kept}"
    );
    assert!(!kept.contains('\u{FFFD}'));
}

on_both!(pings_keep_their_bodies);

async fn users_log_in_lock_out_and_keep_sessions(db: &Db) {
    use rempart_store::{ACCOUNT_LOCK_AFTER, ADDRESS_LIMIT, Login, NewSession, Role, UserProblem};
    let store = db.open().await;
    store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let pw = "correct horse battery";
    let admin = store
        .add_user("Admin@MSP.example", pw, Role::MspAdmin, None)
        .await
        .unwrap();
    assert_eq!(
        (admin.email.as_str(), admin.tenant.as_deref()),
        ("admin@msp.example", None)
    );
    let client = store
        .add_user("boss@acme.example", pw, Role::ClientAdmin, Some("acme"))
        .await
        .unwrap();
    assert!(client.reaches("acme") && !client.reaches("other") && admin.reaches("other"));
    // What is refused, and why.
    let refused = |r: rempart_store::Result<rempart_store::User>| match r {
        Err(StoreError::User(p)) => p,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        refused(
            store
                .add_user("x@acme.example", pw, Role::ClientViewer, None)
                .await
        ),
        UserProblem::TenantNeeded(Role::ClientViewer)
    );
    assert_eq!(
        refused(
            store
                .add_user("x@msp.example", pw, Role::MspOperator, Some("acme"))
                .await
        ),
        UserProblem::TenantRefused(Role::MspOperator)
    );
    assert_eq!(
        refused(
            store
                .add_user("x@acme.example", pw, Role::ClientViewer, Some("nobody"))
                .await
        ),
        UserProblem::UnknownTenant("nobody".into())
    );
    assert_eq!(
        refused(
            store
                .add_user("ADMIN@msp.example", pw, Role::MspOperator, None)
                .await
        ),
        UserProblem::Exists("admin@msp.example".into())
    );
    assert_eq!(
        refused(
            store
                .add_user("x@acme.example", "short", Role::ClientViewer, Some("acme"))
                .await
        ),
        UserProblem::ShortPassword
    );
    assert_eq!(store.users(None).await.unwrap().len(), 2);
    assert_eq!(
        store.users(Some("acme")).await.unwrap(),
        vec![client.clone()]
    );
    // Only an argon2id hash is stored.
    let raw = db.raw().await;
    let hashes: Vec<(String,)> = sqlx::query_as("SELECT password_hash FROM app_user")
        .fetch_all(&raw)
        .await
        .unwrap();
    assert!(
        hashes
            .iter()
            .all(|(h,)| h.starts_with("$argon2id$") && !h.contains(pw))
    );
    raw.close().await;

    // Logins: the right password, a wrong one, an unknown e-mail.
    let here = "192.0.2.1";
    assert!(matches!(
        store.login("BOSS@acme.example", pw, here).await.unwrap(),
        Login::Welcome(u) if u.id == client.id && u.role == Role::ClientAdmin
    ));
    assert_eq!(
        store
            .login("boss@acme.example", "wrong password!", here)
            .await
            .unwrap(),
        Login::Refused
    );
    assert_eq!(
        store.login("nobody@acme.example", pw, here).await.unwrap(),
        Login::Refused
    );
    // A success resets the count; then ACCOUNT_LOCK_AFTER failures in a row lock it.
    assert!(matches!(
        store.login("boss@acme.example", pw, here).await.unwrap(),
        Login::Welcome(_)
    ));
    let before = rempart_store::now_ms();
    for attempt in 1..=ACCOUNT_LOCK_AFTER {
        let got = store
            .login("boss@acme.example", "wrong password!", here)
            .await
            .unwrap();
        if attempt < ACCOUNT_LOCK_AFTER {
            assert_eq!(got, Login::Refused, "attempt {attempt}");
        } else {
            assert!(
                matches!(got, Login::Locked { until_ms } if until_ms >= before + rempart_store::LOCK_MS),
                "{got:?}"
            );
        }
    }
    // Locked: even the right password waits.
    assert!(matches!(
        store.login("boss@acme.example", pw, here).await.unwrap(),
        Login::Locked { .. }
    ));
    let listed = store.user("boss@acme.example").await.unwrap().unwrap();
    assert!(listed.locked_until_ms.is_some_and(|u| u > before));
    // An MSP admin's reset lifts the lock.
    let new_pw = "another horse battery";
    store
        .set_password("boss@acme.example", new_pw, None)
        .await
        .unwrap();
    assert!(matches!(
        store
            .login("boss@acme.example", new_pw, here)
            .await
            .unwrap(),
        Login::Welcome(_)
    ));
    assert_eq!(
        store.login("boss@acme.example", pw, here).await.unwrap(),
        Login::Refused
    );

    // Per address: after ADDRESS_LIMIT failures, that address waits; another does not.
    let noisy = "198.51.100.7";
    for _ in 0..ADDRESS_LIMIT {
        assert_eq!(
            store
                .login("guess@acme.example", "guess guess guess", noisy)
                .await
                .unwrap(),
            Login::Refused
        );
    }
    assert!(matches!(
        store
            .login("boss@acme.example", new_pw, noisy)
            .await
            .unwrap(),
        Login::Throttled { .. }
    ));
    assert!(matches!(
        store
            .login("boss@acme.example", new_pw, here)
            .await
            .unwrap(),
        Login::Welcome(_)
    ));

    // Sessions: kept under their hash, listed, ended one by one.
    let future = rempart_store::now_ms() + 3_600_000;
    let session = |id: &'static str, expiry_ms: i64| NewSession {
        id,
        user_id: Some(client.id),
        data: "{\"user_id\":2}",
        expiry_ms,
        address: Some(here),
        user_agent: Some("Firefox"),
    };
    store
        .save_session(&session("cookie-one", future))
        .await
        .unwrap();
    store
        .save_session(&session("cookie-two", future))
        .await
        .unwrap();
    store.save_session(&session("cookie-old", 1)).await.unwrap();
    assert_eq!(
        store.load_session("cookie-one").await.unwrap().as_deref(),
        Some("{\"user_id\":2}")
    );
    assert_eq!(store.load_session("cookie-old").await.unwrap(), None);
    assert_eq!(store.load_session("no-such").await.unwrap(), None);
    let listed = store.sessions_of(client.id).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|s| s.address.as_deref() == Some(here) && s.handle.len() == 16)
    );
    let raw = db.raw().await;
    let ids: Vec<(String,)> = sqlx::query_as("SELECT id_hash FROM portal_session")
        .fetch_all(&raw)
        .await
        .unwrap();
    assert!(
        ids.iter()
            .all(|(h,)| h.len() == 64 && !h.contains("cookie"))
    );
    raw.close().await;
    assert!(
        !store
            .revoke_session(admin.id, &listed[0].handle)
            .await
            .unwrap()
    );
    assert!(
        store
            .revoke_session(client.id, &listed[0].handle)
            .await
            .unwrap()
    );
    assert_eq!(store.sessions_of(client.id).await.unwrap().len(), 1);
    assert_eq!(store.delete_expired_sessions().await.unwrap(), 1);
    // A password change ends the other sessions; removal ends them all.
    let kept = if store.load_session("cookie-one").await.unwrap().is_some() {
        "cookie-one"
    } else {
        "cookie-two"
    };
    store
        .save_session(&session("cookie-three", future))
        .await
        .unwrap();
    store
        .set_password("boss@acme.example", pw, Some(kept))
        .await
        .unwrap();
    assert_eq!(store.sessions_of(client.id).await.unwrap().len(), 1);
    assert_eq!(store.load_session("cookie-three").await.unwrap(), None);
    store.remove_user("boss@acme.example").await.unwrap();
    assert_eq!(store.load_session(kept).await.unwrap(), None);
    assert_eq!(
        store.login("boss@acme.example", pw, here).await.unwrap(),
        Login::Refused
    );
    assert_eq!(
        refused(store.remove_user("boss@acme.example").await),
        UserProblem::Unknown("boss@acme.example".into())
    );
}
on_both!(users_log_in_lock_out_and_keep_sessions);

/// A change made through one server reaches the pages watching through
/// another (PostgreSQL: `LISTEN/NOTIFY`); in-process on SQLite.
async fn changes_reach_watchers(db: &Db) {
    use rempart_store::{Change, What};
    let store = db.open().await;
    let watcher = match store.backend() {
        rempart_store::Backend::Postgres => db.open().await,
        rempart_store::Backend::Sqlite => store.clone(),
    };
    let mut rx = watcher.changes();
    let acme = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    // What is told: the alert that opens, not a check's own record.
    async fn next(rx: &mut tokio::sync::broadcast::Receiver<Change>) -> Option<Change> {
        loop {
            match tokio::time::timeout(std::time::Duration::from_millis(500), rx.recv()).await {
                Ok(Ok(c)) if c.what != What::Everything => return Some(c),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => panic!("the feed failed: {e}"),
                Err(_) => return None,
            }
        }
    }
    // The watcher's connection may still be opening: try until it hears.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let heard = loop {
        acme.append(record(EvidenceKind::Probe, "web", 1_000))
            .await
            .unwrap();
        let alert = acme
            .open_alert("web", "default", 1_000, None)
            .await
            .unwrap();
        acme.resolve_alert("web", 2_000).await.unwrap();
        if let Some(c) = next(&mut rx).await {
            break (c, alert);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no change reached the watcher"
        );
    };
    assert_eq!(
        heard.0,
        Change {
            tenant: "acme".into(),
            what: What::Alert
        },
        "a check's record alone is not told"
    );
    assert!(heard.0.concerns("acme") && !heard.0.concerns("other"));
    // Everything told so far is read; then only the acknowledgement.
    while next(&mut rx).await.is_some() {}
    acme.ack_alert(heard.1.id, "portal:someone", 3_000)
        .await
        .unwrap();
    assert_eq!(
        next(&mut rx).await.map(|c| c.what),
        Some(What::Alert),
        "the acknowledgement was not told"
    );
}
on_both!(changes_reach_watchers);

/// Checks summed per monitor and day in the reader's zone, in one query.
async fn checks_sum_per_day_in_a_zone(db: &Db) {
    use rempart_core::sla::Bucket;
    let store = db.open().await;
    let t = store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    const DAY: i64 = 86_400_000;
    const HOUR: i64 = 3_600_000;
    let day = 20_000 * DAY; // a UTC midnight
    let b = |start_ms: i64, checks: i64, up: i64| Bucket {
        start_ms,
        length_ms: 60_000,
        checks,
        up,
        maintenance: 0,
        latency_sum_ms: 10,
    };
    // 22:30 UTC is the next day at UTC+2.
    t.record_checks(&[
        ("web".into(), b(day + HOUR, 60, 60)),
        ("web".into(), b(day + 22 * HOUR + 30 * 60_000, 60, 30)),
        ("db".into(), b(day + 2 * HOUR, 10, 9)),
    ])
    .await
    .unwrap();
    let utc = t.daily_checks(day - DAY, day + 2 * DAY, 0).await.unwrap();
    assert_eq!(utc["web"].len(), 1);
    assert_eq!(
        (utc["web"][0].0, utc["web"][0].1.checks, utc["web"][0].1.up),
        (20_000, 120, 90)
    );
    let paris_summer = t
        .daily_checks(day - DAY, day + 2 * DAY, 2 * HOUR)
        .await
        .unwrap();
    let web: Vec<(i64, i64, i64)> = paris_summer["web"]
        .iter()
        .map(|(d, b)| (*d, b.checks, b.up))
        .collect();
    assert_eq!(web, [(20_000, 60, 60), (20_001, 60, 30)]);
    assert_eq!(paris_summer["db"][0].1.up, 9);
    // Outside the period: nothing.
    assert!(
        t.daily_checks(day + 3 * DAY, day + 4 * DAY, 0)
            .await
            .unwrap()
            .is_empty()
    );
}
on_both!(checks_sum_per_day_in_a_zone);
