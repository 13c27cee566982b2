//! The business side of a plan: who the organisation is, its critical
//! processes (the BIA), its risks, and the people of its crisis cell.

use super::decode::{plan_enum, plan_table};
use super::values::{Duration, Id};

plan_enum! {
    /// Language of the portal, messages and generated documents.
    pub enum Language {
        /// Français
        Fr = "fr",
        /// English
        En = "en",
    }
}

plan_table! {
    /// `[organization]`: the company this plan belongs to.
    pub struct Organization {
        /// Legal or usual name, e.g. "Martin Usinage SAS".
        pub name: String,
        /// `fr` or `en`.
        pub language: Language,
        /// IANA time zone in which schedules are read, e.g. "Europe/Paris".
        pub timezone: String,
        /// The managed-service provider (infogérant) that runs the plan, if any.
        @default pub msp: Option<String>,
    }
}

plan_enum! {
    /// How much the business depends on a process.
    pub enum Criticality {
        /// The business stops without it: backup, scenario and owner are mandatory.
        Vital = "vital",
        /// Needed within days.
        Essential = "essential",
        /// Can wait.
        Secondary = "secondary",
    }
}

plan_enum! {
    /// What kind of harm an interruption does.
    pub enum ImpactArea {
        Financial = "financial",
        Operational = "operational",
        Legal = "legal",
        Reputation = "reputation",
        Human = "human",
    }
}

plan_table! {
    /// One step of a process's impact over time: how bad it is after a
    /// given outage length.
    pub struct Impact {
        /// Outage length from which this impact applies.
        pub after: Duration,
        /// 1 (negligible) to 5 (threatens the business).
        #[schemars(range(min = 1, max = 5))]
        pub severity: u8,
        @default pub area: Option<ImpactArea>,
        pub description: String,
    }
}

plan_table! {
    /// `[[process]]`: a business process and its BIA targets.
    pub struct Process {
        pub id: Id,
        pub name: String,
        /// Contact id of the person answerable for this process.
        @default pub owner: Option<Id>,
        pub criticality: Criticality,
        /// Recovery time objective (French: DMIA): longest acceptable outage.
        pub rto: Duration,
        /// Recovery point objective (French: PDMA): most data that may be lost, as a time window.
        pub rpo: Duration,
        /// Maximum tolerable period of disruption: past it the business itself is in danger.
        @default pub mtpd: Option<Duration>,
        /// Minimum business continuity objective: the service level that must hold during a crisis.
        @default pub mbco: Option<String>,
        /// Ids of the assets (or other processes) this process needs.
        @default pub depends_on: Vec<Id>,
        /// Impact over time, in increasing order of `after`.
        @default pub impacts: Vec<Impact>,
        @default pub description: Option<String>,
    }
}

plan_table! {
    /// `[[risk]]`: a threat to the business, scored probability × impact.
    pub struct Risk {
        pub id: Id,
        pub title: String,
        /// 1 (rare) to 5 (almost certain).
        #[schemars(range(min = 1, max = 5))]
        pub probability: u8,
        /// 1 (negligible) to 5 (threatens the business).
        #[schemars(range(min = 1, max = 5))]
        pub impact: u8,
        /// Ids of the processes and assets it would hit.
        @default pub affects: Vec<Id>,
        /// Ids of the backups, scenarios, monitors or repositories that reduce it.
        @default pub mitigated_by: Vec<Id>,
        @default pub description: Option<String>,
    }
}

plan_table! {
    /// `[[contact]]`: a person of the crisis cell, in-house or at the MSP.
    pub struct Contact {
        pub id: Id,
        pub name: String,
        /// Crisis role, e.g. "Crisis cell lead", "IT on call".
        @default pub role: Option<String>,
        @default pub phone: Option<String>,
        @default pub email: Option<String>,
        /// Contact ids to call, in order, when this person cannot be reached.
        @default pub alternates: Vec<Id>,
        @default pub language: Option<Language>,
    }
}

plan_table! {
    /// `[[team]]`: a group of contacts, called in the order given.
    pub struct Team {
        pub id: Id,
        pub name: String,
        @default pub lead: Option<Id>,
        /// Contact ids, in call order.
        pub members: Vec<Id>,
    }
}

impl From<Language> for rempart_i18n::Lang {
    fn from(l: Language) -> Self {
        match l {
            Language::Fr => rempart_i18n::Lang::Fr,
            Language::En => rempart_i18n::Lang::En,
        }
    }
}

impl From<rempart_i18n::Lang> for Language {
    fn from(l: rempart_i18n::Lang) -> Self {
        match l {
            rempart_i18n::Lang::Fr => Language::Fr,
            rempart_i18n::Lang::En => Language::En,
        }
    }
}
