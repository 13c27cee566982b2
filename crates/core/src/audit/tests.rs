//! Each rule with a passing and a failing case, regressions, and the risk
//! register's residual risk rising and falling with its mitigations.

use serde_json::json;

use super::*;
use crate::assessment::assess;
use crate::evidence::{EVIDENCE_LOG, NewEvidence};
use crate::plan::check;

const BASE: &str = include_str!("../../tests/plans/base.toml");
const M: i64 = 60_000;
const H: i64 = 60 * M;
const D: i64 = 24 * H;
/// 2026-11-29T12:00:00Z.
const NOW: i64 = 1_795_953_600_000;

fn plan_of(text: &str) -> Plan {
    let checked = check(text);
    checked
        .valid_plan()
        .unwrap_or_else(|| panic!("invalid plan: {:?}", checked.findings))
        .clone()
}

fn base() -> Plan {
    plan_of(BASE)
}

/// The base plan with `from` replaced by `to` (which must be there).
fn edited(edits: &[(&str, &str)]) -> Plan {
    let mut text = BASE.to_owned();
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?} not in the base plan");
        text = text.replacen(from, to, 1);
    }
    plan_of(&text)
}

/// Numbers records in the order given, from 1.
fn numbered(records: Vec<NewEvidence>) -> Vec<Evidence> {
    records
        .into_iter()
        .enumerate()
        .map(|(i, record)| Evidence {
            tenant: "t".into(),
            seq: i as i64 + 1,
            recorded_ms: record.finished_ms,
            record,
            prev_hash: String::new(),
            hash: String::new(),
        })
        .collect()
}

fn record(kind: EvidenceKind, subject: &str, at: i64, ok: bool, m: Value) -> NewEvidence {
    NewEvidence {
        kind,
        subject: subject.into(),
        started_ms: at - 1_000,
        finished_ms: at,
        outcome: if ok {
            Outcome::Success
        } else {
            Outcome::Failure
        },
        measurements: m,
        message: if ok { "ok".into() } else { "it broke".into() },
        job_run: None,
    }
}

fn backed_up(data: i64) -> Vec<NewEvidence> {
    vec![
        record(
            EvidenceKind::Backup,
            "db",
            data + 10_000,
            true,
            json!({ "repository": "nas", "data_time_ms": data, "snapshot": "aa" }),
        ),
        record(
            EvidenceKind::Copy,
            "db",
            data + 20_000,
            true,
            json!({ "repository": "s3", "data_time_ms": data, "snapshot": "bb" }),
        ),
    ]
}

fn verified(repo: &str, at: i64, ok: bool, immutable: bool) -> NewEvidence {
    let mut m = json!({ "repository": repo });
    if immutable {
        m["immutable"] = json!({ "mode": "COMPLIANCE", "days": 7 });
    }
    record(EvidenceKind::Verify, repo, at, ok, m)
}

fn drill(at: i64, ok: bool, rto: i64, site: &str) -> NewEvidence {
    let mut e = record(
        EvidenceKind::Drill,
        "restore-db",
        at,
        ok,
        json!({ "run": format!("restore-db-{at}"), "rto_ms": rto, "rpo_ms": M,
                "restored": [{ "backup": "db", "repository": "s3", "site": site }] }),
    );
    e.started_ms = at - rto;
    e
}

/// A verification of the evidence log at `at`, broken at `broken` or intact.
fn log_checked(at: i64, broken: Option<i64>) -> NewEvidence {
    record(
        EvidenceKind::Verify,
        EVIDENCE_LOG,
        at,
        broken.is_none(),
        json!({ "records_checked": 10, "head": 10, "broken_seq": broken }),
    )
}

fn run(plan: &Plan, records: Vec<NewEvidence>) -> Audit {
    run_with(plan, records, &BTreeMap::new(), &[])
}

fn run_with(
    plan: &Plan,
    records: Vec<NewEvidence>,
    monitors: &BTreeMap<String, Health>,
    history: &[Evidence],
) -> Audit {
    let plain: Vec<NewEvidence> = records.clone();
    let records = numbered(records);
    let assessment = assess(plan, &plain, NOW);
    audit(
        &Inputs {
            plan,
            records: &records,
            assessment: &assessment,
            monitors,
            now_ms: NOW,
        },
        history,
    )
}

fn finding<'a>(a: &'a Audit, rule: Rule, subject: &str) -> &'a Finding {
    a.findings
        .iter()
        .find(|f| f.rule == rule && f.subject == subject)
        .unwrap_or_else(|| panic!("no finding {}:{subject} in {:#?}", rule.id(), a.findings))
}

fn verdict_of(a: &Audit, rule: Rule, subject: &str) -> Verdict {
    finding(a, rule, subject).verdict
}

#[test]
fn the_3_2_1_1_0_and_immutable_rules_need_a_lock_the_storage_confirmed() {
    let mut ev = backed_up(NOW - 10 * M);
    let a = run(&base(), ev.clone());
    let f = finding(&a, Rule::Backup32110, "db");
    assert_eq!(f.verdict, Verdict::Fail);
    assert_eq!(f.severity, Severity::High, "db protects a vital process");
    assert_eq!(
        f.evidence.iter().map(|c| c.seq).collect::<Vec<_>>(),
        [1, 2],
        "the backup and the copy decided it"
    );
    assert_eq!(verdict_of(&a, Rule::ImmutableCopy, "db"), Verdict::Fail);
    assert_eq!(
        finding(&a, Rule::ImmutableCopy, "db").detail,
        Detail::NoImmutableRepository
    );

    let locked = edited(&[(
        "password = { env = \"S3_PASSWORD\" }",
        "password = { env = \"S3_PASSWORD\" }\nimmutable = true",
    )]);
    let a = run(&locked, ev.clone());
    assert_eq!(
        finding(&a, Rule::ImmutableCopy, "db").detail,
        Detail::ImmutableUnconfirmed
    );
    ev.push(verified("s3", NOW - M, true, true));
    let a = run(&locked, ev);
    assert_eq!(verdict_of(&a, Rule::Backup32110, "db"), Verdict::Pass);
    let f = finding(&a, Rule::ImmutableCopy, "db");
    assert_eq!(f.verdict, Verdict::Pass);
    assert_eq!(
        f.evidence[0].seq, 3,
        "the verification that confirmed the lock"
    );
}

#[test]
fn the_rpo_must_be_reachable_with_the_backup_schedule() {
    assert_eq!(
        verdict_of(&run(&base(), vec![]), Rule::RpoAchievable, "billing"),
        Verdict::Pass
    );
    // The plan check refuses such a plan; a plan stored before that
    // check existed is still audited.
    let mut slow = base();
    slow.backups[0].schedule = crate::plan::Schedule::parse("every 6h").expect("schedule");
    let a = run(&slow, vec![]);
    let f = finding(&a, Rule::RpoAchievable, "billing");
    assert_eq!(f.verdict, Verdict::Fail);
    assert_eq!(
        f.detail.text(Lang::En),
        "the backup “db” runs every 6h at worst, for an RPO of 1h"
    );
    assert!(f.detail.text(Lang::Fr).contains("PDMA"));
}

#[test]
fn a_restore_must_have_been_tested_from_the_offsite_copy() {
    let mut ev = backed_up(NOW - 10 * M);
    let a = run(&base(), ev.clone());
    assert_eq!(
        finding(&a, Rule::RestoreFromOffsite, "db").detail,
        Detail::NeverRestored
    );
    // From the office, where the data lives: not off-site.
    ev.push(drill(NOW - H, true, 10 * M, "office"));
    let a = run(&base(), ev.clone());
    assert_eq!(
        verdict_of(&a, Rule::RestoreFromOffsite, "db"),
        Verdict::Fail
    );
    // A failed drill from the cloud proves nothing.
    ev.push(drill(NOW - 50 * M, false, 10 * M, "cloud"));
    let a = run(&base(), ev.clone());
    assert_eq!(
        verdict_of(&a, Rule::RestoreFromOffsite, "db"),
        Verdict::Fail
    );
    ev.push(drill(NOW - 40 * M, true, 10 * M, "cloud"));
    let a = run(&base(), ev);
    let f = finding(&a, Rule::RestoreFromOffsite, "db");
    assert_eq!(f.verdict, Verdict::Pass);
    assert_eq!(f.evidence[0].seq, 5);
}

#[test]
fn each_target_must_be_verified_within_its_period() {
    let ev = vec![
        verified("nas", NOW - 2 * D, true, false),
        verified("s3", NOW - 40 * D, true, false),
    ];
    let a = run(&base(), ev.clone());
    assert_eq!(
        verdict_of(&a, Rule::VerifiedWithinPeriod, "db/nas"),
        Verdict::Pass
    );
    assert_eq!(
        verdict_of(&a, Rule::VerifiedWithinPeriod, "db/s3"),
        Verdict::Fail
    );
    // A failed verification does not count; a tighter period applies.
    let tight = edited(&[(
        "location = \"/srv/repo\"",
        "location = \"/srv/repo\"\nverify_within = \"1d\"",
    )]);
    let mut ev2 = ev;
    ev2.push(verified("s3", NOW - H, false, false));
    let a = run(&tight, ev2);
    assert_eq!(
        verdict_of(&a, Rule::VerifiedWithinPeriod, "db/nas"),
        Verdict::Fail
    );
    assert_eq!(
        verdict_of(&a, Rule::VerifiedWithinPeriod, "db/s3"),
        Verdict::Fail
    );
    assert_eq!(
        finding(&a, Rule::VerifiedWithinPeriod, "db/s3").evidence[0].seq,
        2,
        "the latest good verification is cited"
    );
}

#[test]
fn a_vital_process_needs_a_passing_drill_within_a_year() {
    let a = run(&base(), vec![drill(NOW - 400 * D, true, 10 * M, "cloud")]);
    assert_eq!(
        verdict_of(&a, Rule::VitalDrilledYearly, "billing"),
        Verdict::Fail
    );
    assert!(a.blocking(), "a high finding stands");
    let a = run(&base(), vec![drill(NOW - 100 * D, true, 10 * M, "cloud")]);
    assert_eq!(
        verdict_of(&a, Rule::VitalDrilledYearly, "billing"),
        Verdict::Pass
    );
    let not_vital = edited(&[("criticality = \"vital\"", "criticality = \"secondary\"")]);
    let a = run(&not_vital, vec![]);
    assert_eq!(
        verdict_of(&a, Rule::VitalDrilledYearly, "billing"),
        Verdict::NotApplicable
    );
}

#[test]
fn a_scheduled_scenario_must_pass_within_its_schedule() {
    let a = run(&base(), vec![]);
    assert_eq!(
        verdict_of(&a, Rule::DrillOnSchedule, "restore-db"),
        Verdict::NotApplicable
    );
    let weekly = edited(&[(
        "process = \"billing\"\nsteps",
        "process = \"billing\"\ndrill = \"every 7d\"\nsteps",
    )]);
    let a = run(&weekly, vec![drill(NOW - 8 * D, true, 10 * M, "cloud")]);
    assert_eq!(
        verdict_of(&a, Rule::DrillOnSchedule, "restore-db"),
        Verdict::Fail
    );
    let a = run(&weekly, vec![drill(NOW - D, true, 10 * M, "cloud")]);
    assert_eq!(
        verdict_of(&a, Rule::DrillOnSchedule, "restore-db"),
        Verdict::Pass
    );
}

#[test]
fn the_rto_declared_and_achieved_must_stay_within_the_mtpd() {
    let a = run(&base(), vec![]);
    let f = finding(&a, Rule::RtoWithinMtpd, "billing");
    assert_eq!(f.verdict, Verdict::Pass);
    assert!(f.detail.text(Lang::En).contains("not measured yet"));
    let a = run(&base(), vec![drill(NOW - H, true, 3 * D, "cloud")]);
    let f = finding(&a, Rule::RtoWithinMtpd, "billing");
    assert_eq!(f.verdict, Verdict::Fail);
    assert_eq!(f.evidence[0].seq, 1);
    let mut too_long = base();
    too_long.processes[0].mtpd = Some(crate::plan::Duration::from_secs(2 * 3600));
    assert_eq!(
        verdict_of(&run(&too_long, vec![]), Rule::RtoWithinMtpd, "billing"),
        Verdict::Fail
    );
}

#[test]
fn every_crisis_role_needs_an_alternate() {
    let text = format!(
        "{BASE}\n[[contact]]\nid = \"it\"\nname = \"IT\"\nrole = \"IT on call\"\n\n\
         [[contact]]\nid = \"lead\"\nname = \"Lead\"\nrole = \"Crisis lead\"\nalternates = [\"it\"]\n"
    );
    let a = run(&plan_of(&text), vec![]);
    assert_eq!(verdict_of(&a, Rule::RoleHasAlternate, "it"), Verdict::Fail);
    assert_eq!(
        verdict_of(&a, Rule::RoleHasAlternate, "lead"),
        Verdict::Pass
    );
    assert!(
        !a.findings
            .iter()
            .any(|f| f.rule == Rule::RoleHasAlternate && f.subject == "boss"),
        "a contact without a role is not a crisis role"
    );
}

#[test]
fn an_alert_about_a_vital_process_must_reach_a_person_within_its_rto() {
    // The monitor watches no asset of the process.
    let a = run(&base(), vec![]);
    let f = finding(&a, Rule::EscalationReachesHuman, "billing");
    assert_eq!(
        (f.verdict, &f.detail),
        (
            Verdict::Fail,
            &Detail::Reach {
                monitor: None,
                after_ms: None,
                rto_ms: 4 * H
            }
        )
    );
    let watched = edited(&[("interval = \"1m\"", "interval = \"1m\"\nasset = \"app\"")]);
    assert_eq!(
        verdict_of(
            &run(&watched, vec![]),
            Rule::EscalationReachesHuman,
            "billing"
        ),
        Verdict::Pass
    );
    // Only a webhook, then a person after 5 h: past the 4 h RTO.
    let late = edited(&[
        ("interval = \"1m\"", "interval = \"1m\"\nasset = \"app\""),
        (
            "steps = [{ notify = [\"mail\"] }]",
            "steps = [{ notify = [\"hook\"] }, { notify = [\"boss\"], after = \"5h\" }]\n\n\
             [[channel]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"https://hooks.example.com/x\"",
        ),
    ]);
    let a = run(&late, vec![]);
    let f = finding(&a, Rule::EscalationReachesHuman, "billing");
    assert_eq!(f.verdict, Verdict::Fail);
    assert_eq!(
        f.detail.text(Lang::En),
        "through “web”, a person is notified 5h after the alert (RTO 4h)"
    );
}

#[test]
fn the_evidence_chain_must_have_been_verified_intact_and_recently() {
    let f = |records: Vec<NewEvidence>| {
        let a = run(&base(), records);
        finding(&a, Rule::EvidenceChainIntact, "").clone()
    };
    let never = f(vec![]);
    assert_eq!(never.verdict, Verdict::Fail);
    assert_eq!(never.detail, Detail::ChainUnverified);
    assert!(never.blocking());
    let broken = f(vec![log_checked(NOW - H, Some(7))]);
    assert_eq!(broken.verdict, Verdict::Fail);
    assert_eq!(
        broken.detail.text(Lang::Fr),
        "la chaîne est rompue à la preuve n° 7"
    );
    assert_eq!(broken.evidence[0].seq, 1, "the verification is cited");
    let stale = f(vec![log_checked(NOW - 3 * D, None)]);
    assert_eq!(stale.verdict, Verdict::Fail, "three days old");
    let fresh = f(vec![
        log_checked(NOW - 3 * D, Some(7)),
        log_checked(NOW - H, None),
    ]);
    assert_eq!(fresh.verdict, Verdict::Pass);
    assert_eq!(fresh.evidence[0].seq, 2);
    assert_eq!(
        fresh.detail.text(Lang::En),
        "10 records verified intact up to #10, 1h ago"
    );
}

#[test]
fn a_finding_that_comes_back_after_a_fix_is_a_regression() {
    let past = |failing: &[&str], passing: &[&str]| {
        record(
            EvidenceKind::Audit,
            "audit",
            NOW - D,
            true,
            json!({ "failing": failing, "passing": passing }),
        )
    };
    let key = "evidence-chain-intact:";
    let audit_with = |history: Vec<NewEvidence>| {
        run_with(
            &base(),
            vec![log_checked(NOW - H, Some(7))],
            &BTreeMap::new(),
            &numbered(history),
        )
    };
    let f = |a: &Audit| finding(a, Rule::EvidenceChainIntact, "").regression;
    assert!(!f(&audit_with(vec![])), "first failure");
    assert!(!f(&audit_with(vec![past(&[key], &[])])), "still failing");
    assert!(
        !f(&audit_with(vec![past(&[], &[key])])),
        "never failed before"
    );
    assert!(f(&audit_with(vec![past(&[key], &[]), past(&[], &[key])])));
    assert!(
        f(&audit_with(vec![
            past(&[key], &[]),
            past(&[], &[key]),
            past(&[key], &[])
        ])),
        "it stays a regression until fixed again"
    );
    // What an audit keeps for the next one.
    let a = audit_with(vec![]);
    let kept = a.measurements();
    assert!(kept["failing"].as_array().unwrap().contains(&json!(key)));
    assert!(
        kept["passing"]
            .as_array()
            .unwrap()
            .contains(&json!("rpo-achievable:billing"))
    );
}

#[test]
fn residual_risk_rises_when_a_mitigation_fails_and_falls_when_it_heals() {
    // `fire` (2 × 5) is mitigated by the s3 repository.
    let score = |records: Vec<NewEvidence>| {
        let a = run(&base(), records);
        a.risks.into_iter().find(|r| r.id == "fire").expect("fire")
    };
    let r = score(vec![]);
    assert_eq!(
        (r.inherent, r.residual),
        (10, 10),
        "never measured: no credit"
    );
    assert_eq!(r.mitigations[0].health, MitigationHealth::NotMeasured);
    let r = score(vec![verified("s3", NOW - H, true, false)]);
    assert_eq!((r.residual_probability, r.residual), (1, 5));
    let r = score(vec![
        verified("s3", NOW - 2 * H, true, false),
        verified("s3", NOW - H, false, false),
    ]);
    assert_eq!(r.residual, 10, "the latest verification failed");
    assert_eq!(r.mitigations[0].health, MitigationHealth::Failing);
    let r = score(vec![
        verified("s3", NOW - 2 * H, false, false),
        verified("s3", NOW - H, true, false),
    ]);
    assert_eq!(r.residual, 5, "healthy again");

    // A monitor and a backup as mitigations.
    let text = BASE.replace(
        "mitigated_by = [\"s3\"]",
        "mitigated_by = [\"web\", \"db\"]",
    );
    let plan = plan_of(&text);
    let up: BTreeMap<String, Health> = [("web".to_owned(), Health::Up)].into();
    let down: BTreeMap<String, Health> = [("web".to_owned(), Health::Down)].into();
    let fire = |a: Audit| a.risks.into_iter().find(|r| r.id == "fire").expect("fire");
    let fresh = backed_up(NOW - 10 * M);
    let r = fire(run_with(&plan, fresh.clone(), &up, &[]));
    assert_eq!(r.residual, 5, "{:?}", r.mitigations);
    let r = fire(run_with(&plan, fresh, &down, &[]));
    assert_eq!(
        (r.residual_probability, r.residual),
        (1, 5),
        "one of two healthy: 1 step off"
    );
    let stale = backed_up(NOW - 3 * H);
    let r = fire(run_with(&plan, stale, &down, &[]));
    assert_eq!(r.residual, 10, "both failing: {:?}", r.mitigations);
}

#[test]
fn residual_probability_never_drops_below_one() {
    assert_eq!(residual_probability(5, 0, 0), 5);
    assert_eq!(residual_probability(5, 2, 2), 3);
    assert_eq!(residual_probability(5, 1, 2), 4);
    assert_eq!(residual_probability(1, 3, 3), 1);
    assert_eq!(residual_probability(2, 3, 3), 1);
}

#[test]
fn every_rule_has_clauses_and_words_in_both_languages() {
    for rule in Rule::ALL {
        assert!(!rule.clauses().is_empty(), "{}", rule.id());
        for lang in [Lang::En, Lang::Fr] {
            assert!(!rule.title(lang).starts_with("audit-"), "{}", rule.id());
            assert!(
                !rule.remediation(lang).starts_with("audit-"),
                "{}",
                rule.id()
            );
        }
        assert_ne!(rule.title(Lang::En), rule.title(Lang::Fr));
    }
    let mapped: BTreeSet<Rule> = frameworks(Lang::En)
        .into_iter()
        .flat_map(|(_, rules)| rules)
        .collect();
    assert!(mapped.contains(&Rule::Backup32110));
    assert!(mapped.contains(&Rule::RestoreFromOffsite));
}
