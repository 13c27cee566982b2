//! The compliance audit: the plan and its evidence held against the rules
//! that standards and regulators set (ISO 22301, NIST SP 800-34, DORA,
//! NIS2's implementing regulation 2024/2690), and the risk register's
//! residual risk. Pure, like the assessment it builds on: the caller gives
//! the records, the monitors' health and `now`.
//!
//! Each rule has an id, the clauses it comes from, a severity and a
//! remediation; applied to one subject (a backup, a process, a
//! scenario…) it gives a [`Finding`]: pass, fail or not applicable, with
//! the evidence records that decided it. A finding that fails after a
//! past audit saw it fixed is a regression (past audits are themselves
//! `audit` evidence records).

use std::collections::{BTreeMap, BTreeSet};

use rempart_i18n::{Lang, t};
use serde::Serialize;
use serde_json::{Value, json};

use crate::assessment::{Assessment, DrillRun, YEARLY_MS};
use crate::evidence::measure::{Measure, SiteRun, Verification};
use crate::evidence::{EVIDENCE_LOG, Evidence, EvidenceKind, Outcome};
use crate::monitoring::Health;
use crate::plan::{Criticality, Plan, Process, SiteKind};

/// The evidence log must have been verified this recently (the server's
/// `evidence-audit` job runs daily).
pub const CHAIN_VERIFIED_WITHIN_MS: i64 = 2 * 86_400_000;
/// A repository without `verify_within` must have been verified this recently.
pub const DEFAULT_VERIFY_WITHIN_MS: i64 = 31 * 86_400_000;

/// How much a failed rule matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    pub fn text(self, lang: Lang) -> String {
        match self {
            Severity::Low => t!(lang, "audit-severity-low"),
            Severity::Medium => t!(lang, "audit-severity-medium"),
            Severity::High => t!(lang, "audit-severity-high"),
        }
    }
}

/// A rule's result for one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Fail,
    NotApplicable,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::NotApplicable => "not-applicable",
        }
    }

    pub fn text(self, lang: Lang) -> String {
        match self {
            Verdict::Pass => t!(lang, "audit-verdict-pass"),
            Verdict::Fail => t!(lang, "audit-verdict-fail"),
            Verdict::NotApplicable => t!(lang, "audit-verdict-na"),
        }
    }
}

/// The rules, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// 3 copies, 2 sites, 1 off-site, 1 immutable, 0 errors — per backup.
    Backup32110,
    /// The backup's schedule can keep each process's RPO — per process.
    RpoAchievable,
    /// The backup was restored by a passing drill from an off-site copy.
    RestoreFromOffsite,
    /// Each repository holding the backup was verified within its period.
    VerifiedWithinPeriod,
    /// An immutable copy, confirmed by the storage itself.
    ImmutableCopy,
    /// A vital process has a passing drill in the last 12 months.
    VitalDrilledYearly,
    /// A scheduled scenario has passed within its schedule.
    DrillOnSchedule,
    /// RTO target (and the RTO achieved) within the MTPD.
    RtoWithinMtpd,
    /// Every crisis role has an alternate.
    RoleHasAlternate,
    /// An alert about a process reaches a person within its RTO.
    EscalationReachesHuman,
    /// The evidence chain verifies.
    EvidenceChainIntact,
}

impl Rule {
    pub const ALL: [Rule; 11] = [
        Rule::Backup32110,
        Rule::RpoAchievable,
        Rule::RestoreFromOffsite,
        Rule::VerifiedWithinPeriod,
        Rule::ImmutableCopy,
        Rule::VitalDrilledYearly,
        Rule::DrillOnSchedule,
        Rule::RtoWithinMtpd,
        Rule::RoleHasAlternate,
        Rule::EscalationReachesHuman,
        Rule::EvidenceChainIntact,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::Backup32110 => "backup-3-2-1-1-0",
            Rule::RpoAchievable => "rpo-achievable",
            Rule::RestoreFromOffsite => "restore-from-offsite",
            Rule::VerifiedWithinPeriod => "verified-within-period",
            Rule::ImmutableCopy => "immutable-copy",
            Rule::VitalDrilledYearly => "vital-drilled-yearly",
            Rule::DrillOnSchedule => "drill-on-schedule",
            Rule::RtoWithinMtpd => "rto-within-mtpd",
            Rule::RoleHasAlternate => "role-has-alternate",
            Rule::EscalationReachesHuman => "escalation-reaches-human",
            Rule::EvidenceChainIntact => "evidence-chain-intact",
        }
    }

    /// The clauses the rule checks, as auditors cite them.
    pub fn clauses(self) -> &'static [&'static str] {
        match self {
            Rule::Backup32110 => &[
                "3-2-1-1-0",
                "DORA Art. 12(1)",
                "DORA Art. 12(3)",
                "NIS2 CIR 2024/2690 Annex §4.2",
            ],
            Rule::RpoAchievable => &[
                "ISO 22301:2019 §8.3",
                "DORA Art. 12(1)",
                "NIS2 CIR 2024/2690 Annex §4.2",
            ],
            Rule::RestoreFromOffsite => &[
                "DORA Art. 12(2)",
                "NIS2 CIR 2024/2690 Annex §4.2",
                "NIST SP 800-34 Rev. 1 §3.4.2",
            ],
            Rule::VerifiedWithinPeriod => &[
                "3-2-1-1-0",
                "DORA Art. 12(2)",
                "NIS2 CIR 2024/2690 Annex §4.2",
            ],
            Rule::ImmutableCopy => &[
                "3-2-1-1-0",
                "DORA Art. 12(3)",
                "NIS2 CIR 2024/2690 Annex §4.2",
            ],
            Rule::VitalDrilledYearly => &[
                "ISO 22301:2019 §8.5",
                "NIST SP 800-34 Rev. 1 §3.6",
                "DORA Art. 11(6)",
                "NIS2 CIR 2024/2690 Annex §4.2",
            ],
            Rule::DrillOnSchedule => &["ISO 22301:2019 §8.5", "DORA Art. 11(6)"],
            Rule::RtoWithinMtpd => &["ISO 22301:2019 §8.2.2", "ISO/TS 22317:2021"],
            Rule::RoleHasAlternate => &["ISO 22301:2019 §8.4.2", "DORA Art. 11(2)"],
            Rule::EscalationReachesHuman => &[
                "ISO 22301:2019 §8.4.3",
                "NIST SP 800-34 Rev. 1 §4.2",
                "DORA Art. 11(2)",
            ],
            Rule::EvidenceChainIntact => &["ISO 22301:2019 §7.5.3", "DORA Art. 12(1)"],
        }
    }

    pub fn title(self, lang: Lang) -> String {
        match self {
            Rule::Backup32110 => t!(lang, "audit-rule-backup-32110"),
            Rule::RpoAchievable => t!(lang, "audit-rule-rpo-achievable"),
            Rule::RestoreFromOffsite => t!(lang, "audit-rule-restore-offsite"),
            Rule::VerifiedWithinPeriod => t!(lang, "audit-rule-verified"),
            Rule::ImmutableCopy => t!(lang, "audit-rule-immutable"),
            Rule::VitalDrilledYearly => t!(lang, "audit-rule-drilled-yearly"),
            Rule::DrillOnSchedule => t!(lang, "audit-rule-drill-schedule"),
            Rule::RtoWithinMtpd => t!(lang, "audit-rule-rto-mtpd"),
            Rule::RoleHasAlternate => t!(lang, "audit-rule-alternate"),
            Rule::EscalationReachesHuman => t!(lang, "audit-rule-escalation"),
            Rule::EvidenceChainIntact => t!(lang, "audit-rule-chain"),
        }
    }

    /// What to do when the rule fails.
    pub fn remediation(self, lang: Lang) -> String {
        match self {
            Rule::Backup32110 => t!(lang, "audit-fix-backup-32110"),
            Rule::RpoAchievable => t!(lang, "audit-fix-rpo-achievable"),
            Rule::RestoreFromOffsite => t!(lang, "audit-fix-restore-offsite"),
            Rule::VerifiedWithinPeriod => t!(lang, "audit-fix-verified"),
            Rule::ImmutableCopy => t!(lang, "audit-fix-immutable"),
            Rule::VitalDrilledYearly => t!(lang, "audit-fix-drilled-yearly"),
            Rule::DrillOnSchedule => t!(lang, "audit-fix-drill-schedule"),
            Rule::RtoWithinMtpd => t!(lang, "audit-fix-rto-mtpd"),
            Rule::RoleHasAlternate => t!(lang, "audit-fix-alternate"),
            Rule::EscalationReachesHuman => t!(lang, "audit-fix-escalation"),
            Rule::EvidenceChainIntact => t!(lang, "audit-fix-chain"),
        }
    }
}

/// The regulatory texts and the rules that check what they ask.
pub fn frameworks(lang: Lang) -> Vec<(String, Vec<Rule>)> {
    vec![
        (
            t!(lang, "audit-framework-dora-11"),
            vec![
                Rule::VitalDrilledYearly,
                Rule::DrillOnSchedule,
                Rule::RoleHasAlternate,
                Rule::EscalationReachesHuman,
            ],
        ),
        (
            t!(lang, "audit-framework-dora-12"),
            vec![
                Rule::Backup32110,
                Rule::RpoAchievable,
                Rule::RestoreFromOffsite,
                Rule::VerifiedWithinPeriod,
                Rule::ImmutableCopy,
                Rule::EvidenceChainIntact,
            ],
        ),
        (
            t!(lang, "audit-framework-nis2"),
            vec![
                Rule::Backup32110,
                Rule::RpoAchievable,
                Rule::RestoreFromOffsite,
                Rule::VerifiedWithinPeriod,
                Rule::ImmutableCopy,
                Rule::VitalDrilledYearly,
            ],
        ),
    ]
}

/// An evidence record a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cited {
    pub seq: i64,
    pub kind: EvidenceKind,
    pub subject: String,
    pub finished_ms: i64,
}

impl Cited {
    fn of(e: &Evidence) -> Cited {
        Cited {
            seq: e.seq,
            kind: e.record.kind,
            subject: e.record.subject.clone(),
            finished_ms: e.record.finished_ms,
        }
    }
}

/// Why a finding is what it is, with its figures; [`Detail::text`] says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Detail {
    /// The 3-2-1-1-0 counts.
    Counts {
        copies: usize,
        sites: usize,
        offsite: bool,
        immutable: bool,
        errors: usize,
    },
    /// A backup's longest gap between runs against the RPO.
    Schedule {
        backup: String,
        gap_ms: i64,
        rpo_ms: i64,
    },
    NoBackup,
    /// Restored from a site (kind) by a drill.
    RestoredFrom {
        site: String,
        offsite: bool,
    },
    NeverRestored,
    /// A repository's latest good verification, its age and period.
    Verified {
        repository: String,
        age_ms: Option<i64>,
        within_ms: i64,
    },
    NoImmutableRepository,
    ImmutableUnconfirmed,
    ImmutableConfirmed {
        repository: String,
    },
    /// The age of the latest passing drill (none: never passed).
    Drilled {
        age_ms: Option<i64>,
        within_ms: i64,
    },
    NotVital,
    NoSchedule,
    NoMtpd,
    Mtpd {
        rto_ms: i64,
        achieved_ms: Option<i64>,
        mtpd_ms: i64,
    },
    Alternates {
        count: usize,
    },
    /// The fastest way an alert about the process reaches a person.
    Reach {
        monitor: Option<String>,
        after_ms: Option<i64>,
        rto_ms: i64,
    },
    /// The latest verification of the evidence log.
    Chain {
        checked: u64,
        head: i64,
        broken_seq: Option<i64>,
        age_ms: i64,
    },
    /// The evidence log was never verified.
    ChainUnverified,
}

impl Detail {
    pub fn text(&self, lang: Lang) -> String {
        let d = |ms: i64| crate::assessment::human(ms);
        match self {
            Detail::Counts {
                copies,
                sites,
                offsite,
                immutable,
                errors,
            } => t!(
                lang,
                "audit-detail-counts",
                copies = *copies,
                sites = *sites,
                offsite = yes_no(lang, *offsite),
                immutable = yes_no(lang, *immutable),
                errors = *errors
            ),
            Detail::Schedule {
                backup,
                gap_ms,
                rpo_ms,
            } => t!(
                lang,
                "audit-detail-schedule",
                backup = backup.as_str(),
                gap = d(*gap_ms),
                rpo = d(*rpo_ms)
            ),
            Detail::NoBackup => t!(lang, "audit-detail-no-backup"),
            Detail::RestoredFrom { site, offsite } => {
                if *offsite {
                    t!(lang, "audit-detail-restored-offsite", site = site.as_str())
                } else {
                    t!(lang, "audit-detail-restored-onsite", site = site.as_str())
                }
            }
            Detail::NeverRestored => t!(lang, "audit-detail-never-restored"),
            Detail::Verified {
                repository,
                age_ms,
                within_ms,
            } => match age_ms {
                Some(age) => t!(
                    lang,
                    "audit-detail-verified",
                    repository = repository.as_str(),
                    age = d(*age),
                    within = d(*within_ms)
                ),
                None => t!(
                    lang,
                    "audit-detail-never-verified",
                    repository = repository.as_str()
                ),
            },
            Detail::NoImmutableRepository => t!(lang, "audit-detail-no-immutable"),
            Detail::ImmutableUnconfirmed => t!(lang, "audit-detail-immutable-unconfirmed"),
            Detail::ImmutableConfirmed { repository } => t!(
                lang,
                "audit-detail-immutable-confirmed",
                repository = repository.as_str()
            ),
            Detail::Drilled { age_ms, within_ms } => match age_ms {
                Some(age) => t!(
                    lang,
                    "audit-detail-drilled",
                    age = d(*age),
                    within = d(*within_ms)
                ),
                None => t!(lang, "audit-detail-never-drilled"),
            },
            Detail::NotVital => t!(lang, "audit-detail-not-vital"),
            Detail::NoSchedule => t!(lang, "audit-detail-no-schedule"),
            Detail::NoMtpd => t!(lang, "audit-detail-no-mtpd"),
            Detail::Mtpd {
                rto_ms,
                achieved_ms,
                mtpd_ms,
            } => match achieved_ms {
                Some(a) => t!(
                    lang,
                    "audit-detail-mtpd-achieved",
                    rto = d(*rto_ms),
                    achieved = d(*a),
                    mtpd = d(*mtpd_ms)
                ),
                None => t!(
                    lang,
                    "audit-detail-mtpd",
                    rto = d(*rto_ms),
                    mtpd = d(*mtpd_ms)
                ),
            },
            Detail::Alternates { count } => {
                t!(lang, "audit-detail-alternates", count = *count)
            }
            Detail::Reach {
                monitor,
                after_ms,
                rto_ms,
            } => match (monitor, after_ms) {
                (None, _) => t!(lang, "audit-detail-unwatched"),
                (Some(m), None) => {
                    t!(lang, "audit-detail-no-human", monitor = m.as_str())
                }
                (Some(m), Some(after)) => t!(
                    lang,
                    "audit-detail-reach",
                    monitor = m.as_str(),
                    after = d(*after),
                    rto = d(*rto_ms)
                ),
            },
            Detail::Chain {
                checked,
                head,
                broken_seq,
                age_ms,
            } => match broken_seq {
                Some(seq) => t!(lang, "audit-detail-chain-broken", seq = *seq),
                None => t!(
                    lang,
                    "audit-detail-chain",
                    checked = *checked,
                    head = *head,
                    age = d(*age_ms)
                ),
            },
            Detail::ChainUnverified => t!(lang, "audit-detail-chain-unverified"),
        }
    }
}

fn yes_no(lang: Lang, b: bool) -> String {
    if b {
        t!(lang, "audit-yes")
    } else {
        t!(lang, "audit-no")
    }
}

/// One rule applied to one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    /// The plan element it is about (`""` for the tenant as a whole).
    pub subject: String,
    pub severity: Severity,
    pub verdict: Verdict,
    pub detail: Detail,
    /// The records that decided it (none: the plan alone decided).
    pub evidence: Vec<Cited>,
    /// Failing again after a past audit saw it pass.
    pub regression: bool,
}

impl Finding {
    /// `rule:subject`, how past audits remember it.
    pub fn key(&self) -> String {
        format!("{}:{}", self.rule.id(), self.subject)
    }

    /// A high finding that stands: `rempart audit` exits 1.
    pub fn blocking(&self) -> bool {
        self.verdict == Verdict::Fail && self.severity == Severity::High
    }
}

/// Everything the audit reads.
pub struct Inputs<'a> {
    pub plan: &'a Plan,
    /// The tenant's records, any order (the assessment's look-back).
    pub records: &'a [Evidence],
    pub assessment: &'a Assessment,
    /// Each monitor's current health (absent: never checked).
    pub monitors: &'a BTreeMap<String, Health>,
    pub now_ms: i64,
}

/// The audit's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    pub now_ms: i64,
    pub findings: Vec<Finding>,
    pub risks: Vec<RiskScore>,
}

impl Audit {
    /// A high finding stands.
    pub fn blocking(&self) -> bool {
        self.findings.iter().any(Finding::blocking)
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        self.findings
            .iter()
            .filter(|f| f.verdict == verdict)
            .count()
    }

    /// What an `audit` evidence record keeps, for later regressions.
    pub fn measurements(&self) -> Value {
        let keys = |v: Verdict| -> Vec<String> {
            self.findings
                .iter()
                .filter(|f| f.verdict == v)
                .map(Finding::key)
                .collect()
        };
        json!({
            "passing": keys(Verdict::Pass),
            "failing": keys(Verdict::Fail),
            "high": self.findings.iter().filter(|f| f.blocking()).count(),
            "regressions": self.findings.iter().filter(|f| f.regression).map(Finding::key).collect::<Vec<_>>(),
        })
    }
}

/// The facts the rules read, drawn once from the records.
struct Facts<'a> {
    /// (backup, repository) → its latest successful backup or copy there.
    written: BTreeMap<(String, String), &'a Evidence>,
    /// Repository → its latest verification (or repair).
    checked: BTreeMap<String, &'a Evidence>,
    /// Repository → its latest successful verification.
    checked_ok: BTreeMap<String, &'a Evidence>,
    /// Scenario → its drills, oldest first.
    drills: BTreeMap<String, Vec<(&'a Evidence, DrillRun)>>,
    /// The latest verification of the evidence log itself.
    chain_check: Option<&'a Evidence>,
}

fn repository_of(e: &Evidence) -> String {
    let named = match e.record.kind {
        EvidenceKind::Verify => Verification::read(&e.record).map(|v| v.repository),
        _ => e
            .record
            .measurements
            .get("repository")
            .and_then(Value::as_str)
            .map(str::to_owned),
    };
    named
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| e.record.subject.clone())
}

fn facts(records: &[Evidence]) -> Facts<'_> {
    let mut sorted: Vec<&Evidence> = records.iter().collect();
    sorted.sort_by_key(|e| (e.record.finished_ms, e.seq));
    let mut f = Facts {
        written: BTreeMap::new(),
        checked: BTreeMap::new(),
        checked_ok: BTreeMap::new(),
        drills: BTreeMap::new(),
        chain_check: None,
    };
    for e in sorted {
        let ok = e.record.outcome == Outcome::Success;
        match e.record.kind {
            EvidenceKind::Backup | EvidenceKind::Copy if ok => {
                if let Some(run) = SiteRun::read(&e.record) {
                    f.written
                        .insert((e.record.subject.clone(), run.repository), e);
                }
            }
            EvidenceKind::Verify if e.record.subject == EVIDENCE_LOG => {
                f.chain_check = Some(e);
            }
            EvidenceKind::Verify | EvidenceKind::Repair => {
                let repo = repository_of(e);
                if ok {
                    f.checked_ok.insert(repo.clone(), e);
                }
                f.checked.insert(repo, e);
            }
            EvidenceKind::Drill => {
                if let Some(d) = DrillRun::from_evidence(&e.record) {
                    f.drills.entry(d.scenario.clone()).or_default().push((e, d));
                }
            }
            _ => {}
        }
    }
    f
}

fn ms(d: crate::plan::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The processes that need `backup` (through their dependencies).
fn protected_processes<'p>(plan: &'p Plan, backup: &crate::plan::Backup) -> Vec<&'p Process> {
    plan.processes
        .iter()
        .filter(|p| {
            let deps = crate::assessment::dependencies(plan, p);
            backup.protects.iter().any(|a| deps.contains(a.as_str()))
        })
        .collect()
}

fn severity_for(processes: &[&Process]) -> Severity {
    if processes
        .iter()
        .any(|p| p.criticality == Criticality::Vital)
    {
        Severity::High
    } else {
        Severity::Medium
    }
}

fn verdict(pass: bool) -> Verdict {
    if pass { Verdict::Pass } else { Verdict::Fail }
}

/// Runs every rule. `history` is the tenant's past `audit` records, any
/// order: a failing finding that a past audit saw fail and a later one
/// saw pass is a regression.
pub fn audit(inputs: &Inputs<'_>, history: &[Evidence]) -> Audit {
    let Inputs {
        plan,
        records,
        assessment,
        monitors,
        now_ms,
    } = *inputs;
    let f = facts(records);
    let mut findings = Vec::new();
    let mut push = |rule: Rule, subject: &str, severity, verdict, detail, evidence| {
        findings.push(Finding {
            rule,
            subject: subject.to_owned(),
            severity,
            verdict,
            detail,
            evidence,
            regression: false,
        });
    };

    for b in &plan.backups {
        let id = b.id.as_str();
        let processes = protected_processes(plan, b);
        let severity = severity_for(&processes);
        let written: Vec<Cited> = b
            .targets
            .iter()
            .filter_map(|t| f.written.get(&(id.to_owned(), t.to_string())))
            .map(|e| Cited::of(e))
            .collect();
        let verified: Vec<Cited> = b
            .targets
            .iter()
            .filter_map(|t| f.checked.get(t.as_str()))
            .map(|e| Cited::of(e))
            .collect();

        // 3-2-1-1-0, as the assessment counts it.
        if let Some(rule) = assessment.backups.iter().find(|r| r.backup == id) {
            let mut cited = written.clone();
            cited.extend(verified.iter().cloned());
            push(
                Rule::Backup32110,
                id,
                severity,
                verdict(rule.holds),
                Detail::Counts {
                    copies: rule.copies,
                    sites: rule.sites,
                    offsite: rule.offsite,
                    immutable: rule.immutable,
                    errors: rule.errors.len(),
                },
                cited,
            );
        }

        // Restored from off-site by a passing drill.
        let home: BTreeSet<&str> = plan
            .assets
            .iter()
            .filter(|a| b.protects.contains(&a.id))
            .filter_map(|a| a.site.as_ref().map(|s| s.as_str()))
            .collect();
        let offsite = |site: &str| {
            if home.is_empty() {
                plan.sites
                    .iter()
                    .any(|s| s.id.as_str() == site && s.kind != SiteKind::Primary)
            } else {
                !home.contains(site)
            }
        };
        let mut best: Option<(&Evidence, String, bool)> = None;
        for runs in f.drills.values() {
            for (e, d) in runs {
                if !d.passed {
                    continue;
                }
                let m = crate::evidence::measure::DrillRun::read(&e.record).unwrap_or_default();
                for r in m.restored.iter().filter(|r| r.backup == id) {
                    let away = offsite(&r.site);
                    let better = match &best {
                        None => true,
                        Some((be, _, bo)) => {
                            (away && !bo)
                                || (away == *bo && e.record.finished_ms > be.record.finished_ms)
                        }
                    };
                    if better {
                        best = Some((e, r.site.clone(), away));
                    }
                }
            }
        }
        match best {
            Some((e, site, away)) => push(
                Rule::RestoreFromOffsite,
                id,
                severity,
                verdict(away),
                Detail::RestoredFrom {
                    site,
                    offsite: away,
                },
                vec![Cited::of(e)],
            ),
            None => push(
                Rule::RestoreFromOffsite,
                id,
                severity,
                Verdict::Fail,
                Detail::NeverRestored,
                vec![],
            ),
        }

        // Each target verified within its period.
        for t in &b.targets {
            let Some(repo) = plan.repositories.iter().find(|r| r.id == *t) else {
                continue;
            };
            let within_ms = repo
                .verify_within
                .map(ms)
                .unwrap_or(DEFAULT_VERIFY_WITHIN_MS);
            let last = f.checked_ok.get(t.as_str());
            let age_ms = last.map(|e| (now_ms - e.record.finished_ms).max(0));
            push(
                Rule::VerifiedWithinPeriod,
                &format!("{id}/{t}"),
                Severity::Medium,
                verdict(age_ms.is_some_and(|a| a <= within_ms)),
                Detail::Verified {
                    repository: t.to_string(),
                    age_ms,
                    within_ms,
                },
                last.map(|e| vec![Cited::of(e)]).unwrap_or_default(),
            );
        }

        // An immutable copy the storage confirmed.
        let immutable: Vec<_> = plan
            .repositories
            .iter()
            .filter(|r| b.targets.contains(&r.id) && r.immutable)
            .collect();
        let confirmed = immutable.iter().find_map(|r| {
            f.checked_ok
                .get(r.id.as_str())
                .filter(|e| {
                    Verification::read(&e.record)
                        .and_then(|v| v.immutable)
                        .is_some_and(|i| !i.is_null())
                })
                .map(|e| (r.id.to_string(), *e))
        });
        let (v, detail, cited) = match (immutable.is_empty(), confirmed) {
            (true, _) => (Verdict::Fail, Detail::NoImmutableRepository, vec![]),
            (false, None) => (Verdict::Fail, Detail::ImmutableUnconfirmed, vec![]),
            (false, Some((repository, e))) => (
                Verdict::Pass,
                Detail::ImmutableConfirmed { repository },
                vec![Cited::of(e)],
            ),
        };
        push(Rule::ImmutableCopy, id, severity, v, detail, cited);
    }

    for p in &plan.processes {
        let id = p.id.as_str();
        let vital = p.criticality == Criticality::Vital;
        let severity = if vital {
            Severity::High
        } else {
            Severity::Medium
        };
        let rto_ms = ms(p.rto);
        let rpo_ms = ms(p.rpo);
        let scenarios: Vec<&str> = plan
            .scenarios
            .iter()
            .filter(|s| s.process == p.id)
            .map(|s| s.id.as_str())
            .collect();
        let newest_pass = scenarios
            .iter()
            .filter_map(|s| f.drills.get(*s))
            .flatten()
            .filter(|(_, d)| d.passed)
            .max_by_key(|(e, _)| e.record.finished_ms);

        // RPO achievable with the backups' schedules.
        let deps = crate::assessment::dependencies(plan, p);
        let backups: Vec<_> = plan
            .backups
            .iter()
            .filter(|b| b.protects.iter().any(|a| deps.contains(a.as_str())))
            .collect();
        let worst = backups
            .iter()
            .filter_map(|b| b.schedule.longest_gap().map(|g| (ms(g), b.id.to_string())))
            .max();
        match worst {
            None => push(
                Rule::RpoAchievable,
                id,
                severity,
                Verdict::Fail,
                Detail::NoBackup,
                vec![],
            ),
            Some((gap_ms, backup)) => push(
                Rule::RpoAchievable,
                id,
                severity,
                verdict(gap_ms <= rpo_ms),
                Detail::Schedule {
                    backup,
                    gap_ms,
                    rpo_ms,
                },
                vec![],
            ),
        }

        // A vital process drilled within 12 months.
        let age_ms = newest_pass.map(|(e, _)| (now_ms - e.record.finished_ms).max(0));
        push(
            Rule::VitalDrilledYearly,
            id,
            Severity::High,
            if vital {
                verdict(age_ms.is_some_and(|a| a <= YEARLY_MS))
            } else {
                Verdict::NotApplicable
            },
            if vital {
                Detail::Drilled {
                    age_ms,
                    within_ms: YEARLY_MS,
                }
            } else {
                Detail::NotVital
            },
            newest_pass
                .map(|(e, _)| vec![Cited::of(e)])
                .unwrap_or_default(),
        );

        // RTO within the MTPD, declared and achieved.
        match p.mtpd {
            None => push(
                Rule::RtoWithinMtpd,
                id,
                severity,
                Verdict::NotApplicable,
                Detail::NoMtpd,
                vec![],
            ),
            Some(mtpd) => {
                let mtpd_ms = ms(mtpd);
                let achieved_ms = newest_pass.and_then(|(_, d)| d.rto_ms);
                push(
                    Rule::RtoWithinMtpd,
                    id,
                    severity,
                    verdict(rto_ms <= mtpd_ms && achieved_ms.is_none_or(|a| a <= mtpd_ms)),
                    Detail::Mtpd {
                        rto_ms,
                        achieved_ms,
                        mtpd_ms,
                    },
                    newest_pass
                        .filter(|(_, d)| d.rto_ms.is_some())
                        .map(|(e, _)| vec![Cited::of(e)])
                        .unwrap_or_default(),
                );
            }
        }

        // An alert about the process reaches a person within its RTO.
        let (monitor, after_ms) = fastest_reach(plan, &deps);
        let applies = vital || monitor.is_some();
        push(
            Rule::EscalationReachesHuman,
            id,
            severity,
            if applies {
                verdict(after_ms.is_some_and(|a| a <= rto_ms))
            } else {
                Verdict::NotApplicable
            },
            Detail::Reach {
                monitor,
                after_ms,
                rto_ms,
            },
            vec![],
        );
    }

    // Each scheduled scenario passed within its schedule.
    for s in &plan.scenarios {
        let vital = plan
            .processes
            .iter()
            .any(|p| p.id == s.process && p.criticality == Criticality::Vital);
        let severity = if vital {
            Severity::High
        } else {
            Severity::Medium
        };
        let every = s.drill.as_ref().and_then(|d| d.longest_gap()).map(ms);
        let newest = f
            .drills
            .get(s.id.as_str())
            .and_then(|runs| runs.iter().rev().find(|(_, d)| d.passed));
        match every {
            None => push(
                Rule::DrillOnSchedule,
                s.id.as_str(),
                severity,
                Verdict::NotApplicable,
                Detail::NoSchedule,
                vec![],
            ),
            Some(within_ms) => {
                let age_ms = newest.map(|(e, _)| (now_ms - e.record.finished_ms).max(0));
                push(
                    Rule::DrillOnSchedule,
                    s.id.as_str(),
                    severity,
                    verdict(age_ms.is_some_and(|a| a <= within_ms)),
                    Detail::Drilled { age_ms, within_ms },
                    newest.map(|(e, _)| vec![Cited::of(e)]).unwrap_or_default(),
                );
            }
        }
    }

    // Every crisis role (the cell's, else every contact with a role) has
    // an alternate.
    let roles = crate::crisis::cell_roles(plan);
    for c in plan
        .contacts
        .iter()
        .filter(|c| roles.iter().any(|r| r == c.id.as_str()))
    {
        push(
            Rule::RoleHasAlternate,
            c.id.as_str(),
            Severity::Medium,
            verdict(!c.alternates.is_empty()),
            Detail::Alternates {
                count: c.alternates.len(),
            },
            vec![],
        );
    }

    // The evidence log verified, recently, and intact.
    match f.chain_check {
        None => push(
            Rule::EvidenceChainIntact,
            "",
            Severity::High,
            Verdict::Fail,
            Detail::ChainUnverified,
            vec![],
        ),
        Some(e) => {
            let m = &e.record.measurements;
            let broken_seq = m.get("broken_seq").and_then(Value::as_i64);
            let age_ms = (now_ms - e.record.finished_ms).max(0);
            push(
                Rule::EvidenceChainIntact,
                "",
                Severity::High,
                verdict(
                    e.record.outcome == Outcome::Success
                        && broken_seq.is_none()
                        && age_ms <= CHAIN_VERIFIED_WITHIN_MS,
                ),
                Detail::Chain {
                    checked: m
                        .get("records_checked")
                        .and_then(Value::as_u64)
                        .unwrap_or(0),
                    head: m.get("head").and_then(Value::as_i64).unwrap_or(0),
                    broken_seq,
                    age_ms,
                },
                vec![Cited::of(e)],
            );
        }
    }

    mark_regressions(&mut findings, history);
    findings.sort_by(|a, b| (a.rule, &a.subject).cmp(&(b.rule, &b.subject)));
    Audit {
        now_ms,
        risks: risks(plan, records, assessment, monitors, now_ms),
        findings,
    }
}

/// The monitor watching one of `deps` whose escalation reaches a person
/// first, and how long after the alert (`None`: none reaches anyone).
fn fastest_reach(plan: &Plan, deps: &BTreeSet<String>) -> (Option<String>, Option<i64>) {
    let watching: Vec<_> = plan
        .monitors
        .iter()
        .filter(|m| m.asset.as_ref().is_some_and(|a| deps.contains(a.as_str())))
        .collect();
    let mut best: (Option<String>, Option<i64>) = (None, None);
    for m in watching {
        let policy = m.escalation.as_ref().map_or("default", |e| e.as_str());
        let reach = plan
            .escalations
            .iter()
            .find(|e| e.id.as_str() == policy)
            .and_then(|e| {
                e.steps
                    .iter()
                    .filter(|s| s.notify.iter().any(|n| reaches_person(plan, n.as_str())))
                    .map(|s| ms(s.after))
                    .min()
            });
        let better = match (best.1, reach) {
            (_, None) => best.0.is_none(),
            (None, Some(_)) => true,
            (Some(b), Some(r)) => r < b,
        };
        if better {
            best = (Some(m.id.to_string()), reach);
        }
    }
    best
}

/// A contact, or a channel that people read (every kind but webhooks,
/// which other programs read).
fn reaches_person(plan: &Plan, id: &str) -> bool {
    plan.contacts.iter().any(|c| c.id.as_str() == id)
        || plan
            .channels
            .iter()
            .any(|c| c.id().as_str() == id && c.kind() != "webhook")
}

/// How a mitigation stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MitigationHealth {
    Healthy,
    Failing,
    /// Never measured: it does not lower the risk.
    NotMeasured,
}

impl MitigationHealth {
    pub fn text(self, lang: Lang) -> String {
        match self {
            MitigationHealth::Healthy => t!(lang, "audit-mitigation-healthy"),
            MitigationHealth::Failing => t!(lang, "audit-mitigation-failing"),
            MitigationHealth::NotMeasured => t!(lang, "audit-mitigation-unmeasured"),
        }
    }
}

/// One mitigation of a risk and its health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mitigation {
    pub id: String,
    /// backup, scenario, monitor, repository or other.
    pub kind: &'static str,
    pub health: MitigationHealth,
}

/// A risk's score: declared (probability × impact) and residual (the
/// probability lowered by the mitigations that are healthy now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskScore {
    pub id: String,
    pub title: String,
    pub probability: u8,
    pub impact: u8,
    pub inherent: u8,
    pub residual_probability: u8,
    pub residual: u8,
    pub mitigations: Vec<Mitigation>,
}

impl RiskScore {
    /// `2×5 = 10`, as declared.
    pub fn declared_text(&self) -> String {
        format!("{}×{} = {}", self.probability, self.impact, self.inherent)
    }

    /// `1×5 = 5`, with the mitigations healthy now.
    pub fn residual_text(&self) -> String {
        format!(
            "{}×{} = {}",
            self.residual_probability, self.impact, self.residual
        )
    }

    /// `s3 (healthy), db (failing)` in `lang`.
    pub fn mitigations_text(&self, lang: Lang) -> String {
        self.mitigations
            .iter()
            .map(|m| format!("{} ({})", m.id, m.health.text(lang)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How grave a risk score (probability × impact) is: 1–4 low, 5–9
/// medium, 10 and more high.
pub fn score_level(score: u8) -> Severity {
    match score {
        0..=4 => Severity::Low,
        5..=9 => Severity::Medium,
        _ => Severity::High,
    }
}

/// Probability levels healthy mitigations take off, all of them healthy.
pub const MITIGATION_STEPS: u8 = 2;

/// The residual probability: each healthy mitigation takes its share of
/// [`MITIGATION_STEPS`] off (rounded down), never below 1; failing and
/// never-measured ones take nothing off.
pub fn residual_probability(probability: u8, healthy: usize, total: usize) -> u8 {
    if total == 0 {
        return probability;
    }
    let off = (usize::from(MITIGATION_STEPS) * healthy / total) as u8;
    probability.saturating_sub(off).max(1)
}

/// The risk register, scored now.
pub fn risks(
    plan: &Plan,
    records: &[Evidence],
    assessment: &Assessment,
    monitors: &BTreeMap<String, Health>,
    now_ms: i64,
) -> Vec<RiskScore> {
    let f = facts(records);
    plan.risks
        .iter()
        .map(|r| {
            let mitigations: Vec<Mitigation> = r
                .mitigated_by
                .iter()
                .map(|m| mitigation(plan, &f, assessment, monitors, m.as_str(), now_ms))
                .collect();
            let healthy = mitigations
                .iter()
                .filter(|m| m.health == MitigationHealth::Healthy)
                .count();
            let residual_probability =
                residual_probability(r.probability, healthy, mitigations.len());
            RiskScore {
                id: r.id.to_string(),
                title: r.title.clone(),
                probability: r.probability,
                impact: r.impact,
                inherent: r.probability * r.impact,
                residual_probability,
                residual: residual_probability * r.impact,
                mitigations,
            }
        })
        .collect()
}

fn mitigation(
    plan: &Plan,
    f: &Facts<'_>,
    assessment: &Assessment,
    monitors: &BTreeMap<String, Health>,
    id: &str,
    now_ms: i64,
) -> Mitigation {
    use MitigationHealth::{Failing, Healthy, NotMeasured};
    let (kind, health) = if let Some(b) = plan.backups.iter().find(|b| b.id.as_str() == id) {
        // Healthy: a restore point on every target, no error, and not
        // older than two runs of its schedule (one missed run is late, two stale).
        let rule = assessment.backups.iter().find(|r| r.backup == id);
        let gap = b.schedule.longest_gap().map(ms).unwrap_or(i64::MAX);
        let point = rule.and_then(|r| r.restore_point_ms);
        let health = match (rule, point) {
            (Some(r), Some(p)) => {
                let everywhere = r.copies > b.targets.len();
                if everywhere && r.errors.is_empty() && now_ms - p <= gap.saturating_mul(2) {
                    Healthy
                } else {
                    Failing
                }
            }
            _ if b
                .targets
                .iter()
                .any(|t| f.written.contains_key(&(id.to_owned(), t.to_string()))) =>
            {
                Failing
            }
            _ => NotMeasured,
        };
        ("backup", health)
    } else if let Some(s) = plan.scenarios.iter().find(|s| s.id.as_str() == id) {
        let runs = f.drills.get(id);
        let health = match runs.and_then(|r| r.last()) {
            None => NotMeasured,
            Some((e, d)) => {
                let within = s
                    .drill
                    .as_ref()
                    .and_then(|d| d.longest_gap())
                    .map(ms)
                    .unwrap_or(YEARLY_MS);
                if d.passed && now_ms - e.record.finished_ms <= within {
                    Healthy
                } else {
                    Failing
                }
            }
        };
        ("scenario", health)
    } else if plan.monitors.iter().any(|m| m.id.as_str() == id) {
        let health = match monitors.get(id) {
            Some(Health::Up) => Healthy,
            Some(_) => Failing,
            None => NotMeasured,
        };
        ("monitor", health)
    } else if plan.repositories.iter().any(|r| r.id.as_str() == id) {
        let health = match f.checked.get(id) {
            Some(e) if e.record.outcome == Outcome::Success => Healthy,
            Some(_) => Failing,
            None => NotMeasured,
        };
        ("repository", health)
    } else {
        ("other", NotMeasured)
    };
    Mitigation {
        id: id.to_owned(),
        kind,
        health,
    }
}

/// Marks the failing findings that past audits saw fixed.
fn mark_regressions(findings: &mut [Finding], history: &[Evidence]) {
    let mut past: Vec<&Evidence> = history
        .iter()
        .filter(|e| e.record.kind == EvidenceKind::Audit)
        .collect();
    past.sort_by_key(|e| e.seq);
    let list = |e: &Evidence, field: &str| -> BTreeSet<String> {
        e.record
            .measurements
            .get(field)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    // Key → its state after each past audit: failing (and whether that
    // failure came back after a fix), or passing (and whether it had failed).
    #[derive(Clone, Copy)]
    enum State {
        Failing { regression: bool },
        Passing { fixed: bool },
    }
    let mut seen: BTreeMap<String, State> = BTreeMap::new();
    for e in past {
        for k in list(e, "failing") {
            let next = match seen.get(&k) {
                Some(State::Passing { fixed: true }) => State::Failing { regression: true },
                Some(State::Failing { regression }) => State::Failing {
                    regression: *regression,
                },
                _ => State::Failing { regression: false },
            };
            seen.insert(k, next);
        }
        for k in list(e, "passing") {
            let next = match seen.get(&k) {
                Some(State::Failing { .. }) | Some(State::Passing { fixed: true }) => {
                    State::Passing { fixed: true }
                }
                _ => State::Passing { fixed: false },
            };
            seen.insert(k, next);
        }
    }
    for f in findings.iter_mut().filter(|f| f.verdict == Verdict::Fail) {
        f.regression = matches!(
            seen.get(&f.key()),
            Some(State::Passing { fixed: true } | State::Failing { regression: true })
        );
    }
}

#[cfg(test)]
mod tests;
