//! Crisis mode in the plan: who forms the crisis cell and how long they
//! have to answer, the first-hour checklist, the message templates, and
//! the exercises with their injects.

use super::decode::{plan_enum, plan_table};
use super::values::{Duration, Id};

plan_table! {
    /// `[crisis]`: how the crisis cell is called when a crisis is declared.
    pub struct CrisisSettings {
        /// Contact or team ids, in call order: each contact (each member
        /// of a team) is one role of the cell. Every contact with a `role`,
        /// in plan order, when not given.
        @default pub cell: Vec<Id>,
        /// How long a person called has to answer before their first
        /// alternate is called instead (15 minutes when not given).
        @default pub answer_within: Option<Duration>,
    }
}

plan_table! {
    /// `[[crisis_task]]`: a first-hour action of the crisis checklist, e.g.
    /// "Isolate the network", "Call the insurer".
    pub struct CrisisTask {
        pub id: Id,
        pub title: String,
        /// Contact or team id in charge.
        @default pub owner: Option<Id>,
        /// How long after the declaration it should be done.
        @default pub within: Option<Duration>,
        @default pub description: Option<String>,
    }
}

plan_enum! {
    /// Who a crisis message is for.
    pub enum Audience {
        Staff = "staff",
        Clients = "clients",
        Suppliers = "suppliers",
        Authorities = "authorities",
    }
}

plan_table! {
    /// `[[crisis_message]]`: a message template, filled with the crisis'
    /// facts when sent: `{organization}`, `{title}`, `{severity}`,
    /// `{declared}`, `{processes}`, `{status}`.
    pub struct CrisisMessage {
        pub id: Id,
        pub audience: Audience,
        /// Channel, contact or team ids it is sent to.
        pub to: Vec<Id>,
        pub subject: String,
        pub text: String,
        /// Also shown on the tenant's status page when sent.
        @default pub public: bool,
    }
}

plan_table! {
    /// A timed event of an exercise: it reaches the cell `after` the
    /// exercise started, as the leader prepared it.
    pub struct Inject {
        pub after: Duration,
        pub text: String,
        /// Channel, contact or team ids; the whole cell when empty.
        @default pub to: Vec<Id>,
    }
}

plan_table! {
    /// `[[exercise]]`: a crisis exercise prepared in advance, run with
    /// `rempart crisis declare --exercise ID`.
    pub struct Exercise {
        pub id: Id,
        pub title: String,
        /// Scenario ids whose steps go on the checklist.
        @default pub scenarios: Vec<Id>,
        /// Process ids the exercise pretends are down.
        @default pub processes: Vec<Id>,
        @default pub injects: Vec<Inject>,
    }
}
