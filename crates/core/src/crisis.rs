//! Crisis mode, pure: what a crisis is made of, folded from its records.
//!
//! A crisis lives in the evidence log: every declaration, call, answer,
//! task change, decision, message, submission and closing is one `crisis`
//! record (subject: the crisis id) whose measurements are an [`Event`].
//! [`Crisis::fold`] reads them back into the crisis' state; [`due`] says
//! what must happen next (call a role, pass a silent person over to their
//! alternate, remind a regulatory deadline, deliver an exercise inject),
//! and [`outcome`] measures a closed crisis. No I/O: the engine appends
//! the records and sends the messages.

use chrono::{DateTime, Months};
use serde::{Deserialize, Serialize};

use crate::plan::{Plan, StepAction};

/// How long a person called has to answer when the plan does not say.
pub const DEFAULT_ANSWER_WITHIN_MS: i64 = 15 * 60_000;

/// The facts a message template may name, as `{name}`.
pub const PLACEHOLDERS: [&str; 6] = [
    "organization",
    "title",
    "severity",
    "declared",
    "processes",
    "status",
];

/// The `{word}` placeholders of `text` that Rempart does not fill.
pub fn unknown_placeholders(text: &str) -> Vec<String> {
    placeholders(text)
        .filter(|w| !PLACEHOLDERS.contains(w))
        .map(|w| format!("{{{w}}}"))
        .collect()
}

/// Every `{word}` of `text` (letters and `_` only), without the braces.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| {
        let (word, _) = rest.split_once('}')?;
        (!word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
            .then_some(word)
    })
}

/// `text` with each known `{name}` replaced by its fact.
pub fn fill(text: &str, facts: &[(&str, String)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in facts {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The roles of the crisis cell, as contact ids in call order: the
/// members of `[crisis] cell` (a team gives each of its members), else
/// every contact with a `role`, in plan order. Each contact once.
pub fn cell_roles(plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |id: &str| {
        if !out.iter().any(|o| o == id) {
            out.push(id.to_owned());
        }
    };
    let cell = plan
        .crisis
        .as_ref()
        .map(|c| c.cell.as_slice())
        .unwrap_or(&[]);
    if cell.is_empty() {
        for c in plan.contacts.iter().filter(|c| c.role.is_some()) {
            add(c.id.as_str());
        }
    } else {
        for id in cell {
            if let Some(team) = plan.teams.iter().find(|t| t.id == *id) {
                for m in &team.members {
                    add(m.as_str());
                }
            } else {
                add(id.as_str());
            }
        }
    }
    out
}

/// How long a called person has to answer, in ms.
pub fn answer_within_ms(plan: &Plan) -> i64 {
    plan.crisis
        .as_ref()
        .and_then(|c| c.answer_within)
        .map_or(DEFAULT_ANSWER_WITHIN_MS, |d| {
            i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
        })
}

/// A crisis task's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskState {
    Todo,
    Started,
    Done,
    Skipped,
}

impl TaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Todo => "todo",
            TaskState::Started => "started",
            TaskState::Done => "done",
            TaskState::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<TaskState> {
        [
            TaskState::Todo,
            TaskState::Started,
            TaskState::Done,
            TaskState::Skipped,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// A regulatory deadline counted from the declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clock {
    /// NIS2 art. 23(4)(a): early warning within 24 hours.
    Nis2EarlyWarning,
    /// NIS2 art. 23(4)(b): incident notification within 72 hours.
    Nis2Notification,
    /// NIS2 art. 23(4)(d): final report within one month.
    Nis2FinalReport,
    /// GDPR art. 33: personal data breach notified within 72 hours.
    Gdpr,
}

impl Clock {
    pub const ALL: [Clock; 4] = [
        Clock::Nis2EarlyWarning,
        Clock::Nis2Notification,
        Clock::Nis2FinalReport,
        Clock::Gdpr,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Nis2EarlyWarning => "nis2-early-warning",
            Clock::Nis2Notification => "nis2-notification",
            Clock::Nis2FinalReport => "nis2-final-report",
            Clock::Gdpr => "gdpr",
        }
    }

    pub fn parse(s: &str) -> Option<Clock> {
        Clock::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// When it falls due for a crisis declared at `declared_ms`.
    pub fn deadline(self, declared_ms: i64) -> i64 {
        const HOUR: i64 = 3_600_000;
        match self {
            Clock::Nis2EarlyWarning => declared_ms + 24 * HOUR,
            Clock::Nis2Notification | Clock::Gdpr => declared_ms + 72 * HOUR,
            Clock::Nis2FinalReport => DateTime::from_timestamp_millis(declared_ms)
                .and_then(|t| t.checked_add_months(Months::new(1)))
                .map_or(declared_ms + 30 * 24 * HOUR, |t| t.timestamp_millis()),
        }
    }
}

/// One thing that happened in a crisis: the measurements of its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// The crisis begins.
    Declared {
        title: String,
        /// 1 (most severe) to 4.
        severity: u8,
        #[serde(default)]
        scenarios: Vec<String>,
        #[serde(default)]
        processes: Vec<String>,
        /// The exercise it plays, when it is one (`adhoc` for an exercise
        /// not prepared in the plan).
        #[serde(default)]
        exercise: Option<String>,
        /// A significant incident (NIS2 art. 23): the regulatory clocks run.
        #[serde(default)]
        significant: bool,
        /// Personal data is involved (GDPR art. 33).
        #[serde(default)]
        personal_data: bool,
    },
    /// A second declaration while this one was open: it joined it.
    Joined {
        title: String,
        #[serde(default)]
        scenarios: Vec<String>,
        #[serde(default)]
        processes: Vec<String>,
    },
    /// `contact` was called for the cell role held by `role`.
    Called { role: String, contact: String },
    /// `contact` answered: on it, or cannot.
    Answered { contact: String, available: bool },
    /// Nobody answered for `role` in time (or they cannot): `to` is
    /// called next, or nobody is left.
    PassedOver {
        role: String,
        contact: String,
        to: Option<String>,
    },
    /// A checklist task changed.
    Task {
        task: String,
        state: TaskState,
        #[serde(default)]
        note: Option<String>,
    },
    /// A checklist step was run for real: its record and time.
    StepRun {
        task: String,
        passed: bool,
        duration_ms: i64,
        record: i64,
    },
    /// A note, or a decision.
    Note { text: String, decision: bool },
    /// A message was sent.
    Sent {
        message: String,
        audience: String,
        subject: String,
        receivers: Vec<String>,
        #[serde(default)]
        public: bool,
        #[serde(default)]
        text: String,
    },
    /// A regulatory submission was made.
    Submitted {
        clock: Clock,
        #[serde(default)]
        reference: Option<String>,
    },
    /// A regulatory deadline was reminded (level 1: half the time gone,
    /// 2: the last tenth, 3: overdue).
    Reminded { clock: Clock, level: u8 },
    /// An exercise inject was delivered.
    Injected { index: usize, text: String },
    /// A process is working again.
    Recovered { process: String },
    /// A corrective action to track until done.
    Action {
        id: String,
        title: String,
        #[serde(default)]
        owner: Option<String>,
        /// Due date, `YYYY-MM-DD`.
        #[serde(default)]
        due: Option<String>,
    },
    /// A corrective action is done.
    ActionDone { id: String },
    /// The crisis is over: what it cost, measured.
    Closed {
        #[serde(default)]
        outcomes: Vec<ProcessOutcome>,
    },
}

impl Event {
    /// The event's name as stored (`declared`, `called`…).
    pub fn name(&self) -> &'static str {
        match self {
            Event::Declared { .. } => "declared",
            Event::Joined { .. } => "joined",
            Event::Called { .. } => "called",
            Event::Answered { .. } => "answered",
            Event::PassedOver { .. } => "passed-over",
            Event::Task { .. } => "task",
            Event::StepRun { .. } => "step-run",
            Event::Note { .. } => "note",
            Event::Sent { .. } => "sent",
            Event::Submitted { .. } => "submitted",
            Event::Reminded { .. } => "reminded",
            Event::Injected { .. } => "injected",
            Event::Recovered { .. } => "recovered",
            Event::Action { .. } => "action",
            Event::ActionDone { .. } => "action-done",
            Event::Closed { .. } => "closed",
        }
    }
}

/// One crisis record, as read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    pub seq: i64,
    pub at_ms: i64,
    /// Who caused it (`cli:<user>`, `portal:<e-mail>`, `link:<contact>`, `rempart`).
    pub by: String,
    pub event: Event,
}

/// One role of the cell: who holds it now and how far the call went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Role {
    /// The contact the plan gives the role to.
    pub role: String,
    /// Who is being called, or answered, for it now.
    pub holder: Option<String>,
    pub called_ms: Option<i64>,
    /// The holder's answer: on it (true), cannot (false), none yet.
    pub available: Option<bool>,
    pub answered_ms: Option<i64>,
    /// Everyone called for it so far, in order.
    pub tried: Vec<String>,
    /// Nobody is left to call.
    pub missing: bool,
}

/// A checklist task's state, as the records left it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskProgress {
    pub state: TaskState,
    pub note: Option<String>,
    pub at_ms: i64,
    pub by: String,
    /// The last run of its step: passed, time, record.
    pub run: Option<(bool, i64, i64)>,
}

/// A corrective action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub done_ms: Option<i64>,
    pub record: i64,
}

/// A crisis, folded from its records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crisis {
    pub id: String,
    pub title: String,
    pub severity: u8,
    pub scenarios: Vec<String>,
    pub processes: Vec<String>,
    pub exercise: Option<String>,
    pub significant: bool,
    pub personal_data: bool,
    pub declared_ms: i64,
    pub declared_by: String,
    /// The record of the declaration.
    pub declared_seq: i64,
    pub closed_ms: Option<i64>,
    pub roles: Vec<Role>,
    /// Task key → its progress.
    pub tasks: Vec<(String, TaskProgress)>,
    pub submitted: Vec<(Clock, i64, Option<String>)>,
    pub reminded: Vec<(Clock, u8)>,
    pub injected: Vec<usize>,
    /// Process → when it was marked recovered.
    pub recovered: Vec<(String, i64)>,
    pub actions: Vec<Action>,
    pub outcomes: Vec<ProcessOutcome>,
    /// Every record, in order: the timeline.
    pub records: Vec<Record>,
}

impl Crisis {
    /// The crisis `id` from its records (in log order); `None` without a
    /// declaration.
    pub fn fold(id: &str, records: Vec<Record>) -> Option<Crisis> {
        let first = records
            .iter()
            .find(|r| matches!(r.event, Event::Declared { .. }))?;
        let Event::Declared {
            title,
            severity,
            scenarios,
            processes,
            exercise,
            significant,
            personal_data,
        } = first.event.clone()
        else {
            return None;
        };
        let mut c = Crisis {
            id: id.to_owned(),
            title,
            severity,
            scenarios,
            processes,
            exercise,
            significant,
            personal_data,
            declared_ms: first.at_ms,
            declared_by: first.by.clone(),
            declared_seq: first.seq,
            closed_ms: None,
            roles: Vec::new(),
            tasks: Vec::new(),
            submitted: Vec::new(),
            reminded: Vec::new(),
            injected: Vec::new(),
            recovered: Vec::new(),
            actions: Vec::new(),
            outcomes: Vec::new(),
            records: Vec::new(),
        };
        for r in &records {
            c.apply(r);
        }
        c.records = records;
        Some(c)
    }

    fn role_mut(&mut self, role: &str) -> &mut Role {
        if let Some(i) = self.roles.iter().position(|r| r.role == role) {
            return &mut self.roles[i];
        }
        self.roles.push(Role {
            role: role.to_owned(),
            holder: None,
            called_ms: None,
            available: None,
            answered_ms: None,
            tried: Vec::new(),
            missing: false,
        });
        self.roles.last_mut().expect("just pushed")
    }

    fn apply(&mut self, r: &Record) {
        match &r.event {
            Event::Declared { .. } => {}
            Event::Joined {
                scenarios,
                processes,
                ..
            } => {
                for s in scenarios {
                    if !self.scenarios.contains(s) {
                        self.scenarios.push(s.clone());
                    }
                }
                for p in processes {
                    if !self.processes.contains(p) {
                        self.processes.push(p.clone());
                    }
                }
            }
            Event::Called { role, contact } => {
                let at = r.at_ms;
                let role = self.role_mut(role);
                role.holder = Some(contact.clone());
                role.called_ms = Some(at);
                role.available = None;
                role.answered_ms = None;
                if !role.tried.contains(contact) {
                    role.tried.push(contact.clone());
                }
            }
            Event::Answered { contact, available } => {
                for role in self
                    .roles
                    .iter_mut()
                    .filter(|x| x.holder.as_deref() == Some(contact.as_str()))
                {
                    role.available = Some(*available);
                    role.answered_ms = Some(r.at_ms);
                }
            }
            Event::PassedOver { role, to, .. } => {
                let role = self.role_mut(role);
                if to.is_none() {
                    role.missing = true;
                }
            }
            Event::Task { task, state, note } => {
                let progress = TaskProgress {
                    state: *state,
                    note: note.clone(),
                    at_ms: r.at_ms,
                    by: r.by.clone(),
                    run: self.task(task).and_then(|t| t.run),
                };
                self.set_task(task, progress);
            }
            Event::StepRun {
                task,
                passed,
                duration_ms,
                record,
            } => {
                let mut progress = self.task(task).cloned().unwrap_or(TaskProgress {
                    state: TaskState::Started,
                    note: None,
                    at_ms: r.at_ms,
                    by: r.by.clone(),
                    run: None,
                });
                progress.run = Some((*passed, *duration_ms, *record));
                progress.at_ms = r.at_ms;
                if *passed {
                    progress.state = TaskState::Done;
                }
                self.set_task(task, progress);
            }
            Event::Note { .. } | Event::Sent { .. } => {}
            Event::Submitted { clock, reference } => {
                self.submitted.push((*clock, r.at_ms, reference.clone()));
            }
            Event::Reminded { clock, level } => self.reminded.push((*clock, *level)),
            Event::Injected { index, .. } => self.injected.push(*index),
            Event::Recovered { process } => {
                if !self.recovered.iter().any(|(p, _)| p == process) {
                    self.recovered.push((process.clone(), r.at_ms));
                }
            }
            Event::Action {
                id,
                title,
                owner,
                due,
            } => self.actions.push(Action {
                id: id.clone(),
                title: title.clone(),
                owner: owner.clone(),
                due: due.clone(),
                done_ms: None,
                record: r.seq,
            }),
            Event::ActionDone { id } => {
                if let Some(a) = self.actions.iter_mut().find(|a| a.id == *id) {
                    a.done_ms = Some(r.at_ms);
                }
            }
            Event::Closed { outcomes } => {
                self.closed_ms = Some(r.at_ms);
                self.outcomes = outcomes.clone();
            }
        }
    }

    pub fn task(&self, key: &str) -> Option<&TaskProgress> {
        self.tasks.iter().find(|(k, _)| k == key).map(|(_, t)| t)
    }

    fn set_task(&mut self, key: &str, progress: TaskProgress) {
        match self.tasks.iter_mut().find(|(k, _)| k == key) {
            Some((_, t)) => *t = progress,
            None => self.tasks.push((key.to_owned(), progress)),
        }
    }

    pub fn is_exercise(&self) -> bool {
        self.exercise.is_some()
    }

    /// The regulatory clocks that run for this crisis.
    pub fn clocks(&self) -> Vec<Clock> {
        let mut out = Vec::new();
        if self.significant {
            out.extend([
                Clock::Nis2EarlyWarning,
                Clock::Nis2Notification,
                Clock::Nis2FinalReport,
            ]);
        }
        if self.personal_data {
            out.push(Clock::Gdpr);
        }
        out
    }

    /// The highest reminder level sent for `clock` (0: none yet).
    pub fn reminded_level(&self, clock: Clock) -> u8 {
        self.reminded
            .iter()
            .filter(|(c, _)| *c == clock)
            .map(|(_, l)| *l)
            .max()
            .unwrap_or(0)
    }

    /// The title as lists show it: an exercise's marked.
    pub fn marked_title(&self, mark: &str) -> String {
        if self.is_exercise() {
            format!("[{mark}] {}", self.title)
        } else {
            self.title.clone()
        }
    }

    /// When `clock` was submitted, if it was.
    pub fn submitted_at(&self, clock: Clock) -> Option<i64> {
        self.submitted
            .iter()
            .find(|(c, _, _)| *c == clock)
            .map(|(_, at, _)| *at)
    }

    /// The contacts who hold a role now (called or answered on it).
    pub fn reached(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.roles {
            if let Some(h) = &r.holder
                && r.available != Some(false)
                && !out.contains(h)
            {
                out.push(h.clone());
            }
        }
        out
    }
}

/// A role's state, in one word: `waiting` (called, no answer yet),
/// `on-it`, `cannot` (passed over), `missing` (nobody left), `not-called`.
pub fn role_state(r: &Role) -> &'static str {
    if r.missing {
        "missing"
    } else {
        match (r.called_ms, r.available) {
            (None, _) => "not-called",
            (Some(_), None) => "waiting",
            (Some(_), Some(true)) => "on-it",
            (Some(_), Some(false)) => "cannot",
        }
    }
}

/// A regulatory clock of `c` at `now`: its deadline and, when made, its
/// submission (time, reference).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockState {
    pub clock: Clock,
    pub deadline_ms: i64,
    pub submitted_ms: Option<i64>,
    pub reference: Option<String>,
    /// Past its deadline and not submitted.
    pub overdue: bool,
}

/// The regulatory clocks of `c` at `now`.
pub fn clocks(c: &Crisis, now: i64) -> Vec<ClockState> {
    c.clocks()
        .into_iter()
        .map(|clock| {
            let deadline_ms = clock.deadline(c.declared_ms);
            let sub = c.submitted.iter().find(|(k, _, _)| *k == clock);
            ClockState {
                clock,
                deadline_ms,
                submitted_ms: sub.map(|(_, at, _)| *at),
                reference: sub.and_then(|(_, _, r)| r.clone()),
                overdue: sub.is_none() && now > deadline_ms,
            }
        })
        .collect()
}

/// What is due for an open crisis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// Call `contact` for `role` (the first call of a role).
    Call { role: String, contact: String },
    /// `contact` did not answer in time, or cannot: call `to` instead,
    /// or nobody is left (`None`).
    PassOver {
        role: String,
        contact: String,
        to: Option<String>,
    },
    /// Remind a regulatory deadline.
    Remind { clock: Clock, level: u8 },
    /// Deliver exercise inject `index`.
    Inject { index: usize },
}

/// The reminder levels of a clock and when each falls: half the time
/// gone, the last tenth, the deadline itself.
fn reminder_points(clock: Clock, declared_ms: i64) -> [(u8, i64); 3] {
    let deadline = clock.deadline(declared_ms);
    let span = deadline - declared_ms;
    [
        (1, declared_ms + span / 2),
        (2, deadline - span / 10),
        (3, deadline),
    ]
}

/// The next alternate to call for `role` after the people it tried: the
/// alternates of the latest one tried, then of those before, in order.
fn next_alternate(plan: &Plan, role: &Role) -> Option<String> {
    for tried in role.tried.iter().rev() {
        let Some(c) = plan.contacts.iter().find(|c| c.id.as_str() == tried) else {
            continue;
        };
        if let Some(a) = c
            .alternates
            .iter()
            .find(|a| !role.tried.iter().any(|t| t == a.as_str()))
        {
            return Some(a.to_string());
        }
    }
    None
}

/// What is due at `now_ms` for `crisis` under `plan`. Nothing once closed.
pub fn due(plan: &Plan, crisis: &Crisis, now_ms: i64) -> Vec<Due> {
    let mut out = Vec::new();
    if crisis.closed_ms.is_some() {
        return out;
    }
    let wait = answer_within_ms(plan);
    for role in cell_roles(plan) {
        match crisis.roles.iter().find(|r| r.role == role) {
            None => out.push(Due::Call {
                role: role.clone(),
                contact: role,
            }),
            Some(r) if !r.missing => {
                let (Some(holder), Some(called)) = (&r.holder, r.called_ms) else {
                    continue;
                };
                let silent = r.available.is_none() && now_ms >= called + wait;
                if silent || r.available == Some(false) {
                    out.push(Due::PassOver {
                        role: r.role.clone(),
                        contact: holder.clone(),
                        to: next_alternate(plan, r),
                    });
                }
            }
            Some(_) => {}
        }
    }
    for clock in crisis.clocks() {
        if crisis.submitted_at(clock).is_some() {
            continue;
        }
        let done = crisis.reminded_level(clock);
        // Only the highest level reached is sent: a server down for a
        // day does not send three reminders at once.
        if let Some((level, _)) = reminder_points(clock, crisis.declared_ms)
            .into_iter()
            .rev()
            .find(|(l, at)| *l > done && *at <= now_ms)
        {
            out.push(Due::Remind { clock, level });
        }
    }
    if let Some(x) = exercise(plan, crisis) {
        for (index, inject) in x.injects.iter().enumerate() {
            let at =
                crisis.declared_ms + i64::try_from(inject.after.as_millis()).unwrap_or(i64::MAX);
            if at <= now_ms && !crisis.injected.contains(&index) {
                out.push(Due::Inject { index });
            }
        }
    }
    out
}

/// When something will next be due after `now_ms`, if anything will.
pub fn next_due(plan: &Plan, crisis: &Crisis, now_ms: i64) -> Option<i64> {
    if crisis.closed_ms.is_some() {
        return None;
    }
    let mut times: Vec<i64> = Vec::new();
    let wait = answer_within_ms(plan);
    for r in &crisis.roles {
        if let (false, None, Some(called)) = (r.missing, r.available, r.called_ms) {
            times.push(called + wait);
        }
    }
    for clock in crisis.clocks() {
        if crisis.submitted_at(clock).is_some() {
            continue;
        }
        let done = crisis.reminded_level(clock);
        times.extend(
            reminder_points(clock, crisis.declared_ms)
                .into_iter()
                .filter(|(l, _)| *l > done)
                .map(|(_, at)| at),
        );
    }
    if let Some(x) = exercise(plan, crisis) {
        for (index, inject) in x.injects.iter().enumerate() {
            if !crisis.injected.contains(&index) {
                times.push(
                    crisis.declared_ms + i64::try_from(inject.after.as_millis()).unwrap_or(0),
                );
            }
        }
    }
    times.into_iter().map(|t| t.max(now_ms)).min()
}

/// The plan's exercise this crisis plays.
pub fn exercise<'p>(plan: &'p Plan, crisis: &Crisis) -> Option<&'p crate::plan::Exercise> {
    let id = crisis.exercise.as_deref()?;
    plan.exercises.iter().find(|x| x.id.as_str() == id)
}

/// Where a checklist task comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum TaskSource {
    /// A `[[crisis_task]]` of the plan.
    Plan,
    /// Step `step` (from 1) of scenario `scenario`, of kind `kind`.
    Step {
        scenario: String,
        step: usize,
        kind: &'static str,
    },
}

/// One task of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    /// `task:<id>` or `<scenario>#<step>`.
    pub key: String,
    pub title: String,
    /// Contact or team id in charge.
    pub owner: Option<String>,
    /// Expected duration or deadline after the declaration, in ms.
    pub within_ms: Option<i64>,
    pub source: TaskSource,
    /// Rempart can run it (a `restore`, `command`, `http` or `sql` step).
    pub runnable: bool,
}

/// The checklist of `crisis`: the plan's crisis tasks, then the steps of
/// the scenarios it names and of those recovering its processes, in
/// order. `measured(scenario, step)` gives a step's time at the latest
/// drill, its expected duration.
pub fn checklist(
    plan: &Plan,
    crisis: &Crisis,
    measured: &dyn Fn(&str, usize) -> Option<i64>,
) -> Vec<Task> {
    let mut out: Vec<Task> = plan
        .crisis_tasks
        .iter()
        .map(|t| Task {
            key: format!("task:{}", t.id),
            title: t.title.clone(),
            owner: t.owner.as_ref().map(ToString::to_string),
            within_ms: t
                .within
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            source: TaskSource::Plan,
            runnable: false,
        })
        .collect();
    let mut scenarios: Vec<&str> = crisis.scenarios.iter().map(String::as_str).collect();
    for s in &plan.scenarios {
        if crisis.processes.iter().any(|p| p == s.process.as_str())
            && !scenarios.contains(&s.id.as_str())
        {
            scenarios.push(s.id.as_str());
        }
    }
    for id in scenarios {
        let Some(s) = plan.scenarios.iter().find(|s| s.id.as_str() == id) else {
            continue;
        };
        let process_owner = plan
            .processes
            .iter()
            .find(|p| p.id == s.process)
            .and_then(|p| p.owner.as_ref().map(ToString::to_string));
        for (i, step) in s.steps.iter().enumerate() {
            let owner = match &step.action {
                StepAction::Manual(m) => m.who.as_ref().map(ToString::to_string),
                _ => None,
            }
            .or_else(|| process_owner.clone());
            out.push(Task {
                key: format!("{}#{}", s.id, i + 1),
                title: step.name.clone(),
                owner,
                within_ms: measured(s.id.as_str(), i + 1),
                source: TaskSource::Step {
                    scenario: s.id.to_string(),
                    step: i + 1,
                    kind: step.action.kind(),
                },
                runnable: matches!(
                    step.action,
                    StepAction::Restore(_)
                        | StepAction::Command(_)
                        | StepAction::Http(_)
                        | StepAction::Sql(_)
                ),
            });
        }
    }
    out
}

/// What a process lost in a crisis, measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessOutcome {
    pub process: String,
    /// When the outage began: the first alert on the process's monitors,
    /// else the declaration.
    pub from_ms: i64,
    /// The record it was measured from (an alert's notification, or the
    /// declaration).
    pub from_record: i64,
    /// When it worked again: marked recovered, else the crisis' end.
    pub recovered_ms: i64,
    /// Whether someone marked it recovered (else: closed without).
    pub marked: bool,
    /// The RTO achieved: `recovered_ms - from_ms`.
    pub rto_ms: i64,
    pub rto_target_ms: i64,
    /// The data lost: the outage's start minus the newest restore point
    /// restored during the crisis; `None` when nothing was restored.
    pub rpo_ms: Option<i64>,
    pub rpo_target_ms: i64,
    /// The restore record the RPO comes from.
    pub rpo_record: Option<i64>,
}

/// What the engine measured of one process for [`outcome`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measured {
    /// The first alert on the process's monitors near the crisis: when,
    /// and its record.
    pub first_alert: Option<(i64, i64)>,
    /// The restore points restored for it during the crisis: the data's
    /// time and the restore's record.
    pub restored: Vec<(i64, i64)>,
}

/// The measured outcome of closing `crisis` at `closed_ms`, for each of
/// its processes. `measured(process)` gives what the evidence says.
pub fn outcome(
    plan: &Plan,
    crisis: &Crisis,
    closed_ms: i64,
    measured: &dyn Fn(&str) -> Measured,
) -> Vec<ProcessOutcome> {
    crisis
        .processes
        .iter()
        .filter_map(|id| {
            let p = plan.processes.iter().find(|p| p.id.as_str() == id)?;
            let m = measured(id);
            let (from_ms, from_record) = match m.first_alert {
                Some((at, rec)) if at < crisis.declared_ms => (at, rec),
                _ => (crisis.declared_ms, crisis.declared_seq),
            };
            let marked = crisis
                .recovered
                .iter()
                .find(|(q, _)| q == id)
                .map(|(_, at)| *at);
            let recovered_ms = marked.unwrap_or(closed_ms);
            let newest = m.restored.iter().max_by_key(|(data, _)| *data);
            Some(ProcessOutcome {
                process: id.clone(),
                from_ms,
                from_record,
                recovered_ms,
                marked: marked.is_some(),
                rto_ms: (recovered_ms - from_ms).max(0),
                rto_target_ms: i64::try_from(p.rto.as_millis()).unwrap_or(i64::MAX),
                rpo_ms: newest.map(|(data, _)| (from_ms - data).max(0)),
                rpo_target_ms: i64::try_from(p.rpo.as_millis()).unwrap_or(i64::MAX),
                rpo_record: newest.map(|(_, rec)| *rec),
            })
        })
        .collect()
}

/// How fast the cell reacted in an exercise: each call's time to answer,
/// and each inject's time to the first thing a person did after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reactions {
    /// Contact, ms from the call to the answer (`None`: never answered).
    pub answers: Vec<(String, Option<i64>)>,
    /// Inject index, ms to the first note, task change, message or
    /// answer by a person after it (`None`: nothing yet).
    pub injects: Vec<(usize, Option<i64>)>,
}

/// The cell's reaction times in `crisis`.
pub fn reactions(crisis: &Crisis) -> Reactions {
    let mut answers: Vec<(String, Option<i64>)> = Vec::new();
    for (i, r) in crisis.records.iter().enumerate() {
        if let Event::Called { contact, .. } = &r.event {
            let answered = crisis.records[i..].iter().find_map(|x| match &x.event {
                Event::Answered { contact: c, .. } if c == contact => Some(x.at_ms - r.at_ms),
                _ => None,
            });
            answers.push((contact.clone(), answered));
        }
    }
    let person = |r: &Record| {
        r.by != "rempart"
            && matches!(
                r.event,
                Event::Note { .. }
                    | Event::Task { .. }
                    | Event::Sent { .. }
                    | Event::Answered { .. }
                    | Event::StepRun { .. }
            )
    };
    let injects = crisis
        .records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.event {
            Event::Injected { index, .. } => Some((
                *index,
                crisis.records[i + 1..]
                    .iter()
                    .find(|x| person(x))
                    .map(|x| x.at_ms - r.at_ms),
            )),
            _ => None,
        })
        .collect();
    Reactions { answers, injects }
}

/// A time in time zone `tz` (IANA name; UTC when unknown), to the minute.
pub fn local_time(tz: &str, ms: i64) -> String {
    let Some(at) = DateTime::from_timestamp_millis(ms) else {
        return ms.to_string();
    };
    match tz.parse::<chrono_tz::Tz>() {
        Ok(zone) => at
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// A crisis Rempart proposes to declare: a monitor watching a vital
/// process's assets has been down past half the process's RTO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub process: String,
    pub monitor: String,
    /// Since when the monitor is down.
    pub since_ms: i64,
    pub rto_ms: i64,
}

/// The crises to propose at `now_ms`, given the monitors down and since
/// when: one per vital process, the monitor down the longest.
pub fn proposals(plan: &Plan, down: &[(String, i64)], now_ms: i64) -> Vec<Proposal> {
    let mut out: Vec<Proposal> = Vec::new();
    for p in plan
        .processes
        .iter()
        .filter(|p| p.criticality == crate::plan::Criticality::Vital)
    {
        let assets = crate::assessment::dependencies(plan, p);
        let rto_ms = i64::try_from(p.rto.as_millis()).unwrap_or(i64::MAX);
        let longest = plan
            .monitors
            .iter()
            .filter(|m| {
                m.asset
                    .as_ref()
                    .is_some_and(|a| assets.contains(a.as_str()))
            })
            .filter_map(|m| {
                down.iter()
                    .find(|(id, _)| id == m.id.as_str())
                    .map(|(id, since)| (id.clone(), *since))
            })
            .min_by_key(|(_, since)| *since);
        if let Some((monitor, since_ms)) = longest
            && now_ms - since_ms >= rto_ms / 2
        {
            out.push(Proposal {
                process: p.id.to_string(),
                monitor,
                since_ms,
                rto_ms,
            });
        }
    }
    out
}

/// The crisis id for a declaration at `at_ms`: `crisis-YYYYMMDD-HHMMSS` (UTC).
pub fn crisis_id(at_ms: i64) -> String {
    let at = DateTime::from_timestamp_millis(at_ms).unwrap_or_default();
    format!("crisis-{}", at.format("%Y%m%d-%H%M%S"))
}

#[cfg(test)]
mod tests;
