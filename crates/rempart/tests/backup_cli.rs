//! `rempart repo init`, `backup run|list` and `restore` as users run them:
//! exit codes, output, and the evidence they leave; Debian's `restic`
//! checks the repositories.

mod common;
#[path = "../../backup/tests/support/noise.rs"]
mod noise;

use std::path::Path;
use std::process::Command;

use common::{Scratch, local_plan, rempart, restic_check, walk};
use noise::noise;
use serde_json::Value;

fn setup(dir: &Path) -> String {
    local_plan(dir, "repos/nas", "seq 1 1000", "")
}

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn backup_list_restore_and_their_evidence() {
    let s = Scratch::new("backup-cli");
    let dir = &s.0;
    let plan = setup(dir);
    let data = dir.join("data").display().to_string();
    let with = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-c", &plan, "--data-dir", &data]);
        rempart(&all)
    };

    // Not created yet: a clear error naming the repository and the fix.
    let early = with(&["backup", "run", "db"]);
    assert_eq!(early.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&early.stderr).contains("run `rempart repo init nas`"));

    let init = with(&["repo", "init"]);
    assert_eq!(init.status.code(), Some(0));
    let said = String::from_utf8_lossy(&init.stdout);
    assert!(said.contains("nas: created at repos/nas\n"), "{said}");
    assert!(
        said.contains("s3: created at repos/usb, sharing the master key of \"nas\""),
        "{said}"
    );

    let run = json(&with(&["backup", "run", "db", "--json"]));
    let sites: Vec<(&str, &str)> = run["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["action"].as_str().unwrap(), s["site"].as_str().unwrap()))
        .collect();
    assert_eq!(sites, [("backup", "office"), ("copy", "cloud")]);

    let listed = json(&with(&["backup", "list", "db", "--json"]));
    assert_eq!(listed["snapshots"].as_array().unwrap().len(), 2);
    let cloud = json(&with(&["backup", "list", "--site", "cloud", "--json"]));
    assert_eq!(cloud["snapshots"].as_array().unwrap().len(), 1);

    let to = dir.join("restored");
    let restored = json(&with(&[
        "restore",
        "db",
        "--to",
        to.to_str().unwrap(),
        "--site",
        "cloud",
        "--json",
    ]));
    assert_eq!(restored["site"], "cloud");
    // The data's age is the time since the snapshot's data was read:
    // more than nothing, less than the test has run.
    let age = restored["data_age_ms"].as_i64().unwrap();
    let data_time = restored["data_time_ms"].as_i64().unwrap();
    assert!(age > 0 && age < 600_000, "{restored:#}");
    let snapshot_time = listed["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| chrono::DateTime::parse_from_rfc3339(s["time"].as_str()?).ok())
        .map(|t| t.timestamp_millis())
        .max()
        .unwrap();
    assert!(
        (data_time - snapshot_time).abs() < 1_000,
        "the restored data's time is the snapshot's: {data_time} vs {snapshot_time}"
    );
    let expected: String = (1..=1000).map(|i| format!("{i}\n")).collect();
    assert_eq!(
        std::fs::read_to_string(to.join("app.dump")).unwrap(),
        expected
    );

    // Evidence: the failed attempt, then one backup, one copy, one restore.
    let evidence = json(&with(&["evidence", "list", "--json"]));
    let kinds: Vec<&str> = evidence["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["backup", "backup", "copy", "restore"]);
    assert_eq!(evidence["records"][0]["outcome"], "failure");
    let backup = &evidence["records"][1];
    assert_eq!(backup["outcome"], "success");
    assert_eq!(backup["measurements"]["site"], "office");
    assert_eq!(backup["measurements"]["summary"]["files_new"], 1);
    assert_eq!(with(&["evidence", "verify"]).status.code(), Some(0));

    for (repo, password) in [("repos/nas", "secrets/nas"), ("repos/usb", "secrets/usb")] {
        let check = restic_check(&dir.join(repo), &dir.join(password));
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }

    // Verify: both sound, then a damaged pack is reported (exit 1) and recorded.
    let sound = json(&with(&["verify", "--read-data", "100%", "--json"]));
    assert_eq!(sound["repositories"].as_array().unwrap().len(), 2);
    assert!(
        sound["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["errors"].as_array().unwrap().is_empty())
    );
    let damage = || {
        for pack in walk(&dir.join("repos/nas/data")) {
            let mut bytes = std::fs::read(&pack).unwrap();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0xff;
            std::fs::write(&pack, bytes).unwrap();
        }
        std::fs::remove_dir_all(dir.join("data/cache")).ok();
    };
    damage();
    let damaged = with(&["verify", "--repository", "nas", "--read-data", "100%"]);
    let said = String::from_utf8_lossy(&damaged.stdout);
    assert_eq!(damaged.status.code(), Some(1), "{said}");
    assert!(said.starts_with("nas: DAMAGED"), "{said}");
    assert!(said.contains("  damaged pack "), "{said}");
    assert!(said.contains(" of backup \"db\" ("), "{said}");
    assert!(
        said.contains("rempart repair nas --from <REPOSITORY>"),
        "{said}"
    );
    let evidence = json(&with(&["evidence", "list", "--kind", "verify", "--json"]));
    let outcomes: Vec<&str> = evidence["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["success", "success", "failure"]);
    let failed = &evidence["records"][2]["measurements"];
    assert!(!failed["damaged_packs"].as_array().unwrap().is_empty());
    assert_eq!(failed["affected_snapshots"][0]["backup"], "db");
    let no_point = || {
        let status = with(&["status", "--json"]);
        let v: Value = serde_json::from_slice(&status.stdout).unwrap();
        v["processes"][0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "no-restore-point")
    };
    assert!(no_point(), "the damaged snapshot is not a restore point");

    // Healed from the cloud's copy, proven by a verify, recorded.
    let repair = with(&["repair", "nas", "--from", "s3"]);
    let said = String::from_utf8_lossy(&repair.stdout);
    assert_eq!(
        repair.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&repair.stderr)
    );
    assert!(
        said.contains("replaced by the intact copy from \"s3\""),
        "{said}"
    );
    assert!(
        said.contains("nas: verified sound after the repair (100% of the data read)"),
        "{said}"
    );
    let evidence = json(&with(&["evidence", "list", "--kind", "repair", "--json"]));
    assert_eq!(evidence["records"][0]["outcome"], "success");
    assert_eq!(
        with(&["verify", "--repository", "nas", "--read-data", "100%"])
            .status
            .code(),
        Some(0)
    );
    damage();

    // The cloud's password is now wrong and the office copy damaged: the
    // restore fails (exit 1), naming each site and why, never the secret.
    std::fs::write(dir.join("secrets/usb"), "guess").unwrap();
    let wrong = with(&[
        "restore",
        "db",
        "--to",
        to.to_str().unwrap(),
        "--site",
        "cloud",
    ]);
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert_eq!(wrong.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("site \"cloud\" (s3): wrong password for repository \"s3\""),
        "{stderr}"
    );
    assert!(stderr.contains("site \"office\" (nas):"), "{stderr}");
    assert!(!stderr.contains("guess"), "{stderr}");
    let run = with(&["backup", "run", "db"]);
    assert_eq!(run.status.code(), Some(1), "the copy to the cloud fails");
    assert!(!String::from_utf8_lossy(&run.stdout).contains("guess"));
}

#[test]
fn a_read_only_folder_larger_than_a_restore_batch_restores_without_privileges() {
    use std::os::unix::fs::PermissionsExt;
    // Restores go in batches of about 24 MiB, two at once, and a folder's
    // permissions are set last: set with its first batch, a read-only
    // folder of 100 MiB would refuse the files of the third and later
    // ones. Root is never refused, so the restore runs as "nobody" when
    // the test runs as root.
    let s = Scratch::new("read-only");
    let dir = &s.0;
    let plan = local_plan(
        dir,
        "repos/nas",
        "seq 1 10",
        "\n[[backup]]\nid = \"files\"\nprotects = [\"app\"]\nsource = { paths = [\"tree\"] }\nschedule = \"every 1h\"\ntargets = [\"nas\"]\n",
    );
    let folder = dir.join("tree/read-only");
    std::fs::create_dir_all(&folder).unwrap();
    for i in 0..100 {
        std::fs::write(folder.join(format!("f{i:02}")), noise(i, 1 << 20)).unwrap();
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let data = dir.join("data").display().to_string();
    for args in [&["repo", "init"][..], &["backup", "run", "files"]] {
        let mut all = args.to_vec();
        all.extend(["-c", &plan, "--data-dir", &data]);
        let out = rempart(&all);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Everything readable by all; the binary copied out of the (private)
    // target folder; a destination the restoring user owns.
    let binary = dir.join("rempart");
    std::fs::copy(env!("CARGO_BIN_EXE_rempart"), &binary).unwrap();
    let status = Command::new("chmod")
        .args(["-R", "a+rX"])
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success());
    let out_dir = dir.join("out");
    std::fs::create_dir(&out_dir).unwrap();
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let mut restore = if root {
        std::os::unix::fs::chown(&out_dir, Some(65534), Some(65534)).unwrap();
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary);
        c
    } else {
        Command::new(&binary)
    };
    let to = out_dir.join("restored");
    let out = restore
        .args(["restore", "files", "--to"])
        .arg(&to)
        .args(["-c", &plan, "--data-dir"])
        .arg(out_dir.join("data"))
        .env_remove("REMPART_PLAN")
        .env_remove("REMPART_DATA")
        .output()
        .expect("setpriv runs (util-linux)");
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = to.join(folder.strip_prefix("/").unwrap());
    for i in 0..100 {
        let name = format!("f{i:02}");
        assert!(
            std::fs::read(restored.join(&name)).unwrap() == noise(i, 1 << 20),
            "{name} differs"
        );
    }
    let mode = std::fs::metadata(&restored).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o555, "the folder is read-only again");
}

#[test]
fn one_unreadable_snapshot_file_hides_no_other() {
    let s = Scratch::new("bad-snapshot");
    let dir = &s.0;
    let plan = setup(dir);
    let data = dir.join("data").display().to_string();
    let with = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-c", &plan, "--data-dir", &data]);
        rempart(&all)
    };
    assert_eq!(with(&["repo", "init"]).status.code(), Some(0));
    let first = json(&with(&["backup", "run", "db", "--json"]));
    let second = json(&with(&["backup", "run", "db", "--json"]));
    let old = first["sites"][0]["snapshot"].as_str().unwrap().to_owned();
    let new = second["sites"][0]["snapshot"].as_str().unwrap().to_owned();
    // The older snapshot file of the office site is cut short.
    let file = dir.join("repos/nas/snapshots").join(&old);
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::remove_dir_all(dir.join("data/cache")).ok();

    // Listed: the others, and the one that cannot be read, said (exit 1).
    let listed = with(&["backup", "list", "db", "--site", "office", "--json"]);
    assert_eq!(listed.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let ids: Vec<&str> = v["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["snapshot"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [new.as_str()]);
    assert_eq!(v["unreadable"][0]["snapshot"], old.as_str());
    assert!(
        String::from_utf8_lossy(&listed.stderr).contains(&format!("snapshot {old} cannot be read")),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    // The other restores from that site; a backup still runs.
    let to = dir.join("restored");
    let restored = with(&[
        "restore",
        "db",
        "--snapshot",
        &new[..8],
        "--site",
        "office",
        "--to",
        to.to_str().unwrap(),
    ]);
    assert_eq!(
        restored.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(to.join("app.dump").exists());
    // A backup still runs, and says the repository is damaged (exit 1).
    let ran = with(&["backup", "run", "db"]);
    assert_eq!(ran.status.code(), Some(1));
    let said = String::from_utf8_lossy(&ran.stderr);
    assert!(
        said.contains("the repository is damaged: 1 snapshot file(s) cannot be read"),
        "{said}"
    );
    assert!(
        String::from_utf8_lossy(&ran.stdout).contains("db: backup to nas (office) — snapshot ")
    );
    // Verify names it as damage; that point is no restore point there.
    let verified = with(&["verify", "--repository", "nas", "--json"]);
    assert_eq!(verified.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&verified.stdout).unwrap();
    let report = &v["repositories"][0];
    assert_eq!(report["unreadable_snapshots"][0], old.as_str(), "{v:#}");
    assert!(
        report["errors"][0]
            .as_str()
            .unwrap()
            .contains(&format!("snapshot {old} cannot be read")),
        "{v:#}"
    );
    // restic agrees the file is damaged and still lists the others.
    let restic = Command::new("restic")
        .args(["-r"])
        .arg(dir.join("repos/nas"))
        .args(["--no-cache", "--password-file"])
        .arg(dir.join("secrets/nas"))
        .args(["snapshots", "--json"])
        .output()
        .unwrap();
    let listed_by_restic = String::from_utf8_lossy(&restic.stdout);
    assert!(listed_by_restic.contains(&new), "{listed_by_restic}");
    assert!(!listed_by_restic.contains(&old), "{listed_by_restic}");
}

/// `plan check --resolve` opens each repository: a restic version-1
/// repository is said (no compression; an error when the plan asks for a
/// level), one not created yet too, each at its line.
#[test]
fn plan_check_resolve_says_what_the_repositories_are() {
    let s = Scratch::new("plan-resolve");
    let dir = &s.0;
    let plan = setup(dir);
    let init = Command::new("restic")
        .arg("-r")
        .arg(dir.join("repos/nas"))
        .arg("--password-file")
        .arg(dir.join("secrets/nas"))
        .args(["init", "--repository-version", "1"])
        .output()
        .expect("restic is installed (scripts/services)");
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let data = dir.join("data").display().to_string();
    let check = |extra: &[&str]| {
        let mut args = vec!["plan", "check", "--json", "-c", &plan, "--data-dir", &data];
        args.extend_from_slice(extra);
        let out = rempart(&args);
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code(), v)
    };
    let codes = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    // Offline by default: nothing is opened.
    let (code, v) = check(&[]);
    assert_eq!(code, Some(0));
    assert!(
        !codes(&v)
            .iter()
            .any(|c| c.starts_with("repository-") || c.contains("compress"))
    );
    let (code, v) = check(&["--resolve"]);
    assert_eq!(code, Some(0), "{v:#}");
    let found: Vec<&Value> = v["findings"].as_array().unwrap().iter().collect();
    let v1 = found
        .iter()
        .find(|f| f["code"] == "uncompressed-repository")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(v1["path"], "repository[0].location");
    assert!(v1["line"].as_u64().is_some(), "{v1}");
    assert!(
        v1["message"]
            .as_str()
            .unwrap()
            .contains("restic version-1 repository")
    );
    let missing = found
        .iter()
        .find(|f| f["code"] == "repository-missing")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(missing["path"], "repository[1].location");
    assert!(
        missing["hint"]
            .as_str()
            .unwrap()
            .contains("rempart repo init s3")
    );
    // A level the repository cannot honour is an error.
    let text = std::fs::read_to_string(&plan).unwrap().replace(
        "password = { file = \"secrets/nas\" }",
        "password = { file = \"secrets/nas\" }\ncompression = \"max\"",
    );
    std::fs::write(&plan, text).unwrap();
    let (code, v) = check(&["--resolve"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert!(
        codes(&v).contains(&"compression-unsupported".to_owned()),
        "{v:#}"
    );
}
