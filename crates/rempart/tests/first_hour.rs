//! A new user's first hour: every command finds its plan the same way,
//! the demo lives apart from one's own plan, a tenant holding another
//! organisation's plan is not taken over in silence, and what the plan
//! names that this machine lacks (secrets, folders) is said at once.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Scratch, Server, base_plan_without_web, command, local_plan, rempart};
use serde_json::Value;

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `rempart ARGS --data-dir DATA` run in folder `cwd`.
fn run_in(cwd: &Path, data: &Path, args: &[&str]) -> Output {
    command()
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .current_dir(cwd)
        .output()
        .expect("rempart runs")
}

/// Runs `cmd` to its end, killed (and the test failed) after `limit`.
fn to_the_end(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rempart starts");
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("waitable").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!("still running after {limit:?}:\n{}", text(&out));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

fn tenants(data: &Path) -> Vec<(String, String)> {
    let out = rempart(&[
        "tenant",
        "list",
        "--json",
        "--data-dir",
        &data.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap_or_default().to_owned(),
                t["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_command_finds_its_plan_in_the_same_order_and_says_what_it_tried() {
    let s = Scratch::new("plan-order");
    let empty = s.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let data = s.join("data");

    // Nothing anywhere: each command says what it tried, in order.
    for args in [
        &["backup", "list"][..],
        &["verify"],
        &["status"],
        &["drill", "list"],
        &["plan", "show"],
        &["plan", "check"],
    ] {
        let out = run_in(&empty, &data, args);
        let said = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {said}");
        for tried in [
            "Tried, in order",
            "-c and $REMPART_PLAN",
            "./rempart.toml",
            "no store at",
        ] {
            assert!(
                said.contains(tried),
                "{args:?} does not say {tried:?}: {said}"
            );
        }
    }
    // A file named with -c must exist: no silent fallback to another plan.
    let out = run_in(&empty, &data, &["backup", "list", "-c", "typo.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("typo.toml") && text(&out).contains("does not exist"));

    // ./rempart.toml in the current folder, for every command.
    let company = s.join("company");
    let file = local_plan(&company, "nas", "true", "");
    let out = run_in(&company, &data, &["repo", "init"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    for args in [
        &["backup", "list", "--json"][..],
        &["verify"],
        &["plan", "check"],
    ] {
        let out = run_in(&company, &data, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    }
    // $REMPART_PLAN, from anywhere.
    let out = command()
        .args(["backup", "list", "--json", "--data-dir"])
        .arg(&data)
        .env("REMPART_PLAN", &file)
        .current_dir(&empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Once served, the plan the store holds, from a folder without a plan.
    let server = Server::start(
        &["-c", &file, "--data-dir", &data.display().to_string()],
        &s.join("serve.log"),
    );
    assert_eq!(server.stop(), Some(0));
    for args in [
        &["backup", "list", "--json"][..],
        &["verify"],
        &["plan", "check"],
        &["plan", "show"],
    ] {
        let out = run_in(&empty, &data, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    }
    let shown = run_in(&empty, &data, &["plan", "show"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Test SARL"));
    let status = run_in(&empty, &data, &["status", "--json"]);
    let v: Value = serde_json::from_slice(&status.stdout).expect("status JSON");
    assert_eq!(v["tenant"], "default", "{v}");
}

/// `serve --demo`'s tenants: (id, name).
const DEMO_CLIENTS: [(&str, &str); 3] = [
    ("cabinet", "Cabinet Durand Avocats"),
    ("demo", "Démo SARL"),
    ("pharmacie", "Pharmacie du Centre"),
];

#[test]
fn the_demo_lives_apart_and_a_tenant_holding_another_organisation_is_not_taken_over() {
    let s = Scratch::new("demo-apart");
    let data = s.join("data");
    let data_s = data.display().to_string();
    let server = Server::start(&["--demo", "--data-dir", &data_s], &s.join("demo.log"));
    assert_eq!(server.stop(), Some(0));
    // The demo and its two other clients, for the MSP's overview.
    let demo = |t: &str| {
        (
            t.to_owned(),
            DEMO_CLIENTS
                .iter()
                .find(|c| c.0 == t)
                .map_or("?", |c| c.1)
                .to_owned(),
        )
    };
    assert_eq!(
        tenants(&data),
        [demo("cabinet"), demo("demo"), demo("pharmacie")]
    );
    // The README's one command for the demo's PRA.
    let pra = s.join("pra-demo.pdf");
    let out = rempart(&[
        "report",
        "pra",
        "--tenant",
        "demo",
        "-o",
        &pra.display().to_string(),
        "--data-dir",
        &data_s,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(std::fs::read(&pra).unwrap().starts_with(b"%PDF-"));

    // One's own plan, served next to it, is a tenant of its own.
    let mine = s.join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    let own = base_plan_without_web().replace("Test SARL", "Ma Société");
    std::fs::write(mine.join("rempart.toml"), &own).unwrap();
    let mine_file = mine.join("rempart.toml").display().to_string();
    let server = Server::start(
        &["-c", &mine_file, "--data-dir", &data_s],
        &s.join("mine.log"),
    );
    assert_eq!(server.stop(), Some(0));
    assert_eq!(
        tenants(&data),
        [
            demo("cabinet"),
            ("default".into(), "Ma Société".into()),
            demo("demo"),
            demo("pharmacie")
        ]
    );
    // ... and the demo's drills are not shown for it.
    let drills = rempart(&[
        "drill",
        "list",
        "--json",
        "-c",
        &mine_file,
        "--data-dir",
        &data_s,
    ]);
    let v: Value = serde_json::from_slice(&drills.stdout).expect("JSON");
    assert_eq!(v["tenant"], "default");

    // Another organisation's plan is not served over it...
    let other = s.join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("rempart.toml"),
        base_plan_without_web().replace("Test SARL", "Autre SARL"),
    )
    .unwrap();
    let other_file = other.join("rempart.toml").display().to_string();
    let listen = format!("127.0.0.1:{}", common::free_port());
    let mut refused = command();
    refused.args([
        "serve",
        "-c",
        &other_file,
        "--data-dir",
        &data_s,
        "--listen",
        &listen,
    ]);
    let out = to_the_end(refused, Duration::from_secs(60));
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    for words in ["Ma Société", "Autre SARL", "--tenant", "--force"] {
        assert!(said.contains(words), "does not say {words:?}: {said}");
    }
    assert!(tenants(&data).contains(&("default".into(), "Ma Société".into())));

    // ... it is served under another tenant id, or over it with --force.
    let server = Server::start(
        &[
            "-c",
            &other_file,
            "--tenant",
            "autre",
            "--data-dir",
            &data_s,
        ],
        &s.join("autre.log"),
    );
    assert_eq!(server.stop(), Some(0));
    let server = Server::start(
        &["-c", &other_file, "--force", "--data-dir", &data_s],
        &s.join("force.log"),
    );
    assert_eq!(server.stop(), Some(0));
    assert_eq!(
        tenants(&data),
        [
            ("autre".into(), "Autre SARL".into()),
            demo("cabinet"),
            ("default".into(), "Autre SARL".into()),
            demo("demo"),
            demo("pharmacie")
        ]
    );
}

/// Line (from 1) of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no {needle:?} in the plan"))
        + 1
}

#[test]
fn plan_check_and_serve_name_the_secrets_and_paths_that_do_not_resolve() {
    let s = Scratch::new("unresolved");
    let dir = s.join("plan");
    std::fs::create_dir_all(&dir).unwrap();
    let plan = base_plan_without_web()
        .replace("location = \"/srv/repo\"", "location = \"missing-repo\"")
        .replace(
            "{ env = \"NAS_PASSWORD\" }",
            "{ env = \"REMPART_TEST_NEVER_SET\" }",
        )
        .replace("{ env = \"S3_PASSWORD\" }", "{ secret = \"s3-password\" }")
        + "\n[[backup]]\nid = \"files\"\nprotects = [\"app\"]\nsource = { paths = [\"/nonexistent/rempart/fichiers\"] }\nschedule = \"every 1h\"\ntargets = [\"nas\", \"s3\"]\n";
    let file = dir.join("rempart.toml");
    std::fs::write(&file, &plan).unwrap();
    let file_s = file.display().to_string();
    let data = s.join("data").display().to_string();

    let out = rempart(&[
        "plan",
        "check",
        "--resolve",
        "--json",
        "-c",
        &file_s,
        "--data-dir",
        &data,
    ]);
    assert_eq!(out.status.code(), Some(0), "warnings only: {}", text(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let found: Vec<(String, String, u64)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let expected = [
        (
            "secret-unresolved",
            "repository[0].password",
            "REMPART_TEST_NEVER_SET",
        ),
        ("secret-unresolved", "repository[1].password", "s3-password"),
        (
            "repository-missing",
            "repository[0].location",
            "missing-repo",
        ),
        (
            "path-missing",
            "backup[1].source.paths[0]",
            "/nonexistent/rempart/fichiers",
        ),
    ];
    for (code, path, needle) in expected {
        let line = line_of(&plan, needle) as u64;
        assert!(
            found.contains(&(code.to_owned(), path.to_owned(), line)),
            "no {code} at {path} line {line}: {found:?}"
        );
    }
    // Said once each: no second finding from opening those repositories.
    let resolving = found
        .iter()
        .filter(|(code, _, _)| {
            code.starts_with("repository-") || code == "secret-unresolved" || code == "path-missing"
        })
        .count();
    assert_eq!(resolving, expected.len(), "{found:?}");

    // serve says the same at start, at the plan's lines.
    let server = Server::start(&["-c", &file_s, "--data-dir", &data], &s.join("serve.log"));
    let logs = server.logs();
    for (_, _, needle) in expected {
        let at = format!("{file_s}:{}:", line_of(&plan, needle));
        assert!(logs.contains(&at), "serve does not name {at}: {logs}");
    }
    assert!(logs.contains("rempart secret set s3-password"), "{logs}");
    assert_eq!(server.stop(), Some(0));
}
