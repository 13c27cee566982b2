//! Backups that are killed or run out of disk: nothing already backed up
//! is lost, the next backup succeeds, and both Rempart's verify and
//! Debian's restic find the repositories sound.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Scratch, local_plan, rempart, restic_check};

/// `n` files of `size` bytes that do not compress (xorshift noise).
fn noise(dir: &Path, n: usize, size: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..n {
        let mut bytes = Vec::with_capacity(size);
        while bytes.len() < size {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            bytes.extend_from_slice(&x.to_le_bytes());
        }
        std::fs::write(dir.join(format!("file-{i:03}.bin")), &bytes[..size]).unwrap();
    }
}

fn setup(dir: &Path, nas: &str) -> String {
    let files = "\n[[backup]]\nid = \"files\"\nprotects = [\"app\"]\nsource = { paths = [\"data\"] }\nschedule = \"every 1h\"\ntargets = [\"nas\", \"s3\"]\n";
    local_plan(dir, nas, "seq 1 10", files)
}

#[test]
fn killed_backups_lose_nothing_and_the_next_one_succeeds() {
    let s = Scratch::new("kill-backup");
    let dir = &s.0;
    let plan = setup(dir, "repos/nas");
    let store = dir.join("store").display().to_string();
    noise(&dir.join("data"), 40, 1 << 20);
    let args = |extra: &[&str]| {
        let mut a: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
        a.extend([
            "-c".into(),
            plan.clone(),
            "--data-dir".into(),
            store.clone(),
        ]);
        a
    };
    let with = |extra: &[&str]| {
        let all = args(extra);
        rempart(&all.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = with(&["repo", "init"]);
    assert_eq!(out.status.code(), Some(0));
    // A first complete backup: what must never be lost.
    let first = with(&["backup", "run", "files"]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // New data, then backups killed with SIGKILL at several moments.
    noise(&dir.join("data/more"), 30, 1 << 20);
    for delay_ms in [150u64, 400, 900, 1_600] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rempart"))
            .args(args(&["backup", "run", "files"]))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    let last = with(&["backup", "run", "files"]);
    assert_eq!(
        last.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    let verify = with(&["verify", "--read-data", "100%"]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    for (repo, password) in [("repos/nas", "secrets/nas"), ("repos/usb", "secrets/usb")] {
        let check = restic_check(&dir.join(repo), &dir.join(password));
        assert!(
            check.status.success(),
            "{repo}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
    // The first snapshot is still there and restores byte for byte.
    let to = dir.join("restored");
    let restored = with(&["restore", "files", "--to", to.to_str().unwrap()]);
    assert_eq!(
        restored.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let original = std::fs::read(dir.join("data/file-007.bin")).unwrap();
    let back =
        std::fs::read(to.join(dir.join("data/file-007.bin").strip_prefix("/").unwrap())).unwrap();
    assert!(original == back);
    // The evidence log is intact through it all.
    let ev = rempart(&["evidence", "verify", "--data-dir", &store]);
    assert_eq!(ev.status.code(), Some(0));
}

/// A 4 MiB tmpfs, unmounted on drop.
struct TinyDisk(std::path::PathBuf);

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_the_backup_and_leaves_the_repository_sound() {
    let s = Scratch::new("full-repo");
    let dir = &s.0;
    let mount = dir.join("small");
    std::fs::create_dir_all(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&mount)
        .status()
        .expect("mount");
    assert!(
        mounted.success(),
        "mounting a tmpfs needs root (CI runs as root)"
    );
    let _disk = TinyDisk(mount.clone());
    let plan = setup(dir, &format!("{}/nas", mount.display()));
    let store = dir.join("store").display().to_string();
    let with = |a: &[&str]| {
        let mut all = a.to_vec();
        all.extend(["-c", &plan, "--data-dir", &store]);
        rempart(&all)
    };
    assert_eq!(with(&["repo", "init"]).status.code(), Some(0));
    noise(&dir.join("data"), 12, 1 << 20);
    let full = with(&["backup", "run", "files"]);
    assert_eq!(
        full.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&full.stdout)
    );
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert!(stderr.contains("repository \"nas\""), "{stderr}");
    // The repository is still consistent: readable, no snapshot recorded.
    let check = restic_check(&mount.join("nas"), &dir.join("secrets/nas"));
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let listed = with(&["backup", "list", "files", "--site", "office", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(v["snapshots"].as_array().unwrap().len(), 0);
    // With room again, the same repository takes the backup.
    std::fs::remove_dir_all(dir.join("data")).unwrap();
    noise(&dir.join("data"), 2, 1 << 20);
    assert_eq!(with(&["backup", "run", "files"]).status.code(), Some(0));
}

#[test]
fn a_restore_onto_a_full_disk_blames_the_disk_not_the_repositories() {
    let s = Scratch::new("full-restore");
    let dir = &s.0;
    let plan = setup(dir, "repos/nas");
    let store = dir.join("store").display().to_string();
    let with = |a: &[&str]| {
        let mut all = a.to_vec();
        all.extend(["-c", &plan, "--data-dir", &store]);
        rempart(&all)
    };
    assert_eq!(with(&["repo", "init"]).status.code(), Some(0));
    noise(&dir.join("data"), 12, 1 << 20);
    assert_eq!(with(&["backup", "run", "files"]).status.code(), Some(0));
    // 12 MiB of data onto a 4 MiB disk.
    let mount = dir.join("small");
    std::fs::create_dir_all(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&mount)
        .status()
        .expect("mount");
    assert!(
        mounted.success(),
        "mounting a tmpfs needs root (CI runs as root)"
    );
    let _disk = TinyDisk(mount.clone());
    let to = mount.join("restored");
    let out = with(&["restore", "files", "--to", to.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // One sentence naming the place and the cause; no site tried after it,
    // no repository called damaged, no panic.
    assert!(
        stderr.contains(&format!("cannot restore into {}", to.display()))
            && stderr.contains("No space left on device"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for wrong in ["panicked", "damaged", "site \"cloud\"", "RUST_BACKTRACE"] {
        assert!(!stderr.contains(wrong), "{wrong}: {stderr}");
    }
    // The evidence says the same, and the repositories are sound.
    let ev = with(&["evidence", "list", "--kind", "restore", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&ev.stdout).unwrap();
    let message = v["records"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("No space left on device") && !message.contains("panicked"),
        "{message}"
    );
    for (repo, pw) in [("repos/nas", "secrets/nas"), ("repos/usb", "secrets/usb")] {
        let check = restic_check(&dir.join(repo), &dir.join(pw));
        assert!(check.status.success(), "{repo}");
    }
}
