//! Drills for real: a PostgreSQL database backed up with `pg_dump -Fc` to
//! two sites, restored from the off-site copy into a scratch database with
//! `pg_restore`, checked with an `sql` step, cleaned up; the achieved RTO
//! and RPO held against the process's targets by `rempart status`. Then a
//! failover drill against a real HTTP server, and the bad inputs.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{Scratch, free_port, local_plan, restic_check, wait_for};
use serde_json::Value;

const PG: &str = "postgres://postgres@127.0.0.1:5432";

fn psql(db: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A database of the machine's PostgreSQL, dropped on drop.
struct Database(String);

impl Database {
    fn new(name: &str) -> Database {
        let name = format!("rempart_t_{name}_{}", std::process::id());
        psql(
            "postgres",
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        );
        psql("postgres", &format!("CREATE DATABASE {name}"));
        Database(name)
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"])
            .arg(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.0))
            .output();
    }
}

fn database_exists(name: &str) -> bool {
    psql(
        "postgres",
        &format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'"),
    ) == "1"
}

/// `rempart ARGS -c plan --data-dir data` with `env`.
fn rempart_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = common::command();
    cmd.args(args)
        .arg("-c")
        .arg(dir.join("rempart.toml"))
        .arg("--data-dir")
        .arg(dir.join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("rempart runs")
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON output ({e}): {}", text(out)))
}

/// The base plan's scenario steps, replaced by `steps`; `extra` appended.
fn plan_with(dir: &Path, dump: &str, steps: &str, extra: &str) {
    local_plan(dir, "repos/nas", dump, extra);
    let file = dir.join("rempart.toml");
    let plan = std::fs::read_to_string(&file).unwrap();
    let old = "steps = [\n  { name = \"Restore\", restore = \"db\", site = \"cloud\" },\n  { name = \"Check\", command = \"true\" },\n]";
    assert!(plan.contains(old), "the base plan's scenario changed");
    std::fs::write(&file, plan.replace(old, &format!("steps = [\n{steps}\n]"))).unwrap();
}

fn set_plan(dir: &Path, from: &str, to: &str) {
    let file = dir.join("rempart.toml");
    let plan = std::fs::read_to_string(&file).unwrap();
    assert!(plan.contains(from), "{from} not in the plan");
    std::fs::write(&file, plan.replacen(from, to, 1)).unwrap();
}

fn records(dir: &Path, kind: &str) -> Vec<Value> {
    let out = rempart_in(
        dir,
        &[],
        &[
            "evidence", "list", "--kind", kind, "--limit", "1000", "--json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    json_of(&out)["records"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_pg_dump_restored_from_the_offsite_copy_measures_rto_and_rpo() {
    let s = Scratch::new("drill-pg");
    let dir = &s.0;
    let source = Database::new("erp");
    let scratch = format!("{}_drill", source.0);
    psql(
        &source.0,
        "CREATE TABLE invoice (id serial PRIMARY KEY, amount numeric NOT NULL)",
    );
    psql(
        &source.0,
        "INSERT INTO invoice (amount) SELECT g * 1.5 FROM generate_series(1, 1234) g",
    );
    let dump = format!("pg_dump -Fc -h 127.0.0.1 -U postgres {}", source.0);
    let steps = format!(
        r#"  {{ name = "Restore the dump from the cloud copy", restore = "db", site = "cloud" }},
  {{ name = "Create the scratch database", command = "createdb -h 127.0.0.1 -U postgres {scratch}" }},
  {{ name = "Load the dump", command = "pg_restore -h 127.0.0.1 -U postgres -d {scratch} --no-owner $REMPART_RESTORE_DIR/app.dump", timeout = "5m" }},
  {{ name = "Invoices are back", sql = "SELECT count(*) FROM invoice", database = {{ env = "DRILL_DB_URL" }}, expect = "1234" }},
  {{ name = "Invoices have amounts", sql = "SELECT bool_and(amount > 0) FROM invoice", database = {{ env = "DRILL_DB_URL" }}, expect = "t" }},
  {{ name = "Drop the scratch database", command = "dropdb -h 127.0.0.1 -U postgres --if-exists {scratch}", cleanup = true }},"#
    );
    plan_with(dir, &dump, &steps, "");
    let url = format!("{PG}/{scratch}");
    let env = [("DRILL_DB_URL", url.as_str())];

    let init = rempart_in(dir, &[], &["repo", "init"]);
    assert!(init.status.success(), "{}", text(&init));
    let backup = rempart_in(dir, &[], &["backup", "run", "db", "--json"]);
    assert!(backup.status.success(), "{}", text(&backup));
    std::thread::sleep(Duration::from_millis(1_500));

    // A dry run checks and records nothing.
    let dry = rempart_in(dir, &env, &["drill", "run", "restore-db", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    assert!(
        String::from_utf8_lossy(&dry.stdout).contains("ready to run"),
        "{}",
        text(&dry)
    );
    assert!(records(dir, "drill").is_empty());

    let run = rempart_in(dir, &env, &["drill", "run", "restore-db", "--json"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let ran = json_of(&run);
    assert_eq!(ran["passed"], true);
    let steps = ran["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 6);
    assert_eq!(steps[4]["measurements"]["value"], "true");
    assert!(
        steps.iter().all(|s| s["outcome"] == "success"),
        "{steps:#?}"
    );
    assert_eq!(
        steps[0]["measurements"]["site"], "cloud",
        "restored from the off-site copy"
    );
    assert_eq!(steps[3]["measurements"]["value"], "1234");
    assert_eq!(
        steps[3]["measurements"]["database"],
        format!("postgres://postgres@127.0.0.1:5432/{scratch}")
    );

    // The achieved RTO is the recovery steps' time, the cleanup excluded.
    let m = &ran["drill"]["measurements"];
    let recovery: i64 = steps
        .iter()
        .filter(|s| s["measurements"]["cleanup"] == false)
        .map(|s| s["measurements"]["duration_ms"].as_i64().unwrap())
        .sum();
    assert_eq!(m["rto_ms"].as_i64(), Some(recovery));
    assert!(recovery > 0);
    // The achieved RPO is the dump's age at drill time.
    let backups = records(dir, "backup");
    let data_time = backups[0]["measurements"]["data_time_ms"].as_i64().unwrap();
    assert_eq!(m["data_time_ms"].as_i64(), Some(data_time));
    let incident = m["incident_ms"].as_i64().unwrap();
    assert_eq!(m["rpo_ms"].as_i64(), Some(incident - data_time));
    assert!(
        incident - data_time >= 1_500,
        "the dump was at least 1.5 s old"
    );
    // Cleaned up: the scratch database and the sandbox are gone.
    assert!(!database_exists(&scratch));
    let left: Vec<PathBuf> = std::fs::read_dir(dir.join("data/drills"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "sandbox left behind: {left:?}");

    // list and show tell the same.
    let runs = json_of(&rempart_in(dir, &[], &["drill", "list", "--json"]));
    let run_id = ran["run"].as_str().unwrap();
    assert_eq!(runs["runs"][0]["run"], run_id);
    assert_eq!(runs["runs"][0]["rto_ms"], m["rto_ms"]);
    let shown = rempart_in(dir, &[], &["drill", "show", run_id]);
    assert!(shown.status.success(), "{}", text(&shown));
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("passed") && shown.contains("Load the dump"),
        "{shown}"
    );

    // Measured figures within targets: compliant.
    let status = rempart_in(dir, &[], &["status", "--json"]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    let st = json_of(&status);
    let billing = &st["processes"][0];
    assert_eq!(billing["id"], "billing");
    assert_eq!(billing["status"], "compliant", "{billing:#}");
    assert_eq!(billing["achieved_rto_ms"], m["rto_ms"]);
    assert_eq!(billing["restore_point_ms"].as_i64(), Some(data_time));
    let human = rempart_in(dir, &[], &["status"]);
    let said = String::from_utf8_lossy(&human.stdout);
    assert!(
        said.contains("billing") && said.contains("compliant"),
        "{said}"
    );

    // Targets tighter than measured: breached, with the reason, exit 1.
    set_plan(dir, "rto = \"4h\"", "rto = \"100ms\"");
    let status = rempart_in(dir, &[], &["status"]);
    assert_eq!(status.status.code(), Some(1), "{}", text(&status));
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(said.contains("BREACHED"), "{said}");
    assert!(
        said.contains("recovery measured at") && said.contains("past the RTO of 100ms"),
        "{said}"
    );
    let st = json_of(&rempart_in(dir, &[], &["status", "--json"]));
    assert_eq!(st["processes"][0]["reasons"][0]["code"], "rto-exceeded");

    // Restic can still read what the drill read.
    for (repo, password) in [("repos/nas", "secrets/nas"), ("repos/usb", "secrets/usb")] {
        let check = restic_check(&dir.join(repo), &dir.join(password));
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
}

/// A small HTTP server run by `python3 -m http.server`, its pid in a file.
fn start_http(port: u16, pidfile: &Path) -> String {
    format!(
        "nohup python3 -m http.server {port} --bind 127.0.0.1 >/dev/null 2>&1 & echo $! > {}",
        pidfile.display()
    )
}

fn kill_from(pidfile: &Path) {
    if let Ok(pid) = std::fs::read_to_string(pidfile) {
        let _ = Command::new("kill").arg(pid.trim()).status();
    }
}

#[test]
fn a_failover_drill_measures_detect_and_recover_times_and_kills_hanging_steps() {
    let s = Scratch::new("drill-failover");
    let dir = &s.0;
    let port = free_port();
    let pidfile = dir.join("http.pid");
    let start = start_http(port, &pidfile);
    let steps = format!(
        r#"  {{ name = "Stop the web server", simulate = "kill $(cat {pid})" }},
  {{ name = "Outage seen", wait_for = {{ http = "http://127.0.0.1:{port}/" }}, until = "down", every = "200ms", timeout = "30s" }},
  {{ name = "Restart it", command = "{start}" }},
  {{ name = "Back up", wait_for = {{ tcp = "127.0.0.1:{port}" }}, every = "200ms", timeout = "30s" }},
  {{ name = "Serves again", http = "http://127.0.0.1:{port}/", expect = {{ status = 200 }} }},"#,
        pid = pidfile.display()
    );
    let hang_marker = format!("rempart-hang-{}", std::process::id());
    let extra = format!(
        r#"
[[scenario]]
id = "hang"
name = "A step that never ends"
process = "billing"
steps = [
  {{ name = "Hang", command = "python3 -c 'import time; time.sleep(600)' {hang_marker} & sleep 600", timeout = "1s" }},
  {{ name = "Never reached", command = "true" }},
  {{ name = "Cleanup runs anyway", command = "touch cleaned", cleanup = true }},
]

[[scenario]]
id = "sign-off"
name = "A person signs off"
process = "billing"
steps = [
  {{ name = "Accounting checks the last invoice", manual = "Open invoice 1234", timeout = "60s" }},
]

[[scenario]]
id = "forgotten"
name = "Nobody answers"
process = "billing"
steps = [
  {{ name = "Nobody confirms", manual = "Anyone?", timeout = "2s" }},
]
"#
    );
    plan_with(dir, "seq 1 10", &steps, &extra);
    let up = Command::new("sh")
        .arg("-c")
        .arg(&start)
        .status()
        .expect("sh");
    assert!(up.success());
    wait_for("the HTTP server", Duration::from_secs(20), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).ok()
    });

    let run = rempart_in(dir, &[], &["drill", "run", "restore-db", "--json"]);
    kill_from(&pidfile);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    let m = &json_of(&run)["drill"]["measurements"];
    let detect = m["detect_ms"].as_i64().expect("detect time");
    let recover = m["recover_ms"].as_i64().expect("recover time");
    assert!(
        detect > 0 && recover > detect,
        "detect {detect} ms, recover {recover} ms"
    );
    assert_eq!(m["failover"][0]["simulate_step"], 1);
    assert_eq!(m["rpo_ms"], Value::Null, "nothing restored, no RPO");

    // A hanging step is killed at its timeout with its whole process
    // group; the next steps are skipped, the cleanup step runs.
    let hang = rempart_in(dir, &[], &["drill", "run", "hang", "--json"]);
    assert_eq!(hang.status.code(), Some(1), "{}", text(&hang));
    let ran = json_of(&hang);
    assert_eq!(ran["passed"], false);
    let msg = ran["drill"]["message"].as_str().unwrap();
    assert!(
        msg.contains("step 1 \"Hang\" failed: killed after its timeout of 1s"),
        "{msg}"
    );
    let summary = ran["drill"]["measurements"]["steps"].as_array().unwrap();
    let outcomes: Vec<&str> = summary
        .iter()
        .map(|s| s["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["failure", "skipped", "success"]);
    let alive = Command::new("pgrep")
        .args(["-f", &hang_marker])
        .output()
        .expect("pgrep");
    assert!(
        !alive.status.success(),
        "the hanging step's child survived its timeout"
    );

    // A manual step waits for `drill confirm`; the wait counts.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args(["drill", "run", "sign-off", "-c"])
        .arg(dir.join("rempart.toml"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("drill starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let hint = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("rempart drill confirm"))
        .expect("the drill says how to confirm");
    let run_id = hint
        .split("rempart drill confirm ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("run id")
        .to_owned();
    std::thread::sleep(Duration::from_millis(1_200));
    let confirm = rempart_in(
        dir,
        &[],
        &[
            "drill",
            "confirm",
            &run_id,
            "1",
            "--note",
            "invoice 1234 is there",
        ],
    );
    assert!(confirm.status.success(), "{}", text(&confirm));
    let status = child.wait().expect("drill ends");
    assert!(status.success(), "the confirmed drill failed");
    let drills = records(dir, "drill");
    let signed = drills
        .iter()
        .find(|d| d["measurements"]["run"] == run_id.as_str())
        .expect("recorded");
    assert_eq!(signed["outcome"], "success");
    assert!(
        signed["measurements"]["rto_ms"].as_i64().unwrap() >= 1_200,
        "the wait counts"
    );
    let step = records(dir, "drill-step")
        .into_iter()
        .find(|s| s["subject"] == run_id.as_str())
        .unwrap();
    assert_eq!(step["measurements"]["note"], "invoice 1234 is there");
    // A finished step takes no confirmation.
    let late = rempart_in(dir, &[], &["drill", "confirm", &run_id, "1"]);
    assert_eq!(late.status.code(), Some(2), "{}", text(&late));

    // A manual step nobody confirms times out, recorded.
    let forgotten = rempart_in(dir, &[], &["drill", "run", "forgotten", "--json"]);
    assert_eq!(forgotten.status.code(), Some(1), "{}", text(&forgotten));
    let ran = json_of(&forgotten);
    assert!(
        ran["drill"]["message"]
            .as_str()
            .unwrap()
            .contains("nobody confirmed within 2s"),
        "{ran:#}"
    );
    assert_eq!(ran["steps"][0]["measurements"]["timed_out"], true);
}

/// A PostgreSQL server of the test's own that checks passwords (the
/// machine's trusts every local connection), stopped on drop.
struct PasswordPostgres {
    child: std::process::Child,
    port: u16,
    data: PathBuf,
}

impl PasswordPostgres {
    fn start(dir: &Path, password: &str) -> PasswordPostgres {
        let bin = Path::new("/usr/lib/postgresql")
            .read_dir()
            .expect("PostgreSQL is installed")
            .flatten()
            .map(|e| e.path().join("bin"))
            .max()
            .expect("a PostgreSQL version");
        let data = dir.join("pg");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(dir.join("pwfile"), format!("{password}\n")).unwrap();
        let root = unsafe { libc::geteuid() } == 0;
        // PostgreSQL refuses to run as root: as its own user, then.
        let as_owner = |program: PathBuf| {
            if root {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(program);
                c
            } else {
                Command::new(program)
            }
        };
        if root {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir)
                .status()
                .expect("chown");
            assert!(status.success());
            // The scratch dir's parents must be traversable by postgres.
        }
        let init = as_owner(bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "drill", "--auth=scram-sha-256", "--pwfile"])
            .arg(dir.join("pwfile"))
            .output()
            .expect("initdb");
        assert!(
            init.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let port = free_port();
        let child = as_owner(bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args([
                "-p",
                &port.to_string(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-k",
            ])
            .arg(&data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("postgres starts");
        let pg = PasswordPostgres { child, port, data };
        wait_for(
            "the password-checking PostgreSQL",
            Duration::from_secs(30),
            || std::net::TcpStream::connect(("127.0.0.1", port)).ok(),
        );
        pg
    }
}

impl Drop for PasswordPostgres {
    fn drop(&mut self) {
        // SIGINT to the server itself (runuser does not pass it on):
        // PostgreSQL's fast shutdown.
        let pid = std::fs::read_to_string(self.data.join("postmaster.pid"))
            .ok()
            .and_then(|t| t.lines().next().and_then(|l| l.trim().parse::<i32>().ok()));
        if let Some(pid) = pid {
            // SAFETY: a signal to the server this test started.
            unsafe {
                libc::kill(pid, libc::SIGINT);
            }
        }
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn bad_inputs_fail_the_drill_with_a_clear_reason() {
    let s = Scratch::new("drill-bad");
    let dir = &s.0;
    // Under /tmp, world-traversable, so the server's own user can use it.
    let pg_dir = std::env::temp_dir().join(format!("rempart-pwpg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&pg_dir);
    let right = "s3cret-Pa55word";
    let pg = PasswordPostgres::start(&pg_dir, right);
    let wrong_url = format!(
        "postgres://drill:not-{right}@127.0.0.1:{}/postgres",
        pg.port
    );
    let right_url = format!("postgres://drill:{right}@127.0.0.1:{}/postgres", pg.port);

    let steps = r#"  { name = "Restore", restore = "db" },"#;
    let extra = r#"
[[scenario]]
id = "query"
name = "Query the database"
process = "billing"
steps = [
  { name = "Count", sql = "SELECT 40 + 2", database = { env = "DRILL_DB_URL" }, expect = "42" },
]
"#;
    plan_with(dir, "seq 1 10", steps, extra);
    let init = rempart_in(dir, &[], &["repo", "init"]);
    assert!(init.status.success(), "{}", text(&init));

    // No snapshot yet: the dry run says so, the drill fails cleanly.
    let dry = rempart_in(dir, &[], &["drill", "run", "restore-db", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(1), "{}", text(&dry));
    assert!(
        String::from_utf8_lossy(&dry.stderr)
            .contains("backup \"db\" has no snapshot yet: run `rempart backup run db` first"),
        "{}",
        text(&dry)
    );
    let run = rempart_in(dir, &[], &["drill", "run", "restore-db", "--json"]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let msg = json_of(&run)["drill"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        msg.contains("no site could restore backup \"db\": site \"office\" (nas): no matching snapshot in repository \"nas\""),
        "{msg}"
    );
    // Status: the only drill failed and nothing was backed up.
    let status = json_of(&rempart_in(dir, &[], &["status", "--json"]));
    assert_eq!(status["processes"][0]["status"], "breached");

    // The right password works against the password-checking server…
    let ok = rempart_in(
        dir,
        &[("DRILL_DB_URL", &right_url)],
        &["drill", "run", "query", "--json"],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    // …a wrong one fails the step, naming the database, never the password.
    let bad = rempart_in(
        dir,
        &[("DRILL_DB_URL", &wrong_url)],
        &["drill", "run", "query", "--json"],
    );
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    let ran = json_of(&bad);
    let msg = ran["steps"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains(&format!(
            "database postgres://drill@127.0.0.1:{}/postgres",
            pg.port
        )),
        "{msg}"
    );
    assert!(msg.contains("password authentication failed"), "{msg}");
    let all = rempart_in(dir, &[], &["evidence", "list", "--limit", "1000", "--json"]);
    let everything = format!("{}{}", text(&bad), text(&all));
    assert!(!everything.contains(right), "a password leaked");
    assert!(
        !everything.contains(&format!("not-{right}")),
        "a password leaked"
    );

    // An unknown scenario is bad usage, named.
    let unknown = rempart_in(dir, &[], &["drill", "run", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("no scenario \"nope\"; its scenarios: restore-db, query")
    );
    drop(pg);
    let _ = std::fs::remove_dir_all(&pg_dir);
}

#[test]
fn serve_runs_drills_on_their_schedule() {
    let s = Scratch::new("drill-serve");
    let dir = &s.0;
    let steps = r#"  { name = "Check the host", command = "uname -a" },
  { name = "Tidy", command = "true", cleanup = true },"#;
    plan_with(dir, "seq 1 10", steps, "");
    set_plan(
        dir,
        "process = \"billing\"\nsteps",
        "process = \"billing\"\ndrill = \"every 2s\"\nsteps",
    );
    let data = dir.join("data");
    let server = common::Server::start(
        &[
            "-c",
            dir.join("rempart.toml").to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ],
        &dir.join("serve.log"),
    );
    let drills = wait_for("two scheduled drills", Duration::from_secs(60), || {
        let found = records(dir, "drill");
        (found.len() >= 2).then_some(found)
    });
    assert_eq!(server.stop(), Some(0));
    for d in &drills {
        assert_eq!(d["outcome"], "success", "{d:#}");
        assert!(
            d["job_run"].as_i64().is_some(),
            "run by the scheduler: {d:#}"
        );
        assert_eq!(d["measurements"]["steps"].as_array().map(Vec::len), Some(2));
    }
    let status = json_of(&rempart_in(dir, &[], &["status", "--json"]));
    assert!(
        status["processes"][0]["achieved_rto_ms"].as_i64().is_some(),
        "{status:#}"
    );
}

/// The README's promise: `serve --demo`, and within a minute or so
/// `rempart status` shows measured figures, compliant.
#[test]
fn the_demo_shows_measured_figures_within_a_minute() {
    let s = Scratch::new("drill-demo");
    let data = s.join("data");
    let data_s = data.display().to_string();
    let server = common::Server::start(&["--demo", "--data-dir", &data_s], &s.join("serve.log"));
    // Run where there is no rempart.toml: the plan is the one the store
    // holds for the demo (the demo has two other clients: named).
    let elsewhere = s.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("a folder");
    let here = |args: &[&str]| {
        common::command()
            .args(args)
            .args(["--data-dir", &data_s, "--tenant", "demo"])
            .current_dir(&elsewhere)
            .output()
            .expect("rempart runs")
    };
    let status = |json: bool| {
        let mut args = vec!["status"];
        if json {
            args.push("--json");
        }
        here(&args)
    };
    let measured = wait_for("the demo's first drill", Duration::from_secs(90), || {
        let out = status(true);
        let v: Value = serde_json::from_slice(&out.stdout).ok()?;
        v["processes"][0]["achieved_rto_ms"]
            .as_i64()
            .is_some()
            .then_some(v)
    });
    let p = &measured["processes"][0];
    assert_eq!(p["id"], "facturation");
    assert_eq!(p["status"], "compliant", "{p:#}");
    assert!(p["rpo_exposure_ms"].as_i64().is_some(), "{p:#}");
    assert_eq!(p["reasons"].as_array().map(Vec::len), Some(0), "{p:#}");
    let human = status(false);
    assert_eq!(human.status.code(), Some(0), "{}", text(&human));
    let said = String::from_utf8_lossy(&human.stdout);
    assert!(
        said.contains("facturation") && said.contains("conforme"),
        "{said}"
    );
    // The month's SLA of its monitor, in French, against its 99.5 % target.
    let sla = wait_for("the demo's SLA", Duration::from_secs(60), || {
        let out = here(&["sla"]);
        let said = String::from_utf8_lossy(&out.stdout).into_owned();
        // Until its first check is counted: "aucun contrôle".
        (said.contains("espace-disque") && !said.contains("aucun contrôle"))
            .then_some((out.status.code(), said))
    });
    assert_eq!(sla.0, Some(0), "{}", sla.1);
    assert!(
        sla.1.contains("100,000 %") && sla.1.contains("99,5 % : tenu"),
        "{}",
        sla.1
    );
    // French plurals: 0 is singular.
    assert!(sla.1.contains("0 panne,"), "{}", sla.1);
    assert!(!sla.1.contains("(s)"), "{}", sla.1);
    // One language at a time: the drill list and the evidence check speak
    // the plan's French, and --lang en switches everything to English.
    let drills = here(&["drill", "list"]);
    let said = String::from_utf8_lossy(&drills.stdout);
    assert!(
        said.contains("EXERCICE") && said.contains("réussi"),
        "{said}"
    );
    assert!(!said.contains("passed"), "{said}");
    let chain = here(&["evidence", "verify"]);
    let said = String::from_utf8_lossy(&chain.stdout);
    assert!(
        said.contains("intact") && said.contains("enregistrements vérifiés"),
        "{said}"
    );
    // What the records and the last check say is said in French too.
    let shown = here(&[
        "drill",
        "show",
        measured["processes"][0]["last_drill"]["run"]
            .as_str()
            .unwrap_or_default(),
    ]);
    let said = String::from_utf8_lossy(&shown.stdout);
    assert!(
        said.contains("restauré depuis") && said.contains("code de sortie 0"),
        "{said}"
    );
    assert!(
        !said.contains("restored snapshot") && !said.contains("exit 0"),
        "{said}"
    );
    let monitors = here(&["monitors"]);
    let said = String::from_utf8_lossy(&monitors.stdout);
    assert!(said.contains("code de sortie 0 en"), "{said}");
    let english = here(&["drill", "list", "--lang", "en"]);
    let said = String::from_utf8_lossy(&english.stdout);
    assert!(said.contains("RUN") && said.contains("passed"), "{said}");
    assert!(!said.contains("réussi"), "{said}");
    assert_eq!(server.stop(), Some(0));
}
