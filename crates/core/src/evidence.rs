//! Evidence: what ran, when, on what, for how long, with what result.
//! Every figure Rempart shows comes from these records.
//!
//! Each tenant's records form a hash chain: record `n` stores the hash of
//! record `n - 1` and the hash of its own canonical form chained to it, so
//! editing, removing or reordering any record is detected by
//! [`verify_chain`]. This module is pure: the store persists records, this
//! decides what their hash is and whether a sequence of them is intact.

pub mod measure;

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What kind of event a record proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A backup to a repository.
    Backup,
    /// A snapshot copied to another site.
    Copy,
    /// A check of stored data (a repository, or the evidence log itself).
    Verify,
    /// A restore.
    Restore,
    /// A repository healed from another site's copy.
    Repair,
    /// A whole drill run: its outcome, the achieved RTO and RPO.
    Drill,
    /// One step of a drill.
    DrillStep,
    /// A probe result.
    Probe,
    /// A notification sent (or not).
    Notification,
    /// A person's confirmation (manual drill step, acknowledgement).
    Confirmation,
    /// A tenant's stored secret set, replaced or removed (never its value).
    Secret,
    /// A compliance audit: the findings passing and failing (so that a
    /// later audit knows what came back after a fix).
    Audit,
    /// A document generated (PRA, PCA, SLA report…): its SHA-256 and the
    /// evidence head it was made from.
    Report,
    /// Something that happened in a crisis (subject: the crisis id): its
    /// declaration, calls, answers, tasks, decisions, messages, closing.
    Crisis,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 14] = [
        EvidenceKind::Backup,
        EvidenceKind::Copy,
        EvidenceKind::Verify,
        EvidenceKind::Restore,
        EvidenceKind::Repair,
        EvidenceKind::Drill,
        EvidenceKind::DrillStep,
        EvidenceKind::Probe,
        EvidenceKind::Notification,
        EvidenceKind::Confirmation,
        EvidenceKind::Secret,
        EvidenceKind::Audit,
        EvidenceKind::Report,
        EvidenceKind::Crisis,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Backup => "backup",
            EvidenceKind::Copy => "copy",
            EvidenceKind::Verify => "verify",
            EvidenceKind::Restore => "restore",
            EvidenceKind::Repair => "repair",
            EvidenceKind::Drill => "drill",
            EvidenceKind::DrillStep => "drill-step",
            EvidenceKind::Probe => "probe",
            EvidenceKind::Notification => "notification",
            EvidenceKind::Confirmation => "confirmation",
            EvidenceKind::Secret => "secret",
            EvidenceKind::Audit => "audit",
            EvidenceKind::Report => "report",
            EvidenceKind::Crisis => "crisis",
        }
    }

    /// Reads the text form; `None` for an unknown word.
    pub fn parse(text: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the recorded event ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        match text {
            "success" => Some(Outcome::Success),
            "failure" => Some(Outcome::Failure),
            _ => None,
        }
    }
}

/// A record as an executor writes it, before the store numbers and chains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvidence {
    pub kind: EvidenceKind,
    /// The plan element it is about (a backup id, a scenario step…).
    pub subject: String,
    /// Start, in milliseconds since the Unix epoch (UTC).
    pub started_ms: i64,
    /// End, in milliseconds since the Unix epoch (UTC).
    pub finished_ms: i64,
    pub outcome: Outcome,
    /// Figures measured, as JSON (bytes, counts, durations in ms…).
    pub measurements: serde_json::Value,
    /// One line for people.
    pub message: String,
    /// The job run that produced it, if any.
    pub job_run: Option<i64>,
}

impl NewEvidence {
    /// What the record says, in `lang`: the sentence kept with it
    /// (`measurements.say`, see `rempart_i18n::say!`), else its message as
    /// it was recorded.
    pub fn told(&self, lang: rempart_i18n::Lang) -> String {
        rempart_i18n::told(lang, &self.measurements, &self.message)
    }
}

/// A stored record: numbered within its tenant's log and chained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub tenant: String,
    /// Position in the tenant's log, from 1, without gaps.
    pub seq: i64,
    /// When the store wrote it, in milliseconds since the Unix epoch.
    pub recorded_ms: i64,
    #[serde(flatten)]
    pub record: NewEvidence,
    /// Hash of the record before it ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// SHA-256 of `prev_hash` and this record's canonical form, in hex.
    pub hash: String,
}

/// The subject of the `verify` records that check the evidence log itself
/// (the scheduled `evidence-audit` job, `rempart audit`).
pub const EVIDENCE_LOG: &str = "evidence-log";

/// The `prev_hash` of a log's first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl Evidence {
    /// Numbers and chains `record` after a record whose hash is `prev_hash`.
    pub fn chain(
        tenant: &str,
        seq: i64,
        recorded_ms: i64,
        record: NewEvidence,
        prev_hash: &str,
    ) -> Evidence {
        let mut e = Evidence {
            tenant: tenant.to_owned(),
            seq,
            recorded_ms,
            record,
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
        };
        e.hash = e.computed_hash();
        e
    }

    /// The hash this record should carry, from its content.
    pub fn computed_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.canonical().as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A text form that depends only on the record's content: fixed field
    /// order, JSON object keys sorted, no insignificant whitespace.
    pub fn canonical(&self) -> String {
        let r = &self.record;
        let mut out = String::from("[");
        let fields: [String; 10] = [
            json_string(&self.tenant),
            self.seq.to_string(),
            self.recorded_ms.to_string(),
            json_string(r.kind.as_str()),
            json_string(&r.subject),
            r.started_ms.to_string(),
            r.finished_ms.to_string(),
            json_string(r.outcome.as_str()),
            canonical_json(&r.measurements),
            json_string(&r.message),
        ];
        out.push_str(&fields.join(","));
        out.push(',');
        out.push_str(&r.job_run.map_or("null".to_owned(), |j| j.to_string()));
        out.push(']');
        out
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// JSON with object keys sorted, whatever map type serde_json was built with.
fn canonical_json(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", json_string(k), canonical_json(&map[k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        serde_json::Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(canonical_json).collect();
            format!("[{}]", parts.join(","))
        }
        other => other.to_string(),
    }
}

/// Where a tenant's log starts: after retention removed old records, the
/// last removed record's number and hash; for a full log, `(0, GENESIS)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainStart {
    pub seq: i64,
    pub hash: String,
}

impl Default for ChainStart {
    fn default() -> Self {
        ChainStart {
            seq: 0,
            hash: GENESIS.to_owned(),
        }
    }
}

/// The first place where a log is not what was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// Record `expected` is missing: the next one found is `found`.
    Missing { expected: i64, found: i64 },
    /// Record `seq`'s content no longer matches its hash: it was edited.
    Edited { seq: i64 },
    /// Record `seq` does not follow the record before it: records were
    /// reordered, or one was removed and the rest renumbered.
    Unlinked { seq: i64 },
    /// The log ends at `last` but `head` records were written: the newest
    /// ones were removed.
    Truncated { last: i64, head: i64 },
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainBreak::Missing { expected, found } => write!(
                f,
                "record #{expected} was removed (the log jumps to #{found})"
            ),
            ChainBreak::Edited { seq } => {
                write!(
                    f,
                    "record #{seq} was edited: its content no longer matches its hash"
                )
            }
            ChainBreak::Unlinked { seq } => write!(
                f,
                "record #{seq} does not follow the record before it: records were reordered or replaced"
            ),
            ChainBreak::Truncated { last, head } => write!(
                f,
                "the log ends at record #{last} but #{head} records were written: the newest were removed"
            ),
        }
    }
}

/// Checks a tenant's records, in `seq` order, from `start` to `head` (the
/// number of the last record written, kept apart from the records).
/// Returns how many records were checked, or the first break.
pub fn verify_chain<'a>(
    records: impl IntoIterator<Item = &'a Evidence>,
    start: &ChainStart,
    head: i64,
) -> Result<u64, ChainBreak> {
    let mut expected = start.seq + 1;
    let mut prev_hash = start.hash.clone();
    let mut count = 0;
    for e in records {
        if e.seq != expected {
            return Err(if e.seq > expected {
                ChainBreak::Missing {
                    expected,
                    found: e.seq,
                }
            } else {
                ChainBreak::Unlinked { seq: e.seq }
            });
        }
        if e.computed_hash() != e.hash {
            return Err(ChainBreak::Edited { seq: e.seq });
        }
        if e.prev_hash != prev_hash {
            return Err(ChainBreak::Unlinked { seq: e.seq });
        }
        prev_hash = e.hash.clone();
        expected += 1;
        count += 1;
    }
    let last = expected - 1;
    if last < head {
        return Err(ChainBreak::Truncated { last, head });
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(i: i64) -> NewEvidence {
        NewEvidence {
            kind: EvidenceKind::Backup,
            subject: format!("erp-db-{i}"),
            started_ms: 1_000 * i,
            finished_ms: 1_000 * i + 500,
            outcome: Outcome::Success,
            measurements: json!({ "bytes_added": i * 10, "files": { "new": 1, "changed": 2 } }),
            message: "ok".into(),
            job_run: Some(i),
        }
    }

    fn log(n: i64) -> Vec<Evidence> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|i| {
                let e = Evidence::chain("acme", i, 10 * i, record(i), &prev);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_log_verifies() {
        let l = log(5);
        assert_eq!(verify_chain(&l, &ChainStart::default(), 5), Ok(5));
        assert_eq!(verify_chain(&[], &ChainStart::default(), 0), Ok(0));
    }

    #[test]
    fn editing_any_field_is_detected_at_that_record() {
        let edits: Vec<fn(&mut Evidence)> = vec![
            |e| e.record.message.push('!'),
            |e| e.record.outcome = Outcome::Failure,
            |e| e.record.finished_ms += 1,
            |e| e.record.measurements["bytes_added"] = json!(0),
            |e| e.record.kind = EvidenceKind::Restore,
            |e| e.record.job_run = None,
            |e| e.recorded_ms += 1,
            |e| e.tenant = "other".into(),
        ];
        for edit in edits {
            let mut l = log(5);
            edit(&mut l[2]);
            assert_eq!(
                verify_chain(&l, &ChainStart::default(), 5),
                Err(ChainBreak::Edited { seq: 3 })
            );
        }
    }

    #[test]
    fn a_rehashed_edit_breaks_the_next_link() {
        let mut l = log(5);
        l[2].record.message = "forged".into();
        l[2].hash = l[2].computed_hash();
        assert_eq!(
            verify_chain(&l, &ChainStart::default(), 5),
            Err(ChainBreak::Unlinked { seq: 4 })
        );
    }

    #[test]
    fn removal_reordering_and_truncation_are_detected() {
        let mut l = log(5);
        l.remove(1);
        assert_eq!(
            verify_chain(&l, &ChainStart::default(), 5),
            Err(ChainBreak::Missing {
                expected: 2,
                found: 3
            })
        );
        let mut l = log(5);
        l.swap(1, 2);
        assert_eq!(
            verify_chain(&l, &ChainStart::default(), 5),
            Err(ChainBreak::Missing {
                expected: 2,
                found: 3
            })
        );
        let mut l = log(5);
        l.truncate(4);
        assert_eq!(
            verify_chain(&l, &ChainStart::default(), 5),
            Err(ChainBreak::Truncated { last: 4, head: 5 })
        );
    }

    #[test]
    fn a_log_after_retention_starts_from_its_anchor() {
        let l = log(5);
        let start = ChainStart {
            seq: 2,
            hash: l[1].hash.clone(),
        };
        assert_eq!(verify_chain(&l[2..], &start, 5), Ok(3));
        assert!(verify_chain(&l[3..], &start, 5).is_err());
    }

    #[test]
    fn the_canonical_form_ignores_json_key_order() {
        let mut a = log(1).remove(0);
        let mut b = a.clone();
        a.record.measurements = serde_json::from_str(r#"{"b":1,"a":{"y":2,"x":3}}"#).unwrap();
        b.record.measurements = serde_json::from_str(r#"{"a":{"x":3,"y":2},"b":1}"#).unwrap();
        assert_eq!(a.canonical(), b.canonical());
        assert!(a.canonical().contains(r#"{"a":{"x":3,"y":2},"b":1}"#));
    }

    #[test]
    fn kinds_read_back_from_text() {
        for k in EvidenceKind::ALL {
            assert_eq!(EvidenceKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(
            EvidenceKind::parse("drill-step"),
            Some(EvidenceKind::DrillStep)
        );
        assert_eq!(EvidenceKind::parse("drill_step"), None);
    }
}
