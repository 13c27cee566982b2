//! `rempart serve --demo`: a plan that works as-is on a fresh machine.
//! Everything it names lives under `<data dir>/demo/`: the plan, the
//! repositories' folders, the data to protect, and secrets generated on
//! first start (never a password written in the plan or the README).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use rempart_store::{Store, TokenScope};

const DEMO_PLAN: &str = include_str!("starter/demo.toml");

/// Random hex, for generated secrets.
fn random_hex(bytes: usize) -> std::io::Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes `content` to a new file readable by its owner only; an existing
/// file is kept as it is.
fn write_private(file: &Path, content: &str) -> std::io::Result<()> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)
    {
        Ok(mut f) => {
            f.write_all(content.as_bytes())?;
            f.sync_all()
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates what the demo plan needs and returns its path.
pub fn prepare(data_dir: &Path) -> std::io::Result<PathBuf> {
    let demo = data_dir.join("demo");
    for dir in [
        "repositories/local",
        "repositories/coffre",
        "secrets",
        "shared",
    ] {
        std::fs::create_dir_all(demo.join(dir))?;
    }
    let plan = demo.join("rempart.toml");
    if !plan.exists() {
        std::fs::write(&plan, DEMO_PLAN)?;
        tracing::info!(plan = %plan.display(), "demo plan written");
    }
    for secret in ["local", "coffre"] {
        write_private(
            &demo.join(format!("secrets/{secret}.password")),
            &random_hex(32)?,
        )?;
    }
    let sample = demo.join("shared/facture-0001.txt");
    if !sample.exists() {
        std::fs::write(sample, "Facture 0001 — Démo SARL — 1 200,00 EUR\n")?;
    }
    Ok(plan)
}

/// Creates a server-wide API token for the demo on first start, saved in
/// `<data dir>/demo/api-token` (owner-only).
pub async fn ensure_token(
    store: &Store,
    data_dir: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let file = data_dir.join("demo/api-token");
    if file.exists() {
        return Ok(());
    }
    let (_, secret) = store.create_token("demo", &TokenScope::Msp).await?;
    write_private(&file, &format!("{secret}\n"))?;
    tracing::info!(
        file = %file.display(),
        "demo API token written: curl -H \"Authorization: Bearer $(cat {})\" http://127.0.0.1:8080/api/v1/tenants",
        file.display()
    );
    Ok(())
}
