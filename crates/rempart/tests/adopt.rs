//! Adopting a repository that Debian's `restic` made: its snapshots are
//! listed with their origin, restored by id, and counted in the RPO
//! before Rempart has made any backup of its own.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Scratch, Server, local_plan, rempart, wait_for};
use serde_json::Value;

/// `restic -r DIR/repos/nas ARGS` with the plan's password, which must succeed.
fn restic(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("restic")
        .arg("-r")
        .arg(dir.join("repos/nas"))
        .arg("--password-file")
        .arg(dir.join("secrets/nas"))
        .args(["--no-cache", "-q"])
        .args(args)
        .output()
        .expect("restic is installed (scripts/services)");
    assert!(
        out.status.success(),
        "restic {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The program named in `backup list`'s text for a snapshot restic wrote.
fn program(snapshot: &Value) -> &str {
    snapshot["program_version"]
        .as_str()
        .unwrap_or("another tool")
}

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Field `key` of each snapshot `backup adopt --json` newly recorded.
fn newly<'v>(adopted: &'v Value, key: &str) -> Vec<&'v str> {
    adopted["backups"][0]["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n[key].as_str().unwrap())
        .collect()
}

/// The snapshots restic printed as JSON, (id, host) newest last.
fn restic_snapshots(dir: &Path) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(&restic(dir, &["snapshots", "--json"])).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                s["hostname"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The base plan on `dir`, its backup "db" adopting host files01's
/// snapshots of `src` in repository "nas" (its only target); the path of
/// the plan file.
fn adopting_plan(dir: &Path, src: &Path) -> String {
    let plan = std::fs::read_to_string(local_plan(dir, "repos/nas", "seq 1 10", ""))
        .unwrap()
        .replace(
            "targets = [\"nas\", \"s3\"]",
            &format!(
                "targets = [\"nas\"]\nadopt = {{ host = \"files01\", paths = [\"{}/\"] }}",
                src.display()
            ),
        )
        // One site: the drill restores from the office.
        .replace(
            "restore = \"db\", site = \"cloud\"",
            "restore = \"db\", site = \"office\"",
        );
    std::fs::write(dir.join("rempart.toml"), &plan).unwrap();
    dir.join("rempart.toml").display().to_string()
}

#[test]
fn a_server_measures_the_rpo_of_an_adopted_repository_from_its_first_minute() {
    let s = Scratch::new("adopt-serve");
    let dir = &s.0;
    let src = dir.join("files");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.txt"), "a\n").unwrap();
    let plan = adopting_plan(dir, &src);
    restic(dir, &["init"]);
    restic(dir, &["backup", "--host", "files01", src.to_str().unwrap()]);
    let made = restic_snapshots(dir);
    let data = dir.join("data").display().to_string();
    let serve = Server::start(&["-c", &plan, "--data-dir", &data], &dir.join("serve.log"));
    let billing = wait_for(
        "the adopted restore point counted",
        std::time::Duration::from_secs(60),
        || {
            let out = rempart(&["status", "--json", "-c", &plan, "--data-dir", &data]);
            let v: Value = serde_json::from_slice(&out.stdout).ok()?;
            let billing = v["processes"][0].clone();
            (billing["restore_point_backup"] == "db").then_some(billing)
        },
    );
    assert!(billing["rpo_exposure_ms"].as_i64().is_some(), "{billing:#}");
    let ev = json(&rempart(&[
        "evidence",
        "list",
        "--kind",
        "backup",
        "--json",
        "--data-dir",
        &data,
    ]));
    let records = ev["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{ev:#}");
    assert_eq!(records[0]["measurements"]["snapshot"], made[0].0.as_str());
    drop(serve);
}

#[test]
fn a_repository_restic_made_is_adopted_listed_restored_and_counted() {
    let s = Scratch::new("adopt");
    let dir = &s.0;
    let src = dir.join("files");
    std::fs::create_dir_all(src.join("compta")).unwrap();
    std::fs::write(
        src.join("compta/grand-livre.csv"),
        "date;montant\n2026-12-01;42\n",
    )
    .unwrap();
    std::fs::write(src.join("notes.txt"), "v1\n").unwrap();
    let src_text = src.display().to_string();
    let plan = adopting_plan(dir, &src);
    let plan_text = std::fs::read_to_string(&plan).unwrap();
    let with_s3 = plan_text.replace("targets = [\"nas\"]", "targets = [\"nas\", \"s3\"]");
    let data = dir.join("data").display().to_string();
    let with = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-c", &plan, "--data-dir", &data]);
        rempart(&all)
    };

    // The MSP's restic: two snapshots of the file server, one of another host.
    restic(dir, &["init"]);
    restic(dir, &["backup", "--host", "files01", &src_text]);
    std::fs::write(src.join("notes.txt"), "v2\n").unwrap();
    restic(
        dir,
        &["backup", "--host", "files01", "--tag", "nightly", &src_text],
    );
    restic(dir, &["backup", "--host", "laptop", &src_text]);
    let made = restic_snapshots(dir);
    assert_eq!(made.len(), 3);

    let reasons = || -> Vec<String> {
        let v: Value = serde_json::from_slice(&with(&["status", "--json"]).stdout).unwrap();
        v["processes"][0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_owned())
            .collect()
    };

    // Listed: the two of files01 as the backup's, adopted.
    let listed = json(&with(&[
        "backup", "list", "db", "--site", "office", "--json",
    ]));
    let rows = listed["snapshots"].as_array().unwrap();
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["snapshot"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [made[0].0.as_str(), made[1].0.as_str()], "{listed:#}");
    assert!(
        rows.iter()
            .all(|r| r["origin"] == "adopted" && r["backup"] == "db")
    );
    // As restic wrote it (0.17 and later say their version; older ones nothing).
    let written: Value =
        serde_json::from_str(&restic(dir, &["cat", "snapshot", &made[0].0])).unwrap();
    assert_eq!(
        rows[0]["program"],
        written["program_version"].as_str().unwrap_or("")
    );
    assert_eq!(rows[0]["host"], "files01");
    assert_eq!(rows[1]["tags"], serde_json::json!(["nightly"]));
    // --all: the laptop's too, of no backup.
    let all = json(&with(&[
        "backup", "list", "--all", "--site", "office", "--json",
    ]));
    let other: Vec<&Value> = all["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["origin"] == "other")
        .collect();
    assert_eq!(other.len(), 1, "{all:#}");
    assert_eq!(
        (other[0]["snapshot"].as_str(), other[0]["host"].as_str()),
        (Some(made[2].0.as_str()), Some("laptop"))
    );
    let text = String::from_utf8_lossy(&with(&["backup", "list", "--all"]).stdout).into_owned();
    assert!(
        text.contains(&format!(
            "adopted: {} on files01: {src_text}",
            program(&written)
        )),
        "{text}"
    );
    assert!(
        text.contains("other: ") && text.contains(" on laptop: "),
        "{text}"
    );

    // Restored by id: the latest of the backup, and any snapshot of the repository.
    let to = dir.join("restored-latest");
    let out = with(&[
        "restore",
        "db",
        "--to",
        to.to_str().unwrap(),
        "--site",
        "office",
        "--json",
    ]);
    let restored = json(&out);
    assert_eq!(restored["snapshot"], made[1].0.as_str(), "{restored:#}");
    let inside = to.join(src_text.trim_start_matches('/'));
    assert_eq!(
        std::fs::read_to_string(inside.join("notes.txt")).unwrap(),
        "v2\n"
    );
    let to = dir.join("restored-first");
    let out = with(&[
        "restore",
        "db",
        "--to",
        to.to_str().unwrap(),
        "--site",
        "office",
        "--snapshot",
        &made[0].0[..8],
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inside = to.join(src_text.trim_start_matches('/'));
    assert_eq!(
        std::fs::read_to_string(inside.join("notes.txt")).unwrap(),
        "v1\n"
    );
    assert_eq!(
        std::fs::read_to_string(inside.join("compta/grand-livre.csv")).unwrap(),
        "date;montant\n2026-12-01;42\n"
    );
    // A snapshot of no backup, by id, as restic restores it.
    let to = dir.join("restored-laptop");
    let out = with(&[
        "restore",
        "db",
        "--to",
        to.to_str().unwrap(),
        "--site",
        "office",
        "--snapshot",
        &made[2].0,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // An id that names no snapshot is said so.
    let out = with(&[
        "restore",
        "db",
        "--to",
        dir.join("x").to_str().unwrap(),
        "--site",
        "office",
        "--snapshot",
        "0000000f",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no snapshot 0000000f in repository \"nas\"")
    );

    // Recorded once each, then counted: a restore point, its age measured.
    let adopted = json(&with(&["backup", "adopt", "--json"]));
    assert_eq!(
        newly(&adopted, "snapshot"),
        [made[0].0.as_str(), made[1].0.as_str()],
        "{adopted:#}"
    );
    let again = json(&with(&["backup", "adopt", "db", "--json"]));
    assert_eq!(again["backups"][0]["new"], serde_json::json!([]));
    assert_eq!(again["backups"][0]["already_on_record"], 2);
    assert!(
        !reasons().contains(&"no-restore-point".to_owned()),
        "{:?}",
        reasons()
    );
    let status: Value = serde_json::from_slice(&with(&["status", "--json"]).stdout).unwrap();
    let billing = &status["processes"][0];
    assert_eq!(billing["restore_point_backup"], "db");
    let exposure = billing["rpo_exposure_ms"].as_i64().unwrap();
    assert!((0..600_000).contains(&exposure), "{billing:#}");
    let ev = json(&with(&["evidence", "list", "--kind", "backup", "--json"]));
    let adopted_from = &ev["records"][1]["measurements"]["adopted"];
    assert_eq!(adopted_from["host"], "files01");
    assert_eq!(adopted_from["tags"], serde_json::json!(["nightly"]));

    // A second site: Rempart's first backup copies the adopted snapshots
    // there too (a restore point counts once every target holds it).
    std::fs::write(dir.join("rempart.toml"), &with_s3).unwrap();
    let out = with(&["backup", "adopt", "--json"]);
    assert_eq!(out.status.code(), Some(1), "s3 is not created yet");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("run `rempart repo init s3`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kept: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(kept["backups"][0]["unreadable"][0]["repository"], "s3");
    assert_eq!(with(&["repo", "init", "s3"]).status.code(), Some(0));
    json(&with(&["backup", "run", "db", "--json"]));
    let cloud = json(&with(&[
        "backup", "list", "db", "--site", "cloud", "--json",
    ]));
    let origins: Vec<&str> = cloud["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["origin"].as_str().unwrap())
        .collect();
    assert_eq!(origins, ["adopted", "adopted", "rempart"], "{cloud:#}");
    let check = common::restic_check(&dir.join("repos/usb"), &dir.join("secrets/usb"));
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let adopted = json(&with(&["backup", "adopt", "--json"]));
    assert_eq!(newly(&adopted, "repository"), ["s3", "s3"], "{adopted:#}");
}
