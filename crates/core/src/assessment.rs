//! The assessment: from a plan and its evidence, where each process stands.
//! Pure arithmetic over records, no I/O and no clock of its own: the caller
//! gives `now`, so every result can be checked with a fixed clock.
//!
//! For each process:
//! - **RPO exposure**: now minus the newest restore point of each backup
//!   protecting what the process depends on, counting only restore points
//!   present on every target of the backup and not named damaged by the
//!   target's latest verification (the worst backup wins);
//! - **achieved RTO**: the duration of the latest passing drill of one of
//!   the process's scenarios, with its age;
//! - a **status** with its reasons: `compliant`, `at-risk` (within 80 % of
//!   a target, a drill older than its schedule, the latest drill failed, a
//!   vital process not drilled in 12 months), `breached` (a target
//!   exceeded, no restore point, no drill ever passed) or `untested`.
//!
//! For each backup, the 3-2-1-1-0 rule: copies, distinct sites, an off-site
//! copy, an immutable copy confirmed by the storage, and 0 errors at the
//! latest verification and drill.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::evidence::measure::{self, Measure, ReadScope, Repair, SiteRun, Verification};
use crate::evidence::{EvidenceKind, NewEvidence, Outcome};
use crate::plan::{Backup, Criticality, Language, Plan, Process, SiteKind};

/// Share of a target past which a process is `at-risk`.
pub const AT_RISK_SHARE: f64 = 0.8;
/// A vital process needs a passing drill within this period.
pub const YEARLY_MS: i64 = 365 * 86_400_000;

/// Where a process stands, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Compliant,
    AtRisk,
    Untested,
    Breached,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Compliant => "compliant",
            Status::AtRisk => "at-risk",
            Status::Untested => "untested",
            Status::Breached => "breached",
        }
    }

    /// The value of the `rempart_process_status` gauge: 0 compliant,
    /// 1 at-risk, 2 untested, 3 breached.
    pub fn gauge(self) -> u8 {
        self as u8
    }

    /// The word in the organisation's language.
    pub fn text(self, lang: Language) -> &'static str {
        match (self, lang) {
            (Status::Compliant, Language::Fr) => "conforme",
            (Status::AtRisk, Language::Fr) => "à risque",
            (Status::Untested, Language::Fr) => "non testé",
            (Status::Breached, Language::Fr) => "dépassé",
            (s, Language::En) => s.as_str(),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a process has the status it has. Each reason carries its figures;
/// [`Reason::text`] says it in French or English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Reason {
    /// No backup protects the process or what it depends on.
    NoBackup,
    /// The backup never produced a restore point (and never tried).
    NeverBackedUp { backup: String },
    /// The backup tried, but has no restore point on all its sites.
    NoRestorePoint {
        backup: String,
        /// Targets lacking an intact copy of any restore point.
        missing_on: Vec<String>,
    },
    RpoExceeded {
        backup: String,
        exposure_ms: i64,
        target_ms: i64,
    },
    RpoNear {
        backup: String,
        exposure_ms: i64,
        target_ms: i64,
    },
    /// No scenario of the process was ever drilled.
    NoDrill,
    /// Drills ran, none passed.
    NoPassingDrill { run: String, failure: String },
    RtoExceeded {
        run: String,
        achieved_ms: i64,
        target_ms: i64,
    },
    RtoNear {
        run: String,
        achieved_ms: i64,
        target_ms: i64,
    },
    /// The data the latest passing drill restored was older than the RPO.
    DrillRpoExceeded {
        run: String,
        achieved_ms: i64,
        target_ms: i64,
    },
    /// The latest drill failed (an earlier one passed).
    LastDrillFailed { run: String, failure: String },
    /// The latest passing drill is older than its scenario's schedule.
    DrillOverdue {
        scenario: String,
        age_ms: i64,
        every_ms: i64,
    },
    /// A vital process without a passing drill in the last 12 months.
    NoDrillThisYear,
}

impl Reason {
    /// How bad this reason is on its own.
    pub fn status(&self) -> Status {
        match self {
            Reason::NoBackup | Reason::NeverBackedUp { .. } | Reason::NoDrill => Status::Untested,
            Reason::NoRestorePoint { .. }
            | Reason::RpoExceeded { .. }
            | Reason::NoPassingDrill { .. }
            | Reason::RtoExceeded { .. }
            | Reason::DrillRpoExceeded { .. } => Status::Breached,
            Reason::RpoNear { .. }
            | Reason::RtoNear { .. }
            | Reason::LastDrillFailed { .. }
            | Reason::DrillOverdue { .. }
            | Reason::NoDrillThisYear => Status::AtRisk,
        }
    }

    /// One sentence for people, in `lang`.
    pub fn text(&self, lang: Language) -> String {
        let fr = lang == Language::Fr;
        match self {
            Reason::NoBackup if fr => {
                "aucune sauvegarde ne protège ce dont il dépend (protects)".into()
            }
            Reason::NoBackup => "no backup protects what it depends on (protects)".into(),
            Reason::NeverBackedUp { backup } if fr => {
                format!("la sauvegarde « {backup} » n'a encore jamais tourné")
            }
            Reason::NeverBackedUp { backup } => format!("backup \"{backup}\" has never run"),
            Reason::NoRestorePoint { backup, missing_on } if fr => format!(
                "la sauvegarde « {backup} » n'a aucun point de restauration intact sur {}",
                missing_on.join(", ")
            ),
            Reason::NoRestorePoint { backup, missing_on } => format!(
                "backup \"{backup}\" has no intact restore point on {}",
                missing_on.join(", ")
            ),
            Reason::RpoExceeded {
                backup,
                exposure_ms,
                target_ms,
            } if fr => format!(
                "dernier point de restauration de « {backup} » sur tous ses sites il y a {}, au-delà du RPO de {}",
                human(*exposure_ms),
                human(*target_ms)
            ),
            Reason::RpoExceeded {
                backup,
                exposure_ms,
                target_ms,
            } => format!(
                "newest restore point of \"{backup}\" on all its sites is {} old, past the RPO of {}",
                human(*exposure_ms),
                human(*target_ms)
            ),
            Reason::RpoNear {
                backup,
                exposure_ms,
                target_ms,
            } if fr => format!(
                "dernier point de restauration de « {backup} » il y a {}, plus de 80 % du RPO de {}",
                human(*exposure_ms),
                human(*target_ms)
            ),
            Reason::RpoNear {
                backup,
                exposure_ms,
                target_ms,
            } => format!(
                "newest restore point of \"{backup}\" is {} old, over 80% of the RPO of {}",
                human(*exposure_ms),
                human(*target_ms)
            ),
            Reason::NoDrill if fr => "aucun exercice de reprise n'a encore été réalisé".into(),
            Reason::NoDrill => "no recovery drill has run yet".into(),
            Reason::NoPassingDrill { run, failure } if fr => {
                format!("aucun exercice réussi ; le dernier ({run}) a échoué : {failure}")
            }
            Reason::NoPassingDrill { run, failure } => {
                format!("no drill has passed; the latest ({run}) failed: {failure}")
            }
            Reason::RtoExceeded {
                run,
                achieved_ms,
                target_ms,
            } if fr => format!(
                "reprise mesurée en {} ({run}), au-delà du RTO de {}",
                human(*achieved_ms),
                human(*target_ms)
            ),
            Reason::RtoExceeded {
                run,
                achieved_ms,
                target_ms,
            } => format!(
                "recovery measured at {} ({run}), past the RTO of {}",
                human(*achieved_ms),
                human(*target_ms)
            ),
            Reason::RtoNear {
                run,
                achieved_ms,
                target_ms,
            } if fr => format!(
                "reprise mesurée en {} ({run}), plus de 80 % du RTO de {}",
                human(*achieved_ms),
                human(*target_ms)
            ),
            Reason::RtoNear {
                run,
                achieved_ms,
                target_ms,
            } => format!(
                "recovery measured at {} ({run}), over 80% of the RTO of {}",
                human(*achieved_ms),
                human(*target_ms)
            ),
            Reason::DrillRpoExceeded {
                run,
                achieved_ms,
                target_ms,
            } if fr => format!(
                "l'exercice {run} a restauré des données vieilles de {}, au-delà du RPO de {}",
                human(*achieved_ms),
                human(*target_ms)
            ),
            Reason::DrillRpoExceeded {
                run,
                achieved_ms,
                target_ms,
            } => format!(
                "drill {run} restored data {} old, past the RPO of {}",
                human(*achieved_ms),
                human(*target_ms)
            ),
            Reason::LastDrillFailed { run, failure } if fr => {
                format!("le dernier exercice ({run}) a échoué : {failure}")
            }
            Reason::LastDrillFailed { run, failure } => {
                format!("the latest drill ({run}) failed: {failure}")
            }
            Reason::DrillOverdue {
                scenario,
                age_ms,
                every_ms,
            } if fr => format!(
                "dernier exercice réussi de « {scenario} » il y a {}, prévu tous les {}",
                human(*age_ms),
                human(*every_ms)
            ),
            Reason::DrillOverdue {
                scenario,
                age_ms,
                every_ms,
            } => format!(
                "latest passing drill of \"{scenario}\" is {} old, scheduled every {}",
                human(*age_ms),
                human(*every_ms)
            ),
            Reason::NoDrillThisYear if fr => {
                "processus vital sans exercice réussi depuis 12 mois".into()
            }
            Reason::NoDrillThisYear => "vital process without a passing drill in 12 months".into(),
        }
    }
}

/// A duration for people: whole seconds (milliseconds under a second).
pub fn human(ms: i64) -> String {
    let ms = u64::try_from(ms).unwrap_or(0);
    let shown = if ms >= 1_000 { ms / 1_000 * 1_000 } else { ms };
    crate::plan::Duration::from_millis(shown).to_string()
}

/// One drill run, as its `drill` evidence record tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrillRun {
    pub run: String,
    pub scenario: String,
    pub started_ms: i64,
    pub finished_ms: i64,
    pub passed: bool,
    /// The achieved RTO: the recovery steps' total time.
    pub rto_ms: Option<i64>,
    /// The achieved RPO: the incident point minus the restored data's time.
    pub rpo_ms: Option<i64>,
    /// Backups the drill restored.
    pub restored: Vec<String>,
    /// Why it failed, when it did.
    pub failure: Option<String>,
}

impl DrillRun {
    /// Reads a `drill` record; `None` for another kind.
    pub fn from_evidence(e: &NewEvidence) -> Option<DrillRun> {
        if e.kind != EvidenceKind::Drill {
            return None;
        }
        let m = measure::DrillRun::read(e).unwrap_or_default();
        let passed = e.outcome == Outcome::Success;
        Some(DrillRun {
            run: m.run,
            scenario: e.subject.clone(),
            started_ms: e.started_ms,
            finished_ms: e.finished_ms,
            passed,
            rto_ms: m.rto_ms,
            rpo_ms: m.rpo_ms,
            restored: m.restored.into_iter().map(|r| r.backup).collect(),
            failure: (!passed).then(|| e.message.clone()),
        })
    }
}

/// The assessment of one process.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcessAssessment {
    pub id: String,
    pub name: String,
    pub criticality: Criticality,
    pub rto_target_ms: i64,
    pub rpo_target_ms: i64,
    /// Now minus the newest intact restore point on all sites (worst backup).
    pub rpo_exposure_ms: Option<i64>,
    /// That restore point's data time.
    pub restore_point_ms: Option<i64>,
    /// The backup that sets the exposure.
    pub restore_point_backup: Option<String>,
    /// The latest passing drill's recovery time.
    pub achieved_rto_ms: Option<i64>,
    pub last_passing_drill: Option<DrillRun>,
    /// Age of the latest passing drill.
    pub drill_age_ms: Option<i64>,
    pub last_drill: Option<DrillRun>,
    pub status: Status,
    pub reasons: Vec<Reason>,
}

/// The 3-2-1-1-0 rule for one backup, measured on its newest restore point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule32110 {
    pub backup: String,
    /// The restore point it was measured on.
    pub restore_point_ms: Option<i64>,
    /// The live data plus each intact copy of that restore point (3 needed).
    pub copies: usize,
    /// Distinct sites holding a copy (2 needed).
    pub sites: usize,
    /// A copy on a site other than the protected assets' (1 needed).
    pub offsite: bool,
    /// A copy the storage confirmed immutable at its latest verification.
    pub immutable: bool,
    /// Failed latest verifications of its repositories and failed latest
    /// drills restoring it (0 needed).
    pub errors: Vec<String>,
    pub holds: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub now_ms: i64,
    pub processes: Vec<ProcessAssessment>,
    pub backups: Vec<Rule32110>,
}

impl Assessment {
    /// A vital process is breached or untested: `rempart status` exits 1.
    pub fn vital_failing(&self) -> bool {
        self.processes.iter().any(|p| {
            p.criticality == Criticality::Vital
                && matches!(p.status, Status::Breached | Status::Untested)
        })
    }
}

/// What the evidence says of one repository's copies of one backup: the
/// data time of each restore point written there, with its snapshot id.
type Copies = BTreeMap<i64, Option<String>>;

/// What is known damaged in a repository: found by a verification, and
/// not yet read again intact (a verify reading another slice of the packs
/// proves nothing about these), healed by a repair, or read whole.
#[derive(Default)]
struct Damage {
    /// Damaged or missing packs (full hex ids).
    packs: BTreeSet<String>,
    /// (backup, data time) of the snapshots that need damaged data.
    affected: BTreeSet<(String, i64)>,
    /// Snapshot files that cannot be read (every verification reads them
    /// all, so its list is the whole truth).
    unreadable: BTreeSet<String>,
}

impl Damage {
    /// What is known after a verification that read `scope` and found `v`.
    fn after(&mut self, scope: ReadScope, v: &Verification) {
        let found: BTreeSet<String> = v.damaged_packs.iter().cloned().collect();
        let affected = v
            .affected_snapshots
            .iter()
            .map(|a| (a.backup.clone(), a.time_ms));
        // Known packs this verification read again and found intact heal.
        self.packs.retain(|p| !scope.read(p) || found.contains(p));
        if self.packs.is_empty() {
            // Nothing known remains unread: what it found is the whole damage
            // (damage outside packs, a missing index entry, is found by every check).
            self.affected.clear();
        }
        self.packs.extend(found);
        self.affected.extend(affected);
        self.unreadable = v.unreadable_snapshots.iter().cloned().collect();
    }
}

/// The facts drawn from the evidence, by backup and repository.
#[derive(Default)]
struct Facts {
    /// (backup, repository) → its copies.
    copies: BTreeMap<(String, String), Copies>,
    /// Repository → what is known damaged there.
    damage: BTreeMap<String, Damage>,
    /// Backups that have tried at least once.
    attempted: BTreeSet<String>,
    /// Repository → its latest verification (or repair): outcome, message,
    /// the storage's immutability report.
    last_check: BTreeMap<String, (i64, bool, String, Value)>,
    /// Scenario → its drills, oldest first.
    drills: BTreeMap<String, Vec<DrillRun>>,
}

fn facts(evidence: &[NewEvidence]) -> Facts {
    let mut f = Facts::default();
    let mut sorted: Vec<&NewEvidence> = evidence.iter().collect();
    sorted.sort_by_key(|e| e.finished_ms);
    for e in sorted {
        match e.kind {
            EvidenceKind::Backup | EvidenceKind::Copy => {
                f.attempted.insert(e.subject.clone());
                if e.outcome == Outcome::Success
                    && let Some(run) = SiteRun::read(e)
                    && let Some(t) = run.data_time_ms
                {
                    f.copies
                        .entry((e.subject.clone(), run.repository))
                        .or_default()
                        .insert(t, run.snapshot);
                }
            }
            EvidenceKind::Verify => {
                let Some(v) = Verification::read(e) else {
                    continue;
                };
                let repo = if v.repository.is_empty() {
                    e.subject.clone()
                } else {
                    v.repository.clone()
                };
                f.damage
                    .entry(repo.clone())
                    .or_default()
                    .after(ReadScope::of(v.read_data.as_deref()), &v);
                let immutable = v.immutable.clone().unwrap_or(Value::Null);
                let ok = e.outcome == Outcome::Success;
                f.last_check
                    .insert(repo, (e.finished_ms, ok, e.message.clone(), immutable));
            }
            EvidenceKind::Repair => {
                let Some(r) = Repair::read(e) else {
                    continue;
                };
                let repo = if r.repository.is_empty() {
                    e.subject.clone()
                } else {
                    r.repository.clone()
                };
                // A repair verifies the repository after healing it: what
                // that verification found is what is known now.
                if let Some(after) = &r.after {
                    let damage = f.damage.entry(repo.clone()).or_default();
                    *damage = Damage::default();
                    damage.after(ReadScope::All, after);
                }
                let immutable = r
                    .after
                    .as_ref()
                    .and_then(|a| a.immutable.clone())
                    .unwrap_or(Value::Null);
                let ok = e.outcome == Outcome::Success;
                f.last_check
                    .insert(repo, (e.finished_ms, ok, e.message.clone(), immutable));
            }
            EvidenceKind::Drill => {
                if let Some(d) = DrillRun::from_evidence(e) {
                    f.drills.entry(d.scenario.clone()).or_default().push(d);
                }
            }
            _ => {}
        }
    }
    f
}

impl Facts {
    /// Intact restore points of `backup` on `repo`, as data times.
    fn intact(&self, backup: &str, repo: &str) -> BTreeSet<i64> {
        let damaged = self.damage.get(repo);
        self.copies
            .get(&(backup.to_owned(), repo.to_owned()))
            .map(|points| {
                points
                    .iter()
                    .filter(|(t, snapshot)| {
                        !damaged.is_some_and(|d| {
                            d.affected.contains(&(backup.to_owned(), **t))
                                || snapshot.as_ref().is_some_and(|s| d.unreadable.contains(s))
                        })
                    })
                    .map(|(t, _)| *t)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The newest restore point of `b` intact on every target, or the
    /// targets that lack one.
    fn newest_everywhere(&self, b: &Backup) -> Result<i64, Vec<String>> {
        let mut common: Option<BTreeSet<i64>> = None;
        let mut missing = Vec::new();
        for t in &b.targets {
            let here = self.intact(b.id.as_str(), t.as_str());
            if here.is_empty() {
                missing.push(t.to_string());
            }
            common = Some(match common {
                None => here,
                Some(c) => c.intersection(&here).copied().collect(),
            });
        }
        match common.and_then(|c| c.last().copied()) {
            Some(t) if missing.is_empty() => Ok(t),
            _ if missing.is_empty() => Err(b.targets.iter().map(ToString::to_string).collect()),
            _ => Err(missing),
        }
    }
}

/// Ids a process depends on, followed through assets' and processes'
/// own `depends_on`, the process itself included.
pub fn dependencies(plan: &Plan, p: &Process) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = vec![p.id.to_string()];
    while let Some(id) = todo.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let next = plan
            .assets
            .iter()
            .filter(|a| a.id.as_str() == id)
            .flat_map(|a| a.depends_on.iter())
            .chain(
                plan.processes
                    .iter()
                    .filter(|q| q.id.as_str() == id)
                    .flat_map(|q| q.depends_on.iter()),
            );
        todo.extend(next.map(ToString::to_string));
    }
    seen
}

fn ms(d: crate::plan::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// `value` is past `share` of `target` (exact integer arithmetic for 80 %).
fn past_share(value: i64, target: i64) -> bool {
    i128::from(value) * 10 > i128::from(target) * 8
}

fn assess_process(plan: &Plan, f: &Facts, p: &Process, now_ms: i64) -> ProcessAssessment {
    let deps = dependencies(plan, p);
    let rpo_target = ms(p.rpo);
    let rto_target = ms(p.rto);
    let mut reasons = Vec::new();

    // RPO: the worst of the protecting backups.
    let backups: Vec<&Backup> = plan
        .backups
        .iter()
        .filter(|b| b.protects.iter().any(|a| deps.contains(a.as_str())))
        .collect();
    let mut worst: Option<(i64, &str)> = None;
    if backups.is_empty() {
        reasons.push(Reason::NoBackup);
    }
    for b in &backups {
        match f.newest_everywhere(b) {
            Ok(point) => {
                if worst.is_none_or(|(w, _)| point < w) {
                    worst = Some((point, b.id.as_str()));
                }
            }
            Err(_) if !f.attempted.contains(b.id.as_str()) => {
                reasons.push(Reason::NeverBackedUp {
                    backup: b.id.to_string(),
                });
            }
            Err(missing_on) => reasons.push(Reason::NoRestorePoint {
                backup: b.id.to_string(),
                missing_on,
            }),
        }
    }
    let exposure = worst.map(|(point, _)| (now_ms - point).max(0));
    if let (Some(exposure_ms), Some((_, backup))) = (exposure, worst) {
        let backup = backup.to_owned();
        if exposure_ms > rpo_target {
            reasons.push(Reason::RpoExceeded {
                backup,
                exposure_ms,
                target_ms: rpo_target,
            });
        } else if past_share(exposure_ms, rpo_target) {
            reasons.push(Reason::RpoNear {
                backup,
                exposure_ms,
                target_ms: rpo_target,
            });
        }
    }

    // RTO: the drills of the process's scenarios.
    let scenarios: Vec<_> = plan
        .scenarios
        .iter()
        .filter(|s| s.process == p.id)
        .collect();
    let runs: Vec<&DrillRun> = scenarios
        .iter()
        .filter_map(|s| f.drills.get(s.id.as_str()))
        .flatten()
        .collect();
    let last = runs.iter().max_by_key(|d| d.finished_ms).copied();
    let last_passing = runs
        .iter()
        .filter(|d| d.passed)
        .max_by_key(|d| d.finished_ms)
        .copied();
    match (last, last_passing) {
        (None, _) => reasons.push(Reason::NoDrill),
        (Some(l), None) => reasons.push(Reason::NoPassingDrill {
            run: l.run.clone(),
            failure: l.failure.clone().unwrap_or_default(),
        }),
        (Some(l), Some(ok)) => {
            if let Some(achieved_ms) = ok.rto_ms {
                if achieved_ms > rto_target {
                    reasons.push(Reason::RtoExceeded {
                        run: ok.run.clone(),
                        achieved_ms,
                        target_ms: rto_target,
                    });
                } else if past_share(achieved_ms, rto_target) {
                    reasons.push(Reason::RtoNear {
                        run: ok.run.clone(),
                        achieved_ms,
                        target_ms: rto_target,
                    });
                }
            }
            if let Some(achieved_ms) = ok.rpo_ms
                && achieved_ms > rpo_target
            {
                reasons.push(Reason::DrillRpoExceeded {
                    run: ok.run.clone(),
                    achieved_ms,
                    target_ms: rpo_target,
                });
            }
            if !l.passed {
                reasons.push(Reason::LastDrillFailed {
                    run: l.run.clone(),
                    failure: l.failure.clone().unwrap_or_default(),
                });
            }
        }
    }
    // Each scheduled scenario must have passed within its schedule.
    for s in &scenarios {
        let Some(every_ms) = s.drill.as_ref().and_then(|d| d.longest_gap()).map(ms) else {
            continue;
        };
        let newest_ok = f.drills.get(s.id.as_str()).and_then(|runs| {
            runs.iter()
                .filter(|d| d.passed)
                .map(|d| d.finished_ms)
                .max()
        });
        if let Some(done) = newest_ok
            && now_ms - done > every_ms
        {
            reasons.push(Reason::DrillOverdue {
                scenario: s.id.to_string(),
                age_ms: now_ms - done,
                every_ms,
            });
        }
    }
    if p.criticality == Criticality::Vital
        && last_passing.is_some_and(|d| now_ms - d.finished_ms > YEARLY_MS)
    {
        reasons.push(Reason::NoDrillThisYear);
    }

    let status = reasons
        .iter()
        .map(Reason::status)
        .max()
        .unwrap_or(Status::Compliant);
    ProcessAssessment {
        id: p.id.to_string(),
        name: p.name.clone(),
        criticality: p.criticality,
        rto_target_ms: rto_target,
        rpo_target_ms: rpo_target,
        rpo_exposure_ms: exposure,
        restore_point_ms: worst.map(|(t, _)| t),
        restore_point_backup: worst.map(|(_, b)| b.to_owned()),
        achieved_rto_ms: last_passing.and_then(|d| d.rto_ms),
        drill_age_ms: last_passing.map(|d| now_ms - d.finished_ms),
        last_passing_drill: last_passing.cloned(),
        last_drill: last.cloned(),
        status,
        reasons,
    }
}

fn assess_backup(plan: &Plan, f: &Facts, b: &Backup) -> Rule32110 {
    let id = b.id.as_str();
    // The newest restore point intact anywhere, and where it is.
    let point = b
        .targets
        .iter()
        .filter_map(|t| f.intact(id, t.as_str()).last().copied())
        .max();
    let holders: Vec<&crate::plan::Repository> = plan
        .repositories
        .iter()
        .filter(|r| b.targets.contains(&r.id))
        .filter(|r| point.is_some_and(|p| f.intact(id, r.id.as_str()).contains(&p)))
        .collect();
    let sites: BTreeSet<&str> = holders.iter().map(|r| r.site.as_str()).collect();
    let home: BTreeSet<&str> = plan
        .assets
        .iter()
        .filter(|a| b.protects.contains(&a.id))
        .filter_map(|a| a.site.as_ref().map(|s| s.as_str()))
        .collect();
    let offsite = holders.iter().any(|r| {
        if home.is_empty() {
            // Unknown home: a copy away from every primary site counts.
            plan.sites
                .iter()
                .any(|s| s.id == r.site && s.kind != SiteKind::Primary)
        } else {
            !home.contains(r.site.as_str())
        }
    });
    let immutable = holders.iter().any(|r| {
        r.immutable
            && f.last_check
                .get(r.id.as_str())
                .is_some_and(|(_, ok, _, report)| *ok && !report.is_null())
    });
    let mut errors = Vec::new();
    for t in &b.targets {
        if let Some((_, false, message, _)) = f.last_check.get(t.as_str()) {
            errors.push(format!("verify {t}: {message}"));
        }
    }
    for s in &plan.scenarios {
        if let Some(last) = f.drills.get(s.id.as_str()).and_then(|r| r.last())
            && !last.passed
            && last.restored.iter().any(|r| r == id)
        {
            errors.push(format!(
                "drill {}: {}",
                last.run,
                last.failure.as_deref().unwrap_or("")
            ));
        }
    }
    let copies = holders.len() + 1;
    let holds = copies >= 3 && sites.len() >= 2 && offsite && immutable && errors.is_empty();
    Rule32110 {
        backup: id.to_owned(),
        restore_point_ms: point,
        copies,
        sites: sites.len(),
        offsite,
        immutable,
        errors,
        holds,
    }
}

/// Assesses every process and backup of `plan` from `evidence` at `now_ms`.
pub fn assess(plan: &Plan, evidence: &[NewEvidence], now_ms: i64) -> Assessment {
    let f = facts(evidence);
    Assessment {
        now_ms,
        processes: plan
            .processes
            .iter()
            .map(|p| assess_process(plan, &f, p, now_ms))
            .collect(),
        backups: plan
            .backups
            .iter()
            .map(|b| assess_backup(plan, &f, b))
            .collect(),
    }
}

/// The RPO watch of one backup: its newest restore point intact on every
/// target, and the tightest RPO of the processes it protects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupWatch {
    pub backup: String,
    /// Data time of the newest restore point on every target.
    pub newest_ms: Option<i64>,
    /// Targets without an intact restore point (when there is no newest).
    pub missing_on: Vec<String>,
    /// The tightest RPO among the processes that depend on what it protects.
    pub rpo_ms: Option<i64>,
}

/// [`BackupWatch`] of backup `id`; `None` when the plan has no such backup.
pub fn backup_watch(plan: &Plan, evidence: &[NewEvidence], id: &str) -> Option<BackupWatch> {
    let b = plan.backups.iter().find(|b| b.id.as_str() == id)?;
    let f = facts(evidence);
    let (newest_ms, missing_on) = match f.newest_everywhere(b) {
        Ok(t) => (Some(t), Vec::new()),
        Err(missing) => (None, missing),
    };
    let rpo_ms = plan
        .processes
        .iter()
        .filter(|p| {
            let deps = dependencies(plan, p);
            b.protects.iter().any(|a| deps.contains(a.as_str()))
        })
        .map(|p| ms(p.rpo))
        .min();
    Some(BackupWatch {
        backup: id.to_owned(),
        newest_ms,
        missing_on,
        rpo_ms,
    })
}

/// The kinds of evidence the assessment reads.
pub const KINDS: [EvidenceKind; 5] = [
    EvidenceKind::Backup,
    EvidenceKind::Copy,
    EvidenceKind::Verify,
    EvidenceKind::Repair,
    EvidenceKind::Drill,
];

#[cfg(test)]
mod tests;
