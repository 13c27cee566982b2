//! The call tree passing silent people over to their alternates, the
//! regulatory reminders, exercise injects, the checklist and the outcome.

use super::*;
use crate::plan::check;

const BASE: &str = include_str!("../../tests/plans/base.toml");
const M: i64 = 60_000;
const H: i64 = 60 * M;
/// 2026-11-29T12:00:00Z.
const T0: i64 = 1_795_953_600_000;

const CELL: &str = r#"
[[contact]]
id = "lead"
name = "Lead"
role = "Crisis lead"
email = "lead@example.com"
alternates = ["deputy", "boss"]

[[contact]]
id = "deputy"
name = "Deputy"
email = "deputy@example.com"

[[contact]]
id = "it"
name = "IT"
role = "IT on call"
phone = "+33 6 00 00 00 00"

[crisis]
cell = ["lead", "it"]
answer_within = "10m"

[[crisis_task]]
id = "isolate"
title = "Isolate the network"
owner = "it"
within = "30m"

[[crisis_message]]
id = "staff"
audience = "staff"
to = ["mail"]
subject = "[{organization}] {title}"
text = "Declared at {declared}: {processes}"

[[exercise]]
id = "ransom"
title = "Ransomware"
processes = ["billing"]
injects = [{ after = "20m", text = "The attacker asks for money" }]
"#;

fn plan() -> Plan {
    let text = format!("{BASE}{CELL}");
    let checked = check(&text);
    checked
        .valid_plan()
        .unwrap_or_else(|| panic!("invalid plan: {:?}", checked.findings))
        .clone()
}

fn rec(seq: i64, at_ms: i64, event: Event) -> Record {
    Record {
        seq,
        at_ms,
        by: "cli:test".into(),
        event,
    }
}

fn declared(significant: bool, personal: bool, exercise: Option<&str>) -> Record {
    rec(
        10,
        T0,
        Event::Declared {
            title: "Flood".into(),
            severity: 1,
            scenarios: vec![],
            processes: vec!["billing".into()],
            exercise: exercise.map(Into::into),
            significant,
            personal_data: personal,
        },
    )
}

fn called(seq: i64, at: i64, role: &str, contact: &str) -> Record {
    rec(
        seq,
        at,
        Event::Called {
            role: role.into(),
            contact: contact.into(),
        },
    )
}

#[test]
fn the_cell_is_called_in_order_and_a_silent_role_passes_to_its_alternates() {
    let plan = plan();
    assert_eq!(cell_roles(&plan), ["lead", "it"]);
    let c = Crisis::fold("c", vec![declared(false, false, None)]).unwrap();
    assert_eq!(
        due(&plan, &c, T0),
        [
            Due::Call {
                role: "lead".into(),
                contact: "lead".into()
            },
            Due::Call {
                role: "it".into(),
                contact: "it".into()
            }
        ]
    );
    let mut records = vec![
        declared(false, false, None),
        called(11, T0, "lead", "lead"),
        called(12, T0, "it", "it"),
    ];
    let c = Crisis::fold("c", records.clone()).unwrap();
    // Nothing before the answer delay; both are silent after it.
    assert!(due(&plan, &c, T0 + 10 * M - 1).is_empty());
    assert_eq!(next_due(&plan, &c, T0), Some(T0 + 10 * M));
    // "it" answers; "lead" stays silent and passes to "deputy".
    records.push(rec(
        13,
        T0 + 5 * M,
        Event::Answered {
            contact: "it".into(),
            available: true,
        },
    ));
    let c = Crisis::fold("c", records.clone()).unwrap();
    assert_eq!(
        due(&plan, &c, T0 + 10 * M),
        [Due::PassOver {
            role: "lead".into(),
            contact: "lead".into(),
            to: Some("deputy".into())
        }]
    );
    // "deputy" cannot: the next alternate of the role is "boss".
    records.push(called(14, T0 + 10 * M, "lead", "deputy"));
    records.push(rec(
        15,
        T0 + 11 * M,
        Event::Answered {
            contact: "deputy".into(),
            available: false,
        },
    ));
    let c = Crisis::fold("c", records.clone()).unwrap();
    assert_eq!(
        due(&plan, &c, T0 + 11 * M),
        [Due::PassOver {
            role: "lead".into(),
            contact: "deputy".into(),
            to: Some("boss".into())
        }]
    );
    // "boss" silent too: nobody is left, the role is missing.
    records.push(called(16, T0 + 11 * M, "lead", "boss"));
    let c = Crisis::fold("c", records.clone()).unwrap();
    assert_eq!(
        due(&plan, &c, T0 + 21 * M),
        [Due::PassOver {
            role: "lead".into(),
            contact: "boss".into(),
            to: None
        }]
    );
    records.push(rec(
        17,
        T0 + 21 * M,
        Event::PassedOver {
            role: "lead".into(),
            contact: "boss".into(),
            to: None,
        },
    ));
    let c = Crisis::fold("c", records).unwrap();
    assert!(c.roles[0].missing);
    assert_eq!(c.roles[0].tried, ["lead", "deputy", "boss"]);
    assert!(due(&plan, &c, T0 + 60 * M).is_empty());
    assert_eq!(c.reached(), ["boss", "it"]);
}

#[test]
fn regulatory_clocks_remind_at_half_time_the_last_tenth_and_the_deadline() {
    let plan = plan();
    let quiet = Crisis::fold("c", vec![declared(false, false, None)]).unwrap();
    assert!(quiet.clocks().is_empty());
    let mut records = vec![
        declared(true, true, None),
        called(11, T0, "lead", "lead"),
        called(12, T0, "it", "it"),
        rec(
            13,
            T0,
            Event::Answered {
                contact: "lead".into(),
                available: true,
            },
        ),
        rec(
            14,
            T0,
            Event::Answered {
                contact: "it".into(),
                available: true,
            },
        ),
    ];
    let c = Crisis::fold("c", records.clone()).unwrap();
    assert_eq!(
        c.clocks(),
        [
            Clock::Nis2EarlyWarning,
            Clock::Nis2Notification,
            Clock::Nis2FinalReport,
            Clock::Gdpr
        ]
    );
    assert_eq!(Clock::Nis2EarlyWarning.deadline(T0), T0 + 24 * H);
    // 2026-11-29 + 1 month = 2026-12-29.
    assert_eq!(Clock::Nis2FinalReport.deadline(T0), T0 + 30 * 24 * H);
    assert!(due(&plan, &c, T0 + 12 * H - 1).is_empty());
    assert_eq!(next_due(&plan, &c, T0 + H), Some(T0 + 12 * H));
    assert_eq!(
        due(&plan, &c, T0 + 12 * H),
        [Due::Remind {
            clock: Clock::Nis2EarlyWarning,
            level: 1
        }]
    );
    // A server down past the deadline sends only the highest level.
    let late = due(&plan, &c, T0 + 73 * H);
    assert!(late.contains(&Due::Remind {
        clock: Clock::Nis2EarlyWarning,
        level: 3
    }));
    assert!(late.contains(&Due::Remind {
        clock: Clock::Gdpr,
        level: 3
    }));
    // The final report's half-time is 15 days away.
    assert!(!late.iter().any(|d| matches!(
        d,
        Due::Remind {
            clock: Clock::Nis2FinalReport,
            ..
        }
    )));
    // Submitted: no more reminders for it.
    records.push(rec(
        20,
        T0 + 2 * H,
        Event::Submitted {
            clock: Clock::Nis2EarlyWarning,
            reference: Some("CERT-FR 123".into()),
        },
    ));
    records.push(rec(
        21,
        T0 + 36 * H,
        Event::Reminded {
            clock: Clock::Gdpr,
            level: 1,
        },
    ));
    let c = Crisis::fold("c", records).unwrap();
    let now = T0 + 73 * H;
    let d = due(&plan, &c, now);
    assert!(!d.iter().any(|d| matches!(
        d,
        Due::Remind {
            clock: Clock::Nis2EarlyWarning,
            ..
        }
    )));
    assert!(d.contains(&Due::Remind {
        clock: Clock::Gdpr,
        level: 3
    }));
    assert_eq!(c.submitted_at(Clock::Nis2EarlyWarning), Some(T0 + 2 * H));
}

#[test]
fn an_exercise_delivers_its_injects_and_scores_the_reactions() {
    let plan = plan();
    let mut records = vec![
        declared(false, false, Some("ransom")),
        called(11, T0, "lead", "lead"),
        rec(
            12,
            T0 + 3 * M,
            Event::Answered {
                contact: "lead".into(),
                available: true,
            },
        ),
        called(13, T0, "it", "it"),
        rec(
            14,
            T0 + M,
            Event::Answered {
                contact: "it".into(),
                available: true,
            },
        ),
    ];
    let c = Crisis::fold("c", records.clone()).unwrap();
    assert!(c.is_exercise());
    assert!(due(&plan, &c, T0 + 20 * M - 1).is_empty());
    assert_eq!(next_due(&plan, &c, T0 + 5 * M), Some(T0 + 20 * M));
    assert_eq!(due(&plan, &c, T0 + 20 * M), [Due::Inject { index: 0 }]);
    records.push(rec(
        15,
        T0 + 20 * M,
        Event::Injected {
            index: 0,
            text: "The attacker asks for money".into(),
        },
    ));
    let mut by_system = rec(
        16,
        T0 + 21 * M,
        Event::Reminded {
            clock: Clock::Gdpr,
            level: 1,
        },
    );
    by_system.by = "rempart".into();
    records.push(by_system);
    records.push(rec(
        17,
        T0 + 27 * M,
        Event::Note {
            text: "We do not pay".into(),
            decision: true,
        },
    ));
    let c = Crisis::fold("c", records).unwrap();
    assert!(due(&plan, &c, T0 + 60 * M).is_empty());
    let r = reactions(&c);
    assert_eq!(
        r.answers,
        [("lead".into(), Some(3 * M)), ("it".into(), Some(M))]
    );
    assert_eq!(r.injects, [(0, Some(7 * M))]);
}

#[test]
fn the_checklist_holds_the_plan_tasks_then_the_scenario_steps() {
    let plan = plan();
    let c = Crisis::fold("c", vec![declared(false, false, None)]).unwrap();
    let list = checklist(&plan, &c, &|s, i| {
        (s == "restore-db" && i == 1).then_some(42_000)
    });
    let keys: Vec<&str> = list.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, ["task:isolate", "restore-db#1", "restore-db#2"]);
    assert_eq!(list[0].owner.as_deref(), Some("it"));
    assert_eq!(list[0].within_ms, Some(30 * M));
    assert!(!list[0].runnable);
    // The step's owner is the process owner; its time the latest drill's.
    assert_eq!(list[1].owner.as_deref(), Some("boss"));
    assert_eq!(list[1].within_ms, Some(42_000));
    assert!(list[1].runnable && list[2].runnable);
}

#[test]
fn closing_measures_the_rto_from_the_first_alert_and_the_rpo_from_the_restore() {
    let plan = plan();
    let mut records = vec![declared(false, false, None)];
    records.push(rec(
        30,
        T0 + 3 * H,
        Event::Recovered {
            process: "billing".into(),
        },
    ));
    let c = Crisis::fold("c", records).unwrap();
    let out = outcome(&plan, &c, T0 + 5 * H, &|p| {
        assert_eq!(p, "billing");
        Measured {
            first_alert: Some((T0 - 30 * M, 7)),
            restored: vec![(T0 - 2 * H, 25), (T0 - 50 * M, 28)],
        }
    });
    assert_eq!(out.len(), 1);
    let o = &out[0];
    assert_eq!((o.from_ms, o.from_record), (T0 - 30 * M, 7));
    assert!(o.marked);
    assert_eq!(o.rto_ms, 3 * H + 30 * M);
    assert_eq!(o.rto_target_ms, 4 * H);
    // Newest restore point: 50 min before the declaration, 20 min before the alert.
    assert_eq!(o.rpo_ms, Some(20 * M));
    assert_eq!(o.rpo_record, Some(28));
    // Nothing measured: from the declaration to the closing, no RPO.
    let out = outcome(&plan, &c, T0 + 5 * H, &|_| Measured::default());
    assert_eq!((out[0].from_ms, out[0].from_record), (T0, 10));
    assert_eq!(out[0].rpo_ms, None);
}

#[test]
fn templates_are_filled_and_unknown_placeholders_are_named() {
    assert_eq!(
        fill(
            "[{organization}] {title} ({severity})",
            &[
                ("organization", "Acme".into()),
                ("title", "Flood".into()),
                ("severity", "1".into())
            ]
        ),
        "[Acme] Flood (1)"
    );
    assert_eq!(
        unknown_placeholders("{title} {tilte} {not a word} {}"),
        ["{tilte}"]
    );
    let bad = format!("{BASE}{}", CELL.replace("{processes}", "{procs}"));
    let checked = check(&bad);
    assert!(
        checked
            .findings
            .iter()
            .any(|f| f.code == "unknown-placeholder" && f.path == "crisis_message[0].text"),
        "{:?}",
        checked.findings
    );
}

#[test]
fn a_cell_role_without_an_alternate_is_a_warning() {
    let text = format!("{BASE}{CELL}");
    let checked = check(&text);
    // "it" holds a role and has no alternate.
    let found: Vec<&str> = checked
        .findings
        .iter()
        .filter(|f| f.code == "role-without-alternate")
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(found, ["contact[3].alternates"]);
    let fixed = text.replace(
        "role = \"IT on call\"",
        "role = \"IT on call\"\nalternates = [\"boss\"]",
    );
    assert!(
        !check(&fixed)
            .findings
            .iter()
            .any(|f| f.code == "role-without-alternate")
    );
}

#[test]
fn an_outage_past_half_a_vital_rto_proposes_a_crisis() {
    let text = format!("{BASE}{CELL}").replace(
        "interval = \"1m\"\n",
        "interval = \"1m\"\nasset = \"app\"\n",
    );
    let plan = check(&text).valid_plan().cloned().expect("valid");
    let down = vec![("web".to_owned(), T0)];
    // billing: vital, RTO 4h, needs app: proposed from 2 h on.
    assert!(proposals(&plan, &down, T0 + 2 * H - 1).is_empty());
    let p = proposals(&plan, &down, T0 + 2 * H);
    assert_eq!(
        p,
        [Proposal {
            process: "billing".into(),
            monitor: "web".into(),
            since_ms: T0,
            rto_ms: 4 * H
        }]
    );
    // A monitor on nothing the process needs proposes nothing.
    assert!(proposals(&plan, &[("other".into(), T0)], T0 + 5 * H).is_empty());
}
