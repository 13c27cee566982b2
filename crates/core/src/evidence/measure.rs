//! What each kind of evidence measures, as types: the executors write these
//! and the assessment reads them back through the same type, so a field
//! misspelt on either side is a compile error, not a process silently
//! shown as "untested".
//!
//! Every field has a default, so a record written before a field existed
//! (or a failure that measured little) still reads.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{EvidenceKind, NewEvidence};

/// A measurement type of one or more evidence kinds.
pub trait Measure: Serialize + DeserializeOwned {
    /// The kinds whose records carry this measurement.
    const KINDS: &'static [EvidenceKind];

    /// As stored in a record.
    fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Read from a record of one of [`Measure::KINDS`]; `None` for
    /// another kind or for measurements of another shape.
    fn read(e: &NewEvidence) -> Option<Self> {
        if !Self::KINDS.contains(&e.kind) {
            return None;
        }
        serde_json::from_value(e.measurements.clone()).ok()
    }
}

/// A `backup` or `copy` record: one site of a backup run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteRun {
    pub repository: String,
    pub site: String,
    /// A path or `s3://bucket/prefix`, never credentials.
    pub location: String,
    /// The snapshot written (full hex id), when the site succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    /// The time of the data it holds (a restore point), ms since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_time_ms: Option<i64>,
    /// rustic's summary (files and bytes new, changed, unmodified…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Value>,
    /// Set when the snapshot was made by another tool (restic) and adopted
    /// by the plan's `adopt` rule, not made by Rempart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adopted: Option<AdoptedFrom>,
}

/// Who made an adopted snapshot, as the snapshot itself says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdoptedFrom {
    /// The program that made it, e.g. "restic 0.16.4".
    pub program: String,
    pub host: String,
    pub paths: Vec<String>,
    pub tags: Vec<String>,
}

impl Measure for SiteRun {
    const KINDS: &'static [EvidenceKind] = &[EvidenceKind::Backup, EvidenceKind::Copy];
}

/// A snapshot that needs damaged or missing data.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct Affected {
    /// Full hex id.
    pub snapshot: String,
    /// The plan backup it belongs to (its label).
    pub backup: String,
    /// The time of its data, ms since the epoch.
    pub time_ms: i64,
    /// The first few files (and folders that cannot be read) of the
    /// snapshot that need the damaged data, as paths in the snapshot.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// How many in all.
    #[serde(skip_serializing_if = "crate::evidence::measure::is_zero")]
    pub files_total: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A `verify` record of a repository.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Verification {
    pub repository: String,
    pub site: String,
    pub location: String,
    /// The share of the data read: `100%`, `10%`, `3/7` (slice 3 of 7),
    /// `500MiB`; none when only the structure was checked.
    pub read_data: Option<String>,
    /// Problems found: none means the repository is sound.
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Packs whose data is damaged or missing (full hex ids).
    pub damaged_packs: Vec<String>,
    pub affected_snapshots: Vec<Affected>,
    /// Snapshot files that cannot be read (full hex ids): their restore
    /// points are lost there; the other snapshots are not.
    pub unreadable_snapshots: Vec<String>,
    /// For an immutable S3 copy: the object lock as the storage reports it.
    pub immutable: Option<Value>,
    pub duration_ms: u64,
}

impl Measure for Verification {
    const KINDS: &'static [EvidenceKind] = &[EvidenceKind::Verify];
}

/// Which packs a verification read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadScope {
    /// Only the structure (no pack read).
    Structure,
    /// Every pack.
    All,
    /// Slice `n` of `m`: the packs whose id, as rustic and restic number
    /// it, is `n` modulo `m`.
    Slice(u32, u32),
    /// Packs picked at random or by size: which ones is not known.
    Unknown,
}

impl ReadScope {
    /// The scope of a `read_data` share, as `rempart verify` takes it.
    pub fn of(read_data: Option<&str>) -> ReadScope {
        let Some(text) = read_data.map(str::trim) else {
            return ReadScope::Structure;
        };
        if let Some(p) = text.strip_suffix('%') {
            return match p.trim().parse::<f64>() {
                Ok(p) if p >= 100.0 => ReadScope::All,
                _ => ReadScope::Unknown,
            };
        }
        if let Some((n, m)) = text.split_once('/')
            && let (Ok(n), Ok(m)) = (n.trim().parse::<u32>(), m.trim().parse::<u32>())
            && m > 0
        {
            return ReadScope::Slice(n, m);
        }
        ReadScope::Unknown
    }

    /// Whether pack `id` (hex, at least 8 digits) was read.
    pub fn read(self, id: &str) -> bool {
        match self {
            ReadScope::All => true,
            ReadScope::Structure | ReadScope::Unknown => false,
            ReadScope::Slice(n, m) => pack_number(id).is_some_and(|v| v % m == n % m),
        }
    }
}

/// The number rustic's `n/m` subsets take of a pack id: its first four
/// bytes, little-endian.
fn pack_number(id: &str) -> Option<u32> {
    let byte = |i: usize| u8::from_str_radix(id.get(2 * i..2 * i + 2)?, 16).ok();
    Some(u32::from_le_bytes([byte(0)?, byte(1)?, byte(2)?, byte(3)?]))
}

/// A `repair` record: a repository healed from another site, verified
/// before and after.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Repair {
    pub repository: String,
    pub from: String,
    pub before: Option<Verification>,
    pub packs_replaced: Vec<String>,
    pub packs_rebuilt: Vec<String>,
    pub snapshots_copied: u64,
    pub after: Option<Verification>,
}

impl Measure for Repair {
    const KINDS: &'static [EvidenceKind] = &[EvidenceKind::Repair];
}

/// What a `restore` (or a drill's restore step) brought back.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Restored {
    pub backup: String,
    pub repository: String,
    pub site: String,
    pub snapshot: String,
    /// The restored data's time: now minus it is the RPO achieved.
    pub data_time_ms: Option<i64>,
    pub files: u64,
    pub bytes: u64,
    /// Where it went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Sites tried first that failed, and why.
    pub fell_back: Vec<String>,
}

/// Detection and recovery after a `simulate` step of a failover drill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Failover {
    /// The `simulate` step's number (from 1).
    pub simulate_step: usize,
    /// Until the first `wait_for` that passed after it: the outage seen.
    pub detect_ms: Option<i64>,
    /// Until the last one before the next `simulate`: the service back.
    pub recover_ms: Option<i64>,
}

/// A `drill` record: one run of a scenario.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DrillRun {
    /// `<scenario>-<UTC yyyymmdd-hhmmss>`.
    pub run: String,
    pub process: String,
    /// The simulated incident: the drill's start.
    pub incident_ms: i64,
    /// The recovery steps' total time (cleanup excluded): the achieved RTO.
    pub rto_ms: Option<i64>,
    pub duration_ms: i64,
    /// The incident minus the oldest restored data: the achieved RPO.
    pub rpo_ms: Option<i64>,
    pub data_time_ms: Option<i64>,
    pub restored: Vec<Restored>,
    /// Each step: index, name, kind, cleanup, outcome, duration_ms.
    pub steps: Vec<Value>,
    pub failed_step: Option<usize>,
    pub failover: Vec<Failover>,
    pub detect_ms: Option<i64>,
    pub recover_ms: Option<i64>,
}

impl Measure for DrillRun {
    const KINDS: &'static [EvidenceKind] = &[EvidenceKind::Drill];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_scopes_follow_the_share_asked() {
        assert_eq!(ReadScope::of(None), ReadScope::Structure);
        assert_eq!(ReadScope::of(Some("100%")), ReadScope::All);
        assert_eq!(ReadScope::of(Some("10%")), ReadScope::Unknown);
        assert_eq!(ReadScope::of(Some("3/7")), ReadScope::Slice(3, 7));
        assert_eq!(ReadScope::of(Some("500MiB")), ReadScope::Unknown);
        assert_eq!(ReadScope::of(Some("1/0")), ReadScope::Unknown);
    }

    #[test]
    fn a_slice_reads_the_packs_rustic_puts_in_it() {
        // First four bytes 07 00 00 00: the number 7, in slice 0 of 7 and 7 of 7.
        let id = "07000000aa";
        assert!(ReadScope::Slice(0, 7).read(id));
        assert!(ReadScope::Slice(7, 7).read(id));
        assert!(!ReadScope::Slice(1, 7).read(id));
        // 01 01 00 00 is 257 (little-endian), 257 % 7 = 5.
        assert!(ReadScope::Slice(5, 7).read("01010000"));
        assert!(!ReadScope::Slice(5, 7).read("zz"));
    }

    #[test]
    fn a_record_of_another_shape_or_kind_reads_as_none_or_defaults() {
        let e = NewEvidence {
            kind: EvidenceKind::Verify,
            subject: "nas".into(),
            started_ms: 0,
            finished_ms: 0,
            outcome: super::super::Outcome::Failure,
            measurements: serde_json::json!({ "repository": "nas" }),
            message: String::new(),
            job_run: None,
        };
        let v = Verification::read(&e).expect("a verification");
        assert_eq!((v.repository.as_str(), v.errors.len()), ("nas", 0));
        assert!(SiteRun::read(&e).is_none());
    }
}
