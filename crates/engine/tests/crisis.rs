//! Crisis mode on a test clock (`act` is given the time): the NIS2 and
//! GDPR deadlines reminded at half time, in their last tenth and when
//! overdue, once each, until the submission is recorded; an exercise's
//! injects delivered when due, marked as an exercise.

use rempart_core::crisis::{Clock, Event};
use rempart_core::plan::Plan;
use rempart_engine::crisis::{self, Declaration};
use rempart_store::{Location, Store, TenantScope};

const BASE: &str = include_str!("../../core/tests/plans/base.toml");
const H: i64 = 3_600_000;

const CELL: &str = r#"
[[contact]]
id = "lead"
name = "Lea Lead"
role = "Crisis lead"
email = "lead@example.com"
alternates = ["boss"]

[crisis]
cell = ["lead"]
answer_within = "1d"

[[exercise]]
id = "flood"
title = "Flood exercise"
processes = ["billing"]
injects = [{ after = "20m", text = "The basement is under water" }]
"#;

fn plan() -> Plan {
    let checked = rempart_core::plan::check(&format!("{BASE}{CELL}"));
    checked
        .valid_plan()
        .unwrap_or_else(|| panic!("{:?}", checked.findings))
        .clone()
}

async fn tenant(name: &str) -> (TenantScope, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("rempart-crisis-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&Location::DataDir(dir.clone())).await.unwrap();
    store
        .upsert_tenant("acme", "ACME", &rempart_store::ManagedBy::Api)
        .await
        .unwrap();
    (store.tenant("acme").await.unwrap(), dir)
}

/// The subjects queued so far, oldest first.
async fn subjects(t: &TenantScope) -> Vec<String> {
    let mut all: Vec<_> = t.notifications(1000).await.unwrap();
    all.sort_by_key(|n| n.id);
    all.into_iter().map(|n| n.subject).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regulatory_deadlines_are_reminded_until_submitted() {
    let (t, dir) = tenant("clocks").await;
    let plan = plan();
    let d = Declaration {
        title: "Ransomware".into(),
        severity: 1,
        processes: vec!["billing".into()],
        significant: true,
        personal_data: true,
        ..Declaration::default()
    };
    let (c, new) = crisis::declare(&t, &plan, &d, "cli:test").await.unwrap();
    assert!(new);
    let t0 = c.declared_ms;
    assert_eq!(subjects(&t).await, ["[CRISIS] Test SARL: Ransomware"]);
    // The lead answers: the cell holds.
    crisis::answer(&t, &plan, &c.id, "lead", true, "link:lead")
        .await
        .unwrap();

    // Nothing before half of the 24 h; the next action is planned then.
    assert_eq!(
        crisis::act(&t, &plan, &c.id, t0 + 12 * H - 1)
            .await
            .unwrap(),
        Some(t0 + 12 * H)
    );
    assert_eq!(subjects(&t).await.len(), 1);
    crisis::act(&t, &plan, &c.id, t0 + 12 * H).await.unwrap();
    let s = subjects(&t).await;
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[1], "[CRISIS] NIS2 early warning (24 h) — Ransomware");
    // Acting again at the same time sends nothing twice.
    crisis::act(&t, &plan, &c.id, t0 + 12 * H).await.unwrap();
    assert_eq!(subjects(&t).await.len(), 2);

    // Past the deadline: overdue, said once (not the levels skipped).
    crisis::act(&t, &plan, &c.id, t0 + 25 * H).await.unwrap();
    let s = subjects(&t).await;
    assert_eq!(s.len(), 3, "{s:?}");
    let all = t.notifications(10).await.unwrap();
    let overdue = all.iter().max_by_key(|n| n.id).unwrap();
    assert!(
        overdue.body["text"]
            .as_str()
            .unwrap()
            .contains("is overdue"),
        "{overdue:?}"
    );
    assert_eq!(overdue.channel, "contact:lead");

    // Submitted: its reminders stop; the 72 h ones go on.
    crisis::record(
        &t,
        &plan,
        "cli:test",
        Event::Submitted {
            clock: Clock::Nis2EarlyWarning,
            reference: Some("CERT-FR 1".into()),
        },
    )
    .await
    .unwrap();
    crisis::act(&t, &plan, &c.id, t0 + 36 * H).await.unwrap();
    let s = subjects(&t).await;
    assert_eq!(
        s[3..],
        [
            "[CRISIS] NIS2 incident notification (72 h) — Ransomware",
            "[CRISIS] GDPR breach notification (72 h) — Ransomware"
        ]
    );
    let c = crisis::load(&t, &c.id).await.unwrap().unwrap();
    assert!(c.submitted_at(Clock::Nis2EarlyWarning).is_some());
    let reminded: Vec<(Clock, u8)> = c.reminded.clone();
    assert_eq!(
        reminded,
        [
            (Clock::Nis2EarlyWarning, 1),
            (Clock::Nis2EarlyWarning, 3),
            (Clock::Nis2Notification, 1),
            (Clock::Gdpr, 1)
        ]
    );
    // Every reminder is in the verified evidence chain.
    assert_eq!(t.verify_evidence().await.unwrap().broken, None);
    crisis::close(&t, &plan, "cli:test").await.unwrap();
    assert_eq!(
        crisis::act(&t, &plan, &c.id, t0 + 70 * H).await.unwrap(),
        None
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exercise_inject_arrives_when_due_marked_as_an_exercise() {
    let (t, dir) = tenant("inject").await;
    let plan = plan();
    let d = Declaration {
        severity: 3,
        exercise: Some("flood".into()),
        ..Declaration::default()
    };
    let (c, _) = crisis::declare(&t, &plan, &d, "portal:x@example.com")
        .await
        .unwrap();
    assert_eq!(c.title, "Flood exercise");
    assert_eq!(c.processes, ["billing"]);
    let t0 = c.declared_ms;
    crisis::act(&t, &plan, &c.id, t0 + 20 * 60_000 - 1)
        .await
        .unwrap();
    assert_eq!(subjects(&t).await.len(), 1);
    crisis::act(&t, &plan, &c.id, t0 + 20 * 60_000)
        .await
        .unwrap();
    let all = t.notifications(10).await.unwrap();
    assert_eq!(all.len(), 2);
    for n in &all {
        assert!(
            n.subject.starts_with("[EXERCICE / EXERCISE] "),
            "{}",
            n.subject
        );
    }
    let inject = all.iter().max_by_key(|n| n.id).unwrap();
    assert!(
        inject.body["text"]
            .as_str()
            .unwrap()
            .contains("The basement is under water")
    );
    let c = crisis::load(&t, &c.id).await.unwrap().unwrap();
    assert_eq!(c.injected, [0]);
    // The leader sends one more, now: numbered after the plan's.
    let c = crisis::inject(&t, &plan, "A journalist calls", "portal:lead@example.com")
        .await
        .unwrap();
    assert_eq!(c.injected, [0, 1]);
    let all = t.notifications(10).await.unwrap();
    let last = all.iter().max_by_key(|n| n.id).unwrap();
    assert!(last.subject.starts_with("[EXERCICE / EXERCISE] "));
    assert!(
        last.body["text"]
            .as_str()
            .unwrap()
            .contains("A journalist calls")
    );
    crisis::close(&t, &plan, "cli:test").await.unwrap();
    // A real crisis takes no inject.
    let d = Declaration {
        title: "Real".into(),
        severity: 2,
        ..Declaration::default()
    };
    crisis::declare(&t, &plan, &d, "cli:test").await.unwrap();
    assert!(matches!(
        crisis::inject(&t, &plan, "x", "cli:test").await,
        Err(crisis::Refused::Invalid(_))
    ));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_past_half_a_vital_rto_proposes_a_crisis_once() {
    let (t, dir) = tenant("propose").await;
    let text = format!("{BASE}{CELL}").replace(
        "interval = \"1m\"\n",
        "interval = \"1m\"\nasset = \"app\"\n",
    );
    let plan = rempart_core::plan::check(&text)
        .valid_plan()
        .cloned()
        .expect("valid plan");
    let now = rempart_store::now_ms();
    // The web monitor (on the billing's app server) down for 1 h: billing's
    // RTO is 4 h, nothing yet.
    t.open_alert("web", "default", now - H, None).await.unwrap();
    assert!(crisis::propose(&t, &plan, now).await.unwrap().is_empty());
    // Down since 2 h 1 min: past half; the cell is asked, once.
    t.resolve_alert("web", now - H + 1).await.unwrap();
    t.open_alert("web", "default", now - 2 * H - 60_000, None)
        .await
        .unwrap();
    let p = crisis::propose(&t, &plan, now).await.unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].process, "billing");
    crisis::propose(&t, &plan, now + 60_000).await.unwrap();
    assert_eq!(subjects(&t).await, ["[CRISIS?] Test SARL: Billing is down"]);
    // Once declared, nothing more is proposed.
    let d = Declaration {
        title: "Billing is down".into(),
        severity: 2,
        processes: vec!["billing".into()],
        ..Declaration::default()
    };
    crisis::declare(&t, &plan, &d, "cli:test").await.unwrap();
    assert!(crisis::proposals(&t, &plan, now).await.unwrap().is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_acting_at_once_pass_a_silent_person_over_once() {
    let (t, dir) = tenant("hold").await;
    let plan = plan();
    let d = Declaration {
        title: "Fire".into(),
        severity: 1,
        ..Declaration::default()
    };
    let (c, _) = crisis::declare(&t, &plan, &d, "cli:test").await.unwrap();
    // The lead stays silent past the day `answer_within` gives.
    let later = c.declared_ms + 25 * H;
    let (a, b) = tokio::join!(
        crisis::act(&t, &plan, &c.id, later),
        crisis::act(&t, &plan, &c.id, later)
    );
    a.unwrap();
    b.unwrap();
    let c = crisis::load(&t, &c.id).await.unwrap().unwrap();
    let passed = c
        .records
        .iter()
        .filter(|r| matches!(r.event, Event::PassedOver { .. }))
        .count();
    assert_eq!(passed, 1, "{:#?}", c.records);
    assert_eq!(c.roles[0].holder.as_deref(), Some("boss"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_keeps_an_open_crisis_and_drops_a_closed_one_with_its_records() {
    let (t, dir) = tenant("prune").await;
    let plan = plan();
    let d = Declaration {
        title: "Long outage".into(),
        severity: 2,
        ..Declaration::default()
    };
    let (c, _) = crisis::declare(&t, &plan, &d, "cli:test").await.unwrap();
    crisis::record(
        &t,
        &plan,
        "cli:test",
        Event::Note {
            text: "still on it".into(),
            decision: false,
        },
    )
    .await
    .unwrap();
    // Everything older than an hour from now: the open crisis stays whole.
    let future = rempart_store::now_ms() + H;
    t.prune_evidence(future, "test").await.unwrap();
    let kept = crisis::current(&t).await.unwrap().expect("still open");
    assert_eq!(kept.id, c.id);
    assert_eq!(kept.records.len(), c.records.len() + 1);
    assert_eq!(t.verify_evidence().await.unwrap().broken, None);
    // Closed, then pruned: the crisis goes with its records.
    crisis::close(&t, &plan, "cli:test").await.unwrap();
    let removed = t.prune_evidence(future, "test").await.unwrap();
    assert!(removed > 0);
    assert!(t.crises(10).await.unwrap().is_empty());
    assert_eq!(t.verify_evidence().await.unwrap().broken, None);
    let _ = std::fs::remove_dir_all(dir);
}
