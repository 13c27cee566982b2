//! Backups on real repositories, checked by Debian's `restic`: it must
//! list, restore and `check --read-data` everything Rempart writes.

use std::path::{Path, PathBuf};
use std::process::Command;

use rempart_backup::restore::{Pick, Request, restore};
use rempart_backup::run::run;
use rempart_backup::secrets::Resolver;
use rempart_backup::{BackupError, repository::Target};
use rempart_core::plan::{self, Plan};
use support::noise::noise;

mod support {
    pub mod noise;
    pub mod scratch;
}
use support::scratch::Scratch;

/// A plan with two local repositories on two sites, a file backup and a
/// command backup; the data, secrets and repositories live in `dir`.
fn setup(dir: &Path, command: &str) -> Plan {
    std::fs::create_dir_all(dir.join("secrets")).unwrap();
    std::fs::write(dir.join("secrets/nas"), "nas-password\n").unwrap();
    std::fs::write(dir.join("secrets/usb"), "usb-password\n").unwrap();
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("invoices/2026")).unwrap();
    for i in 0..50 {
        std::fs::write(
            data.join(format!("invoices/2026/F{i:04}.txt")),
            format!("Facture {i}\n").repeat(100 + i),
        )
        .unwrap();
    }
    std::fs::write(data.join("scratch.tmp"), "temporary").unwrap();
    let base = include_str!("../../core/tests/plans/base.toml");
    let text = base
        .replace("location = \"/srv/repo\"", "location = \"repos/nas\"")
        .replace(
            "password = { env = \"NAS_PASSWORD\" }",
            "password = { file = \"secrets/nas\" }",
        )
        .replace(
            "location = \"s3://test-bucket/rempart\"\npassword = { env = \"S3_PASSWORD\" }",
            "location = \"repos/usb\"\npassword = { file = \"secrets/usb\" }",
        )
        .replace(
            "command = \"pg_dump -Fc app\"",
            &format!("command = \"{command}\""),
        )
        + "\n[[backup]]\nid = \"files\"\nprotects = [\"app\"]\nsource = { paths = [\"data\"], exclude = [\"*.tmp\"] }\nschedule = \"every 1h\"\ntargets = [\"nas\", \"s3\"]\n";
    std::fs::write(dir.join("rempart.toml"), &text).unwrap();
    let checked = plan::check(&text);
    checked
        .valid_plan()
        .cloned()
        .unwrap_or_else(|| panic!("{:#?}", checked.findings))
}

fn init_all(plan: &Plan, dir: &Path) {
    for r in ["nas", "s3"] {
        let t = Target::from_plan(plan, r, &Resolver::msp(dir), &dir.join("cache")).unwrap();
        assert!(t.init().unwrap(), "{r} created");
        assert!(!t.init().unwrap(), "{r}: a second init changes nothing");
    }
}

/// Runs Debian's restic on a repository of the test plan.
fn restic(dir: &Path, repo: &str, args: &[&str]) -> std::process::Output {
    let password = if repo == "nas" {
        "secrets/nas"
    } else {
        "secrets/usb"
    };
    let path = if repo == "nas" {
        "repos/nas"
    } else {
        "repos/usb"
    };
    Command::new("restic")
        .arg("-r")
        .arg(dir.join(path))
        .args(["--no-cache", "--password-file"])
        .arg(dir.join(password))
        .args(args)
        .output()
        .expect("restic is installed (scripts/services)")
}

/// Restores the latest snapshot of `backup` into `to`, from `site` first.
fn latest(
    plan: &Plan,
    backup: &str,
    dir: &Path,
    cache: &Path,
    to: &Path,
    site: Option<&str>,
) -> rempart_backup::restore::Restored {
    let request = Request {
        to,
        which: Pick::Latest,
        site,
        progress: None,
    };
    restore(plan, backup, &Resolver::msp(dir), cache, &request).unwrap()
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "restic failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn files_go_to_two_sites_and_restic_reads_them_all() {
    let s = Scratch::new("files");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 200000");
    init_all(&plan, dir);
    let results = run(&plan, "files", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    let sites: Vec<(&str, &str, bool)> = results
        .iter()
        .map(|r| (r.action, r.site.as_str(), r.outcome.is_ok()))
        .collect();
    assert_eq!(sites, [("backup", "office", true), ("copy", "cloud", true)]);
    let first = results[0].outcome.as_ref().unwrap();
    assert_eq!(first.summary["files_new"], 50);
    assert_eq!(
        first.summary["files_processed"], 50,
        "the *.tmp file is excluded"
    );

    for repo in ["nas", "s3"] {
        let listed: serde_json::Value =
            serde_json::from_str(&ok(&restic(dir, repo, &["snapshots", "--json"]))).unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 1, "{repo}");
        ok(&restic(dir, repo, &["check", "--read-data"]));
        let target = dir.join(format!("restic-{repo}"));
        ok(&restic(
            dir,
            repo,
            &["restore", "latest", "--target", target.to_str().unwrap()],
        ));
        let restored = target.join(
            dir.join("data/invoices/2026/F0007.txt")
                .strip_prefix("/")
                .unwrap(),
        );
        assert_eq!(
            std::fs::read_to_string(restored).unwrap(),
            "Facture 7\n".repeat(107)
        );
        let tmp = target.join(dir.join("data/scratch.tmp").strip_prefix("/").unwrap());
        assert!(!tmp.exists(), "excluded files are not in the snapshot");
    }

    // Rempart's own restore: the same bytes, and the folders keep their
    // modification times (set after their files are written).
    let to = dir.join("restored-files");
    let r = latest(&plan, "files", dir, &dir.join("cache"), &to, None);
    assert_eq!(r.files, 50);
    let source = dir.join("data/invoices/2026");
    let restored = to.join(source.strip_prefix("/").unwrap());
    for i in [0, 7, 49] {
        let name = format!("F{i:04}.txt");
        assert_eq!(
            std::fs::read(restored.join(&name)).unwrap(),
            std::fs::read(source.join(&name)).unwrap()
        );
    }
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    assert_eq!(mtime(&restored), mtime(&source), "folder time restored");

    // A second run copies only the new snapshot; the first is not copied twice.
    let again = run(&plan, "files", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    assert!(again.iter().all(|r| r.outcome.is_ok()));
    assert_eq!(
        again[0].outcome.as_ref().unwrap().summary["files_unmodified"],
        50
    );
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&restic(dir, "s3", &["snapshots", "--json"]))).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        again[0].outcome.as_ref().unwrap().summary["files_deleted"],
        0
    );

    // A file removed since the last backup is counted as deleted.
    std::fs::remove_file(dir.join("data/invoices/2026/F0003.txt")).unwrap();
    let third = run(&plan, "files", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    let summary = &third[0].outcome.as_ref().unwrap().summary;
    assert_eq!(
        (&summary["files_deleted"], &summary["files_unmodified"]),
        (&serde_json::json!(1), &serde_json::json!(49))
    );
}

#[test]
fn a_command_is_streamed_under_its_file_name() {
    let s = Scratch::new("command");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 200000");
    init_all(&plan, dir);
    let results = run(&plan, "db", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    assert!(results.iter().all(|r| r.outcome.is_ok()), "{results:?}");
    let expected = (1..=200_000).map(|i| format!("{i}\n")).collect::<String>();
    for repo in ["nas", "s3"] {
        let dumped = ok(&restic(dir, repo, &["dump", "latest", "app.dump"]));
        assert_eq!(dumped.len(), expected.len(), "{repo}");
        assert!(
            dumped == expected,
            "{repo}: the stream is stored byte for byte"
        );
    }
    // Our own restore, from the chosen site, gives the same file.
    let to = dir.join("restored");
    let r = latest(&plan, "db", dir, &dir.join("cache"), &to, Some("cloud"));
    assert_eq!((r.site.as_str(), r.files), ("cloud", 1));
    assert_eq!(
        std::fs::read_to_string(to.join("app.dump")).unwrap(),
        expected
    );
}

#[test]
fn a_failing_command_or_a_missing_path_records_no_snapshot() {
    let s = Scratch::new("failing");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 1000; echo broken pipe >&2; exit 3");
    init_all(&plan, dir);
    match run(&plan, "db", &Resolver::msp(dir), &dir.join("cache")) {
        Err(BackupError::CommandFailed { why, .. }) => {
            assert!(why.contains("exited with status 3"), "{why}");
            assert!(why.contains("broken pipe"), "{why}");
        }
        other => panic!("expected CommandFailed, got {other:?}"),
    }
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&restic(dir, "nas", &["snapshots", "--json"]))).unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "no snapshot from a failed source"
    );

    std::fs::remove_dir_all(dir.join("data")).unwrap();
    match run(&plan, "files", &Resolver::msp(dir), &dir.join("cache")) {
        Err(BackupError::MissingSource { path, .. }) => assert!(path.ends_with("/data"), "{path}"),
        other => panic!("expected MissingSource, got {other:?}"),
    }
    ok(&restic(dir, "nas", &["check"]));
}

#[test]
fn a_wrong_password_is_named_and_nothing_is_written() {
    let s = Scratch::new("password");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 10");
    init_all(&plan, dir);
    std::fs::write(dir.join("secrets/nas"), "not-the-password").unwrap();
    let before = std::fs::read_dir(dir.join("repos/nas/snapshots"))
        .unwrap()
        .count();
    match run(&plan, "db", &Resolver::msp(dir), &dir.join("cache")) {
        Err(e @ BackupError::WrongPassword { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("wrong password for repository \"nas\""),
                "{text}"
            );
            assert!(!text.contains("not-the-password"), "{text}");
        }
        other => panic!("expected WrongPassword, got {other:?}"),
    }
    let after = std::fs::read_dir(dir.join("repos/nas/snapshots"))
        .unwrap()
        .count();
    assert_eq!(before, after);
}

#[test]
fn restore_falls_back_to_the_next_site_and_says_why() {
    let s = Scratch::new("fallback");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 5000");
    init_all(&plan, dir);
    run(&plan, "db", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    // The primary site's data is damaged: every pack file is truncated.
    for entry in walk(&dir.join("repos/nas/data")) {
        std::fs::write(&entry, b"garbage").unwrap();
    }
    let to = dir.join("restored");
    let r = latest(&plan, "db", dir, &dir.join("no-cache"), &to, None);
    assert_eq!(r.site, "cloud");
    assert_eq!(r.fell_back.len(), 1, "{:?}", r.fell_back);
    assert!(
        r.fell_back[0].starts_with("site \"office\" (nas):"),
        "{:?}",
        r.fell_back
    );
    let expected = (1..=5000).map(|i| format!("{i}\n")).collect::<String>();
    assert_eq!(
        std::fs::read_to_string(to.join("app.dump")).unwrap(),
        expected
    );
    assert!(r.data_time_ms > 0 && r.duration_ms < 60_000);
}

fn stored_bytes(dir: &Path, repo: &str) -> u64 {
    walk(&dir.join(format!("repos/{repo}/data")))
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum()
}

#[test]
fn compression_follows_the_plan_and_restic_reads_every_level() {
    let s = Scratch::new("compression");
    let dir = &s.0;
    let cache = dir.join("cache");
    // seq's output is text that zstd shrinks several times over.
    setup(dir, "seq 1 200000");
    let with = |compression: &str, command: &str| -> Plan {
        let text = std::fs::read_to_string(dir.join("rempart.toml"))
            .unwrap()
            .replace(
                "password = { file = \"secrets/nas\" }",
                &format!(
                    "password = {{ file = \"secrets/nas\" }}\ncompression = \"{compression}\""
                ),
            )
            .replace("seq 1 200000", command);
        let checked = plan::check(&text);
        checked
            .valid_plan()
            .cloned()
            .unwrap_or_else(|| panic!("{:#?}", checked.findings))
    };
    let off = with("off", "seq 1 200000");
    init_all(&off, dir);
    run(&off, "db", &Resolver::msp(dir), &cache).unwrap();
    let uncompressed = stored_bytes(dir, "nas");
    assert!(
        uncompressed > 1_288_895,
        "1 288 895 bytes stored as they are: {uncompressed}"
    );

    // The plan now says "fast": applied before the next backup, on the
    // same repository; 1 400 000 new bytes take less than half of that.
    let fast = with("fast", "seq 200001 400000");
    run(&fast, "db", &Resolver::msp(dir), &cache).unwrap();
    let added = stored_bytes(dir, "nas") - uncompressed;
    assert!(added < 1_400_000 / 2, "compressed: {added} bytes");

    // restic decodes every blob of both, and the copies on the other site.
    for repo in ["nas", "s3"] {
        ok(&restic(dir, repo, &["check", "--read-data"]));
    }
    assert!(
        restored_dump(&fast, dir, "office").starts_with("200001\n200002\n"),
        "the newest snapshot restores"
    );
}

#[test]
fn a_tree_larger_than_a_restore_batch_comes_back_byte_for_byte() {
    // Restores go in batches of about 24 MiB, two written at once: 90 MiB
    // in 300 files over 12 folders, one file larger than a batch, and
    // empty files and folders.
    let s = Scratch::new("batches");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 10");
    let data = dir.join("data");
    let mut total = 0;
    for i in 0..300_u64 {
        let folder = data.join(format!("lot-{:02}/sub-{}", i % 12, (i / 12) % 3));
        std::fs::create_dir_all(&folder).unwrap();
        let len = match i {
            7 => 40 << 20,
            _ if i % 50 == 0 => 0,
            _ => usize::try_from((i * 7919) % (400 << 10)).unwrap(),
        };
        total += len;
        std::fs::write(folder.join(format!("f{i:03}.bin")), noise(i, len)).unwrap();
    }
    std::fs::create_dir_all(data.join("empty/folder")).unwrap();
    assert!(total > 80 << 20, "{total} bytes");
    // Folder times from the past, to see them restored: a folder whose
    // files span two batches is written into after its own batch.
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    let folders: Vec<String> = (0..12)
        .flat_map(|lot| {
            let lot = format!("lot-{lot:02}");
            let subs: Vec<String> = (0..3).map(|sub| format!("{lot}/sub-{sub}")).collect();
            subs.into_iter().chain([lot])
        })
        .collect();
    for folder in &folders {
        let folder = std::fs::File::open(data.join(folder)).unwrap();
        folder.set_modified(old).unwrap();
    }
    init_all(&plan, dir);
    run(&plan, "files", &Resolver::msp(dir), &dir.join("cache")).unwrap();

    let to = dir.join("restored");
    let r = latest(&plan, "files", dir, &dir.join("cache"), &to, None);
    assert_eq!(r.files, 50 + 300, "the invoices and the new files");
    let restored = to.join(data.strip_prefix("/").unwrap());
    let mut compared = 0;
    for source in walk(&data) {
        if source.extension().is_some_and(|e| e == "tmp") {
            continue;
        }
        let copy = restored.join(source.strip_prefix(&data).unwrap());
        assert!(
            std::fs::read(&copy).unwrap() == std::fs::read(&source).unwrap(),
            "{} differs",
            copy.display()
        );
        compared += 1;
    }
    assert_eq!(compared, 350);
    assert!(restored.join("empty/folder").is_dir());
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    for folder in &folders {
        assert_eq!(mtime(&restored.join(folder)), old, "{folder}: folder time");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn retention_keeps_what_the_plan_says_and_restic_check_stays_clean() {
    let s = Scratch::new("retention");
    let dir = &s.0;
    let mut plan = setup(dir, "date +%s%N");
    let db = plan
        .backups
        .iter_mut()
        .find(|b| b.id.as_str() == "db")
        .unwrap();
    db.retention = Some(plan::Retention {
        last: Some(2),
        hourly: None,
        daily: None,
        weekly: None,
        monthly: None,
        yearly: None,
        within: None,
    });
    init_all(&plan, dir);
    for _ in 0..4 {
        run(&plan, "db", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    }
    let pruned =
        rempart_backup::retention::apply(&plan, "db", &Resolver::msp(dir), &dir.join("cache"))
            .unwrap();
    let summary: Vec<(&str, usize, usize)> = pruned
        .iter()
        .map(|p| (p.repository.as_str(), p.kept, p.forgotten))
        .collect();
    assert_eq!(summary, [("nas", 2, 2), ("s3", 2, 2)]);
    for repo in ["nas", "s3"] {
        let listed: serde_json::Value =
            serde_json::from_str(&ok(&restic(dir, repo, &["snapshots", "--json"]))).unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 2, "{repo}");
        let check = ok(&restic(dir, repo, &["check", "--read-data"]));
        assert!(!check.contains("not referenced"), "{check}");
    }
}

#[test]
fn verify_reads_the_data_and_names_the_damage() {
    let s = Scratch::new("verify");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 50000");
    init_all(&plan, dir);
    run(&plan, "db", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    let v = rempart_backup::verify::verify(
        &plan,
        "nas",
        &Resolver::msp(dir),
        &dir.join("cache"),
        Some("100%"),
    )
    .unwrap();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    for pack in walk(&dir.join("repos/nas/data")) {
        let mut bytes = std::fs::read(&pack).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(&pack, bytes).unwrap();
    }
    let v = rempart_backup::verify::verify(
        &plan,
        "nas",
        &Resolver::msp(dir),
        &dir.join("no-cache"),
        Some("100%"),
    )
    .unwrap();
    assert!(!v.errors.is_empty(), "a flipped byte is found");
    // The damage is named: the pack (full id, as in the repository) and
    // the snapshot that needs it.
    let packs: Vec<String> = walk(&dir.join("repos/nas/data"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(!v.damaged_packs.is_empty(), "{:?}", v.errors);
    assert!(
        v.damaged_packs.iter().all(|p| packs.contains(p)),
        "{:?}",
        v.damaged_packs
    );
    let snapshot = walk(&dir.join("repos/nas/snapshots"))[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let id = snapshot.as_str();
    assert_eq!(
        v.affected_snapshots
            .iter()
            .map(|a| (a.snapshot.as_str(), a.backup.as_str()))
            .collect::<Vec<_>>(),
        [(id, "db")]
    );
    let s3 = rempart_backup::verify::verify(
        &plan,
        "s3",
        &Resolver::msp(dir),
        &dir.join("cache"),
        Some("1/3"),
    )
    .unwrap();
    assert!(s3.errors.is_empty(), "{:?}", s3.errors);
    assert!(rempart_backup::verify::parse_subset("lots").is_err());
    // A bare number would be bytes: refused, with the units spelled out.
    let e = rempart_backup::verify::parse_subset("100")
        .unwrap_err()
        .to_string();
    assert!(e.contains("no unit") && e.contains("100%"), "{e}");
}

/// Sites of one backup created by `init_in_plan` share a master key: the
/// copy moves the backup's pack files as they are, and restic reads both.
#[test]
fn sites_of_one_backup_share_a_key_and_copies_move_files() {
    use rempart_backup::repository::{Initialised, init_in_plan};
    let s = Scratch::new("shared");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 100000");
    let cache = dir.join("cache");
    assert_eq!(
        init_in_plan(&plan, "nas", &Resolver::msp(dir), &cache)
            .unwrap()
            .1,
        Initialised::Created
    );
    assert_eq!(
        init_in_plan(&plan, "s3", &Resolver::msp(dir), &cache)
            .unwrap()
            .1,
        Initialised::SharingKeyWith("nas".into())
    );
    assert_eq!(
        init_in_plan(&plan, "s3", &Resolver::msp(dir), &cache)
            .unwrap()
            .1,
        Initialised::Existing { version: 2 }
    );
    let results = run(&plan, "files", &Resolver::msp(dir), &cache).unwrap();
    let copy = results[1].outcome.as_ref().unwrap();
    assert!(
        copy.summary["packs_moved"].as_u64().unwrap() >= 1,
        "{copy:?}"
    );
    let nas_packs: Vec<_> = walk(&dir.join("repos/nas/data"))
        .iter()
        .map(|p| p.file_name().unwrap().to_owned())
        .collect();
    let usb_packs: Vec<_> = walk(&dir.join("repos/usb/data"))
        .iter()
        .map(|p| p.file_name().unwrap().to_owned())
        .collect();
    assert_eq!(nas_packs.len(), usb_packs.len());
    assert!(
        nas_packs.iter().all(|p| usb_packs.contains(p)),
        "the same pack files"
    );
    run(&plan, "db", &Resolver::msp(dir), &cache).unwrap();
    for repo in ["nas", "s3"] {
        ok(&restic(dir, repo, &["check", "--read-data"]));
        let keys = ok(&restic(dir, repo, &["key", "list", "--json"]));
        let keys: serde_json::Value = serde_json::from_str(&keys).unwrap();
        assert_eq!(
            keys.as_array().unwrap().len(),
            1,
            "{repo}: one key, its own password"
        );
        let listed: serde_json::Value =
            serde_json::from_str(&ok(&restic(dir, repo, &["snapshots", "--json"]))).unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 2, "{repo}");
    }
    // The other site's password does not open it: the key is shared, the
    // password is not.
    std::fs::write(dir.join("secrets/usb"), "nas-password\n").unwrap();
    assert!(!restic(dir, "s3", &["snapshots"]).status.success());
}

/// Flips a byte in the middle of every pack of `repo`.
fn damage(dir: &Path, repo: &str) {
    for pack in walk(&dir.join(format!("repos/{repo}/data"))) {
        let mut bytes = std::fs::read(&pack).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(&pack, bytes).unwrap();
    }
}

fn restored_dump(plan: &Plan, dir: &Path, site: &str) -> String {
    let to = dir.join(format!("restored-{site}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    let r = latest(plan, "db", dir, &dir.join("cache"), &to, Some(site));
    assert_eq!(
        r.site, site,
        "restored from {site} itself: {:?}",
        r.fell_back
    );
    assert!(r.fell_back.is_empty(), "{:?}", r.fell_back);
    std::fs::read_to_string(to.join("app.dump")).unwrap()
}

/// `repair` heals damaged packs from the other site, whether the two
/// share a master key (the pack file is replaced) or not (the blobs are
/// copied again); a missing snapshot is copied back; verify and restic
/// find the repository sound after.
#[test]
fn repair_heals_damage_from_the_other_site() {
    use rempart_backup::repair::repair;
    for shared in [true, false] {
        let s = Scratch::new(if shared {
            "repair-shared"
        } else {
            "repair-apart"
        });
        let dir = &s.0;
        let plan = setup(dir, "seq 1 60000");
        let cache = dir.join("cache");
        if shared {
            for r in ["nas", "s3"] {
                rempart_backup::repository::init_in_plan(&plan, r, &Resolver::msp(dir), &cache)
                    .unwrap();
            }
        } else {
            init_all(&plan, dir);
        }
        run(&plan, "db", &Resolver::msp(dir), &cache).unwrap();
        damage(dir, "nas");
        let healed = repair(&plan, "nas", "s3", &Resolver::msp(dir), &cache, None).unwrap();
        assert!(!healed.before.errors.is_empty(), "the damage was found");
        assert_eq!(healed.before.affected_snapshots.len(), 1);
        if shared {
            assert!(
                !healed.packs_replaced.is_empty() && healed.packs_rebuilt.is_empty(),
                "{healed:?}"
            );
        } else {
            assert!(
                healed.packs_replaced.is_empty() && !healed.packs_rebuilt.is_empty(),
                "{healed:?}"
            );
        }
        assert!(healed.after.errors.is_empty(), "{:?}", healed.after.errors);
        let expected = (1..=60000).map(|i| format!("{i}\n")).collect::<String>();
        assert_eq!(restored_dump(&plan, dir, "office"), expected);
        let check = ok(&restic(dir, "nas", &["check", "--read-data"]));
        assert!(!check.contains("not referenced"), "{check}");
        let listed: serde_json::Value =
            serde_json::from_str(&ok(&restic(dir, "nas", &["snapshots", "--json"]))).unwrap();
        assert_eq!(
            listed.as_array().unwrap().len(),
            1,
            "no duplicate snapshot left"
        );

        // A snapshot file lost on the office site comes back from the cloud.
        for f in walk(&dir.join("repos/nas/snapshots")) {
            std::fs::remove_file(f).unwrap();
        }
        let healed = repair(&plan, "nas", "s3", &Resolver::msp(dir), &cache, Some("10%")).unwrap();
        assert_eq!(healed.snapshots_copied, 1);
        assert!(healed.after.errors.is_empty(), "{:?}", healed.after.errors);
        assert_eq!(restored_dump(&plan, dir, "office"), expected);
    }
}

/// Damage the other site cannot heal (it lacks the snapshot) is refused,
/// naming the snapshot, and nothing is changed.
#[test]
fn repair_refuses_to_lose_what_only_the_damaged_site_has() {
    let s = Scratch::new("repair-refused");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 20000");
    init_all(&plan, dir);
    run(&plan, "db", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    ok(&restic(dir, "s3", &["forget", "latest"]));
    damage(dir, "nas");
    let before: Vec<(PathBuf, Vec<u8>)> = walk(&dir.join("repos/nas"))
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let err = rempart_backup::repair::repair(
        &plan,
        "nas",
        "s3",
        &Resolver::msp(dir),
        &dir.join("cache"),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("does not hold 1 damaged snapshot") && err.contains("(db)"),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
    for (p, bytes) in before {
        assert_eq!(
            std::fs::read(&p).unwrap(),
            bytes,
            "{} untouched",
            p.display()
        );
    }
}

/// A file written to while the backup reads it: the backup succeeds and
/// its figures name the file; the next backup of the quiet file names none.
#[test]
fn a_file_changing_during_backup_is_recorded_not_fatal() {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    let s = Scratch::new("changing");
    let dir = &s.0;
    let plan = setup(dir, "true");
    init_all(&plan, dir);
    let log = dir.join("data/growing.log");
    std::fs::write(&log, vec![b'x'; 48 << 20]).unwrap();
    let stop = AtomicBool::new(false);
    let results = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
            while !stop.load(Ordering::Relaxed) {
                f.write_all(&[b'y'; 512]).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        });
        let results = run(&plan, "files", &Resolver::msp(dir), &dir.join("cache"));
        stop.store(true, Ordering::Relaxed);
        results
    })
    .unwrap();
    let first = results[0].outcome.as_ref().expect("the backup succeeds");
    assert_eq!(first.summary["files_changed_while_read"], 1, "{first:?}");
    assert!(
        first.summary["changed_while_read"][0]
            .as_str()
            .unwrap()
            .ends_with("data/growing.log"),
        "{first:?}"
    );
    assert_eq!(first.summary["files_unreadable"], 0);
    assert!(results[1].outcome.is_ok(), "the copy too");
    let again = run(&plan, "files", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    let quiet = again[0].outcome.as_ref().unwrap();
    assert_eq!(quiet.summary["files_changed_while_read"], 0, "{quiet:?}");
    ok(&restic(dir, "nas", &["check", "--read-data"]));
}

/// A prune (exclusive lock) and a backup (shared lock) never run at once
/// on one repository: the backup waits until the lock is released.
#[test]
fn a_backup_waits_while_its_repository_is_locked_for_a_prune() {
    let s = Scratch::new("locked");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 5000");
    init_all(&plan, dir);
    let nas = Target::from_plan(&plan, "nas", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    let held = nas.lock(true).unwrap();
    std::thread::scope(|scope| {
        let backup = scope.spawn(|| run(&plan, "db", &Resolver::msp(dir), &dir.join("cache")));
        std::thread::sleep(std::time::Duration::from_secs(2));
        assert!(!backup.is_finished(), "the backup waits for the lock");
        let released_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        drop(held);
        let results = backup.join().unwrap().unwrap();
        assert!(results.iter().all(|r| r.outcome.is_ok()), "{results:?}");
        assert!(results[0].finished_ms >= released_ms);
    });
    // Shared locks do not exclude each other: two holders at once.
    let a = nas.lock(false).unwrap();
    let b = nas.lock(false).unwrap();
    drop((a, b));
}

#[test]
fn a_version_1_repository_made_by_restic_takes_backups_uncompressed() {
    use rempart_backup::repository::{Initialised, init_in_plan};
    let s = Scratch::new("restic-v1");
    let dir = &s.0;
    let plan = setup(dir, "seq 1 5000");
    // The office repository is restic's own, in the format of restic < 0.14.
    let init = Command::new("restic")
        .arg("-r")
        .arg(dir.join("repos/nas"))
        .args(["--password-file"])
        .arg(dir.join("secrets/nas"))
        .args(["init", "--repository-version", "1"])
        .output()
        .expect("restic is installed (scripts/services)");
    ok(&init);
    let t = Target::from_plan(&plan, "s3", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    assert!(t.init().unwrap());
    // compression = "auto" (the default) means none there: the backup runs.
    let results = run(&plan, "db", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    assert!(results.iter().all(|r| r.outcome.is_ok()), "{results:?}");
    ok(&restic(dir, "nas", &["check", "--read-data"]));
    let config = ok(&restic(dir, "nas", &["cat", "config"]));
    assert!(config.contains("\"version\": 1"), "{config}");
    // An explicit level cannot be honoured: said plainly, with the ways out.
    let text = std::fs::read_to_string(dir.join("rempart.toml"))
        .unwrap()
        .replace(
            "password = { file = \"secrets/nas\" }",
            "password = { file = \"secrets/nas\" }\ncompression = \"fast\"",
        );
    let fast = plan::check(&text).valid_plan().cloned().unwrap();
    let e = run(&fast, "db", &Resolver::msp(dir), &dir.join("cache")).unwrap_err();
    let said = e.to_string();
    assert!(
        said.contains("version-1 repository, which cannot compress")
            && said.contains("restic migrate upgrade_repo_v2"),
        "{said}"
    );
    assert!(!said.contains("unsupported for v1"), "{said}");
    // `repo init` on it says the version, and refuses the level the same way.
    let cache = dir.join("cache");
    assert_eq!(
        init_in_plan(&plan, "nas", &Resolver::msp(dir), &cache)
            .unwrap()
            .1,
        Initialised::Existing { version: 1 }
    );
    let Err(e) = init_in_plan(&fast, "nas", &Resolver::msp(dir), &cache) else {
        panic!("an explicit level on a version-1 repository is refused");
    };
    assert!(e.to_string().contains("cannot compress"), "{e}");
}

/// The top folder of a source path keeps its mode and times, as restic
/// keeps them, and `backup list`, `restore` and restic count the same
/// entries: every one that is not a folder, symlinks and fifos included.
#[test]
fn the_top_folder_keeps_its_metadata_and_every_count_agrees() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let s = Scratch::new("top-folder");
    let dir = &s.0;
    let plan = setup(dir, "true");
    let data = dir.join("data");
    std::os::unix::fs::symlink("invoices/2026/F0001.txt", data.join("latest")).unwrap();
    ok(&Command::new("mkfifo")
        .arg(data.join("queue"))
        .output()
        .unwrap());
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o710)).unwrap();
    ok(&Command::new("touch")
        .args(["-d", "2021-03-04 05:06:07"])
        .arg(&data)
        .output()
        .unwrap());
    let before = std::fs::metadata(&data).unwrap();
    init_all(&plan, dir);
    let results = run(&plan, "files", &Resolver::msp(dir), &dir.join("cache")).unwrap();
    let info = results[0].outcome.as_ref().unwrap();
    // restic's own count of what the snapshot holds.
    let listed = ok(&restic(dir, "nas", &["ls", "--json", &info.id]));
    let nodes: Vec<serde_json::Value> = listed
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["struct_type"] == "node")
        .collect();
    let not_dirs = nodes.iter().filter(|n| n["type"] != "dir").count() as u64;
    assert_eq!(not_dirs, 52, "50 invoices, a symlink, a fifo");
    assert_eq!(info.summary["files_processed"], not_dirs);
    let top = nodes
        .iter()
        .find(|n| n["path"].as_str() == Some(data.to_str().unwrap()))
        .expect("the top folder is in the snapshot");
    assert_eq!(top["mode"].as_u64().unwrap() & 0o777, 0o710, "{top}");
    assert!(
        top["mtime"].as_str().unwrap().starts_with("2021-03-04"),
        "{top}"
    );
    // Restored twice into the same place: the same count each time.
    let to = dir.join("restored");
    for _ in 0..2 {
        let r = latest(&plan, "files", dir, &dir.join("cache"), &to, Some("office"));
        assert_eq!((r.files, r.symlinks), (not_dirs, 1));
    }
    let back = std::fs::metadata(to.join(data.strip_prefix("/").unwrap())).unwrap();
    assert_eq!(back.permissions().mode() & 0o777, 0o710);
    assert_eq!(back.mtime(), before.mtime());
}
