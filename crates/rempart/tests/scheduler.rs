//! The scheduler's guarantees with real `rempart serve` processes: two
//! servers on one PostgreSQL run each job exactly once; a server killed
//! with SIGKILL during a job loses nothing: the job is retried after its
//! lease and its evidence is complete and verifiable. The jobs are drills
//! of one command step (monitors are the supervisor's, not jobs).

mod common;

use std::time::Duration;

use common::{Scratch, Server, base_plan_without_web, command_drill, rempart, wait_for};
use sqlx::{AnyPool, Executor, Row};

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// A fresh PostgreSQL database; dropped by [`drop_database`].
fn create_database(name: &str) -> (String, String) {
    sqlx::any::install_default_drivers();
    let admin = std::env::var("REMPART_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    block_on(async {
        let pool = AnyPool::connect(&admin)
            .await
            .expect("PostgreSQL (scripts/services starts it)");
        pool.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create database");
        pool.close().await;
    });
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    (admin.clone(), format!("{base}/{name}"))
}

fn drop_database(admin: &str, name: &str) {
    block_on(async {
        let pool = AnyPool::connect(admin).await.expect("admin");
        let _ = pool
            .execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await;
        pool.close().await;
    });
}

fn query_i64(url: &str, sql: &'static str) -> i64 {
    sqlx::any::install_default_drivers();
    block_on(async {
        let pool = AnyPool::connect(url).await.expect("connect");
        let row = sqlx::query(sql).fetch_one(&pool).await.expect(sql);
        pool.close().await;
        row.try_get::<i64, _>(0).expect("an integer")
    })
}

#[test]
fn two_servers_on_one_postgresql_run_each_job_exactly_once() {
    let dir = Scratch::new("two-servers");
    let name = format!("rempart_t_two_{}", std::process::id());
    let (admin, url) = create_database(&name);
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    // 500 drills every minute: each first run falls a minute after the
    // start, within its jitter (at most 6 s), the next ones a minute later.
    let mut plan = base_plan_without_web();
    for i in 0..500 {
        plan.push_str(&command_drill(&format!("d{i}"), "true", "every 1m"));
    }
    // And 20 monitors: one server supervises them (the other waits to take over).
    for i in 0..20 {
        plan.push_str(&common::command_monitor(&format!("m{i}"), "true", "1s"));
    }
    std::fs::write(plans.join("bulk.toml"), &plan).unwrap();
    let args = [
        "--plans",
        plans.to_str().unwrap(),
        "--database-url",
        url.as_str(),
        "--per-tenant-limit",
        "64",
    ];
    let a = Server::start(&args, &dir.join("a.log"));
    let b = Server::start(&args, &dir.join("b.log"));
    let drills = "SELECT COUNT(*) FROM job WHERE kind = 'drill'";
    assert_eq!(query_i64(&url, drills), 500);
    wait_for(
        "every drill job to have run",
        Duration::from_secs(120),
        || {
            let ran = query_i64(
                &url,
                "SELECT COUNT(DISTINCT job_id) FROM job_run WHERE finished_ms IS NOT NULL",
            );
            (ran >= 500).then_some(())
        },
    );
    assert_eq!(a.stop(), Some(0));
    assert_eq!(b.stop(), Some(0));

    let runs = query_i64(&url, "SELECT COUNT(*) FROM job_run");
    let twice = query_i64(
        &url,
        "SELECT COUNT(*) FROM (SELECT job_id FROM job_run GROUP BY job_id HAVING COUNT(*) > 1) AS t",
    );
    assert_eq!((runs, twice), (500, 0), "each job ran exactly once");
    let owners = query_i64(&url, "SELECT COUNT(DISTINCT owner) FROM job_run");
    assert_eq!(owners, 2, "both servers took part");
    let evidence = query_i64(&url, "SELECT COUNT(*) FROM evidence WHERE kind = 'drill'");
    assert_eq!(evidence, 500);
    // Each monitor's first check (up: its first state) recorded once, not
    // once per server; its checks counted once a second, not twice.
    let first = query_i64(&url, "SELECT COUNT(*) FROM evidence WHERE kind = 'probe'");
    assert_eq!(first, 20, "one supervisor");
    let per_second = query_i64(
        &url,
        "SELECT MAX(checks) FROM monitor_bucket WHERE resolution = 'minute'",
    );
    assert!(per_second <= 61, "{per_second} checks in a minute at 1 s");
    let verify = rempart(&["evidence", "verify", "--database-url", &url]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    drop_database(&admin, &name);
}

#[test]
fn a_job_killed_with_its_server_is_retried_and_its_evidence_is_complete() {
    let dir = Scratch::new("sigkill");
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    // Due 5 s after the start, then every 5 s: the test is over by then.
    let plan = base_plan_without_web() + &command_drill("slow", "sleep 3; echo done", "every 5s");
    std::fs::write(plans.join("acme.toml"), &plan).unwrap();
    let data = dir.join("data");
    let data_s = data.display().to_string();
    let db = format!("sqlite://{}", data.join("rempart.db").display());
    let args = [
        "--plans",
        plans.to_str().unwrap(),
        "--data-dir",
        &data_s,
        "--lease",
        "3",
    ];

    let first = Server::start(&args, &dir.join("first.log"));
    // Generous limits: the other tests of this file load both cores meanwhile.
    wait_for("the slow drill to start", Duration::from_secs(90), || {
        (query_i64(
            &db,
            "SELECT COUNT(*) FROM job_run WHERE finished_ms IS NULL",
        ) == 1)
            .then_some(())
    });
    first.kill();
    assert_eq!(
        query_i64(
            &db,
            "SELECT COUNT(*) FROM evidence WHERE kind IN ('drill', 'drill-step')"
        ),
        0,
        "the killed run wrote nothing half-done"
    );

    let second = Server::start(&args, &dir.join("second.log"));
    wait_for(
        "the job to be retried to the end",
        Duration::from_secs(90),
        || {
            let done = query_i64(
                &db,
                "SELECT COUNT(*) FROM job_run WHERE attempt = 2 AND outcome = 'success'",
            );
            (done == 1).then_some(())
        },
    );
    assert_eq!(second.stop(), Some(0));
    assert_eq!(query_i64(&db, "SELECT COUNT(*) FROM job_run"), 2);
    assert_eq!(
        query_i64(
            &db,
            "SELECT COUNT(*) FROM job_run WHERE finished_ms IS NULL"
        ),
        1,
        "the killed run stays on record as unfinished"
    );
    // Its evidence: one drill record, from the retry, successful.
    assert_eq!(
        query_i64(
            &db,
            "SELECT COUNT(*) FROM evidence e JOIN job_run r ON r.id = e.job_run WHERE e.kind = 'drill' AND e.outcome = 'success' AND r.attempt = 2"
        ),
        1
    );
    let verify = rempart(&["evidence", "verify", "--data-dir", &data_s]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );

    // Edit that record by hand: verify fails and names it.
    let seq = query_i64(&db, "SELECT seq FROM evidence WHERE kind = 'drill'");
    block_on(async {
        let pool = AnyPool::connect(&db).await.unwrap();
        pool.execute("UPDATE evidence SET outcome = 'failure' WHERE kind = 'drill'")
            .await
            .unwrap();
        pool.close().await;
    });
    let verify = rempart(&["evidence", "verify", "--data-dir", &data_s]);
    assert_eq!(verify.status.code(), Some(1));
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(out.contains(&format!("record #{seq} was edited")), "{out}");
}

#[test]
fn the_database_goes_away_and_comes_back() {
    let dir = Scratch::new("db-outage");
    let name = format!("rempart_t_outage_{}", std::process::id());
    let (admin, url) = create_database(&name);
    let plans = dir.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    let plan = base_plan_without_web()
        + &command_drill("tick", "true", "every 1s")
        + &common::command_monitor("tock", "true", "1s");
    std::fs::write(plans.join("acme.toml"), &plan).unwrap();
    let mut server = Server::start(
        &[
            "--plans",
            plans.to_str().unwrap(),
            "--database-url",
            url.as_str(),
        ],
        &dir.join("serve.log"),
    );
    let probes = "SELECT COUNT(*) FROM evidence WHERE kind = 'drill'";
    wait_for("drills before the outage", Duration::from_secs(30), || {
        (query_i64(&url, probes) >= 2).then_some(())
    });

    let admin_sql = |sql: String| {
        block_on(async {
            let pool = AnyPool::connect(&admin).await.expect("admin");
            pool.execute(sqlx::AssertSqlSafe(sql))
                .await
                .expect("admin statement");
            pool.close().await;
        })
    };
    // The database refuses connections and drops the ones it had.
    admin_sql(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"));
    admin_sql(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ));
    let health = |server: &Server| {
        ureq::get(&server.url("/healthz"))
            .config()
            .http_status_as_error(false)
            .build()
            .call()
            .map(|r| r.status().as_u16())
            .unwrap_or(0)
    };
    wait_for(
        "/healthz to report the outage",
        Duration::from_secs(20),
        || (health(&server) == 503).then_some(()),
    );
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "serve survives the outage:\n{}",
        server.logs()
    );

    admin_sql(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    let before = query_i64(&url, probes);
    let checks = "SELECT CAST(COALESCE(SUM(checks), 0) AS BIGINT) FROM monitor_bucket";
    let checked_before = query_i64(&url, checks);
    wait_for(
        "jobs to resume after the outage",
        Duration::from_secs(60),
        || (health(&server) == 200 && query_i64(&url, probes) >= before + 2).then_some(()),
    );
    // The supervisor's session ended with the others: it stood for the
    // role again and checks on.
    wait_for(
        "monitor checks to resume after the outage",
        Duration::from_secs(60),
        || (query_i64(&url, checks) >= checked_before + 3).then_some(()),
    );
    assert!(
        server.logs().contains("the supervisor role was lost"),
        "{}",
        server.logs()
    );
    assert_eq!(server.stop(), Some(0));
    let verify = rempart(&["evidence", "verify", "--database-url", &url]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    drop_database(&admin, &name);
}

/// Refuses connections to database `name` and drops the ones it has (a
/// database restarting, as the server sees it), or lets them in again.
fn database_reachable(admin: &str, name: &str, reachable: bool) {
    block_on(async {
        let pool = AnyPool::connect(admin).await.expect("admin");
        pool.execute(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS {reachable}"
        )))
        .await
        .expect("admin statement");
        if !reachable {
            pool.execute(sqlx::AssertSqlSafe(format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            )))
            .await
            .expect("admin statement");
        }
        pool.close().await;
    });
}

#[test]
fn a_change_seen_while_the_database_is_away_still_alerts() {
    let dir = Scratch::new("db-outage-alert");
    let name = format!("rempart_t_alert_{}", std::process::id());
    let (admin, url) = create_database(&name);
    let (hook, got) = common::receiver();
    let service = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = service.local_addr().unwrap().port();
    let default = "steps = [{ notify = [\"mail\"] }]";
    let base = base_plan_without_web();
    assert!(base.contains(default), "the base plan's escalation changed");
    let plan = base.replace(default, "steps = [{ notify = [\"hook\"] }]")
        + &format!(
            "\n[[channel]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:{hook}/alerts\"\n\
             \n[[monitor]]\nid = \"erp\"\nkind = \"tcp\"\ntarget = \"127.0.0.1:{port}\"\ninterval = \"1s\"\ntimeout = \"1s\"\nconfirm = 1\nrecover = 1\n"
        );
    let file = dir.join("rempart.toml");
    std::fs::write(&file, &plan).unwrap();
    let server = Server::start(
        &["-c", file.to_str().unwrap(), "--database-url", &url],
        &dir.join("serve.log"),
    );
    wait_for("the monitor up, saved", Duration::from_secs(30), || {
        (query_i64(
            &url,
            "SELECT COUNT(*) FROM monitor_state WHERE monitor = 'erp' AND tracker LIKE '%\"state\":\"up\"%'",
        ) == 1)
            .then_some(())
    });

    // The database goes away; meanwhile the service goes down and comes back.
    database_reachable(&admin, &name, false);
    drop(service);
    let changed_to = |server: &Server, to: &str| {
        server
            .logs()
            .lines()
            .filter(|l| {
                l.contains("monitor changed state") && l.contains(&format!("\"to\":\"{to}\""))
            })
            .count()
    };
    wait_for("the service seen down", Duration::from_secs(30), || {
        (changed_to(&server, "down") == 1).then_some(())
    });
    wait_for(
        "the change kept while the store refuses it",
        Duration::from_secs(30),
        || {
            server
                .logs()
                .contains("cannot record a change; kept to try again")
                .then_some(())
        },
    );
    let _back = std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port again");
    wait_for("the service seen up again", Duration::from_secs(30), || {
        (changed_to(&server, "up") >= 2).then_some(())
    });
    assert!(texts_at(&got, "/alerts").is_empty(), "nothing sent yet");

    // The database is back: the alert and the recovery both arrive, in order.
    database_reachable(&admin, &name, true);
    let sent = wait_for(
        "the alert and the recovery",
        Duration::from_secs(90),
        || {
            let subjects = texts_at(&got, "/alerts");
            (subjects.len() >= 2).then_some(subjects)
        },
    );
    assert_eq!(sent, ["[DOWN] erp", "[UP] erp"], "{}", server.logs());
    assert_eq!(server.stop(), Some(0));
    drop_database(&admin, &name);
}

/// The subjects of the webhook messages received at `path`, in order.
fn texts_at(got: &std::sync::Arc<std::sync::Mutex<Vec<common::Got>>>, path: &str) -> Vec<String> {
    got.lock()
        .unwrap()
        .iter()
        .filter(|g| g.path == path)
        .filter_map(|g| {
            let v: serde_json::Value = serde_json::from_slice(&g.body).ok()?;
            Some(v["subject"].as_str()?.to_owned())
        })
        .collect()
}
