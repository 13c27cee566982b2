//! The continuity plan (`rempart.toml`): its model, its parser and its
//! validation.
//!
//! Reading a plan goes in three stages, each reporting every problem it
//! finds rather than the first: TOML syntax, then decoding into the typed
//! model (wrong types, unknown keys, bad values), then the semantic rules
//! of [`validate`] (references, cycles, targets that cannot be met).

mod business;
mod crisis;
mod decode;
pub mod finding;
mod infrastructure;
mod scenario;
mod supervision;
pub mod trust;
mod validate;
pub mod values;

use rempart_i18n::say;
use schemars::JsonSchema;
use serde::Serialize;

pub use business::{
    Contact, Criticality, Impact, ImpactArea, Language, Organization, Process, Risk, Team,
};
pub use crisis::{Audience, CrisisMessage, CrisisSettings, CrisisTask, Exercise, Inject};
use decode::{Cx, TableReader};
pub use finding::{Finding, Severity, SourceMap};
pub use infrastructure::{
    Asset, AssetKind, Backup, CommandSource, Compression, DEFAULT_JOB_TIMEOUT, PathsSource,
    Repository, Retention, Site, SiteKind, Source,
};
pub use scenario::{
    CommandCheck, CommandStep, Condition, HttpCheck, HttpStep, ManualStep, NotifyStep, RestoreStep,
    STEP_KINDS, Scenario, SimulateStep, SqlStep, Step, StepAction, TcpCheck, WaitForStep,
    WaitUntil,
};
pub use supervision::{
    Channel, ChatChannel, EmailChannel, Escalation, EscalationStep, Expect, Maintenance, Monitor,
    MonitorKind, NtfyChannel, Sla, SlaTarget, StatusPage, WebhookChannel, json_pointer,
};
use validate::Broken;
pub use values::{
    Duration, Id, Location, Percent, SECRET_NAME_MAX_LEN, Said, Schedule, SecretRef,
    check_secret_name,
};

/// A whole continuity plan, as written in `rempart.toml`. Each list is the
/// array of tables of the same singular name (`[[process]]` → `processes`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Rempart continuity plan",
    description = "rempart.toml: critical processes with their RTO/RPO, assets, backups, monitors, recovery scenarios, risks and crisis contacts."
)]
pub struct Plan {
    pub organization: Organization,
    #[serde(rename = "site", default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<Site>,
    #[serde(rename = "asset", default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<Asset>,
    #[serde(rename = "process", default, skip_serializing_if = "Vec::is_empty")]
    pub processes: Vec<Process>,
    #[serde(rename = "repository", default, skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<Repository>,
    #[serde(rename = "backup", default, skip_serializing_if = "Vec::is_empty")]
    pub backups: Vec<Backup>,
    #[serde(rename = "monitor", default, skip_serializing_if = "Vec::is_empty")]
    pub monitors: Vec<Monitor>,
    #[serde(rename = "scenario", default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<Scenario>,
    #[serde(rename = "risk", default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Risk>,
    #[serde(rename = "contact", default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(rename = "team", default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Team>,
    #[serde(rename = "channel", default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    #[serde(rename = "escalation", default, skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<Escalation>,
    #[serde(rename = "maintenance", default, skip_serializing_if = "Vec::is_empty")]
    pub maintenances: Vec<Maintenance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Sla>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_page: Option<StatusPage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crisis: Option<CrisisSettings>,
    #[serde(rename = "crisis_task", default, skip_serializing_if = "Vec::is_empty")]
    pub crisis_tasks: Vec<CrisisTask>,
    #[serde(
        rename = "crisis_message",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub crisis_messages: Vec<CrisisMessage>,
    #[serde(rename = "exercise", default, skip_serializing_if = "Vec::is_empty")]
    pub exercises: Vec<Exercise>,
}

/// The top-level keys of a plan.
const PLAN_KEYS: &[&str] = &[
    "organization",
    "site",
    "asset",
    "process",
    "repository",
    "backup",
    "monitor",
    "scenario",
    "risk",
    "contact",
    "team",
    "channel",
    "escalation",
    "maintenance",
    "sla",
    "status_page",
    "crisis",
    "crisis_task",
    "crisis_message",
    "exercise",
];

/// Reads the whole plan. Broken elements are left out and listed in
/// [`Broken`], so the semantic rules can still check the rest.
fn read_plan(r: &mut TableReader<'_, '_>) -> (Plan, Broken) {
    let mut broken = Broken::default();
    let organization = r.required::<Organization>("organization");
    broken.organization = organization.is_none();
    macro_rules! section {
        ($key:literal) => {{
            let s = r.section($key);
            broken.add($key, s.broken);
            s.elements
        }};
    }
    let plan = Plan {
        // A placeholder keeps the rest checkable; the rules skip it.
        organization: organization.unwrap_or_else(|| Organization {
            name: String::new(),
            language: Language::En,
            timezone: "UTC".into(),
            msp: None,
        }),
        sites: section!("site"),
        assets: section!("asset"),
        processes: section!("process"),
        repositories: section!("repository"),
        backups: section!("backup"),
        monitors: section!("monitor"),
        scenarios: section!("scenario"),
        risks: section!("risk"),
        contacts: section!("contact"),
        teams: section!("team"),
        channels: section!("channel"),
        escalations: section!("escalation"),
        maintenances: section!("maintenance"),
        sla: r.optional::<Option<Sla>>("sla").flatten(),
        status_page: r.optional::<Option<StatusPage>>("status_page").flatten(),
        crisis: r.optional::<Option<CrisisSettings>>("crisis").flatten(),
        crisis_tasks: section!("crisis_task"),
        crisis_messages: section!("crisis_message"),
        exercises: section!("exercise"),
    };
    (plan, broken)
}

/// What reading a plan's text gave: the plan when it could be decoded,
/// where each element was written, and every finding, in source order.
#[derive(Debug, Clone)]
pub struct Checked {
    pub plan: Option<Plan>,
    pub spans: SourceMap,
    pub findings: Vec<Finding>,
    /// The language the text declares (`[organization] language`), read
    /// even when the plan has errors: its findings are said in it.
    pub language: Option<rempart_i18n::Lang>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The plan, if it has no error (warnings allowed).
    pub fn valid_plan(&self) -> Option<&Plan> {
        self.plan.as_ref().filter(|_| self.errors() == 0)
    }
}

/// Reads and validates a plan's text: syntax, types, keys, values, then
/// the semantic rules. Never panics, whatever the input.
pub fn check(text: &str) -> Checked {
    let (root, syntax_errors) = toml::de::DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        // A tree rebuilt around a syntax error would only add confusing findings.
        let findings = syntax_errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                // The parser's own words stay English; the sentence is the reader's.
                let why = e.message().trim_end();
                Finding::error("toml-syntax", "", say!("plan-toml-syntax", why = why))
                    .hint(say!("plan-toml-syntax-hint"))
                    .at(Some(span))
            })
            .collect();
        return Checked {
            plan: None,
            spans: SourceMap::default(),
            findings: sorted(findings),
            language: None,
        };
    }
    let language = declared_language(root.get_ref());
    let mut cx = Cx::default();
    let mut reader = TableReader::new(root.get_ref(), root.span(), &mut cx, PLAN_KEYS);
    let (plan, broken) = read_plan(&mut reader);
    reader.finish();
    let Cx {
        mut findings,
        spans,
        ..
    } = cx;
    let decoded = findings.is_empty();
    findings.extend(validate::validate(&plan, &spans, &broken));
    Checked {
        plan: decoded.then_some(plan),
        spans,
        findings: sorted(findings),
        language,
    }
}

/// `[organization] language`, as written, when it names a language
/// Rempart speaks.
fn declared_language(root: &toml::de::DeTable<'_>) -> Option<rempart_i18n::Lang> {
    let toml::de::DeValue::Table(org) = root.get("organization")?.get_ref() else {
        return None;
    };
    let toml::de::DeValue::String(code) = org.get("language")?.get_ref() else {
        return None;
    };
    rempart_i18n::Lang::parse(code)
}

impl Checked {
    /// Checks what the plan names on this machine, relative to `base` (the
    /// plan's folder): monitors' `ca` files are readable PEM certificates.
    /// A problem is a warning: the monitor is down until it is fixed, the
    /// rest of the plan runs.
    pub fn check_files(&mut self, base: &std::path::Path) {
        let Some(plan) = &self.plan else { return };
        let mut more = Vec::new();
        for (i, m) in plan.monitors.iter().enumerate() {
            let Some(ca) = &m.ca else { continue };
            if m.tls_verify == Some(false) {
                continue;
            }
            let path = base.join(ca);
            let shown = path.display().to_string();
            let problem = match std::fs::read_to_string(&path) {
                Err(e) => say!("plan-ca-unreadable", path = shown, why = e.to_string()),
                Ok(t) if !t.contains("-----BEGIN CERTIFICATE-----") => {
                    say!("plan-ca-not-pem", path = shown)
                }
                Ok(_) => continue,
            };
            let at = format!("monitor[{i}].ca");
            let span = self.spans.value(&at);
            more.push(
                Finding::warning(
                    "unreadable-file",
                    at,
                    say!(
                        "plan-ca-unusable",
                        monitor = m.id.as_str(),
                        problem = problem
                    ),
                )
                .hint(say!("plan-ca-unusable-hint"))
                .at(span),
            );
        }
        self.add(more);
    }

    /// Adds findings of a later stage, keeping them in source order.
    pub fn add(&mut self, more: Vec<Finding>) {
        self.findings.extend(more);
        self.findings = sorted(std::mem::take(&mut self.findings));
    }
}

/// Source order; findings without a place come last.
fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_key(|f| {
        (
            f.span.as_ref().map_or(usize::MAX, |s| s.start),
            f.path.clone(),
        )
    });
    findings.dedup();
    findings
}

impl Plan {
    /// Checks the semantic rules on an already decoded plan (e.g. one built
    /// through the API); `spans` places findings in the source when known.
    pub fn validate(&self, spans: &SourceMap) -> Vec<Finding> {
        validate::validate(self, spans, &Broken::default())
    }

    /// The plan as TOML, in its normalised form (durations in their
    /// shortest human form, defaults left out).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot print this plan as TOML: {e}\n"))
    }

    /// The plan as JSON, with every duration in seconds.
    pub fn to_json(&self) -> serde_json::Value {
        Duration::in_seconds(|| serde_json::to_value(self)).unwrap_or(serde_json::Value::Null)
    }
}

/// The JSON Schema of `rempart.toml`, for editors (Taplo, VS Code's Even
/// Better TOML) to complete and check plans.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Plan)).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod round_trip {
    //! Any plan printed as TOML reads back equal: nothing is lost or
    //! changed by `plan show`, the API or the portal writing a plan file.
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;

    fn plans() -> impl Strategy<Value = Plan> {
        (
            (
                any::<Organization>(),
                vec(any::<Site>(), 0..3),
                vec(any::<Asset>(), 0..3),
                vec(any::<Process>(), 0..3),
                vec(any::<Repository>(), 0..3),
                vec(any::<Backup>(), 0..3),
                vec(any::<Monitor>(), 0..3),
            ),
            (
                vec(any::<Scenario>(), 0..3),
                vec(any::<Risk>(), 0..3),
                vec(any::<Contact>(), 0..3),
                vec(any::<Team>(), 0..3),
                vec(any::<Channel>(), 0..4),
                vec(any::<Escalation>(), 0..3),
                vec(any::<Maintenance>(), 0..2),
                any::<Option<Sla>>(),
                any::<Option<StatusPage>>(),
            ),
            (
                any::<Option<CrisisSettings>>(),
                vec(any::<CrisisTask>(), 0..2),
                vec(any::<CrisisMessage>(), 0..2),
                vec(any::<Exercise>(), 0..2),
            ),
        )
            .prop_map(
                |(
                    (organization, sites, assets, processes, repositories, backups, monitors),
                    (
                        scenarios,
                        risks,
                        contacts,
                        teams,
                        channels,
                        escalations,
                        maintenances,
                        sla,
                        status_page,
                    ),
                    (crisis, crisis_tasks, crisis_messages, exercises),
                )| Plan {
                    organization,
                    sites,
                    assets,
                    processes,
                    repositories,
                    backups,
                    monitors,
                    scenarios,
                    risks,
                    contacts,
                    teams,
                    channels,
                    escalations,
                    maintenances,
                    sla,
                    status_page,
                    crisis,
                    crisis_tasks,
                    crisis_messages,
                    exercises,
                },
            )
    }

    proptest! {
        // Small nested lists keep each case fast; variety comes from the cases.
        #![proptest_config(ProptestConfig {
            cases: 256,
            max_default_size_range: 4,
            ..ProptestConfig::default()
        })]

        #[test]
        fn any_plan_printed_as_toml_reads_back_equal(plan in plans()) {
            let text = plan.to_toml();
            let checked = check(&text);
            // Semantic findings are expected (ids are random); decoding must succeed.
            prop_assert!(checked.plan.is_some(), "{text}\n{:#?}", checked.findings);
            prop_assert_eq!(checked.plan.as_ref(), Some(&plan), "{}", text);
        }
    }

    #[test]
    fn json_view_has_durations_in_seconds() {
        let checked = check(include_str!("../../tests/plans/base.toml"));
        let json = checked.valid_plan().map(Plan::to_json).unwrap_or_default();
        assert_eq!(json["process"][0]["rto"], 14_400);
        assert_eq!(json["process"][0]["rpo"], 3_600);
        assert_eq!(json["backup"][0]["schedule"], "every 1h");
        assert_eq!(json["repository"][0]["password"]["env"], "NAS_PASSWORD");
    }
}
