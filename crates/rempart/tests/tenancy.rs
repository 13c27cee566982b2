//! Which tenant a one-shot command means, tenants and their folders, and
//! stored secrets, as an MSP's technician uses them on the server.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{Scratch, Server, base_plan_without_web, local_plan, rempart, restic_check, walk};
use serde_json::Value;

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn tenant_ids(data: &str) -> Vec<String> {
    let out = rempart(&["tenant", "list", "--json", "--data-dir", data]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `rempart ARGS` with `input` on standard input.
fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args(args)
        .env_remove("REMPART_PLAN")
        .env_remove("REMPART_DATA")
        .env_remove("REMPART_DATABASE_URL")
        .env_remove("REMPART_TENANT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rempart runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_one_shot_command_uses_the_tenant_its_file_rules_and_never_creates_one() {
    let s = Scratch::new("tenancy");
    let plans = s.join("plans");
    std::fs::create_dir_all(&plans).unwrap();
    let heartbeat = "\n[[monitor]]\nid = \"nightly\"\nkind = \"heartbeat\"\nperiod = \"every 1d\"\ngrace = \"1h\"\n";
    for (id, name) in [("a", "A SARL"), ("b", "B SARL")] {
        let plan = base_plan_without_web().replace("Test SARL", name) + heartbeat;
        std::fs::write(plans.join(format!("{id}.toml")), plan).unwrap();
    }
    let data = s.join("data").display().to_string();
    let server = Server::start(
        &["--plans", plans.to_str().unwrap(), "--data-dir", &data],
        &s.join("serve.log"),
    );
    assert_eq!(server.stop(), Some(0));
    assert_eq!(tenant_ids(&data), ["a", "b"]);

    // The file names its tenant.
    let b = plans.join("b.toml").display().to_string();
    let out = rempart(&["-c", &b, "heartbeat", "--json", "--data-dir", &data]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tenant"], "b");
    assert_eq!(tenant_ids(&data), ["a", "b"], "no tenant created");

    // No file, several tenants: the command says which exist and how to choose.
    let out = rempart(&["status", "--data-dir", &data]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("--tenant") && said.contains("a — A SARL") && said.contains("b — B SARL"),
        "{said}"
    );
    let out = rempart(&["--tenant", "a", "status", "--data-dir", &data]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("A SARL (tenant \"a\")"),
        "{}",
        text(&out)
    );
    let out = rempart(&["status", "--tenant", "nobody", "--data-dir", &data]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("no tenant \"nobody\""),
        "{}",
        text(&out)
    );

    // A plan file no tenant holds: refused, even for a command that writes.
    let stray = s.join("stray.toml");
    std::fs::write(&stray, base_plan_without_web()).unwrap();
    let stray = stray.display().to_string();
    for args in [
        vec!["heartbeat"],
        vec!["drill", "run", "restore-db", "--dry-run"],
        vec!["notify", "test", "mail"],
    ] {
        let mut all = vec!["-c", stray.as_str(), "--data-dir", data.as_str()];
        all.extend(args.iter().copied());
        let out = rempart(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("no tenant of this store is ruled by the plan"),
            "{}",
            text(&out)
        );
    }
    assert_eq!(tenant_ids(&data), ["a", "b"], "no tenant created");

    // An empty store: a command that writes evidence creates `default`
    // for its plan file, and says so; one that reads creates nothing.
    let fresh = s.join("fresh").display().to_string();
    let out = rempart(&["-c", &stray, "heartbeat", "--data-dir", &fresh]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(!Path::new(&fresh).join("rempart.db").exists());
    let out = rempart(&["-c", &stray, "notify", "test", "mail", "--data-dir", &fresh]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("tenant \"default\" now holds the plan"),
        "{}",
        text(&out)
    );
    assert_eq!(tenant_ids(&fresh), ["default"]);
}

#[test]
fn a_stored_secret_opens_a_repository_and_never_leaves_the_store() {
    let s = Scratch::new("stored-secret");
    let dir = &s.0;
    let plan = local_plan(dir, "repos/nas", "seq 1 2000", "");
    let text_plan = std::fs::read_to_string(&plan).unwrap().replace(
        "password = { file = \"secrets/nas\" }",
        "password = { secret = \"nas-password\" }",
    );
    std::fs::write(&plan, text_plan).unwrap();
    let data = dir.join("data").display().to_string();
    let value = "Tr0ub4dor&3-stored-only";

    // Missing: the error says how to set it.
    let out = rempart(&["-c", &plan, "repo", "init", "nas", "--data-dir", &data]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("rempart secret set nas-password"),
        "{}",
        text(&out)
    );
    let out = with_stdin(
        &[
            "-c",
            &plan,
            "secret",
            "set",
            "nas-password",
            "--data-dir",
            &data,
        ],
        &format!("{value}\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = rempart(&["-c", &plan, "repo", "init", "--data-dir", &data]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = rempart(&["-c", &plan, "backup", "run", "db", "--data-dir", &data]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // Restic opens the repository with the stored value: it is the password.
    let pw = dir.join("pw");
    std::fs::write(&pw, value).unwrap();
    let check = restic_check(&dir.join("repos/nas"), &pw);
    assert!(check.status.success(), "{}", text(&check));
    std::fs::remove_file(&pw).unwrap();

    // Listed by name and date, recorded without the value, sealed at rest.
    let out = rempart(&["-c", &plan, "secret", "list", "--json", "--data-dir", &data]);
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        listed.contains("nas-password") && !listed.contains(value),
        "{listed}"
    );
    let out = rempart(&[
        "-c",
        &plan,
        "evidence",
        "list",
        "--kind",
        "secret",
        "--json",
        "--data-dir",
        &data,
    ]);
    let ev: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ev["records"][0]["subject"], "nas-password");
    assert!(
        ev["records"][0]["measurements"]["by"]
            .as_str()
            .unwrap()
            .starts_with("cli:")
    );
    for file in walk(dir) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(value.len()).any(|w| w == value.as_bytes()),
            "{} holds the secret in clear",
            file.display()
        );
    }
    // Another master key cannot open it, and says which key sealed it.
    let other = "ab".repeat(32);
    let out = Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args(["-c", &plan, "backup", "run", "db", "--data-dir", &data])
        .env("REMPART_MASTER_KEY", &other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("was sealed with the master key")
            && text(&out).contains("REMPART_MASTER_KEY"),
        "{}",
        text(&out)
    );
    // Removed: the plan no longer opens.
    let out = rempart(&[
        "-c",
        &plan,
        "secret",
        "remove",
        "nas-password",
        "--data-dir",
        &data,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = rempart(&["-c", &plan, "backup", "run", "db", "--data-dir", &data]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn tenants_are_added_and_given_folders_by_the_msp() {
    let s = Scratch::new("tenant-cli");
    let data = s.join("data").display().to_string();
    let out = rempart(&[
        "tenant",
        "add",
        "beta",
        "--name",
        "Beta SARL",
        "--data-dir",
        &data,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = rempart(&[
        "tenant",
        "add",
        "beta",
        "--name",
        "Again",
        "--data-dir",
        &data,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let folder = s.join("clients/beta");
    std::fs::create_dir_all(&folder).unwrap();
    let folder = folder.display().to_string();
    let out = rempart(&[
        "--tenant",
        "beta",
        "tenant",
        "roots",
        &folder,
        "--data-dir",
        &data,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains(&folder), "{}", text(&out));
    let out = rempart(&[
        "--tenant",
        "beta",
        "tenant",
        "roots",
        "relative/dir",
        "--data-dir",
        &data,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = rempart(&["tenant", "list", "--json", "--data-dir", &data]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tenants"][0]["managed_by"], "api");
    let out = rempart(&[
        "--tenant",
        "beta",
        "tenant",
        "roots",
        "--clear",
        "--data-dir",
        &data,
    ]);
    assert!(text(&out).contains("no folder"), "{}", text(&out));
}
