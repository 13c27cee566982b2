//! Supervision: monitors, alert channels, escalation and SLA targets.

use std::borrow::Cow;

use rempart_i18n::say;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::decode::{Cx, Decode, Item, decode_table_with, decode_word, plan_enum, plan_table};
use super::values::{Duration, Id, Percent, Said, Schedule, SecretRef};

plan_enum! {
    /// What a monitor checks.
    pub enum MonitorKind {
        /// An HTTP(S) request: status, body, latency.
        Http = "http",
        /// A TCP connection to host:port.
        Tcp = "tcp",
        /// A DNS lookup: record type and value.
        Dns = "dns",
        /// A TLS certificate: days before expiry, chain.
        Tls = "tls",
        /// Ping: loss and latency.
        Icmp = "icmp",
        /// A local command: exit code and output.
        Command = "command",
        /// A job that pings Rempart (`/ping/{token}`) on its own schedule.
        Heartbeat = "heartbeat",
        /// The age of a plan backup's newest good restore point (the RPO watch).
        Backup = "backup",
    }
}

plan_table! {
    /// Conditions a check must meet; each kind uses its own.
    pub struct Expect {
        /// HTTP status code.
        @default pub status: Option<u16>,
        /// Text the HTTP body or the command output must contain.
        @default pub body_contains: Option<String>,
        /// A regular expression the HTTP body must match.
        @default pub body_matches: Option<String>,
        /// HTTP: where to look in a JSON body (`$.status.db`, `items[0].id`);
        /// with `value`, what must be found there, otherwise anything but null.
        @default pub json_path: Option<String>,
        /// Slowest acceptable answer.
        @default pub max_latency: Option<Duration>,
        /// Command exit code.
        @default pub exit_code: Option<u8>,
        /// DNS record type, e.g. "A", "MX".
        @default pub record: Option<String>,
        /// DNS: a value expected in the answer; HTTP: the value at `json_path`.
        @default pub value: Option<String>,
        /// TLS: least number of days before the certificate expires.
        @default pub min_days_valid: Option<u32>,
        /// ICMP: highest acceptable packet loss, in percent.
        @default pub max_loss: Option<Percent>,
    }
}

impl MonitorKind {
    /// The `expect` keys that make sense for this kind.
    pub fn expect_keys(self) -> &'static [&'static str] {
        match self {
            MonitorKind::Http => &[
                "status",
                "body_contains",
                "body_matches",
                "json_path",
                "value",
                "max_latency",
            ],
            MonitorKind::Tcp => &["max_latency"],
            MonitorKind::Dns => &["record", "value", "max_latency"],
            MonitorKind::Tls => &["min_days_valid"],
            MonitorKind::Icmp => &["max_loss", "max_latency"],
            MonitorKind::Command => &["exit_code", "body_contains"],
            MonitorKind::Heartbeat | MonitorKind::Backup => &[],
        }
    }
}

plan_table! {
    /// `[[monitor]]`: something watched continuously.
    pub struct Monitor {
        pub id: Id,
        pub kind: MonitorKind,
        @default pub name: Option<String>,
        /// URL, host:port, host name or command; the backup id for kind
        /// `backup`; none for `heartbeat`.
        @default pub target: Option<String>,
        /// How often to check (not for heartbeats).
        @default pub interval: Option<Duration>,
        /// Longest a single check may take.
        @default pub timeout: Option<Duration>,
        @default pub expect: Option<Expect>,
        /// Heartbeat: when the job is expected to ping.
        @default pub period: Option<Schedule>,
        /// Heartbeat: how late a ping may be before the monitor is down.
        @default pub grace: Option<Duration>,
        /// Asset id this monitor watches.
        @default pub asset: Option<Id>,
        /// Monitor ids this one needs: when a parent is down, this one is
        /// reported unreachable, not down.
        @default pub depends_on: Vec<Id>,
        /// Escalation id; the one named `default` applies otherwise.
        @default pub escalation: Option<Id>,
        /// Failed checks in a row before the monitor is down (2 when not given).
        @default pub confirm: Option<u32>,
        /// Passed checks in a row before it is up again (1 when not given).
        @default pub recover: Option<u32>,
        /// tls, http: a PEM file of extra trusted roots (an internal CA),
        /// relative to the plan's folder.
        @default pub ca: Option<String>,
        /// http: redirects followed (10 when not given; 0 = none, the 3xx
        /// answer is then held against `expect`).
        @default pub redirects: Option<u32>,
        /// http: verify the server's certificate (true when not given).
        @default pub tls_verify: Option<bool>,
    }
}

plan_table! {
    /// E-mail: one message per alert to every address.
    pub struct EmailChannel {
        pub id: Id,
        pub to: Vec<String>,
    }
}

plan_table! {
    /// A JSON POST to any URL, signed with HMAC-SHA256 when a secret is given.
    pub struct WebhookChannel {
        pub id: Id,
        pub url: String,
        @default pub secret: Option<SecretRef>,
    }
}

plan_table! {
    /// An incoming-webhook chat channel (Slack, Mattermost, Teams): its URL
    /// is a credential, so it is given by reference.
    pub struct ChatChannel {
        pub id: Id,
        pub url: SecretRef,
    }
}

plan_table! {
    /// An ntfy topic: `https://ntfy.sh/my-topic`.
    pub struct NtfyChannel {
        pub id: Id,
        pub url: String,
        @default pub token: Option<SecretRef>,
    }
}

/// `[[channel]]`: where alerts go, by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(proptest_derive::Arbitrary))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Channel {
    Email(EmailChannel),
    Webhook(WebhookChannel),
    Slack(ChatChannel),
    Mattermost(ChatChannel),
    Teams(ChatChannel),
    Ntfy(NtfyChannel),
}

const CHANNEL_KINDS: &[&str] = &["email", "webhook", "slack", "mattermost", "teams", "ntfy"];

impl Channel {
    pub fn id(&self) -> &Id {
        match self {
            Channel::Email(c) => &c.id,
            Channel::Webhook(c) => &c.id,
            Channel::Slack(c) | Channel::Mattermost(c) | Channel::Teams(c) => &c.id,
            Channel::Ntfy(c) => &c.id,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Channel::Email(_) => "email",
            Channel::Webhook(_) => "webhook",
            Channel::Slack(_) => "slack",
            Channel::Mattermost(_) => "mattermost",
            Channel::Teams(_) => "teams",
            Channel::Ntfy(_) => "ntfy",
        }
    }
}

impl Decode for Channel {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        let toml::de::DeValue::Table(table) = item.get_ref() else {
            cx.wrong_type(item, say!("plan-type-table"), None);
            return None;
        };
        let Some((key, kind)) = table.get_key_value("kind") else {
            let path = cx.path().to_owned();
            cx.error(
                item.span().start..item.span().start + 1,
                "missing-key",
                say!("plan-missing-key", table = path, key = "kind"),
                Some(say!("plan-one-of", words = CHANNEL_KINDS)),
            );
            return None;
        };
        let index = cx.at("kind", |cx| {
            let path = cx.path().to_owned();
            cx.spans.record(&path, Some(key.span()), kind.span());
            decode_word(kind, cx, CHANNEL_KINDS)
        })?;
        let extra = &["kind"];
        match index {
            0 => decode_table_with(item, cx, extra).map(Channel::Email),
            1 => decode_table_with(item, cx, extra).map(Channel::Webhook),
            2 => decode_table_with(item, cx, extra).map(Channel::Slack),
            3 => decode_table_with(item, cx, extra).map(Channel::Mattermost),
            4 => decode_table_with(item, cx, extra).map(Channel::Teams),
            _ => decode_table_with(item, cx, extra).map(Channel::Ntfy),
        }
    }
}

impl JsonSchema for Channel {
    fn schema_name() -> Cow<'static, str> {
        "Channel".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let variant = |kind: &str, mut schema: Schema| {
            let object = schema.ensure_object();
            if let Some(props) = object
                .entry("properties")
                .or_insert_with(|| serde_json::json!({}))
                .as_object_mut()
            {
                props.insert("kind".into(), serde_json::json!({ "const": kind }));
            }
            if let Some(required) = object
                .entry("required")
                .or_insert_with(|| serde_json::json!([]))
                .as_array_mut()
            {
                required.push("kind".into());
            }
            schema
        };
        let schemas = [
            EmailChannel::json_schema(generator),
            WebhookChannel::json_schema(generator),
            ChatChannel::json_schema(generator),
            ChatChannel::json_schema(generator),
            ChatChannel::json_schema(generator),
            NtfyChannel::json_schema(generator),
        ];
        // Same order as CHANNEL_KINDS.
        let variants: Vec<Schema> = CHANNEL_KINDS
            .iter()
            .zip(schemas)
            .map(|(kind, schema)| variant(kind, schema))
            .collect();
        json_schema!({
            "description": "Where alerts go; `kind` says which fields apply.",
            "oneOf": variants
        })
    }
}

plan_table! {
    /// One step of an escalation: who is told, and how long after the alert.
    pub struct EscalationStep {
        /// Channel, contact or team ids.
        pub notify: Vec<Id>,
        /// Delay after the alert opened, if still unacknowledged.
        @default pub after: Duration,
    }
}

plan_table! {
    /// `[[escalation]]`: who is told, in what order, until someone acknowledges.
    /// The one with id `default` applies to monitors that name none.
    pub struct Escalation {
        pub id: Id,
        pub steps: Vec<EscalationStep>,
        /// After the last step, remind everyone reached this often while
        /// the alert is neither acknowledged nor over; no reminder when not given.
        @default pub repeat: Option<Duration>,
    }
}

plan_table! {
    /// `[[maintenance]]`: a window in which monitors are checked but raise
    /// no alert and do not count against their SLA. One-off (`start`,
    /// `end`, RFC 3339) or recurring (a cron `schedule` and a `duration`).
    pub struct Maintenance {
        pub id: Id,
        /// Monitor ids; every monitor when empty.
        @default pub monitors: Vec<Id>,
        /// When a recurring window opens: a cron pattern, e.g. "0 22 * * 2".
        @default pub schedule: Option<Schedule>,
        /// How long a recurring window lasts.
        @default pub duration: Option<Duration>,
        /// A one-off window's start, e.g. "2026-12-05T08:00:00+01:00".
        @default pub start: Option<String>,
        /// A one-off window's end.
        @default pub end: Option<String>,
        @default pub reason: Option<String>,
    }
}

impl Maintenance {
    /// Whether this window covers monitor `monitor` at `now_ms`, cron
    /// patterns read in time zone `tz`.
    pub fn covers(&self, monitor: &str, now_ms: i64, tz: &str) -> bool {
        if !self.monitors.is_empty() && !self.monitors.iter().any(|m| m.as_str() == monitor) {
            return false;
        }
        if let (Some(start), Some(end)) = (&self.start, &self.end) {
            let at = |t: &str| {
                chrono::DateTime::parse_from_rfc3339(t)
                    .ok()
                    .map(|t| t.timestamp_millis())
            };
            return matches!((at(start), at(end)), (Some(s), Some(e)) if s <= now_ms && now_ms < e);
        }
        match (&self.schedule, self.duration) {
            (Some(schedule), Some(d)) => {
                let length = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
                // The first opening after (now - length): open now if it is not after now.
                schedule
                    .next_after(now_ms.saturating_sub(length).saturating_sub(1), tz)
                    .is_some_and(|opened| opened <= now_ms)
            }
            _ => false,
        }
    }
}

plan_table! {
    /// An uptime commitment for one monitored service.
    pub struct SlaTarget {
        /// Monitor id.
        pub monitor: Id,
        /// Uptime per month, in percent, maintenance excluded (e.g. 99.5).
        pub uptime: Percent,
    }
}

plan_table! {
    /// `[status_page]`: a page at `/status/<tenant>` that shows the state
    /// of the monitors it lists, and nothing else.
    pub struct StatusPage {
        /// The page's heading, e.g. "Acme — service status".
        pub title: String,
        /// Monitor ids shown, in this order.
        pub monitors: Vec<Id>,
        /// Open to anyone, without a login; else only to the tenant's people.
        @default pub public: bool,
    }
}

plan_table! {
    /// `[sla]`: uptime targets, and who receives the monthly SLA report.
    pub struct Sla {
        @default pub targets: Vec<SlaTarget>,
        /// Contact ids: on the 1st of each month (the organisation's time
        /// zone), the server e-mails each of them the previous month's
        /// SLA report as a PDF, at the address the contact gives.
        @default pub report_to: Vec<Id>,
    }
}

/// A JSON path of a monitor (`$.a.b[0]`, `a.b[0]`, or `a.b.0`) as a JSON
/// pointer (`/a/b/0`), or why it is not one.
pub fn json_pointer(path: &str) -> Result<String, Said> {
    let trimmed = path.trim();
    let body = trimmed
        .strip_prefix('$')
        .map_or(trimmed, |rest| rest.strip_prefix('.').unwrap_or(rest));
    let mut pointer = String::new();
    let mut part = String::new();
    let mut chars = body.chars().peekable();
    let bad = |why: serde_json::Value| Said::from(say!("plan-json-path", path = path, why = why));
    let push = |pointer: &mut String, part: &mut String| {
        pointer.push('/');
        pointer.push_str(&part.replace('~', "~0").replace('/', "~1"));
        part.clear();
    };
    let mut after_index = false;
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if part.is_empty() && !after_index {
                    return Err(bad(say!("plan-json-path-empty-name")));
                }
                if !part.is_empty() {
                    push(&mut pointer, &mut part);
                }
                after_index = false;
            }
            '[' => {
                if !part.is_empty() {
                    push(&mut pointer, &mut part);
                }
                let mut index = String::new();
                loop {
                    match chars.next() {
                        Some(']') => break,
                        Some(d) if d.is_ascii_digit() => index.push(d),
                        Some(_) => return Err(bad(say!("plan-json-path-index-number"))),
                        None => return Err(bad(say!("plan-json-path-unclosed"))),
                    }
                }
                if index.is_empty() {
                    return Err(bad(say!("plan-json-path-empty-index")));
                }
                pointer.push('/');
                pointer.push_str(&index);
                after_index = true;
            }
            ']' => return Err(bad(say!("plan-json-path-unopened"))),
            c => {
                if after_index {
                    return Err(bad(say!("plan-json-path-name-after-index")));
                }
                part.push(c);
            }
        }
    }
    if !part.is_empty() {
        push(&mut pointer, &mut part);
    } else if trimmed.ends_with('.') {
        return Err(bad(say!("plan-json-path-empty-name")));
    }
    if pointer.is_empty() {
        return Err(bad(say!("plan-json-path-nothing")));
    }
    Ok(pointer)
}

#[cfg(test)]
mod json_path_tests {
    use super::json_pointer;

    #[test]
    fn json_paths_become_pointers() {
        assert_eq!(json_pointer("$.status.db").unwrap(), "/status/db");
        assert_eq!(json_pointer("items[0].id").unwrap(), "/items/0/id");
        assert_eq!(json_pointer("$.items.0").unwrap(), "/items/0");
        assert_eq!(json_pointer("$[2]").unwrap(), "/2");
        assert_eq!(json_pointer("a/b~c").unwrap(), "/a~1b~0c");
        for bad in ["", "$", "a..b", "a.", "a[x]", "a[1", "a]", "a[0]b", "a[]"] {
            assert!(json_pointer(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
