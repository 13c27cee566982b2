//! Repositories that Debian's `restic` made, judged as restic judges them.
//!
//! Older restic versions wrote packs holding both tree and data blobs, and
//! restic accepts them. Such a pack is built here by hand from a repository
//! restic made: its blobs moved, as they are, into one pack with a header
//! and an index sealed with the repository's own master key (restic's
//! cipher: AES-256-CTR, Poly1305-AES).

use std::path::Path;
use std::process::Command;

use aes::cipher::{BlockEncrypt, KeyInit, KeyIvInit, StreamCipher};
use base64::Engine as _;
use rempart_backup::secrets::Resolver;
use rempart_core::plan;
use sha2::{Digest, Sha256};

mod support {
    pub mod scratch;
}
use support::scratch::Scratch;

/// `restic -r DIR/repo --password-file DIR/pw ARGS`, which must succeed.
fn restic(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("restic")
        .arg("-r")
        .arg(dir.join("repo"))
        .arg("--password-file")
        .arg(dir.join("pw"))
        .args(["--no-cache", "-q"])
        .args(args)
        .output()
        .expect("restic is installed (scripts/services)");
    assert!(
        out.status.success(),
        "restic {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The repository's master key, as restic prints it.
struct MasterKey {
    encrypt: [u8; 32],
    mac_k: [u8; 16],
    mac_r: [u8; 16],
}

impl MasterKey {
    fn of(dir: &Path) -> MasterKey {
        let v: serde_json::Value =
            serde_json::from_str(&restic(dir, &["cat", "masterkey"])).unwrap();
        let b64 = |s: &serde_json::Value| {
            base64::engine::general_purpose::STANDARD
                .decode(s.as_str().unwrap())
                .unwrap()
        };
        MasterKey {
            encrypt: b64(&v["encrypt"]).try_into().unwrap(),
            mac_k: b64(&v["mac"]["k"]).try_into().unwrap(),
            mac_r: b64(&v["mac"]["r"]).try_into().unwrap(),
        }
    }

    /// restic's sealing: IV ‖ AES-256-CTR(plaintext) ‖ Poly1305-AES(ciphertext).
    fn seal(&self, plain: &[u8], iv: [u8; 16]) -> Vec<u8> {
        let mut data = plain.to_vec();
        let mut cipher = ctr::Ctr128BE::<aes::Aes256>::new(&self.encrypt.into(), &iv.into());
        cipher.apply_keystream(&mut data);
        // Poly1305-AES: s is the IV encrypted with AES-128 under k.
        let mut s = aes::Block::from(iv);
        aes::Aes128::new(&self.mac_k.into()).encrypt_block(&mut s);
        let mut key = [0u8; 32];
        key[..16].copy_from_slice(&self.mac_r);
        key[16..].copy_from_slice(&s);
        let tag = <poly1305::Poly1305 as poly1305::universal_hash::KeyInit>::new(&key.into())
            .compute_unpadded(&data);
        let mut out = iv.to_vec();
        out.extend_from_slice(&data);
        out.extend_from_slice(&tag);
        out
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// Rewrites the repository in `dir` so that all its blobs sit in one pack,
/// tree and data mixed, with one index saying so.
fn mix_every_blob_into_one_pack(dir: &Path) {
    let key = MasterKey::of(dir);
    let pack_path = |id: &str| dir.join("repo/data").join(&id[..2]).join(id);
    let index_ids: Vec<String> = restic(dir, &["list", "index"])
        .lines()
        .map(str::to_owned)
        .collect();
    // Every blob with its bytes, a data blob first: a pack's type, for
    // rustic's upstream index, was that of its first blob.
    let mut all: Vec<(serde_json::Value, Vec<u8>)> = Vec::new();
    let mut old_packs = Vec::new();
    for index_id in &index_ids {
        let index: serde_json::Value =
            serde_json::from_str(&restic(dir, &["cat", "index", index_id])).unwrap();
        for p in index["packs"].as_array().unwrap() {
            let id = p["id"].as_str().unwrap();
            let bytes = std::fs::read(pack_path(id)).unwrap();
            old_packs.push(pack_path(id));
            for b in p["blobs"].as_array().unwrap() {
                let (offset, length) = (
                    b["offset"].as_u64().unwrap() as usize,
                    b["length"].as_u64().unwrap() as usize,
                );
                all.push((b.clone(), bytes[offset..offset + length].to_vec()));
            }
        }
    }
    all.sort_by_key(|(b, _)| b["type"] == "tree");
    let (mut pack, mut header, mut blobs) = (Vec::new(), Vec::new(), Vec::new());
    for (b, bytes) in all {
        let tree = b["type"] == "tree";
        let uncompressed = b["uncompressed_length"].as_u64();
        // Entry: type (0 data, 1 tree; +2 compressed), length, [raw length], id.
        let kind: u8 = u8::from(tree) + if uncompressed.is_some() { 2 } else { 0 };
        header.push(kind);
        header.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        if let Some(u) = uncompressed {
            header.extend_from_slice(&(u as u32).to_le_bytes());
        }
        header.extend_from_slice(&unhex(b["id"].as_str().unwrap()));
        let mut blob = b.clone();
        blob["offset"] = pack.len().into();
        blobs.push(blob);
        pack.extend_from_slice(&bytes);
    }
    let sealed = key.seal(&header, [7; 16]);
    pack.extend_from_slice(&sealed);
    pack.extend_from_slice(&(sealed.len() as u32).to_le_bytes());
    let pack_id = hex(&Sha256::digest(&pack));
    std::fs::create_dir_all(dir.join("repo/data").join(&pack_id[..2])).unwrap();
    std::fs::write(pack_path(&pack_id), &pack).unwrap();
    let new_index = serde_json::json!({ "packs": [{ "id": pack_id, "blobs": blobs }] });
    let sealed = key.seal(new_index.to_string().as_bytes(), [9; 16]);
    let new_index_id = hex(&Sha256::digest(&sealed));
    std::fs::write(dir.join("repo/index").join(&new_index_id), &sealed).unwrap();
    for index_id in &index_ids {
        std::fs::remove_file(dir.join("repo/index").join(index_id)).unwrap();
    }
    for p in old_packs {
        std::fs::remove_file(p).unwrap();
    }
}

/// A plan whose repository "nas" is the one restic made in `dir`, backup
/// "db" (a command's output) its only target, keeping its last snapshot.
fn plan_on(dir: &Path) -> plan::Plan {
    let base = include_str!("../../core/tests/plans/base.toml");
    let text = base
        .replace(
            "location = \"/srv/repo\"",
            &format!("location = \"{}/repo\"", dir.display()),
        )
        .replace(
            "password = { env = \"NAS_PASSWORD\" }",
            &format!("password = {{ file = \"{}/pw\" }}", dir.display()),
        )
        .replace("pg_dump -Fc app", "date +%s%N")
        .replace(
            "targets = [\"nas\", \"s3\"]",
            "targets = [\"nas\"]\nretention = { last = 1 }",
        )
        .replace("site = \"cloud\" }", "site = \"office\" }");
    let checked = plan::check(&text);
    checked
        .valid_plan()
        .cloned()
        .unwrap_or_else(|| panic!("{:#?}", checked.findings))
}

/// Random bytes (xorshift): data that neither deduplicates nor compresses.
fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

#[test]
fn a_prune_repacks_a_mixed_pack_keeping_each_blob_its_type() {
    let s = Scratch::new("mixed-prune");
    let dir = &s.0;
    std::fs::write(dir.join("pw"), "restic-made\n").unwrap();
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("sub/kept.txt"), "kept\n".repeat(1000)).unwrap();
    std::fs::write(src.join("gone.bin"), random_bytes(2_000_000, 7)).unwrap();
    restic(dir, &["init"]);
    restic(dir, &["backup", src.to_str().unwrap()]);
    let first = restic(dir, &["list", "snapshots"]).trim().to_owned();
    std::fs::remove_file(src.join("gone.bin")).unwrap();
    restic(dir, &["backup", src.to_str().unwrap()]);
    mix_every_blob_into_one_pack(dir);
    let mixed = only_pack(dir);
    // restic forgets the first snapshot: the mixed pack is now mostly unused.
    restic(dir, &["forget", &first]);

    // Rempart's retention prunes the repository after its own backups.
    let plan = plan_on(dir);
    let (env, cache) = (Resolver::msp(dir), dir.join("cache"));
    for _ in 0..2 {
        rempart_backup::run::run(&plan, "db", &env, &cache).unwrap();
    }
    let pruned = rempart_backup::retention::apply(&plan, "db", &env, &cache).unwrap();
    assert_eq!(pruned[0].forgotten, 1);
    assert!(
        !dir.join("repo/data")
            .join(&mixed[..2])
            .join(&mixed)
            .exists(),
        "the mixed pack was repacked"
    );
    // Its trees went into tree packs, its data into data packs: restic
    // reads every byte and restores the snapshot it kept.
    restic(dir, &["check", "--read-data"]);
    let out = dir.join("out");
    restic(
        dir,
        &[
            "restore",
            "latest",
            "--path",
            src.to_str().unwrap(),
            "--target",
            out.to_str().unwrap(),
        ],
    );
    let back = out.join(src.strip_prefix("/").unwrap());
    assert_eq!(
        std::fs::read_to_string(back.join("sub/kept.txt")).unwrap(),
        "kept\n".repeat(1000)
    );
    assert!(!back.join("gone.bin").exists());
}

/// The id of the repository's only pack.
fn only_pack(dir: &Path) -> String {
    let packs = restic(dir, &["list", "packs"]);
    let packs: Vec<&str> = packs.lines().collect();
    assert_eq!(packs.len(), 1, "{packs:?}");
    packs[0].to_owned()
}

#[test]
fn a_pack_holding_tree_and_data_blobs_is_sound_as_restic_says() {
    let s = Scratch::new("mixed");
    let dir = &s.0;
    std::fs::write(dir.join("pw"), "restic-made\n").unwrap();
    let src = dir.join("src/deep/er");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("a.txt"),
        (1..5000).map(|i| format!("{i}\n")).collect::<String>(),
    )
    .unwrap();
    std::fs::write(dir.join("src/b.bin"), vec![42u8; 300_000]).unwrap();
    restic(dir, &["init"]);
    restic(dir, &["backup", dir.join("src").to_str().unwrap()]);
    mix_every_blob_into_one_pack(dir);
    assert_eq!(
        walk_count(&dir.join("repo/data")),
        1,
        "one pack holds every blob now"
    );
    // restic itself calls it healthy, every byte read.
    restic(dir, &["check", "--read-data"]);
    // So does Rempart, reading every pack.
    let plan = plan_on(dir);
    let v = rempart_backup::verify::verify(
        &plan,
        "nas",
        &Resolver::msp(dir),
        &dir.join("cache"),
        Some("100%"),
    )
    .unwrap();
    assert!(v.errors.is_empty(), "{:#?}", v.errors);
    assert!(v.damaged_packs.is_empty() && v.affected_snapshots.is_empty());
}

fn walk_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                walk_count(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn a_missing_index_names_the_packs_and_snapshots_concerned() {
    let s = Scratch::new("no-index");
    let dir = &s.0;
    std::fs::write(dir.join("pw"), "restic-made\n").unwrap();
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("sub/a.txt"), "a\n".repeat(1000)).unwrap();
    restic(dir, &["init"]);
    restic(dir, &["backup", src.to_str().unwrap()]);
    let snapshot = restic(dir, &["list", "snapshots"]).trim().to_owned();
    let packs: Vec<String> = restic(dir, &["list", "packs"])
        .lines()
        .map(str::to_owned)
        .collect();
    for index in restic(dir, &["list", "index"]).lines() {
        std::fs::remove_file(dir.join("repo/index").join(index)).unwrap();
    }
    let plan = plan_on(dir);
    let v =
        rempart_backup::verify::verify(&plan, "nas", &Resolver::msp(dir), &dir.join("cache"), None)
            .unwrap();
    // As restic says it: the tree the index lacks, the packs no index
    // lists, the snapshot that cannot be read, the way out.
    let tree = restic(dir, &["cat", "snapshot", &snapshot]);
    let tree: serde_json::Value = serde_json::from_str(&tree).unwrap();
    let tree = &tree["tree"].as_str().unwrap()[..8];
    assert_eq!(
        v.errors,
        [format!(
            "tree {tree} is not in the index: what needs it cannot be read (an index file is lost or damaged; `restic repair index` rebuilds the index from the packs)"
        )]
    );
    for pack in &packs {
        assert!(
            v.warnings.iter().any(|w| w.starts_with(&format!(
                "pack {} is not referenced in any index",
                &pack[..8]
            ))),
            "{:#?}",
            v.warnings
        );
    }
    assert_eq!(v.affected_snapshots.len(), 1, "{v:#?}");
    let a = &v.affected_snapshots[0];
    assert_eq!(
        (a.snapshot.as_str(), a.backup.as_str()),
        (snapshot.as_str(), "")
    );
    assert_eq!(
        (a.files.as_slice(), a.files_total),
        (["/".to_owned()].as_slice(), 1)
    );
    // restic agrees: damaged.
    let out = Command::new("restic")
        .arg("-r")
        .arg(dir.join("repo"))
        .arg("--password-file")
        .arg(dir.join("pw"))
        .args(["--no-cache", "check"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn a_damaged_pack_names_the_files_that_need_it() {
    let s = Scratch::new("damaged-pack");
    let dir = &s.0;
    std::fs::write(dir.join("pw"), "restic-made\n").unwrap();
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("sub/big.bin"), random_bytes(600_000, 3)).unwrap();
    std::fs::write(src.join("small.txt"), "small\n").unwrap();
    restic(dir, &["init"]);
    restic(dir, &["backup", src.to_str().unwrap()]);
    let snapshot = restic(dir, &["list", "snapshots"]).trim().to_owned();
    // The data pack of big.bin, one byte in its middle flipped.
    let index_id = restic(dir, &["list", "index"]).trim().to_owned();
    let index: serde_json::Value =
        serde_json::from_str(&restic(dir, &["cat", "index", &index_id])).unwrap();
    let pack = index["packs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["blobs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|b| b["type"] == "data" && b["length"].as_u64().unwrap() > 100_000)
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = dir.join("repo/data").join(&pack[..2]).join(&pack);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&path, &bytes).unwrap();
    let v = rempart_backup::verify::verify(
        &plan_on(dir),
        "nas",
        &Resolver::msp(dir),
        &dir.join("cache"),
        Some("100%"),
    )
    .unwrap();
    assert_eq!(v.damaged_packs, std::slice::from_ref(&pack), "{v:#?}");
    // The blob restic would name, the one that holds the flipped byte.
    let blob = index["packs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == pack.as_str())
        .unwrap()["blobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| {
            let (o, l) = (
                b["offset"].as_u64().unwrap() as usize,
                b["length"].as_u64().unwrap() as usize,
            );
            (o..o + l).contains(&middle)
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        v.errors.contains(&format!(
            "pack {}: data blob {} cannot be read back intact",
            &pack[..8],
            &blob[..8]
        )),
        "{:#?}",
        v.errors
    );
    assert!(
        v.errors.iter().all(|e| !e.contains("rustic")),
        "{:#?}",
        v.errors
    );
    let a = &v.affected_snapshots[0];
    assert_eq!(a.snapshot, snapshot);
    let big = format!("{}/sub/big.bin", src.display());
    assert_eq!(
        (a.files.as_slice(), a.files_total),
        ([big].as_slice(), 1),
        "{v:#?}"
    );
}
