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

use rempart_i18n::say;
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
    /// For people, as a sentence of the catalogue (`say!`): in English,
    /// `repository "nas"'s password`.
    pub what: serde_json::Value,
    pub secret: &'a SecretRef,
}

/// One local use: where in the plan, what it is, and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use<'a> {
    /// Plan path of the field: `backup[0].source.command`.
    pub path: String,
    /// For people, as a sentence of the catalogue (`say!`): in English,
    /// `backup "db"'s source command`.
    pub what: serde_json::Value,
    pub kind: LocalUse<'a>,
}

impl Plan {
    /// Everything in the plan that would run or read on the server itself.
    pub fn local_uses<'a>(&'a self) -> Vec<Use<'a>> {
        let mut out: Vec<Use<'a>> = Vec::new();
        let mut push = |path: String, what: serde_json::Value, kind: LocalUse<'a>| {
            out.push(Use { path, what, kind });
        };
        for (i, r) in self.repositories.iter().enumerate() {
            let id = r.id.as_str();
            match &r.location {
                Location::Local(p) => push(
                    format!("repository[{i}].location"),
                    say!("plan-trust-repository-location", id = id),
                    LocalUse::Path(p),
                ),
                Location::S3 { .. } => {
                    if r.access_key_id.is_none() || r.secret_access_key.is_none() {
                        push(
                            format!("repository[{i}].location"),
                            say!("plan-trust-repository-no-keys", id = id),
                            LocalUse::ServerCredentials,
                        );
                    }
                    if let Some(endpoint) = &r.endpoint {
                        push(
                            format!("repository[{i}].endpoint"),
                            say!("plan-trust-repository-endpoint", id = id),
                            LocalUse::Reaches(endpoint),
                        );
                    }
                }
            }
        }
        for (i, b) in self.backups.iter().enumerate() {
            let id = b.id.as_str();
            match &b.source {
                Source::Command(_) => push(
                    format!("backup[{i}].source.command"),
                    say!("plan-trust-backup-command", id = id),
                    LocalUse::Runs,
                ),
                Source::Paths(p) => {
                    for (j, path) in p.paths.iter().enumerate() {
                        push(
                            format!("backup[{i}].source.paths[{j}]"),
                            say!("plan-trust-backup-path", id = id),
                            LocalUse::Path(path),
                        );
                    }
                }
            }
        }
        for (i, m) in self.monitors.iter().enumerate() {
            let id = m.id.as_str();
            match (m.kind, &m.target) {
                (super::MonitorKind::Command, _) => push(
                    format!("monitor[{i}].target"),
                    say!("plan-trust-monitor-command", id = id),
                    LocalUse::Runs,
                ),
                (super::MonitorKind::Dns, Some(t)) => {
                    if let Some((_, server)) = t.split_once('@') {
                        push(
                            format!("monitor[{i}].target"),
                            say!("plan-trust-monitor-server", id = id),
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
                    say!("plan-trust-monitor-target", id = id),
                    LocalUse::Reaches(t),
                ),
                _ => {}
            }
            if let Some(ca) = &m.ca {
                push(
                    format!("monitor[{i}].ca"),
                    say!("plan-trust-monitor-ca", id = id),
                    LocalUse::Path(ca),
                );
            }
        }
        for (i, s) in self.scenarios.iter().enumerate() {
            for (j, step) in s.steps.iter().enumerate() {
                let at = |key: &str| format!("scenario[{i}].steps[{j}].{key}");
                let (scenario, name) = (s.id.as_str(), step.name.as_str());
                let command = || say!("plan-trust-step-command", scenario = scenario, step = name);
                let url = || say!("plan-trust-step-url", scenario = scenario, step = name);
                match &step.action {
                    StepAction::Command(_) => push(at("command"), command(), LocalUse::Runs),
                    StepAction::Simulate(_) => push(at("simulate"), command(), LocalUse::Runs),
                    StepAction::Sql(_) => push(
                        at("sql"),
                        say!("plan-trust-step-sql", scenario = scenario, step = name),
                        LocalUse::Runs,
                    ),
                    StepAction::WaitFor(w) => match &w.wait_for {
                        Condition::Command(_) => {
                            push(at("wait_for.command"), command(), LocalUse::Runs);
                        }
                        Condition::Http(h) => {
                            push(at("wait_for.http"), url(), LocalUse::Reaches(&h.http));
                        }
                        Condition::Tcp(t) => push(
                            at("wait_for.tcp"),
                            say!("plan-trust-step-address", scenario = scenario, step = name),
                            LocalUse::Reaches(&t.tcp),
                        ),
                    },
                    StepAction::Http(h) => push(at("http"), url(), LocalUse::Reaches(&h.http)),
                    StepAction::Restore(r) => {
                        if let Some(to) = &r.to {
                            push(
                                at("to"),
                                say!("plan-trust-step-folder", scenario = scenario, step = name),
                                LocalUse::WritesInto(to),
                            );
                        }
                    }
                    StepAction::Manual(_) | StepAction::Notify(_) => {}
                }
            }
        }
        for (i, c) in self.channels.iter().enumerate() {
            let url = match c {
                super::Channel::Webhook(w) => Some(&w.url),
                super::Channel::Ntfy(n) => Some(&n.url),
                _ => None,
            };
            if let Some(url) = url {
                push(
                    format!("channel[{i}].url"),
                    say!("plan-trust-channel-url", id = c.id().as_str()),
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
        let mut push = |path: String, what: serde_json::Value, secret: &'a SecretRef| {
            out.push(SecretUse { path, what, secret });
        };
        for (i, r) in self.repositories.iter().enumerate() {
            let id = r.id.as_str();
            for (key, what, secret) in [
                (
                    "password",
                    say!("plan-trust-repository-password", id = id),
                    Some(&r.password),
                ),
                (
                    "access_key_id",
                    say!("plan-trust-repository-access-key-id", id = id),
                    r.access_key_id.as_ref(),
                ),
                (
                    "secret_access_key",
                    say!("plan-trust-repository-secret-access-key", id = id),
                    r.secret_access_key.as_ref(),
                ),
            ] {
                if let Some(secret) = secret {
                    push(format!("repository[{i}].{key}"), what, secret);
                }
            }
        }
        for (i, s) in self.scenarios.iter().enumerate() {
            for (j, step) in s.steps.iter().enumerate() {
                if let StepAction::Sql(q) = &step.action {
                    push(
                        format!("scenario[{i}].steps[{j}].database"),
                        say!(
                            "plan-trust-step-database",
                            scenario = s.id.as_str(),
                            step = step.name.as_str()
                        ),
                        &q.database,
                    );
                }
            }
        }
        for (i, c) in self.channels.iter().enumerate() {
            let id = c.id().as_str();
            let (key, what, secret) = match c {
                super::Channel::Email(_) => continue,
                super::Channel::Webhook(w) => (
                    "secret",
                    say!("plan-trust-channel-secret", id = id),
                    w.secret.as_ref(),
                ),
                super::Channel::Slack(c)
                | super::Channel::Mattermost(c)
                | super::Channel::Teams(c) => (
                    "url",
                    say!("plan-trust-channel-url-secret", id = id),
                    Some(&c.url),
                ),
                super::Channel::Ntfy(n) => (
                    "token",
                    say!("plan-trust-channel-token", id = id),
                    n.token.as_ref(),
                ),
            };
            if let Some(secret) = secret {
                push(format!("channel[{i}].{key}"), what, secret);
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
/// (`Err` says why not: a sentence of the catalogue, `say!`, which follows
/// the path — "leads outside …" — or the address — "… is an address of
/// the MSP's own networks …").
pub fn client_findings(
    plan: &Plan,
    spans: &SourceMap,
    mut allowed: impl FnMut(&LocalUse<'_>) -> Result<(), serde_json::Value>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in plan.local_uses() {
        let span = spans.value(&u.path);
        let what = u.what;
        let finding = match u.kind {
            LocalUse::Runs => {
                Finding::error(MSP_ONLY, &u.path, say!("plan-trust-runs", what = what))
                    .hint(say!("plan-trust-runs-hint"))
            }
            LocalUse::Secret(s) => {
                let source = match s {
                    SecretRef::Env { env } => say!("plan-trust-server-env", env = env),
                    SecretRef::File { file } => say!("plan-trust-server-file", file = file),
                    SecretRef::Secret { .. } => continue,
                };
                Finding::error(
                    MSP_ONLY,
                    &u.path,
                    say!("plan-trust-reads", what = what, source = source),
                )
                .hint(say!("plan-trust-reads-hint"))
            }
            LocalUse::ServerCredentials => Finding::error(
                MSP_ONLY,
                &u.path,
                say!("plan-trust-server-credentials", what = what),
            )
            .hint(say!("plan-trust-server-credentials-hint")),
            // Restored data is the author's, symbolic links included: a
            // second restore through a link the first one made would write
            // anywhere. A client's restores go into the drill's sandbox.
            LocalUse::WritesInto(p) => Finding::error(
                MSP_ONLY,
                &u.path,
                say!("plan-trust-writes-into", what = what, path = p),
            )
            .hint(say!("plan-trust-writes-into-hint")),
            LocalUse::Reaches(target) => match allowed(&u.kind) {
                Ok(()) => continue,
                Err(why) => Finding::error(
                    INTERNAL_ADDRESS,
                    &u.path,
                    say!(
                        "plan-trust-reaches",
                        what = what,
                        target = target,
                        why = why
                    ),
                )
                .hint(say!("plan-trust-reaches-hint")),
            },
            LocalUse::Path(p) => match allowed(&u.kind) {
                Ok(()) => continue,
                Err(why) => Finding::error(
                    OUTSIDE_TENANT_ROOTS,
                    &u.path,
                    say!("plan-trust-path", what = what, path = p, why = why),
                )
                .hint(say!("plan-trust-path-hint")),
            },
        };
        out.push(finding.at(span));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rempart_i18n::Lang;

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
    #[test]
    fn a_client_plan_s_findings_are_said_in_french() {
        let text = format!(
            "{}{}",
            include_str!("../../tests/plans/base.toml"),
            r#"
[[monitor]]
id = "disk"
kind = "command"
target = "df -h /"
interval = "5m"

[[monitor]]
id = "intranet"
kind = "http"
target = "http://127.0.0.1/"
interval = "1m"
"#
        );
        let checked = super::super::check(&text);
        let p = checked.plan.as_ref().expect("decoded");
        let findings = client_findings(p, &checked.spans, |u| match u {
            LocalUse::Path(_) => Err(say!("plan-trust-leads-outside", folders = "/srv/client")),
            LocalUse::Reaches(target) => {
                let host = target
                    .split("://")
                    .nth(1)
                    .and_then(|rest| rest.split(['/', ':']).next())
                    .unwrap_or(target);
                crate::network::refused_literal_said(host).map_or(Ok(()), Err)
            }
            _ => Ok(()),
        });
        let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
        for code in [MSP_ONLY, OUTSIDE_TENANT_ROOTS, INTERNAL_ADDRESS] {
            assert!(codes.contains(&code), "{code}: {codes:?}");
        }
        for f in &findings {
            assert_ne!(f.say["key"], "plain-text", "{f:#?}");
            let hint = f.hint_say.as_ref().expect("every trust finding has a hint");
            assert_ne!(hint["key"], "plain-text", "{f:#?}");
        }
        // The English stays as it was.
        let command = findings
            .iter()
            .find(|f| f.path == "backup[0].source.command")
            .expect("the backup's command");
        assert_eq!(
            command.message,
            "backup \"db\"'s source command would run on the MSP's server: only the MSP may set it"
        );
        let out = super::super::finding::render("rempart.toml", Some(&text), &findings, Lang::Fr);
        for french in [
            "la commande source de la sauvegarde « db » s'exécuterait sur le serveur du MSP : seul le MSP peut renseigner ce champ",
            "pour le mot de passe du dépôt « nas », Rempart lirait la variable d'environnement NAS_PASSWORD du serveur",
            "l'emplacement du dépôt « nas » (« /srv/repo ») mène hors des dossiers autorisés pour cette organisation (/srv/client)",
            "le dépôt « s3 » (sans clés d'accès) : Rempart accéderait à S3",
            "la cible de la sonde « intranet » (« http://127.0.0.1/ ») : 127.0.0.1 est une adresse des réseaux internes du MSP",
            "la commande de l'étape « Check » du scénario « restore-db » s'exécuterait",
            "ou PUT /api/v1/tenants/{tenant}/secrets/NOM) et écrivez { secret = \"NOM\" }",
        ] {
            assert!(out.contains(french), "{french}\n{out}");
        }
        assert!(!out.contains("only the MSP"), "{out}");
    }
}
