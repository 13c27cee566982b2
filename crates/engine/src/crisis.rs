//! Crisis mode: declaring, calling the cell, the checklist, notes and
//! decisions, messages, regulatory submissions and closing. Every change
//! is one `crisis` record in the evidence chain (core's [`Event`]); the
//! state is folded back from them ([`load`]); what falls due (a call
//! unanswered, a deadline, an exercise inject) is done by [`act`], which
//! the outbox sender runs for each crisis the store says is due, and
//! which every change runs at once.

use std::path::Path;
use std::sync::Arc;

use rempart_core::assessment::{dependencies, human};
use rempart_core::crisis::{
    self, Clock, Crisis, Due, Event, Measured, Record, Task, TaskState, cell_roles,
};
use rempart_core::evidence::{Evidence, EvidenceKind, NewEvidence, Outcome};
use rempart_core::plan::Plan;
use rempart_i18n::{Lang, say, t};
use rempart_store::{Declared, EvidenceQuery, NewNotification, TenantScope, now_ms};
use serde_json::{Value, json};

/// Who did something when Rempart itself did it.
pub const BY_REMPART: &str = "rempart";

/// What a declaration says.
#[derive(Debug, Clone, Default)]
pub struct Declaration {
    pub title: String,
    /// 1 (most severe) to 4.
    pub severity: u8,
    pub scenarios: Vec<String>,
    pub processes: Vec<String>,
    /// An exercise: the plan's `[[exercise]]` id, or `adhoc`.
    pub exercise: Option<String>,
    pub significant: bool,
    pub personal_data: bool,
}

/// An error for people: bad input (the caller's to fix) or a store that
/// failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// What was asked cannot be: no such thing, a wrong value (400/422).
    Invalid(String),
    /// Nothing to act on: no open crisis, no such crisis (404/409).
    NoCrisis(String),
    /// The store or the outbox failed.
    Failed(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Invalid(w) | Refused::NoCrisis(w) | Refused::Failed(w) => f.write_str(w),
        }
    }
}

fn failed(e: impl std::fmt::Display) -> Refused {
    Refused::Failed(e.to_string())
}

/// The crisis `id` of `tenant`, folded from its records.
pub async fn load(tenant: &TenantScope, id: &str) -> Result<Option<Crisis>, Refused> {
    let records = tenant
        .evidence_all(&EvidenceQuery {
            kind: Some(EvidenceKind::Crisis),
            subject: Some(id.to_owned()),
            ..EvidenceQuery::default()
        })
        .await
        .map_err(failed)?;
    let records: Vec<Record> = records.iter().filter_map(record_of).collect();
    Ok(Crisis::fold(id, records))
}

/// A stored `crisis` record as core reads it.
pub fn record_of(e: &Evidence) -> Option<Record> {
    let event: Event = serde_json::from_value(e.record.measurements.clone()).ok()?;
    Some(Record {
        seq: e.seq,
        at_ms: e.record.finished_ms,
        by: e.record.measurements["by"]
            .as_str()
            .unwrap_or(BY_REMPART)
            .to_owned(),
        event,
    })
}

/// The tenant's open crisis, if any. A crisis opened but never recorded
/// (a crash between the two) is forgotten.
pub async fn current(tenant: &TenantScope) -> Result<Option<Crisis>, Refused> {
    let Some(row) = tenant.current_crisis().await.map_err(failed)? else {
        return Ok(None);
    };
    match load(tenant, &row.id).await? {
        Some(c) => Ok(Some(c)),
        None => {
            tenant.forget_crisis(&row.id).await.map_err(failed)?;
            Ok(None)
        }
    }
}

/// The newest crisis, open or closed, or a refusal saying there is none.
pub async fn newest(tenant: &TenantScope) -> Result<Crisis, Refused> {
    for row in tenant.crises(1).await.map_err(failed)? {
        if let Some(c) = load(tenant, &row.id).await? {
            return Ok(c);
        }
    }
    Err(Refused::NoCrisis(
        "no crisis was ever declared for this tenant".into(),
    ))
}

/// The open crisis, or a refusal saying there is none.
pub async fn open(tenant: &TenantScope) -> Result<Crisis, Refused> {
    current(tenant)
        .await?
        .ok_or_else(|| Refused::NoCrisis("no crisis is open for this tenant".into()))
}

/// The sentence a record of `event` keeps, to be said in each reader's
/// language.
fn said(plan: &Plan, crisis: Option<&Crisis>, event: &Event) -> Value {
    let name = |id: &str| contact_name(plan, id);
    match event {
        Event::Declared {
            title,
            severity,
            exercise,
            ..
        } => match exercise {
            Some(_) => say!("said-crisis-exercise", title = title.as_str()),
            None => say!(
                "said-crisis-declared",
                title = title.as_str(),
                severity = *severity
            ),
        },
        Event::Joined { title, .. } => say!("said-crisis-joined", title = title.as_str()),
        Event::Called { role, contact } if role == contact => {
            say!("said-crisis-called", contact = name(contact))
        }
        Event::Called { role, contact } => say!(
            "said-crisis-called-instead",
            contact = name(contact),
            role = name(role)
        ),
        Event::Answered { contact, available } => say!(
            "said-crisis-answered",
            contact = name(contact),
            available = if *available { "yes" } else { "no" }
        ),
        Event::PassedOver { contact, to, role } => match to {
            Some(to) => say!(
                "said-crisis-passed-over",
                contact = name(contact),
                to = name(to)
            ),
            None => say!("said-crisis-role-missing", role = name(role)),
        },
        Event::Task { task, state, .. } => say!(
            "said-crisis-task",
            task = task_title(plan, crisis, task),
            state = state.as_str()
        ),
        Event::StepRun {
            task,
            passed,
            duration_ms,
            ..
        } => say!(
            "said-crisis-step-run",
            task = task_title(plan, crisis, task),
            passed = if *passed { "yes" } else { "no" },
            duration = human(*duration_ms)
        ),
        Event::Note { text, decision } => say!(
            "said-crisis-note",
            text = text.as_str(),
            decision = if *decision { "yes" } else { "no" }
        ),
        Event::Sent {
            subject, receivers, ..
        } => say!(
            "said-crisis-sent",
            subject = subject.as_str(),
            receivers = receivers.join(", ")
        ),
        Event::Submitted { clock, reference } => say!(
            "said-crisis-submitted",
            clock = clock.as_str(),
            reference = reference.clone().unwrap_or_default()
        ),
        Event::Reminded { clock, level } => say!(
            "said-crisis-reminded",
            clock = clock.as_str(),
            level = *level
        ),
        Event::Injected { text, .. } => say!("said-crisis-injected", text = text.as_str()),
        Event::Recovered { process } => say!(
            "said-crisis-recovered",
            process = process_name(plan, process)
        ),
        Event::Action { title, .. } => say!("said-crisis-action", title = title.as_str()),
        Event::ActionDone { id } => say!("said-crisis-action-done", action = id.as_str()),
        Event::Closed { .. } => say!(
            "said-crisis-closed",
            lasted = crisis.map_or_else(String::new, |c| human(now_ms() - c.declared_ms))
        ),
    }
}

/// A contact's name, else its id.
pub fn contact_name(plan: &Plan, id: &str) -> String {
    plan.contacts
        .iter()
        .find(|c| c.id.as_str() == id)
        .map_or_else(|| id.to_owned(), |c| c.name.clone())
}

fn process_name(plan: &Plan, id: &str) -> String {
    plan.processes
        .iter()
        .find(|p| p.id.as_str() == id)
        .map_or_else(|| id.to_owned(), |p| p.name.clone())
}

fn task_title(plan: &Plan, crisis: Option<&Crisis>, key: &str) -> String {
    crisis
        .map(|c| checklist_of(plan, c))
        .and_then(|list| list.into_iter().find(|t| t.key == key))
        .map_or_else(|| key.to_owned(), |t| t.title)
}

/// Appends `event` to crisis `id`, by `by`, at `at_ms`.
async fn append(
    tenant: &TenantScope,
    plan: &Plan,
    crisis: Option<&Crisis>,
    id: &str,
    by: &str,
    at_ms: i64,
    event: &Event,
) -> Result<Evidence, Refused> {
    let mut measurements = serde_json::to_value(event).map_err(failed)?;
    let said = said(plan, crisis, event);
    let message = rempart_i18n::english(&said);
    if let Some(m) = measurements.as_object_mut() {
        m.insert("by".into(), json!(by));
        m.insert("say".into(), said);
    }
    tenant
        .append(NewEvidence {
            kind: EvidenceKind::Crisis,
            subject: id.to_owned(),
            started_ms: at_ms,
            finished_ms: at_ms,
            outcome: Outcome::Success,
            measurements,
            message,
            job_run: None,
        })
        .await
        .map_err(failed)
}

/// The checklist of `crisis`, with each scenario step's time at its
/// latest drill as the expected duration (not known here: none).
pub fn checklist_of(plan: &Plan, crisis: &Crisis) -> Vec<Task> {
    crisis::checklist(plan, crisis, &|_, _| None)
}

/// The checklist with each scenario step's time at the latest drill that
/// ran it, read from the evidence.
pub async fn checklist(
    tenant: &TenantScope,
    plan: &Plan,
    crisis: &Crisis,
) -> Result<Vec<Task>, Refused> {
    let steps = tenant
        .evidence(&EvidenceQuery {
            kind: Some(EvidenceKind::DrillStep),
            limit: EvidenceQuery::MAX_LIMIT,
            ..EvidenceQuery::default()
        })
        .await
        .map_err(failed)?;
    // Newest first: the first found for a step is its latest time.
    let measured = |scenario: &str, index: usize| {
        steps.iter().find_map(|e| {
            let m = &e.record.measurements;
            (m["scenario"].as_str() == Some(scenario)
                && m["index"].as_u64() == Some(index as u64)
                && m.get("crisis").is_none()
                && e.record.outcome == Outcome::Success)
                .then(|| m["duration_ms"].as_i64())
                .flatten()
        })
    };
    Ok(crisis::checklist(plan, crisis, &measured))
}

/// Checks a declaration against the plan.
fn check(plan: &Plan, d: &Declaration) -> Result<(), Refused> {
    if d.title.trim().is_empty() {
        return Err(Refused::Invalid(
            "a crisis needs a title, e.g. --title \"Server room flooded\"".into(),
        ));
    }
    if !(1..=4).contains(&d.severity) {
        return Err(Refused::Invalid(format!(
            "severity {} is not between 1 (most severe) and 4",
            d.severity
        )));
    }
    for s in &d.scenarios {
        if !plan.scenarios.iter().any(|x| x.id.as_str() == s) {
            return Err(Refused::Invalid(known(
                "scenario",
                s,
                plan.scenarios.iter().map(|x| x.id.as_str()),
            )));
        }
    }
    for p in &d.processes {
        if !plan.processes.iter().any(|x| x.id.as_str() == p) {
            return Err(Refused::Invalid(known(
                "process",
                p,
                plan.processes.iter().map(|x| x.id.as_str()),
            )));
        }
    }
    if let Some(x) = &d.exercise
        && x != "adhoc"
        && !plan.exercises.iter().any(|e| e.id.as_str() == x)
    {
        return Err(Refused::Invalid(known(
            "exercise",
            x,
            plan.exercises
                .iter()
                .map(|e| e.id.as_str())
                .chain(["adhoc"]),
        )));
    }
    Ok(())
}

/// "the plan has no scenario "x"; its scenarios: a, b".
fn known<'a>(what: &str, id: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.collect();
    if ids.is_empty() {
        format!("there is no {what} \"{id}\" (there are none)")
    } else {
        format!("there is no {what} \"{id}\"; known: {}", ids.join(", "))
    }
}

/// Declares a crisis for `tenant`: opened, recorded, and the cell called
/// at once. When one is open already, the declaration joins it (its
/// scenarios and processes are added). Returns the crisis and whether it
/// is new.
pub async fn declare(
    tenant: &TenantScope,
    plan: &Plan,
    d: &Declaration,
    by: &str,
) -> Result<(Crisis, bool), Refused> {
    let mut d = d.clone();
    // An exercise prepared in the plan brings its scenarios and processes.
    if let Some(x) = d
        .exercise
        .as_ref()
        .and_then(|x| plan.exercises.iter().find(|e| e.id.as_str() == x))
    {
        if d.title.trim().is_empty() {
            d.title.clone_from(&x.title);
        }
        for s in &x.scenarios {
            if !d.scenarios.iter().any(|o| o == s.as_str()) {
                d.scenarios.push(s.to_string());
            }
        }
        for p in &x.processes {
            if !d.processes.iter().any(|o| o == p.as_str()) {
                d.processes.push(p.to_string());
            }
        }
    }
    check(plan, &d)?;
    let at = now_ms();
    let id = crisis::crisis_id(at);
    let (id, new) = match tenant.open_crisis(&id, at).await.map_err(failed)? {
        Declared::New(id) => (id, true),
        Declared::Joined(id) => (id, false),
    };
    let event = if new {
        Event::Declared {
            title: d.title.clone(),
            severity: d.severity,
            scenarios: d.scenarios.clone(),
            processes: d.processes.clone(),
            exercise: d.exercise.clone(),
            significant: d.significant,
            personal_data: d.personal_data,
        }
    } else {
        Event::Joined {
            title: d.title.clone(),
            scenarios: d.scenarios.clone(),
            processes: d.processes.clone(),
        }
    };
    let before = if new { None } else { load(tenant, &id).await? };
    if let Err(e) = append(tenant, plan, before.as_ref(), &id, by, at, &event).await {
        if new {
            // Not recorded: not declared.
            let _ = tenant.forget_crisis(&id).await;
        }
        return Err(e);
    }
    act(tenant, plan, &id, now_ms()).await?;
    let c = load(tenant, &id).await?.ok_or_else(|| {
        Refused::Failed(format!("crisis {id} was declared but cannot be read back"))
    })?;
    Ok((c, new))
}

/// The prefix of an exercise's messages, so that nobody takes one for
/// the real thing.
pub const EXERCISE_MARK: &str = "EXERCICE / EXERCISE";

fn marked(crisis: &Crisis, subject: String) -> String {
    if crisis.is_exercise() {
        format!("[{EXERCISE_MARK}] {subject}")
    } else {
        subject
    }
}

/// The facts a message template may name, in `lang`.
pub fn facts(plan: &Plan, crisis: &Crisis, lang: Lang) -> Vec<(&'static str, String)> {
    let processes: Vec<String> = crisis
        .processes
        .iter()
        .map(|p| process_name(plan, p))
        .collect();
    let status = if crisis.closed_ms.is_some() {
        t!(lang, "crisis-status-closed")
    } else {
        t!(lang, "crisis-status-open")
    };
    vec![
        ("organization", plan.organization.name.clone()),
        ("title", crisis.title.clone()),
        ("severity", crisis.severity.to_string()),
        ("declared", local_time(plan, crisis.declared_ms)),
        (
            "processes",
            if processes.is_empty() {
                "—".into()
            } else {
                processes.join(", ")
            },
        ),
        ("status", status),
    ]
}

/// A time in the organisation's zone, to the minute.
pub fn local_time(plan: &Plan, ms: i64) -> String {
    crisis::local_time(&plan.organization.timezone, ms)
}

/// Queues a call to `contact` for `role`, in the contact's language,
/// with the answer link the channel adds.
async fn call(
    tenant: &TenantScope,
    plan: &Plan,
    crisis: &Crisis,
    role: &str,
    contact: &str,
    instead_of: Option<&str>,
) -> Result<(), Refused> {
    let person = plan.contacts.iter().find(|c| c.id.as_str() == contact);
    let lang: Lang = person
        .and_then(|c| c.language)
        .unwrap_or(plan.organization.language)
        .into();
    let role_text = plan
        .contacts
        .iter()
        .find(|c| c.id.as_str() == role)
        .and_then(|c| c.role.clone())
        .unwrap_or_else(|| contact_name(plan, role));
    let mut text = t!(
        lang,
        "crisis-call-text",
        declared = local_time(plan, crisis.declared_ms),
        severity = crisis.severity,
        title = crisis.title.as_str(),
        role = role_text
    );
    if let Some(other) = instead_of {
        text = format!(
            "{}\n{text}",
            t!(
                lang,
                "crisis-call-instead",
                other = contact_name(plan, other)
            )
        );
    }
    let subject = marked(
        crisis,
        t!(
            lang,
            "crisis-call-subject",
            organization = plan.organization.name.as_str(),
            title = crisis.title.as_str()
        ),
    );
    let note = NewNotification {
        channel: format!("contact:{contact}"),
        dedup_key: format!("crisis/{}/call/{role}/{contact}", crisis.id),
        subject,
        body: json!({
            "kind": "crisis-call",
            "text": text,
            "organization": plan.organization.name,
            "language": lang.code(),
            "alert": null,
            "crisis": crisis.id,
            "contact": contact,
        }),
        attachment: None,
    };
    tenant.enqueue(&[note], now_ms()).await.map_err(failed)?;
    Ok(())
}

/// Queues `subject`/`text` for `to` (channel, contact or team ids; the
/// people holding the cell's roles when empty); returns the receivers.
async fn tell(
    tenant: &TenantScope,
    plan: &Plan,
    crisis: &Crisis,
    to: &[String],
    subject: String,
    text: String,
    key: &str,
) -> Result<Vec<String>, Refused> {
    let to: Vec<String> = if to.is_empty() {
        crisis.reached()
    } else {
        to.to_vec()
    };
    if to.is_empty() {
        return Ok(Vec::new());
    }
    let message = crate::notify::Message {
        subject: marked(crisis, subject),
        text: if crisis.is_exercise() {
            format!("{EXERCISE_MARK}\n{text}")
        } else {
            text
        },
        kind: "crisis",
        alert: None,
    };
    crate::notify::queue(tenant, plan, &to, &message, key)
        .await
        .map_err(Refused::Failed)
}

/// How long one acting on a crisis may hold it.
const HOLD_MS: i64 = 30_000;

/// Does what is due at `now_ms` for crisis `id`: calls the roles not
/// called yet, passes silent people over to their alternates, reminds
/// deadlines, delivers injects; then notes when the next thing is due.
/// Returns that time. One acts on a crisis at a time, across servers:
/// the crisis is held (its lease) while acting, so that two servers, or
/// a server's ticker and a person's answer, never pass the same person
/// over twice; when someone else holds it for long, this does nothing
/// (they act on what is due).
pub async fn act(
    tenant: &TenantScope,
    plan: &Plan,
    id: &str,
    now: i64,
) -> Result<Option<i64>, Refused> {
    let holder = format!("act:{}:{}", std::process::id(), uuid_like());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        if tenant
            .hold_crisis(id, &holder, now_ms(), HOLD_MS)
            .await
            .map_err(failed)?
        {
            break;
        }
        if std::time::Instant::now() >= deadline {
            return Ok(None);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let acted = act_held(tenant, plan, id, now).await;
    let next = acted.as_ref().ok().copied().flatten();
    tenant
        .release_crisis_hold(id, &holder, next)
        .await
        .map_err(failed)?;
    acted
}

/// A name for one holder: the time and a counter.
fn uuid_like() -> String {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!(
        "{}-{}",
        now_ms(),
        COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// [`act`] for one who holds the crisis already (the sender's claim).
pub async fn act_held(
    tenant: &TenantScope,
    plan: &Plan,
    id: &str,
    now: i64,
) -> Result<Option<i64>, Refused> {
    let Some(mut c) = load(tenant, id).await? else {
        return Ok(None);
    };
    let lang: Lang = plan.organization.language.into();
    for due in crisis::due(plan, &c, now) {
        let event = match &due {
            Due::Call { role, contact } => {
                call(tenant, plan, &c, role, contact, None).await?;
                Event::Called {
                    role: role.clone(),
                    contact: contact.clone(),
                }
            }
            Due::PassOver { role, contact, to } => {
                append(
                    tenant,
                    plan,
                    Some(&c),
                    id,
                    BY_REMPART,
                    now,
                    &Event::PassedOver {
                        role: role.clone(),
                        contact: contact.clone(),
                        to: to.clone(),
                    },
                )
                .await?;
                match to {
                    Some(to) => {
                        call(tenant, plan, &c, role, to, Some(contact)).await?;
                        Event::Called {
                            role: role.clone(),
                            contact: to.clone(),
                        }
                    }
                    None => continue,
                }
            }
            Due::Remind { clock, level } => {
                let deadline = clock.deadline(c.declared_ms);
                let name = t!(lang, "crisis-clock", clock = clock.as_str());
                let subject = t!(
                    lang,
                    "crisis-reminder-subject",
                    clock = name.as_str(),
                    title = c.title.as_str()
                );
                let text = if *level >= 3 {
                    t!(
                        lang,
                        "crisis-overdue-text",
                        clock = name.as_str(),
                        deadline = local_time(plan, deadline)
                    )
                } else {
                    t!(
                        lang,
                        "crisis-reminder-text",
                        clock = name.as_str(),
                        deadline = local_time(plan, deadline),
                        left = human(deadline - now)
                    )
                };
                let key = format!("crisis/{id}/remind/{}/{level}", clock.as_str());
                tell(tenant, plan, &c, &[], subject, text, &key).await?;
                Event::Reminded {
                    clock: *clock,
                    level: *level,
                }
            }
            Due::Inject { index } => {
                let Some(inject) = crisis::exercise(plan, &c).and_then(|x| x.injects.get(*index))
                else {
                    continue;
                };
                let to: Vec<String> = inject.to.iter().map(ToString::to_string).collect();
                let subject = t!(lang, "crisis-inject-subject", title = c.title.as_str());
                let key = format!("crisis/{id}/inject/{index}");
                tell(tenant, plan, &c, &to, subject, inject.text.clone(), &key).await?;
                Event::Injected {
                    index: *index,
                    text: inject.text.clone(),
                }
            }
        };
        append(tenant, plan, Some(&c), id, BY_REMPART, now, &event).await?;
        c = load(tenant, id).await?.unwrap_or(c);
    }
    Ok(crisis::next_due(plan, &c, now))
}

/// A person's answer to a call: on it, or cannot (their alternate is
/// called at once). `contact` must have been called in this crisis.
pub async fn answer(
    tenant: &TenantScope,
    plan: &Plan,
    id: &str,
    contact: &str,
    available: bool,
    by: &str,
) -> Result<Crisis, Refused> {
    let c = load(tenant, id)
        .await?
        .ok_or_else(|| Refused::NoCrisis(format!("there is no crisis {id}")))?;
    if !c.roles.iter().any(|r| r.tried.iter().any(|t| t == contact)) {
        return Err(Refused::Invalid(format!(
            "{contact} was not called in crisis {id}"
        )));
    }
    if c.closed_ms.is_some() {
        return Err(Refused::NoCrisis(format!("crisis {id} is closed")));
    }
    let event = Event::Answered {
        contact: contact.to_owned(),
        available,
    };
    append(tenant, plan, Some(&c), id, by, now_ms(), &event).await?;
    act(tenant, plan, id, now_ms()).await?;
    load(tenant, id)
        .await?
        .ok_or_else(|| Refused::Failed(format!("crisis {id} cannot be read back")))
}

/// Records `event` on the open crisis (a note, a task, a submission…),
/// checked against it first by `check`.
pub async fn record(
    tenant: &TenantScope,
    plan: &Plan,
    by: &str,
    event: Event,
) -> Result<(Crisis, Evidence), Refused> {
    // Corrective actions outlive their crisis: they are added to, and
    // marked done on, the newest crisis, open or closed.
    let c = match event {
        Event::Action { .. } | Event::ActionDone { .. } => newest(tenant).await?,
        _ => open(tenant).await?,
    };
    validate(plan, &c, &event)?;
    let stored = append(tenant, plan, Some(&c), &c.id, by, now_ms(), &event).await?;
    act(tenant, plan, &c.id, now_ms()).await?;
    let c = load(tenant, &c.id).await?.unwrap_or(c);
    Ok((c, stored))
}

/// Whether `event` may be recorded on `c` as a person asks it.
fn validate(plan: &Plan, c: &Crisis, event: &Event) -> Result<(), Refused> {
    match event {
        Event::Note { text, .. } if text.trim().is_empty() => {
            Err(Refused::Invalid("the note is empty".into()))
        }
        Event::Task { task, .. } => {
            let list = checklist_of(plan, c);
            if list.iter().any(|t| t.key == *task) {
                Ok(())
            } else {
                Err(Refused::Invalid(known(
                    "checklist task",
                    task,
                    list.iter().map(|t| t.key.as_str()),
                )))
            }
        }
        Event::Submitted { clock, .. } if !c.clocks().contains(clock) => {
            Err(Refused::Invalid(format!(
                "the {} deadline does not run for this crisis (not declared significant{})",
                clock.as_str(),
                if *clock == Clock::Gdpr {
                    " or without personal data"
                } else {
                    ""
                }
            )))
        }
        Event::Recovered { process } if !c.processes.contains(process) => {
            Err(Refused::Invalid(known(
                "affected process",
                process,
                c.processes.iter().map(String::as_str),
            )))
        }
        Event::Action {
            id,
            title,
            owner,
            due,
        } => {
            if title.trim().is_empty() {
                return Err(Refused::Invalid("the action needs a title".into()));
            }
            if let Some(o) = owner {
                crate::notify::receivers(plan, o).map_err(Refused::Invalid)?;
            }
            if c.actions.iter().any(|a| a.id == *id) {
                return Err(Refused::Invalid(format!("action {id} exists already")));
            }
            if let Some(d) = due
                && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
            {
                return Err(Refused::Invalid(format!(
                    "due date \"{d}\" is not a date such as 2027-01-15"
                )));
            }
            Ok(())
        }
        Event::ActionDone { id } if !c.actions.iter().any(|a| a.id == *id) => Err(
            Refused::Invalid(known("action", id, c.actions.iter().map(|a| a.id.as_str()))),
        ),
        _ => Ok(()),
    }
}

/// Sends the plan's message template `message` (filled with the
/// crisis' facts), or a message written now, and records it.
pub async fn send(
    tenant: &TenantScope,
    plan: &Plan,
    message: &str,
    by: &str,
) -> Result<(Crisis, Vec<String>), Refused> {
    let c = open(tenant).await?;
    let Some(m) = plan
        .crisis_messages
        .iter()
        .find(|m| m.id.as_str() == message)
    else {
        return Err(Refused::Invalid(known(
            "crisis message",
            message,
            plan.crisis_messages.iter().map(|m| m.id.as_str()),
        )));
    };
    let facts = facts(plan, &c, plan.organization.language.into());
    let subject = crisis::fill(&m.subject, &facts);
    let text = crisis::fill(&m.text, &facts);
    let to: Vec<String> = m.to.iter().map(ToString::to_string).collect();
    let at = now_ms();
    let key = format!("crisis/{}/sent/{}/{at}", c.id, m.id);
    let receivers = tell(tenant, plan, &c, &to, subject.clone(), text.clone(), &key).await?;
    let event = Event::Sent {
        message: m.id.to_string(),
        audience: m.audience.as_str().to_owned(),
        subject,
        receivers: receivers.clone(),
        public: m.public,
        text,
    };
    append(tenant, plan, Some(&c), &c.id, by, at, &event).await?;
    let c = load(tenant, &c.id).await?.unwrap_or(c);
    Ok((c, receivers))
}

/// An inject the exercise leader sends now (beside the plan's timed
/// ones): it reaches the cell at once, marked as an exercise, and the
/// cell's reaction to it is timed like the others.
pub async fn inject(
    tenant: &TenantScope,
    plan: &Plan,
    text: &str,
    by: &str,
) -> Result<Crisis, Refused> {
    let c = open(tenant).await?;
    if !c.is_exercise() {
        return Err(Refused::Invalid(
            "injects belong to exercises: this crisis is a real one".into(),
        ));
    }
    if text.trim().is_empty() {
        return Err(Refused::Invalid("the inject is empty".into()));
    }
    let planned = crisis::exercise(plan, &c).map_or(0, |x| x.injects.len());
    let index = c
        .injected
        .iter()
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
        .max(planned);
    let lang: Lang = plan.organization.language.into();
    let subject = t!(lang, "crisis-inject-subject", title = c.title.as_str());
    let key = format!("crisis/{}/inject/{index}", c.id);
    tell(tenant, plan, &c, &[], subject, text.to_owned(), &key).await?;
    let event = Event::Injected {
        index,
        text: text.to_owned(),
    };
    append(tenant, plan, Some(&c), &c.id, by, now_ms(), &event).await?;
    Ok(load(tenant, &c.id).await?.unwrap_or(c))
}

/// Runs checklist task `key` (a scenario's `restore`, `command`, `http`
/// or `sql` step) for real, by the drill runner; its time lands in the
/// crisis. What it restored is kept under `<data dir>/crisis/<id>/`.
pub async fn run_task(
    d: &crate::drill::Drill<'_>,
    key: &str,
    by: &str,
) -> Result<(Crisis, crate::drill::StepRan), Refused> {
    let tenant = d.tenant;
    let plan = Arc::clone(&d.plan);
    let c = open(tenant).await?;
    let list = checklist_of(&plan, &c);
    let Some(task) = list.iter().find(|t| t.key == key) else {
        return Err(Refused::Invalid(known(
            "checklist task",
            key,
            list.iter().map(|t| t.key.as_str()),
        )));
    };
    let crisis::TaskSource::Step { scenario, step, .. } = &task.source else {
        return Err(Refused::Invalid(format!(
            "task {key} is a person's task: mark it started or done instead"
        )));
    };
    if !task.runnable {
        return Err(Refused::Invalid(format!(
            "task {key} is not a restore, command, http or sql step: Rempart cannot run it"
        )));
    }
    append(
        tenant,
        &plan,
        Some(&c),
        &c.id,
        by,
        now_ms(),
        &Event::Task {
            task: key.to_owned(),
            state: TaskState::Started,
            note: None,
        },
    )
    .await?;
    let run = format!("{}-{scenario}-{step}", c.id);
    let workdir = d
        .data_dir
        .join("crisis")
        .join(&c.id)
        .join(format!("{scenario}-{step}"));
    let ran = crate::drill::run_step(
        d,
        scenario,
        *step,
        &run,
        Path::new(&workdir),
        json!({ "crisis": c.id, "task": key }),
    )
    .await
    .map_err(Refused::Failed)?;
    let event = Event::StepRun {
        task: key.to_owned(),
        passed: ran.passed,
        duration_ms: ran.duration_ms,
        record: ran.record.seq,
    };
    append(tenant, &plan, Some(&c), &c.id, by, now_ms(), &event).await?;
    let c = load(tenant, &c.id).await?.unwrap_or(c);
    Ok((c, ran))
}

/// What the evidence says of `process` around `crisis`: the newest
/// monitor going down on its assets before the declaration (within a
/// day), and the restore points restored for it during the crisis.
async fn measured(
    tenant: &TenantScope,
    plan: &Plan,
    crisis: &Crisis,
    process: &str,
    until_ms: i64,
) -> Result<Measured, Refused> {
    let Some(p) = plan.processes.iter().find(|p| p.id.as_str() == process) else {
        return Ok(Measured::default());
    };
    let assets = dependencies(plan, p);
    let monitors: Vec<&str> = plan
        .monitors
        .iter()
        .filter(|m| {
            m.asset
                .as_ref()
                .is_some_and(|a| assets.contains(a.as_str()))
        })
        .map(|m| m.id.as_str())
        .collect();
    let backups: Vec<&str> = plan
        .backups
        .iter()
        .filter(|b| b.protects.iter().any(|a| assets.contains(a.as_str())))
        .map(|b| b.id.as_str())
        .collect();
    let mut out = Measured::default();
    let day = 86_400_000;
    for m in monitors {
        let checks = tenant
            .evidence_all(&EvidenceQuery {
                kind: Some(EvidenceKind::Probe),
                subject: Some(m.to_owned()),
                from_ms: Some(crisis.declared_ms - day),
                ..EvidenceQuery::default()
            })
            .await
            .map_err(failed)?;
        for e in checks.iter().filter(|e| {
            e.record.measurements["changed"] == "down" && e.record.finished_ms <= until_ms
        }) {
            let at = e.record.finished_ms;
            // The outage the crisis is about: the newest start before the
            // declaration, else the first one after.
            let better = match out.first_alert {
                None => true,
                Some((prev, _)) if at <= crisis.declared_ms => {
                    prev > crisis.declared_ms || at > prev
                }
                Some((prev, _)) => prev > crisis.declared_ms && at < prev,
            };
            if better {
                out.first_alert = Some((at, e.seq));
            }
        }
    }
    for kind in [EvidenceKind::Restore, EvidenceKind::DrillStep] {
        let records = tenant
            .evidence_all(&EvidenceQuery {
                kind: Some(kind),
                from_ms: Some(crisis.declared_ms),
                ..EvidenceQuery::default()
            })
            .await
            .map_err(failed)?;
        for e in records
            .iter()
            .filter(|e| e.record.outcome == Outcome::Success && e.record.finished_ms <= until_ms)
        {
            let m = &e.record.measurements;
            // A drill's restore is a rehearsal: only the crisis' own count.
            if kind == EvidenceKind::DrillStep && m["crisis"].as_str() != Some(crisis.id.as_str()) {
                continue;
            }
            let backup = m["backup"].as_str().unwrap_or_default();
            if let (true, Some(data)) = (backups.contains(&backup), m["data_time_ms"].as_i64()) {
                out.restored.push((data, e.seq));
            }
        }
    }
    Ok(out)
}

/// Closes the open crisis with its measured outcome per process.
pub async fn close(tenant: &TenantScope, plan: &Plan, by: &str) -> Result<Crisis, Refused> {
    let c = open(tenant).await?;
    let at = now_ms();
    let mut found = Vec::new();
    for p in &c.processes {
        found.push((p.clone(), measured(tenant, plan, &c, p, at).await?));
    }
    let outcomes = crisis::outcome(plan, &c, at, &|p| {
        found
            .iter()
            .find(|(q, _)| q == p)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    });
    append(
        tenant,
        plan,
        Some(&c),
        &c.id,
        by,
        at,
        &Event::Closed { outcomes },
    )
    .await?;
    tenant.close_crisis(&c.id, at).await.map_err(failed)?;
    load(tenant, &c.id)
        .await?
        .ok_or_else(|| Refused::Failed(format!("crisis {} cannot be read back", c.id)))
}

/// The crises Rempart would propose now for `tenant` (none while one
/// is open): its open alerts held against its vital processes' RTO.
pub async fn proposals(
    tenant: &TenantScope,
    plan: &Plan,
    now: i64,
) -> Result<Vec<crisis::Proposal>, Refused> {
    if tenant.current_crisis().await.map_err(failed)?.is_some() {
        return Ok(Vec::new());
    }
    let down: Vec<(String, i64)> = tenant
        .alerts(500)
        .await
        .map_err(failed)?
        .into_iter()
        .filter(|a| a.resolved_ms.is_none())
        .map(|a| (a.monitor, a.opened_ms))
        .collect();
    Ok(crisis::proposals(plan, &down, now))
}

/// Proposes a crisis to the cell when an outage has taken a vital
/// process past half its RTO (once per outage): a person confirms by
/// declaring it, from the link in the message. Returns the proposals sent.
pub async fn propose(
    tenant: &TenantScope,
    plan: &Plan,
    now: i64,
) -> Result<Vec<crisis::Proposal>, Refused> {
    let found = proposals(tenant, plan, now).await?;
    let to: Vec<String> = cell_roles(plan);
    if to.is_empty() {
        return Ok(Vec::new());
    }
    let lang: Lang = plan.organization.language.into();
    for p in &found {
        let key = format!("crisis-proposal/{}/{}", p.process, p.since_ms);
        if tenant.queued(&key).await.map_err(failed)? {
            continue;
        }
        let process = process_name(plan, &p.process);
        let message = crate::notify::Message {
            subject: t!(
                lang,
                "crisis-proposal-subject",
                organization = plan.organization.name.as_str(),
                process = process.as_str()
            ),
            text: t!(
                lang,
                "crisis-proposal-text",
                process = process.as_str(),
                monitor = p.monitor.as_str(),
                since = local_time(plan, p.since_ms),
                rto = human(p.rto_ms)
            ),
            kind: "crisis-proposal",
            alert: None,
        };
        crate::notify::queue(tenant, plan, &to, &message, &key)
            .await
            .map_err(Refused::Failed)?;
    }
    Ok(found)
}

/// The cell roles as the plan gives them, for pages: role holder id and
/// its role text.
pub fn roles(plan: &Plan) -> Vec<(String, String)> {
    cell_roles(plan)
        .into_iter()
        .map(|id| {
            let role = plan
                .contacts
                .iter()
                .find(|c| c.id.as_str() == id)
                .and_then(|c| c.role.clone())
                .unwrap_or_default();
            (id, role)
        })
        .collect()
}

/// Everything that happened during `crisis`, in order: its own records,
/// and every other record of the tenant in its time (alerts' checks that
/// changed state, notifications, jobs' results), except plain checks and
/// documents.
pub async fn timeline(tenant: &TenantScope, crisis: &Crisis) -> Result<Vec<Evidence>, Refused> {
    let all = tenant
        .evidence_all(&EvidenceQuery {
            from_ms: Some(crisis.declared_ms),
            ..EvidenceQuery::default()
        })
        .await
        .map_err(failed)?;
    let end = crisis.closed_ms.unwrap_or(i64::MAX);
    let mut out: Vec<Evidence> = all
        .into_iter()
        .filter(|e| e.record.started_ms <= end)
        .filter(|e| match e.record.kind {
            EvidenceKind::Crisis => e.record.subject == crisis.id,
            EvidenceKind::Probe => !e.record.measurements["changed"].is_null(),
            EvidenceKind::Report | EvidenceKind::Audit => false,
            _ => true,
        })
        .collect();
    out.sort_by_key(|e| e.seq);
    Ok(out)
}

pub use rempart_core::crisis::{ClockState, clocks, role_state};

/// The crisis as JSON, for scripts and the API: its facts, the cell
/// with each role's state, the checklist with each task's progress, the
/// regulatory clocks, the corrective actions, the outcome once closed.
pub fn to_json(plan: &Plan, c: &Crisis, list: &[Task], now: i64) -> Value {
    let roles: Vec<Value> = cell_roles(plan)
        .iter()
        .map(|id| {
            let r = c.roles.iter().find(|r| r.role == *id);
            json!({
                "role": id,
                "role_name": plan.contacts.iter().find(|x| x.id.as_str() == id).and_then(|x| x.role.clone()),
                "holder": r.and_then(|r| r.holder.clone()),
                "holder_name": r.and_then(|r| r.holder.as_deref()).map(|h| contact_name(plan, h)),
                "state": r.map_or("not-called", role_state),
                "called_ms": r.and_then(|r| r.called_ms),
                "answered_ms": r.and_then(|r| r.answered_ms),
                "tried": r.map(|r| r.tried.clone()).unwrap_or_default(),
            })
        })
        .collect();
    let tasks: Vec<Value> = list
        .iter()
        .map(|t| {
            let p = c.task(&t.key);
            json!({
                "key": t.key,
                "title": t.title,
                "owner": t.owner,
                "within_ms": t.within_ms,
                "source": t.source,
                "runnable": t.runnable,
                "state": p.map_or("todo", |p| p.state.as_str()),
                "note": p.and_then(|p| p.note.clone()),
                "changed_ms": p.map(|p| p.at_ms),
                "changed_by": p.map(|p| p.by.clone()),
                "run": p.and_then(|p| p.run).map(|(passed, ms, record)| json!({"passed": passed, "duration_ms": ms, "record": record})),
            })
        })
        .collect();
    json!({
        "id": c.id,
        "title": c.title,
        "severity": c.severity,
        "exercise": c.exercise,
        "significant": c.significant,
        "personal_data": c.personal_data,
        "scenarios": c.scenarios,
        "processes": c.processes,
        "declared_ms": c.declared_ms,
        "declared_by": c.declared_by,
        "declared_record": c.declared_seq,
        "closed_ms": c.closed_ms,
        "open": c.closed_ms.is_none(),
        "cell": roles,
        "checklist": tasks,
        "clocks": clocks(c, now),
        "actions": c.actions,
        "outcomes": c.outcomes,
        "recovered": c.recovered.iter().map(|(p, at)| json!({"process": p, "at_ms": at})).collect::<Vec<_>>(),
        "reactions": c.is_exercise().then(|| crisis::reactions(c)),
    })
}
