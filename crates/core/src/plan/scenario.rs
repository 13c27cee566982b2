//! Recovery and failover scenarios: the runbooks that drills execute.

use std::borrow::Cow;

use rempart_i18n::say;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::decode::{
    Cx, Decode, DecodeTable, Item, TableReader, decode_table, plan_enum, plan_table, which_key,
};
use super::supervision::Expect;
use super::values::{Duration, Id, Schedule, SecretRef};

plan_table! {
    /// Restore a backup into a sandbox: `{ restore = "erp-db", site = "cloud", to = "/var/tmp/drill" }`.
    pub struct RestoreStep {
        /// Backup id.
        pub restore: Id,
        /// Site id to restore from; the backup's first target otherwise.
        @default pub site: Option<Id>,
        /// Directory to restore into; a fresh sandbox otherwise.
        @default pub to: Option<String>,
    }
}

plan_table! {
    /// Run a shell command: `{ command = "pg_restore -d erp_drill …" }`.
    pub struct CommandStep {
        pub command: String,
        /// Exit code that means success.
        @default pub expect_exit: u8,
    }
}

plan_table! {
    /// Request a URL: `{ http = "http://erp.lan/login", expect = { status = 200 } }`.
    pub struct HttpStep {
        pub http: String,
        @default pub expect: Option<Expect>,
    }
}

plan_table! {
    /// Query PostgreSQL: `{ sql = "SELECT count(*) > 0 FROM invoice", database = { env = "DRILL_DB_URL" } }`.
    pub struct SqlStep {
        pub sql: String,
        /// Connection URL, by reference (it holds a password).
        pub database: SecretRef,
        /// Text of the first column of the first row; the step fails otherwise.
        @default pub expect: Option<String>,
    }
}

plan_table! {
    /// Wait until an HTTP check passes.
    pub struct HttpCheck {
        pub http: String,
        @default pub expect: Option<Expect>,
    }
}

plan_table! {
    /// Wait until a TCP port accepts connections: `{ tcp = "erp.lan:5432" }`.
    pub struct TcpCheck {
        pub tcp: String,
    }
}

plan_table! {
    /// Wait until a command succeeds.
    pub struct CommandCheck {
        pub command: String,
        @default pub expect_exit: u8,
    }
}

/// What a `wait_for` step polls.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(proptest_derive::Arbitrary))]
#[serde(untagged)]
pub enum Condition {
    Http(HttpCheck),
    Tcp(TcpCheck),
    Command(CommandCheck),
}

impl Decode for Condition {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        match which_key(
            item,
            cx,
            &["http", "tcp", "command"],
            say!("plan-what-condition"),
        )? {
            0 => decode_table(item, cx).map(Condition::Http),
            1 => decode_table(item, cx).map(Condition::Tcp),
            _ => decode_table(item, cx).map(Condition::Command),
        }
    }
}

impl JsonSchema for Condition {
    fn schema_name() -> Cow<'static, str> {
        "Condition".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "oneOf": [
                generator.subschema_for::<HttpCheck>(),
                generator.subschema_for::<TcpCheck>(),
                generator.subschema_for::<CommandCheck>(),
            ]
        })
    }
}

plan_enum! {
    /// What a `wait_for` step waits for.
    pub enum WaitUntil {
        /// The condition holds (the service is back).
        Up = "up",
        /// The condition fails (the outage is seen, after a `simulate`).
        Down = "down",
    }
}

plan_table! {
    /// Poll a condition until it holds (or the step's timeout passes):
    /// `{ wait_for = { tcp = "erp.lan:443" }, every = "5s" }`; with
    /// `until = "down"`, until it stops holding.
    pub struct WaitForStep {
        pub wait_for: Condition,
        /// Time between two polls (1s when not given).
        @default pub every: Option<Duration>,
        /// `up` (the default) or `down`.
        @default pub until: Option<WaitUntil>,
    }
}

plan_table! {
    /// A person confirms: `{ manual = "Check the last invoice number", who = "compta" }`.
    pub struct ManualStep {
        pub manual: String,
        /// Contact or team id expected to confirm.
        @default pub who: Option<Id>,
    }
}

plan_table! {
    /// Tell people: `{ notify = ["crisis-cell"], message = "ERP restored" }`.
    pub struct NotifyStep {
        /// Channel, contact or team ids.
        pub notify: Vec<Id>,
        @default pub message: Option<String>,
    }
}

plan_table! {
    /// Break something on purpose (failover drills): `{ simulate = "systemctl stop erp" }`.
    pub struct SimulateStep {
        pub simulate: String,
    }
}

/// What a step does: named by the key of its kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(proptest_derive::Arbitrary))]
#[serde(untagged)]
pub enum StepAction {
    Restore(RestoreStep),
    Command(CommandStep),
    Http(HttpStep),
    Sql(SqlStep),
    WaitFor(WaitForStep),
    Manual(ManualStep),
    Notify(NotifyStep),
    Simulate(SimulateStep),
}

/// The keys that name a step's kind, in [`StepAction`] order.
pub const STEP_KINDS: &[&str] = &[
    "restore", "command", "http", "sql", "wait_for", "manual", "notify", "simulate",
];

impl StepAction {
    /// The key that names this step's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            StepAction::Restore(_) => "restore",
            StepAction::Command(_) => "command",
            StepAction::Http(_) => "http",
            StepAction::Sql(_) => "sql",
            StepAction::WaitFor(_) => "wait_for",
            StepAction::Manual(_) => "manual",
            StepAction::Notify(_) => "notify",
            StepAction::Simulate(_) => "simulate",
        }
    }
}

/// One step of a scenario: a name, an optional timeout, whether it is a
/// cleanup step, and what it does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(proptest_derive::Arbitrary))]
pub struct Step {
    pub name: String,
    /// Longest the step may run; it is killed and fails after that.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    /// Always run, even after an earlier step failed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cleanup: bool,
    #[serde(flatten)]
    pub action: StepAction,
}

const STEP_COMMON_KEYS: &[&str] = &["name", "timeout", "cleanup"];

impl Decode for Step {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        let kind = which_key(item, cx, STEP_KINDS, say!("plan-what-step"))?;
        let toml::de::DeValue::Table(table) = item.get_ref() else {
            return None;
        };
        let action_keys: &[&str] = match kind {
            0 => RestoreStep::KEYS,
            1 => CommandStep::KEYS,
            2 => HttpStep::KEYS,
            3 => SqlStep::KEYS,
            4 => WaitForStep::KEYS,
            5 => ManualStep::KEYS,
            6 => NotifyStep::KEYS,
            _ => SimulateStep::KEYS,
        };
        let known: Vec<&str> = STEP_COMMON_KEYS
            .iter()
            .chain(action_keys)
            .copied()
            .collect();
        let mut r = TableReader::new(table, item.span(), cx, &known);
        let name = r.required::<String>("name");
        let timeout = r.optional::<Option<Duration>>("timeout");
        let cleanup = r.optional::<bool>("cleanup");
        let action = match kind {
            0 => RestoreStep::read(&mut r).map(StepAction::Restore),
            1 => CommandStep::read(&mut r).map(StepAction::Command),
            2 => HttpStep::read(&mut r).map(StepAction::Http),
            3 => SqlStep::read(&mut r).map(StepAction::Sql),
            4 => WaitForStep::read(&mut r).map(StepAction::WaitFor),
            5 => ManualStep::read(&mut r).map(StepAction::Manual),
            6 => NotifyStep::read(&mut r).map(StepAction::Notify),
            _ => SimulateStep::read(&mut r).map(StepAction::Simulate),
        };
        r.finish();
        Some(Step {
            name: name?,
            timeout: timeout?,
            cleanup: cleanup?,
            action: action?,
        })
    }
}

impl JsonSchema for Step {
    fn schema_name() -> Cow<'static, str> {
        "Step".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // Each kind's own keys plus the keys every step shares, closed to others.
        let common = serde_json::json!({
            "name": { "type": "string", "description": "What this step does, for people." },
            "timeout": generator.subschema_for::<Duration>(),
            "cleanup": { "type": "boolean", "description": "Always run, even after a failure." },
        });
        let variants: Vec<Schema> = [
            RestoreStep::json_schema(generator),
            CommandStep::json_schema(generator),
            HttpStep::json_schema(generator),
            SqlStep::json_schema(generator),
            WaitForStep::json_schema(generator),
            ManualStep::json_schema(generator),
            NotifyStep::json_schema(generator),
            SimulateStep::json_schema(generator),
        ]
        .into_iter()
        .map(|mut schema| {
            let object = schema.ensure_object();
            if let (Some(props), Some(common)) = (
                object.get_mut("properties").and_then(|p| p.as_object_mut()),
                common.as_object(),
            ) {
                props.extend(common.clone());
            }
            if let Some(required) = object.get_mut("required").and_then(|r| r.as_array_mut()) {
                required.push("name".into());
            }
            schema
        })
        .collect();
        json_schema!({
            "description": "A scenario step, named by the key of its kind: restore, command, http, sql, wait_for, manual, notify or simulate.",
            "oneOf": variants
        })
    }
}

plan_table! {
    /// `[[scenario]]`: an ordered runbook that recovers a process, run for
    /// real on its drill schedule.
    pub struct Scenario {
        pub id: Id,
        pub name: String,
        /// Process id this scenario recovers: its run time is that process's achieved RTO.
        pub process: Id,
        /// When to run it as a drill.
        @default pub drill: Option<Schedule>,
        pub steps: Vec<Step>,
        @default pub description: Option<String>,
    }
}
