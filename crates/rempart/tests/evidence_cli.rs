//! `rempart evidence verify|list` on a real store: an intact log passes,
//! a record edited by hand in the database fails and is named.

use std::path::PathBuf;
use std::process::{Command, Output};

use rempart_core::evidence::{EvidenceKind, NewEvidence, Outcome};
use rempart_store::{Location, Store};
use sqlx::Executor;

fn rempart(data_dir: &PathBuf, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rempart"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("REMPART_DATABASE_URL")
        .env_remove("REMPART_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("rempart runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_passes_then_names_the_edited_record() {
    let dir = std::env::temp_dir().join(format!("rempart-evidence-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    // No store yet: a clear error, nothing created.
    let none = rempart(&dir, &["evidence", "verify"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no store at"));
    assert!(!dir.exists());

    let store = Store::open(&Location::DataDir(dir.clone())).await.unwrap();
    let acme = store
        .upsert_tenant("default", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    let records = (0..20)
        .map(|i| NewEvidence {
            kind: if i % 2 == 0 {
                EvidenceKind::Backup
            } else {
                EvidenceKind::Copy
            },
            subject: "erp-db".into(),
            started_ms: 1_790_000_000_000 + i * 60_000,
            finished_ms: 1_790_000_000_000 + i * 60_000 + 4_200,
            outcome: Outcome::Success,
            measurements: serde_json::json!({ "bytes_added": 1_000 + i }),
            message: format!("snapshot {i}"),
            job_run: None,
        })
        .collect();
    acme.append_batch(records).await.unwrap();
    store.close().await;

    let ok = rempart(&dir, &["evidence", "verify"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout),
        "default: intact — 20 records checked\n"
    );

    let list = rempart(&dir, &["evidence", "list", "--kind", "copy", "--json"]);
    assert_eq!(list.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v["records"].as_array().unwrap().len(), 10);
    assert_eq!(v["records"][0]["kind"], "copy");
    assert_eq!(v["records"][0]["seq"], 2);

    // Retention removes the oldest five, explicitly; the rest still verifies.
    let cut = chrono::DateTime::from_timestamp_millis(1_790_000_000_000 + 5 * 60_000)
        .unwrap()
        .to_rfc3339();
    let pruned = rempart(&dir, &["evidence", "prune", "--before", &cut]);
    assert_eq!(
        pruned.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&pruned.stderr)
    );
    assert!(
        String::from_utf8_lossy(&pruned.stdout).starts_with("default: 5 records started before"),
        "{}",
        String::from_utf8_lossy(&pruned.stdout)
    );
    let ok = rempart(&dir, &["evidence", "verify"]);
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout),
        "default: intact — 15 records checked\n"
    );

    // Edit a record by hand: verify fails and names it.
    let raw = sqlx::AnyPool::connect(&format!("sqlite://{}", dir.join("rempart.db").display()))
        .await
        .unwrap();
    raw.execute("UPDATE evidence SET finished_ms = finished_ms - 4000 WHERE seq = 7")
        .await
        .unwrap();
    raw.close().await;
    let broken = rempart(&dir, &["evidence", "verify", "--json"]);
    assert_eq!(broken.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    assert_eq!(v["intact"], false);
    assert_eq!(v["tenants"][0]["broken_seq"], 7);
    assert!(
        v["tenants"][0]["broken"]
            .as_str()
            .unwrap()
            .contains("record #7 was edited")
    );

    let bad_kind = rempart(&dir, &["evidence", "list", "--kind", "backups"]);
    assert_eq!(bad_kind.status.code(), Some(2));
    let unknown = rempart(&dir, &["evidence", "list", "--tenant", "nobody"]);
    assert_eq!(unknown.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
