//! Verification of a repository: structure, and the stored data itself
//! for a share of the packs (`--read-data`), so that over the plan's
//! verification period every pack is read.

use std::path::Path;
use std::time::Instant;

use rempart_core::plan;
use rustic_core::{CheckOptions, ReadSubsetOption};

use crate::repository::Target;
use crate::run::guarded;
use crate::{BackupError, Result};

/// What a verification found on one repository.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub repository: String,
    pub site: String,
    pub location: String,
    /// The share of data read, as given (`10%`, `3/7`), or none.
    pub read_data: Option<String>,
    /// Problems found: an empty list means the repository is sound.
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub duration_ms: u64,
}

/// Parses a read-data share: `100%`, `10%`, `3/7` (slice 3 of 7), `500MiB`.
pub fn parse_subset(text: &str) -> Result<ReadSubsetOption> {
    text.parse::<ReadSubsetOption>()
        .map_err(|e| BackupError::Source {
            backup: String::new(),
            why: format!("\"{text}\" is not a read-data share (10%, 3/7 or 500MiB): {e}"),
        })
}

/// Checks repository `id`, reading `read_data` of its packs when given.
pub fn verify(
    plan: &plan::Plan,
    id: &str,
    base: &Path,
    cache: &Path,
    read_data: Option<&str>,
) -> Result<Verified> {
    let target = Target::from_plan(plan, id, base, cache)?;
    let subset = read_data.map(parse_subset).transpose()?;
    let clock = Instant::now();
    let results = guarded(&target, || {
        let repo = target.open()?;
        let mut options = CheckOptions::default();
        if let Some(subset) = subset {
            options = options.read_data(true).read_data_subset(subset);
        }
        repo.check(options).map_err(|e| target.fail(e))
    })?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (level, problem) in &results.0 {
        let text = problem.to_string();
        if format!("{level:?}") == "Warn" {
            warnings.push(text);
        } else {
            errors.push(text);
        }
    }
    Ok(Verified {
        repository: target.id.clone(),
        site: target.site.clone(),
        location: target.location.clone(),
        read_data: read_data.map(str::to_owned),
        errors,
        warnings,
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}
