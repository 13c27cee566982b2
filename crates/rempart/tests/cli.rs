//! The command line as a user runs it: exit codes, files written, output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rempart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args(args)
        .env_remove("REMPART_PLAN")
        .env_remove("REMPART_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("rempart runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh empty directory under the target dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("rempart-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }
    fn path(&self, rel: &str) -> String {
        self.0.join(rel).display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn init_writes_a_starter_plan_that_checks_clean_in_both_languages() {
    for lang in ["en", "fr"] {
        let dir = Scratch::new(&format!("init-{lang}"));
        let out = rempart(&["init", &dir.path("company"), "--language", lang]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let plan = dir.path("company/rempart.toml");
        let check = rempart(&["plan", "check", "-c", &plan]);
        assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
        // The check speaks the plan's language, with its plural rules.
        let verdict = match lang {
            "fr" => " : 0 erreur, 0 avertissement — le plan est valide\n",
            _ => ": 0 errors, 0 warnings — the plan is valid\n",
        };
        assert!(stdout(&check).ends_with(verdict), "{}", stdout(&check));
        let text = std::fs::read_to_string(&plan).unwrap();
        assert!(text.contains(&format!("language = \"{lang}\"")));
    }
}

#[test]
fn init_never_overwrites_a_plan() {
    let dir = Scratch::new("no-overwrite");
    assert_eq!(rempart(&["init", &dir.path("")]).status.code(), Some(0));
    let plan = dir.path("rempart.toml");
    std::fs::write(&plan, "# mine\n").unwrap();
    let again = rempart(&["init", &dir.path("")]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), "# mine\n");
    let forced = rempart(&["init", &dir.path(""), "--force"]);
    assert_eq!(forced.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&plan)
            .unwrap()
            .contains("[organization]")
    );
}

#[test]
fn both_examples_check_clean() {
    for example in ["manufacturer", "accounting-office"] {
        let file = repo().join("examples").join(example).join("rempart.toml");
        let out = rempart(&[
            "plan",
            "check",
            "--lang",
            "en",
            "-c",
            &file.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
        assert!(
            stdout(&out).contains("0 errors, 0 warnings"),
            "{}",
            stdout(&out)
        );
    }
}

#[test]
fn check_exits_1_with_findings_and_json_gives_line_and_column() {
    let dir = Scratch::new("bad");
    std::fs::create_dir_all(&dir.0).unwrap();
    let base = std::fs::read_to_string(repo().join("crates/core/tests/plans/base.toml")).unwrap();
    let bad = base.replacen("rto = \"4h\"", "rto = \"3d\"", 1).replacen(
        "probability = 2",
        "probability = 9",
        1,
    );
    let file = dir.path("rempart.toml");
    std::fs::write(&file, bad).unwrap();

    let human = rempart(&["plan", "check", "-c", &file]);
    assert_eq!(human.status.code(), Some(1));
    let text = stdout(&human);
    assert!(
        text.contains(&format!(
            "{file}:36:7: error: process \"billing\" has rto = 3d but mtpd = 2d"
        )),
        "{text}"
    );
    assert!(
        text.contains("2 errors, 0 warnings — the plan is not valid"),
        "{text}"
    );

    let json = rempart(&["plan", "check", "-c", &file, "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON output");
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"], 2);
    assert_eq!(v["findings"][0]["code"], "rto-above-mtpd");
    assert_eq!(v["findings"][0]["line"], 36);
    assert_eq!(v["findings"][0]["column"], 7);
    assert_eq!(v["findings"][1]["code"], "score-out-of-range");

    // `plan show` refuses an invalid plan the same way.
    let show = rempart(&["plan", "show", "-c", &file]);
    assert_eq!(show.status.code(), Some(1));
    assert!(
        stderr(&show).contains("rto-above-mtpd")
            || stderr(&show).contains("the RTO must be below the MTPD")
    );
}

#[test]
fn unreadable_plan_and_bad_usage_exit_2() {
    let missing = rempart(&["plan", "check", "-c", "/nonexistent/rempart.toml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("rempart init"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(rempart(&["plan", "chek"]).status.code(), Some(2));
    assert_eq!(
        rempart(&["init", "--language", "de"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_plan_that_is_not_utf8_is_placed_at_its_first_bad_byte() {
    let dir = Scratch::new("latin1");
    std::fs::create_dir_all(&dir.0).unwrap();
    // Saved as Latin-1 by an old editor: "é" is the byte 0xE9.
    std::fs::write(
        dir.0.join("rempart.toml"),
        b"[organization]\nname = \"Soci\xe9t\xe9 G\xe9n\xe9rale\"\n",
    )
    .unwrap();
    let file = dir.path("rempart.toml");
    let out = rempart(&["plan", "check", "-c", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("{file}:2:13:"))
            && stderr(&out).contains("save the file as UTF-8"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    // `rempart plan schema | head -1`: the reader closes before the writes end.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args(["plan", "schema"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn the_plan_path_comes_from_rempart_plan_by_default() {
    let file = repo().join("examples/manufacturer/rempart.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args(["plan", "check"])
        .env("REMPART_PLAN", &file)
        .env("REMPART_LANG", "en")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("manufacturer/rempart.toml: 0 errors"));
}

#[test]
fn show_prints_toml_that_checks_and_json_in_seconds() {
    let file = repo()
        .join("crates/core/tests/plans/base.toml")
        .display()
        .to_string();
    let toml = rempart(&["plan", "show", "-c", &file]);
    assert_eq!(toml.status.code(), Some(0));
    let dir = Scratch::new("show");
    std::fs::create_dir_all(&dir.0).unwrap();
    let shown = dir.path("shown.toml");
    std::fs::write(&shown, &toml.stdout).unwrap();
    assert_eq!(
        rempart(&["plan", "check", "-c", &shown]).status.code(),
        Some(0)
    );

    let json = rempart(&["plan", "show", "-c", &file, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON output");
    assert_eq!(v["process"][0]["rto"], 14_400);
    assert_eq!(v["process"][0]["mtpd"], 172_800);
    assert_eq!(v["organization"]["timezone"], "Europe/Paris");
}

#[test]
fn schema_is_json_describing_the_plan() {
    let out = rempart(&["plan", "schema"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON schema");
    assert_eq!(v["title"], "Rempart continuity plan");
    assert!(v["properties"]["process"].is_object());
    assert_eq!(v["additionalProperties"], false);
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["init", "--help"],
        &["plan", "--help"],
        &["plan", "check", "--help"],
        &["plan", "show", "--help"],
        &["plan", "schema", "--help"],
    ] {
        let out = rempart(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(stdout(&out).contains("Usage: rempart"), "{args:?}");
    }
}
