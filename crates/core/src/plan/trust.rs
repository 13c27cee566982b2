//! Who may make the server run or read what (DESIGN.md, "Trust model").
//!
//! A plan written with the MSP's credentials (a server-wide token, a plan
//! file on the server) may use every feature. A plan written with a
//! client's credentials (a tenant-scoped token, later a client role) may
//! hold nothing the server would execute or read locally: commands, SQL,
//! `{ env }` and `{ file }` secrets, S3 access with the server's own
//! credentials; its local paths must lie under the folders the MSP allows
//! for that tenant. This module lists those uses and turns them into
//! findings; whether a path lies under a root is asked of the caller,
//! which alone may look at the disk.

use serde::Serialize;

use super::{Condition, Location};
use super::{Finding, Plan, SecretRef, Source, SourceMap, StepAction};

/// Who wrote a plan version, and so what it may make the server do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Author {
    /// The MSP: every feature.
    Msp,
    /// A client of the MSP: nothing that runs or reads on the server.
    Client,
}

impl Author {
    pub fn as_str(self) -> &'static str {
        match self {
            Author::Msp => "msp",
            Author::Client => "client",
        }
    }

    pub fn parse(text: &str) -> Option<Author> {
        match text {
            "msp" => Some(Author::Msp),
            "client" => Some(Author::Client),
            _ => None,
        }
    }
}

/// Something a plan makes the server itself do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalUse<'a> {
    /// Runs a program (or SQL) from the server.
    Runs,
    /// Reads a secret from the server's environment or files.
    Secret(&'a SecretRef),
    /// Reads or writes a path on the server's disks.
    Path(&'a str),
    /// Reaches S3 with the server's own credentials (none in the plan).
    ServerCredentials,
    /// Writes data the plan's author chose (links included) where it says
    /// on the server's disks: a restore step's `to`.
    WritesInto(&'a str),
    /// Connects from the server to an address (a URL, `host:port`, a
    /// host): a client's plan may reach public addresses only.
    Reaches(&'a str),
}

/// One secret reference: where in the plan, and what it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretUse<'a> {
    /// Plan path of the field: `repository[0].password`.
    pub path: String,
    /// For people: `repository "nas"'s password`.
    pub what: String,
    pub secret: &'a SecretRef,
}

/// One local use: where in the plan, what it is, and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use<'a> {
    /// Plan path of the field: `backup[0].source.command`.
    pub path: String,
    /// For people: `backup "db"'s source command`.
    pub what: String,
    pub kind: LocalUse<'a>,
}

impl Plan {
    /// Everything in the plan that would run or read on the server itself.
    pub fn local_uses<'a>(&'a self) -> Vec<Use<'a>> {
        let mut out: Vec<Use<'a>> = Vec::new();
        let mut push = |path: String, what: String, kind: LocalUse<'a>| {
            out.push(Use { path, what, kind });
        };
        for (i, r) in self.repositories.iter().enumerate() {
            let owner = format!("repository \"{}\"", r.id);
            match &r.location {
                Location::Local(p) => push(
                    format!("repository[{i}].location"),
                    format!("{owner}'s location"),
                    LocalUse::Path(p),
                ),
                Location::S3 { .. } => {
                    if r.access_key_id.is_none() || r.secret_access_key.is_none() {
                        push(
                            format!("repository[{i}].location"),
                            format!("{owner} (no access keys)"),
                            LocalUse::ServerCredentials,
                        );
                    }
                    if let Some(endpoint) = &r.endpoint {
                        push(
                            format!("repository[{i}].endpoint"),
                            format!("{owner}'s endpoint"),
                            LocalUse::Reaches(endpoint),
                        );
                    }
                }
            }
        }
        for (i, b) in self.backups.iter().enumerate() {
            let owner = format!("backup \"{}\"", b.id);
            match &b.source {
                Source::Command(_) => push(
                    format!("backup[{i}].source.command"),
                    format!("{owner}'s source command"),
                    LocalUse::Runs,
                ),
                Source::Paths(p) => {
                    for (j, path) in p.paths.iter().enumerate() {
                        push(
                            format!("backup[{i}].source.paths[{j}]"),
                            format!("{owner}'s source path"),
                            LocalUse::Path(path),
                        );
                    }
                }
            }
        }
        for (i, m) in self.monitors.iter().enumerate() {
            let owner = format!("monitor \"{}\"", m.id);
            match (m.kind, &m.target) {
                (super::MonitorKind::Command, _) => push(
                    format!("monitor[{i}].target"),
                    format!("{owner}'s command"),
                    LocalUse::Runs,
                ),
                (super::MonitorKind::Dns, Some(t)) => {
                    if let Some((_, server)) = t.split_once('@') {
                        push(
                            format!("monitor[{i}].target"),
                            format!("{owner}'s server"),
                            LocalUse::Reaches(server),
                        );
                    }
                }
                (
                    super::MonitorKind::Http
                    | super::MonitorKind::Tcp
                    | super::MonitorKind::Tls
                    | super::MonitorKind::Icmp,
                    Some(t),
                ) => push(
                    format!("monitor[{i}].target"),
                    format!("{owner}'s target"),
                    LocalUse::Reaches(t),
                ),
                _ => {}
            }
            if let Some(ca) = &m.ca {
                push(
                    format!("monitor[{i}].ca"),
                    format!("{owner}'s ca file"),
                    LocalUse::Path(ca),
                );
            }
        }
        for (i, s) in self.scenarios.iter().enumerate() {
            for (j, step) in s.steps.iter().enumerate() {
                let at = |key: &str| format!("scenario[{i}].steps[{j}].{key}");
                let owner = format!("scenario \"{}\" step \"{}\"", s.id, step.name);
                match &step.action {
                    StepAction::Command(_) => {
                        push(at("command"), format!("{owner}'s command"), LocalUse::Runs);
                    }
                    StepAction::Simulate(_) => {
                        push(at("simulate"), format!("{owner}'s command"), LocalUse::Runs);
                    }
                    StepAction::Sql(_) => {
                        push(at("sql"), format!("{owner}'s SQL"), LocalUse::Runs);
                    }
                    StepAction::WaitFor(w) => match &w.wait_for {
                        Condition::Command(_) => push(
                            at("wait_for.command"),
                            format!("{owner}'s command"),
                            LocalUse::Runs,
                        ),
                        Condition::Http(h) => push(
                            at("wait_for.http"),
                            format!("{owner}'s URL"),
                            LocalUse::Reaches(&h.http),
                        ),
                        Condition::Tcp(t) => push(
                            at("wait_for.tcp"),
                            format!("{owner}'s address"),
                            LocalUse::Reaches(&t.tcp),
                        ),
                    },
                    StepAction::Http(h) => {
                        push(
                            at("http"),
                            format!("{owner}'s URL"),
                            LocalUse::Reaches(&h.http),
                        );
                    }
                    StepAction::Restore(r) => {
                        if let Some(to) = &r.to {
                            push(
                                at("to"),
                                format!("{owner}'s folder"),
                                LocalUse::WritesInto(to),
                            );
                        }
                    }
                    StepAction::Manual(_) | StepAction::Notify(_) => {}
                }
            }
        }
        for (i, c) in self.channels.iter().enumerate() {
            let owner = format!("channel \"{}\"", c.id());
            let url = match c {
                super::Channel::Webhook(w) => Some(&w.url),
                super::Channel::Ntfy(n) => Some(&n.url),
                _ => None,
            };
            if let Some(url) = url {
                push(
                    format!("channel[{i}].url"),
                    format!("{owner}'s URL"),
                    LocalUse::Reaches(url),
                );
            }
        }
        // The server's environment and files, where a secret reads them.
        for u in self.secret_uses() {
            if u.secret.is_local() {
                push(u.path, u.what, LocalUse::Secret(u.secret));
            }
        }
        out
    }

    /// Every secret reference of the plan, each once.
    pub fn secret_refs(&self) -> Vec<&SecretRef> {
        let mut unique: Vec<&SecretRef> = Vec::new();
        for u in self.secret_uses() {
            if !unique.contains(&u.secret) {
                unique.push(u.secret);
            }
        }
        unique
    }

    /// Every secret reference of the plan where it stands: a repository's
    /// keys, a SQL step's database, a channel's URL or token.
    pub fn secret_uses<'a>(&'a self) -> Vec<SecretUse<'a>> {
        let mut out: Vec<SecretUse<'a>> = Vec::new();
        let mut push = |path: String, what: String, secret: &'a SecretRef| {
            out.push(SecretUse { path, what, secret });
        };
        for (i, r) in self.repositories.iter().enumerate() {
            for (key, secret) in [
                ("password", Some(&r.password)),
                ("access_key_id", r.access_key_id.as_ref()),
                ("secret_access_key", r.secret_access_key.as_ref()),
            ] {
                if let Some(secret) = secret {
                    push(
                        format!("repository[{i}].{key}"),
                        format!("repository \"{}\"'s {key}", r.id),
                        secret,
                    );
                }
            }
        }
        for (i, s) in self.scenarios.iter().enumerate() {
            for (j, step) in s.steps.iter().enumerate() {
                if let StepAction::Sql(q) = &step.action {
                    push(
                        format!("scenario[{i}].steps[{j}].database"),
                        format!(
                            "scenario \"{}\" step \"{}\"'s database URL",
                            s.id, step.name
                        ),
                        &q.database,
                    );
                }
            }
        }
        for (i, c) in self.channels.iter().enumerate() {
            let (key, secret) = match c {
                super::Channel::Email(_) => continue,
                super::Channel::Webhook(w) => ("secret", w.secret.as_ref()),
                super::Channel::Slack(c)
                | super::Channel::Mattermost(c)
                | super::Channel::Teams(c) => ("url", Some(&c.url)),
                super::Channel::Ntfy(n) => ("token", n.token.as_ref()),
            };
            if let Some(secret) = secret {
                push(
                    format!("channel[{i}].{key}"),
                    format!("channel \"{}\"'s {key}", c.id()),
                    secret,
                );
            }
        }
        out
    }

    /// The stored secrets the plan names (`{ secret = "name" }`), each once.
    pub fn stored_secret_names(&self) -> Vec<&str> {
        self.secret_refs()
            .into_iter()
            .filter_map(|s| match s {
                SecretRef::Secret { secret } => Some(secret.as_str()),
                SecretRef::Env { .. } | SecretRef::File { .. } => None,
            })
            .collect()
    }
}

/// The finding code of a field a client may not set.
pub const MSP_ONLY: &str = "msp-only";
/// The finding code of a local path outside the tenant's folders.
pub const OUTSIDE_TENANT_ROOTS: &str = "outside-tenant-roots";

/// The finding code of an address of the MSP's own networks.
pub const INTERNAL_ADDRESS: &str = "internal-address";

/// What a client's plan may not hold, one finding per field, placed at
/// its line. `allowed` judges what depends on the server: whether a local
/// path ([`LocalUse::Path`]) lies under the folders the MSP allows for the
/// tenant, and whether an address ([`LocalUse::Reaches`]) is a public one
/// (`Err` says why not).
pub fn client_findings(
    plan: &Plan,
    spans: &SourceMap,
    mut allowed: impl FnMut(&LocalUse<'_>) -> Result<(), String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in plan.local_uses() {
        let span = spans.value(&u.path);
        let finding = match u.kind {
            LocalUse::Runs => Finding::error(
                MSP_ONLY,
                &u.path,
                format!(
                    "{} would run on the MSP's server: only the MSP may set it",
                    u.what
                ),
            )
            .hint("ask your MSP to add it to the plan they manage; with an agent at your site (coming), it will run there"),
            LocalUse::Secret(s) => {
                let source = match s {
                    SecretRef::Env { env } => format!("the server's environment variable {env}"),
                    SecretRef::File { file } => format!("the server's file {file}"),
                    SecretRef::Secret { .. } => continue,
                };
                Finding::error(
                    MSP_ONLY,
                    &u.path,
                    format!("{} reads {source}: only the MSP may set it", u.what),
                )
                .hint("store the secret for your organisation (rempart secret set NAME, or PUT /api/v1/tenants/{tenant}/secrets/NAME) and write { secret = \"NAME\" }")
            }
            LocalUse::ServerCredentials => Finding::error(
                MSP_ONLY,
                &u.path,
                format!(
                    "{} would reach S3 with the server's own credentials: only the MSP may set it",
                    u.what
                ),
            )
            .hint("give access_key_id = { secret = \"…\" } and secret_access_key = { secret = \"…\" }"),
            // Restored data is the author's, symbolic links included: a
            // second restore through a link the first one made would write
            // anywhere. A client's restores go into the drill's sandbox.
            LocalUse::WritesInto(p) => Finding::error(
                MSP_ONLY,
                &u.path,
                format!(
                    "{} \"{p}\" would receive restored data on the MSP's server: only the MSP may set it",
                    u.what
                ),
            )
            .hint("leave `to` out: the drill restores into its own sandbox, removed after it"),
            LocalUse::Reaches(target) => match allowed(&u.kind) {
                Ok(()) => continue,
                Err(why) => Finding::error(
                    INTERNAL_ADDRESS,
                    &u.path,
                    format!("{} \"{target}\": {why}", u.what),
                )
                .hint("name a public address; what is inside the MSP's network is for the MSP's own plan (or, later, your agent)"),
            },
            LocalUse::Path(p) => match allowed(&u.kind) {
                Ok(()) => continue,
                Err(why) => Finding::error(
                    OUTSIDE_TENANT_ROOTS,
                    &u.path,
                    format!("{} \"{p}\" {why}", u.what),
                )
                .hint("use a folder under those the MSP allows for your organisation (rempart tenant roots), or ask the MSP to allow one"),
            },
        };
        out.push(finding.at(span));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(extra: &str) -> super::super::Checked {
        let text = format!("{}{extra}", include_str!("../../tests/plans/base.toml"));
        super::super::check(&text)
    }

    #[test]
    fn every_local_use_of_the_base_plan_is_listed() {
        let checked = plan("");
        let p = checked.plan.as_ref().expect("decoded");
        let paths: Vec<String> = p.local_uses().into_iter().map(|u| u.path).collect();
        assert!(
            paths.contains(&"repository[0].location".to_owned()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"repository[0].password".to_owned()),
            "{paths:?}"
        );
        assert!(
            paths.iter().any(|p| p.starts_with("backup[0].source")),
            "{paths:?}"
        );
    }

    #[test]
    fn a_client_plan_without_local_use_has_no_finding() {
        let text = r#"
[organization]
name = "Client"
language = "en"
timezone = "UTC"

[[site]]
id = "cloud"
kind = "cloud"

[[repository]]
id = "s3"
site = "cloud"
location = "s3://client-bucket/rempart"
endpoint = "https://s3.example.com"
password = { secret = "repo-password" }
access_key_id = { secret = "s3-key" }
secret_access_key = { secret = "s3-secret" }

[[monitor]]
id = "site"
kind = "http"
target = "https://example.com"
interval = "1m"
"#;
        let checked = super::super::check(text);
        let p = checked.plan.as_ref().expect("decoded");
        let findings = client_findings(p, &checked.spans, |u| match u {
            LocalUse::Reaches(_) => Ok(()),
            _ => Err("never asked".into()),
        });
        assert!(findings.is_empty(), "{findings:#?}");
        assert_eq!(
            p.stored_secret_names(),
            ["repo-password", "s3-key", "s3-secret"]
        );
    }

    #[test]
    fn commands_local_secrets_and_paths_are_each_named_at_their_line() {
        let checked = plan(
            r#"
[[monitor]]
id = "disk"
kind = "command"
target = "df -h /"
interval = "5m"
"#,
        );
        let p = checked.plan.as_ref().expect("decoded");
        let findings = client_findings(p, &checked.spans, |u| match u {
            LocalUse::Path(path) if path.starts_with("/srv/client") => Ok(()),
            LocalUse::Reaches(_) => Ok(()),
            _ => Err("is outside /srv/client".into()),
        });
        let codes: Vec<(&str, &str)> = findings.iter().map(|f| (f.code, f.path.as_str())).collect();
        assert!(
            codes.contains(&(MSP_ONLY, "monitor[1].target")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&(MSP_ONLY, "repository[0].password")),
            "{codes:?}"
        );
        assert!(findings.iter().all(|f| f.span.is_some()), "{findings:#?}");
        assert!(
            findings
                .iter()
                .any(|f| f.code == OUTSIDE_TENANT_ROOTS && f.message.contains("outside")),
            "{findings:#?}"
        );
    }
}
