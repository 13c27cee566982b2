use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::plan::check;

const BASE: &str = include_str!("../../tests/plans/base.toml");
const H: i64 = 3_600_000;
const M: i64 = 60_000;
/// A fixed "now": 2026-11-29T12:00:00Z.
const NOW: i64 = 1_795_953_600_000;

fn plan(extra: &str) -> Plan {
    let text = format!("{BASE}\n{extra}");
    let checked = check(&text);
    checked
        .valid_plan()
        .unwrap_or_else(|| panic!("invalid plan: {:?}", checked.findings))
        .clone()
}

fn with_drill_schedule() -> Plan {
    let text = BASE.replace(
        "process = \"billing\"\nsteps",
        "process = \"billing\"\ndrill = \"every 7d\"\nsteps",
    );
    check(&text).valid_plan().expect("valid").clone()
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

/// A backup of "db" taken at `data` on both sites.
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

fn drill(run: &str, at: i64, ok: bool, rto: i64, rpo: i64) -> NewEvidence {
    let mut e = record(
        EvidenceKind::Drill,
        "restore-db",
        at,
        ok,
        json!({ "run": run, "rto_ms": rto, "rpo_ms": rpo, "restored": [{ "backup": "db" }] }),
    );
    e.started_ms = at - rto;
    e
}

fn billing(a: &Assessment) -> &ProcessAssessment {
    a.processes
        .iter()
        .find(|p| p.id == "billing")
        .expect("billing assessed")
}

#[test]
fn nothing_ran_yet_is_untested_and_says_why() {
    let a = assess(&plan(""), &[], NOW);
    let p = billing(&a);
    assert_eq!(p.status, Status::Untested);
    assert_eq!(
        p.reasons,
        [
            Reason::NeverBackedUp {
                backup: "db".into()
            },
            Reason::NoDrill
        ]
    );
    assert_eq!(p.rpo_exposure_ms, None);
    assert!(a.vital_failing());
    assert_eq!(
        p.reasons[0].text(Language::Fr),
        "la sauvegarde « db » n'a encore jamais tourné"
    );
}

#[test]
fn a_recent_backup_on_both_sites_and_a_fast_drill_are_compliant() {
    let mut ev = backed_up(NOW - 30 * M);
    ev.push(drill("restore-db-1", NOW - 2 * H, true, 20 * M, 5 * M));
    let a = assess(&plan(""), &ev, NOW);
    let p = billing(&a);
    assert_eq!(p.status, Status::Compliant, "{:?}", p.reasons);
    assert_eq!(p.rpo_exposure_ms, Some(30 * M));
    assert_eq!(p.restore_point_ms, Some(NOW - 30 * M));
    assert_eq!(p.achieved_rto_ms, Some(20 * M));
    assert_eq!(p.drill_age_ms, Some(2 * H));
    assert!(!a.vital_failing());
}

#[test]
fn a_restore_point_missing_on_one_site_does_not_count() {
    // The newest backup reached the NAS only; the one before is on both.
    let mut ev = backed_up(NOW - 2 * H);
    ev.push(record(
        EvidenceKind::Backup,
        "db",
        NOW - 5 * M,
        true,
        json!({ "repository": "nas", "data_time_ms": NOW - 6 * M }),
    ));
    ev.push(record(
        EvidenceKind::Copy,
        "db",
        NOW - 4 * M,
        false,
        json!({ "repository": "s3" }),
    ));
    ev.push(drill("r", NOW - H, true, 10 * M, M));
    let p = billing(&assess(&plan(""), &ev, NOW)).clone();
    assert_eq!(p.rpo_exposure_ms, Some(2 * H));
    assert_eq!(p.status, Status::Breached);
    assert_eq!(
        p.reasons,
        [Reason::RpoExceeded {
            backup: "db".into(),
            exposure_ms: 2 * H,
            target_ms: H
        }]
    );
    assert_eq!(
        p.reasons[0].text(Language::En),
        "newest restore point of \"db\" on all its sites is 2h old, past the RPO of 1h"
    );
}

#[test]
fn a_backup_that_only_failed_is_breached_naming_the_sites() {
    let ev = vec![record(
        EvidenceKind::Backup,
        "db",
        NOW - H,
        false,
        json!({}),
    )];
    let p = billing(&assess(&plan(""), &ev, NOW)).clone();
    assert_eq!(p.status, Status::Breached);
    assert_eq!(
        p.reasons[0],
        Reason::NoRestorePoint {
            backup: "db".into(),
            missing_on: vec!["nas".into(), "s3".into()]
        }
    );
}

#[test]
fn a_snapshot_named_damaged_by_the_latest_verify_is_not_a_restore_point_until_repaired() {
    let mut ev = backed_up(NOW - 3 * H);
    ev.extend(backed_up(NOW - 20 * M));
    ev.push(drill("r", NOW - H, true, 10 * M, M));
    ev.push(record(
        EvidenceKind::Verify,
        "s3",
        NOW - 10 * M,
        false,
        json!({
            "repository": "s3",
            "affected_snapshots": [{ "snapshot": "bb", "backup": "db", "time_ms": NOW - 20 * M }],
        }),
    ));
    let p = billing(&assess(&plan(""), &ev, NOW)).clone();
    assert_eq!(
        p.rpo_exposure_ms,
        Some(3 * H),
        "the damaged newest point is skipped"
    );
    assert_eq!(p.status, Status::Breached);
    let rule = &assess(&plan(""), &ev, NOW).backups[0];
    assert_eq!(rule.errors.len(), 1, "{rule:?}");
    // A repair that failed before its verification proves nothing.
    ev.push(record(
        EvidenceKind::Repair,
        "s3",
        NOW - 7 * M,
        false,
        json!({ "repository": "s3", "from": "nas" }),
    ));
    assert_eq!(
        billing(&assess(&plan(""), &ev, NOW)).rpo_exposure_ms,
        Some(3 * H)
    );
    // A repair whose verification afterwards is clean makes it count again.
    ev.push(record(
        EvidenceKind::Repair,
        "s3",
        NOW - 5 * M,
        true,
        json!({ "repository": "s3", "from": "nas", "after": { "repository": "s3", "read_data": "100%" } }),
    ));
    let p = billing(&assess(&plan(""), &ev, NOW)).clone();
    assert_eq!(p.rpo_exposure_ms, Some(20 * M));
    assert_eq!(p.status, Status::Compliant, "{:?}", p.reasons);
}

/// A verify of repository `repo` that read `share` and found `packs`
/// damaged, needed by the snapshot of `db` whose data time is `point`.
fn verified(repo: &str, at: i64, share: Option<&str>, packs: &[&str], point: i64) -> NewEvidence {
    let affected: Vec<Value> = if packs.is_empty() {
        Vec::new()
    } else {
        vec![json!({ "snapshot": "bb", "backup": "db", "time_ms": point })]
    };
    record(
        EvidenceKind::Verify,
        repo,
        at,
        packs.is_empty(),
        json!({
            "repository": repo, "read_data": share, "damaged_packs": packs,
            "affected_snapshots": affected,
            "errors": packs.iter().map(|p| format!("pack {p} damaged")).collect::<Vec<_>>(),
        }),
    )
}

#[test]
fn damage_found_in_one_slice_stays_until_that_slice_is_read_again() {
    // Pack 07000000…: number 7 in rustic's n/m subsets, so in slice 7/7, not 1/7.
    let pack = "07000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let point = NOW - 20 * M;
    let mut ev = backed_up(NOW - 3 * H);
    ev.extend(backed_up(point));
    ev.push(drill("r", NOW - H, true, 10 * M, M));
    ev.push(verified("s3", NOW - 15 * M, Some("7/7"), &[pack], point));
    let exposure = |ev: &[NewEvidence]| billing(&assess(&plan(""), ev, NOW)).rpo_exposure_ms;
    assert_eq!(exposure(&ev), Some(3 * H));
    // The next day's slice, another share of the packs, is clean: still damaged.
    ev.push(verified("s3", NOW - 12 * M, Some("1/7"), &[], point));
    assert_eq!(
        exposure(&ev),
        Some(3 * H),
        "a clean slice that did not read the pack"
    );
    // Nor does a check of the structure alone, or a random 10 %.
    ev.push(verified("s3", NOW - 11 * M, None, &[], point));
    ev.push(verified("s3", NOW - 10 * M, Some("10%"), &[], point));
    assert_eq!(exposure(&ev), Some(3 * H));
    // The slice holding the pack, read again intact: healed.
    ev.push(verified("s3", NOW - 8 * M, Some("7/7"), &[], point));
    assert_eq!(exposure(&ev), Some(20 * M));
    // Found again, then everything read intact: healed too.
    ev.push(verified("s3", NOW - 6 * M, Some("7/7"), &[pack], point));
    assert_eq!(exposure(&ev), Some(3 * H));
    ev.push(verified("s3", NOW - 4 * M, Some("100%"), &[], point));
    assert_eq!(exposure(&ev), Some(20 * M));
}

#[test]
fn drill_results_set_the_rto_status() {
    let base = backed_up(NOW - 10 * M);
    let case = |drills: Vec<NewEvidence>| {
        let mut ev = base.clone();
        ev.extend(drills);
        billing(&assess(&plan(""), &ev, NOW)).clone()
    };
    // Over the 4h RTO: breached.
    let p = case(vec![drill("slow", NOW - H, true, 5 * H, M)]);
    assert_eq!(p.status, Status::Breached);
    assert_eq!(
        p.reasons,
        [Reason::RtoExceeded {
            run: "slow".into(),
            achieved_ms: 5 * H,
            target_ms: 4 * H
        }]
    );
    // Over 80 % of it: at risk.
    let p = case(vec![drill("close", NOW - H, true, 3 * H + 30 * M, M)]);
    assert_eq!(p.status, Status::AtRisk);
    // Exactly 80 %: still compliant.
    let p = case(vec![drill("edge", NOW - H, true, 3 * H + 12 * M, M)]);
    assert_eq!(p.status, Status::Compliant, "{:?}", p.reasons);
    // Only failures: breached, with the failure.
    let p = case(vec![drill("bad", NOW - H, false, 10 * M, 0)]);
    assert_eq!(p.status, Status::Breached);
    assert_eq!(
        p.reasons,
        [Reason::NoPassingDrill {
            run: "bad".into(),
            failure: "it broke".into()
        }]
    );
    assert_eq!(p.achieved_rto_ms, None);
    // A pass then a failure: the pass's figure stands, at risk.
    let p = case(vec![
        drill("good", NOW - 3 * H, true, 10 * M, M),
        drill("bad", NOW - H, false, 10 * M, 0),
    ]);
    assert_eq!(p.status, Status::AtRisk);
    assert_eq!(p.achieved_rto_ms, Some(10 * M));
    assert_eq!(p.last_drill.as_ref().map(|d| d.run.as_str()), Some("bad"));
    // The drill restored data older than the RPO: breached.
    let p = case(vec![drill("stale", NOW - H, true, 10 * M, 2 * H)]);
    assert_eq!(p.status, Status::Breached);
    assert!(matches!(p.reasons[0], Reason::DrillRpoExceeded { .. }));
}

#[test]
fn drills_older_than_their_schedule_or_a_year_put_the_process_at_risk() {
    let mut ev = backed_up(NOW - 10 * M);
    ev.push(drill("old", NOW - 8 * 86_400_000, true, 10 * M, M));
    let p = billing(&assess(&with_drill_schedule(), &ev, NOW)).clone();
    assert_eq!(p.status, Status::AtRisk);
    assert_eq!(
        p.reasons,
        [Reason::DrillOverdue {
            scenario: "restore-db".into(),
            age_ms: 8 * 86_400_000,
            every_ms: 7 * 86_400_000
        }]
    );
    // Without a schedule, only the yearly rule for vital processes applies.
    let p = billing(&assess(&plan(""), &ev, NOW)).clone();
    assert_eq!(p.status, Status::Compliant);
    let mut ev = backed_up(NOW - 10 * M);
    ev.push(drill("ancient", NOW - 400 * 86_400_000, true, 10 * M, M));
    let p = billing(&assess(&plan(""), &ev, NOW)).clone();
    assert_eq!(p.reasons, [Reason::NoDrillThisYear]);
    assert_eq!(p.status, Status::AtRisk);
}

#[test]
fn the_3_2_1_1_0_rule_counts_intact_copies_sites_and_confirmed_immutability() {
    let mut ev = backed_up(NOW - 10 * M);
    let a = assess(&plan(""), &ev, NOW);
    let rule = &a.backups[0];
    assert_eq!(
        (rule.copies, rule.sites, rule.offsite, rule.immutable),
        (3, 2, true, false)
    );
    assert!(!rule.holds, "no immutable copy yet");
    // Declared immutable but not confirmed by a verify: still not.
    let text = BASE.replace(
        "password = { env = \"S3_PASSWORD\" }",
        "password = { env = \"S3_PASSWORD\" }\nimmutable = true",
    );
    let p = check(&text).valid_plan().expect("valid").clone();
    assert!(!assess(&p, &ev, NOW).backups[0].immutable);
    ev.push(record(
        EvidenceKind::Verify,
        "s3",
        NOW - M,
        true,
        json!({ "repository": "s3", "immutable": { "mode": "COMPLIANCE", "days": 1 } }),
    ));
    let rule = &assess(&p, &ev, NOW).backups[0];
    assert!(rule.immutable && rule.holds, "{rule:?}");
    // A failed drill restoring it is an error.
    ev.push(drill("bad", NOW, false, M, 0));
    let rule = &assess(&p, &ev, NOW).backups[0];
    assert!(!rule.holds);
    assert_eq!(rule.errors, ["drill bad: it broke"]);
}

#[test]
fn a_process_without_a_protecting_backup_is_untested() {
    let extra = r#"
[[process]]
id = "phones"
name = "Phones"
criticality = "secondary"
rto = "1d"
rpo = "1d"
"#;
    let a = assess(&plan(extra), &[], NOW);
    let p = a
        .processes
        .iter()
        .find(|p| p.id == "phones")
        .expect("phones");
    assert_eq!(p.reasons, [Reason::NoBackup, Reason::NoDrill]);
    assert_eq!(p.status, Status::Untested);
}

proptest! {
    /// The exposure is exactly now minus the newest restore point on both
    /// sites, whatever the order the records come in.
    #[test]
    fn exposure_is_now_minus_the_newest_common_point(
        ages in proptest::collection::vec(0i64..(30 * 86_400_000), 1..8),
        only_nas in proptest::collection::vec(0i64..(30 * 86_400_000), 0..4),
    ) {
        let mut ev: Vec<NewEvidence> = ages.iter().flat_map(|a| backed_up(NOW - a)).collect();
        for a in &only_nas {
            ev.push(record(EvidenceKind::Backup, "db", NOW - a + 1, true,
                json!({ "repository": "nas", "data_time_ms": NOW - a - 7 })));
        }
        ev.reverse();
        let p = billing(&assess(&plan(""), &ev, NOW)).clone();
        let newest = ages.iter().min().copied();
        prop_assert_eq!(p.rpo_exposure_ms, newest);
    }

    /// Tightening a target never makes a process look better.
    #[test]
    fn tighter_targets_never_improve_the_status(
        age in 0i64..(3 * H), rto in 0i64..(6 * H), rpo in 0i64..(3 * H),
        rpo_target_min in 1u64..240, tighter_by in 1u64..240,
    ) {
        let mut ev = backed_up(NOW - age);
        ev.push(drill("d", NOW - H, true, rto, rpo));
        let at = |minutes: u64| {
            let text = BASE
                .replace("rpo = \"1h\"", &format!("rpo = \"{minutes}m\""))
                .replace("schedule = \"every 1h\"", "schedule = \"every 1m\"");
            let checked = check(&text);
            let p = checked.valid_plan().unwrap_or_else(|| panic!("{:?}", checked.findings)).clone();
            billing(&assess(&p, &ev, NOW)).status
        };
        let loose = at(rpo_target_min + tighter_by);
        let tight = at(rpo_target_min);
        prop_assert!(tight >= loose, "{:?} then {:?}", loose, tight);
    }
}

proptest! {
    /// The RPO reasons follow the exposure exactly: past the target is
    /// breached, past 80 % of it at risk, else nothing — to the millisecond.
    #[test]
    fn rpo_thresholds_are_exact(target_min in 60u64..600, age in 0i64..(12 * H)) {
        let text = BASE
            .replace("rpo = \"1h\"", &format!("rpo = \"{target_min}m\""))
            .replace("schedule = \"every 1h\"", "schedule = \"every 1m\"")
            .replace("rto = \"4h\"", "rto = \"1d\"")
            .replace("mtpd = \"2d\"", "mtpd = \"3d\"");
        let checked = check(&text);
        let p = checked.valid_plan().unwrap_or_else(|| panic!("{:?}", checked.findings)).clone();
        let mut ev = backed_up(NOW - age);
        ev.push(drill("d", NOW - H, true, M, 0));
        let a = billing(&assess(&p, &ev, NOW)).clone();
        let target = i64::try_from(target_min).unwrap() * M;
        let expected = if age > target {
            vec![Reason::RpoExceeded { backup: "db".into(), exposure_ms: age, target_ms: target }]
        } else if age * 10 > target * 8 {
            vec![Reason::RpoNear { backup: "db".into(), exposure_ms: age, target_ms: target }]
        } else {
            vec![]
        };
        prop_assert_eq!(&a.reasons, &expected);
        prop_assert_eq!(a.status, expected.first().map_or(Status::Compliant, Reason::status));
    }

    /// A drill's age against its schedule: overdue exactly when older
    /// than the schedule's longest gap.
    #[test]
    fn drills_are_overdue_exactly_past_their_schedule(age in 0i64..(20 * 86_400_000)) {
        let mut ev = backed_up(NOW - 10 * M);
        ev.push(drill("d", NOW - age, true, M, 0));
        let a = billing(&assess(&with_drill_schedule(), &ev, NOW)).clone();
        let overdue = a.reasons.iter().any(|r| matches!(r, Reason::DrillOverdue { .. }));
        prop_assert_eq!(overdue, age > 7 * 86_400_000);
        prop_assert_eq!(a.drill_age_ms, Some(age));
    }
}
