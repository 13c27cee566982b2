//! Backups stop when they must (their timeout, a server shutting down),
//! taking a command source's whole process group with them and keeping
//! nothing as a good snapshot; and no secret a plan names ever reaches the
//! evidence, an error or a log line.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Scratch, Server, local_plan, rempart, wait_for, walk};
use serde_json::Value;

fn text(o: &std::process::Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Whether process `pid` (read from `file`) still exists.
fn alive(file: &Path) -> bool {
    let pid: i32 = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        .trim()
        .parse()
        .unwrap();
    // SAFETY: signal 0 only asks whether the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

/// A command source that writes a little, starts a child that would run
/// for ten minutes, writes both pids under `dir`, and hangs.
fn hanging(dir: &Path) -> String {
    let d = dir.display();
    format!("echo partial; sleep 600 & echo $! > {d}/child.pid; echo $$ > {d}/shell.pid; wait")
}

#[test]
fn a_hanging_command_source_is_killed_at_its_timeout_with_its_children() {
    let s = Scratch::new("source-timeout");
    let dir = &s.0;
    let plan = local_plan(dir, "repos/nas", &hanging(dir), "");
    let text_plan = std::fs::read_to_string(&plan).unwrap().replace(
        "targets = [\"nas\", \"s3\"]",
        "targets = [\"nas\", \"s3\"]\ntimeout = \"2s\"",
    );
    std::fs::write(&plan, text_plan).unwrap();
    let data = dir.join("data").display().to_string();
    let with = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["-c", &plan, "--data-dir", &data]);
        rempart(&all)
    };
    assert_eq!(with(&["repo", "init"]).status.code(), Some(0));
    let started = std::time::Instant::now();
    let out = with(&["backup", "run", "db"]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("ran past its timeout (2s)") && text(&out).contains("process group"),
        "{}",
        text(&out)
    );
    assert!(took < Duration::from_secs(30), "it took {took:?}");
    // The command and the child it started are gone.
    wait_for(
        "the source's processes to be gone",
        Duration::from_secs(10),
        || (!alive(&dir.join("shell.pid")) && !alive(&dir.join("child.pid"))).then_some(()),
    );
    // Nothing is a snapshot, and the evidence says why.
    let listed = with(&["backup", "list", "db", "--json"]);
    let v: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(v["snapshots"].as_array().map(Vec::len), Some(0), "{v:#}");
    let ev = with(&["evidence", "list", "--kind", "backup", "--json"]);
    let v: Value = serde_json::from_slice(&ev.stdout).unwrap();
    let record = &v["records"][0];
    assert_eq!(record["outcome"], "failure", "{v:#}");
    assert!(
        record["message"]
            .as_str()
            .unwrap()
            .contains("ran past its timeout"),
        "{v:#}"
    );
}

#[test]
fn a_server_stopping_stops_its_backup_and_the_source_s_children() {
    let s = Scratch::new("source-shutdown");
    let dir = &s.0;
    let plan = local_plan(dir, "repos/nas", &hanging(dir), "");
    let data = dir.join("data").display().to_string();
    assert_eq!(
        rempart(&["repo", "init", "-c", &plan, "--data-dir", &data])
            .status
            .code(),
        Some(0)
    );
    let server = Server::start(
        &["-c", &plan, "--data-dir", &data, "--grace", "1"],
        &dir.join("serve.log"),
    );
    let msp = {
        let out = rempart(&["token", "create", "--name", "t", "--data-dir", &data]);
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let status = agent
        .post(&server.url("/api/v1/tenants/default/jobs/backup/db/run"))
        .header("Authorization", &format!("Bearer {msp}"))
        .send_empty()
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 202);
    wait_for(
        "the backup's command to start",
        Duration::from_secs(30),
        || dir.join("child.pid").exists().then_some(()),
    );
    assert!(alive(&dir.join("child.pid")));
    // SIGTERM: one second of grace, then the run is cancelled.
    assert_eq!(server.stop(), Some(0));
    wait_for(
        "the source's processes to be gone",
        Duration::from_secs(10),
        || (!alive(&dir.join("shell.pid")) && !alive(&dir.join("child.pid"))).then_some(()),
    );
    let ev = rempart(&[
        "evidence",
        "list",
        "--kind",
        "backup",
        "--json",
        "--data-dir",
        &data,
    ]);
    let v: Value = serde_json::from_slice(&ev.stdout).unwrap();
    let record = &v["records"][0];
    assert_eq!(record["outcome"], "failure", "{v:#}");
    assert!(
        record["message"].as_str().unwrap().contains("cancelled"),
        "{v:#}"
    );
}

#[test]
fn no_secret_reaches_the_evidence_an_error_or_a_log() {
    let s = Scratch::new("scrubbed");
    let dir = &s.0;
    // Three kinds of secret: the plan's own (a repository password read
    // from the environment), a URL's password, an assignment.
    let env_secret = "env-secret-5150-value";
    let url_secret = "url-secret-8086";
    let assigned = "assigned-secret-6502";
    let source = format!(
        "echo data; echo \\\"connecting to postgres://erp:{url_secret}@db/erp PGPASSWORD={assigned}\\\" >&2; echo \\\"$DRILL_REPO_PW\\\" >&2; exit 3"
    );
    let plan = local_plan(dir, "repos/nas", &source, "");
    let text_plan = std::fs::read_to_string(&plan).unwrap().replace(
        "password = { file = \"secrets/nas\" }",
        "password = { env = \"DRILL_REPO_PW\" }",
    ) + &format!(
        "\n[[scenario]]\nid = \"leaky\"\nname = \"Leaky\"\nprocess = \"billing\"\ndrill = \"every 1h\"\nsteps = [{{ name = \"print\", command = \"echo \\\"$DRILL_REPO_PW\\\"; echo password={assigned}; false\" }}]\n"
    );
    std::fs::write(&plan, text_plan).unwrap();
    let data = dir.join("data").display().to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rempart"))
            .args(args)
            .args(["-c", &plan, "--data-dir", &data])
            .env("DRILL_REPO_PW", env_secret)
            .env_remove("REMPART_PLAN")
            .env_remove("REMPART_DATA")
            .output()
            .unwrap()
    };
    assert_eq!(run(&["repo", "init"]).status.code(), Some(0));
    let failed = run(&["backup", "run", "db"]);
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    assert!(
        text(&failed).contains("exited with status 3"),
        "{}",
        text(&failed)
    );
    let drilled = run(&["drill", "run", "leaky"]);
    assert_eq!(drilled.status.code(), Some(1), "{}", text(&drilled));
    // The same through the server, its log kept.
    let server = Server::start_with(
        &["-c", &plan, "--data-dir", &data],
        &[("DRILL_REPO_PW", env_secret)],
        &dir.join("serve.log"),
    );
    let msp =
        String::from_utf8(rempart(&["token", "create", "--name", "t", "--data-dir", &data]).stdout)
            .unwrap()
            .trim()
            .to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    for job in ["backup/db", "drill/leaky"] {
        let status = agent
            .post(&server.url(&format!("/api/v1/tenants/default/jobs/{job}/run")))
            .header("Authorization", &format!("Bearer {msp}"))
            .send_empty()
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, 202, "{job}");
    }
    let all_evidence = || {
        rempart(&[
            "evidence",
            "list",
            "--json",
            "--limit",
            "1000",
            "--data-dir",
            &data,
        ])
    };
    wait_for("both jobs' evidence", Duration::from_secs(60), || {
        let out = all_evidence();
        let v: Value = serde_json::from_slice(&out.stdout).ok()?;
        let records = v["records"].as_array()?;
        let n = |kind: &str| records.iter().filter(|r| r["kind"] == kind).count();
        (n("backup") >= 2 && n("drill") >= 2).then_some(())
    });
    let log = server.logs();
    assert_eq!(server.stop(), Some(0));

    let all = String::from_utf8_lossy(&all_evidence().stdout).into_owned();
    assert!(
        all.contains("***"),
        "the secrets are masked, not dropped: {all}"
    );
    for secret in [env_secret, url_secret, assigned] {
        for (what, said) in [
            ("the evidence", all.as_str()),
            ("the server's log", log.as_str()),
            ("the backup's output", &text(&failed)),
            ("the drill's output", &text(&drilled)),
        ] {
            assert!(!said.contains(secret), "{secret} in {what}:\n{said}");
        }
    }
    // The plan's own text (kept with its versions) holds the two written in
    // its commands; the environment's value is nowhere in the store's files.
    for file in walk(Path::new(&data)) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes
                .windows(env_secret.len())
                .any(|w| w == env_secret.as_bytes()),
            "{env_secret} in {}",
            file.display()
        );
    }
}
